//! Speaking first, later: the worker that sends what operations queued in the outbox, and the
//! scheduler that runs the jobs they planned (calling operations, like any door).

pub mod backoff;
pub mod scheduler;
pub mod worker;

use crate::outbox::NoticeSettings;

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
