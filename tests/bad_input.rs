//! Bad input gets a clear error and exit code 2.

use crate::support::{FAST, Served, free_port, run, text};

#[test]
fn an_invalid_start_url_exits_2_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    for (url, expected) in [
        ("example.com/no-scheme", "expected an absolute URL"),
        ("ftp://example.com/", "only http and https"),
    ] {
        let out = run(&["crawl", url], dir.path());
        assert_eq!(out.status.code(), Some(2), "{}", text(&out));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("invalid START_URL") && stderr.contains(expected),
            "{stderr}"
        );
    }
}

#[test]
fn an_unreachable_host_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let url = format!("http://127.0.0.1:{port}/");
    let mut args = vec!["crawl", &url, "--no-history"];
    args.extend(FAST);
    let out = run(&args, dir.path());
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("cannot reach START_URL"),
        "{}",
        text(&out)
    );
}

#[test]
fn an_unwritable_output_folder_exits_2() {
    let served = Served::fixture("basic");
    let dir = tempfile::tempdir().unwrap();
    // A file where the output folder should be: cannot be created.
    let blocker = dir.path().join("blocker");
    std::fs::write(&blocker, b"not a folder").unwrap();
    let out_dir = blocker.join("audit");
    let url = format!("{}/", served.origin());
    let mut args = vec![
        "crawl",
        &url,
        "--no-history",
        "--out",
        out_dir.to_str().unwrap(),
    ];
    args.extend(FAST);
    let out = run(&args, dir.path());
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("cannot write the report folder"),
        "{}",
        text(&out)
    );
}

#[test]
fn an_unknown_rule_in_ignore_rule_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        &[
            "crawl",
            "http://127.0.0.1:9/",
            "--ignore-rule",
            "no-such-rule",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("unknown rule 'no-such-rule'"),
        "{}",
        text(&out)
    );
}

/// A full disk, as the process sees it: a file-size limit (`ulimit -f`)
/// makes every write past it fail with EFBIG, exactly where a full disk
/// fails with ENOSPC. The audit stops with a clear error and exit 2, and
/// leaves no half-written report or history behind.
#[test]
fn a_full_disk_is_a_clear_error_and_nothing_half_written_remains() {
    // Every page links to two more: far more records than the limit holds.
    let served = crate::support::Served::toml(
        r#"
[[route]]
path = "*"
status = 200
body = "<a href=\"{path}/a\">a</a> <a href=\"{path}/b\">b</a> <a href=\"{path}-r\">r</a>"
"#,
    );
    let dir = tempfile::tempdir().unwrap();
    let url = format!("{}/", served.origin());
    let history = dir.path().join("history.sqlite");
    let reports = dir.path().join("reports");
    // bash counts `ulimit -f` in KiB; SIGXFSZ ignored so the write fails
    // with an error instead of killing the process.
    let limited = "trap '' XFSZ; ulimit -f 256; exec \"$0\" \"$@\"";
    let out = std::process::Command::new("bash")
        .args(["-c", limited, env!("CARGO_BIN_EXE_redirect-audit")])
        .args(["crawl", &url, "--max-urls", "20000", "--max-depth", "30"])
        .args(FAST)
        .args(["--reports-dir", reports.to_str().unwrap()])
        .args(["--history", history.to_str().unwrap()])
        .env("RUST_LOG", "off")
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("File too large"), "{}", text(&out));

    // No report file under its final name is half-written: the crawl failed
    // before any was written, and no temporary file is left behind.
    let mut files = Vec::new();
    let mut stack = vec![reports.clone()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).into_iter().flatten() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push(path);
            }
        }
    }
    assert!(
        files
            .iter()
            .all(|f| !f.to_string_lossy().ends_with(".csv")
                && !f.to_string_lossy().ends_with(".tmp")),
        "{files:?}"
    );
    assert!(
        !reports
            .join(format!("127.0.0.1_{}", served.site.addr().port()))
            .join("latest")
            .exists()
    );

    // The history file is intact and holds no audit.
    let audits = crate::support::listed_audits(&history, dir.path());
    assert!(audits.is_empty(), "{audits:?}");
}
