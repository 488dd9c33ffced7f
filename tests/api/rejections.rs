//! Every bad input gets a 4xx with a reason: never a panic, never a 500.

use crate::helpers::*;
use huiwu::sim::SimAction;
use huiwu::wechat::crypto::{AesKey, MessageCipher};
use huiwu::wechat::signature::sign;

fn now() -> i64 {
    huiwu::clock::Clock::now(&huiwu::clock::SystemClock).timestamp()
}

/// A safe-mode request around an arbitrary Encrypt value, correctly signed.
fn signed_safe_mode(encrypt: &str, ts: i64) -> (String, String) {
    let ts = ts.to_string();
    let plain_sig = sign(&[TOKEN, &ts, "nx"]);
    let msg_sig = sign(&[TOKEN, &ts, "nx", encrypt]);
    (
        format!("signature={plain_sig}&timestamp={ts}&nonce=nx&encrypt_type=aes&msg_signature={msg_sig}"),
        format!("<xml><ToUserName>gh</ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>"),
    )
}

fn oa_cipher(receive_id: &str) -> MessageCipher {
    MessageCipher::new(AesKey::parse(OA_KEY).unwrap(), receive_id)
}

async fn expect(app: &TestApp, query: &str, body: String, status: u16, reason: &str) {
    let r = app.post("/wechat/callback", query, body).await;
    assert_eq!(r.status, status, "{}", r.body);
    assert!(
        r.body.contains(reason),
        "expected {reason:?} in {:?}",
        r.body
    );
}

on_both_backends! {
    async fn signature_and_timestamp_problems_are_refused(backend: Backend) {
        let app = spawn(TestOptions::new(backend)).await;
        let oa = app.oa();
        let ts = now();
        let xml = oa.message_xml("o1", &SimAction::Text("x".into()), ts, 1).unwrap();
        let req = oa.sign_post(&xml, ts, "n");

        let forged = req.query.replace("msg_signature=", "msg_signature=0");
        expect(&app, &forged, req.body.clone(), 401, "msg_signature mismatch").await;
        let forged = req.query.replacen("signature=", "signature=f", 1);
        expect(&app, &forged, req.body.clone(), 401, "signature mismatch").await;
        let missing = req.query.replace("nonce=n&", "");
        expect(&app, &missing, req.body.clone(), 400, "missing query parameter nonce").await;

        let old = ts - 3600;
        let stale = oa.sign_post(&oa.message_xml("o1", &SimAction::Text("x".into()), old, 2).unwrap(), old, "n");
        expect(&app, &stale.query, stale.body, 401, "outside the 300 s window").await;

        let r = app.get(&format!("/wechat/callback?signature=00&timestamp={ts}&nonce=n&echostr=e")).await;
        assert_eq!(r.status, 401, "{}", r.body);
        let r = app.get("/wechat/callback?timestamp=abc&nonce=n&echostr=e&signature=1").await;
        assert_eq!(r.status, 400, "{}", r.body);
    }

    async fn ciphertext_problems_are_refused(backend: Backend) {
        let app = spawn(TestOptions::new(backend)).await;
        let ts = now();
        let inner = format!(
            "<xml><ToUserName>gh</ToUserName><FromUserName>o1</FromUserName><CreateTime>{ts}</CreateTime><MsgType>text</MsgType><Content>x</Content><MsgId>3</MsgId></xml>"
        );

        let (q, b) = signed_safe_mode(&oa_cipher("wx_someone_else").encrypt(&inner), ts);
        let r = app.post("/wechat/callback", &q, b).await;
        assert_eq!(r.status, 403, "{}", r.body);
        assert!(r.body.contains("receive id"), "{}", r.body);

        let (q, b) = signed_safe_mode("!!!not-base64!!!", ts);
        expect(&app, &q, b, 400, "not valid base64").await;

        // 48 bytes decrypt to something whose last byte is no valid pad, or whose length
        // field points past the end: refused either way, never a panic.
        use base64::Engine;
        for fill in [0u8, 7, 255] {
            let junk = base64::engine::general_purpose::STANDARD.encode([fill; 64]);
            let (q, b) = signed_safe_mode(&junk, ts);
            let r = app.post("/wechat/callback", &q, b).await;
            assert_eq!(r.status, 400, "{}", r.body);
        }
        let (q, b) = signed_safe_mode(&base64::engine::general_purpose::STANDARD.encode([1u8; 20]), ts);
        expect(&app, &q, b, 400, "not a positive multiple").await;
    }

    async fn xml_problems_are_refused(backend: Backend) {
        let app = spawn(TestOptions::new(backend)).await;
        let ts = now();
        let xxe = r#"<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]><xml><Encrypt>&x;</Encrypt></xml>"#;
        let (q, _) = signed_safe_mode("", ts);
        expect(&app, &q, xxe.to_owned(), 400, "DOCTYPE").await;
        expect(&app, &q, "<xml><Encrypt>".to_owned(), 400, "XML").await;
        expect(&app, &q, "<xml></xml>".to_owned(), 400, "missing the Encrypt element").await;
        expect(&app, &q, "not xml at all".to_owned(), 400, "XML").await;

        // Decrypts fine but the message inside is broken.
        let (q, b) = signed_safe_mode(&oa_cipher(APP_ID).encrypt("<xml><MsgType>text</MsgType></xml>"), ts);
        expect(&app, &q, b, 400, "missing the").await;
        let (q, b) = signed_safe_mode(&oa_cipher(APP_ID).encrypt("<!DOCTYPE x><xml/>"), ts);
        expect(&app, &q, b, 400, "DOCTYPE").await;
    }

    async fn oversized_bodies_are_refused(backend: Backend) {
        let mut opts = TestOptions::new(backend);
        opts.max_body_bytes = 2048;
        let app = spawn(opts).await;
        let (q, _) = signed_safe_mode("", now());
        let big = format!("<xml><Encrypt>{}</Encrypt></xml>", "A".repeat(4096));
        expect(&app, &q, big, 413, "larger than 2048 bytes").await;
        // Without a Content-Length the limit still holds.
        let stream = futures_util::stream::iter(vec![Ok::<_, std::io::Error>(vec![b'A'; 4096])]);
        let r = app.post("/wechat/callback", &q, reqwest::Body::wrap_stream(stream)).await;
        assert_eq!(r.status, 413, "{}", r.body);
    }

    async fn mode_and_channel_mismatches_are_refused(backend: Backend) {
        let mut opts = TestOptions::new(backend);
        opts.oa_encrypted = false;
        opts.wecom = false;
        let app = spawn(opts).await;
        let (q, b) = signed_safe_mode("abc", now());
        expect(&app, &q, b, 400, "no EncodingAESKey is configured").await;
        let r = app.post("/wecom/callback", "msg_signature=1&timestamp=1&nonce=1", "<xml/>").await;
        assert_eq!(r.status, 404, "{}", r.body);
        let r = app.get("/wecom/callback?msg_signature=1&timestamp=1&nonce=1&echostr=1").await;
        assert_eq!(r.status, 404, "{}", r.body);
        let q = q.replace("encrypt_type=aes", "encrypt_type=rsa");
        expect(&app, &q, "<xml/>".to_owned(), 400, "encrypt_type").await;
    }
}
