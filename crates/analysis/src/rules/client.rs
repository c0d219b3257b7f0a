//! `meta-refresh-redirect`, `js-redirect`: client-side redirects found on a
//! page, once per page and rule, reported on the page that redirects.

use std::collections::BTreeMap;

use model::{Evidence, FindingSink, Link, LinkKind, Severity};

use crate::catalogue::code;
use crate::emit::{finding, finding_at};
use crate::index::Index;
use crate::links::{navigates, refresh_delay};
use crate::text::esc;

pub(super) fn check(ix: &Index<'_>, out: &mut dyn FindingSink) {
    let mut refresh: BTreeMap<&str, &Link> = BTreeMap::new();
    let mut script: BTreeMap<&str, &Link> = BTreeMap::new();
    for link in ix.links() {
        let slot = match link.kind {
            LinkKind::MetaRefresh | LinkKind::RefreshHeader => &mut refresh,
            LinkKind::Script => &mut script,
            _ => continue,
        };
        // A browser does not render the body of a 3xx, and an auto-reload
        // of the page itself is not a redirect.
        let on_redirect = ix
            .responses
            .get(&*link.from)
            .is_some_and(|h| h.is_redirect());
        if on_redirect || !navigates(link) || !ix.in_scope(&link.from) {
            continue;
        }
        slot.entry(&*link.from).or_insert(link);
    }
    for link in refresh.into_values() {
        // Google Search Central, "Redirects and Google Search": an instant
        // meta refresh is a permanent redirect, a delayed one temporary.
        let delay = refresh_delay(link);
        let (severity, reading) = if delay == 0.0 {
            (
                Severity::Notice,
                "instant (0 s): Google reads it as permanent",
            )
        } else {
            (Severity::Warning, "delayed: Google reads it as temporary")
        };
        let source = if link.kind == LinkKind::RefreshHeader {
            "Refresh header"
        } else {
            "meta refresh"
        };
        let mut f = finding_at(
            code::META_REFRESH_REDIRECT,
            severity,
            &link.from,
            format!(
                "{source} redirect after {} s to {}, {reading}; use a server-side 301",
                link.detail()
                    .map_or_else(|| "0".to_owned(), |d| esc(d.trim())),
                esc(&link.to)
            ),
        );
        f.related = vec![link.to.to_string()];
        *f.evidence = evidence(link, Some(format!("kind={}; delay_s={delay}", link.kind)));
        out.push(f);
    }
    for link in script.into_values() {
        let mut f = finding(
            code::JS_REDIRECT,
            &link.from,
            format!(
                "script navigates to {}: Google follows it only after rendering, other crawlers may not at all",
                esc(&link.to)
            ),
        );
        f.related = vec![link.to.to_string()];
        *f.evidence = evidence(link, None);
        out.push(f);
    }
}

fn evidence(link: &Link, detail: Option<String>) -> Evidence {
    Evidence {
        raw_location: Some(esc(link.raw())),
        resolved_target: Some(link.to.to_string()),
        detail,
        ..Evidence::default()
    }
}
