//! robots.txt parsing and matching (texting_robots behind the crawler's
//! `robots_allows`), on arbitrary bytes: must not panic or hang.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = redirect_audit_crawler::robots_allows(
        "redirect-audit",
        data,
        "https://example.com/some/path",
    );
});
