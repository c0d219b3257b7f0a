//! What a client-side redirect link does, read the same way by the rule
//! that reports it (`meta-refresh-redirect`) and the one that follows it
//! (`redirect-loop`).

use model::Link;

/// A refresh to the page itself after a delay is an auto-reload (news pages,
/// dashboards), not a redirect; an instant one reloads forever.
pub(crate) fn navigates(link: &Link) -> bool {
    link.to != link.from || refresh_delay(link) == 0.0
}

/// The refresh delay in seconds: leading digits of `detail` as browsers read
/// them (`"5; url=…"` → 5); missing or unreadable counts as 0 s.
pub(crate) fn refresh_delay(link: &Link) -> f64 {
    let Some(detail) = link.detail() else {
        return 0.0;
    };
    let number: String = detail
        .trim()
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    number.parse().unwrap_or(0.0)
}
