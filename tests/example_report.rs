//! The committed example report (`reports/example/`) is what `demo` writes
//! today, ports and timings masked: a snapshot test of every report file.
//!
//! After an intended change, refresh it with
//! `REDIRECT_AUDIT_UPDATE_EXAMPLE=1 cargo test --test tests example_report`
//! (which also redraws `report.png`, the README's screenshot of
//! `report.html`, in headless Chromium).

use std::path::{Path, PathBuf};

use crate::support::{run, text};

/// The port every masked file shows.
const MASKED_PORT: &str = "8080";
const FILES: [&str; 7] = [
    "report.html",
    "findings.csv",
    "redirects.csv",
    "hops.csv",
    "pages.csv",
    "changes.csv",
    "summary.json",
];

fn example_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("reports/example")
}

/// `127.0.0.1:NNNN` (the demo's --resolve entries, its TLS front among
/// them) → `127.0.0.1:8080`.
fn mask_loopback_ports(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("127.0.0.1:") {
        let (head, tail) = rest.split_at(i + "127.0.0.1:".len());
        out.push_str(head);
        let digits = tail.bytes().take_while(u8::is_ascii_digit).count();
        out.push_str(if digits > 0 { MASKED_PORT } else { "" });
        rest = &tail[digits..];
    }
    out.push_str(rest);
    out
}

fn mask_csv(text: &str) -> String {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let mut elapsed = None;
    for (i, record) in reader.records().enumerate() {
        let record = record.unwrap();
        if i == 0 {
            elapsed = record.iter().position(|h| h == "elapsed_ms");
        }
        let row: Vec<&str> = record
            .iter()
            .enumerate()
            .map(|(j, cell)| {
                if i > 0 && Some(j) == elapsed {
                    "0"
                } else {
                    cell
                }
            })
            .collect();
        writer.write_record(&row).unwrap();
    }
    String::from_utf8(writer.into_inner().unwrap()).unwrap()
}

fn mask_summary(text: &str) -> String {
    let mut json: serde_json::Value = serde_json::from_str(text).unwrap();
    json["elapsed_ms"] = 0.into();
    json["crawl_elapsed_ms"] = 0.into();
    json["finished_at"] = json["started_at"].clone();
    json["report_dir"] = "reports/example".into();
    serde_json::to_string_pretty(&json).unwrap() + "\n"
}

/// report.html: its timings (`<dd class="timing">…</dd>`) masked.
fn mask_html(text: &str) -> String {
    const OPEN: &str = "<dd class=\"timing\">";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(OPEN) {
        out.push_str(&rest[..i + OPEN.len()]);
        out.push('…');
        let tail = &rest[i + OPEN.len()..];
        rest = &tail[tail.find("</dd>").unwrap()..];
    }
    out.push_str(rest);
    out
}

fn mask_terminal(text: &str) -> String {
    text.lines()
        .map(|line| {
            if let Some((head, _)) = line
                .split_once(" in ")
                .filter(|_| line.starts_with("Audit of "))
            {
                format!("{head} in 0.1 s")
            } else if line.starts_with("Report: ") {
                "Report: reports/example".to_owned()
            } else {
                line.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

#[test]
fn example_report_is_what_the_demo_writes() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("example");
    let out = run(
        &[
            "demo",
            "--now",
            "2026-11-24T02:30:00Z",
            "--no-history",
            "--out",
            out_dir.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out_dir.join("summary.json")).unwrap()).unwrap();
    let start = summary["start_url"].as_str().unwrap();
    let port = start
        .trim_end_matches('/')
        .rsplit(':')
        .next()
        .unwrap()
        .to_owned();
    let unport =
        |s: &str| mask_loopback_ports(&s.replace(&format!(":{port}"), &format!(":{MASKED_PORT}")));

    let mut produced: Vec<(String, String)> = FILES
        .iter()
        .map(|name| {
            let raw = unport(&std::fs::read_to_string(out_dir.join(name)).unwrap());
            let masked = if name.ends_with(".csv") {
                mask_csv(&raw)
            } else if name.ends_with(".html") {
                mask_html(&raw)
            } else {
                mask_summary(&raw)
            };
            ((*name).to_owned(), masked)
        })
        .collect();
    produced.push((
        "summary.txt".to_owned(),
        mask_terminal(&unport(&String::from_utf8_lossy(&out.stdout))),
    ));

    let example = example_dir();
    if std::env::var_os("REDIRECT_AUDIT_UPDATE_EXAMPLE").is_some() {
        std::fs::create_dir_all(&example).unwrap();
        for (name, content) in &produced {
            std::fs::write(example.join(name), content).unwrap();
        }
        // The README's picture: the committed (masked) page in Chromium.
        crate::browser::screenshot(
            &crate::browser::file_url(&example.join("report.html"), ""),
            &example.join("report.png"),
        );
    }
    for (name, content) in &produced {
        let committed = std::fs::read_to_string(example.join(name)).unwrap_or_else(|e| {
            panic!("reports/example/{name}: {e} (refresh with REDIRECT_AUDIT_UPDATE_EXAMPLE=1)")
        });
        assert!(
            committed == *content,
            "reports/example/{name} is out of date: refresh with REDIRECT_AUDIT_UPDATE_EXAMPLE=1 cargo test --test tests example_report\n--- committed\n{committed}\n--- now\n{content}"
        );
    }
}
