// Test code: a failed unwrap is a failed test, which is what we want.
#![allow(clippy::unwrap_used, clippy::expect_used)]

//! Every case of ../shared/wechat/vectors.json, through the same code the server runs.

use huiwu::config::Settings;
use huiwu::wechat::crypto::{AesKey, CryptoError, MessageCipher};
use huiwu::wechat::envelope::{CallbackQuery, Endpoint, ReplyMode};
use huiwu::wechat::error::CallbackError;
use huiwu::wechat::signature;
use serde_json::Value;
use std::path::PathBuf;

fn vectors() -> Vec<Value> {
    let path = std::env::var_os("HUIWU_VECTORS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/wechat/vectors.json")
        });
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read test vectors at {}: {e}", path.display()));
    let doc: Value = serde_json::from_str(&text).expect("vectors.json is JSON");
    let cases = doc["cases"].as_array().expect("cases array").clone();
    assert!(cases.len() >= 20, "expected the full vector set");
    cases
}

fn s<'a>(case: &'a Value, key: &str) -> &'a str {
    case[key]
        .as_str()
        .unwrap_or_else(|| panic!("{}: no {key}", case["name"]))
}

fn opt<'a>(case: &'a Value, key: &str) -> Option<&'a str> {
    case[key].as_str()
}

fn rejects(case: &Value) -> bool {
    s(case, "expect").starts_with("reject")
}

fn now(case: &Value) -> i64 {
    opt(case, "timestamp").map_or(0, |t| t.parse().expect("numeric timestamp"))
}

fn oa_endpoint(case: &Value) -> Endpoint {
    let key = opt(case, "encoding_aes_key").unwrap_or_default();
    let toml = format!(
        "[wechat]\napp_id = {:?}\napp_secret = 'x'\ntoken = {:?}\nencoding_aes_key = {:?}\n",
        opt(case, "app_id").unwrap_or("wx_test"),
        s(case, "token"),
        key
    );
    let settings = Settings::from_toml_str(&toml).expect("vector settings");
    Endpoint::of_official_account(settings.wechat.as_ref().expect("wechat"), 300)
}

fn wecom_endpoint(case: &Value) -> Endpoint {
    let toml = format!(
        "[wecom]\ncorp_id = {:?}\nagent_id = '1'\nsecret = 'x'\ntoken = {:?}\nencoding_aes_key = {:?}\n",
        s(case, "corp_id"),
        s(case, "token"),
        s(case, "encoding_aes_key")
    );
    let settings = Settings::from_toml_str(&toml).expect("vector settings");
    Endpoint::of_wecom(settings.wecom.as_ref().expect("wecom"), 300)
}

fn cipher(case: &Value, receive_id_key: &str) -> MessageCipher {
    MessageCipher::new(
        AesKey::parse(s(case, "encoding_aes_key")).expect("vector key parses"),
        s(case, receive_id_key),
    )
}

fn random16(case: &Value) -> [u8; 16] {
    s(case, "random16")
        .as_bytes()
        .try_into()
        .expect("random16 is 16 bytes")
}

fn check_case(case: &Value) {
    let name = s(case, "name");
    match s(case, "kind") {
        "signature" => {
            let query = CallbackQuery::parse(&format!(
                "signature={}&timestamp={}&nonce={}&echostr={}",
                s(case, "signature"),
                s(case, "timestamp"),
                s(case, "nonce"),
                s(case, "echostr")
            ));
            let result = oa_endpoint(case).verify_url(&query, now(case));
            if rejects(case) {
                assert!(
                    matches!(result, Err(CallbackError::BadSignature)),
                    "{name}: {result:?}"
                );
            } else {
                assert_eq!(result.expect(name), s(case, "echostr"), "{name}");
            }
        }
        "wecom_verify" => {
            let mut query = CallbackQuery::parse(&format!(
                "msg_signature={}&timestamp={}&nonce={}",
                s(case, "msg_signature"),
                s(case, "timestamp"),
                s(case, "nonce")
            ));
            query.echostr = Some(s(case, "echostr").to_owned());
            let result = wecom_endpoint(case).verify_url(&query, now(case));
            if rejects(case) {
                assert!(
                    matches!(result, Err(CallbackError::BadMsgSignature)),
                    "{name}: {result:?}"
                );
            } else {
                assert_eq!(result.expect(name), s(case, "expect_body"), "{name}");
            }
        }
        "wecom_encrypted" | "oa_encrypted" => check_encrypted(case),
        "wecom_reply" | "oa_reply" => {
            let receive_id = if s(case, "kind") == "wecom_reply" {
                "corp_id"
            } else {
                "app_id"
            };
            let encrypted =
                cipher(case, receive_id).encrypt_with_random(&random16(case), s(case, "plaintext"));
            assert_eq!(encrypted, s(case, "encrypt"), "{name}: ciphertext");
            if let Some(expected) = opt(case, "msg_signature") {
                let sig = signature::sign(&[
                    s(case, "token"),
                    s(case, "timestamp"),
                    s(case, "nonce"),
                    &encrypted,
                ]);
                assert_eq!(sig, expected, "{name}: signature");
            }
        }
        other => panic!("{name}: unknown vector kind {other}"),
    }
}

fn check_encrypted(case: &Value) {
    let name = s(case, "name");
    let wecom = s(case, "kind") == "wecom_encrypted";
    let receive_id = if wecom { "corp_id" } else { "app_id" };
    let encrypt = s(case, "encrypt");
    let token = s(case, "token");
    let (ts, nonce) = (s(case, "timestamp"), s(case, "nonce"));

    assert!(
        signature::verify(&[token, ts, nonce, encrypt], s(case, "msg_signature")),
        "{name}: msg_signature"
    );
    let decrypted = cipher(case, receive_id).decrypt(encrypt);
    if rejects(case) {
        assert_eq!(decrypted, Err(CryptoError::ReceiveId), "{name}");
    } else {
        assert_eq!(decrypted.as_deref(), Ok(s(case, "plaintext")), "{name}");
    }

    // The whole POST path, when the vector carries what a real request would.
    let body = opt(case, "body")
        .map(str::to_owned)
        .unwrap_or_else(|| format!("<xml><ToUserName><![CDATA[x]]></ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>"));
    let (endpoint, query) = if wecom {
        (
            wecom_endpoint(case),
            format!(
                "msg_signature={}&timestamp={ts}&nonce={nonce}",
                s(case, "msg_signature")
            ),
        )
    } else {
        let plain_sig = opt(case, "plain_signature")
            .map(str::to_owned)
            .unwrap_or_else(|| signature::sign(&[token, ts, nonce]));
        (
            oa_endpoint(case),
            format!(
                "signature={plain_sig}&timestamp={ts}&nonce={nonce}&openid=o&encrypt_type=aes&msg_signature={}",
                s(case, "msg_signature")
            ),
        )
    };
    let opened = endpoint.open(&CallbackQuery::parse(&query), &body, now(case));
    if rejects(case) {
        assert!(
            matches!(opened, Err(CallbackError::Crypto(CryptoError::ReceiveId))),
            "{name}: {opened:?}"
        );
    } else {
        let opened = opened.unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(opened.mode, ReplyMode::Encrypted, "{name}");
        let plain = huiwu::wechat::xml::parse(s(case, "plaintext")).expect("plaintext XML");
        assert_eq!(
            opened.inbound.from_user,
            plain.require("FromUserName").expect("sender"),
            "{name}"
        );
    }
}

#[test]
fn every_vector_passes() {
    let cases = vectors();
    for case in &cases {
        check_case(case);
    }
}

#[test]
fn a_tampered_ciphertext_is_refused_for_every_encrypted_vector() {
    for case in vectors()
        .iter()
        .filter(|c| s(c, "kind").ends_with("_encrypted"))
    {
        let receive_id = if s(case, "kind").starts_with("wecom") {
            "corp_id"
        } else {
            "app_id"
        };
        let mut bytes: Vec<char> = s(case, "encrypt").chars().collect();
        // Flip a character in the last block so padding or receive id breaks.
        let at = bytes.len() - 6;
        bytes[at] = if bytes[at] == 'A' { 'B' } else { 'A' };
        let tampered: String = bytes.into_iter().collect();
        assert!(
            cipher(case, receive_id).decrypt(&tampered).is_err(),
            "{}",
            s(case, "name")
        );
    }
}
