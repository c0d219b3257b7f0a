//! Headless Chromium for the `report.html` tests: the real browser, a fresh
//! profile per run, nothing fetched from outside (the report's own CSP
//! forbids it anyway).

use std::path::Path;
use std::process::Command;

use testsite::{CHROMIUM, CHROMIUM_HEADLESS_ARGS};

fn chromium(args: &[&str], page: &str) -> Vec<u8> {
    assert!(
        Path::new(CHROMIUM).exists(),
        "these tests need headless Chromium at {CHROMIUM}: install the Debian package `chromium` (.ci/run does)"
    );
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(CHROMIUM)
        .args(CHROMIUM_HEADLESS_ARGS)
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(page)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {CHROMIUM}: {e}"));
    assert!(
        out.status.success(),
        "{CHROMIUM} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// `file://` URL of `path` with `fragment` (`#…` or empty).
pub fn file_url(path: &Path, fragment: &str) -> String {
    format!(
        "file://{}{fragment}",
        path.canonicalize().unwrap().display()
    )
}

/// The DOM after the page loaded and its script ran.
pub fn dump_dom(page: &str) -> String {
    String::from_utf8(chromium(&["--dump-dom"], page)).unwrap()
}

/// The DOM of the report at `path` with JavaScript off. Chromium 156's
/// `--dump-dom` prints nothing when `--blink-settings=scriptEnabled=false`
/// turns scripts off (it serialises the DOM through script), so the page
/// turns them off itself: a copy whose policy says `script-src 'none'`,
/// which the browser enforces before anything runs.
pub fn dump_dom_without_js(path: &Path) -> String {
    let html = std::fs::read_to_string(path).unwrap();
    let start = html
        .find("script-src ")
        .expect("the report has a script-src");
    let end = start + html[start..].find(';').unwrap();
    let copy = tempfile::Builder::new().suffix(".html").tempfile().unwrap();
    std::fs::write(
        copy.path(),
        format!("{}script-src 'none'{}", &html[..start], &html[end..]),
    )
    .unwrap();
    dump_dom(&file_url(copy.path(), ""))
}

/// A 1280×2000 screenshot of `page` into `png`.
pub fn screenshot(page: &str, png: &Path) {
    chromium(
        &[
            &format!("--screenshot={}", png.display()),
            "--window-size=1280,2000",
            "--hide-scrollbars",
        ],
        page,
    );
    assert!(png.exists(), "no screenshot at {}", png.display());
}

/// The text of the element with `id` (up to its first child tag).
pub fn text_of_id<'a>(dom: &'a str, id: &str) -> &'a str {
    let open = format!("id=\"{id}\"");
    let at = dom
        .find(&open)
        .unwrap_or_else(|| panic!("no element with id {id}"));
    let start = at + dom[at..].find('>').unwrap() + 1;
    let end = start + dom[start..].find('<').unwrap();
    &dom[start..end]
}

/// The HTML of the element starting at the first `marker` up to its first
/// `end`.
pub fn section<'a>(dom: &'a str, marker: &str, end: &str) -> &'a str {
    let start = dom
        .find(marker)
        .unwrap_or_else(|| panic!("no {marker} in the DOM"));
    let stop = start + dom[start..].find(end).unwrap_or(dom.len() - start);
    &dom[start..stop]
}
