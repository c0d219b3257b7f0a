//! `redirect-chain`, `too-many-redirects`, `redirect-to-error`,
//! `mixed-redirect-chain`, `offsite-redirect`: properties of a whole chain,
//! once per chain, reported on its start URL.

use model::{Chain, ChainEnd, FetchErrorKind, Finding, FindingSink, RedirectKind, Severity, Site};

use crate::catalogue::code;
use crate::emit::{finding, finding_at};
use crate::index::Index;
use crate::text::{chain_evidence, chain_urls, esc, plural};

/// Googlebot follows up to 10 hops (Google Search Central, "HTTP status
/// codes, network and DNS errors"): an 11th redirect response means no
/// content within 10 hops. Only redirect responses actually received count;
/// a chain cut by the audit's own limits is never extended by guesswork.
pub(crate) const GOOGLEBOT_MAX_HOPS: usize = 10;

/// Googlebot follows about 5 hops per fetch and the rest on a later crawl
/// (John Mueller): `redirect-chain` becomes an error here.
pub(crate) const CHAIN_ERROR_HOPS: usize = 5;

pub(super) fn check(ix: &Index<'_>, out: &mut dyn FindingSink) {
    for chain in ix.chains.values() {
        if !chain.hops.first().is_some_and(model::Hop::is_redirect) {
            continue;
        }
        let mut push = |mut f: Finding| {
            f.related = chain_urls(chain);
            *f.evidence = chain_evidence(chain);
            out.push(f);
        };
        let n = chain.redirect_count();
        let looped = matches!(chain.end, ChainEnd::Loop { .. });
        let path = chain.status_path();
        if n > GOOGLEBOT_MAX_HOPS {
            push(finding(
                code::TOO_MANY_REDIRECTS,
                &chain.start,
                format!("{n} redirects ({path}): Googlebot stops after {GOOGLEBOT_MAX_HOPS}"),
            ));
        } else if n > 1 && !looped {
            // A loop is reported as such; one chain is one finding, not one
            // per hop (issue 3, "Precision").
            let severity = if n >= CHAIN_ERROR_HOPS {
                Severity::Error
            } else {
                Severity::Warning
            };
            let redirects = plural(n, "redirect", "redirects");
            let last = esc(&chain.last().url);
            let message = match cut_short(&chain.end) {
                None => format!("{redirects} before the final response ({path}) to {last}"),
                // Every hop counted got a redirect response; the rest of the
                // chain is unknown, never guessed (issue 13).
                Some(why) => format!(
                    "at least {redirects} ({path}); not followed to the end: {why} after {last}"
                ),
            };
            push(finding_at(
                code::REDIRECT_CHAIN,
                severity,
                &chain.start,
                message,
            ));
        }
        if let Some(message) = error_end(chain) {
            push(finding(code::REDIRECT_TO_ERROR, &chain.start, message));
        }
        if let Some(message) = mixed(chain) {
            push(finding(code::MIXED_REDIRECT_CHAIN, &chain.start, message));
        }
        if let Some(message) = offsite(chain) {
            push(finding(code::OFFSITE_REDIRECT, &chain.start, message));
        }
    }
}

/// A chain that ends in 4xx/5xx, a failed fetch or a redirect with no usable
/// target. Not-fetched-on-purpose ends (robots, private address) are not
/// errors of the site: the crawler chose not to look.
fn error_end(chain: &Chain) -> Option<String> {
    let last = chain.last();
    let path = chain.status_path();
    let url = esc(&last.url);
    match chain.end {
        ChainEnd::Final => {
            let status = last.status?;
            (status >= 400).then(|| format!("redirects end in a {status} at {url} ({path})"))
        }
        ChainEnd::Failed => {
            let error = last.error.as_ref();
            if error.is_some_and(|e| {
                e.kind.is_not_fetched() && e.kind != FetchErrorKind::UnsupportedScheme
            }) {
                return None;
            }
            let why = error.map_or_else(|| "no response".to_owned(), |e| esc(&e.to_string()));
            Some(format!(
                "redirects end in a failed request to {url}: {why} ({path})"
            ))
        }
        ChainEnd::NoTarget => Some(format!(
            "redirects end at {url}, a redirect without a usable Location ({path})"
        )),
        // The audit's own limits cut these short: not errors of the site
        // (issue 13).
        ChainEnd::Loop { .. } | ChainEnd::TooManyHops | ChainEnd::NotFollowed => None,
    }
}

/// Why a chain was not followed to the end, or `None` when it was.
fn cut_short(end: &ChainEnd) -> Option<&'static str> {
    match end {
        ChainEnd::TooManyHops => Some("the crawler's hop limit (--max-hops) stopped"),
        ChainEnd::NotFollowed => {
            Some("the audit stopped (deadline, interrupt or error-rate safeguard)")
        }
        _ => None,
    }
}

fn mixed(chain: &Chain) -> Option<String> {
    let kinds: Vec<RedirectKind> = chain
        .hops
        .iter()
        .filter_map(|h| h.status.and_then(RedirectKind::of_status))
        .collect();
    (kinds.contains(&RedirectKind::Permanent) && kinds.contains(&RedirectKind::Temporary)).then(
        || {
            format!(
                "chain mixes permanent and temporary redirects ({}): search engines get mixed signals",
                chain.status_path()
            )
        },
    )
}

/// The first hop that is not the same [`Site`] as the chain's start: the
/// http/https and www/non-www variants stay on the site, another subdomain
/// or another explicit port (another origin, RFC 6454 §4) leaves it. A
/// non-web target (`javascript:`, a misspelt scheme) goes to no site at all;
/// `malformed-location` and `redirect-to-error` report it.
fn offsite(chain: &Chain) -> Option<String> {
    let home = Site::parse(&chain.start)?;
    let away = chain.hops.iter().find(|h| {
        url::Url::parse(&h.url)
            .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && !home.contains(&u))
    })?;
    Some(format!("redirects leave {home} for {}", esc(&away.url)))
}
