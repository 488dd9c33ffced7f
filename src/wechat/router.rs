//! What the webhook hands a verified, decrypted message to. The protocol layer owns this
//! contract; the chat layer (`bot`) implements it.

use super::{Inbound, Reply};
use crate::db::{DbConn, DbError};
use std::future::Future;
use std::pin::Pin;

pub type RouteFuture = Pin<Box<dyn Future<Output = Option<Reply>> + Send>>;

/// Turns an inbound message into the reply to send back (`None`: acknowledge silently).
/// The webhook gives a router 4.5 s; a slower answer is delivered later, so a router may
/// take its time but must not assume its reply is passive.
pub trait Router: Send + Sync + 'static {
    fn route(&self, message: Inbound) -> RouteFuture;

    /// Whether `route_in` may be used: the router's work is database work that can join the
    /// webhook's transaction, so that on PostgreSQL claiming the delivery, the command's
    /// effects and the recorded reply commit together.
    fn routes_in_transaction(&self) -> bool {
        false
    }

    /// `route` on a connection inside the caller's transaction. The router's own refusals and
    /// failures roll back only its own writes (a savepoint); an error here means the caller's
    /// transaction cannot go on.
    fn route_in(&self, c: &mut DbConn, message: &Inbound) -> Result<Option<Reply>, DbError> {
        let _ = (c, message);
        Err(DbError::Worker(
            "this router does not run inside the webhook's transaction".into(),
        ))
    }

    /// Called once the caller's transaction holding `route_in`'s work has committed.
    fn committed(&self) {}
}
