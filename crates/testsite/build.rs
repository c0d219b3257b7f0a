//! Lists every file of `fixtures/demo` as `include_bytes!` entries, so that
//! the demo site is compiled into the binary (see `src/embedded.rs`).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let demo = manifest.join("../../fixtures/demo");
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed={}", demo.display());
    let mut files = Vec::new();
    if let Ok(demo) = demo.canonicalize() {
        walk(&demo, "", &mut files);
    }
    files.sort();
    let mut code = String::from("static DEMO_FILES: &[(&str, &[u8])] = &[\n");
    for (rel, abs) in &files {
        let _ = writeln!(
            code,
            "    ({rel:?}, include_bytes!({:?})),",
            abs.display().to_string()
        );
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("set by cargo"));
    std::fs::write(out.join("embedded_demo.rs"), code).expect("OUT_DIR is writable");
}

fn walk(dir: &Path, rel: &str, out: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
            continue;
        };
        let child = if rel.is_empty() {
            name
        } else {
            format!("{rel}/{name}")
        };
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            walk(&entry.path(), &child, out);
        } else if !child.ends_with(".md") {
            // Documentation (CASES.md) is not served; keep it out of the binary.
            out.push((child, entry.path()));
        }
    }
}
