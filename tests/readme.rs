//! README stays true: its usage block is the binary's `--help`.

use crate::support::bin;

#[test]
fn readme_usage_matches_help() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme
        .find("<!-- usage:start -->")
        .expect("usage start marker");
    let end = readme.find("<!-- usage:end -->").expect("usage end marker");
    let block = &readme[start..end];
    let help = bin().args(["crawl", "--help"]).output().unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    for line in help.lines() {
        assert!(
            block.contains(line.trim_end()),
            "README usage block lacks: {line:?}\nrun: cargo run -- crawl --help"
        );
    }
}
