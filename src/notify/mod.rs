//! Speaking first, later: the worker that sends what operations queued in the outbox, and the
//! scheduler that runs the jobs they planned (calling operations, like any door).

pub mod backoff;
pub mod scheduler;
pub mod worker;

use crate::outbox::NoticeSettings;
use crate::telemetry::metrics::METRICS;

use std::sync::Arc;
use tokio::sync::Notify;

/// What a change that notifies people needs: how to word and route notices, and a bell that
/// wakes the outbox worker once the change has committed.
#[derive(Clone)]
pub struct Notifier {
    pub settings: Arc<NoticeSettings>,
    pub wake: Arc<Notify>,
    /// The app's clock, which plans jobs (tests move it).
    pub clock: Arc<dyn crate::clock::Clock>,
}

impl Notifier {
    /// Call after the transaction that queued messages has committed.
    pub fn ring(&self) {
        self.wake.notify_one();
    }
}

/// A job, message or late reply set aside as failed because a row it needs is damaged (the
/// row keeps the error too), or a series skipped by the upkeep until it is repaired: logged
/// with its queue and id, and counted for the operator's alert.
fn set_aside(queue: &'static str, id: impl std::fmt::Display, error: &str) {
    tracing::error!(queue, id = %id, error, "cannot be read or run: set aside");
    METRICS.set_aside.with_label_values(&[queue]).inc();
}
