//! Which URLs belong to the audited site.

use url::Url;

/// The part of the web a crawl covers: same scheme, host and port as the
/// start URL, optionally subdomains too and optionally only under a path
/// prefix. [`Scope::any`] accepts every http(s) URL (list mode).
#[derive(Clone, Debug)]
pub struct Scope {
    scheme: String,
    host: Option<String>,
    port: Option<u16>,
    include_subdomains: bool,
    path_prefix: String,
}

impl Scope {
    /// The site of `start`: same scheme, host and port.
    pub fn site_of(start: &Url) -> Self {
        Self {
            scheme: start.scheme().to_owned(),
            host: start.host_str().map(str::to_ascii_lowercase),
            port: start.port_or_known_default(),
            include_subdomains: false,
            path_prefix: "/".to_owned(),
        }
    }

    /// Every http(s) URL.
    pub fn any() -> Self {
        Self {
            scheme: String::new(),
            host: None,
            port: None,
            include_subdomains: true,
            path_prefix: "/".to_owned(),
        }
    }

    /// Also accept subdomains of the start host, on any scheme and port
    /// (`www.` and `shop.` of `example.com`, and http when starting on https).
    pub fn with_subdomains(mut self, yes: bool) -> Self {
        self.include_subdomains = yes;
        self
    }

    /// Only accept paths starting with `prefix`.
    pub fn with_path_prefix(mut self, prefix: &str) -> Self {
        self.path_prefix = if prefix.starts_with('/') {
            prefix.to_owned()
        } else {
            format!("/{prefix}")
        };
        self
    }

    /// `true` when `url` is inside the scope.
    pub fn contains(&self, url: &Url) -> bool {
        if !matches!(url.scheme(), "http" | "https") {
            return false;
        }
        if !url.path().starts_with(&self.path_prefix) {
            return false;
        }
        let Some(host) = &self.host else {
            return true;
        };
        let Some(url_host) = url.host_str() else {
            return false;
        };
        if self.include_subdomains {
            let bare = host.strip_prefix("www.").unwrap_or(host);
            return url_host == bare
                || url_host
                    .strip_suffix(bare)
                    .is_some_and(|rest| rest.ends_with('.'));
        }
        url.scheme() == self.scheme && url_host == host && url.port_or_known_default() == self.port
    }

    /// The audited host, if the scope has one.
    pub fn host(&self) -> Option<&str> {
        self.host.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn same_scheme_host_port_only_by_default() {
        let scope = Scope::site_of(&url("https://example.com/"));
        assert!(scope.contains(&url("https://example.com/a")));
        assert!(scope.contains(&url("https://EXAMPLE.com:443/a")));
        assert!(!scope.contains(&url("http://example.com/a")));
        assert!(!scope.contains(&url("https://www.example.com/a")));
        assert!(!scope.contains(&url("https://example.com:8443/a")));
        assert!(!scope.contains(&url("mailto:a@example.com")));
    }

    #[test]
    fn subdomains_and_prefix() {
        let scope = Scope::site_of(&url("https://www.example.com/"))
            .with_subdomains(true)
            .with_path_prefix("/blog");
        assert!(scope.contains(&url("http://example.com/blog/x")));
        assert!(scope.contains(&url("https://shop.example.com/blog")));
        assert!(!scope.contains(&url("https://badexample.com/blog")));
        assert!(!scope.contains(&url("https://example.com/shop")));
    }
}
