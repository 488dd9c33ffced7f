//! WeChat "safe mode" message encryption: AES-256-CBC with a 32-byte PKCS#7 block and the
//! receive id (app_id or corp_id) appended to every plaintext.

pub use crate::config::AesKey;
use aes::cipher::{block_padding::NoPadding, BlockDecryptMut, BlockEncryptMut, KeyIvInit};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use rand::RngCore;

type Encryptor = cbc::Encryptor<aes::Aes256>;
type Decryptor = cbc::Decryptor<aes::Aes256>;

/// WeChat pads to 32 bytes, not AES's 16: a 16-byte unpad rejects real messages.
const PAD_BLOCK: usize = 32;
const RANDOM_LEN: usize = 16;
const LENGTH_FIELD: usize = 4;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CryptoError {
    #[error("ciphertext is not valid base64")]
    Base64,
    #[error("ciphertext length {0} is not a positive multiple of the AES block")]
    CipherLength(usize),
    #[error("bad PKCS#7 padding")]
    Padding,
    #[error("message length field out of bounds")]
    LengthField,
    #[error("receive id in the ciphertext does not match ours")]
    ReceiveId,
    #[error("decrypted message is not UTF-8")]
    Utf8,
}

/// WeChat's IV is the key's first 16 bytes.
fn iv(key: &AesKey) -> [u8; 16] {
    let mut iv = [0u8; 16];
    iv.copy_from_slice(&key.bytes()[..16]);
    iv
}

/// Encrypts and decrypts for one receiver (an Official Account app_id or a WeCom corp_id).
#[derive(Clone, Debug)]
pub struct MessageCipher {
    key: AesKey,
    receive_id: String,
}

impl MessageCipher {
    pub fn new(key: AesKey, receive_id: impl Into<String>) -> Self {
        Self {
            key,
            receive_id: receive_id.into(),
        }
    }

    pub fn receive_id(&self) -> &str {
        &self.receive_id
    }

    /// Encrypts with fresh random bytes; returns base64.
    pub fn encrypt(&self, msg: &str) -> String {
        let mut random = [0u8; RANDOM_LEN];
        rand::rng().fill_bytes(&mut random);
        self.encrypt_with_random(&random, msg)
    }

    /// Deterministic encryption for the given 16 random bytes (test vectors fix them).
    pub fn encrypt_with_random(&self, random: &[u8; RANDOM_LEN], msg: &str) -> String {
        let body_len = RANDOM_LEN + LENGTH_FIELD + msg.len() + self.receive_id.len();
        let pad = PAD_BLOCK - body_len % PAD_BLOCK;
        let mut buf = Vec::with_capacity(body_len + pad);
        buf.extend_from_slice(random);
        buf.extend_from_slice(&(msg.len() as u32).to_be_bytes());
        buf.extend_from_slice(msg.as_bytes());
        buf.extend_from_slice(self.receive_id.as_bytes());
        buf.resize(body_len + pad, pad as u8);
        let len = buf.len();
        let encrypted = Encryptor::new(self.key.bytes().into(), &iv(&self.key).into())
            .encrypt_padded_mut::<NoPadding>(&mut buf, len)
            .map(|out| out.len())
            .ok();
        debug_assert_eq!(encrypted, Some(len), "buffer is padded to the block size");
        STANDARD.encode(&buf)
    }

    /// Decrypts base64 ciphertext and checks padding, length field and receive id.
    pub fn decrypt(&self, ciphertext_b64: &str) -> Result<String, CryptoError> {
        let mut buf = STANDARD
            .decode(ciphertext_b64.trim())
            .map_err(|_| CryptoError::Base64)?;
        if buf.is_empty() || buf.len() % 16 != 0 {
            return Err(CryptoError::CipherLength(buf.len()));
        }
        let plain = Decryptor::new(self.key.bytes().into(), &iv(&self.key).into())
            .decrypt_padded_mut::<NoPadding>(&mut buf)
            .map_err(|_| CryptoError::Padding)?;
        let plain = strip_padding(plain)?;
        if plain.len() < RANDOM_LEN + LENGTH_FIELD {
            return Err(CryptoError::LengthField);
        }
        let mut len_bytes = [0u8; LENGTH_FIELD];
        len_bytes.copy_from_slice(&plain[RANDOM_LEN..RANDOM_LEN + LENGTH_FIELD]);
        let msg_len = u32::from_be_bytes(len_bytes) as usize;
        let rest = &plain[RANDOM_LEN + LENGTH_FIELD..];
        if msg_len > rest.len() {
            return Err(CryptoError::LengthField);
        }
        let (msg, receive_id) = rest.split_at(msg_len);
        if receive_id != self.receive_id.as_bytes() {
            return Err(CryptoError::ReceiveId);
        }
        String::from_utf8(msg.to_vec()).map_err(|_| CryptoError::Utf8)
    }
}

fn strip_padding(plain: &[u8]) -> Result<&[u8], CryptoError> {
    let pad = *plain.last().ok_or(CryptoError::Padding)? as usize;
    if pad == 0 || pad > PAD_BLOCK || pad > plain.len() {
        return Err(CryptoError::Padding);
    }
    let (body, padding) = plain.split_at(plain.len() - pad);
    if padding.iter().any(|&b| b as usize != pad) {
        return Err(CryptoError::Padding);
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR";

    fn cipher() -> MessageCipher {
        MessageCipher::new(AesKey::parse(KEY).unwrap(), "wx49f0ab532d5d035a")
    }

    #[test]
    fn aligned_message_gets_a_full_block_of_padding() {
        // 16 + 4 + 18 receive id = 38; a 26-byte message makes 64, so 32 bytes of padding.
        let encrypted = cipher().encrypt("abcdefghijklmnopqrstuvwxyz");
        assert_eq!(STANDARD.decode(encrypted).unwrap().len(), 96);
    }

    #[test]
    fn other_receive_id_is_refused() {
        let other = MessageCipher::new(AesKey::parse(KEY).unwrap(), "wx0000000000000000");
        let encrypted = other.encrypt("hello");
        assert_eq!(cipher().decrypt(&encrypted), Err(CryptoError::ReceiveId));
    }

    #[test]
    fn wrong_key_is_refused_not_panicking() {
        let other = MessageCipher::new(
            AesKey::parse("jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C").unwrap(),
            "wx49f0ab532d5d035a",
        );
        assert!(cipher().decrypt(&other.encrypt("hello")).is_err());
    }

    /// Encrypts `plain` as is: lets a test forge what no honest sender produces.
    fn encrypt_raw(plain: &[u8]) -> String {
        let key = AesKey::parse(KEY).unwrap();
        let mut buf = plain.to_vec();
        let len = buf.len();
        Encryptor::new(key.bytes().into(), &iv(&key).into())
            .encrypt_padded_mut::<NoPadding>(&mut buf, len)
            .unwrap();
        STANDARD.encode(&buf)
    }

    #[test]
    fn length_field_past_the_end_is_refused() {
        let mut plain = vec![0u8; 16];
        plain.extend_from_slice(&1000u32.to_be_bytes());
        plain.extend_from_slice(b"short");
        let pad = 32 - plain.len() % 32;
        plain.resize(plain.len() + pad, pad as u8);
        assert_eq!(
            cipher().decrypt(&encrypt_raw(&plain)),
            Err(CryptoError::LengthField)
        );
    }

    #[test]
    fn padding_byte_out_of_range_or_inconsistent_is_refused() {
        let mut plain = vec![7u8; 64];
        plain[63] = 33;
        assert_eq!(
            cipher().decrypt(&encrypt_raw(&plain)),
            Err(CryptoError::Padding)
        );
        plain[63] = 0;
        assert_eq!(
            cipher().decrypt(&encrypt_raw(&plain)),
            Err(CryptoError::Padding)
        );
        plain[63] = 4;
        plain[61] = 9;
        assert_eq!(
            cipher().decrypt(&encrypt_raw(&plain)),
            Err(CryptoError::Padding)
        );
    }

    #[test]
    fn garbage_is_refused() {
        assert_eq!(cipher().decrypt("not base64!"), Err(CryptoError::Base64));
        assert_eq!(cipher().decrypt(""), Err(CryptoError::CipherLength(0)));
        assert_eq!(
            cipher().decrypt(&STANDARD.encode([1u8; 20])),
            Err(CryptoError::CipherLength(20))
        );
    }
}
