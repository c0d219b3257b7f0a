//! Atomic file writes: a temporary file in the destination folder, renamed
//! over the destination once complete, so a crash or a kill leaves either
//! the old file, no file, or the whole new file, never a truncated one that
//! looks complete.

use std::io::{self, BufWriter, Write};
use std::path::Path;

use crate::Error;

/// Writes `path` through `write`, atomically.
///
/// The temporary file (`.<name>.<random>.tmp`) lives in the same folder, so
/// the rename does not cross file systems (rename is atomic within one, per
/// POSIX `rename(2)`; `tempfile` uses `MoveFileEx` with replace on Windows).
/// The data is flushed to disk before the rename, so a power loss cannot
/// leave an empty file under the final name, and the folder after it, so the
/// rename itself survives one. On failure the temporary file is removed.
pub(crate) fn write_atomic<F>(path: &Path, write: F) -> Result<(), Error>
where
    F: FnOnce(&mut dyn Write) -> io::Result<()>,
{
    let err = |source| Error::Write {
        path: path.to_owned(),
        source,
    };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map_or_else(|| "report".into(), |n| n.to_string_lossy().into_owned());
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    #[cfg(unix)]
    {
        // tempfile creates 0600 files; reports should get the permissions a
        // plain `File::create` gives (0666 minus the umask).
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(dir).map_err(err)?;
    {
        let mut out = BufWriter::new(tmp.as_file_mut());
        write(&mut out).map_err(err)?;
        out.flush().map_err(err)?;
    }
    tmp.as_file().sync_all().map_err(err)?;
    tmp.persist(path).map_err(|e| err(e.error))?;
    sync_dir(dir).map_err(err)
}

/// Flushes a folder's entries to disk: the rename lives in the folder, not
/// in the file, so without this a power loss after the rename can bring back
/// the old file, or none (`fsync(2)`: "calling fsync() on the file does not
/// ensure that the entry in the directory containing the file has also
/// reached disk"). Windows has no such call; NTFS journals the rename.
fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    std::fs::File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_the_file_and_leaves_no_temporary_behind() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.csv");
        write_atomic(&path, |w| w.write_all(b"one")).unwrap();
        write_atomic(&path, |w| w.write_all(b"two")).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        assert_eq!(crate::test_data::file_names(dir.path()), ["a.csv"]);
    }

    #[test]
    fn a_failed_write_keeps_the_old_file_and_removes_the_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.csv");
        write_atomic(&path, |w| w.write_all(b"old")).unwrap();
        let result = write_atomic(&path, |w| {
            w.write_all(b"half")?;
            Err(io::Error::other("disk on fire"))
        });
        let Err(Error::Write { path: failed, .. }) = result else {
            panic!("expected a write error, got {result:?}");
        };
        assert_eq!(failed, path);
        assert_eq!(std::fs::read(&path).unwrap(), b"old");
        assert_eq!(crate::test_data::file_names(dir.path()), ["a.csv"]);
    }

    #[cfg(unix)]
    #[test]
    fn the_folder_is_synced_and_a_vanished_one_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        sync_dir(dir.path()).unwrap();
        let gone = dir.path().join("gone");
        let error = sync_dir(&gone).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::NotFound);
    }

    #[cfg(unix)]
    #[test]
    fn gets_the_permissions_of_a_plain_create() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let plain = dir.path().join("plain");
        std::fs::File::create(&plain).unwrap();
        let path = dir.path().join("a.csv");
        write_atomic(&path, |w| w.write_all(b"x")).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), mode(&plain));
    }
}
