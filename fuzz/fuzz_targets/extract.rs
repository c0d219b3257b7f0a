//! Link extraction from HTML (the crawler's tag scanner, meta refresh and
//! inline script parsing), on arbitrary bytes as received.

#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use redirect_audit_crawler::extract_links;
use url::Url;

static PAGE: LazyLock<Url> =
    LazyLock::new(|| Url::parse("https://example.com/dir/page").expect("valid page URL"));

fuzz_target!(|data: &[u8]| {
    for link in extract_links(data, &PAGE) {
        // `detail` of a meta refresh is its delay in seconds.
        if link.kind.as_str() == "meta-refresh" {
            let delay = link.detail.as_deref().unwrap_or_default();
            assert!(delay.parse::<u32>().is_ok(), "refresh delay {delay:?}");
        }
    }
});
