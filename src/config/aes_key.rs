//! The EncodingAESKey an account's console shows: 43 base64 characters, read once into the
//! 32-byte key the message cipher (`wechat::crypto`) takes.

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::{alphabet, Engine};

/// The official sample keys carry non-zero trailing bits in their 43rd character, which a
/// strict decoder refuses.
const KEY_ENGINE: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_allow_trailing_bits(true),
);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum KeyError {
    #[error("must be 43 base64 characters, got {0} characters")]
    Length(usize),
    #[error("is not valid base64")]
    Base64,
}

/// The 32-byte key decoded from an EncodingAESKey. Never printed.
#[derive(Clone)]
pub struct AesKey([u8; 32]);

impl std::fmt::Debug for AesKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AesKey([redacted])")
    }
}

impl AesKey {
    pub fn parse(encoding_aes_key: &str) -> Result<Self, KeyError> {
        let chars = encoding_aes_key.chars().count();
        if chars != 43 {
            return Err(KeyError::Length(chars));
        }
        let bytes = KEY_ENGINE
            .decode(format!("{encoding_aes_key}="))
            .map_err(|_| KeyError::Base64)?;
        let key: [u8; 32] = bytes.try_into().map_err(|_| KeyError::Base64)?;
        Ok(Self(key))
    }

    /// For the cipher alone: the key never leaves the process another way.
    pub(crate) fn bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_with_trailing_bits_is_accepted() {
        assert!(AesKey::parse("jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C").is_ok());
    }

    #[test]
    fn key_of_wrong_length_or_alphabet_is_refused() {
        assert_eq!(AesKey::parse("abc").unwrap_err(), KeyError::Length(3));
        let bad = format!("{}!", &"kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR"[..42]);
        assert_eq!(AesKey::parse(&bad).unwrap_err(), KeyError::Base64);
    }
}
