//! Prometheus metrics, counted where things happen and rendered at `/metrics`. Gauges about
//! stored work (outbox backlog, scheduler lag) are read from the database at scrape time, so
//! they are true for every instance sharing it, not just this one.

use prometheus::{
    Encoder, Gauge, Histogram, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge,
    Opts, Registry, TextEncoder,
};
use std::sync::LazyLock;

pub struct Metrics {
    registry: Registry,
    /// Callbacks by channel and outcome (replied, acknowledged, refused, unavailable, error).
    pub callbacks: IntCounterVec,
    pub callback_seconds: HistogramVec,
    /// WeChat's retries of a callback already claimed.
    pub duplicates: IntCounterVec,
    /// Replies that missed the webhook's deadline and go out as messages instead.
    pub deferred_replies: IntCounterVec,
    /// Outbound sends by channel, outcome and WeChat errcode (0 when sent).
    pub sends: IntCounterVec,
    /// Access token fetches by result.
    pub token_refreshes: IntCounterVec,
    /// From asking for the database to running on a connection.
    pub db_wait_seconds: Histogram,
    /// Work refused at once while PostgreSQL was known to be unreachable.
    pub db_refused: IntCounter,
    /// Jobs, queued messages and late replies set aside as failed, and series skipped until
    /// repaired, because a row they need is damaged, by queue.
    pub set_aside: IntCounterVec,
    outbox_backlog: IntGauge,
    outbox_oldest_due_seconds: Gauge,
    scheduler_lag_seconds: Gauge,
}

/// What the database knows at scrape time.
#[derive(Debug, Clone, Copy, Default)]
pub struct StoredWork {
    /// Messages due and not yet sent.
    pub outbox_backlog: i64,
    /// How long the oldest of them has been due.
    pub outbox_oldest_due_ms: i64,
    /// How long the oldest due scheduler job has waited.
    pub scheduler_lag_ms: i64,
}

pub static METRICS: LazyLock<Metrics> = LazyLock::new(Metrics::new);

/// Buckets around WeChat's deadlines: callbacks answer in milliseconds, give up at 4.5 s.
const SECONDS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 4.5, 10.0,
];

impl Metrics {
    // Names and labels are constants: registering them fails only on a bug, which the
    // render test below catches.
    #[allow(clippy::expect_used)]
    fn new() -> Self {
        let registry = Registry::new();
        let counter = |name: &str, help: &str, labels: &[&str]| {
            let c = IntCounterVec::new(Opts::new(name, help), labels).expect("counter");
            registry.register(Box::new(c.clone())).expect("unique");
            c
        };
        let histogram =
            |name: &str, help: &str| HistogramOpts::new(name, help).buckets(SECONDS.to_vec());
        let callback_seconds = HistogramVec::new(
            histogram("huiwu_callback_duration_seconds", "Callback handling time"),
            &["channel"],
        )
        .expect("histogram");
        let db_wait_seconds = Histogram::with_opts(histogram(
            "huiwu_db_wait_seconds",
            "Wait for a database connection (PostgreSQL) or the writer (SQLite)",
        ))
        .expect("histogram");
        let outbox_backlog = IntGauge::new(
            "huiwu_outbox_backlog",
            "Outbound messages due and not yet sent",
        )
        .expect("gauge");
        let outbox_oldest_due_seconds = Gauge::new(
            "huiwu_outbox_oldest_due_seconds",
            "How long the oldest unsent due message has been due",
        )
        .expect("gauge");
        let scheduler_lag_seconds = Gauge::new(
            "huiwu_scheduler_lag_seconds",
            "How long the oldest due scheduler job has waited",
        )
        .expect("gauge");
        let db_refused = IntCounter::new(
            "huiwu_db_refused_total",
            "Work refused at once while PostgreSQL was known to be unreachable",
        )
        .expect("counter");
        for c in [
            Box::new(callback_seconds.clone()) as Box<dyn prometheus::core::Collector>,
            Box::new(db_wait_seconds.clone()),
            Box::new(outbox_backlog.clone()),
            Box::new(outbox_oldest_due_seconds.clone()),
            Box::new(scheduler_lag_seconds.clone()),
            Box::new(db_refused.clone()),
        ] {
            registry.register(c).expect("unique");
        }
        Self {
            callbacks: counter(
                "huiwu_callbacks_total",
                "Callbacks by channel and outcome",
                &["channel", "outcome"],
            ),
            duplicates: counter(
                "huiwu_callback_duplicates_total",
                "Retried callbacks answered from the first delivery",
                &["channel"],
            ),
            deferred_replies: counter(
                "huiwu_deferred_replies_total",
                "Replies that missed the callback deadline and were queued as messages",
                &["channel"],
            ),
            sends: counter(
                "huiwu_sends_total",
                "Outbound sends by channel, outcome and WeChat errcode",
                &["channel", "outcome", "errcode"],
            ),
            token_refreshes: counter(
                "huiwu_token_refreshes_total",
                "Access token fetches by result",
                &["result"],
            ),
            set_aside: counter(
                "huiwu_set_aside_total",
                "Jobs, messages and late replies set aside as failed, and series skipped until repaired, because a row they need is damaged",
                &["queue"],
            ),
            callback_seconds,
            db_wait_seconds,
            db_refused,
            outbox_backlog,
            outbox_oldest_due_seconds,
            scheduler_lag_seconds,
            registry,
        }
    }

    /// The text exposition format, with the stored-work gauges set from `stored`.
    pub fn render(&self, stored: StoredWork) -> String {
        self.outbox_backlog.set(stored.outbox_backlog);
        self.outbox_oldest_due_seconds
            .set(stored.outbox_oldest_due_ms.max(0) as f64 / 1000.0);
        self.scheduler_lag_seconds
            .set(stored.scheduler_lag_ms.max(0) as f64 / 1000.0);
        let mut out = Vec::new();
        if let Err(e) = TextEncoder::new().encode(&self.registry.gather(), &mut out) {
            tracing::error!(error = %e, "metrics could not be rendered");
        }
        String::from_utf8_lossy(&out).into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_metric_renders() {
        METRICS
            .callbacks
            .with_label_values(&["oa", "replied"])
            .inc();
        let text = METRICS.render(StoredWork {
            outbox_backlog: 3,
            outbox_oldest_due_ms: 1500,
            scheduler_lag_ms: 0,
        });
        assert!(text.contains("huiwu_callbacks_total{channel=\"oa\",outcome=\"replied\"}"));
        assert!(text.contains("huiwu_outbox_backlog 3"));
        assert!(text.contains("huiwu_outbox_oldest_due_seconds 1.5"));
        assert!(text.contains("huiwu_scheduler_lag_seconds 0"));
        assert!(text.contains("huiwu_db_wait_seconds_bucket"));
    }
}
