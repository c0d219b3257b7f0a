//! The `site.toml` format as written on disk (see `fixtures/README.md`).
//! Validation and compilation into serveable routes happen in `site`.

use serde::Deserialize;

/// A whole `site.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SiteFile {
    /// Optional `[site]` table.
    #[serde(default)]
    pub(crate) site: SiteMeta,
    /// The `[[route]]` tables, in file order.
    #[serde(default, rename = "route")]
    pub(crate) routes: Vec<RouteSpec>,
}

/// The `[site]` table: documentation only.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SiteMeta {
    /// A short name; defaults to the folder name.
    pub(crate) name: Option<String>,
    /// What the site is for.
    #[expect(dead_code, reason = "documentation for people reading site.toml")]
    pub(crate) description: Option<String>,
}

/// One `[[route]]` table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RouteSpec {
    /// Only for requests whose `Host` name (without port) is this.
    pub(crate) host: Option<String>,
    /// `/path`, `/path?query` (exact target) or `*` (any path).
    pub(crate) path: String,
    /// What the route demonstrates; documentation only.
    #[expect(dead_code, reason = "documentation for people reading site.toml")]
    pub(crate) note: Option<String>,
    pub(crate) status: Option<u16>,
    pub(crate) reason: Option<String>,
    pub(crate) location: Option<String>,
    #[serde(default)]
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) content_type: Option<String>,
    pub(crate) body: Option<String>,
    pub(crate) body_file: Option<String>,
    #[serde(default)]
    pub(crate) gzip_body: bool,
    pub(crate) raw: Option<String>,
    pub(crate) raw_file: Option<String>,
    pub(crate) keep_alive: Option<bool>,
    #[serde(default)]
    pub(crate) delay_ms: u64,
    #[serde(default)]
    pub(crate) slow_bytes_ms: u64,
    #[serde(default)]
    pub(crate) never_end: bool,
    pub(crate) gzip_bomb_bytes: Option<u64>,
    pub(crate) brotli_bomb_bytes: Option<u64>,
}
