//! Which URLs belong to the audited site.

use model::Site;
use url::Url;

/// The part of the web a crawl covers: the start URL's [`Site`] (its http and
/// https, www and non-www spellings), optionally its subdomains too and
/// optionally only under a path prefix. [`Scope::any`] accepts every http(s)
/// URL (list mode).
#[derive(Clone, Debug)]
pub struct Scope {
    /// The sites in scope; empty: every host.
    sites: Vec<Site>,
    include_subdomains: bool,
    path_prefix: String,
}

impl Scope {
    /// The site of `start` (see [`Site`]).
    pub fn site_of(start: &Url) -> Self {
        Self {
            sites: vec![Site::of(start)],
            include_subdomains: false,
            path_prefix: "/".to_owned(),
        }
    }

    /// The sites of `urls`, together (list mode: a migration map's sources
    /// and targets are the audited sites; a tracking redirector or another
    /// third party a chain passes through is not). Every http(s) URL when
    /// `urls` is empty.
    pub fn sites_of<'u>(urls: impl IntoIterator<Item = &'u Url>) -> Self {
        let mut sites: Vec<Site> = Vec::new();
        for url in urls {
            if !sites.iter().any(|s| s.contains(url)) {
                sites.push(Site::of(url));
            }
        }
        Self {
            sites,
            include_subdomains: false,
            path_prefix: "/".to_owned(),
        }
    }

    /// Every http(s) URL.
    pub fn any() -> Self {
        Self {
            sites: Vec::new(),
            include_subdomains: true,
            path_prefix: "/".to_owned(),
        }
    }

    /// Also accept subdomains of the start host, on any scheme and port
    /// (`shop.` of `www.example.com`, see [`Site::has_subdomain`]).
    pub fn with_subdomains(mut self, yes: bool) -> Self {
        self.include_subdomains = yes;
        self
    }

    /// Only accept paths starting with `prefix`, on every host in scope.
    pub fn with_path_prefix(mut self, prefix: &str) -> Self {
        self.path_prefix = if prefix.starts_with('/') {
            prefix.to_owned()
        } else {
            format!("/{prefix}")
        };
        self
    }

    /// The path prefix every URL in scope starts with (`/` for a whole site).
    pub fn path_prefix(&self) -> &str {
        &self.path_prefix
    }

    /// `true` when `url` is inside the scope.
    pub fn contains(&self, url: &Url) -> bool {
        if !matches!(url.scheme(), "http" | "https") {
            return false;
        }
        if !url.path().starts_with(&self.path_prefix) {
            return false;
        }
        if self.sites.is_empty() {
            return true;
        }
        self.sites
            .iter()
            .any(|site| site.contains(url) || (self.include_subdomains && site.has_subdomain(url)))
    }

    /// The audited site (the first, in list mode), if the scope has one.
    pub fn site(&self) -> Option<&Site> {
        self.sites.first()
    }

    /// The audited host (the first site's), if the scope has one.
    pub fn host(&self) -> Option<&str> {
        self.site().map(Site::host)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn the_site_and_its_variants_by_default() {
        let scope = Scope::site_of(&url("https://example.com/"));
        assert!(scope.contains(&url("https://example.com/a")));
        assert!(scope.contains(&url("https://EXAMPLE.com:443/a")));
        assert!(scope.contains(&url("http://example.com/a")));
        assert!(scope.contains(&url("https://www.example.com/a")));
        assert!(scope.contains(&url("http://www.example.com/a")));
        assert!(!scope.contains(&url("https://shop.example.com/a")));
        assert!(!scope.contains(&url("https://example.com:8443/a")));
        assert!(!scope.contains(&url("mailto:a@example.com")));
        assert_eq!(scope.host(), Some("example.com"));
    }

    #[test]
    fn prefix_applies_to_every_variant() {
        let scope = Scope::site_of(&url("https://www.example.com/")).with_path_prefix("blog/");
        assert!(scope.contains(&url("https://www.example.com/blog/x")));
        assert!(scope.contains(&url("http://example.com/blog/x")));
        assert!(!scope.contains(&url("http://example.com/shop")));
        assert!(!scope.contains(&url("https://www.example.com/shop")));
    }

    #[test]
    fn any_accepts_every_http_url() {
        let scope = Scope::any();
        assert!(scope.contains(&url("http://anything.test:1/x")));
        assert!(!scope.contains(&url("ftp://anything.test/x")));
        assert_eq!(scope.host(), None);
    }

    #[test]
    fn subdomains_and_prefix() {
        let scope = Scope::site_of(&url("https://www.example.com/"))
            .with_subdomains(true)
            .with_path_prefix("/blog");
        assert!(scope.contains(&url("http://example.com/blog/x")));
        assert!(scope.contains(&url("https://shop.example.com/blog")));
        assert!(scope.contains(&url("http://shop.example.com:8080/blog")));
        assert!(!scope.contains(&url("https://badexample.com/blog")));
        assert!(!scope.contains(&url("https://example.com/shop")));
    }

    #[test]
    fn sites_of_a_list_are_its_sites_only() {
        let scope = Scope::sites_of(&[
            url("https://old.example/a"),
            url("https://www.new.example/b"),
            url("https://old.example/c"),
        ]);
        assert!(scope.contains(&url("http://www.old.example/x")));
        assert!(scope.contains(&url("https://new.example/y")));
        assert!(!scope.contains(&url("https://tracker.example/r")));
        assert!(Scope::sites_of(&[]).contains(&url("https://any.example/")));
    }
}
