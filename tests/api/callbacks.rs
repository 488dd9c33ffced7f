//! The happy paths: URL verification and messages in every mode, on both channels.

use crate::helpers::*;
use huiwu::sim::{SimAction, SimReply};
use huiwu::wechat::signature::sign;

fn now() -> i64 {
    huiwu::clock::Clock::now(&huiwu::clock::SystemClock).timestamp()
}

on_both_backends! {
    async fn health_answers_when_the_database_does(backend: Backend) {
        let app = spawn(TestOptions::new(backend)).await;
        let r = app.get("/healthz").await;
        assert_eq!((r.status, r.body.as_str()), (200, "ok"));
        let head = app.client.head(format!("{}/healthz", app.base)).send().await.unwrap();
        assert_eq!(head.status().as_u16(), 200);
    }

    async fn oa_url_verification_echoes(backend: Backend) {
        let app = spawn(TestOptions::new(backend)).await;
        let ts = now().to_string();
        let sig = sign(&[TOKEN, &ts, "n1"]);
        let r = app
            .get(&format!("/wechat/callback?signature={sig}&timestamp={ts}&nonce=n1&echostr=hello123"))
            .await;
        assert_eq!((r.status, r.body.as_str()), (200, "hello123"));
    }

    async fn wecom_url_verification_returns_the_bare_decrypted_echostr(backend: Backend) {
        let app = spawn(TestOptions::new(backend)).await;
        let cipher = huiwu::wechat::crypto::MessageCipher::new(
            huiwu::wechat::crypto::AesKey::parse(WECOM_KEY).unwrap(),
            CORP_ID,
        );
        let echostr = cipher.encrypt("8321659732");
        let ts = now().to_string();
        let sig = sign(&[TOKEN, &ts, "n2", &echostr]);
        let encoded: String = url::form_urlencoded::byte_serialize(echostr.as_bytes()).collect();
        let r = app
            .get(&format!("/wecom/callback?msg_signature={sig}&timestamp={ts}&nonce=n2&echostr={encoded}"))
            .await;
        assert_eq!((r.status, r.body.as_str()), (200, "8321659732"));
    }

    async fn safe_mode_text_gets_an_encrypted_signed_reply(backend: Backend) {
        let app = spawn(TestOptions::new(backend)).await;
        let oa = app.oa();
        let reply = app.act(&oa, "oUser_alice", SimAction::Text("确认 12".into())).await;
        let SimReply::Message(fields) = &reply else { panic!("expected a reply") };
        // An unbound follower is asked to bind first.
        assert!(fields.string("Content").contains("绑定 工号"), "{fields:?}");
        assert_eq!(fields.get("ToUserName"), Some("oUser_alice"));
        assert_eq!(fields.get("FromUserName"), Some(APP_ID));
    }

    async fn compatible_mode_uses_the_encrypted_part(backend: Backend) {
        let router = EchoRouter::new(std::time::Duration::ZERO);
        let mut opts = TestOptions::new(backend);
        opts.router = Some(router.clone());
        let app = spawn(opts).await;
        let oa = app.oa();
        let ts = now();
        let inner = oa.message_xml("oBob", &SimAction::Text("真的".into()), ts, 77).unwrap();
        let mut req = oa.sign_post(&inner, ts, "n3");
        // Compatible mode: the plain fields travel beside <Encrypt>; a forged plain Content
        // must not win over the signed ciphertext.
        req.body = req.body.replace(
            "</xml>",
            "<FromUserName>oBob</FromUserName><MsgType>text</MsgType><Content>假的</Content><MsgId>77</MsgId></xml>",
        );
        let reply = app.deliver(&oa, &req).await;
        assert_eq!(reply_content(&reply), "echo: 真的");
    }

    async fn plaintext_mode_replies_in_plaintext(backend: Backend) {
        let mut opts = TestOptions::new(backend);
        opts.oa_encrypted = false;
        opts.router = Some(EchoRouter::new(std::time::Duration::ZERO));
        let app = spawn(opts).await;
        let oa = app.oa();
        let ts = now();
        let xml = oa.message_xml("oCarol", &SimAction::Text("hi ]]> there".into()), ts, 5).unwrap();
        let req = oa.sign_post(&xml, ts, "n4");
        assert!(!req.query.contains("encrypt_type"));
        let r = app.post_signed(&oa, &req).await;
        assert_eq!(r.status, 200);
        assert!(!r.body.contains("<Encrypt>"), "{}", r.body);
        let f = huiwu::wechat::xml::parse(&r.body).unwrap();
        assert_eq!(f.get("Content"), Some("echo: hi ]]> there"));
    }

    async fn wecom_messages_and_card_clicks_are_answered(backend: Backend) {
        let mut opts = TestOptions::new(backend);
        opts.router = Some(EchoRouter::new(std::time::Duration::ZERO));
        let app = spawn(opts).await;
        let wecom = app.wecom();
        let reply = app.act(&wecom, "zhangsan", SimAction::Text("我的会议".into())).await;
        assert_eq!(reply_content(&reply), "echo: 我的会议");
        let reply = app.act(&wecom, "zhangsan", SimAction::CardClick("rsvp:accept:12".into())).await;
        assert_eq!(reply_content(&reply), "event: template_card_event");
    }

    async fn every_event_kind_is_accepted(backend: Backend) {
        let mut opts = TestOptions::new(backend);
        opts.router = Some(EchoRouter::new(std::time::Duration::ZERO));
        let app = spawn(opts).await;
        let oa = app.oa();
        let cases = [
            (SimAction::Click("MY_MEETINGS".into()), "event: CLICK"),
            (SimAction::Scan("checkin:12".into()), "event: SCAN"),
            (SimAction::Subscribe { scene: Some("checkin:12".into()) }, "event: subscribe"),
            (SimAction::Subscribe { scene: None }, "event: subscribe"),
        ];
        for (action, expected) in cases {
            let reply = app.act(&oa, "oDave", action).await;
            assert_eq!(reply_content(&reply), expected);
        }
        let wecom = app.wecom();
        let reply = app.act(&wecom, "lisi", SimAction::Scan("checkin:12".into())).await;
        assert_eq!(reply_content(&reply), "event: scancode_waitmsg");
    }

    async fn unknown_message_types_are_acknowledged(backend: Backend) {
        let app = spawn(TestOptions::new(backend)).await;
        let oa = app.oa();
        let ts = now();
        let xml = format!(
            "<xml><ToUserName>{APP_ID}</ToUserName><FromUserName>oEve</FromUserName><CreateTime>{ts}</CreateTime>\
             <MsgType>miniprogrampage</MsgType><MsgId>99</MsgId></xml>"
        );
        let reply = app.deliver(&oa, &oa.sign_post(&xml, ts, "n5")).await;
        assert_eq!(reply, SimReply::Acknowledged);
    }
}
