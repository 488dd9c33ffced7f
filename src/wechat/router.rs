//! What the webhook hands a verified, decrypted message to. The protocol layer owns this
//! contract; the chat layer (`bot`) implements it.

use super::{Inbound, Reply};
use std::future::Future;
use std::pin::Pin;

pub type RouteFuture = Pin<Box<dyn Future<Output = Option<Reply>> + Send>>;

/// Turns an inbound message into the reply to send back (`None`: acknowledge silently).
/// The webhook gives a router 4.5 s; a slower answer is delivered later, so a router may
/// take its time but must not assume its reply is passive.
pub trait Router: Send + Sync + 'static {
    fn route(&self, message: Inbound) -> RouteFuture;
}
