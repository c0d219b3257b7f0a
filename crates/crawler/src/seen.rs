//! The set of URLs already queued, shared by the workers: 128-bit
//! fingerprints rather than the URLs themselves.
//!
//! Every link on every page is checked against this set, from several
//! workers at once, and it holds every URL the crawl ever queued. As
//! strings that is some 100 bytes per URL; as fingerprints, 16. Two URLs
//! share a fingerprint with probability about n²/2¹²⁹ (10⁻²⁶ for a million
//! URLs): far below any other failure a crawl can have.

use std::hash::{BuildHasherDefault, DefaultHasher, Hash, Hasher};

use dashmap::DashSet;

/// Normalised URLs already queued.
#[derive(Default)]
pub(crate) struct SeenUrls {
    set: DashSet<u128, BuildHasherDefault<FingerprintHasher>>,
}

impl SeenUrls {
    /// Adds `url`; `false` when it was there already.
    pub(crate) fn insert(&self, url: &str) -> bool {
        self.set.insert(fingerprint(url))
    }

    /// Empties the set and returns its memory, once the crawl is over: the
    /// workers' handles on it may outlive the crawl loop.
    pub(crate) fn release(&self) {
        self.set.clear();
        self.set.shrink_to_fit();
    }

    /// Whether `url` was added.
    pub(crate) fn contains(&self, url: &str) -> bool {
        self.set.contains(&fingerprint(url))
    }
}

/// Two independent 64-bit SipHash values of `url` (fixed keys, so the same
/// in every run).
fn fingerprint(url: &str) -> u128 {
    let mut high = DefaultHasher::new();
    url.hash(&mut high);
    let mut low = DefaultHasher::new();
    0x5eed_u64.hash(&mut low);
    url.hash(&mut low);
    (u128::from(high.finish()) << 64) | u128::from(low.finish())
}

/// A fingerprint is already a good hash: the table uses its bits as they
/// are instead of hashing them again.
#[derive(Default)]
struct FingerprintHasher(u64);

impl Hasher for FingerprintHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = self.0.rotate_left(5) ^ u64::from_le_bytes(word);
        }
    }

    fn write_u128(&mut self, value: u128) {
        self.0 = (value as u64) ^ ((value >> 64) as u64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_urls_exactly() {
        let seen = SeenUrls::default();
        assert!(seen.insert("http://s/a"));
        assert!(!seen.insert("http://s/a"));
        assert!(seen.contains("http://s/a"));
        assert!(!seen.contains("http://s/a/"));
        assert!(!seen.contains("http://s/A"));
        let distinct = (0..100_000)
            .filter(|i| seen.insert(&format!("http://s/p/{i}")))
            .count();
        assert_eq!(
            distinct, 100_000,
            "no two of these URLs share a fingerprint"
        );
    }

    #[test]
    fn release_forgets_every_url() {
        let seen = SeenUrls::default();
        assert!(seen.insert("http://s/a"));
        seen.release();
        assert!(!seen.contains("http://s/a"));
        assert!(seen.insert("http://s/a"));
    }
}
