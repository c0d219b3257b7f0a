//! The rule catalogue: every code this crate can emit, with its severity, why
//! it matters and how to fix it. README and `--ignore-rule` validation read
//! it; codes are a public contract.

use model::Severity;

/// One rule: its stable code and the text the README shows for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RuleInfo {
    /// Stable code, e.g. `malformed-location`.
    pub code: &'static str,
    /// The highest severity the rule emits (its usual one).
    pub severity: Severity,
    /// When the severity varies, how (`warning; error at 5+ hops`); empty
    /// when it is always [`RuleInfo::severity`].
    pub severity_note: &'static str,
    /// One line: why it matters.
    pub why: &'static str,
    /// One line: how to fix it.
    pub fix: &'static str,
}

/// Rule codes, in one place so a typo cannot split a rule in two.
pub(crate) mod code {
    pub const MALFORMED_LOCATION: &str = "malformed-location";
    pub const MISSING_LOCATION: &str = "missing-location";
    pub const MULTIPLE_LOCATION: &str = "multiple-location";
    pub const RELATIVE_LOCATION: &str = "relative-location";
    pub const UNENCODED_LOCATION: &str = "unencoded-location";
    pub const REDIRECT_CHAIN: &str = "redirect-chain";
    pub const TOO_MANY_REDIRECTS: &str = "too-many-redirects";
    pub const REDIRECT_LOOP: &str = "redirect-loop";
    pub const REDIRECT_TO_ERROR: &str = "redirect-to-error";
    pub const HTTPS_DOWNGRADE: &str = "https-downgrade";
    pub const MIXED_REDIRECT_CHAIN: &str = "mixed-redirect-chain";
    pub const OFFSITE_REDIRECT: &str = "offsite-redirect";
    pub const TEMPORARY_REDIRECT: &str = "temporary-redirect";
    pub const TEMPORARY_LOOKS_PERMANENT: &str = "temporary-redirect-looks-permanent";
    pub const META_REFRESH_REDIRECT: &str = "meta-refresh-redirect";
    pub const JS_REDIRECT: &str = "js-redirect";
    pub const LINK_TO_REDIRECT: &str = "link-to-redirect";
    pub const CANONICAL_TO_REDIRECT: &str = "canonical-to-redirect";
    pub const HREFLANG_TO_REDIRECT: &str = "hreflang-to-redirect";
    pub const SITEMAP_LISTS_REDIRECT: &str = "sitemap-lists-redirect";
    pub const LONG_LIVED_TEMPORARY: &str = "long-lived-temporary-redirect";
    pub const REDIRECT_TARGET_CHANGED: &str = "redirect-target-changed";
    pub const INVALID_URL: &str = "invalid-url";
    pub const UNEXPECTED_TARGET: &str = "unexpected-target";
    pub const EXPECTED_PERMANENT: &str = "expected-permanent";
    pub const EXPECTED_SINGLE_HOP: &str = "expected-single-hop";
    pub const EXPECTED_TARGET_ERROR: &str = "expected-target-error";
}

/// Every rule, in README order.
pub const RULES: &[RuleInfo] = &[
    RuleInfo {
        code: code::MALFORMED_LOCATION,
        severity: Severity::Error,
        severity_note: "error; warning for a host name without a scheme (`www.example.com/x`), which browsers read as a relative path",
        why: "Clients disagree on where a malformed Location goes (a browser may read `http//host/p` as a relative path); Search Console reports a bad URL in a chain as a redirect error.",
        fix: "Send an absolute, percent-encoded `https://host/path` (the report shows what was probably meant).",
    },
    RuleInfo {
        code: code::MISSING_LOCATION,
        severity: Severity::Error,
        severity_note: "",
        why: "A 3xx without a (non-empty) Location leads nowhere: browsers show the body or an error, crawlers drop the URL.",
        fix: "Add the Location header, or answer 200/404/410 if there is nothing to redirect to.",
    },
    RuleInfo {
        code: code::MULTIPLE_LOCATION,
        severity: Severity::Error,
        severity_note: "error when the values differ, warning when they are identical",
        why: "RFC 9110 allows one Location; Chrome refuses a response whose Location headers differ (ERR_RESPONSE_HEADERS_MULTIPLE_LOCATION), other clients pick the first or the last.",
        fix: "Send exactly one Location header; look for two layers (app and proxy) both adding one.",
    },
    RuleInfo {
        code: code::RELATIVE_LOCATION,
        severity: Severity::Notice,
        severity_note: "",
        why: "Valid per RFC 9110 §10.2.2 and followed by every modern client; listed so a move to absolute URLs can be tracked.",
        fix: "Nothing required; send absolute URLs if some old client or tool of yours mishandles relative ones.",
    },
    RuleInfo {
        code: code::UNENCODED_LOCATION,
        severity: Severity::Notice,
        severity_note: "",
        why: "A URI is ASCII (RFC 3986 §2): non-ASCII characters (an IRI such as `/café`) and ``\"<>^`{|}`` must be percent-encoded. Browsers encode them; other clients may not, or differently.",
        fix: "Send the percent-encoded URL the message shows (`/caf%C3%A9`).",
    },
    RuleInfo {
        code: code::REDIRECT_CHAIN,
        severity: Severity::Error,
        severity_note: "warning for 2-4 redirects; error at 5 or more (Google follows about 5 per fetch)",
        why: "Each hop costs a round trip for users and crawl budget; Googlebot follows about 5 hops per fetch and finishes longer chains on a later crawl.",
        fix: "Redirect the first URL straight to the final one, and update links to point at the final URL.",
    },
    RuleInfo {
        code: code::TOO_MANY_REDIRECTS,
        severity: Severity::Error,
        severity_note: "",
        why: "Googlebot stops after 10 hops and reports a redirect error; the target is not indexed through this URL.",
        fix: "Collapse the chain to one redirect to the final URL.",
    },
    RuleInfo {
        code: code::REDIRECT_LOOP,
        severity: Severity::Error,
        severity_note: "",
        why: "The URL never resolves: browsers show an error, search engines drop it (Search Console \"Redirect error\").",
        fix: "Find the rule that sends the last URL back (often http/https or slash rules fighting, or a meta refresh) and point it at a final 200 page.",
    },
    RuleInfo {
        code: code::REDIRECT_TO_ERROR,
        severity: Severity::Error,
        severity_note: "",
        why: "The redirect sends users and crawlers to a broken page or nowhere; any value of the source URL is lost.",
        fix: "Point the redirect at a live page, or answer 404/410 at the source if the content is gone.",
    },
    RuleInfo {
        code: code::HTTPS_DOWNGRADE,
        severity: Severity::Warning,
        severity_note: "",
        why: "An https → http hop exposes the request, signals the http URL as canonical and loops under HSTS when http redirects back.",
        fix: "Redirect to the https URL.",
    },
    RuleInfo {
        code: code::MIXED_REDIRECT_CHAIN,
        severity: Severity::Warning,
        severity_note: "",
        why: "Permanent and temporary hops in one chain send mixed signals: Google keeps the source indexed for a temporary hop.",
        fix: "Use 301/308 for every hop of a permanent move (better: one hop).",
    },
    RuleInfo {
        code: code::OFFSITE_REDIRECT,
        severity: Severity::Notice,
        severity_note: "",
        why: "The chain leaves the audited site (another host or subdomain, or another port; http/https and www/non-www variants stay on it); fine for deliberate outbound redirects, worth a look otherwise (open redirects, lost content).",
        fix: "Check the destination is intended; link to it directly if it is.",
    },
    RuleInfo {
        code: code::TEMPORARY_REDIRECT,
        severity: Severity::Notice,
        severity_note: "",
        why: "302, 303 and 307 are weak signals: Google usually keeps the source URL indexed (Google Search Central, \"Redirects and Google Search\").",
        fix: "Use 301 or 308 if the move is permanent; keep it if it is really temporary.",
    },
    RuleInfo {
        code: code::TEMPORARY_LOOKS_PERMANENT,
        severity: Severity::Warning,
        severity_note: "",
        why: "The hop is a canonicalisation (http → https, www toggle, trailing slash, case, index file) whose intent is permanent, but its status says temporary.",
        fix: "Answer 301 or 308.",
    },
    RuleInfo {
        code: code::META_REFRESH_REDIRECT,
        severity: Severity::Warning,
        severity_note: "warning for a delayed refresh (temporary for Google); notice for 0 s (permanent for Google)",
        why: "Google reads an instant meta refresh as permanent and a delayed one as temporary; other clients need the HTML to see it at all.",
        fix: "Use a server-side 301/308.",
    },
    RuleInfo {
        code: code::JS_REDIRECT,
        severity: Severity::Warning,
        severity_note: "",
        why: "Google follows a JavaScript redirect only after rendering; other crawlers and tools may never see it.",
        fix: "Use a server-side 301/308.",
    },
    RuleInfo {
        code: code::LINK_TO_REDIRECT,
        severity: Severity::Warning,
        severity_note: "",
        why: "Internal links through redirects cost a hop per click and crawl budget, and keep the old URL alive as a signal.",
        fix: "Update the links to the final URL.",
    },
    RuleInfo {
        code: code::CANONICAL_TO_REDIRECT,
        severity: Severity::Warning,
        severity_note: "",
        why: "A canonical naming a redirecting URL contradicts itself; Google may ignore it and choose another canonical.",
        fix: "Point the canonical at the final 200 URL.",
    },
    RuleInfo {
        code: code::HREFLANG_TO_REDIRECT,
        severity: Severity::Warning,
        severity_note: "",
        why: "hreflang alternates must be the final URLs of the other versions; a redirecting alternate breaks the return-link pairing.",
        fix: "Point hreflang at the final 200 URL of each language version.",
    },
    RuleInfo {
        code: code::SITEMAP_LISTS_REDIRECT,
        severity: Severity::Warning,
        severity_note: "",
        why: "Sitemaps should list canonical 200 URLs; redirecting entries waste crawl budget and weaken the sitemap as a signal.",
        fix: "List the final URL instead, or drop the entry.",
    },
    RuleInfo {
        code: code::LONG_LIVED_TEMPORARY,
        severity: Severity::Warning,
        severity_note: "",
        why: "A temporary redirect to the same target audit after audit gets treated as permanent anyway (Bing; Google has no fixed cut-off), so the status misleads and the move settles slowly.",
        fix: "If the move is permanent, make it a 301/308; if not, end it.",
    },
    RuleInfo {
        code: code::REDIRECT_TARGET_CHANGED,
        severity: Severity::Warning,
        severity_note: "",
        why: "The same source redirects somewhere else than in the previous audit; Bing treats a permanent redirect whose target keeps changing like a temporary one.",
        fix: "Confirm the change is intended; keep permanent targets stable.",
    },
    RuleInfo {
        code: code::INVALID_URL,
        severity: Severity::Error,
        severity_note: "",
        why: "`check` only: a line of the list (or its expected URL) is not an absolute http(s) URL, so it cannot be checked; the message gives the line number.",
        fix: "Correct the line in the list or migration map.",
    },
    RuleInfo {
        code: code::UNEXPECTED_TARGET,
        severity: Severity::Error,
        severity_note: "",
        why: "`check` only: the URL does not end where the migration map says (after normalisation), so its traffic and signals go to the wrong page.",
        fix: "Change the redirect to point at the expected URL, or correct the map.",
    },
    RuleInfo {
        code: code::EXPECTED_PERMANENT,
        severity: Severity::Warning,
        severity_note: "",
        why: "`check` only: the URL reaches the expected URL, but through a 302/303/307, so search engines keep the old URL indexed and the migration settles slowly.",
        fix: "Answer 301 or 308 on every hop of a migration.",
    },
    RuleInfo {
        code: code::EXPECTED_SINGLE_HOP,
        severity: Severity::Warning,
        severity_note: "",
        why: "`check` only: the URL reaches the expected URL in more than one redirect; every hop costs a round trip and crawl budget.",
        fix: "Redirect the old URL straight to the expected URL.",
    },
    RuleInfo {
        code: code::EXPECTED_TARGET_ERROR,
        severity: Severity::Error,
        severity_note: "",
        why: "`check` only: the expected URL itself does not answer 200, so even a correct redirect lands on an error or another redirect.",
        fix: "Publish the new page, or correct the map.",
    },
];

/// The catalogue entry for `code`, or `None` for an unknown code (use it to
/// validate `--ignore-rule`).
pub fn rule_info(code: &str) -> Option<&'static RuleInfo> {
    RULES.iter().find(|r| r.code == code)
}

/// The catalogue severity of a rule emitted by this crate.
pub(crate) fn severity_of(code: &str) -> Severity {
    rule_info(code).map_or(Severity::Warning, |r| r.severity)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_kebab_case_and_documented() {
        let mut seen = std::collections::BTreeSet::new();
        for rule in RULES {
            assert!(seen.insert(rule.code), "duplicate {}", rule.code);
            assert!(
                rule.code
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-'),
                "{}",
                rule.code
            );
            assert!(!rule.why.is_empty() && !rule.fix.is_empty());
            assert!(!rule.why.contains('\n') && !rule.fix.contains('\n'));
        }
        assert_eq!(RULES.len(), 27);
        assert!(rule_info("redirect-loop").is_some());
        assert!(rule_info("no-such-rule").is_none());
    }

    #[test]
    fn readme_table_lists_every_rule_with_its_severity() {
        let readme = include_str!("../../../README.md");
        for rule in RULES {
            let row = readme
                .lines()
                .find(|l| l.starts_with(&format!("| `{}` |", rule.code)))
                .unwrap_or_else(|| panic!("README.md has no row for {}", rule.code));
            let cell = row.split(" | ").nth(1).unwrap_or_default();
            assert!(
                cell.contains(rule.severity.as_str()),
                "{}: severity {} not in row",
                rule.code,
                rule.severity
            );
        }
    }
}
