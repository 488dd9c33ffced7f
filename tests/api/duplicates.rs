//! WeChat retries a callback it got no answer to within 5 s. A retry must not run the handler
//! again and must get the first delivery's answer, even while the first is still running.

use crate::helpers::*;
use huiwu::db::callback_receipts::{self, Claim, ClaimRequest};
use huiwu::db::{deferred_replies, DbError};
use huiwu::sim::{SimAction, SimReply};
use std::time::Duration;

/// The same tests for a router with its own transaction and one that joins the webhook's.
fn both(delay: Duration) -> [std::sync::Arc<EchoRouter>; 2] {
    [EchoRouter::new(delay), EchoRouter::in_transaction(delay, 0)]
}

/// How many effects the router left that stayed: its audit rows, written in the webhook's
/// transaction where it joins one (PostgreSQL), on its own otherwise (`with_router` attaches it).
async fn effects(app: &TestApp) -> usize {
    let rows = app
        .db
        .run(|c| huiwu::db::audit::list(c, None, 100))
        .await
        .unwrap();
    rows.iter()
        .filter(|r| r.actor.to_string() == "echo")
        .count()
}

fn now() -> i64 {
    huiwu::clock::Clock::now(&huiwu::clock::SystemClock).timestamp()
}

on_both_backends! {
    async fn a_retry_gets_the_same_reply_without_rerunning_the_router(backend: Backend) {
        for router in both(Duration::ZERO) {
        let app = with_router(backend, &router).await;
        let oa = app.oa();
        let ts = now();
        let xml = oa.message_xml("oAlice", &SimAction::Text("确认".into()), ts, 4242).unwrap();
        let first = app.deliver(&oa, &oa.sign_post(&xml, ts, "a1")).await;
        // WeChat's retry carries a fresh nonce and signature but the same MsgId.
        let second = app.deliver(&oa, &oa.sign_post(&xml, ts, "a2")).await;
        assert_eq!(reply_content(&first), "echo: 确认");
        assert_eq!(first, second, "the retry gets the first reply");
        assert_eq!(router.calls(), 1);
        assert_eq!(effects(&app).await, 1);
        }
    }

    async fn a_retry_while_the_first_is_running_waits_for_its_reply(backend: Backend) {
        for router in both(Duration::from_millis(1200)) {
        let app = with_router(backend, &router).await;
        let oa = app.oa();
        let ts = now();
        let xml = oa.message_xml("oBob", &SimAction::Text("请假 生病".into()), ts, 777).unwrap();
        let first_req = oa.sign_post(&xml, ts, "b1");
        let retry_req = oa.sign_post(&xml, ts, "b2");
        let first = app.deliver(&oa, &first_req);
        let retry = async {
            router.started().await;
            app.deliver(&oa, &retry_req).await
        };
        let (first, retry) = tokio::join!(first, retry);
        assert_eq!(reply_content(&first), "echo: 请假 生病");
        assert_eq!(first, retry);
        assert_eq!(router.calls(), 1);
        assert_eq!(effects(&app).await, 1);
        }
    }

    async fn events_are_deduplicated_by_sender_time_and_key(backend: Backend) {
        let router = EchoRouter::new(Duration::ZERO);
        let app = with_router(backend, &router).await;
        let wecom = app.wecom();
        let ts = now();
        let click = wecom.message_xml("wangwu", &SimAction::Click("MY_TASKS".into()), ts, 1).unwrap();
        let other = wecom.message_xml("wangwu", &SimAction::Click("HELP".into()), ts, 2).unwrap();
        app.deliver(&wecom, &wecom.sign_post(&click, ts, "c1")).await;
        app.deliver(&wecom, &wecom.sign_post(&click, ts, "c2")).await;
        app.deliver(&wecom, &wecom.sign_post(&other, ts, "c3")).await;
        assert_eq!(router.calls(), 2, "same event once, a different key is a new event");
    }

    async fn keys_and_replies_that_need_quoting_are_handled_alike(backend: Backend) {
        // On PostgreSQL a callback's claim and reply travel as literals when they can; a key or
        // a reply that cannot (a quote in a menu key, the reply's own quoting tag) takes the
        // ordinary path, with the same answer and the same duplicate suppression.
        let router = EchoRouter::in_transaction(Duration::ZERO, 0);
        let app = with_router(backend, &router).await;
        let wecom = app.wecom();
        let ts = now();
        let click = wecom.message_xml("wangwu", &SimAction::Click("it's 会议".into()), ts, 1).unwrap();
        app.deliver(&wecom, &wecom.sign_post(&click, ts, "q1")).await;
        app.deliver(&wecom, &wecom.sign_post(&click, ts, "q2")).await;
        assert_eq!(router.calls(), 1, "the event once");
        let oa = app.oa();
        for (n, text) in [(7001, "it's $huiwu_reply$ here"), (7002, "plain 'quoted' \\ text")] {
            let xml = oa.message_xml("oQuote", &SimAction::Text(text.into()), ts, n).unwrap();
            let first = app.deliver(&oa, &oa.sign_post(&xml, ts, "q3")).await;
            let retry = app.deliver(&oa, &oa.sign_post(&xml, ts, "q4")).await;
            assert_eq!(reply_content(&first), format!("echo: {text}"));
            assert_eq!(first, retry);
        }
        assert_eq!(router.calls(), 3);
        // Each ran once, and its effect stayed.
        assert_eq!(effects(&app).await, 3);
    }

    async fn a_query_answered_from_reads_alone_is_recorded_once(backend: Backend) {
        // On PostgreSQL a message answered from reads alone is claimed and completed in one
        // statement after the reads; a retry, even one that arrives while the first still
        // reads, gets the first reply, and nothing of the router's is written.
        let router = EchoRouter::in_transaction(Duration::from_millis(600), 0);
        let app = with_router(backend, &router).await;
        let oa = app.oa();
        let ts = now();
        let xml = oa.message_xml("oQuery", &SimAction::Text("查 会议".into()), ts, 6161).unwrap();
        let first_req = oa.sign_post(&xml, ts, "e1");
        let retry_req = oa.sign_post(&xml, ts, "e2");
        let first = app.deliver(&oa, &first_req);
        let retry = async {
            router.started().await;
            app.deliver(&oa, &retry_req).await
        };
        let (first, retry) = tokio::join!(first, retry);
        let later = app.deliver(&oa, &oa.sign_post(&xml, ts, "e3")).await;
        assert_eq!(reply_content(&first), "echo: 查 会议");
        assert_eq!(first, retry);
        assert_eq!(first, later);
        if app.db.groups_commits() {
            assert_eq!((router.calls(), router.reads()), (1, 0), "SQLite routes once");
        } else {
            // The reads come before the receipt is looked at, so a retry may repeat them.
            assert_eq!(router.calls(), 0, "a query changes nothing");
            assert!((1..=3).contains(&router.reads()), "{}", router.reads());
            assert_eq!(effects(&app).await, 0);
        }
        let receipt = app
            .db
            .run(move |c| {
                callback_receipts::claim(
                    c,
                    &ClaimRequest {
                        channel: "oa",
                        dedupe_key: "msg:6161",
                        token: "test",
                        now_ms: ts * 1000,
                        lease_ms: 10_000,
                    },
                )
            })
            .await
            .unwrap();
        let Claim::Done { reply: Some(stored) } = receipt else {
            panic!("the answer is recorded: {receipt:?}");
        };
        assert!(stored.contains("echo: 查 会议"), "{stored}");
    }

    async fn a_refused_command_leaves_no_writes_and_its_retry_gets_the_refusal(backend: Backend) {
        let router = EchoRouter::in_transaction(Duration::ZERO, 0);
        let app = with_router(backend, &router).await;
        let oa = app.oa();
        let ts = now();
        // The second refusal's reply holds the quoting tag, so on PostgreSQL it is undone,
        // recorded and committed statement by statement instead of in one batch.
        for (n, text) in [(8181, "拒 改期"), (8182, "拒 $huiwu_reply$ 改期")] {
            let xml = oa.message_xml("oNo", &SimAction::Text(text.into()), ts, n).unwrap();
            let first = app.deliver(&oa, &oa.sign_post(&xml, ts, "g1")).await;
            let retry = app.deliver(&oa, &oa.sign_post(&xml, ts, "g2")).await;
            assert_eq!(reply_content(&first), format!("echo: {text}"));
            assert_eq!(first, retry, "the retry gets the recorded refusal");
        }
        assert_eq!(router.calls(), 2);
        if !app.db.groups_commits() {
            assert_eq!(effects(&app).await, 0, "the refused commands' writes are undone");
        }
        // A command after them commits as usual.
        let before = effects(&app).await;
        let xml = oa.message_xml("oNo", &SimAction::Text("改期".into()), ts, 8183).unwrap();
        let done = app.deliver(&oa, &oa.sign_post(&xml, ts, "g3")).await;
        assert_eq!(reply_content(&done), "echo: 改期");
        assert_eq!(effects(&app).await, before + 1);
    }

    async fn a_slow_refusal_gets_its_reply_queued_and_its_write_undone(backend: Backend) {
        let router = EchoRouter::in_transaction(Duration::from_millis(900), 0);
        let app = queued_after_the_deadline(backend, &router, "oSlowNo", "拒 慢", 31339).await;
        assert_eq!(router.calls(), 1);
        if !app.db.groups_commits() {
            assert_eq!(effects(&app).await, 0, "the refused command's write is undone");
        }
    }

    async fn a_query_slower_than_the_deadline_gets_its_reply_queued(backend: Backend) {
        let router = EchoRouter::in_transaction(Duration::from_millis(900), 0);
        let app = queued_after_the_deadline(backend, &router, "oSlowQuery", "查 慢", 31338).await;
        if !app.db.groups_commits() {
            assert_eq!(router.calls(), 0, "a query changes nothing");
            assert_eq!(effects(&app).await, 0);
        }
    }

    async fn a_router_slower_than_the_deadline_gets_its_reply_queued(backend: Backend) {
        for router in both(Duration::from_millis(900)) {
            let app = queued_after_the_deadline(backend, &router, "oSlow", "慢", 31337).await;
            assert_eq!(router.calls(), 1);
            assert_eq!(effects(&app).await, 1);
        }
    }

    async fn a_late_reply_reaches_the_follower_as_a_customer_service_message(backend: Backend) {
        let wechat = wiremock::MockServer::start().await;
        crate::outbound::mount_token(&wechat).await;
        wiremock::Mock::given(wiremock::matchers::method("POST"))
            .and(wiremock::matchers::path("/cgi-bin/message/custom/send"))
            .respond_with(crate::outbound::send_ok())
            .mount(&wechat)
            .await;
        let router = EchoRouter::new(Duration::from_millis(900));
        let mut opts = TestOptions::new(backend);
        opts.router = Some(router.clone());
        opts.reply_deadline = Some(Duration::from_millis(300));
        opts.api_base = wechat.uri();
        let app = spawn(opts).await;
        router.attach(app.db.clone());
        let oa = app.oa();
        let ts = now();
        let xml = oa.message_xml("oLate", &SimAction::Text("慢".into()), ts, 41414).unwrap();
        let first = app.deliver(&oa, &oa.sign_post(&xml, ts, "l1")).await;
        assert_eq!(first, SimReply::Acknowledged);
        // The worker hands the reply on to the outbox and sends it; up to 15 s on busy cores.
        let mut sent = Vec::new();
        for _ in 0..150 {
            sent = wechat
                .received_requests()
                .await
                .unwrap_or_default()
                .into_iter()
                .filter(|r| r.url.path() == "/cgi-bin/message/custom/send")
                .map(|r| String::from_utf8_lossy(&r.body).into_owned())
                .collect();
            if !sent.is_empty() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(sent.len(), 1, "{sent:?}");
        let body: serde_json::Value = serde_json::from_str(&sent[0]).unwrap();
        assert_eq!(body["touser"], "oLate");
        assert!(body["text"]["content"].as_str().unwrap_or_default().contains("echo: 慢"), "{body}");
    }

    async fn a_message_still_waiting_for_a_connection_at_the_deadline_is_not_lost(backend: Backend) {
        // Four pooled connections, five slow commands at once: the fifth waits for a connection
        // past its deadline, is answered `success`, and must still run and queue its reply.
        let router = EchoRouter::in_transaction(Duration::from_millis(900), 0);
        let mut opts = TestOptions::new(backend);
        opts.router = Some(router.clone());
        opts.reply_deadline = Some(Duration::from_millis(300));
        // The queued replies stay in the table to be counted, not sent on.
        opts.outbox_worker = false;
        let app = spawn(opts).await;
        let oa = app.oa();
        let ts = now();
        let requests: Vec<_> = (0..5)
            .map(|i| {
                let xml = oa.message_xml(&format!("oWait{i}"), &SimAction::Text("慢".into()), ts, 5000 + i).unwrap();
                oa.sign_post(&xml, ts, &format!("w{i}"))
            })
            .collect();
        let replies = futures_util::future::join_all(requests.iter().map(|r| app.deliver(&oa, r))).await;
        assert!(replies.iter().all(|r| *r == SimReply::Acknowledged), "{replies:?}");
        let mut queued = Vec::new();
        for _ in 0..60 {
            queued = app.db.run(|c| deferred_replies::pending(c, 10)).await.unwrap().rows;
            if queued.len() == 5 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(queued.len(), 5, "every late reply is queued");
        assert_eq!(router.calls(), 5);
    }

    async fn a_claim_whose_handler_died_is_taken_over_after_the_lease(backend: Backend) {
        let app = spawn(TestOptions::new(backend)).await;
        // Real times: the pruning task would delete receipts from 1970.
        let t0 = huiwu::clock::Clock::now(&huiwu::clock::SystemClock).timestamp_millis();
        let outcome = app.db.run(move |c| {
            let req = |token: &'static str, at_ms: i64| ClaimRequest {
                channel: "oa",
                dedupe_key: "msg:1",
                token,
                now_ms: t0 + at_ms,
                lease_ms: 10_000,
            };
            let first = callback_receipts::claim(c, &req("dead", 1_000))?;
            let early = callback_receipts::claim(c, &req("retry1", 5_000))?;
            let late = callback_receipts::claim(c, &req("retry2", 12_000))?;
            let done = |token, reply| callback_receipts::Completion {
                channel: "oa",
                dedupe_key: "msg:1",
                token,
                reply,
                replied_later: false,
                now_ms: t0 + 13_000,
            };
            let dead_completes = callback_receipts::complete(c, &done("dead", None))?;
            let owner_completes = callback_receipts::complete(c, &done("retry2", Some("<xml/>")))?;
            let after = callback_receipts::claim(c, &req("retry3", 14_000))?;
            Ok::<_, DbError>((first, early, late, dead_completes, owner_completes, after))
        })
        .await
        .unwrap();
        assert_eq!(
            outcome,
            (
                Claim::Owned,
                Claim::InFlight,
                Claim::Owned,
                false,
                true,
                Claim::Done { reply: Some("<xml/>".into()) }
            )
        );
    }
}

/// Sends `text` through a router slower than the deadline: answered `success`, the reply
/// queued for later, and a retry after that answered `success` again (not sent twice).
async fn queued_after_the_deadline(
    backend: Backend,
    router: &std::sync::Arc<EchoRouter>,
    sender: &str,
    text: &str,
    msg_id: u64,
) -> TestApp {
    let mut opts = TestOptions::new(backend);
    opts.router = Some(router.clone());
    opts.reply_deadline = Some(Duration::from_millis(300));
    // The queued reply stays in its table to be looked at: a running worker would hand it on
    // to the outbox whenever it woke, sometimes before the look (seen under a full run).
    opts.outbox_worker = false;
    let app = spawn(opts).await;
    router.attach(app.db.clone());
    let oa = app.oa();
    let ts = now();
    let xml = oa
        .message_xml(sender, &SimAction::Text(text.into()), ts, msg_id)
        .unwrap();
    let first = app.deliver(&oa, &oa.sign_post(&xml, ts, "d1")).await;
    // `success` can only come from the deadline: the router would have answered text.
    assert_eq!(first, SimReply::Acknowledged);
    let mut queued = Vec::new();
    // Up to 15 s: on two busy cores the router's 0.9 s and the queueing can take a while.
    for _ in 0..150 {
        queued = app
            .db
            .run(|c| deferred_replies::pending(c, 10))
            .await
            .unwrap()
            .rows;
        if !queued.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        queued.len(),
        1,
        "the late reply waits for the outbound client"
    );
    assert_eq!(queued[0].to_user, sender);
    assert!(
        queued[0].reply.contains(&format!("echo: {text}")),
        "{}",
        queued[0].reply
    );
    let retry = app.deliver(&oa, &oa.sign_post(&xml, ts, "d2")).await;
    assert_eq!(retry, SimReply::Acknowledged, "the reply is not sent twice");
    app
}

/// A test app whose webhook hands messages to `router`.
async fn with_router(backend: Backend, router: &std::sync::Arc<EchoRouter>) -> TestApp {
    let mut opts = TestOptions::new(backend);
    opts.router = Some(router.clone());
    let app = spawn(opts).await;
    router.attach(app.db.clone());
    app
}

/// PostgreSQL only: there a command runs in the webhook's transaction and can fail with it;
/// SQLite runs the router on its own (`route`), which cannot fail this way, so there is
/// nothing of this to test on it (reported as ignored without HUIWU_TEST_DATABASE_URL).
mod a_command_that_fails_leaves_no_claim_and_its_retry_runs_it {
    use super::*;

    async fn run(backend: Backend) {
        let router = EchoRouter::in_transaction(Duration::ZERO, 1);
        let app = with_router(backend, &router).await;
        let oa = app.oa();
        let ts = now();
        let xml = oa
            .message_xml("oCarol", &SimAction::Text("确认".into()), ts, 9090)
            .unwrap();
        let first = app.post_signed(&oa, &oa.sign_post(&xml, ts, "e1")).await;
        // The claim rolled back with the command: WeChat's retry is free to run it.
        assert_eq!(first.status, 503, "{}", first.body);
        let retry = app.deliver(&oa, &oa.sign_post(&xml, ts, "e2")).await;
        assert_eq!(reply_content(&retry), "echo: 确认");
        assert_eq!(router.calls(), 2);
        assert_eq!(effects(&app).await, 1, "the failed attempt left nothing");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    #[cfg_attr(
        not(huiwu_postgres_tests),
        ignore = "HUIWU_TEST_DATABASE_URL was not set when the tests were built"
    )]
    async fn postgres() {
        run(Backend::Postgres).await
    }
}
