//! One table per single-audit rule: positive and negative cases.

use model::{ChainEnd, FetchErrorKind, LinkKind};

use super::kit::*;
use crate::catalogue::code;

const E: &str = "error";
const W: &str = "warning";
const N: &str = "notice";

#[test]
fn malformed_location() {
    check_rule(
        code::MALFORMED_LOCATION,
        vec![
            (
                "missing colon",
                crawl(vec![
                    chain("/a").redirect(301, "http//example.com/x").status(404),
                ]),
                vec![("/a", E)],
            ),
            (
                "single slash",
                crawl(vec![
                    chain("/b")
                        .redirect(302, "https:/example.com/x")
                        .status(404),
                ]),
                vec![("/b", E)],
            ),
            (
                "non-UTF-8 bytes",
                crawl(vec![
                    chain("/c").redirect_raw(301, &[b"/caf\xe9"]).status(404),
                ]),
                vec![("/c", E)],
            ),
            (
                "a hop shared by two chains is reported once, on the hop",
                crawl(vec![
                    chain("/c1")
                        .redirect(301, "/m")
                        .redirect(301, "htp://example.com/z")
                        .no_target(),
                    chain("/c2")
                        .redirect(301, "/m")
                        .redirect(301, "htp://example.com/z")
                        .no_target(),
                ]),
                vec![("/m", E)],
            ),
            (
                "clean absolute 301",
                crawl(vec![
                    chain("/d").redirect(301, "https://example.com/new").ok(),
                ]),
                vec![],
            ),
            (
                "upper-case scheme and host",
                crawl(vec![
                    chain("/e").redirect(301, "HTTPS://EXAMPLE.COM/new").ok(),
                ]),
                vec![],
            ),
            (
                "scheme-relative",
                crawl(vec![chain("/f").redirect(301, "//example.com/new").ok()]),
                vec![],
            ),
            (
                "defect on a third party's hop is not ours to fix",
                crawl(vec![
                    chain("/g")
                        .redirect(301, "https://other.org/x")
                        .redirect(301, "http//other.org/y")
                        .status(404),
                ]),
                vec![],
            ),
        ],
    );
}

#[test]
fn malformed_location_message_names_defect_raw_browser_and_intent() {
    let out = crawl(vec![
        chain("/old/page")
            .redirect(301, "http//example.com/x")
            .status(404),
    ]);
    let f = findings(&out)
        .into_iter()
        .find(|f| f.rule == code::MALFORMED_LOCATION)
        .unwrap();
    assert_eq!(
        f.message,
        "Location `http//example.com/x` has no colon after the scheme: a browser goes to https://example.com/old/http//example.com/x; probably meant http://example.com/x"
    );
    assert_eq!(
        f.evidence.raw_location.as_deref(),
        Some("http//example.com/x")
    );
    assert_eq!(
        f.evidence.probable_target.as_deref(),
        Some("http://example.com/x")
    );
    assert_eq!(f.evidence.detail.as_deref(), Some("defect=missing-colon"));
    // Control characters are escaped before they reach a report.
    let out = crawl(vec![
        chain("/h").redirect_raw(301, &[b"/a\x1b[2Jb"]).status(404),
    ]);
    let f = findings(&out)
        .into_iter()
        .find(|f| f.rule == code::MALFORMED_LOCATION)
        .unwrap();
    assert!(f.message.contains("`/a\\x1B[2Jb`"), "{}", f.message);
}

#[test]
fn missing_location() {
    check_rule(
        code::MISSING_LOCATION,
        vec![
            (
                "no Location header",
                crawl(vec![chain("/a").redirect_raw(302, &[]).no_target()]),
                vec![("/a", E)],
            ),
            (
                "empty Location",
                crawl(vec![chain("/b").redirect_raw(301, &[b""]).no_target()]),
                vec![("/b", E)],
            ),
            (
                "whitespace-only Location",
                crawl(vec![chain("/c").redirect_raw(301, &[b" \t"]).no_target()]),
                vec![("/c", E)],
            ),
            (
                "304 is not a redirect",
                with(crawl(vec![]), &[("/d", 304)], vec![]),
                vec![],
            ),
            (
                "normal 301",
                crawl(vec![chain("/e").redirect(301, "/new").ok()]),
                vec![],
            ),
        ],
    );
}

#[test]
fn multiple_location() {
    check_rule(
        code::MULTIPLE_LOCATION,
        vec![
            (
                "different values",
                crawl(vec![chain("/a").redirect_raw(301, &[b"/x", b"/y"]).ok()]),
                vec![("/a", E)],
            ),
            (
                "identical values",
                crawl(vec![chain("/b").redirect_raw(301, &[b"/x", b"/x"]).ok()]),
                vec![("/b", W)],
            ),
            (
                "one value",
                crawl(vec![chain("/c").redirect(301, "/x").ok()]),
                vec![],
            ),
        ],
    );
    let out = crawl(vec![chain("/a").redirect_raw(301, &[b"/x", b"/y"]).ok()]);
    let f = findings(&out)
        .into_iter()
        .find(|f| f.rule == code::MULTIPLE_LOCATION)
        .unwrap();
    assert!(f.message.contains("different values"), "{}", f.message);
}

#[test]
fn relative_location() {
    check_rule(
        code::RELATIVE_LOCATION,
        vec![
            (
                "root-relative path",
                crawl(vec![chain("/a").redirect(301, "/new").ok()]),
                vec![("/a", N)],
            ),
            (
                "query only",
                crawl(vec![chain("/b").redirect(301, "?page=2").ok()]),
                vec![("/b", N)],
            ),
            (
                "absolute",
                crawl(vec![
                    chain("/c").redirect(301, "https://example.com/new").ok(),
                ]),
                vec![],
            ),
            (
                "malformed is not also relative",
                crawl(vec![
                    chain("/d").redirect(301, "http//example.com/x").status(404),
                ]),
                vec![],
            ),
        ],
    );
}

#[test]
fn redirect_chain() {
    check_rule(
        code::REDIRECT_CHAIN,
        vec![
            ("single 301", crawl(vec![long_chain(1)]), vec![]),
            ("two hops", crawl(vec![long_chain(2)]), vec![("/c0", W)]),
            ("four hops", crawl(vec![long_chain(4)]), vec![("/c0", W)]),
            ("five hops", crawl(vec![long_chain(5)]), vec![("/c0", E)]),
            ("ten hops", crawl(vec![long_chain(10)]), vec![("/c0", E)]),
            (
                "eleven hops is too-many instead",
                crawl(vec![long_chain(11)]),
                vec![],
            ),
            (
                "loop is redirect-loop instead",
                crawl(vec![
                    chain("/a").redirect(301, "/b").redirect(301, "/a").looped(),
                ]),
                vec![],
            ),
            (
                "chain ending in 404 is still a chain",
                crawl(vec![
                    chain("/x")
                        .redirect(301, "/y")
                        .redirect(301, "/z")
                        .status(404),
                ]),
                vec![("/x", W)],
            ),
        ],
    );
}

#[test]
fn a_chain_cut_short_is_at_least_that_long() {
    let cases = [
        (ChainEnd::NotFollowed, "the audit stopped"),
        (ChainEnd::TooManyHops, "--max-hops"),
    ];
    for (end, why) in cases {
        let out = crawl(vec![cut_chain(3, end.clone())]);
        let found = findings(&out);
        let chain: Vec<_> = found
            .iter()
            .filter(|f| f.rule == code::REDIRECT_CHAIN)
            .collect();
        assert_eq!(chain.len(), 1, "{end:?}: {found:?}");
        let message = &chain[0].message;
        assert!(
            message.starts_with("at least 3 redirects (301 → 301 → 301); not followed to the end"),
            "{message}"
        );
        assert!(message.contains(why), "{message}");
        // The final URL is not known.
        assert_eq!(chain[0].evidence.final_url, None);
        assert!(
            !found.iter().any(|f| f.rule == code::REDIRECT_TO_ERROR),
            "{found:?}"
        );
    }
}

#[test]
fn too_many_redirects() {
    check_rule(
        code::TOO_MANY_REDIRECTS,
        vec![
            ("ten hops", crawl(vec![long_chain(10)]), vec![]),
            ("eleven hops", crawl(vec![long_chain(11)]), vec![("/c0", E)]),
            ("twenty hops", crawl(vec![long_chain(20)]), vec![("/c0", E)]),
            // Issue 13: only redirect responses received count, never the
            // hops the audit did not follow.
            (
                "ten redirects, then the audit stopped",
                crawl(vec![cut_chain(10, ChainEnd::NotFollowed)]),
                vec![],
            ),
            (
                "ten redirects, then the hop limit",
                crawl(vec![cut_chain(10, ChainEnd::TooManyHops)]),
                vec![],
            ),
            // An 11th redirect response means no content within 10 hops,
            // whatever follows it.
            (
                "eleven redirect responses, then the hop limit",
                crawl(vec![cut_chain(11, ChainEnd::TooManyHops)]),
                vec![("/c0", E)],
            ),
            (
                "eleven redirect responses, then the audit stopped",
                crawl(vec![cut_chain(11, ChainEnd::NotFollowed)]),
                vec![("/c0", E)],
            ),
        ],
    );
}

#[test]
fn redirect_loop() {
    let http_loop = crawl(vec![
        chain("/a").redirect(301, "/b").redirect(302, "/a").looped(),
    ]);
    let client_closes = with(
        crawl(vec![chain("/x").redirect(301, "/y").ok()]),
        &[],
        vec![refresh("/y", "/x", "0")],
    );
    let client_only = with(
        crawl(vec![]),
        &[("/p", 200), ("/q", 200)],
        vec![refresh("/p", "/q", "0"), link("/q", "/p", LinkKind::Script)],
    );
    let auto_reload = with(
        crawl(vec![]),
        &[("/r", 200)],
        vec![refresh("/r", "/r", "300")],
    );
    let instant_self = with(
        crawl(vec![]),
        &[("/s", 200)],
        vec![refresh("/s", "/s", "0")],
    );
    let refresh_elsewhere = with(
        crawl(vec![chain("/m").redirect(301, "/n").ok()]),
        &[("/o", 200)],
        vec![refresh("/n", "/o", "0")],
    );
    let plain_anchor_back = with(
        crawl(vec![chain("/k").redirect(301, "/l").ok()]),
        &[],
        vec![link("/l", "/k", LinkKind::Anchor)],
    );
    check_rule(
        code::REDIRECT_LOOP,
        vec![
            ("HTTP loop", http_loop, vec![("/a", E)]),
            (
                "meta refresh closes the loop",
                client_closes,
                vec![("/x", E)],
            ),
            (
                "refresh and script only, reported once",
                client_only,
                vec![("/p", E)],
            ),
            (
                "delayed self refresh is an auto-reload",
                auto_reload,
                vec![],
            ),
            ("instant self refresh", instant_self, vec![("/s", E)]),
            ("refresh to another page", refresh_elsewhere, vec![]),
            (
                "an anchor back is not a redirect",
                plain_anchor_back,
                vec![],
            ),
            ("clean chain", crawl(vec![long_chain(2)]), vec![]),
        ],
    );
    let out = with(
        crawl(vec![chain("/x").redirect(301, "/y").ok()]),
        &[],
        vec![refresh("/y", "/x", "0")],
    );
    let f = findings(&out)
        .into_iter()
        .find(|f| f.rule == code::REDIRECT_LOOP)
        .unwrap();
    assert!(f.message.contains("client-side"), "{}", f.message);
    assert!(f.message.contains("--[meta-refresh]-->"), "{}", f.message);
}

#[test]
fn redirect_to_error() {
    check_rule(
        code::REDIRECT_TO_ERROR,
        vec![
            (
                "ends in 404",
                crawl(vec![chain("/a").redirect(301, "/gone").status(404)]),
                vec![("/a", E)],
            ),
            (
                "ends in 503",
                crawl(vec![chain("/b").redirect(302, "/down").status(503)]),
                vec![("/b", E)],
            ),
            (
                "ends in a timeout",
                crawl(vec![
                    chain("/c")
                        .redirect(301, "/slow")
                        .failed(FetchErrorKind::Timeout),
                ]),
                vec![("/c", E)],
            ),
            (
                "ends without a target",
                crawl(vec![
                    chain("/d")
                        .redirect(301, "/e")
                        .redirect_raw(302, &[])
                        .no_target(),
                ]),
                vec![("/d", E)],
            ),
            (
                "ends at an unsupported scheme",
                crawl(vec![
                    chain("/f")
                        .redirect(301, "ftp://example.com/f")
                        .failed(FetchErrorKind::UnsupportedScheme),
                ]),
                vec![("/f", E)],
            ),
            (
                "ends in 200",
                crawl(vec![chain("/g").redirect(301, "/ok").ok()]),
                vec![],
            ),
            // Issue 13: a chain cut by the audit's own limits is not
            // followed to the end, never an error of the site.
            (
                "target not fetched before the deadline",
                crawl(vec![chain("/i").redirect(302, "/slow").not_followed()]),
                vec![],
            ),
            (
                "stopped by the hop limit",
                crawl(vec![
                    chain("/j")
                        .redirect(301, "/k")
                        .redirect(301, "/l")
                        .hop_limit(),
                ]),
                vec![],
            ),
            (
                "target blocked by robots: unknown, not an error",
                crawl(vec![
                    chain("/h")
                        .redirect(301, "/private")
                        .failed(FetchErrorKind::BlockedByRobots),
                ]),
                vec![],
            ),
            (
                "loop",
                crawl(vec![
                    chain("/i").redirect(301, "/j").redirect(301, "/i").looped(),
                ]),
                vec![],
            ),
        ],
    );
}

#[test]
fn https_downgrade() {
    check_rule(
        code::HTTPS_DOWNGRADE,
        vec![
            (
                "https to http",
                crawl(vec![chain("/a").redirect(301, "http://example.com/a").ok()]),
                vec![("/a", W)],
            ),
            (
                "http to https",
                crawl(vec![
                    chain("http://example.com/b")
                        .redirect(301, "https://example.com/b")
                        .ok(),
                ]),
                vec![],
            ),
            (
                "downgrade by a third party's hop",
                crawl(vec![
                    chain("/c")
                        .redirect(301, "https://other.org/c")
                        .redirect(301, "http://other.org/c")
                        .ok(),
                ]),
                vec![],
            ),
        ],
    );
}

#[test]
fn mixed_redirect_chain() {
    check_rule(
        code::MIXED_REDIRECT_CHAIN,
        vec![
            (
                "301 then 302",
                crawl(vec![
                    chain("/a").redirect(301, "/b").redirect(302, "/c").ok(),
                ]),
                vec![("/a", W)],
            ),
            (
                "301 then 308",
                crawl(vec![
                    chain("/d").redirect(301, "/e").redirect(308, "/f").ok(),
                ]),
                vec![],
            ),
            (
                "302 then 307",
                crawl(vec![
                    chain("/g").redirect(302, "/h").redirect(307, "/i").ok(),
                ]),
                vec![],
            ),
        ],
    );
}

#[test]
fn offsite_redirect() {
    check_rule(
        code::OFFSITE_REDIRECT,
        vec![
            (
                "to another host",
                crawl(vec![chain("/a").redirect(301, "https://other.org/").ok()]),
                vec![("/a", N)],
            ),
            (
                "leaves in the second hop",
                crawl(vec![
                    chain("/b")
                        .redirect(301, "/c")
                        .redirect(302, "https://other.org/")
                        .ok(),
                ]),
                vec![("/b", N)],
            ),
            (
                "www toggle stays on the site",
                crawl(vec![
                    chain("/d").redirect(301, "https://www.example.com/d").ok(),
                ]),
                vec![],
            ),
            (
                "same host",
                crawl(vec![chain("/e").redirect(301, "/f").ok()]),
                vec![],
            ),
            (
                // Issue 13: another port is another origin (RFC 6454), www or not.
                "another port is another site",
                crawl(vec![
                    chain("/port")
                        .redirect(301, "http://www.example.com:8443/p")
                        .ok(),
                ]),
                vec![("/port", N)],
            ),
            (
                "http and www variants on default ports stay on the site",
                crawl(vec![
                    chain("/g")
                        .redirect(301, "http://www.example.com:80/g")
                        .redirect(301, "https://example.com:443/g/")
                        .ok(),
                ]),
                vec![],
            ),
            (
                "another subdomain is another site",
                crawl(vec![
                    chain("/h").redirect(301, "https://shop.example.com/h").ok(),
                ]),
                vec![("/h", N)],
            ),
            (
                "a non-web target is no site (malformed-location reports it)",
                crawl(vec![
                    chain("/j")
                        .redirect(302, "javascript:go()")
                        .failed(FetchErrorKind::UnsupportedScheme),
                ]),
                vec![],
            ),
        ],
    );
    let out = crawl(vec![
        chain("/port")
            .redirect(301, "http://www.example.com:8443/p")
            .ok(),
    ]);
    let f = findings(&out)
        .into_iter()
        .find(|f| f.rule == code::OFFSITE_REDIRECT)
        .unwrap();
    assert_eq!(
        f.message,
        "redirects leave example.com for http://www.example.com:8443/p"
    );
}

#[test]
fn temporary_redirect() {
    check_rule(
        code::TEMPORARY_REDIRECT,
        vec![
            (
                "302 move",
                crawl(vec![chain("/a").redirect(302, "/b").ok()]),
                vec![("/a", N)],
            ),
            (
                "307 move",
                crawl(vec![chain("/c").redirect(307, "/d").ok()]),
                vec![("/c", N)],
            ),
            (
                "303 move",
                crawl(vec![chain("/e").redirect(303, "/f").ok()]),
                vec![("/e", N)],
            ),
            (
                "301",
                crawl(vec![chain("/g").redirect(301, "/h").ok()]),
                vec![],
            ),
            (
                "canonicalising 302 is reported by the specific rule",
                crawl(vec![chain("/i").redirect(302, "/i/").ok()]),
                vec![],
            ),
            (
                "second hop of a chain is reported on the hop",
                crawl(vec![
                    chain("/j").redirect(301, "/k").redirect(302, "/l").ok(),
                ]),
                vec![("/k", N)],
            ),
        ],
    );
}

#[test]
fn temporary_redirect_looks_permanent() {
    check_rule(
        code::TEMPORARY_LOOKS_PERMANENT,
        vec![
            (
                "trailing slash",
                crawl(vec![chain("/a").redirect(302, "/a/").ok()]),
                vec![("/a", W)],
            ),
            (
                "http to https",
                crawl(vec![
                    chain("http://example.com/b")
                        .redirect(307, "https://example.com/b")
                        .ok(),
                ]),
                vec![("http://example.com/b", W)],
            ),
            (
                "www toggle",
                crawl(vec![
                    chain("/c").redirect(302, "https://www.example.com/c").ok(),
                ]),
                vec![("/c", W)],
            ),
            (
                "case",
                crawl(vec![chain("/About").redirect(302, "/about").ok()]),
                vec![("/About", W)],
            ),
            (
                "index file",
                crawl(vec![chain("/index.html").redirect(302, "/").ok()]),
                vec![("/index.html", W)],
            ),
            (
                "real move",
                crawl(vec![chain("/d").redirect(302, "/e").ok()]),
                vec![],
            ),
            (
                "canonicalisation plus a query change",
                crawl(vec![chain("/f").redirect(302, "/f/?from=old").ok()]),
                vec![],
            ),
            (
                "already permanent",
                crawl(vec![chain("/g").redirect(301, "/g/").ok()]),
                vec![],
            ),
        ],
    );
}

#[test]
fn meta_refresh_redirect() {
    let header = model::Link {
        kind: LinkKind::RefreshHeader,
        ..refresh("/h", "/i", "0")
    };
    check_rule(
        code::META_REFRESH_REDIRECT,
        vec![
            (
                "instant",
                with(
                    crawl(vec![]),
                    &[("/a", 200), ("/b", 200)],
                    vec![refresh("/a", "/b", "0")],
                ),
                vec![("/a", N)],
            ),
            (
                "delayed",
                with(
                    crawl(vec![]),
                    &[("/c", 200), ("/d", 200)],
                    vec![refresh("/c", "/d", "5")],
                ),
                vec![("/c", W)],
            ),
            (
                "Refresh header",
                with(crawl(vec![]), &[("/h", 200), ("/i", 200)], vec![header]),
                vec![("/h", N)],
            ),
            (
                "two refreshes on one page: one finding",
                with(
                    crawl(vec![]),
                    &[("/e", 200)],
                    vec![refresh("/e", "/x", "0"), refresh("/e", "/y", "3")],
                ),
                vec![("/e", N)],
            ),
            (
                "auto-reload of the page itself",
                with(
                    crawl(vec![]),
                    &[("/f", 200)],
                    vec![refresh("/f", "/f", "60")],
                ),
                vec![],
            ),
            (
                "body of a 3xx is not rendered",
                with(
                    crawl(vec![chain("/g").redirect(301, "/ok").ok()]),
                    &[],
                    vec![refresh("/g", "/elsewhere", "0")],
                ),
                vec![],
            ),
            (
                "an anchor is not a refresh",
                with(
                    crawl(vec![]),
                    &[("/j", 200)],
                    vec![link("/j", "/k", LinkKind::Anchor)],
                ),
                vec![],
            ),
        ],
    );
}

#[test]
fn js_redirect() {
    check_rule(
        code::JS_REDIRECT,
        vec![
            (
                "script navigation",
                with(
                    crawl(vec![]),
                    &[("/a", 200)],
                    vec![link("/a", "/b", LinkKind::Script)],
                ),
                vec![("/a", W)],
            ),
            (
                "anchor",
                with(
                    crawl(vec![]),
                    &[("/c", 200)],
                    vec![link("/c", "/d", LinkKind::Anchor)],
                ),
                vec![],
            ),
            (
                "meta refresh is its own rule",
                with(
                    crawl(vec![]),
                    &[("/e", 200)],
                    vec![refresh("/e", "/f", "0")],
                ),
                vec![],
            ),
        ],
    );
}

/// Shared table for the four reference rules.
fn reference_cases(kind: LinkKind) -> Vec<Case<'static>> {
    let redirecting = || crawl(vec![chain("/old").redirect(301, "/new").ok()]);
    let pages: &[(&str, u16)] = &[
        ("/p1", 200),
        ("/p2", 200),
        ("/p3", 200),
        ("/new", 200),
        ("/fine", 200),
    ];
    let other = if kind == LinkKind::Anchor {
        LinkKind::Canonical
    } else {
        LinkKind::Anchor
    };
    vec![
        (
            "three referrers, one finding",
            with(
                redirecting(),
                pages,
                vec![
                    link("/p1", "/old", kind),
                    link("/p2", "/old", kind),
                    link("/p3", "/old", kind),
                ],
            ),
            vec![("/old", W)],
        ),
        (
            "reference to a 200",
            with(redirecting(), pages, vec![link("/p1", "/fine", kind)]),
            vec![],
        ),
        (
            "another kind of reference",
            with(redirecting(), pages, vec![link("/p1", "/old", other)]),
            vec![],
        ),
    ]
}

#[test]
fn link_to_redirect() {
    check_rule(code::LINK_TO_REDIRECT, reference_cases(LinkKind::Anchor));
    let out = with(
        crawl(vec![chain("/old").redirect(301, "/new").ok()]),
        &[("/p1", 200), ("/p2", 200)],
        vec![
            link("/p2", "/old", LinkKind::Anchor),
            link("/p1", "/old", LinkKind::Anchor),
            link("/p1", "/old", LinkKind::Anchor),
        ],
    );
    let f = findings(&out)
        .into_iter()
        .find(|f| f.rule == code::LINK_TO_REDIRECT)
        .unwrap();
    assert_eq!(f.evidence.linking_pages, Some(2));
    assert_eq!(f.evidence.sample_linking_page, Some(u("/p1")));
    assert_eq!(f.related, vec![u("/p1"), u("/p2")]);
    assert_eq!(f.evidence.final_url, Some(u("/new")));

    // A large crawl keeps a sample of the referrers and their full count.
    let mut sampled = out.clone();
    sampled.referrers = vec![model::ReferrerCount {
        kind: LinkKind::Anchor,
        to: u("/old"),
        pages: 40,
    }];
    let f = findings(&sampled)
        .into_iter()
        .find(|f| f.rule == code::LINK_TO_REDIRECT)
        .unwrap();
    assert_eq!(f.evidence.linking_pages, Some(40));
    assert!(f.message.contains("40 pages"), "{}", f.message);
    assert_eq!(f.related, vec![u("/p1"), u("/p2")]);
}

#[test]
fn link_to_redirect_from_a_page_without_a_record_is_judged_by_the_site() {
    // With no page record (a plain 200 left on disk), scope falls back to
    // the start URL's site: its http and www variants are in, another
    // port is another origin (issue 13).
    let from = |page: &str| {
        with(
            crawl(vec![chain("/old").redirect(301, "/new").ok()]),
            &[],
            vec![link(page, "/old", LinkKind::Anchor)],
        )
    };
    check_rule(
        code::LINK_TO_REDIRECT,
        vec![
            (
                "the http www variant",
                from("http://www.example.com/p"),
                vec![("/old", W)],
            ),
            ("another port", from("https://example.com:8443/p"), vec![]),
            (
                "another subdomain",
                from("https://shop.example.com/p"),
                vec![],
            ),
        ],
    );
}

#[test]
fn canonical_to_redirect() {
    check_rule(
        code::CANONICAL_TO_REDIRECT,
        reference_cases(LinkKind::Canonical),
    );
}

#[test]
fn hreflang_to_redirect() {
    check_rule(
        code::HREFLANG_TO_REDIRECT,
        reference_cases(LinkKind::Hreflang),
    );
}

#[test]
fn sitemap_lists_redirect() {
    check_rule(
        code::SITEMAP_LISTS_REDIRECT,
        reference_cases(LinkKind::Sitemap),
    );
}

#[test]
fn a_clean_single_absolute_301_has_no_finding() {
    let out = crawl(vec![
        chain("/a").redirect(301, "https://example.com/b").ok(),
    ]);
    assert_eq!(findings(&out), vec![]);
}

/// Issue 13: a host without a scheme is at most a warning; a relative path
/// whose first segment has a dot is no finding at all.
#[test]
fn malformed_location_host_without_scheme_is_a_warning() {
    check_rule(
        code::MALFORMED_LOCATION,
        vec![
            (
                "www host without scheme",
                crawl(vec![
                    chain("/a").redirect(301, "www.example.com/x").status(404),
                ]),
                vec![("/a", W)],
            ),
            (
                "relative path to a file",
                crawl(vec![chain("/b").redirect(301, "www.html").ok()]),
                vec![],
            ),
            (
                "invisible characters stay an error",
                crawl(vec![chain("/c").redirect(301, "/new\u{a0}").status(404)]),
                vec![("/c", E)],
            ),
        ],
    );
    let out = crawl(vec![chain("/c").redirect(301, "/new\u{a0}").status(404)]);
    let f = findings(&out)
        .into_iter()
        .find(|f| f.rule == code::MALFORMED_LOCATION)
        .unwrap();
    assert!(f.message.contains("(U+00A0)"), "{}", f.message);
}

/// Issue 13: an IRI or disallowed ASCII is a notice showing the URL a
/// browser requests; a relative one is still `relative-location` too.
#[test]
fn unencoded_location() {
    check_rule(
        "unencoded-location",
        vec![
            (
                "IRI path",
                crawl(vec![chain("/a").redirect(301, "/café").ok()]),
                vec![("/a", N)],
            ),
            (
                "pipe",
                crawl(vec![
                    chain("/b").redirect(301, "https://example.com/a|b").ok(),
                ]),
                vec![("/b", N)],
            ),
            (
                "encoded",
                crawl(vec![chain("/c").redirect(301, "/caf%C3%A9").ok()]),
                vec![],
            ),
        ],
    );
    let out = crawl(vec![chain("/a").redirect(301, "/café").ok()]);
    let all = findings(&out);
    let f = all.iter().find(|f| f.rule == "unencoded-location").unwrap();
    assert!(
        f.message
            .ends_with("a browser requests https://example.com/caf%C3%A9"),
        "{}",
        f.message
    );
    assert!(all.iter().any(|f| f.rule == code::RELATIVE_LOCATION));
    assert!(all.iter().all(|f| f.rule != code::MALFORMED_LOCATION));
}
