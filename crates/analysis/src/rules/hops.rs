//! `https-downgrade`, `temporary-redirect`,
//! `temporary-redirect-looks-permanent`: the status and direction of one
//! redirecting response, once per redirecting URL in scope.

use model::{Evidence, FindingSink};
use url::Url;

use crate::catalogue::code;
use crate::classes::{RedirectClass, is_canonicalisation, redirect_classes};
use crate::emit::finding;
use crate::index::Index;
use crate::text::{capped, esc};

pub(super) fn check(ix: &Index<'_>, out: &mut dyn FindingSink) {
    for hop in ix.redirecting_hops() {
        let (Some(status), Some(target)) = (hop.status, hop.target.as_deref()) else {
            continue; // no usable target: the Location rules cover it
        };
        let (Ok(from), Ok(to)) = (Url::parse(&hop.url), Url::parse(target)) else {
            continue;
        };
        let classes = redirect_classes(&from, &to);
        let class_list = classes
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let related = capped(ix.chain_starts_through(&hop.url));
        let evidence = Evidence {
            status_chain: Some(status.to_string()),
            resolved_target: Some(target.to_owned()),
            detail: Some(format!("classes={class_list}")),
            ..Evidence::default()
        };
        let mut push = |code: &str, message: String| {
            let mut f = finding(code, &hop.url, message);
            f.related.clone_from(&related);
            *f.evidence = evidence.clone();
            out.push(f);
        };
        let target = esc(target);
        if classes.contains(&RedirectClass::SchemeDowngrade) {
            push(
                code::HTTPS_DOWNGRADE,
                format!("{status} redirect downgrades https to http: {target}"),
            );
        }
        if model::is_temporary_status(status) {
            // Google Search Central, "Redirects and Google Search": 302/303/307
            // are temporary, the source usually stays indexed.
            if is_canonicalisation(&classes) {
                push(
                    code::TEMPORARY_LOOKS_PERMANENT,
                    format!(
                        "{status} (temporary) redirect only canonicalises the URL ({class_list}) to {target}: its intent is permanent, so answer 301 or 308"
                    ),
                );
            }
            // Also when a more specific rule fired: `analyze` drops this
            // notice then, unless that rule is ignored.
            push(
                code::TEMPORARY_REDIRECT,
                format!("{status} (temporary) redirect to {target}"),
            );
        }
    }
}
