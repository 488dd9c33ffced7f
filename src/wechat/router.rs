//! What the webhook hands a verified, decrypted message to. The protocol layer owns this
//! contract; the chat layer (`bot`) implements it.

use super::{Inbound, Reply};
use crate::db::{DbConn, DbError};
use std::future::Future;
use std::pin::Pin;

pub type RouteFuture = Pin<Box<dyn Future<Output = Option<Reply>> + Send>>;

/// The rest of a message that changes state: run once, inside the caller's transaction.
pub type Change<'a> = Box<dyn FnOnce(&mut DbConn) -> Result<Option<Reply>, Undo> + 'a>;

/// Why a change's writes must be undone.
#[derive(Debug)]
pub enum Undo {
    /// Refused, or failed in a way the router answers: the caller undoes the change's writes
    /// (only those: the delivery still counts as handled) and records this reply.
    Refused(Option<Reply>),
    /// The delivery cannot go on: the caller rolls back everything, claim included, so that
    /// WeChat's retry runs it again.
    Failed(DbError),
}

impl From<DbError> for Undo {
    fn from(e: DbError) -> Self {
        Undo::Failed(e)
    }
}

impl From<diesel::result::Error> for Undo {
    fn from(e: diesel::result::Error) -> Self {
        Undo::Failed(e.into())
    }
}

/// What `route_in` made of a message.
pub enum Routed<'a> {
    /// Answered from reads alone: the router has nothing to commit.
    Answered(Option<Reply>),
    /// The message changes state: the caller claims the delivery, then runs the change in
    /// the same transaction.
    Changes(Change<'a>),
}

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

    /// `route` on the caller's connection, in two steps: what it reads here may run outside
    /// any transaction (PostgreSQL's READ COMMITTED gives each statement a fresh snapshot
    /// either way), so it must not write; what it writes goes in the returned change, which
    /// says with `Undo` whether its writes are to be undone. An error here means the
    /// delivery cannot go on.
    fn route_in<'a>(&'a self, c: &mut DbConn, message: &'a Inbound) -> Result<Routed<'a>, DbError> {
        let _ = (c, message);
        Err(DbError::Worker(
            "this router does not run inside the webhook's transaction".into(),
        ))
    }

    /// Called once the caller's transaction holding `route_in`'s work has committed.
    fn committed(&self) {}
}
