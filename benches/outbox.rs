//! 10,000 notices through the outbox to a mock WeChat API that answers in 20 ms and fails
//! every tenth call with -1 (system busy). Prints the time until every message is sent and
//! checks there are no duplicates and no losses.
//!
//! cargo bench --bench outbox [-- COUNT CONCURRENCY]
//!
//! SQLite in a temporary folder, or the empty database named by `HUIWU_BENCH_DATABASE_URL`
//! (e.g. a PostgreSQL database made for the run).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use actix_web::{web, App, HttpResponse, HttpServer};
use huiwu::clock::{Clock, SystemClock};
use huiwu::config::Settings;
use huiwu::db::outbox::{self, NewMessage, OutboxStatus};
use huiwu::notify::worker::OutboxWorker;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The mock WeChat API: an in-process actix server, so the bench measures huiwu, not the mock.
#[derive(Default)]
struct Mock {
    /// Every this-many-th call answers -1 (0: never).
    fail_every: u64,
    calls: AtomicU64,
    delivered: Mutex<HashMap<String, u32>>,
}

async fn token() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({"access_token": "T", "expires_in": 7200}))
}

async fn send(mock: web::Data<Mock>, body: web::Json<serde_json::Value>) -> HttpResponse {
    tokio::time::sleep(Duration::from_millis(20)).await;
    let n = mock.calls.fetch_add(1, Ordering::SeqCst);
    if mock.fail_every > 0 && n % mock.fail_every == mock.fail_every - 1 {
        return HttpResponse::Ok()
            .json(serde_json::json!({"errcode": -1, "errmsg": "system busy"}));
    }
    let to = body["touser"].as_str().unwrap_or_default().to_owned();
    *mock.delivered.lock().unwrap().entry(to).or_default() += 1;
    HttpResponse::Ok().json(serde_json::json!({"errcode": 0, "msgid": n}))
}

async fn start_mock() -> (String, Arc<Mock>) {
    let fail_every = std::env::var("FAIL_EVERY")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10);
    let mock = web::Data::new(Mock {
        fail_every,
        ..Mock::default()
    });
    let data = mock.clone();
    let server = HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .route("/cgi-bin/stable_token", web::post().to(token))
            .route("/cgi-bin/message/custom/send", web::post().to(send))
    })
    .workers(1)
    .bind("127.0.0.1:0")
    .unwrap();
    let addr = server.addrs()[0];
    tokio::spawn(server.run());
    (format!("http://{addr}"), mock.into_inner())
}

fn main() {
    let args: Vec<String> = std::env::args().filter(|a| a != "--bench").collect();
    let count: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let concurrency: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(96);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(bench(count, concurrency));
}

async fn bench(count: usize, concurrency: usize) {
    let (uri, mock) = start_mock().await;

    let dir = tempfile::tempdir().unwrap();
    let database = std::env::var("HUIWU_BENCH_DATABASE_URL")
        .unwrap_or_else(|_| format!("sqlite://{}/bench.db", dir.path().display()));
    let settings = Settings::from_toml_str(&format!(
        "[database]\nurl = '{database}'\n\
         [wechat]\napp_id = 'wx_bench'\napp_secret = 's'\ntoken = 'tok'\napi_base = '{uri}'\n\
         [outbound]\nconcurrency = {concurrency}\n"
    ))
    .unwrap();
    let db = huiwu::startup::open_database(&settings).await.unwrap();
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let (channels, _) = huiwu::startup::outbound(&settings, &db, &clock).unwrap();

    let now = clock.now().timestamp_millis();
    db.run(move |c| {
        use diesel::Connection;
        c.transaction(|c| {
            for i in 0..count {
                let to = format!("o{i}");
                outbox::enqueue(c, &NewMessage {
                    dedupe_key: format!("bench:{i}"),
                    channel: huiwu::db::outbox::OutboxChannel::OfficialAccount,
                    kind: huiwu::outbox::NoticeKind::Reminder,
                    meeting_id: None,
                    person_id: None,
                    recipient: to.clone(),
                    api_path: "/cgi-bin/message/custom/send",
                    payload: serde_json::json!({"touser": to, "msgtype": "text", "text": {"content": "会议通知"}}).to_string(),
                    unreachable: None,
                }, now)?;
            }
            Ok(())
        })
    })
    .await
    .unwrap();

    let worker = OutboxWorker::new(
        db.clone(),
        channels,
        clock,
        settings.outbound,
        settings.timezone,
        Arc::new(tokio::sync::Notify::new()),
    );
    let started = Instant::now();
    let mut first_pass = None;
    loop {
        let sent_now = worker.clone().tick().await.unwrap();
        first_pass.get_or_insert(started.elapsed());
        if sent_now == 0 {
            let rows = db.run(outbox::all).await.unwrap();
            if rows
                .iter()
                .all(|r| matches!(r.status, OutboxStatus::Sent | OutboxStatus::Failed))
            {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    let elapsed = started.elapsed();
    let rows = db.run(outbox::all).await.unwrap();
    let sent = rows
        .iter()
        .filter(|r| r.status == OutboxStatus::Sent)
        .count();
    let delivered = mock.delivered.lock().unwrap();
    let duplicates: u32 = delivered.values().map(|n| n - 1).sum();
    let lost = count - delivered.len();
    let failures = match mock.fail_every {
        0 => "no failures".to_owned(),
        n => format!("every {n}th call fails with -1"),
    };
    println!(
        "{count} notices, concurrency {concurrency}, 20 ms per call, {failures}: \
         first pass {:.2} s, all sent in {:.2} s ({:.0}/s); sent {sent}, duplicates {duplicates}, lost {lost}",
        first_pass.unwrap_or_default().as_secs_f64(),
        elapsed.as_secs_f64(),
        count as f64 / elapsed.as_secs_f64()
    );
    assert_eq!((duplicates, lost, sent), (0, 0, count));
}
