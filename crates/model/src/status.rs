//! What a status code means to a redirect audit: the one place that says
//! which responses are redirects, and which redirects are temporary.

/// `true` when a client follows a response with `status` to its Location:
/// 301, 302, 303, 307 and 308 (the Fetch standard's redirect statuses), and
/// 300 when it has a Location.
///
/// - 300 (Multiple Choices) may carry a Location with the server's preferred
///   choice, but need not (RFC 9110 §15.4.1): without one it is a final
///   answer, not a redirect missing its target.
/// - 304 is not a redirect (RFC 9110 §15.4.5).
/// - 305 (Use Proxy) is deprecated and 306 is unused (RFC 9110 §15.4.6,
///   §15.4.7); no browser follows them, nor any other 3xx code: they are
///   final answers.
pub fn is_redirect_status(status: u16, has_location: bool) -> bool {
    match status {
        301 | 302 | 303 | 307 | 308 => true,
        300 => has_location,
        _ => false,
    }
}

/// `true` for 302, 303 and 307: "moved for now", a weak canonical signal
/// (Google Search Central, "Redirects and Google Search").
pub fn is_temporary_status(status: u16) -> bool {
    matches!(status, 302 | 303 | 307)
}

/// `true` for 301 and 308: the target replaces the source.
pub fn is_permanent_status(status: u16) -> bool {
    matches!(status, 301 | 308)
}

/// `true` for an answer that says nothing about a URL's redirect: 429 (Too
/// Many Requests) and 5xx are the server's state, not the resource's. Such an
/// answer neither resets nor extends a redirect's age and is no change. (A
/// request that got no answer at all says nothing either; that is a `None`
/// status wherever statuses are optional.)
pub fn is_inconclusive_status(status: u16) -> bool {
    status == 429 || (500..=599).contains(&status)
}

/// Status codes in order, `-` for a hop without a response, joined by
/// ` → `: `302 → 301 → 200`. The one spelling of a chain's statuses, for a
/// crawled chain ([`crate::Chain::status_path`]) and an observed one
/// ([`crate::Observation::status_path`]) alike.
pub(crate) fn status_path(statuses: impl IntoIterator<Item = Option<u16>>) -> String {
    statuses
        .into_iter()
        .map(|s| s.map_or_else(|| "-".to_owned(), |s| s.to_string()))
        .collect::<Vec<_>>()
        .join(" → ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirect_statuses_are_the_ones_browsers_follow() {
        for s in [301, 302, 303, 307, 308] {
            assert!(is_redirect_status(s, true), "{s}");
            assert!(is_redirect_status(s, false), "{s} without Location");
        }
        assert!(is_redirect_status(300, true));
        assert!(!is_redirect_status(300, false));
        for s in [200, 304, 305, 306, 309, 399, 404, 500] {
            assert!(!is_redirect_status(s, true), "{s}");
        }
    }

    #[test]
    fn temporary_permanent_and_inconclusive() {
        assert!([302, 303, 307].into_iter().all(is_temporary_status));
        assert!(![301, 308, 300, 200].into_iter().any(is_temporary_status));
        assert!([301, 308].into_iter().all(is_permanent_status));
        assert!([429, 500, 503, 599].into_iter().all(is_inconclusive_status));
        assert!(
            ![200, 301, 404, 410, 428]
                .into_iter()
                .any(is_inconclusive_status)
        );
    }
}
