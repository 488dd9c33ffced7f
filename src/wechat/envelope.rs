//! The signed (and in safe mode encrypted) envelope around callbacks and replies, for both
//! channels. Pure protocol: no HTTP, no storage; `now` is passed in so tests can pin time.

use super::crypto::{AesKey, MessageCipher};
use super::error::CallbackError;
use super::message::{Channel, Inbound};
use super::reply::render_encrypted;
use super::{signature, xml};
use crate::config::{WechatSettings, WecomSettings};
use rand::Rng;
use secrecy::{ExposeSecret, SecretString};

/// Query parameters WeChat puts on a callback URL.
#[derive(Debug, Default, Clone)]
pub struct CallbackQuery {
    pub signature: Option<String>,
    pub msg_signature: Option<String>,
    pub timestamp: Option<String>,
    pub nonce: Option<String>,
    pub echostr: Option<String>,
    pub encrypt_type: Option<String>,
}

impl CallbackQuery {
    /// Percent-decodes without turning `+` into a space: `echostr` is base64 and WeChat does
    /// not always escape its `+`, while no parameter ever carries a space.
    pub fn parse(query_string: &str) -> Self {
        let mut q = CallbackQuery::default();
        for pair in query_string.split('&') {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let value = percent_encoding::percent_decode_str(value)
                .decode_utf8_lossy()
                .into_owned();
            let slot = match name {
                "signature" => &mut q.signature,
                "msg_signature" => &mut q.msg_signature,
                "timestamp" => &mut q.timestamp,
                "nonce" => &mut q.nonce,
                "echostr" => &mut q.echostr,
                "encrypt_type" => &mut q.encrypt_type,
                _ => continue,
            };
            slot.get_or_insert(value);
        }
        q
    }
}

fn param<'a>(value: &'a Option<String>, name: &'static str) -> Result<&'a str, CallbackError> {
    value.as_deref().ok_or(CallbackError::MissingParam(name))
}

/// How the reply must leave: in the mode the message came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplyMode {
    Plain,
    Encrypted,
}

#[derive(Debug)]
pub struct Opened {
    pub inbound: Inbound,
    pub mode: ReplyMode,
}

/// One callback endpoint: an Official Account or a WeCom app.
#[derive(Debug, Clone)]
pub struct Endpoint {
    channel: Channel,
    token: SecretString,
    cipher: Option<MessageCipher>,
    window_secs: i64,
}

impl Endpoint {
    /// An Official Account endpoint; without an AES key it takes plaintext messages only.
    pub fn official_account(
        app_id: &str,
        token: SecretString,
        aes_key: Option<AesKey>,
        window_secs: i64,
    ) -> Self {
        Self {
            channel: Channel::OfficialAccount,
            token,
            cipher: aes_key.map(|key| MessageCipher::new(key, app_id.to_owned())),
            window_secs,
        }
    }

    pub fn wecom(corp_id: &str, token: SecretString, aes_key: AesKey, window_secs: i64) -> Self {
        Self {
            channel: Channel::WeCom,
            token,
            cipher: Some(MessageCipher::new(aes_key, corp_id.to_owned())),
            window_secs,
        }
    }

    /// The Official Account's endpoint as configured.
    pub fn of_official_account(settings: &WechatSettings, window_secs: i64) -> Self {
        Self::official_account(
            &settings.app_id,
            settings.token.clone(),
            settings.encoding_aes_key.clone(),
            window_secs,
        )
    }

    /// The WeCom app's endpoint as configured.
    pub fn of_wecom(settings: &WecomSettings, window_secs: i64) -> Self {
        Self::wecom(
            &settings.corp_id,
            settings.token.clone(),
            settings.encoding_aes_key.clone(),
            window_secs,
        )
    }

    pub fn channel(&self) -> Channel {
        self.channel
    }

    fn token(&self) -> &str {
        self.token.expose_secret()
    }

    fn cipher(&self) -> Result<&MessageCipher, CallbackError> {
        self.cipher
            .as_ref()
            .ok_or(CallbackError::EncryptionNotConfigured)
    }

    fn check_timestamp(&self, q: &CallbackQuery, now: i64) -> Result<(), CallbackError> {
        let ts: i64 = param(&q.timestamp, "timestamp")?
            .trim()
            .parse()
            .map_err(|_| CallbackError::BadTimestamp)?;
        let skew_secs = ts.saturating_sub(now).saturating_abs();
        if skew_secs > self.window_secs {
            return Err(CallbackError::StaleTimestamp {
                skew_secs,
                window_secs: self.window_secs,
            });
        }
        Ok(())
    }

    fn check_msg_signature(&self, q: &CallbackQuery, encrypt: &str) -> Result<(), CallbackError> {
        let received = param(&q.msg_signature, "msg_signature")?;
        let timestamp = param(&q.timestamp, "timestamp")?;
        let nonce = param(&q.nonce, "nonce")?;
        if signature::verify(&[self.token(), timestamp, nonce, encrypt], received) {
            Ok(())
        } else {
            Err(CallbackError::BadMsgSignature)
        }
    }

    fn check_plain_signature(&self, q: &CallbackQuery) -> Result<(), CallbackError> {
        let received = param(&q.signature, "signature")?;
        let timestamp = param(&q.timestamp, "timestamp")?;
        let nonce = param(&q.nonce, "nonce")?;
        if signature::verify(&[self.token(), timestamp, nonce], received) {
            Ok(())
        } else {
            Err(CallbackError::BadSignature)
        }
    }

    /// GET URL verification: the body to answer with.
    pub fn verify_url(&self, q: &CallbackQuery, now: i64) -> Result<String, CallbackError> {
        let echostr = param(&q.echostr, "echostr")?;
        self.check_timestamp(q, now)?;
        match self.channel {
            Channel::OfficialAccount => {
                self.check_plain_signature(q)?;
                Ok(echostr.to_owned())
            }
            Channel::WeCom => {
                self.check_msg_signature(q, echostr)?;
                Ok(self.cipher()?.decrypt(echostr)?)
            }
        }
    }

    /// POST: verifies, decrypts if needed, and parses the message.
    pub fn open(&self, q: &CallbackQuery, body: &str, now: i64) -> Result<Opened, CallbackError> {
        self.check_timestamp(q, now)?;
        let encrypted = match self.channel {
            Channel::WeCom => true,
            Channel::OfficialAccount => {
                self.check_plain_signature(q)?;
                match q.encrypt_type.as_deref() {
                    None | Some("") | Some("raw") => false,
                    Some("aes") => true,
                    Some(other) => {
                        return Err(CallbackError::UnsupportedEncryptType(other.to_owned()))
                    }
                }
            }
        };
        let outer = xml::parse(body)?;
        if !encrypted {
            let inbound = Inbound::from_fields(self.channel, &outer)?;
            return Ok(Opened {
                inbound,
                mode: ReplyMode::Plain,
            });
        }
        let cipher = self.cipher()?;
        let encrypt = outer.require("Encrypt")?;
        self.check_msg_signature(q, encrypt)?;
        let plain = cipher.decrypt(encrypt)?;
        let inbound = Inbound::from_fields(self.channel, &xml::parse(&plain)?)?;
        Ok(Opened {
            inbound,
            mode: ReplyMode::Encrypted,
        })
    }

    /// Wraps a rendered reply for the way the message came in.
    pub fn seal(
        &self,
        mode: ReplyMode,
        reply_xml: &str,
        now: i64,
    ) -> Result<String, CallbackError> {
        match mode {
            ReplyMode::Plain => Ok(reply_xml.to_owned()),
            ReplyMode::Encrypted => {
                let encrypt = self.cipher()?.encrypt(reply_xml);
                let timestamp = now.to_string();
                let nonce = rand::rng()
                    .random_range(100_000_000u64..10_000_000_000)
                    .to_string();
                let sig = signature::sign(&[self.token(), &timestamp, &nonce, &encrypt]);
                Ok(render_encrypted(&encrypt, &sig, &timestamp, &nonce))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_keeps_plus_signs_and_decodes_percent() {
        let q = CallbackQuery::parse("echostr=a+b%2Bc%3D&timestamp=1&timestamp=2&x=y");
        assert_eq!(q.echostr.as_deref(), Some("a+b+c="));
        assert_eq!(q.timestamp.as_deref(), Some("1"));
    }
}
