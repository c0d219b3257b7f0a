//! The length prefix: unsigned LEB128, as postcard encodes integers, so a
//! small record (a link graph edge is some six bytes) costs one byte more.

/// The longest prefix: a `u32` in 7-bit groups.
pub(crate) const MAX_LEN: usize = 5;

/// The prefix for `value`, and how many of its bytes are used.
pub(crate) fn put(mut value: u32) -> ([u8; MAX_LEN], usize) {
    let mut out = [0; MAX_LEN];
    let mut i = 0;
    while value >= 0x80 {
        out[i] = (value & 0x7f) as u8 | 0x80;
        value >>= 7;
        i += 1;
    }
    out[i] = value as u8;
    (out, i + 1)
}

/// What a prefix at the start of some bytes says.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Prefix {
    /// The record's length and the prefix's.
    Len { len: u32, prefix: usize },
    /// The bytes end inside the prefix.
    Short,
    /// More than [`MAX_LEN`] bytes, or a value over `u32::MAX`.
    Invalid,
}

/// Reads the prefix at the start of `bytes`.
pub(crate) fn get(bytes: &[u8]) -> Prefix {
    let mut value = 0u64;
    for (i, &b) in bytes.iter().take(MAX_LEN).enumerate() {
        value |= u64::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            return match u32::try_from(value) {
                Ok(len) => Prefix::Len { len, prefix: i + 1 },
                Err(_) => Prefix::Invalid,
            };
        }
    }
    if bytes.len() < MAX_LEN {
        Prefix::Short
    } else {
        Prefix::Invalid
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_round_trip_at_every_width() {
        for value in [0, 1, 0x7f, 0x80, 0x3fff, 0x4000, 1 << 28, u32::MAX] {
            let (out, used) = put(value);
            let out = &out[..used];
            assert_eq!(
                get(out),
                Prefix::Len {
                    len: value,
                    prefix: out.len()
                }
            );
            assert_eq!(get(&out[..out.len() - 1]), Prefix::Short);
        }
        assert_eq!(get(&[0xff; 5]), Prefix::Invalid);
        assert_eq!(get(&[0xff, 0xff, 0xff, 0xff, 0x7f]), Prefix::Invalid);
    }
}
