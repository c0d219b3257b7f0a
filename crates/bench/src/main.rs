//! `redirect-audit-bench`: generate the benchmark site, or serve it with
//! nginx on 127.0.0.1 and time the release binary crawling it.
//!
//! Exit codes: 0 the audit was complete, 1 it was not (missing pages or
//! hops), 2 the benchmark could not run.

use std::ffi::OsString;
use std::fmt::Write as _;
use std::fs;
use std::io::{BufWriter, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};
use clap::{Parser, Subcommand, ValueEnum};
mod history_write;

use redirect_audit_bench::{
    Audit, Completeness, DEFAULT_NGINX, DEFAULT_SEED, DEFAULT_TIME, Expectation, Nginx,
    NginxSettings, READY_PAUSE, READY_TRIES, Site, Usage, find_binary, free_port, run_timed,
    write_nginx_config,
};

/// Benchmark redirect-audit against a generated site served by nginx on
/// 127.0.0.1.
#[derive(Debug, Parser)]
#[command(version)]
struct Args {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Debug, Subcommand)]
enum Cmd {
    /// Generate the site and its nginx config into a folder, without serving it.
    Site {
        /// Number of pages.
        #[arg(long, default_value_t = 2000)]
        pages: usize,
        /// The folder to write (`www/` and `nginx/` go inside).
        #[arg(long)]
        out: PathBuf,
        /// The port the nginx config listens on (default: a free one).
        #[arg(long)]
        port: Option<u16>,
        /// The generator's seed.
        #[arg(long, default_value_t = DEFAULT_SEED)]
        seed: u64,
    },
    /// Generate the site, serve it with nginx, run the binary and report.
    Run {
        /// Number of pages.
        #[arg(long, default_value_t = 2000)]
        pages: usize,
        /// Crawl from `/`, or check a map of URLs.
        #[arg(long, value_enum, default_value_t = Mode::Crawl)]
        mode: Mode,
        /// Rows of the map in `check` mode (at most one per page and source).
        #[arg(long, default_value_t = 10_000)]
        map_rows: usize,
        /// nginx worker processes.
        #[arg(long, default_value_t = 1)]
        workers: usize,
        /// Work in this folder and keep it (default: a temporary one, removed).
        #[arg(long)]
        work_dir: Option<PathBuf>,
        #[command(flatten)]
        setup: Setup,
    },
    /// Generate the access-log benchmark file: combined format, 90 days,
    /// 100 000 paths, 5 % redirects, 8 % Googlebot User-Agents (half from
    /// Google's ranges).
    GenLog {
        /// Lines to write.
        #[arg(long, default_value_t = 2_000_000)]
        lines: u64,
        /// The file to write.
        #[arg(long)]
        out: PathBuf,
        /// Compress with gzip.
        #[arg(long)]
        gz: bool,
        /// The generator's seed.
        #[arg(long, default_value_t = DEFAULT_SEED)]
        seed: u64,
    },
    /// Time the accesslog crate's one-pass reader on a log (one core, peak
    /// RSS by GNU time), beside GoAccess on the same file when installed.
    LogRun {
        /// The log file (plain or gzip).
        file: PathBuf,
        /// GoAccess (`apt-get install -y goaccess`); skipped if missing.
        #[arg(long, default_value = "/usr/bin/goaccess")]
        goaccess: PathBuf,
        /// GNU time.
        #[arg(long, default_value = DEFAULT_TIME)]
        time: PathBuf,
    },
    /// Read a log with the accesslog crate and report counts on stderr (what
    /// `log-run` measures, in a process of its own).
    #[command(hide = true)]
    LogRead {
        /// The log file or directory.
        file: PathBuf,
    },
    /// Write a synthetic large audit's report.html (by default one million
    /// URLs and 200 000 findings) and time headless Chromium rendering it.
    Html {
        /// URLs in the synthetic audit (a tenth of them redirect).
        #[arg(long, default_value_t = 1_000_000)]
        urls: usize,
        /// Findings in the synthetic audit.
        #[arg(long, default_value_t = 200_000)]
        findings: usize,
        /// Keep report.html in this folder (default: a temporary one, removed).
        #[arg(long)]
        out: Option<PathBuf>,
        /// The Chromium binary.
        #[arg(long, default_value = redirect_audit_bench::DEFAULT_CHROMIUM)]
        chromium: PathBuf,
        /// The generator's seed.
        #[arg(long, default_value_t = DEFAULT_SEED)]
        seed: u64,
    },
    /// Time writing the history of a large synthetic audit to SQLite and to
    /// PostgreSQL on loopback (a server of its own unless --postgres).
    HistoryWrite {
        /// URLs in the audit (one observation each).
        #[arg(long, default_value_t = 1_000_000)]
        urls: usize,
        /// An existing database, postgres://USER@HOST:PORT/DB.
        #[arg(long)]
        postgres: Option<String>,
        /// Where the SQLite file goes (removed afterwards).
        #[arg(long, default_value = ".")]
        work_dir: PathBuf,
    },
    /// Crawl sites of growing size and show peak RSS per URL: flat means
    /// memory does not grow faster than the site.
    Scale {
        /// Page counts to crawl, smallest first (a site of N pages has
        /// about 1.1 × N URLs: its redirect sources and their targets).
        #[arg(
            long,
            value_delimiter = ',',
            default_value = "100000,250000,500000,900000"
        )]
        pages: Vec<usize>,
        #[command(flatten)]
        setup: Setup,
    },
}

/// What `run` and `scale` share: the binary under test, how hard it
/// crawls, and the tools and seed of the benchmark.
#[derive(Debug, clap::Args)]
struct Setup {
    /// The redirect-audit binary (default: target/release/redirect-audit).
    #[arg(long)]
    binary: Option<PathBuf>,
    /// Requests in flight (`--concurrency` of the binary).
    #[arg(long, default_value_t = 32)]
    concurrency: usize,
    /// The nginx binary.
    #[arg(long, default_value = DEFAULT_NGINX)]
    nginx: PathBuf,
    /// GNU time.
    #[arg(long, default_value = DEFAULT_TIME)]
    time: PathBuf,
    /// The generator's seed.
    #[arg(long, default_value_t = DEFAULT_SEED)]
    seed: u64,
}

impl Setup {
    /// A crawl or check of `pages` pages with these settings.
    fn run(&self, pages: usize, mode: Mode, map_rows: usize, workers: usize) -> Run {
        Run {
            pages,
            concurrency: self.concurrency,
            mode,
            map_rows,
            workers,
            nginx: self.nginx.clone(),
            time: self.time.clone(),
            seed: self.seed,
        }
    }
}

/// What one benchmark run measured.
struct Outcome {
    /// Every page and hop was in the reports.
    complete: bool,
    /// Rows of `pages.csv`: every URL the crawl recorded.
    urls: usize,
    /// Peak RSS of the binary in KiB.
    max_rss_kib: u64,
    /// Pages (or listed URLs) per second of the whole run.
    per_second: f64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Mode {
    /// `redirect-audit crawl http://127.0.0.1:PORT/`.
    Crawl,
    /// `redirect-audit check MAP` on a `url,expected` CSV.
    Check,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let mut out = String::new();
    let result = match args.command {
        Cmd::Site {
            pages,
            out: dir,
            port,
            seed,
        } => site(&mut out, pages, &dir, port, seed).map(|()| true),
        Cmd::Run {
            pages,
            mode,
            map_rows,
            workers,
            work_dir,
            setup,
        } => setup
            .run(pages, mode, map_rows, workers)
            .execute(&mut out, setup.binary.as_deref(), work_dir.as_deref())
            .map(|o| o.complete),
        Cmd::GenLog {
            lines,
            out: path,
            gz,
            seed,
        } => gen_log(&mut out, &path, lines, seed, gz).map(|()| true),
        Cmd::LogRun {
            file,
            goaccess,
            time,
        } => log_run(&mut out, &file, &goaccess, &time).map(|()| true),
        Cmd::Html {
            urls,
            findings,
            out: dir,
            chromium,
            seed,
        } => html(&mut out, urls, findings, dir.as_deref(), &chromium, seed),
        Cmd::LogRead { file } => log_read(&file).map(|()| true),
        Cmd::HistoryWrite {
            urls,
            postgres,
            work_dir,
        } => history_write::run(&mut out, urls, postgres.as_deref(), &work_dir).map(|()| true),
        Cmd::Scale { pages, setup } => scale(&mut out, &pages, setup.binary.as_deref(), |pages| {
            setup.run(pages, Mode::Crawl, 0, 1)
        }),
    };
    print_stdout(&out);
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(error) => {
            print_error(&error);
            ExitCode::from(2)
        }
    }
}

#[expect(clippy::print_stdout, reason = "the report is the tool's output")]
fn print_stdout(text: &str) {
    print!("{text}");
}

#[expect(clippy::print_stderr, reason = "errors are for people, on stderr")]
fn print_error(error: &anyhow::Error) {
    eprintln!("redirect-audit-bench: {error:#}");
}

/// `html`: the page's size and Chromium's render time; `true` when both are
/// within the issue's budget: 15 MB, and 3 s to load, render and dump the
/// DOM, Chromium's own start-up included (stricter than the page alone).
fn html(
    out: &mut String,
    urls: usize,
    findings: usize,
    dir: Option<&Path>,
    chromium: &Path,
    seed: u64,
) -> Result<bool> {
    const MAX_BYTES: u64 = 15_000_000;
    const MAX_RENDER: Duration = Duration::from_secs(3);
    let scratch = tempfile::Builder::new()
        .prefix("redirect-audit-html-")
        .tempdir()
        .context("cannot create a temporary folder")?;
    let dir = dir.unwrap_or(scratch.path());
    let b = redirect_audit_bench::bench_html(dir, urls, findings, seed, chromium)?;
    let _ = writeln!(
        out,
        "report.html:     {} ({urls} URLs, {findings} findings)\n\
         size:            {:.2} MB (budget 15 MB)\n\
         generated in:    {:.2} s (the synthetic audit and its page)\n\
         Chromium:        {:.2} s to load, render and dump the DOM ({:.2} s for an empty page)",
        b.path.display(),
        b.bytes as f64 / 1_000_000.0,
        b.write.as_secs_f64(),
        b.render.as_secs_f64(),
        b.baseline.as_secs_f64(),
    );
    Ok(b.bytes <= MAX_BYTES && b.render <= MAX_RENDER)
}

fn gen_log(out: &mut String, path: &Path, lines: u64, seed: u64, gz: bool) -> Result<()> {
    let started = Instant::now();
    let stats = redirect_audit_bench::write_log(path, lines, seed, gz)?;
    let compressed = fs::metadata(path).map(|m| m.len()).unwrap_or_default();
    let _ = writeln!(
        out,
        "log:             {} ({} lines, {:.1} MiB uncompressed, {:.1} MiB on disk)\n\
         traffic:         {} requests to redirects, {} verified Googlebot, {} unverified\n\
         generated in:    {:.2} s",
        path.display(),
        stats.lines,
        stats.bytes as f64 / 1_048_576.0,
        compressed as f64 / 1_048_576.0,
        stats.redirects,
        stats.verified_googlebot,
        stats.unverified_googlebot,
        started.elapsed().as_secs_f64(),
    );
    Ok(())
}

/// The counts `log-read` reports, one `key=value` per word.
fn log_read(path: &Path) -> Result<()> {
    let mut reader = accesslog::LogReader::new(accesslog::ReadOptions::default());
    reader.read_path(path)?;
    let e = reader.finish();
    let t = e.summary.totals();
    let bytes: u64 = e.summary.files.iter().map(|f| f.bytes).sum();
    let gzip = e.summary.files.iter().any(|f| f.gzip);
    print_report_line(&format!(
        "lines={} parsed={} unparseable={} paths={} bytes={} gzip={}",
        t.lines,
        t.parsed,
        t.unparseable,
        e.len(),
        bytes,
        u8::from(gzip)
    ));
    Ok(())
}

#[expect(
    clippy::print_stderr,
    reason = "log-read reports to the log-run parent on stderr"
)]
fn print_report_line(line: &str) {
    eprintln!("{line}");
}

fn report_field(text: &str, key: &str) -> Option<u64> {
    text.split_whitespace()
        .find_map(|w| w.strip_prefix(key)?.strip_prefix('=')?.parse().ok())
}

fn log_run(out: &mut String, file: &Path, goaccess: &Path, time: &Path) -> Result<()> {
    let file = fs::canonicalize(file).with_context(|| format!("cannot read {}", file.display()))?;
    let scratch = tempfile::Builder::new()
        .prefix("redirect-audit-log-run-")
        .tempdir()
        .context("cannot create a temporary folder")?;
    let me = std::env::current_exe().context("cannot find this program")?;
    let ours = run_timed(
        time,
        &me,
        &["log-read".into(), file.clone().into()],
        scratch.path(),
    )?;
    if !ours.status.success() {
        bail!(
            "log-read exited with {}:\n{}",
            ours.status,
            ours.stderr.trim_end()
        );
    }
    let lines = report_field(&ours.stderr, "lines").context("log-read reported no line count")?;
    let bytes = report_field(&ours.stderr, "bytes").unwrap_or_default();
    let _ = writeln!(
        out,
        "log:             {} ({lines} lines, {:.1} MiB read)",
        file.display(),
        bytes as f64 / 1_048_576.0
    );
    describe_log_run(out, "redirect-audit", lines, &ours.usage);
    let _ = writeln!(out, "                 {}", ours.stderr.trim());
    if !goaccess.is_file() {
        let _ = writeln!(
            out,
            "goaccess:        not installed at {} (apt-get install -y goaccess)",
            goaccess.display()
        );
        return Ok(());
    }
    let report = scratch.path().join("out.json");
    // The reader recognised gzip by its magic bytes.
    let gzip = report_field(&ours.stderr, "gzip") == Some(1);
    let theirs = if gzip {
        // Debian's GoAccess 1.7 is built without zlib: it reads the
        // compressed bytes as lines. Feed it decompressed through a pipe
        // (GNU time's figures then cover the shell, gzip and GoAccess).
        let _ = writeln!(
            out,
            "goaccess:        fed by gzip -dc (it cannot read .gz itself)"
        );
        let script = r#"gzip -dc "$1" | "$2" - --log-format=COMBINED -o "$3""#;
        run_timed(
            time,
            Path::new("/bin/sh"),
            &[
                "-c".into(),
                script.into(),
                "sh".into(),
                file.clone().into(),
                goaccess.into(),
                report.into(),
            ],
            scratch.path(),
        )?
    } else {
        run_timed(
            time,
            goaccess,
            &[
                file.clone().into(),
                "--log-format=COMBINED".into(),
                "-o".into(),
                report.into(),
            ],
            scratch.path(),
        )?
    };
    if theirs.status.success() {
        describe_log_run(out, "goaccess", lines, &theirs.usage);
        let _ = writeln!(
            out,
            "speed-up:        {:.1} × lines/s, {:.1} × less peak RSS",
            theirs.usage.wall.as_secs_f64() / ours.usage.wall.as_secs_f64().max(1e-9),
            theirs.usage.max_rss_kib as f64 / ours.usage.max_rss_kib.max(1) as f64,
        );
    } else {
        let _ = writeln!(
            out,
            "goaccess:        exited with {}: {}",
            theirs.status,
            theirs.stderr.lines().next().unwrap_or_default()
        );
    }
    Ok(())
}

fn describe_log_run(out: &mut String, who: &str, lines: u64, usage: &Usage) {
    let wall = usage.wall.as_secs_f64();
    let _ = writeln!(
        out,
        "{who:<16} {:>10.0} lines/s ({:.0} per CPU second), wall {wall:.2} s, CPU {:.2} s ({:.0} % of one core), peak RSS {:.1} MiB",
        lines as f64 / wall.max(1e-9),
        lines as f64 / usage.cpu_s().max(1e-9),
        usage.cpu_s(),
        100.0 * usage.cpu_s() / wall.max(1e-9),
        usage.max_rss_mib(),
    );
}

fn site(out: &mut String, pages: usize, dir: &Path, port: Option<u16>, seed: u64) -> Result<()> {
    let site = Site::with_seed(pages, seed);
    let root = dir.join("www");
    let started = Instant::now();
    let written = site.write(&root)?;
    let settings = NginxSettings {
        prefix: absolute(&dir.join("nginx"))?,
        root: absolute(&root)?,
        port: match port {
            Some(port) => port,
            None => free_port()?,
        },
        workers: 1,
    };
    let config = write_nginx_config(&site, &settings)?;
    describe_site(out, &site, &written, started.elapsed());
    let _ = writeln!(
        out,
        "serve it with:   {DEFAULT_NGINX} -p {} -c {} -e {}\n\
         stop it with:    the same command followed by -s stop",
        settings.prefix.display(),
        config.display(),
        settings.error_log().display(),
    );
    Ok(())
}

fn describe_site(
    out: &mut String,
    site: &Site,
    written: &redirect_audit_bench::Written,
    took: Duration,
) {
    let stats = site.link_stats();
    let _ = writeln!(
        out,
        "site:            {} pages of {}–{} bytes ({:.1} MiB), {} redirect sources, {} rules\n\
         links:           {} in all, {} ({:.1} %) to redirects, {} sources linked\n\
         generated in:    {:.2} s",
        site.pages(),
        written.min_page,
        written.max_page,
        written.bytes as f64 / 1_048_576.0,
        site.sources(),
        site.rules().len(),
        stats.links,
        stats.redirect_links,
        100.0 * stats.redirect_links as f64 / stats.links.max(1) as f64,
        stats.linked_sources.len(),
        took.as_secs_f64(),
    );
}

fn absolute(path: &Path) -> Result<PathBuf> {
    fs::create_dir_all(path).with_context(|| format!("cannot create {}", path.display()))?;
    fs::canonicalize(path).with_context(|| format!("cannot resolve {}", path.display()))
}

struct Run {
    pages: usize,
    concurrency: usize,
    mode: Mode,
    map_rows: usize,
    workers: usize,
    nginx: PathBuf,
    time: PathBuf,
    seed: u64,
}

impl Run {
    /// Runs the benchmark and says what it measured.
    fn execute(
        &self,
        out: &mut String,
        binary: Option<&Path>,
        work: Option<&Path>,
    ) -> Result<Outcome> {
        let binary = fs::canonicalize(find_binary(binary)?)?;
        if !self.nginx.is_file() {
            bail!(redirect_audit_bench::Error::NginxMissing {
                path: self.nginx.clone()
            });
        }
        let kept = work.is_some();
        let temp;
        let work = match work {
            Some(dir) => absolute(dir)?,
            None => {
                temp = tempfile::Builder::new()
                    .prefix("redirect-audit-bench-")
                    .tempdir()
                    .context("cannot create a temporary folder")?;
                absolute(temp.path())?
            }
        };
        // nginx workers run as `nobody` when started by root.
        make_world_readable(&work)?;
        let site = Site::with_seed(self.pages, self.seed);
        let root = work.join("www");
        let started = Instant::now();
        let written = site.write(&root)?;
        describe_site(out, &site, &written, started.elapsed());

        let settings = NginxSettings {
            prefix: absolute(&work.join("nginx"))?,
            root,
            port: free_port()?,
            workers: self.workers,
        };
        let origin = settings.origin();
        let mut nginx = Nginx::start(&self.nginx, &site, settings)?;
        nginx.wait_ready(READY_TRIES, READY_PAUSE)?;

        let audit_dir = work.join("audit");
        let (args, expected, units) = match self.mode {
            Mode::Crawl => (
                self.crawl_args(&origin, &audit_dir),
                Expectation::crawl(&site),
                site.pages(),
            ),
            Mode::Check => {
                let map = site.check_map(self.map_rows);
                let map_path = work.join("map.csv");
                write_map(&map_path, &origin, &map)?;
                (
                    self.check_args(&map_path, &audit_dir),
                    Expectation::check(&site, &map),
                    map.len(),
                )
            }
        };
        let scratch = work.join("run");
        fs::create_dir_all(&scratch)?;
        let timed = run_timed(&self.time, &binary, &args, &scratch);
        nginx.stop()?;
        let timed = timed?;
        if !timed.status.success() {
            if self.mode == Mode::Check && timed.stderr.contains("unrecognized subcommand") {
                bail!(
                    "{} has no `check` subcommand yet (it said: {}); \
                     build a version that has it to benchmark check mode",
                    binary.display(),
                    timed.stderr.lines().next().unwrap_or_default().trim()
                );
            }
            bail!(
                "{} exited with {}:\n{}",
                binary.display(),
                timed.status,
                timed.stderr.trim_end()
            );
        }
        let audit = Audit::read(&audit_dir, &origin)?;
        let completeness = Completeness::of(&expected, &audit);
        self.describe_run(out, &binary, &origin, &timed.usage, &audit, units);
        describe_completeness(out, &completeness);
        if kept {
            let _ = writeln!(out, "work folder:     {} (kept)", work.display());
        }
        Ok(Outcome {
            complete: completeness.is_complete(),
            urls: audit.page_rows,
            max_rss_kib: timed.usage.max_rss_kib,
            per_second: units as f64 / timed.usage.wall.as_secs_f64().max(0.001),
        })
    }

    fn common_args(&self, audit_dir: &Path) -> Vec<OsString> {
        let concurrency = self.concurrency.to_string();
        // Politeness off, explicitly per host too (`check` defaults to 10
        // requests/s and 4 connections per host), and no spider-trap cap:
        // the generated site's 20 000 `/p/N.html` pages are not a trap.
        let mut args: Vec<OsString> = [
            "--rate",
            "0",
            "--per-host-rate",
            "0",
            "--concurrency",
            &concurrency,
            "--per-host-concurrency",
            &concurrency,
            "--max-per-pattern",
            "0",
            "--retries",
            "0",
            "--no-history",
            "--quiet",
            "--fail-on",
            "never",
            "--out",
        ]
        .iter()
        .map(OsString::from)
        .collect();
        args.push(audit_dir.into());
        args
    }

    fn crawl_args(&self, origin: &str, audit_dir: &Path) -> Vec<OsString> {
        let mut args = vec!["crawl".into(), format!("{origin}/").into()];
        args.extend(self.common_args(audit_dir));
        // Far above the URL count, so --max-urls never truncates the crawl.
        let max_urls = (self.pages + 1000) * 10;
        args.extend(["--max-urls".into(), max_urls.to_string().into()]);
        args
    }

    fn check_args(&self, map: &Path, audit_dir: &Path) -> Vec<OsString> {
        let mut args = vec!["check".into(), map.into()];
        args.extend(self.common_args(audit_dir));
        args
    }

    fn describe_run(
        &self,
        out: &mut String,
        binary: &Path,
        origin: &str,
        usage: &Usage,
        audit: &Audit,
        units: usize,
    ) {
        let wall = usage.wall.as_secs_f64();
        let crawl = audit.crawl_elapsed_ms as f64 / 1000.0;
        let unit = match self.mode {
            Mode::Crawl => "pages/s",
            Mode::Check => "URLs/s",
        };
        let _ = writeln!(
            out,
            "binary:          {}\n\
             served by:       nginx, {} worker(s), {origin}\n\
             mode:            {:?}, concurrency {}, rate 0, per-host rate 0, retries 0\n\
             wall:            {wall:.3} s (crawl phase {crawl:.3} s)\n\
             {unit}:{pad}{:.0} (crawl phase {:.0})\n\
             requests/s:      {:.0} ({} requests; crawl phase {:.0})\n\
             peak RSS:        {:.1} MiB\n\
             CPU:             {:.2} s (user {:.2}, sys {:.2}; {:.0} % of one core)",
            binary.display(),
            self.workers,
            self.mode,
            self.concurrency,
            units as f64 / wall,
            units as f64 / crawl.max(0.001),
            audit.requests as f64 / wall,
            audit.requests,
            audit.requests as f64 / crawl.max(0.001),
            usage.max_rss_mib(),
            usage.cpu_s(),
            usage.user_s,
            usage.sys_s,
            100.0 * usage.cpu_s() / wall,
            pad = " ".repeat(17usize.saturating_sub(unit.len() + 1)),
        );
    }
}

/// Runs `make_run(pages)` for each size and tabulates peak RSS per URL,
/// overall and between consecutive sizes (the marginal cost of one more
/// URL, which is what "flat" is about). `Ok(false)` when a run was
/// incomplete.
fn scale(
    out: &mut String,
    sizes: &[usize],
    binary: Option<&Path>,
    make_run: impl Fn(usize) -> Run,
) -> Result<bool> {
    let mut rows: Vec<(usize, Outcome)> = Vec::new();
    for &pages in sizes {
        let mut log = String::new();
        let outcome = make_run(pages).execute(&mut log, binary, None)?;
        out.push_str(&log);
        out.push('\n');
        rows.push((pages, outcome));
    }
    let _ = writeln!(
        out,
        "{:>9} {:>9} {:>13} {:>10} {:>17} {:>9} {:>9}",
        "pages", "URLs", "peak RSS MiB", "bytes/URL", "marginal B/URL", "pages/s", "complete"
    );
    let mut previous: Option<&Outcome> = None;
    for (pages, o) in &rows {
        let bytes = o.max_rss_kib as f64 * 1024.0;
        let marginal = previous.map_or_else(
            || "-".to_owned(),
            |p| {
                let more = o.urls.saturating_sub(p.urls).max(1) as f64;
                format!("{:.0}", (bytes - p.max_rss_kib as f64 * 1024.0) / more)
            },
        );
        let _ = writeln!(
            out,
            "{pages:>9} {:>9} {:>13.1} {:>10.0} {marginal:>17} {:>9.0} {:>9}",
            o.urls,
            o.max_rss_kib as f64 / 1024.0,
            bytes / o.urls.max(1) as f64,
            o.per_second,
            if o.complete { "yes" } else { "NO" },
        );
        previous = Some(o);
    }
    Ok(rows.iter().all(|(_, o)| o.complete))
}

fn describe_completeness(out: &mut String, c: &Completeness) {
    let sample = |urls: &[String]| {
        let mut text = urls.iter().take(5).cloned().collect::<Vec<_>>().join(", ");
        if urls.len() > 5 {
            text.push_str(", …");
        }
        text
    };
    let _ = writeln!(
        out,
        "complete:        {} (end {}, 200 pages {}/{}, chains {}/{}, hops.csv rows {}/{}, {} URLs missing{}, {} unexpected{})",
        if c.is_complete() { "yes" } else { "NO" },
        c.end,
        c.ok_pages.0,
        c.ok_pages.1,
        c.chains.0,
        c.chains.1,
        c.hops.0,
        c.hops.1,
        c.missing.len(),
        if c.missing.is_empty() {
            String::new()
        } else {
            format!(": {}", sample(&c.missing))
        },
        c.unexpected.len(),
        if c.unexpected.is_empty() {
            String::new()
        } else {
            format!(": {}", sample(&c.unexpected))
        },
    );
}

fn write_map(path: &Path, origin: &str, map: &[redirect_audit_bench::MapRow]) -> Result<()> {
    let file =
        fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    let mut file = BufWriter::new(file);
    writeln!(file, "url,expected")?;
    for row in map {
        writeln!(file, "{origin}{},{origin}{}", row.path, row.expected)?;
    }
    file.flush()
        .with_context(|| format!("cannot write {}", path.display()))
}

fn make_world_readable(dir: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt as _;
    fs::set_permissions(dir, fs::Permissions::from_mode(0o755))
        .with_context(|| format!("cannot make {} readable", dir.display()))
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory as _;

    use super::*;

    #[test]
    fn args_are_consistent() {
        Args::command().debug_assert();
    }
}
