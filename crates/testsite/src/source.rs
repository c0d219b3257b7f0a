//! Where a fixture's files come from: a folder on disk, or the copy of
//! `fixtures/demo` compiled into the binary.

use std::path::{Path, PathBuf};

use crate::Error;

/// Read access to a fixture's files by relative path (`/`-separated).
pub(crate) trait Source {
    /// The bytes of one file.
    fn read(&self, rel: &str) -> Result<Vec<u8>, Error>;
    /// Every file under the folder `prefix` (e.g. `pages`), recursively,
    /// as relative paths, sorted. A missing folder has no files.
    fn list(&self, prefix: &str) -> Result<Vec<String>, Error>;
    /// A path to show in errors.
    fn display(&self, rel: &str) -> PathBuf;
}

/// A fixture folder on disk.
pub(crate) struct Dir<'a>(pub(crate) &'a Path);

impl Source for Dir<'_> {
    fn read(&self, rel: &str) -> Result<Vec<u8>, Error> {
        let path = self.0.join(rel);
        std::fs::read(&path).map_err(|source| Error::Read { path, source })
    }

    fn list(&self, prefix: &str) -> Result<Vec<String>, Error> {
        let mut out = Vec::new();
        let root = self.0.join(prefix);
        if root.is_dir() {
            walk(&root, prefix, &mut out)?;
        }
        out.sort();
        Ok(out)
    }

    fn display(&self, rel: &str) -> PathBuf {
        self.0.join(rel)
    }
}

fn walk(dir: &Path, rel: &str, out: &mut Vec<String>) -> Result<(), Error> {
    let read_err = |source| Error::Read {
        path: dir.to_owned(),
        source,
    };
    for entry in std::fs::read_dir(dir).map_err(read_err)? {
        let entry = entry.map_err(read_err)?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let child = format!("{rel}/{name}");
        if entry.file_type().map_err(read_err)?.is_dir() {
            walk(&entry.path(), &child, out)?;
        } else {
            out.push(child);
        }
    }
    Ok(())
}

/// Files compiled into the binary: (relative path, bytes).
pub(crate) struct Embedded(pub(crate) &'static [(&'static str, &'static [u8])]);

impl Source for Embedded {
    fn read(&self, rel: &str) -> Result<Vec<u8>, Error> {
        self.0
            .iter()
            .find(|(name, _)| *name == rel)
            .map(|(_, bytes)| bytes.to_vec())
            .ok_or_else(|| Error::Read {
                path: self.display(rel),
                source: std::io::ErrorKind::NotFound.into(),
            })
    }

    fn list(&self, prefix: &str) -> Result<Vec<String>, Error> {
        let dir = format!("{prefix}/");
        let mut out: Vec<String> = self
            .0
            .iter()
            .filter(|(name, _)| name.starts_with(&dir))
            .map(|(name, _)| (*name).to_owned())
            .collect();
        out.sort();
        Ok(out)
    }

    fn display(&self, rel: &str) -> PathBuf {
        Path::new("<embedded>").join(rel)
    }
}
