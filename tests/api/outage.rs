//! PostgreSQL outages, made as they look from huiwu: its database refuses connections and the
//! open ones are ended (`ALTER DATABASE … ALLOW_CONNECTIONS false` and `pg_terminate_backend`
//! on a database of the test's own; the server itself keeps running).

use crate::helpers::*;
use crate::outbound::{clock, mount_token, queue, rows, send_ok, worker};
use chrono::Duration as ChronoDuration;
use huiwu::sim::SimAction;
use std::time::{Duration, Instant};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer};

async fn own_database_app(outbox_worker: bool) -> TestApp {
    let mut opts = TestOptions::new(Backend::Postgres);
    opts.own_database = true;
    opts.outbox_worker = outbox_worker;
    opts.scheduler = outbox_worker;
    spawn(opts).await
}

/// Status of a health check, an admin read and a callback, sent together.
async fn three_doors(app: &TestApp) -> Vec<(&'static str, u16)> {
    let sim = app.oa();
    let now = huiwu::clock::Clock::now(&*app.clock).timestamp();
    let xml = sim
        .message_xml(
            "o_outage",
            &SimAction::Text("帮助".into()),
            now,
            huiwu::sim::random_msg_id(),
        )
        .unwrap();
    let req = sim.sign_post(&xml, now, &huiwu::sim::random_nonce());
    let (a, b, c) = tokio::join!(
        async { ("healthz", app.get("/healthz").await.status) },
        async {
            let (status, _) = app.admin(reqwest::Method::GET, "/meetings", None).await;
            ("admin", status)
        },
        async { ("callback", app.post_signed(&sim, &req).await.status) },
    );
    vec![a, b, c]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(huiwu_postgres_tests),
    ignore = "HUIWU_TEST_DATABASE_URL was not set when the tests were built"
)]
async fn an_unreachable_database_is_answered_at_once_and_its_return_needs_no_restart() {
    let app = own_database_app(true).await;
    for (door, status) in three_doors(&app).await {
        assert_eq!(status, 200, "{door} before the outage");
    }

    app.database.refuse_connections(true);
    // The first round finds out (on a connection the database ended, or by waiting for one);
    // once it knows, nothing waits for a connection: each answer is 503 at once, on a dead
    // pooled connection or without asking, while the outbox worker and the scheduler keep
    // failing in the background.
    for (door, status) in three_doors(&app).await {
        assert_eq!(status, 503, "{door} when the outage begins");
    }
    let (waited, refused) = (app.db.checkouts_waited_out(), app.db.refused_while_down());
    for round in 1..4 {
        for (door, status) in three_doors(&app).await {
            assert_eq!(status, 503, "{door} in round {round} of the outage");
        }
    }
    let many = (0..16).map(|_| app.get("/healthz"));
    let answers = futures_util::future::join_all(many).await;
    assert!(answers.iter().all(|r| r.status == 503));
    assert_eq!(
        app.db.checkouts_waited_out(),
        waited,
        "a request waited for a connection"
    );
    assert!(
        app.db.refused_while_down() > refused,
        "none was refused without asking"
    );

    app.database.refuse_connections(false);
    let back = Instant::now();
    while app.get("/healthz").await.status != 200 {
        assert!(
            back.elapsed() < Duration::from_secs(10),
            "not back 10 s after the outage"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    for (door, status) in three_doors(&app).await {
        assert_eq!(status, 200, "{door} after the outage");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(huiwu_postgres_tests),
    ignore = "HUIWU_TEST_DATABASE_URL was not set when the tests were built"
)]
async fn outcomes_known_during_an_outage_are_kept_and_nothing_is_sent_twice() {
    let app = own_database_app(false).await;
    let server = MockServer::start().await;
    mount_token(&server).await;
    // Slow sends: the database goes away while WeChat is still accepting them.
    Mock::given(method("POST"))
        .and(path("/cgi-bin/message/custom/send"))
        .respond_with(send_ok().set_delay(Duration::from_millis(800)))
        .expect(5)
        .mount(&server)
        .await;
    let clock = clock();
    for i in 0..5 {
        queue(&app, &clock, &format!("k{i}"), &format!("o{i}")).await;
    }
    let w = worker(&app, &server, clock.clone());
    let sending = tokio::spawn(w.clone().tick());
    // The database goes away once WeChat holds a send (each is answered 0.8 s later).
    let asked = Instant::now();
    while server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .all(|r| r.url.path() != "/cgi-bin/message/custom/send")
    {
        assert!(
            asked.elapsed() < Duration::from_secs(10),
            "no send reached WeChat"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    app.database.refuse_connections(true);
    assert_eq!(sending.await.unwrap().unwrap(), 5, "all five were sent");
    // Long enough for every lease to have run out: without held outcomes, all five would be
    // claimed and sent again once the database is back.
    clock.advance(ChronoDuration::minutes(5));
    assert!(
        w.clone().tick().await.is_err(),
        "the database is still away"
    );

    app.database.refuse_connections(false);
    let back = Instant::now();
    loop {
        match w.clone().tick().await {
            Ok(sent) => {
                assert_eq!(sent, 0, "nothing is claimed again");
                break;
            }
            Err(_) => {
                assert!(
                    back.elapsed() < Duration::from_secs(10),
                    "database not back"
                );
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
    assert!(rows(&app).await.iter().all(|r| r.status.as_str() == "sent"));
}
