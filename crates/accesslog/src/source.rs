//! Expanding a `--access-log` path into the files to read.

use std::cmp::Reverse;
use std::fs;
use std::path::{Path, PathBuf};

use crate::Error;

/// The files a `--access-log` path stands for: the file itself, or the
/// regular files directly inside a directory, oldest rotation first
/// (`access.log.2.gz`, `access.log.1`, `access.log`) so that a directory
/// reads in time order.
///
/// Subdirectories and hidden files are skipped, not recursed into: a log
/// directory such as `/var/log/nginx` is flat, and recursing would pull in
/// unrelated files (an `old/` backup read twice is harmless thanks to
/// fingerprints, but a site's other vhosts would not be). Files that are
/// not access logs (`error.log`) are recognised when read and reported,
/// not parsed.
pub fn expand(path: &Path) -> Result<Vec<PathBuf>, Error> {
    let err = |source| Error::LogPath {
        path: path.to_owned(),
        source,
    };
    let meta = fs::metadata(path).map_err(err)?;
    if !meta.is_dir() {
        return Ok(vec![path.to_owned()]);
    }
    let mut files = Vec::new();
    for entry in fs::read_dir(path).map_err(err)? {
        let entry = entry.map_err(err)?;
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        // Follows symlinks: `access.log -> /srv/logs/site.log` is common.
        if fs::metadata(entry.path()).is_ok_and(|m| m.is_file()) {
            files.push(entry.path());
        }
    }
    files.sort_by_cached_key(|p| rotation_key(p));
    Ok(files)
}

/// `access.log.2.gz` → (`access.log`, Reverse(2)); `access.log` →
/// (`access.log`, Reverse(0)).
fn rotation_key(path: &Path) -> (String, Reverse<u64>, String) {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = name.strip_suffix(".gz").unwrap_or(&name);
    if let Some((base, n)) = stem.rsplit_once('.')
        && let Ok(n) = n.parse::<u64>()
    {
        return (base.to_owned(), Reverse(n), name.clone());
    }
    (stem.to_owned(), Reverse(0), name.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directory_in_rotation_order_without_subdirectories_or_hidden_files() {
        let dir = tempfile::tempdir().unwrap();
        for name in [
            "access.log",
            "access.log.1",
            "access.log.2.gz",
            "access.log.10.gz",
            "error.log",
            ".hidden",
        ] {
            fs::write(dir.path().join(name), "x").unwrap();
        }
        fs::create_dir(dir.path().join("old")).unwrap();
        fs::write(dir.path().join("old/access.log"), "x").unwrap();
        let names: Vec<String> = expand(dir.path())
            .unwrap()
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            names,
            [
                "access.log.10.gz",
                "access.log.2.gz",
                "access.log.1",
                "access.log",
                "error.log"
            ]
        );
    }

    #[test]
    fn a_file_is_itself_and_a_missing_path_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.log");
        fs::write(&file, "x").unwrap();
        assert_eq!(expand(&file).unwrap(), [file]);
        let missing = dir.path().join("nope.log");
        let e = expand(&missing).unwrap_err();
        assert!(e.to_string().contains("nope.log"), "{e}");
    }
}
