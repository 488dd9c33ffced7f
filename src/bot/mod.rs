//! Command routing: what huiwu answers to a message or event.

pub mod command;
mod context;
pub mod dates;
mod error;
mod format;
mod handlers;
pub mod input;
pub mod meeting_router;

pub use meeting_router::MeetingRouter;

use crate::wechat::{Inbound, Reply};
use std::future::Future;
use std::pin::Pin;

pub type RouteFuture = Pin<Box<dyn Future<Output = Option<Reply>> + Send>>;

/// Turns an inbound message into the reply to send back (`None`: acknowledge silently).
/// The webhook gives a router 4.5 s; a slower answer is delivered later, so a router may
/// take its time but must not assume its reply is passive.
pub trait Router: Send + Sync + 'static {
    fn route(&self, message: Inbound) -> RouteFuture;
}
