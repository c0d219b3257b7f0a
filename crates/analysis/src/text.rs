//! Shared pieces of messages and evidence.

use model::{Chain, Evidence, escape_bytes};

/// At most this many URLs go into a finding's `related` column; the count is
/// in the evidence, and the full list in `links.csv`.
pub(crate) const MAX_RELATED: usize = 10;

/// Escapes text that came from a crawled site for a one-line message.
pub(crate) fn esc(text: &str) -> String {
    escape_bytes(text.as_bytes())
}

/// Evidence every chain rule shares: statuses, hop count, final URL.
pub(crate) fn chain_evidence(chain: &Chain) -> Evidence {
    Evidence {
        status_chain: Some(chain.status_path()),
        hops: Some(chain.redirect_count()),
        // Unknown when the audit's own limits cut the chain (issue 13).
        final_url: chain
            .end
            .followed_to_end()
            .then(|| chain.last().url.clone()),
        ..Evidence::default()
    }
}

/// The chain's URLs, start first, for `related`.
pub(crate) fn chain_urls(chain: &Chain) -> Vec<String> {
    chain.hops.iter().map(|h| h.url.clone()).collect()
}

/// `1 redirect`, `3 redirects`.
pub(crate) fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

/// Truncates a sorted URL list for `related`.
pub(crate) fn capped(mut urls: Vec<String>) -> Vec<String> {
    urls.truncate(MAX_RELATED);
    urls
}
