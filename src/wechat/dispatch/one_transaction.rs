//! PostgreSQL: the claim, the command's effects and the recorded reply commit together, in
//! one synchronous commit per callback. A concurrent retry's claim waits on the first one's
//! unique key and, once that commits, reads its reply; if the first rolls back, the retry is
//! free to run. A handler that dies takes its claim with it (the transaction rolls back), so
//! WeChat's next retry runs the command again: an answered command is never lost.
//!
//! The router reads first, before the claim: a message answered from reads alone (a refusal,
//! a query) then needs only its receipt written, claimed and completed in one statement. A
//! retry may so repeat the reads, never the effects, and gets the reply that was recorded.

use super::{new_claim_token, Dispatcher, CLAIM_LEASE};
use crate::clock::Clock;
use crate::db::callback_receipts::{self, ChangeEnd, Claim, ClaimRequest, Completion};
use crate::db::deferred_replies::{self, NewDeferredReply};
use crate::db::{DbConn, DbError};
use crate::wechat::message::Inbound;
use crate::wechat::router::{Change, Routed, Router, Undo};
use crate::wechat::Reply;
use diesel::Connection;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Arc;
use tokio::time::Instant;
use tracing::Instrument;

/// Who gets the reply, decided once by whichever side comes first.
const WAITING: u8 = 0;
/// The handler took the reply for the webhook, before its commit.
const ANSWERING: u8 = 1;
/// The deadline passed first: the handler queues its reply for later delivery instead.
const GAVE_UP: u8 = 2;

enum Outcome {
    /// Handled here: the rendered reply, if the webhook still waited for it.
    Handled(Option<String>),
    /// Handled before (or still being handled elsewhere): the reply that stands.
    Duplicate(Option<String>),
}

impl Dispatcher {
    pub(super) async fn in_one_transaction(
        &self,
        inbound: Inbound,
        deadline: Instant,
    ) -> Result<Option<String>, DbError> {
        let state = Arc::new(AtomicU8::new(WAITING));
        let channel = inbound.channel.as_str();
        let delivery = Delivery {
            channel: inbound.channel.as_str(),
            key: inbound.dedupe_key(),
            inbound,
            router: self.router.clone(),
            clock: self.clock.clone(),
            decided: state.clone(),
        };
        // A task of its own, so that it finishes even when the webhook stops waiting (even
        // while it still waits for a database connection): a slow command's reply is then
        // queued for later, never lost — WeChat does not retry a delivery answered `success`.
        let db = self.db.clone();
        let mut work = tokio::spawn(
            async move {
                db.run(move |c| {
                    let outcome = delivery.in_transaction(c)?;
                    delivery.router.committed();
                    Ok(outcome)
                })
                .await
            }
            .in_current_span(),
        );
        let outcome = match tokio::time::timeout_at(deadline, &mut work).await {
            Ok(outcome) => outcome,
            Err(_) => {
                if state
                    .compare_exchange(WAITING, GAVE_UP, Ordering::AcqRel, Ordering::Acquire)
                    .is_ok()
                {
                    tracing::info!("no answer by the deadline; answering success");
                    return Ok(None);
                }
                // The handler took the reply for us: only its commit is left.
                work.await
            }
        };
        match outcome.map_err(DbError::Task)?? {
            Outcome::Handled(reply) => Ok(reply),
            Outcome::Duplicate(reply) => {
                super::count_duplicate(channel);
                tracing::info!("duplicate delivery answered from the first");
                Ok(reply)
            }
        }
    }
}

/// One delivery, handled on a connection inside one transaction.
struct Delivery {
    channel: &'static str,
    key: String,
    inbound: Inbound,
    router: Arc<dyn Router>,
    clock: Arc<dyn Clock>,
    /// Who takes the reply: see WAITING, ANSWERING, GAVE_UP.
    decided: Arc<AtomicU8>,
}

impl Delivery {
    /// Claims the delivery, runs the command and records its reply, in one transaction; on
    /// PostgreSQL the short ways first (`on_postgres`), and where they do not apply an
    /// ordinary transaction that claims first.
    fn in_transaction(&self, c: &mut DbConn) -> Result<Outcome, DbError> {
        let now = self.clock.now();
        let token = new_claim_token();
        let request = ClaimRequest {
            channel: self.channel,
            dedupe_key: &self.key,
            token: &token,
            now_ms: now.timestamp_millis(),
            lease_ms: CLAIM_LEASE.as_millis() as i64,
        };
        if let DbConn::Pg(_) = c {
            if let Some(outcome) = self.on_postgres(c, &request, now)? {
                return Ok(outcome);
            }
        }
        c.transaction(|c| match callback_receipts::claim(c, &request)? {
            Claim::Owned => {
                let reply = match self.router.route_in(c, &self.inbound)? {
                    Routed::Answered(reply) => reply,
                    Routed::Changes(change) => in_savepoint(c, change)?,
                };
                Ok(self.record_owned(c, &token, now, reply, Ending::Open)?.0)
            }
            Claim::Done { reply } => Ok(Outcome::Duplicate(reply)),
            // A claim left by the other way of dispatching (during an upgrade), still
            // within its lease.
            Claim::InFlight => Ok(Outcome::Duplicate(None)),
        })
    }

    /// PostgreSQL's short ways, where every round trip and commit counts: the router reads
    /// first, outside any transaction. A message answered from reads alone is then claimed
    /// and completed in one statement; one that changes state opens its transaction together
    /// with its claim (`begin_with_claim`). `None` when neither applies (a duplicate, a key
    /// that needs quoting, a reply queued for later): the caller takes the ordinary way.
    fn on_postgres(
        &self,
        c: &mut DbConn,
        request: &ClaimRequest<'_>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Option<Outcome>, DbError> {
        let change = match self.router.route_in(c, &self.inbound)? {
            Routed::Changes(change) => change,
            Routed::Answered(reply) => return self.record_answer(c, request, reply, now),
        };
        let DbConn::Pg(pg) = c else {
            return Ok(None);
        };
        if !callback_receipts::begin_with_claim(pg, request)? {
            return Ok(None);
        }
        // A refusal is undone back to the savepoint after the claim, in the same round trip
        // that records it and commits.
        let handled = match change(c) {
            Ok(reply) => self.record_owned(
                c,
                request.token,
                now,
                reply,
                Ending::Commit(ChangeEnd::Kept),
            ),
            Err(Undo::Refused(reply)) => self.record_owned(
                c,
                request.token,
                now,
                reply,
                Ending::Commit(ChangeEnd::Undone),
            ),
            Err(Undo::Failed(e)) => Err(e),
        };
        match handled {
            Ok((outcome, Ended::Committed)) => Ok(Some(outcome)),
            Ok((outcome, Ended::Open)) => callback_receipts::commit(c).map(|()| Some(outcome)),
            Err(e) => {
                if let Err(rollback) = callback_receipts::rollback(c) {
                    // A connection diesel then counts as broken leaves the pool
                    // (`has_broken`); the command's own error is the one to report.
                    tracing::warn!(error = %rollback, "rollback after a failed callback failed");
                }
                Err(e)
            }
        }
    }

    /// An answer that left nothing to commit, claimed and completed in one statement. `None`
    /// when the delivery has a receipt already or the webhook stopped waiting: the ordinary
    /// way then answers from that receipt or queues the reply.
    fn record_answer(
        &self,
        c: &mut DbConn,
        request: &ClaimRequest<'_>,
        reply: Option<Reply>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Option<Outcome>, DbError> {
        if !self.takes_reply() {
            return Ok(None);
        }
        let rendered = self.render(reply.as_ref(), now);
        let answered = Completion {
            channel: self.channel,
            dedupe_key: &self.key,
            token: request.token,
            reply: rendered.as_deref(),
            replied_later: false,
            now_ms: request.now_ms,
        };
        let recorded = callback_receipts::record_answered(c, &answered)?;
        Ok(recorded.then_some(Outcome::Handled(rendered)))
    }

    /// Whether the webhook still waits for this reply; if not, the deadline passed and the
    /// reply goes out later, as a message. Asked again after a short way gave up, it gives
    /// the same answer.
    fn takes_reply(&self) -> bool {
        match self
            .decided
            .compare_exchange(WAITING, ANSWERING, Ordering::AcqRel, Ordering::Acquire)
        {
            Ok(_) | Err(ANSWERING) => true,
            Err(_) => false,
        }
    }

    fn render(&self, reply: Option<&Reply>, now: chrono::DateTime<chrono::Utc>) -> Option<String> {
        let message = &self.inbound;
        reply.map(|r| r.render(&message.from_user, &message.to_user, now.timestamp()))
    }

    /// Records the reply of a delivery this caller owns; with `Ending::Commit` the recording
    /// may commit the transaction too (`Ended` says whether it did), having first undone a
    /// refused change.
    fn record_owned(
        &self,
        c: &mut DbConn,
        token: &str,
        now: chrono::DateTime<chrono::Utc>,
        reply: Option<Reply>,
        ending: Ending,
    ) -> Result<(Outcome, Ended), DbError> {
        let now_ms = now.timestamp_millis();
        let message = &self.inbound;
        let rendered = self.render(reply.as_ref(), now);
        let answering = self.takes_reply();
        let (channel, key) = (self.channel, self.key.as_str());
        let done = Completion {
            channel,
            dedupe_key: key,
            token,
            reply: rendered.as_deref(),
            replied_later: !answering,
            now_ms,
        };
        if let Ending::Commit(change) = ending {
            // A reply queued for later is one more write: those take the ordinary path.
            if answering && callback_receipts::complete_and_commit(c, change, &done)? {
                return Ok((Outcome::Handled(rendered), Ended::Committed));
            }
            if change == ChangeEnd::Undone {
                callback_receipts::undo_change(c)?;
            }
        }
        callback_receipts::complete(c, &done)?;
        if let (false, Some(reply)) = (answering, &reply) {
            let reply_json =
                serde_json::to_string(reply).map_err(|e| DbError::Worker(e.to_string()))?;
            deferred_replies::enqueue(
                c,
                &NewDeferredReply {
                    channel: super::reply_channel(message.channel),
                    dedupe_key: key,
                    to_user: &message.from_user,
                    agent_id: message.agent_id.as_deref(),
                    reply_json: &reply_json,
                    now_ms,
                },
            )?;
            super::count_deferred(channel);
            tracing::info!(
                channel,
                dedupe_key = key,
                "router missed the deadline; reply queued for later delivery"
            );
        }
        Ok((
            Outcome::Handled(rendered.filter(|_| answering)),
            Ended::Open,
        ))
    }
}

/// Runs a change in a savepoint, so that a refusal undoes its writes but not the claim.
fn in_savepoint(c: &mut DbConn, change: Change<'_>) -> Result<Option<Reply>, DbError> {
    match c.transaction(change) {
        Ok(reply) | Err(Undo::Refused(reply)) => Ok(reply),
        Err(Undo::Failed(e)) => Err(e),
    }
}

/// Whether recording the reply may also commit the transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ending {
    /// The transaction was opened with the claim (`begin_with_claim`): recording may commit,
    /// after undoing the change if it was refused.
    Commit(ChangeEnd),
    /// An ordinary transaction, which `Connection::transaction` commits.
    Open,
}

/// How `record_owned` left the transaction.
enum Ended {
    Committed,
    Open,
}
