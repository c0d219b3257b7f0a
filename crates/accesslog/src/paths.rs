//! Interned paths: one allocation per distinct path, and a lookup that
//! touches no key bytes.
//!
//! A path is identified by the XXH3-128 of its bytes: the table holds
//! (hash, index) pairs, so a lookup compares two integers instead of
//! chasing each key's heap allocation (with 100 000 distinct paths that
//! cache miss was a quarter of the reading time). Two distinct paths
//! sharing a 128-bit hash would be merged; at 2⁻¹²⁸ per pair that is
//! ignored.

use hashbrown::HashTable;
use xxhash_rust::xxh3::xxh3_128;

use crate::evidence::PathEvidence;

#[derive(Clone, Debug, Default)]
pub(crate) struct PathTable {
    /// (low and high halves of the key, slot): 24 bytes, where a `u128`
    /// key's 16-byte alignment made 32.
    index: HashTable<(u64, u64, u32)>,
    names: Vec<Box<str>>,
    evidence: Vec<PathEvidence>,
}

/// A path's identity in the table.
pub(crate) fn path_key(path: &str) -> u128 {
    xxh3_128(path.as_bytes())
}

fn bucket_hash(&(low, _, _): &(u64, u64, u32)) -> u64 {
    low
}

fn halves(key: u128) -> (u64, u64) {
    (key as u64, (key >> 64) as u64)
}

impl PathTable {
    fn find(&self, key: u128) -> Option<usize> {
        let (low, high) = halves(key);
        self.index
            .find(low, |&(l, h, _)| (l, h) == (low, high))
            .map(|&(_, _, i)| i as usize)
    }

    pub(crate) fn get(&self, path: &str) -> Option<&PathEvidence> {
        self.find(path_key(path)).map(|i| &self.evidence[i])
    }

    /// The evidence of `path`, created empty the first time.
    pub(crate) fn entry(&mut self, path: &str) -> &mut PathEvidence {
        let slot = self.slot(path_key(path), path);
        self.at(slot)
    }

    /// The evidence at a slot from [`Self::slot`].
    pub(crate) fn at(&mut self, slot: usize) -> &mut PathEvidence {
        &mut self.evidence[slot]
    }

    /// The slot of the path whose [`path_key`] is `key`, created empty the
    /// first time.
    pub(crate) fn slot(&mut self, key: u128, path: &str) -> usize {
        match self.find(key) {
            Some(i) => i,
            None => {
                let i = self.evidence.len();
                let slot = u32::try_from(i).expect("fewer than 2³² distinct paths");
                let (low, high) = halves(key);
                self.index
                    .insert_unique(low, (low, high, slot), bucket_hash);
                self.names.push(path.into());
                self.evidence.push(PathEvidence::default());
                i
            }
        }
    }

    /// Reads the evidence of every slot (see [`PathEvidence::touch`]).
    pub(crate) fn touch(&self, slots: &[usize]) {
        let sum = slots
            .iter()
            .fold(0u64, |acc, &s| acc ^ self.evidence[s].touch());
        std::hint::black_box(sum);
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = (&str, &PathEvidence)> {
        self.names.iter().map(|n| &**n).zip(&self.evidence)
    }

    pub(crate) fn len(&self) -> usize {
        self.evidence.len()
    }
}
