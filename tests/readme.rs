//! README stays true: its usage block is the binary's `--help`.

use crate::support::bin;

/// The README's usage block is `crawl --help`, verbatim. Refresh it with
/// `REDIRECT_AUDIT_UPDATE_README=1 cargo test --test tests readme`.
#[test]
fn readme_usage_matches_help() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
    let readme = std::fs::read_to_string(path).unwrap();
    let start = readme
        .find("<!-- usage:start -->")
        .expect("usage start marker");
    let end = readme.find("<!-- usage:end -->").expect("usage end marker");
    let help = bin().args(["crawl", "--help"]).output().unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    let expected = format!("<!-- usage:start -->\n```text\n{}\n```\n", help.trim_end());
    if std::env::var_os("REDIRECT_AUDIT_UPDATE_README").is_some() {
        let updated = format!("{}{expected}{}", &readme[..start], &readme[end..]);
        std::fs::write(path, updated).unwrap();
        return;
    }
    assert!(
        readme[start..end] == expected,
        "README usage block differs from `crawl --help`: refresh with REDIRECT_AUDIT_UPDATE_README=1 cargo test --test tests readme"
    );
}

#[test]
fn readme_report_examples_are_rows_of_the_example_report() {
    let root = env!("CARGO_MANIFEST_DIR");
    let readme = std::fs::read_to_string(format!("{root}/README.md")).unwrap();
    let mut checked = 0;
    for (i, _) in readme.match_indices("<!-- example: ") {
        let rest = &readme[i + "<!-- example: ".len()..];
        let file = &rest[..rest.find(" -->").unwrap()];
        let block = &rest[rest.find("```csv\n").unwrap() + 7..];
        let block = &block[..block.find("```").unwrap()];
        let example = std::fs::read_to_string(format!("{root}/reports/example/{file}")).unwrap();
        let rows: Vec<&str> = example.split("\r\n").collect();
        for line in block.lines() {
            assert!(
                rows.contains(&line),
                "README row not in reports/example/{file}: {line}"
            );
        }
        checked += 1;
    }
    assert_eq!(
        checked, 4,
        "README shows rows of findings, redirects, hops and pages"
    );
}

#[test]
fn readme_summary_json_is_the_example_one() {
    let root = env!("CARGO_MANIFEST_DIR");
    let readme = std::fs::read_to_string(format!("{root}/README.md")).unwrap();
    let marker = "<!-- example-file: summary.json -->\n```json\n";
    let start = readme.find(marker).expect("summary.json example marker") + marker.len();
    let block = &readme[start..start + readme[start..].find("```").unwrap()];
    let example = std::fs::read_to_string(format!("{root}/reports/example/summary.json")).unwrap();
    assert_eq!(
        block, example,
        "README's summary.json example differs from reports/example/summary.json"
    );
}
