//! SHA-1 signatures WeChat puts on callbacks: the hex digest of the sorted, concatenated parts.

use sha1::{Digest, Sha1};
use subtle::ConstantTimeEq;

/// `hex(sha1(concat(sort(parts))))`, byte-wise sort, no separator, lowercase hex.
pub fn sign(parts: &[&str]) -> String {
    let mut sorted: Vec<&str> = parts.to_vec();
    sorted.sort_unstable();
    let mut hasher = Sha1::new();
    for part in sorted {
        hasher.update(part.as_bytes());
    }
    hex::encode(hasher.finalize())
}

/// Compares a received signature with the expected one in constant time, so response timing
/// does not leak how many leading characters of a forged signature were right.
pub fn verify(parts: &[&str], received: &str) -> bool {
    let expected = sign(parts);
    let received = received.to_ascii_lowercase();
    expected.len() == received.len() && bool::from(expected.as_bytes().ct_eq(received.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_of_parts_does_not_matter() {
        assert_eq!(sign(&["b", "a", "c"]), sign(&["c", "b", "a"]));
    }

    #[test]
    fn accepts_uppercase_hex_and_refuses_prefixes() {
        let sig = sign(&["token", "1", "2"]);
        assert!(verify(&["token", "1", "2"], &sig.to_uppercase()));
        assert!(!verify(&["token", "1", "2"], &sig[..39]));
        assert!(!verify(&["token", "1", "3"], &sig));
    }
}
