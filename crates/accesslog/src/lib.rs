//! Reads web-server access logs in one streaming pass into per-URL redirect
//! evidence: the runs of temporary answers (302/303/307) each URL gave,
//! which URLs answered with redirects, and what verified Googlebot asked
//! for.
//!
//! # Reading
//! A `--access-log` path is a file, a gzip file (recognised by its magic
//! bytes, several members allowed), or a directory whose regular files are
//! read oldest rotation first ([`expand`]; subdirectories are not
//! recursed into). Lines stream through one reused buffer; a line over
//! [`DEFAULT_MAX_LINE_BYTES`] is skipped and counted; a read error (a
//! truncated `.gz`) ends that file with what was read and a recorded
//! problem. Nothing about a log's content is an `Err`: everything is
//! counted in the [`LogSummary`].
//!
//! # Formats
//! Detected per file from its first [`DETECT_LINES`] lines (the format
//! that parses most of them; none: "not an access log"), or forced:
//! - **combined** (nginx/Apache): `%h %l %u [%t] "%r" %>s %b "%{Referer}i"
//!   "%{User-Agent}i"`, extra fields allowed after it; the last extra
//!   quoted field is taken as nginx `$sent_http_location` when it looks
//!   like a URI reference (not `-`, not a list of addresses such as
//!   `$http_x_forwarded_for`).
//! - **common**: combined without referer and User-Agent.
//! - **vhost** (Apache vhost_combined): `%v:%p` first, then combined.
//! - **json**: nginx `escape=json` logs keyed by nginx variable names
//!   (`time_iso8601` or `time_local`, `remote_addr`, `request_uri` or
//!   `request`, `status`, `http_user_agent`, optional `host` and
//!   `sent_http_location`) and Caddy's JSON access log (`ts`, `status`,
//!   `request.uri`, `request.host`, `request.remote_ip`,
//!   `request.headers.User-Agent`, `resp_headers.Location`).
//!
//! A line with a host field is the site's when its host is one of
//! [`ReadOptions::site_hosts`]; one of [`ReadOptions::variant_hosts`] (the
//! other `www.` spelling) is kept apart under `host/path`; any other host is
//! counted and skipped.
//!
//! Each line becomes a borrowed [`Record`]: UTC time, client address,
//! method, origin-form target (absolute-form reduced to its path, RFC 9112
//! §3.2.2), status, User-Agent, optional host and Location. Text parsing is
//! memchr-based and allocation-free; escapes are kept as written.
//!
//! # Runs of temporary answers
//! [`StatusClass`] decides: 302/303/307 extend a URL's run; 2xx, 301, 308,
//! 404 and 410 end it; everything else (304, 429, other 4xx, 5xx) is
//! neutral. A run is "the temporary answers after the URL's latest final
//! answer", by time, so lines out of order, files read in any order, and
//! evidence merged from history give the same run. Every line counts,
//! whatever its date; only Googlebot counts and `requests_since` use the
//! caller's `since` bound.
//!
//! # Googlebot verification
//! A request is [`Agent::VerifiedGooglebot`] when its User-Agent contains
//! `Googlebot` **and** its address is in Google's published Googlebot
//! ranges (IPv4-mapped IPv6 addresses looked up as IPv4);
//! [`Agent::UnverifiedGooglebot`] when the User-Agent says Googlebot from
//! anywhere else; [`Agent::Other`] otherwise, including other agents from
//! Google's addresses. The crate ships a snapshot of Google's
//! `googlebot.json` ([`BUNDLED_GOOGLEBOT_JSON`]; its date is
//! [`GooglebotRanges::creation_time`]); [`GooglebotRanges::from_file`]
//! reads a replacement. Counts are kept per day, so a window can be chosen
//! after reading and history can merge them.
//!
//! # Reading twice changes nothing: content fingerprints
//! Deduplication is by what was read, not by file name or URL and day: the
//! decompressed content is cut into content-defined chunks of lines whose
//! fingerprints are kept ([`Fingerprints`] describes the scheme, its cost
//! and its limits in detail). Chunk boundaries fall after lines whose hash is 0 modulo
//! [`ANCHOR_EVERY`], so the same lines are cut the same way whatever file
//! holds them; a chunk seen before is skipped, and the lines of each file's
//! last (growing) chunk are fingerprinted one by one so that a log read
//! while live and read again after rotation counts each line once. History
//! stores the fingerprints and passes them back as
//! [`ReadOptions::prior`]; evidence of new content merges into history's
//! with [`PathEvidence::merge`] / [`LogEvidence::merge`].
//!
//! Memory is per distinct path plus one chunk, never per line.
#![deny(missing_docs)]

mod error;
mod evidence;
mod fingerprint;
mod format;
mod googlebot;
mod json;
mod lines;
mod paths;
mod reader;
mod record;
mod source;
mod summary;
mod time;

pub use error::Error;
pub use evidence::{DayCount, PathEvidence, StatusClass, StatusCounts, TemporaryRun, is_redirect};
pub use fingerprint::{ANCHOR_EVERY, Fingerprints, MAX_CHUNK_BYTES, MAX_CHUNK_LINES};
pub use format::{DETECT_LINES, Format, UnknownFormat, detect};
pub use googlebot::{Agent, BUNDLED_GOOGLEBOT_JSON, GooglebotRanges};
pub use reader::{DEFAULT_MAX_LINE_BYTES, LogEvidence, LogReader, ReadOptions};
pub use record::{Record, Unparseable};
pub use source::expand;
pub use summary::{Counts, FileSummary, LogSummary, UNPARSEABLE_SAMPLE};
