//! Which answers the crawler follows (300 only with a Location; 305 and 306
//! never), and what a hop's target is when the link had a fragment.

mod support;

use std::path::Path;

use support::crawl_from;
use testsite::Site;

const SITE: &str = r##"
[[route]]
path = "/"
status = 200
body = """<a href="/x#top">x</a> <a href="/choices">c</a> <a href="/pick">p</a>
<a href="/proxy">proxy</a> <a href="/unused">unused</a>"""

[[route]]
path = "/x"
status = 302
location = "/x/"

[[route]]
path = "/x/"
status = 200
body = "<p>x</p>"

[[route]]
path = "/choices"
status = 300
body = "<p>pick one</p>"

[[route]]
path = "/pick"
status = 300
location = "/en"

[[route]]
path = "/proxy"
status = 305
location = "/via-proxy"

[[route]]
path = "/unused"
status = 306
location = "/via-306"

[[route]]
path = "*"
status = 200
body = "<p>page</p>"
"##;

/// The site above, crawled from `/`.
async fn crawled() -> (testsite::RunningSite, model::CrawlOutput) {
    let site = Site::from_toml_str(SITE, Path::new("/nonexistent"))
        .unwrap()
        .serve()
        .await
        .unwrap();
    let out = crawl_from(&site.url("/"), |_| {}).await;
    (site, out)
}

#[tokio::test]
async fn follows_only_what_browsers_follow() {
    let (site, out) = crawled().await;
    let starts: Vec<String> = out
        .chains
        .iter()
        .map(|c| {
            format!(
                "{} {}",
                c.start.replace(&site.origin(), ""),
                c.status_path()
            )
        })
        .collect();
    // RFC 9110 §15.4.1: a 300 may name a preferred choice in Location; 305
    // and 306 are followed by no browser (§15.4.6, §15.4.7).
    assert_eq!(starts, vec!["/pick 300 → 200", "/x 302 → 200"]);
    assert_eq!(site.request_count("/en"), 1);
    assert_eq!(site.request_count("/via-proxy"), 0);
    assert_eq!(site.request_count("/via-306"), 0);
}

/// Issue 13: `/x` linked as `/x#top` 302 → `/x/`. The fragment a browser
/// carries over is no part of what the server sent: the target is `/x/`,
/// so the hop is a plain trailing-slash redirect.
#[tokio::test]
async fn a_link_fragment_does_not_leak_into_the_target() {
    let (site, out) = crawled().await;
    let x = out
        .chains
        .iter()
        .find(|c| c.start == site.url("/x"))
        .expect("the /x chain");
    assert_eq!(x.hops[0].target.as_deref(), Some(site.url("/x/").as_str()));
}
