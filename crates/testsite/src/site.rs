//! A loaded fixture site: `site.toml` routes and `pages/` files compiled
//! into templates, and the lookup from a request to what to send.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::Error;
use crate::source::{Dir, Embedded, Source};
use crate::spec::{RouteSpec, SiteFile};
use crate::template::Template;

/// A loaded fixture site, ready to [`serve`](Site::serve).
///
/// Two sites are equal when they would send the same bytes for every
/// request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    name: String,
    routes: Vec<Route>,
    pages: BTreeMap<String, Page>,
    /// Route indexes by path (the part before `?`), and the `*` routes:
    /// derived from `routes`, so generated sites with thousands of routes
    /// answer without a linear scan.
    by_path: HashMap<String, Vec<usize>>,
    wildcards: Vec<usize>,
}

/// One `[[route]]`, compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Route {
    host: Option<String>,
    path: PathMatch,
    pub(crate) action: Action,
    pub(crate) delay: Duration,
    pub(crate) slow_bytes: Option<Duration>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum PathMatch {
    /// `*`: any path.
    Any,
    /// A path without query: matches whatever the query.
    Path(String),
    /// A path with a query: matches that exact target.
    Target(String),
}

/// What a route sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Action {
    /// A response built from status, headers and body.
    Reply(Reply),
    /// Exact bytes (after templates); the connection is closed afterwards
    /// unless `keep_alive`.
    Raw {
        /// The bytes to send.
        bytes: Template,
        /// Whether the connection may serve further requests.
        keep_alive: bool,
    },
}

/// A response built by the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) reason: String,
    /// Header fields in order; values are templates.
    pub(crate) headers: Vec<(String, Template)>,
    /// `None`: no body and no `Content-Type`.
    pub(crate) body: Option<Body>,
    /// Send a chunked body that never ends.
    pub(crate) never_end: bool,
}

/// A response body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Body {
    /// Text with templates.
    Text(Template),
    /// Text with templates, gzip-compressed after rendering.
    GzipText(Template),
    /// Bytes sent as they are.
    Bytes(Vec<u8>),
}

/// A file under `pages/`, served with `200`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Page {
    pub(crate) content_type: &'static str,
    pub(crate) body: Body,
}

/// What a request resolves to.
#[derive(Debug)]
pub(crate) enum Lookup<'a> {
    Route(&'a Route),
    Page(&'a Page),
    NotFound,
}

impl Site {
    /// Loads the fixture site in `dir` (`dir/site.toml` and `dir/pages/`).
    pub fn load(dir: &Path) -> Result<Site, Error> {
        let toml_bytes = Dir(dir).read("site.toml")?;
        let toml = String::from_utf8(toml_bytes).map_err(|_| Error::NotUtf8 {
            path: dir.join("site.toml"),
        })?;
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        Site::compile(&name, &toml, &Dir(dir))
    }

    /// Builds a site from `site.toml` text; `body_file`, `raw_file` and
    /// `pages/` are read relative to `base_dir`.
    pub fn from_toml_str(toml: &str, base_dir: &Path) -> Result<Site, Error> {
        Site::compile("", toml, &Dir(base_dir))
    }

    /// Loads `fixtures/<name>` of this workspace (for tests and benchmarks;
    /// an installed binary should use [`embedded_demo`](crate::embedded_demo)).
    pub fn fixture(name: &str) -> Result<Site, Error> {
        Site::load(&fixtures_dir().join(name))
    }

    /// Builds a site from files compiled into the binary.
    pub(crate) fn from_embedded(
        name: &str,
        files: &'static [(&'static str, &'static [u8])],
    ) -> Result<Site, Error> {
        let source = Embedded(files);
        let toml = String::from_utf8(source.read("site.toml")?).map_err(|_| Error::NotUtf8 {
            path: source.display("site.toml"),
        })?;
        Site::compile(name, &toml, &source)
    }

    /// The site's name: `[site] name`, else its folder name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Every path served by a `pages/` file, sorted (e.g. `/`, `/a/`,
    /// `/robots.txt`).
    pub fn page_paths(&self) -> Vec<&str> {
        self.pages.keys().map(String::as_str).collect()
    }

    fn compile(default_name: &str, toml: &str, source: &dyn Source) -> Result<Site, Error> {
        let site_path = source.display("site.toml");
        let file: SiteFile = toml::from_str(toml).map_err(|e| Error::Toml {
            path: site_path.clone(),
            source: Box::new(e),
        })?;
        let routes = file
            .routes
            .into_iter()
            .enumerate()
            .map(|(i, spec)| {
                let route_path = spec.path.clone();
                compile_route(spec, source).map_err(|problem| match problem {
                    Problem::Invalid(reason) => Error::Route {
                        path: site_path.clone(),
                        index: i + 1,
                        route_path,
                        reason,
                    },
                    Problem::Load(error) => error,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let mut pages = BTreeMap::new();
        for rel in source.list("pages")? {
            let bytes = source.read(&rel)?;
            let (url_path, content_type) = page_url(&rel);
            let body = if is_text(content_type) {
                Body::Text(Template::parse(&bytes))
            } else {
                Body::Bytes(bytes)
            };
            pages.insert(url_path, Page { content_type, body });
        }
        let mut by_path: HashMap<String, Vec<usize>> = HashMap::new();
        let mut wildcards = Vec::new();
        for (i, route) in routes.iter().enumerate() {
            match &route.path {
                PathMatch::Any => wildcards.push(i),
                PathMatch::Path(p) => by_path.entry(p.clone()).or_default().push(i),
                PathMatch::Target(t) => {
                    let path = t.split('?').next().unwrap_or_default().to_owned();
                    by_path.entry(path).or_default().push(i);
                }
            }
        }
        Ok(Site {
            name: file.site.name.unwrap_or_else(|| default_name.to_owned()),
            routes,
            pages,
            by_path,
            wildcards,
        })
    }

    /// Finds what answers a request. The most specific route wins: one
    /// matching the host beats a host-less one, an exact path-and-query
    /// beats a path, a path beats `*`; ties go to the earlier route. Pages
    /// answer only when no route does.
    pub(crate) fn lookup(&self, host: Option<&str>, target: &str) -> Lookup<'_> {
        let path = target.split('?').next().unwrap_or_default();
        let mut best: Option<(u8, &Route)> = None;
        let mut candidates: Vec<usize> = self.by_path.get(path).cloned().unwrap_or_default();
        candidates.extend(&self.wildcards);
        candidates.sort_unstable();
        for route in candidates.into_iter().map(|i| &self.routes[i]) {
            let host_score = match &route.host {
                None => 0,
                Some(h) if Some(h.as_str()) == host => 4,
                Some(_) => continue,
            };
            let path_score = match &route.path {
                PathMatch::Target(t) if t == target => 2,
                PathMatch::Path(p) if p == path => 1,
                PathMatch::Any => 0,
                _ => continue,
            };
            let score = host_score + path_score;
            if best.is_none_or(|(s, _)| score > s) {
                best = Some((score, route));
            }
        }
        match (best, self.pages.get(path)) {
            (Some((_, route)), _) => Lookup::Route(route),
            (None, Some(page)) => Lookup::Page(page),
            (None, None) => Lookup::NotFound,
        }
    }
}

/// The workspace's `fixtures/` folder (from this crate's source location).
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}

/// Why a route did not compile.
enum Problem {
    Invalid(String),
    Load(Error),
}

impl From<Error> for Problem {
    fn from(e: Error) -> Problem {
        Problem::Load(e)
    }
}

fn invalid<T>(reason: impl Into<String>) -> Result<T, Problem> {
    Err(Problem::Invalid(reason.into()))
}

fn compile_route(spec: RouteSpec, source: &dyn Source) -> Result<Route, Problem> {
    let path = match spec.path.as_str() {
        "*" => PathMatch::Any,
        p if !p.starts_with('/') => return invalid("path must start with '/' or be '*'"),
        p if p.contains('?') => PathMatch::Target(p.to_owned()),
        p => PathMatch::Path(p.to_owned()),
    };
    for file in [&spec.body_file, &spec.raw_file].into_iter().flatten() {
        if file.starts_with('/') || file.split(['/', '\\']).any(|c| c == "..") {
            return invalid(format!("file {file:?} must be relative, without '..'"));
        }
    }
    let has_body = spec.body.is_some() || spec.body_file.is_some();
    if spec.body.is_some() && spec.body_file.is_some() {
        return invalid("body and body_file are exclusive");
    }
    let action = match (spec.status, &spec.raw, &spec.raw_file) {
        (None, Some(_), Some(_)) => return invalid("raw and raw_file are exclusive"),
        (None, raw, raw_file) if raw.is_some() || raw_file.is_some() => {
            let building = spec.reason.is_some()
                || spec.location.is_some()
                || !spec.headers.is_empty()
                || spec.content_type.is_some()
                || has_body
                || spec.gzip_body
                || spec.never_end
                || spec.gzip_bomb_bytes.is_some()
                || spec.brotli_bomb_bytes.is_some();
            if building {
                return invalid(
                    "a raw route takes only host, path, keep_alive, delay_ms and slow_bytes_ms",
                );
            }
            let bytes = match raw {
                Some(text) => text.as_bytes().to_vec(),
                None => source.read(raw_file.as_deref().unwrap_or_default())?,
            };
            Action::Raw {
                bytes: Template::parse(&bytes),
                keep_alive: spec.keep_alive.unwrap_or(false),
            }
        }
        (Some(status), None, None) => {
            if !(100..=999).contains(&status) {
                return invalid(format!("status {status} is not three digits"));
            }
            if spec.keep_alive.is_some() {
                return invalid("keep_alive is for raw routes only");
            }
            Action::Reply(compile_reply(status, &spec, source)?)
        }
        _ => return invalid("a route needs exactly one of status, raw, raw_file"),
    };
    Ok(Route {
        host: spec.host.map(|h| h.to_ascii_lowercase()),
        path,
        action,
        delay: Duration::from_millis(spec.delay_ms),
        slow_bytes: (spec.slow_bytes_ms > 0).then(|| Duration::from_millis(spec.slow_bytes_ms)),
    })
}

fn compile_reply(status: u16, spec: &RouteSpec, source: &dyn Source) -> Result<Reply, Problem> {
    let has_body = spec.body.is_some() || spec.body_file.is_some();
    if spec.gzip_bomb_bytes.is_some() && (has_body || spec.never_end || spec.gzip_body) {
        return invalid("gzip_bomb_bytes replaces the body");
    }
    if spec.brotli_bomb_bytes.is_some()
        && (has_body || spec.never_end || spec.gzip_body || spec.gzip_bomb_bytes.is_some())
    {
        return invalid("brotli_bomb_bytes replaces the body");
    }
    if spec.never_end && (has_body || spec.gzip_body) {
        return invalid("never_end replaces the body");
    }
    if spec.gzip_body && !has_body {
        return invalid("gzip_body needs body or body_file");
    }
    let mut headers = Vec::new();
    if let Some(location) = &spec.location {
        headers.push(("Location".to_owned(), Template::parse(location.as_bytes())));
    }
    for (name, value) in &spec.headers {
        if name.is_empty() || name.bytes().any(|b| b <= b' ' || b == b':' || b >= 0x7f) {
            return invalid(format!("header name {name:?} is not a token"));
        }
        headers.push((name.clone(), Template::parse(value.as_bytes())));
    }
    let text = match (&spec.body, &spec.body_file) {
        (Some(body), _) => Some((body.as_bytes().to_vec(), "text/html; charset=utf-8")),
        (None, Some(file)) => Some((source.read(file)?, content_type(file))),
        (None, None) => None,
    };
    let bomb = match (spec.gzip_bomb_bytes, spec.brotli_bomb_bytes) {
        (Some(n), _) => Some(("gzip", gzip_zeros(n))),
        (None, Some(n)) => Some(("br", brotli_zeros(n))),
        (None, None) => None,
    };
    let (body, default_type) = match (text, bomb, spec.never_end) {
        (Some((bytes, _)), _, _) if spec.gzip_body => (
            Some(Body::GzipText(Template::parse(&bytes))),
            Some("application/x-gzip"),
        ),
        (Some((bytes, ty)), _, _) => (Some(Body::Text(Template::parse(&bytes))), Some(ty)),
        (None, Some((encoding, bytes)), _) => {
            headers.push((
                "Content-Encoding".to_owned(),
                Template::parse(encoding.as_bytes()),
            ));
            (Some(Body::Bytes(bytes)), Some("text/html; charset=utf-8"))
        }
        (None, None, true) => (None, Some("text/html; charset=utf-8")),
        (None, None, false) => (None, None),
    };
    if let Some(ty) = spec.content_type.as_deref().or(default_type) {
        headers.push(("Content-Type".to_owned(), Template::parse(ty.as_bytes())));
    }
    Ok(Reply {
        status,
        reason: spec
            .reason
            .clone()
            .unwrap_or_else(|| crate::reason::reason(status).to_owned()),
        headers,
        body,
        never_end: spec.never_end,
    })
}

/// Gzip of `n` zero bytes: a small body that inflates enormously.
fn gzip_zeros(n: u64) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    write_zeros(&mut encoder, n);
    encoder.finish().unwrap_or_default()
}

/// Brotli of `n` zero bytes: like [`gzip_zeros`], for `Content-Encoding: br`.
fn brotli_zeros(n: u64) -> Vec<u8> {
    let mut out = Vec::new();
    // Quality 5, window 22: fast, and zeros compress to almost nothing.
    let mut encoder = brotli::CompressorWriter::new(&mut out, 64 * 1024, 5, 22);
    write_zeros(&mut encoder, n);
    drop(encoder);
    out
}

/// Writes `n` zero bytes into an encoder that writes to memory.
fn write_zeros(encoder: &mut impl std::io::Write, n: u64) {
    let block = [0u8; 64 * 1024];
    let mut left = n;
    while left > 0 {
        let len = usize::try_from(left).unwrap_or(usize::MAX).min(block.len());
        // Writing to a Vec cannot fail.
        let _ = encoder.write_all(&block[..len]);
        left -= len as u64;
    }
}

/// `pages/a/index.html` → `/a/`, `pages/x.html` → `/x.html`, with the
/// content type from the extension.
fn page_url(rel: &str) -> (String, &'static str) {
    let under = rel.strip_prefix("pages").unwrap_or(rel);
    let url = match under.strip_suffix("index.html") {
        Some(dir) if dir.ends_with('/') => dir.to_owned(),
        _ => under.to_owned(),
    };
    (url, content_type(rel))
}

/// Content type by file extension.
fn content_type(file: &str) -> &'static str {
    let ext = file.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    match ext.as_deref() {
        Some("html" | "htm") => "text/html; charset=utf-8",
        Some("txt") => "text/plain; charset=utf-8",
        Some("xml") => "application/xml",
        Some("json") => "application/json",
        Some("css") => "text/css",
        Some("js") => "text/javascript",
        Some("gz") => "application/x-gzip",
        _ => "application/octet-stream",
    }
}

/// Whether templates apply (binary files are served byte for byte).
fn is_text(content_type: &str) -> bool {
    content_type.starts_with("text/")
        || content_type.ends_with("xml")
        || content_type.ends_with("json")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(toml: &str) -> Result<Site, Error> {
        Site::from_toml_str(toml, Path::new("/nonexistent"))
    }

    #[test]
    fn page_paths_follow_index_convention() {
        assert_eq!(page_url("pages/index.html").0, "/");
        assert_eq!(page_url("pages/a/index.html").0, "/a/");
        assert_eq!(page_url("pages/about.html").0, "/about.html");
        assert_eq!(page_url("pages/myindex.html").0, "/myindex.html");
        assert_eq!(
            page_url("pages/robots.txt"),
            ("/robots.txt".to_owned(), "text/plain; charset=utf-8")
        );
    }

    #[test]
    fn most_specific_route_wins() {
        let s = site(
            r#"
            [[route]]
            path = "*"
            status = 500
            [[route]]
            path = "/a"
            status = 301
            [[route]]
            path = "/a?x=1"
            status = 302
            [[route]]
            host = "www.t"
            path = "*"
            status = 303
            "#,
        )
        .unwrap();
        let status = |host, target| match s.lookup(host, target) {
            Lookup::Route(Route {
                action: Action::Reply(r),
                ..
            }) => r.status,
            other => panic!("{other:?}"),
        };
        assert_eq!(status(None, "/a"), 301);
        assert_eq!(status(None, "/a?y"), 301);
        assert_eq!(status(None, "/a?x=1"), 302);
        assert_eq!(status(None, "/b"), 500);
        assert_eq!(status(Some("www.t"), "/a?x=1"), 303);
    }

    #[test]
    fn invalid_routes_are_rejected_with_their_index() {
        for (toml, needle) in [
            ("[[route]]\npath = \"x\"\nstatus = 301", "must start with"),
            ("[[route]]\npath = \"/x\"", "exactly one of"),
            (
                "[[route]]\npath = \"/x\"\nstatus = 301\nraw = \"a\"",
                "exactly one of",
            ),
            (
                "[[route]]\npath = \"/x\"\nraw = \"a\"\nlocation = \"/\"",
                "raw route",
            ),
            (
                "[[route]]\npath = \"/x\"\nstatus = 200\nbody_file = \"../a\"",
                "relative",
            ),
            (
                "[[route]]\npath = \"/x\"\nstatus = 200\nheaders = [[\"a b\", \"c\"]]",
                "token",
            ),
        ] {
            let err = site(toml).unwrap_err().to_string();
            assert!(err.contains("route #1") && err.contains(needle), "{err}");
        }
        let err = site("[[route]]\npath = \"/x\"\nstatuz = 301").unwrap_err();
        assert!(matches!(err, Error::Toml { .. }), "{err}");
    }

    #[test]
    fn brotli_bomb_inflates_to_the_requested_size() {
        let bomb = brotli_zeros(1 << 20);
        assert!(bomb.len() < 4096, "{}", bomb.len());
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut brotli::Decompressor::new(&bomb[..], 4096), &mut out)
            .unwrap();
        assert_eq!(out.len(), 1 << 20);
        assert!(out.iter().all(|b| *b == 0));
    }

    #[test]
    fn gzip_bomb_inflates_to_the_requested_size() {
        let bomb = gzip_zeros(1 << 20);
        assert!(bomb.len() < 4096, "{}", bomb.len());
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&bomb[..]), &mut out).unwrap();
        assert_eq!(out.len(), 1 << 20);
    }
}
