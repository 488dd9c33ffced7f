//! Failing fast while PostgreSQL is unreachable. WeChat gives up on a callback after 5 s and a
//! load balancer's health check after about as long, so waiting out the pool's retries
//! answers nobody: once a checkout has failed, every caller is refused at once (503) until the
//! pool has a connection again, which its own background retries (at most `RETRY_CAP` apart)
//! re-establish without a restart.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Longest pause between the pool's attempts to reconnect: how soon after the database is back
/// huiwu uses it again.
pub const RETRY_CAP: Duration = Duration::from_secs(1);

/// How long work waits for a connection while the database is believed up: under a second, so
/// a request during an outage that has not been noticed yet is still answered within one.
pub const CHECKOUT_WAIT: Duration = Duration::from_millis(500);

/// While the database is down, only a connection the pool has already re-established is worth
/// trying; without one, there is nothing to wait for. `request`: the work answers a request
/// (counted in `Outage::refused`), not background work.
pub fn refuse_while_down(
    pool: &super::DbPool,
    outage: &Outage,
    request: bool,
) -> Result<(), super::DbError> {
    match outage.down_for() {
        Some(down) if pool.state().idle_connections == 0 => {
            if request {
                outage.refused.fetch_add(1, Ordering::Relaxed);
            }
            crate::telemetry::metrics::METRICS.db_refused.inc();
            Err(super::DbError::Unreachable {
                down_ms: down.as_millis() as u64,
            })
        }
        _ => Ok(()),
    }
}

#[derive(Default)]
pub struct Outage {
    /// Whether `since` is set: every query asks, so the common answer needs no lock.
    down: AtomicBool,
    since: Mutex<Option<Instant>>,
    /// Requests refused without asking the database, because it was known to be down.
    refused: AtomicU64,
    /// Requests that waited the whole `CHECKOUT_WAIT` for a connection and got none.
    waited_out: AtomicU64,
}

impl Outage {
    /// How many requests waited the whole `CHECKOUT_WAIT` for a connection and got none: what
    /// a request does while an outage has not been noticed yet, never once it has.
    pub fn waited_out(&self) -> u64 {
        self.waited_out.load(Ordering::Relaxed)
    }

    pub(super) fn count_wait_out(&self) {
        self.waited_out.fetch_add(1, Ordering::Relaxed);
    }

    /// How many requests were refused without waiting for a connection while the database
    /// was known to be down (since start).
    pub fn refused(&self) -> u64 {
        self.refused.load(Ordering::Relaxed)
    }

    /// How long the database has been unreachable, if it is.
    pub fn down_for(&self) -> Option<Duration> {
        if !self.down.load(Ordering::Acquire) {
            return None;
        }
        self.lock().map(|since| since.elapsed())
    }

    pub fn began(&self, reason: &dyn std::fmt::Display) {
        let mut since = self.since.lock().unwrap_or_else(|e| e.into_inner());
        if since.is_none() {
            *since = Some(Instant::now());
            self.down.store(true, Ordering::Release);
            tracing::error!(error = %reason, "database unreachable: refusing requests until it is back");
        }
    }

    pub fn ended(&self) {
        if !self.down.load(Ordering::Acquire) {
            return;
        }
        let mut since = self.since.lock().unwrap_or_else(|e| e.into_inner());
        self.down.store(false, Ordering::Release);
        if let Some(began) = since.take() {
            tracing::warn!(
                after_ms = began.elapsed().as_millis() as u64,
                "database reachable again"
            );
        }
    }

    fn lock(&self) -> Option<Instant> {
        *self.since.lock().unwrap_or_else(|e| e.into_inner())
    }
}
