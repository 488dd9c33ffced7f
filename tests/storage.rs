//! The storage layer on its own: the SQLite writer's batching and failure isolation.

// Test code: a failed unwrap is a failed test, which is what we want.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use huiwu::config::DatabaseUrl;
use huiwu::db::{self, callback_receipts, Db, DbError};
use std::time::Duration;

async fn sqlite_db(dir: &tempfile::TempDir) -> Db {
    let url =
        DatabaseUrl::parse(&format!("sqlite://{}", dir.path().join("t.db").display())).unwrap();
    tokio::task::spawn_blocking(move || {
        let pool = db::connect(&url, 4, Duration::from_secs(5)).unwrap();
        db::migrate(&mut pool.get().unwrap()).unwrap();
        Db::new(pool, &url).unwrap()
    })
    .await
    .unwrap()
}

fn claim(c: &mut db::DbConn, key: &str) -> Result<callback_receipts::Claim, DbError> {
    callback_receipts::claim(
        c,
        &callback_receipts::ClaimRequest {
            channel: "oa",
            dedupe_key: key,
            token: "t",
            now_ms: huiwu::clock::Clock::now(&huiwu::clock::SystemClock).timestamp_millis(),
            lease_ms: 10_000,
        },
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_jobs_all_commit() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite_db(&dir).await;
    let jobs = (0..500).map(|i| {
        let db = db.clone();
        tokio::spawn(async move { db.run(move |c| claim(c, &format!("msg:{i}"))).await })
    });
    for job in jobs {
        assert_eq!(job.await.unwrap().unwrap(), callback_receipts::Claim::Owned);
    }
    let again = db.run(|c| claim(c, "msg:7")).await.unwrap();
    assert_eq!(again, callback_receipts::Claim::InFlight);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panicking_job_is_rolled_back_and_the_writer_lives_on() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite_db(&dir).await;
    let failed = db
        .run(|c| -> Result<(), DbError> {
            claim(c, "msg:half-done")?;
            panic!("job bug");
        })
        .await;
    assert!(failed.is_err());
    // The half-done claim was rolled back with the batch: a new claim owns the key.
    let after = db.run(|c| claim(c, "msg:half-done")).await.unwrap();
    assert_eq!(after, callback_receipts::Claim::Owned);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_erring_job_does_not_fail_its_neighbours() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite_db(&dir).await;
    let bad = db.clone();
    let (bad, good) = tokio::join!(
        bad.run(|_| Err::<(), _>(DbError::Worker("refused".into()))),
        db.run(|c| claim(c, "msg:good"))
    );
    assert!(bad.is_err());
    assert_eq!(good.unwrap(), callback_receipts::Claim::Owned);
}

/// `.cargo/config.toml` builds the bundled SQLite with the query planner stability guarantee;
/// without it every `.first()` query is parsed again on each run (see that file).
#[tokio::test]
async fn bundled_sqlite_keeps_prepared_statements() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite_db(&dir).await;
    assert!(
        db.run(db::keeps_statements_prepared).await.unwrap(),
        "SQLite was built without SQLITE_ENABLE_QPSG; is LIBSQLITE3_FLAGS from .cargo/config.toml overridden?"
    );
}
