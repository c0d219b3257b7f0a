//! Running the binary under test and measuring it: wall time here, CPU time
//! and peak RSS from GNU time (`wait4(2)`'s rusage of the child).
//!
//! GNU time rather than `libc::wait4` because the workspace forbids unsafe
//! code (`[workspace.lints.rust] unsafe_code = "forbid"`), and its numbers
//! are the same: it reads them from `wait4` itself.

use std::ffi::OsString;
use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use crate::Error;

/// Where Debian's `time` package puts GNU time.
pub const DEFAULT_TIME: &str = "/usr/bin/time";

/// What one run of the binary cost.
#[derive(Clone, Debug, PartialEq)]
pub struct Usage {
    /// Wall time from spawning to exit.
    pub wall: Duration,
    /// User CPU seconds.
    pub user_s: f64,
    /// System CPU seconds.
    pub sys_s: f64,
    /// Peak resident set size in KiB.
    pub max_rss_kib: u64,
}

impl Usage {
    /// User plus system CPU seconds.
    pub fn cpu_s(&self) -> f64 {
        self.user_s + self.sys_s
    }

    /// Peak resident set size in MiB.
    pub fn max_rss_mib(&self) -> f64 {
        self.max_rss_kib as f64 / 1024.0
    }

    /// Parses the output of GNU time's `-f "%U %S %M"`: the last line (a
    /// "Command exited with non-zero status" or "terminated by signal"
    /// line may come first).
    fn parse(text: &str, wall: Duration) -> Option<Self> {
        let line = text.lines().rev().find(|l| !l.trim().is_empty())?;
        let mut fields = line.split_whitespace();
        let user_s = fields.next()?.parse().ok()?;
        let sys_s = fields.next()?.parse().ok()?;
        let max_rss_kib = fields.next()?.parse().ok()?;
        Some(Self {
            wall,
            user_s,
            sys_s,
            max_rss_kib,
        })
    }
}

/// A finished, measured run.
#[derive(Debug)]
pub struct Timed {
    /// How the program exited.
    pub status: ExitStatus,
    /// What it cost.
    pub usage: Usage,
    /// What it wrote to stderr.
    pub stderr: String,
}

/// Runs `program args…` under GNU time (`time`), stdout discarded, stderr
/// and time's report kept in `scratch`.
pub fn run_timed(
    time: &Path,
    program: &Path,
    args: &[OsString],
    scratch: &Path,
) -> Result<Timed, Error> {
    if !time.is_file() {
        return Err(Error::TimeMissing {
            path: time.to_owned(),
        });
    }
    let report = scratch.join("time.txt");
    let stderr_path = scratch.join("stderr.txt");
    let stderr = File::create(&stderr_path).map_err(|e| Error::write(&stderr_path, e))?;
    let started = Instant::now();
    let status = Command::new(time)
        .arg("-f")
        .arg("%U %S %M")
        .arg("-o")
        .arg(&report)
        .arg(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(stderr)
        .status()
        .map_err(|source| Error::Spawn {
            path: program.to_owned(),
            source,
        })?;
    let wall = started.elapsed();
    let text = fs::read_to_string(&report).unwrap_or_default();
    let usage = Usage::parse(&text, wall).ok_or_else(|| Error::TimeOutput {
        path: report.clone(),
        text,
    })?;
    Ok(Timed {
        status,
        usage,
        stderr: fs::read_to_string(&stderr_path).unwrap_or_default(),
    })
}

/// The release binary: `path` if given, else `target/release/redirect-audit`
/// under the current directory or, failing that, under this workspace.
pub fn find_binary(path: Option<&Path>) -> Result<PathBuf, Error> {
    if let Some(path) = path {
        return if path.is_file() {
            Ok(path.to_owned())
        } else {
            Err(Error::BinaryMissing {
                path: path.to_owned(),
            })
        };
    }
    let relative = Path::new("target/release/redirect-audit");
    let in_workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(relative);
    [relative.to_owned(), in_workspace]
        .into_iter()
        .find(|p| p.is_file())
        .ok_or_else(|| Error::BinaryMissing {
            path: relative.to_owned(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_gnu_time_output() {
        let wall = Duration::from_secs(2);
        let usage = Usage::parse("1.25 0.50 20480\n", wall).unwrap();
        assert_eq!(usage.max_rss_mib(), 20.0);
        assert!((usage.cpu_s() - 1.75).abs() < 1e-9);
        let killed = "Command terminated by signal 9\n0.10 0.02 1024\n";
        assert_eq!(Usage::parse(killed, wall).unwrap().max_rss_kib, 1024);
        assert_eq!(Usage::parse("", wall), None);
    }
}
