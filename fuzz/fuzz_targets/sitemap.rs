//! Sitemap and sitemap-index parsing (quick-xml, gzip via flate2), on
//! arbitrary bytes. A first byte of 1 means "gzip the rest first", so the
//! fuzzer reaches the XML parser through the decompressor too.

#![no_main]

use std::io::Write;

use flate2::Compression;
use flate2::write::GzEncoder;
use libfuzzer_sys::fuzz_target;
use redirect_audit_crawler::parse_sitemap;

const GZIP_FLAG: u8 = 1;

fuzz_target!(|data: &[u8]| {
    match data.split_first() {
        Some((&GZIP_FLAG, rest)) => {
            let mut gz = GzEncoder::new(Vec::new(), Compression::fast());
            gz.write_all(rest).expect("write to a Vec");
            let compressed = gz.finish().expect("finish into a Vec");
            let parsed = parse_sitemap(&compressed);
            // "gzip-compressed or not": the same entries either way (unless
            // the plain bytes themselves look like gzip).
            if !rest.starts_with(&[0x1f, 0x8b]) {
                assert_eq!(parsed, parse_sitemap(rest), "gzip changed the result");
            }
        }
        _ => {
            let _ = parse_sitemap(data);
        }
    }
});
