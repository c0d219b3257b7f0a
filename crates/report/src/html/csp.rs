//! The report's Content-Security-Policy: nothing but its own inline style
//! and script, named by hash.
//!
//! `default-src 'none'` forbids every fetch (images, fonts, frames,
//! connections), so the file stays self-contained and a URL that slipped
//! into markup cannot load anything; `script-src` and `style-src` list the
//! SHA-256 of the one `<script>` and the one `<style>` element (CSP Level 3
//! §8.4, "hash-source"), so an injected element, inline event handler
//! (`onerror=`) or `style=` attribute does not run or apply even if
//! escaping ever failed. The policy is a `<meta http-equiv>` tag: a file
//! opened from disk has no response headers.

use base64::Engine as _;
use sha2::{Digest, Sha256};

/// The stylesheet, verbatim between `<style>` and `</style>`.
pub(crate) const CSS: &str = include_str!("../../templates/report.css");
/// The script, verbatim between `<script>` and `</script>`.
pub(crate) const JS: &str = include_str!("../../templates/report.js");

/// `'sha256-…'` of `text`, as a CSP source expression.
fn hash_source(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// The policy for a report whose only inline code is [`CSS`] and [`JS`].
pub(crate) fn policy() -> String {
    format!(
        "default-src 'none'; style-src {}; script-src {}; img-src 'none'; base-uri 'none'; form-action 'none'",
        hash_source(CSS),
        hash_source(JS)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_is_the_base64_sha256_of_the_text() {
        // echo -n 'alert(1)' | openssl dgst -sha256 -binary | base64
        assert_eq!(
            hash_source("alert(1)"),
            "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"
        );
    }

    #[test]
    fn policy_allows_nothing_but_the_two_hashes() {
        let policy = policy();
        assert!(policy.starts_with("default-src 'none'; "), "{policy}");
        assert!(!policy.contains("unsafe"), "{policy}");
        assert_eq!(policy.matches("'sha256-").count(), 2, "{policy}");
    }
}
