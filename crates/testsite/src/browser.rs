//! Headless Chromium as the `report.html` tests and the benchmark kit start
//! it: one definition of the binary and its flags.

/// The Debian package's binary (`apt-get install chromium`; `.ci/run`
/// installs it when missing).
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// Flags for a headless run on a closed machine: no sandbox (CI runs as
/// root, which Chromium's sandbox refuses), no GPU, and none of Chromium's
/// own background connections (refused on this network, and slow to fail).
/// Add a fresh `--user-data-dir` per run.
pub const CHROMIUM_HEADLESS_ARGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];
