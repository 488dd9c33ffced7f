//! The whole decode path of a callback: query parsing, signature checks, XML, decryption,
//! typed message parsing. The fuzzer's bytes are the body; the harness signs whatever
//! `Encrypt` it finds so the fuzzer gets past the signature check into decryption and parsing.
#![no_main]

use huiwu::config::Settings;
use huiwu::wechat::envelope::{CallbackQuery, Endpoint};
use huiwu::wechat::signature::sign;
use huiwu::wechat::xml;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

const TOKEN: &str = "huiwu_token_1";
const NOW: i64 = 1_700_000_000;

fn endpoints() -> &'static (Endpoint, Endpoint) {
    static ENDPOINTS: OnceLock<(Endpoint, Endpoint)> = OnceLock::new();
    ENDPOINTS.get_or_init(|| {
        let settings = Settings::from_toml_str(&format!(
            "[wechat]\napp_id = 'wx2c2769f8efd9abc2'\napp_secret = 's'\ntoken = '{TOKEN}'\n\
             encoding_aes_key = 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR'\n\
             [wecom]\ncorp_id = 'ww1234567890abcdef'\nagent_id = '1'\nsecret = 's'\ntoken = '{TOKEN}'\n\
             encoding_aes_key = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C'\n"
        ))
        .expect("fuzz settings");
        (
            Endpoint::official_account(settings.wechat.as_ref().expect("wechat"), 300),
            Endpoint::wecom(settings.wecom.as_ref().expect("wecom"), 300),
        )
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else {
        return;
    };
    let (oa, wecom) = endpoints();
    let ts = NOW.to_string();
    let encrypt = xml::parse(body)
        .ok()
        .and_then(|f| f.opt_string("Encrypt"))
        .unwrap_or_default();
    let plain_sig = sign(&[TOKEN, &ts, "n"]);
    let msg_sig = sign(&[TOKEN, &ts, "n", &encrypt]);
    for query in [
        format!("signature={plain_sig}&timestamp={ts}&nonce=n"),
        format!("signature={plain_sig}&timestamp={ts}&nonce=n&encrypt_type=aes&msg_signature={msg_sig}"),
    ] {
        let _ = oa.open(&CallbackQuery::parse(&query), body, NOW);
    }
    let _ = wecom.open(
        &CallbackQuery::parse(&format!("msg_signature={msg_sig}&timestamp={ts}&nonce=n")),
        body,
        NOW,
    );
    // The query string itself is attacker-controlled too.
    let _ = oa.verify_url(&CallbackQuery::parse(body), NOW);
});
