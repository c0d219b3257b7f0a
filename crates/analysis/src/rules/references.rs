//! `link-to-redirect`, `canonical-to-redirect`, `hreflang-to-redirect`,
//! `sitemap-lists-redirect`: references to a URL that redirects. One finding
//! per redirecting URL and rule, however many pages refer to it; the pages are
//! counted in the evidence.

use std::collections::{BTreeMap, BTreeSet};

use model::{FindingSink, LinkKind};

use crate::catalogue::code;
use crate::emit::finding;
use crate::index::Index;
use crate::text::{capped, chain_evidence, esc, plural};

pub(super) fn check(ix: &Index<'_>, out: &mut dyn FindingSink) {
    // (rule, target) → referring pages
    let mut refs: BTreeMap<(LinkKind, &str), BTreeSet<&str>> = BTreeMap::new();
    for link in ix.links() {
        let relevant = match link.kind {
            // Internal links only: a crawled page inside the scope.
            LinkKind::Anchor => ix.in_scope(&link.from) && ix.in_scope(&link.to),
            LinkKind::Canonical | LinkKind::Hreflang | LinkKind::Sitemap => true,
            _ => false,
        };
        if relevant && link.from != link.to && ix.redirect_chain(&link.to).is_some() {
            refs.entry((link.kind, &*link.to))
                .or_default()
                .insert(&*link.from);
        }
    }
    for ((kind, target), from) in refs {
        let chain = ix.redirect_chain(target).expect("filtered above");
        let (rule, what, noun) = match kind {
            LinkKind::Anchor => (code::LINK_TO_REDIRECT, "internal link", ("page", "pages")),
            LinkKind::Canonical => (code::CANONICAL_TO_REDIRECT, "canonical", ("page", "pages")),
            LinkKind::Hreflang => (
                code::HREFLANG_TO_REDIRECT,
                "hreflang alternate",
                ("page", "pages"),
            ),
            _ => (
                code::SITEMAP_LISTS_REDIRECT,
                "sitemap entry",
                ("sitemap", "sitemaps"),
            ),
        };
        // A large crawl keeps a sample of the referrers and counts them all.
        let count = ix.output.referrer_count(kind, target, from.len());
        let sample = from.first().map(|s| (*s).to_owned());
        let mut f = finding(
            rule,
            target,
            format!(
                "{what} on {} points at a redirect ({}) to {}: use the final URL",
                plural(count, noun.0, noun.1),
                chain.status_path(),
                esc(&chain.last().url)
            ),
        );
        f.related = capped(from.iter().map(|s| (*s).to_owned()).collect());
        *f.evidence = chain_evidence(chain);
        f.evidence.linking_pages = Some(count);
        f.evidence.sample_linking_page = sample;
        out.push(f);
    }
}
