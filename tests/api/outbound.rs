//! The outbound side against a mock WeChat API (wiremock): access tokens, the outbox worker,
//! notices from admin changes, late replies.

use crate::helpers::*;
use chrono::{Duration as ChronoDuration, TimeZone, Utc};
use huiwu::clock::{Clock, ManualClock};
use huiwu::config::OutboundSettings;
use huiwu::db::outbox::{self, NewMessage};
use huiwu::notify::worker::{Channels, OutboxWorker};
use huiwu::wechat::api::{ApiClient, Credentials, TokenSource};
use reqwest::Method;
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;
use wiremock::matchers::{body_partial_json, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

pub(crate) fn clock() -> Arc<ManualClock> {
    Arc::new(ManualClock::new(
        Utc.with_ymd_and_hms(2026, 12, 1, 2, 0, 0).unwrap(),
    ))
}

pub(crate) fn tokens(
    app: &TestApp,
    server: &MockServer,
    clock: Arc<ManualClock>,
    owner: &str,
) -> Arc<TokenSource> {
    Arc::new(TokenSource::new(
        "oa:wx_test".into(),
        Credentials::OfficialAccount {
            app_id: "wx_test".into(),
            secret: "s3cret".to_owned().into(),
            stable: true,
        },
        reqwest::Client::new(),
        server.uri().parse().unwrap(),
        app.db.clone(),
        clock,
        Duration::from_secs(300),
        owner.into(),
    ))
}

fn token_answer(token: &str, expires_in: i64) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_body_json(json!({"access_token": token, "expires_in": expires_in}))
}

pub(crate) fn outbound_settings() -> OutboundSettings {
    OutboundSettings {
        concurrency: 8,
        token_refresh_ahead: Duration::from_secs(300),
        request_timeout: Duration::from_secs(5),
        lease: Duration::from_secs(60),
        max_attempts: 3,
    }
}

async fn quiet_app(backend: Backend) -> TestApp {
    let mut opts = TestOptions::new(backend);
    opts.outbox_worker = false;
    spawn(opts).await
}

pub(crate) fn worker(
    app: &TestApp,
    server: &MockServer,
    clock: Arc<ManualClock>,
) -> Arc<OutboxWorker> {
    let client = Arc::new(ApiClient::new(
        reqwest::Client::new(),
        server.uri().parse().unwrap(),
        tokens(app, server, clock.clone(), "worker"),
    ));
    OutboxWorker::new(
        app.db.clone(),
        Channels {
            oa: Some(client),
            wecom: None,
            wecom_agent_id: None,
        },
        clock,
        outbound_settings(),
        chrono_tz::Asia::Shanghai,
        Arc::new(Notify::new()),
    )
}

pub(crate) async fn queue(app: &TestApp, clock: &ManualClock, key: &str, openid: &str) {
    let now = clock.now().timestamp_millis();
    let message = NewMessage {
        dedupe_key: key.into(),
        channel: huiwu::db::outbox::OutboxChannel::OfficialAccount,
        kind: huiwu::outbox::NoticeKind::Reminder,
        meeting_id: None,
        person_id: None,
        recipient: openid.into(),
        api_path: "/cgi-bin/message/custom/send",
        payload: json!({"touser": openid, "msgtype": "text", "text": {"content": "hi"}})
            .to_string(),
        unreachable: None,
    };
    let fresh = app
        .db
        .run(move |c| outbox::enqueue(c, &message, now))
        .await
        .unwrap();
    assert!(fresh);
}

pub(crate) async fn rows(app: &TestApp) -> Vec<outbox::OutboxRow> {
    app.db.run(outbox::all).await.unwrap()
}

pub(crate) async fn mount_token(server: &MockServer) {
    Mock::given(method("POST"))
        .and(path("/cgi-bin/stable_token"))
        .respond_with(token_answer("T1", 7200))
        .mount(server)
        .await;
}

pub(crate) fn send_ok() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"errcode": 0, "errmsg": "ok", "msgid": 1001}))
}

fn errcode(code: i64) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"errcode": code, "errmsg": "mock"}))
}

on_both_backends! {
    async fn fifty_concurrent_callers_cause_one_token_fetch(backend: Backend) {
        let app = quiet_app(backend).await;
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/cgi-bin/stable_token"))
            .and(body_partial_json(json!({"grant_type": "client_credential", "appid": "wx_test"})))
            .respond_with(token_answer("T1", 7200).set_delay(Duration::from_millis(200)))
            .expect(1)
            .mount(&server)
            .await;
        let source = tokens(&app, &server, clock(), "a");
        let calls: Vec<_> = (0..50).map(|_| { let s = source.clone(); tokio::spawn(async move { s.get().await }) }).collect();
        for call in calls {
            assert_eq!(call.await.unwrap().unwrap(), "T1");
        }
        // A second instance sharing the database reuses the stored token.
        let other = tokens(&app, &server, clock(), "b");
        assert_eq!(other.get().await.unwrap(), "T1");
    }

    async fn two_instances_fetching_at_once_fetch_once(backend: Backend) {
        let app = quiet_app(backend).await;
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/cgi-bin/stable_token"))
            .respond_with(token_answer("T1", 7200).set_delay(Duration::from_millis(300)))
            .expect(1)
            .mount(&server)
            .await;
        let a = tokens(&app, &server, clock(), "instance-a");
        let b = tokens(&app, &server, clock(), "instance-b");
        let (ta, tb) = tokio::join!(a.get(), b.get());
        assert_eq!((ta.unwrap(), tb.unwrap()), ("T1".to_owned(), "T1".to_owned()));
    }

    async fn tokens_are_refreshed_ahead_of_expiry(backend: Backend) {
        let app = quiet_app(backend).await;
        let server = MockServer::start().await;
        Mock::given(method("POST")).and(path("/cgi-bin/stable_token"))
            .respond_with(token_answer("T1", 400)).up_to_n_times(1).mount(&server).await;
        Mock::given(method("POST")).and(path("/cgi-bin/stable_token"))
            .respond_with(token_answer("T2", 7200)).mount(&server).await;
        let clock = clock();
        let source = tokens(&app, &server, clock.clone(), "a");
        assert_eq!(source.get().await.unwrap(), "T1");
        clock.advance(ChronoDuration::seconds(99));
        assert_eq!(source.get().await.unwrap(), "T1", "still 301 s left, beyond the 300 s margin");
        clock.advance(ChronoDuration::seconds(2));
        assert_eq!(source.get().await.unwrap(), "T2", "within the margin: refreshed");
    }

    async fn a_refused_token_is_refreshed_once_and_the_call_retried(backend: Backend) {
        let app = quiet_app(backend).await;
        let server = MockServer::start().await;
        Mock::given(method("POST")).and(path("/cgi-bin/stable_token"))
            .respond_with(token_answer("T1", 7200)).up_to_n_times(1).expect(1).mount(&server).await;
        Mock::given(method("POST")).and(path("/cgi-bin/stable_token"))
            .respond_with(token_answer("T2", 7200)).expect(1).mount(&server).await;
        Mock::given(method("POST")).and(path("/cgi-bin/message/custom/send")).and(query_param("access_token", "T1"))
            .respond_with(errcode(40001)).expect(1).mount(&server).await;
        Mock::given(method("POST")).and(path("/cgi-bin/message/custom/send")).and(query_param("access_token", "T2"))
            .respond_with(send_ok()).expect(1).mount(&server).await;
        let client = ApiClient::new(reqwest::Client::new(), server.uri().parse().unwrap(), tokens(&app, &server, clock(), "a"));
        let answer = client.post("/cgi-bin/message/custom/send", &json!({"touser": "o1"})).await.unwrap();
        assert_eq!(answer["msgid"], 1001);
        // Another instance still holding T1 learns of the refusal: it must not expire T2.
        let stale = tokens(&app, &server, clock(), "b");
        stale.invalidate("T1").await.unwrap();
        assert_eq!(stale.get().await.unwrap(), "T2");
    }

    async fn busy_and_5xx_are_retried_with_backoff_and_permanent_errors_are_not(backend: Backend) {
        let app = quiet_app(backend).await;
        let server = MockServer::start().await;
        mount_token(&server).await;
        Mock::given(method("POST")).and(path("/cgi-bin/message/custom/send")).and(body_partial_json(json!({"touser": "busy"})))
            .respond_with(errcode(-1)).up_to_n_times(1).mount(&server).await;
        Mock::given(method("POST")).and(path("/cgi-bin/message/custom/send")).and(body_partial_json(json!({"touser": "busy"})))
            .respond_with(send_ok()).mount(&server).await;
        Mock::given(method("POST")).and(path("/cgi-bin/message/custom/send")).and(body_partial_json(json!({"touser": "flaky"})))
            .respond_with(ResponseTemplate::new(502)).up_to_n_times(1).mount(&server).await;
        Mock::given(method("POST")).and(path("/cgi-bin/message/custom/send")).and(body_partial_json(json!({"touser": "flaky"})))
            .respond_with(send_ok()).mount(&server).await;
        Mock::given(method("POST")).and(path("/cgi-bin/message/custom/send")).and(body_partial_json(json!({"touser": "gone"})))
            .respond_with(errcode(43004)).expect(1).mount(&server).await;
        let clock = clock();
        for (key, to) in [("k1", "busy"), ("k2", "flaky"), ("k3", "gone")] {
            queue(&app, &clock, key, to).await;
        }
        let w = worker(&app, &server, clock.clone());
        assert_eq!(w.clone().tick().await.unwrap(), 3);
        let after = rows(&app).await;
        let status = |to: &str| after.iter().find(|r| r.recipient == to).unwrap().clone();
        assert_eq!(status("busy").status.as_str(), "pending");
        assert!(status("busy").next_attempt_at.millis() > clock.now().timestamp_millis(), "backs off");
        assert_eq!(status("flaky").status.as_str(), "pending");
        assert!(status("flaky").last_error.unwrap().contains("HTTP 502"));
        assert_eq!(status("gone").status.as_str(), "failed");
        assert!(status("gone").last_error.unwrap().contains("43004"));

        assert_eq!(w.clone().tick().await.unwrap(), 0, "nothing is due before the backoff ends");
        clock.advance(ChronoDuration::seconds(3));
        assert_eq!(w.clone().tick().await.unwrap(), 2);
        let done = rows(&app).await;
        assert_eq!(done.iter().filter(|r| r.status.as_str() == "sent").count(), 2);
        assert!(done.iter().all(|r| r.recipient == "gone" || r.wechat_msgid.as_deref() == Some("1001")));
        clock.advance(ChronoDuration::hours(1));
        assert_eq!(w.tick().await.unwrap(), 0, "failed and sent rows are never sent again");
    }

    async fn a_damaged_message_is_set_aside_and_the_queue_behind_it_is_sent(backend: Backend) {
        let app = quiet_app(backend).await;
        let server = MockServer::start().await;
        mount_token(&server).await;
        Mock::given(method("POST")).and(path("/cgi-bin/message/custom/send"))
            .respond_with(send_ok()).expect(2).mount(&server).await;
        let clock = clock();
        for i in 0..3 {
            queue(&app, &clock, &format!("k{i}"), &format!("o{i}")).await;
        }
        // The oldest row names a channel huiwu does not have: it would be claimed first on
        // every round and spoil the whole batch.
        app.write_sql("UPDATE outbox SET channel = 'pigeon' WHERE dedupe_key = 'k0'").await;
        let w = worker(&app, &server, clock.clone());
        let set_aside = || huiwu::telemetry::metrics::METRICS.set_aside.with_label_values(&["outbox"]).get();
        let before = set_aside();
        assert_eq!(w.clone().tick().await.unwrap(), 3, "two sent, one set aside");
        assert!(set_aside() > before, "counted for the operator's alert");
        clock.advance(ChronoDuration::hours(1));
        assert_eq!(w.clone().tick().await.unwrap(), 0, "the damaged row is not claimed again");
        server.verify().await;
        app.write_sql("UPDATE outbox SET channel = 'oa' WHERE dedupe_key = 'k0'").await;
        let by_key: Vec<(String, String, Option<String>)> = rows(&app).await.into_iter()
            .map(|r| (r.dedupe_key, r.status.as_str().to_owned(), r.last_error)).collect();
        assert_eq!((by_key[0].0.as_str(), by_key[0].1.as_str()), ("k0", "failed"), "{by_key:?}");
        assert!(by_key[0].2.as_deref().is_some_and(|e| e.contains("pigeon")), "the error says what was wrong: {by_key:?}");
        assert!(by_key[1..].iter().all(|(_, status, _)| status == "sent"), "{by_key:?}");
    }

    async fn late_replies_that_cannot_be_sent_as_stored_are_set_aside_and_the_rest_go(backend: Backend) {
        use huiwu::db::deferred_replies::{self, NewDeferredReply, ReplyChannel};
        // The app's own housekeeping prunes late replies by its clock: the test's, so that
        // it prunes nothing while the test looks.
        let clock = clock();
        let mut opts = TestOptions::new(backend);
        opts.outbox_worker = false;
        opts.clock = Some(clock.clone());
        let app = spawn(opts).await;
        let server = MockServer::start().await;
        mount_token(&server).await;
        Mock::given(method("POST")).and(path("/cgi-bin/message/custom/send"))
            .and(body_partial_json(json!({"touser": "o1", "text": {"content": "迟到的回复"}})))
            .respond_with(send_ok()).expect(1).mount(&server).await;
        let now_ms = clock.now().timestamp_millis();
        let good = serde_json::to_string(&huiwu::wechat::Reply::text("迟到的回复")).unwrap();
        let late = [
            (ReplyChannel::OfficialAccount, "k1", "o1", good.clone()),
            (ReplyChannel::OfficialAccount, "k2", "o2", "不是 JSON".to_owned()),
            (ReplyChannel::Wecom, "k3", "u3", good.clone()),
            (ReplyChannel::OfficialAccount, "k4", "o4", good),
        ];
        app.db.run(move |c| {
            for (channel, key, to, reply) in &late {
                let new = NewDeferredReply { channel: *channel, dedupe_key: key, to_user: to, agent_id: None, reply_json: reply, now_ms };
                deferred_replies::enqueue(c, &new)?;
            }
            Ok(())
        }).await.unwrap();
        app.write_sql("UPDATE deferred_replies SET channel = 'pigeon' WHERE dedupe_key = 'k4'").await;

        let w = worker(&app, &server, clock.clone());
        w.clone().tick().await.expect("damaged late replies do not stop the outbox");
        clock.advance(ChronoDuration::hours(1));
        w.clone().tick().await.unwrap();
        server.verify().await;

        #[derive(diesel::QueryableByName, Debug)]
        struct Late {
            #[diesel(sql_type = diesel::sql_types::Text)]
            dedupe_key: String,
            #[diesel(sql_type = diesel::sql_types::Text)]
            status: String,
            #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
            last_error: Option<String>,
        }
        let stored: Vec<Late> = app.db.run(|c| {
            let q = "SELECT dedupe_key, status, last_error FROM deferred_replies ORDER BY dedupe_key";
            Ok(match c {
                huiwu::db::DbConn::Sqlite(c) => diesel::RunQueryDsl::load(diesel::sql_query(q), c)?,
                huiwu::db::DbConn::Pg(c) => diesel::RunQueryDsl::load(diesel::sql_query(q), c)?,
            })
        }).await.unwrap();
        let standing: Vec<(&str, &str)> = stored.iter().map(|l| (l.dedupe_key.as_str(), l.status.as_str())).collect();
        assert_eq!(standing, [("k1", "queued"), ("k2", "failed"), ("k3", "queued"), ("k4", "failed")], "{stored:?}");
        assert!(stored[1].last_error.as_deref().is_some_and(|e| e.contains("not one huiwu can send")), "{stored:?}");
        assert!(stored[3].last_error.as_deref().is_some_and(|e| e.contains("pigeon")), "{stored:?}");
        // A WeCom reply with no agent id anywhere is recorded as unreachable, never sent.
        let wecom = rows(&app).await.into_iter().find(|r| r.dedupe_key == "reply:k3").unwrap();
        assert_eq!(wecom.status.as_str(), "unreachable", "{wecom:?}");
        assert!(wecom.last_error.as_deref().is_some_and(|e| e.contains("agent id")), "{wecom:?}");
        // Pruned once handed on (the outbox row is the message now); the set-aside ones stay.
        let pruned = app.db.run(move |c| deferred_replies::prune(c, now_ms + 1)).await.unwrap();
        assert_eq!(pruned, 2);
        assert!(app.db.run(move |c| deferred_replies::prune(c, now_ms + 1)).await.unwrap() == 0);
    }

    async fn a_quota_error_pauses_that_api_until_its_window_resets(backend: Backend) {
        let app = quiet_app(backend).await;
        let server = MockServer::start().await;
        mount_token(&server).await;
        Mock::given(method("POST")).and(path("/cgi-bin/message/custom/send"))
            .respond_with(errcode(45009)).expect(1).mount(&server).await;
        let clock = clock();
        queue(&app, &clock, "k1", "o1").await;
        let w = worker(&app, &server, clock.clone());
        w.clone().tick().await.unwrap();
        queue(&app, &clock, "k2", "o2").await;
        w.clone().tick().await.unwrap();
        // 2026-12-01 10:00 in Shanghai: the daily quota resets at local midnight.
        let midnight = Utc.with_ymd_and_hms(2026, 12, 1, 16, 0, 0).unwrap().timestamp_millis();
        for r in rows(&app).await {
            assert_eq!((r.status.as_str(), r.next_attempt_at.millis()), ("pending", midnight), "{r:?}");
            assert_eq!(r.attempts, 0, "a pause is not the message's failure");
        }
        server.verify().await;
    }

    async fn a_sender_that_died_mid_batch_loses_nothing_and_sends_nothing_twice(backend: Backend) {
        let app = quiet_app(backend).await;
        let server = MockServer::start().await;
        mount_token(&server).await;
        Mock::given(method("POST")).and(path("/cgi-bin/message/custom/send"))
            .respond_with(send_ok()).expect(5).mount(&server).await;
        let clock = clock();
        for i in 0..5 {
            queue(&app, &clock, &format!("k{i}"), &format!("o{i}")).await;
        }
        // The first sender claims everything and dies before sending anything.
        let now = clock.now().timestamp_millis();
        let claimed = app.db.run(move |c| outbox::claim(c, now, 60_000, 100)).await.unwrap();
        assert_eq!(claimed.rows.len(), 5);
        let w = worker(&app, &server, clock.clone());
        assert_eq!(w.clone().tick().await.unwrap(), 0, "leased rows are left alone");
        clock.advance(ChronoDuration::seconds(61));
        assert_eq!(w.clone().tick().await.unwrap(), 5, "expired leases are reclaimed");
        assert_eq!(w.tick().await.unwrap(), 0);
        assert!(rows(&app).await.iter().all(|r| r.status.as_str() == "sent"));
    }
}

/// Answers template sends as WeChat does: each with its own msgid, counting up from the first.
struct Msgids(std::sync::atomic::AtomicU64);

impl wiremock::Respond for Msgids {
    fn respond(&self, _: &wiremock::Request) -> ResponseTemplate {
        let msgid = self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        ResponseTemplate::new(200)
            .set_body_json(json!({"errcode": 0, "errmsg": "ok", "msgid": msgid}))
    }
}

async fn mount_wechat(server: &MockServer) {
    mount_token(server).await;
    Mock::given(method("GET"))
        .and(path("/cgi-bin/gettoken"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"errcode": 0, "access_token": "W1", "expires_in": 7200})),
        )
        .mount(server)
        .await;
    Mock::given(method("POST"))
        .and(path("/cgi-bin/message/template/send"))
        .respond_with(Msgids(std::sync::atomic::AtomicU64::new(200228332)))
        .mount(server)
        .await;
    Mock::given(method("POST"))
        .and(path("/cgi-bin/message/send"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"errcode": 0, "errmsg": "ok", "msgid": "wc1"})),
        )
        .mount(server)
        .await;
    Mock::given(method("POST"))
        .and(path("/cgi-bin/message/custom/send"))
        .respond_with(send_ok())
        .mount(server)
        .await;
}

/// The JSON bodies posted to `api`, waiting up to 10 s for at least `n`.
async fn posted(server: &MockServer, api: &str, n: usize) -> Vec<serde_json::Value> {
    for _ in 0..200 {
        let bodies: Vec<serde_json::Value> = server
            .received_requests()
            .await
            .unwrap_or_default()
            .iter()
            .filter(|r| r.url.path() == api)
            .map(|r| serde_json::from_slice(&r.body).unwrap())
            .collect();
        if bodies.len() >= n {
            return bodies;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("fewer than {n} calls to {api}");
}

const TEMPLATES: &str = "[wechat.templates.invitation]\ntemplate_id = 'TPL_INVITE'\n\
    fields = { first = 'summary', keyword1 = 'title', keyword2 = 'time', keyword3 = 'place', remark = 'action' }\n";

on_both_backends! {
    async fn publishing_notifies_each_invitee_on_their_channel(backend: Backend) {
        let server = MockServer::start().await;
        mount_wechat(&server).await;
        let mut opts = TestOptions::new(backend);
        opts.api_base = server.uri();
        opts.extra_config = TEMPLATES.to_owned();
        opts.wechat_extra = "meeting_url = 'https://oa.example.com/meetings/{id}'\n".to_owned();
        let app = spawn(opts).await;
        let person = |name: &str, no: &str, extra: serde_json::Value| {
            let mut body = json!({"name": name, "employee_no": no});
            body.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
            body
        };
        let mut ids = Vec::new();
        for body in [
            person("王主持", "E1", json!({"openid": "oHost"})),
            person("李企业", "E2", json!({"wecom_userid": "li"})),
            person("赵无号", "E3", json!({})),
            person("孙技术", "E4", json!({"openid": "oIT"})),
        ] {
            let (status, created) = app.admin(Method::POST, "/users", Some(body)).await;
            assert_eq!(status, 201, "{created}");
            ids.push(created["id"].as_i64().unwrap());
        }
        let meeting = |title: &str, confidential: bool| json!({
            "title": title,
            "starts_at": "2026-12-01T09:30:00+08:00",
            "ends_at": "2026-12-01T10:30:00+08:00",
            "place": "3楼大会议室",
            "confidential": confidential,
            "agenda": [{"title": "收入回顾", "minutes": 20}],
            "equipment_needs": ["投影"],
            "roles": [
                {"person_id": ids[0], "role": "host"},
                {"person_id": ids[1], "role": "attendee"},
                {"person_id": ids[2], "role": "attendee"},
                {"person_id": ids[3], "role": "it_support"},
            ],
        });
        let (_, open) = app.create_meeting(meeting("预算评审会", false)).await;
        let id = open["id"].as_i64().unwrap();
        let (status, _) = app.publish(id).await;
        assert_eq!(status, 200);

        let template = posted(&server, "/cgi-bin/message/template/send", 2).await;
        let template: Vec<_> = template.into_iter().filter(|t| t["touser"] == "oHost").collect();
        assert_eq!(template[0]["touser"], "oHost");
        assert_eq!(template[0]["template_id"], "TPL_INVITE");
        assert_eq!(template[0]["url"], format!("https://oa.example.com/meetings/{id}"));
        assert_eq!(template[0]["data"]["keyword1"]["value"], "预算评审会");
        assert_eq!(template[0]["data"]["keyword2"]["value"], "12月1日(周二) 09:30–10:30");
        assert!(template[0]["data"]["remark"]["value"].as_str().unwrap().contains(&format!("确认 {id}")));
        let card = posted(&server, "/cgi-bin/message/send", 1).await;
        assert_eq!(card[0]["touser"], "li");
        assert_eq!(card[0]["template_card"]["button_list"][0]["key"], format!("rsvp:accept:{id}"));

        // IT support gets the preparation notice (no template for it: a customer-service text),
        // and their checklist item.
        let texts = posted(&server, "/cgi-bin/message/custom/send", 2).await;
        assert!(texts.iter().all(|t| t["touser"] == "oIT"));
        let prep = |texts: &[serde_json::Value]| -> Vec<serde_json::Value> {
            texts.iter().filter(|t| t.to_string().contains("会务准备")).cloned().collect()
        };
        let prep = prep(&texts);
        assert!(texts.iter().any(|t| t.to_string().contains("筹备清单") && t.to_string().contains("设备调试：投影")));
        let prep_text = prep[0]["text"]["content"].as_str().unwrap();
        assert!(prep_text.contains("参会 4 人，设备需求：投影") && prep_text.contains("3楼大会议室"), "{prep_text}");

        // The delivery report counts by status and names the unreachable person.
        let mut report = json!(null);
        for _ in 0..100 {
            report = app.deliveries(id).await;
            if report["by_status"]["sent"] == 5 { break; }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        // Four invitations (one unreachable), the preparation notice, the checklist item.
        assert_eq!(report["total"], 6, "{report}");
        assert_eq!(report["by_status"]["unreachable"], 1, "{report}");
        assert_eq!(report["problems"][0]["person_id"], ids[2]);
        assert!(report["problems"][0]["reason"].as_str().unwrap().contains("no WeCom userid"));

        // WeChat's report on the template message marks it delivered.
        let oa = app.oa();
        let now = app.clock.now().timestamp();
        let host_row = app.db.run(move |c| huiwu::db::outbox::for_meeting(c, typed(id))).await.unwrap()
            .into_iter().find(|r| r.recipient == "oHost").unwrap();
        let msg_id = host_row.wechat_msgid.unwrap();
        let finish = huiwu::sim::SimAction::TemplateJobFinish { msg_id, status: "success".into() };
        let xml = oa.message_xml(APP_ID, &finish, now, 1).unwrap();
        app.deliver(&oa, &oa.sign_post(&xml, now, "n")).await;
        let report = app.deliveries(id).await;
        assert_eq!(report["by_status"]["delivered"], 1, "{report}");

        // A confidential meeting's notice names neither the meeting nor the place.
        let (_, secret) = app.create_meeting(meeting("并购谈判", true)).await;
        let secret_id = secret["id"].as_i64().unwrap();
        app.publish(secret_id).await;
        let template = posted(&server, "/cgi-bin/message/template/send", 4).await;
        let card = posted(&server, "/cgi-bin/message/send", 2).await;
        let texts = posted(&server, "/cgi-bin/message/custom/send", 4).await;
        let secret_texts: Vec<&serde_json::Value> = texts.iter().filter(|t| t.to_string().contains("保密会议")).collect();
        assert_eq!(secret_texts.len(), 2, "the preparation notice and the checklist item: {texts:?}");
        for body in [&template[2], &template[3], &card[1], secret_texts[0], secret_texts[1]] {
            let text = body.to_string();
            assert!(!text.contains("并购谈判") && !text.contains("3楼") && !text.contains("收入回顾"), "{text}");
            assert!(text.contains("保密会议"), "{text}");
            // Each says where to read more, the checklist item how to tick it off.
            assert!(text.contains(&format!("会议 {secret_id}")) || text.contains("完成清单"), "{text}");
        }

        // With wechat.meeting_url set, WeCom notices other than invitations are text cards
        // linking to the meeting.
        app.cancel_meeting(id, "改期").await;
        let cards = posted(&server, "/cgi-bin/message/send", 3).await;
        let cancelled = cards.iter().find(|c| c["msgtype"] == "textcard").expect("a text card");
        assert_eq!(cancelled["textcard"]["url"], format!("https://oa.example.com/meetings/{id}"));
        assert!(cancelled["textcard"]["description"].as_str().unwrap().contains("会议已取消：改期"));
    }

    async fn replies_later_than_the_deadline_are_sent_as_customer_service_messages(backend: Backend) {
        let server = MockServer::start().await;
        mount_wechat(&server).await;
        let mut opts = TestOptions::new(backend);
        opts.api_base = server.uri();
        opts.router = Some(EchoRouter::new(Duration::from_millis(600)));
        opts.reply_deadline = Some(Duration::from_millis(100));
        let app = spawn(opts).await;
        let oa = app.oa();
        let reply = app.act(&oa, "oSlow", huiwu::sim::SimAction::Text("hi".into())).await;
        assert_eq!(reply_content(&reply), "");
        let sent = posted(&server, "/cgi-bin/message/custom/send", 1).await;
        assert_eq!(sent[0], json!({"touser": "oSlow", "msgtype": "text", "text": {"content": "echo: hi"}}));
    }
}

on_both_backends! {
    async fn two_workers_on_one_database_send_each_row_once(backend: Backend) {
        let app = quiet_app(backend).await;
        let server = MockServer::start().await;
        mount_token(&server).await;
        Mock::given(method("POST")).and(path("/cgi-bin/message/custom/send"))
            .respond_with(send_ok().set_delay(Duration::from_millis(5))).mount(&server).await;
        let clock = clock();
        for i in 0..120 {
            queue(&app, &clock, &format!("k{i}"), &format!("o{i}")).await;
        }
        let a = worker(&app, &server, clock.clone());
        let b = worker(&app, &server, clock.clone());
        let (sa, sb) = tokio::join!(a.tick(), b.tick());
        assert_eq!(sa.unwrap() + sb.unwrap(), 120);
        let mut seen = std::collections::HashMap::new();
        for r in server.received_requests().await.unwrap() {
            if r.url.path() == "/cgi-bin/message/custom/send" {
                let body: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
                *seen.entry(body["touser"].as_str().unwrap().to_owned()).or_insert(0) += 1;
            }
        }
        assert_eq!(seen.len(), 120);
        assert!(seen.values().all(|n| *n == 1), "a row was sent twice: {seen:?}");
    }
}
