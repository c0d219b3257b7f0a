//! Bad input gets a clear error and exit code 2.

use crate::support::{FAST, Served, run, text};

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
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
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
