//! `malformed-location`, `missing-location`, `multiple-location`,
//! `relative-location`, `unencoded-location`: defects of one response's Location header, once per
//! redirecting URL in scope.

use model::{Evidence, Finding, FindingSink, Hop, RawValue, Severity};
use url::Url;

use crate::catalogue::code;
use crate::emit::{finding, finding_at};
use crate::index::Index;
use crate::location::{LocationDefect, classify_location, first_invisible};
use crate::text::{capped, esc};

pub(super) fn check(ix: &Index<'_>, out: &mut dyn FindingSink) {
    for hop in ix.redirecting_hops() {
        let Ok(base) = Url::parse(&hop.url) else {
            continue;
        };
        let related = capped(ix.chain_starts_through(&hop.url));
        let status = hop.status.unwrap_or_default();
        let mut push = |mut f: Finding| {
            f.related.clone_from(&related);
            out.push(f);
        };
        if hop.locations.len() > 1 {
            push(multiple(hop));
        }
        let Some(first) = hop.locations.first() else {
            push(finding(
                code::MISSING_LOCATION,
                &hop.url,
                format!("{status} redirect has no Location header: clients have nowhere to go"),
            ));
            continue;
        };
        let verdict = classify_location(first.as_bytes(), &base);
        let raw = first.escaped();
        let evidence = Evidence {
            raw_location: Some(raw.clone()),
            resolved_target: verdict.browser_target.clone(),
            probable_target: verdict.probable_target.clone(),
            detail: verdict.defect.map(|d| format!("defect={d}")),
            ..Evidence::default()
        };
        match verdict.defect {
            Some(LocationDefect::Empty) => {
                let mut f = finding(
                    code::MISSING_LOCATION,
                    &hop.url,
                    format!(
                        "{status} redirect has an empty Location header (`{raw}`): clients have nowhere to go"
                    ),
                );
                *f.evidence = evidence;
                push(f);
            }
            Some(defect @ (LocationDefect::NonAscii | LocationDefect::DisallowedCharacters)) => {
                let browser = verdict
                    .browser_target
                    .as_deref()
                    .map_or_else(String::new, esc);
                let mut f = finding(
                    code::UNENCODED_LOCATION,
                    &hop.url,
                    format!(
                        "Location `{raw}` has {}, which a URI cannot hold unencoded (RFC 3986 §2): a browser requests {browser}",
                        defect.description()
                    ),
                );
                *f.evidence = evidence.clone();
                push(f);
                // Still a relative reference, tracked as such.
                if verdict.relative {
                    push(relative(
                        &hop.url,
                        &raw,
                        verdict.browser_target.as_deref(),
                        evidence,
                    ));
                }
            }
            Some(defect) => {
                let browser = verdict
                    .browser_target
                    .as_deref()
                    .map_or_else(|| "nowhere (it cannot be resolved)".to_owned(), esc);
                let meant = verdict
                    .probable_target
                    .as_deref()
                    .map_or_else(String::new, |t| format!("; probably meant {}", esc(t)));
                // Name the character: most are invisible in the raw value.
                let which = match defect {
                    LocationDefect::InvisibleCharacters => {
                        first_invisible(&String::from_utf8_lossy(first.as_bytes()))
                            .map_or_else(String::new, |c| format!(" (U+{:04X})", u32::from(c)))
                    }
                    _ => String::new(),
                };
                // A host without a scheme is "at most a warning" (issue 13):
                // browsers read `www.example.com/x` as a valid relative path
                // (RFC 9110 §10.2.2), it only leads somewhere unintended. The
                // other defects send clients to different places or nowhere.
                let severity = match defect {
                    LocationDefect::MissingScheme => Severity::Warning,
                    _ => Severity::Error,
                };
                let mut f = finding_at(
                    code::MALFORMED_LOCATION,
                    severity,
                    &hop.url,
                    format!(
                        "Location `{raw}` has {}{which}: a browser goes to {browser}{meant}",
                        defect.description()
                    ),
                );
                *f.evidence = evidence;
                push(f);
            }
            None if verdict.relative => {
                push(relative(
                    &hop.url,
                    &raw,
                    verdict.browser_target.as_deref(),
                    evidence,
                ));
            }
            None => {}
        }
    }
}

/// `relative-location`: a valid relative reference (or a relative IRI).
fn relative(url: &str, raw: &str, target: Option<&str>, evidence: Evidence) -> Finding {
    let target = target.map_or_else(String::new, esc);
    let mut f = finding(
        code::RELATIVE_LOCATION,
        url,
        format!("Location `{raw}` is relative (valid, RFC 9110 §10.2.2) and resolves to {target}"),
    );
    *f.evidence = evidence;
    f
}

/// Chrome refuses differing duplicates (ERR_RESPONSE_HEADERS_MULTIPLE_LOCATION);
/// identical ones are tolerated but still a sign of two layers redirecting.
fn multiple(hop: &Hop) -> Finding {
    let values: Vec<String> = hop.locations.iter().map(RawValue::escaped).collect();
    let mut distinct: Vec<&RawValue> = hop.locations.iter().collect();
    distinct.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
    distinct.dedup();
    let differ = distinct.len() > 1;
    let (severity, how) = if differ {
        (Severity::Error, "with different values")
    } else {
        (Severity::Warning, "with the same value")
    };
    let mut f = finding_at(
        code::MULTIPLE_LOCATION,
        severity,
        &hop.url,
        format!(
            "{} Location headers {how}: {}",
            hop.locations.len(),
            values
                .iter()
                .map(|v| format!("`{v}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    );
    *f.evidence = Evidence {
        raw_location: Some(values.join(" | ")),
        detail: Some(format!("count={}; differ={differ}", hop.locations.len())),
        ..Evidence::default()
    };
    f
}
