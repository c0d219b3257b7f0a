//! Where audit folders go (`reports/<host>/<UTC timestamp>/`) and the
//! `reports/<host>/latest` pointer to the newest complete one.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use jiff::Timestamp;

use crate::Error;
use crate::writer::SUMMARY_JSON;

/// The name `latest` has in a host folder.
const LATEST: &str = "latest";

/// A host (`example.com`, `example.com:8080`, `[::1]:8080`) as a folder
/// name that is valid everywhere: lowercase, the port after `_`
/// (`example.com_8080`), IPv6 brackets dropped, and any character other than
/// ASCII letters, digits, `.`, `-` and `_` (`:` among them, which Windows
/// refuses) replaced by `_`.
pub fn host_dir_name(host: &str) -> String {
    let name: String = host
        .chars()
        .filter(|c| !matches!(c, '[' | ']'))
        .map(|c| match c {
            'a'..='z' | '0'..='9' | '.' | '-' | '_' => c,
            'A'..='Z' => c.to_ascii_lowercase(),
            _ => '_',
        })
        .collect();
    match name.as_str() {
        "" | "." | ".." => "_".to_owned(),
        _ => name,
    }
}

/// `reports_root/<host folder name>`.
pub fn host_dir(reports_root: &Path, host: &str) -> PathBuf {
    reports_root.join(host_dir_name(host))
}

/// The folder name of an audit started at `started_at`: its UTC time with
/// `-` for `:` (`2026-11-24T23-53-37Z`), valid on Windows, and sorting in
/// time order.
pub fn audit_dir_name(started_at: Timestamp) -> String {
    started_at.strftime("%Y-%m-%dT%H-%M-%SZ").to_string()
}

/// `reports_root/<host>/<UTC timestamp>`, e.g.
/// `reports/example.com_8080/2026-11-24T23-53-37Z`. Computes the path only;
/// [`crate::ReportWriter::create`] creates it.
pub fn default_audit_dir(reports_root: &Path, host: &str, started_at: Timestamp) -> PathBuf {
    host_dir(reports_root, host).join(audit_dir_name(started_at))
}

/// Points `host_dir/latest` at `audit_dir` and returns the `latest` path.
///
/// Call it after `summary.json` is written, for an audit that was not
/// interrupted: a folder without `summary.json` is refused. On unix
/// `latest` is a symbolic link, relative (`latest -> 2026-11-24T23-53-37Z`)
/// when the audit folder is inside `host_dir` so the reports folder can be
/// moved, absolute otherwise; it is replaced atomically (a new link under a
/// temporary name, renamed over the old one), so readers always see one
/// complete audit. Where links cannot be made (Windows without developer
/// mode, some network file systems), `latest` is a copy of the folder,
/// replaced by removing the old copy and renaming the new one.
pub fn update_latest(host_dir: &Path, audit_dir: &Path) -> Result<PathBuf, Error> {
    let link = host_dir.join(LATEST);
    if !audit_dir.join(SUMMARY_JSON).is_file() {
        return Err(Error::NotAnAudit {
            path: audit_dir.to_owned(),
        });
    }
    let err = |source| Error::Latest {
        link: link.clone(),
        target: audit_dir.to_owned(),
        source,
    };
    fs::create_dir_all(host_dir).map_err(err)?;
    #[cfg(unix)]
    {
        let target = link_target(host_dir, audit_dir).map_err(err)?;
        if replace_with_symlink(host_dir, &link, &target).is_ok() {
            return Ok(link);
        }
    }
    replace_with_copy(host_dir, &link, audit_dir).map_err(err)?;
    Ok(link)
}

/// The audit folder's name when it sits directly in `host_dir`, its
/// absolute path otherwise.
#[cfg(unix)]
fn link_target(host_dir: &Path, audit_dir: &Path) -> io::Result<PathBuf> {
    let host = host_dir.canonicalize()?;
    let audit = audit_dir.canonicalize()?;
    match (audit.parent(), audit.file_name()) {
        (Some(parent), Some(name)) if parent == host => Ok(PathBuf::from(name)),
        _ => Ok(audit),
    }
}

#[cfg(unix)]
fn replace_with_symlink(host_dir: &Path, link: &Path, target: &Path) -> io::Result<()> {
    let tmp = tempfile::Builder::new()
        .prefix(".latest.")
        .suffix(".tmp")
        .make_in(host_dir, |path| std::os::unix::fs::symlink(target, path))?;
    // A copy left by an earlier fallback is a real folder: rename cannot
    // replace it.
    if fs::symlink_metadata(link).is_ok_and(|m| m.is_dir()) {
        fs::remove_dir_all(link)?;
    }
    tmp.persist(link).map_err(|e| e.error)?;
    Ok(())
}

fn replace_with_copy(host_dir: &Path, link: &Path, audit_dir: &Path) -> io::Result<()> {
    let tmp = tempfile::Builder::new()
        .prefix(".latest.")
        .suffix(".tmp")
        .tempdir_in(host_dir)?;
    copy_dir(audit_dir, tmp.path())?;
    match fs::symlink_metadata(link) {
        Ok(m) if m.is_dir() => fs::remove_dir_all(link)?,
        Ok(_) => fs::remove_file(link)?,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    fs::rename(tmp.keep(), link)
}

fn copy_dir(from: &Path, to: &Path) -> io::Result<()> {
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let dest = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            fs::create_dir(&dest)?;
            copy_dir(&entry.path(), &dest)?;
        } else {
            fs::copy(entry.path(), &dest)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_folder_names_are_portable() {
        assert_eq!(host_dir_name("example.com"), "example.com");
        assert_eq!(host_dir_name("Example.COM:8080"), "example.com_8080");
        assert_eq!(host_dir_name("[::1]:8080"), "__1_8080");
        assert_eq!(host_dir_name("a/b\\c"), "a_b_c");
        assert_eq!(host_dir_name(".."), "_");
    }

    #[test]
    fn audit_folder_is_host_then_utc_time_without_colons() {
        let at: Timestamp = "2026-11-24T23:53:37.25Z".parse().unwrap();
        assert_eq!(
            default_audit_dir(Path::new("reports"), "example.com:8080", at),
            Path::new("reports/example.com_8080/2026-11-24T23-53-37Z")
        );
    }

    fn audit(host: &Path, name: &str, marker: &str) -> PathBuf {
        let dir = host.join(name);
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join(SUMMARY_JSON), marker).unwrap();
        dir
    }

    #[test]
    fn latest_points_at_the_newest_audit_and_is_replaced() {
        let root = tempfile::tempdir().unwrap();
        let host = root.path().join("example.com");
        let first = audit(&host, "2026-01-01T00-00-00Z", "first");
        let second = audit(&host, "2026-01-02T00-00-00Z", "second");
        let link = update_latest(&host, &first).unwrap();
        assert_eq!(
            fs::read_to_string(link.join(SUMMARY_JSON)).unwrap(),
            "first"
        );
        update_latest(&host, &second).unwrap();
        assert_eq!(
            fs::read_to_string(link.join(SUMMARY_JSON)).unwrap(),
            "second"
        );
        #[cfg(unix)]
        assert_eq!(
            fs::read_link(&link).unwrap(),
            Path::new("2026-01-02T00-00-00Z")
        );
        assert_eq!(
            crate::test_data::file_names(&host),
            ["2026-01-01T00-00-00Z", "2026-01-02T00-00-00Z", "latest"]
        );
    }

    #[test]
    fn a_folder_without_summary_is_refused() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("half");
        fs::create_dir_all(&dir).unwrap();
        let result = update_latest(root.path(), &dir);
        assert!(
            matches!(result, Err(Error::NotAnAudit { .. })),
            "{result:?}"
        );
        assert!(!root.path().join(LATEST).exists());
    }

    #[test]
    fn the_copy_fallback_replaces_a_link_or_a_copy() {
        let root = tempfile::tempdir().unwrap();
        let host = root.path().join("h");
        let first = audit(&host, "a", "first");
        let second = audit(&host, "b", "second");
        let link = host.join(LATEST);
        update_latest(&host, &first).unwrap();
        replace_with_copy(&host, &link, &second).unwrap();
        assert!(
            !fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(
            fs::read_to_string(link.join(SUMMARY_JSON)).unwrap(),
            "second"
        );
        replace_with_copy(&host, &link, &first).unwrap();
        assert_eq!(
            fs::read_to_string(link.join(SUMMARY_JSON)).unwrap(),
            "first"
        );
        // And a link can replace a copy again.
        update_latest(&host, &second).unwrap();
        assert_eq!(
            fs::read_to_string(link.join(SUMMARY_JSON)).unwrap(),
            "second"
        );
        assert_eq!(crate::test_data::file_names(&host), ["a", "b", "latest"]);
    }
}
