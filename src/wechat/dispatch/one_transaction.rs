//! PostgreSQL: the claim, the command's effects and the recorded reply commit together, in
//! one synchronous commit per callback. A concurrent retry's claim waits on the first one's
//! unique key and, once that commits, reads its reply; if the first rolls back, the retry is
//! free to run. A handler that dies takes its claim with it (the transaction rolls back), so
//! WeChat's next retry runs the command again: an answered command is never lost.

use super::{new_claim_token, Dispatcher, CLAIM_LEASE};
use crate::db::callback_receipts::{self, Claim, ClaimRequest};
use crate::db::deferred_replies::{self, NewDeferredReply};
use crate::db::DbError;
use crate::wechat::message::Inbound;
use diesel::Connection;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Arc;
use tokio::sync::oneshot;
use tokio::time::Instant;

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
        let (tx, rx) = oneshot::channel();
        let db = self.db.clone();
        let router = self.router.clone();
        let clock = self.clock.clone();
        let task_state = state.clone();
        let in_task = router.clone();
        // Its own task, so that a slow command outlives the HTTP request and its reply is
        // queued for later instead of being lost.
        tokio::spawn(async move {
            let state = task_state;
            let channel = inbound.channel.as_str();
            let key = inbound.dedupe_key();
            let outcome = db
                .run(move |c| {
                    c.transaction(|c| {
                        let now = clock.now();
                        let token = new_claim_token();
                        let claim = callback_receipts::claim(
                            c,
                            &ClaimRequest {
                                channel,
                                dedupe_key: &key,
                                token: &token,
                                now_ms: now.timestamp_millis(),
                                lease_ms: CLAIM_LEASE.as_millis() as i64,
                            },
                        )?;
                        match claim {
                            Claim::Owned => {}
                            Claim::Done { reply } => return Ok(Outcome::Duplicate(reply)),
                            // A claim left by the other way of dispatching (during an
                            // upgrade), still within its lease.
                            Claim::InFlight => return Ok(Outcome::Duplicate(None)),
                        }
                        let reply = in_task.route_in(c, &inbound)?;
                        let rendered = reply.as_ref().map(|r| {
                            r.render(&inbound.from_user, &inbound.to_user, now.timestamp())
                        });
                        let answering = state
                            .compare_exchange(WAITING, ANSWERING, Ordering::AcqRel, Ordering::Acquire)
                            .is_ok();
                        callback_receipts::complete(
                            c,
                            channel,
                            &key,
                            &token,
                            rendered.as_deref(),
                            !answering,
                            now.timestamp_millis(),
                        )?;
                        if let (false, Some(reply)) = (answering, &reply) {
                            let reply_json = serde_json::to_string(reply)
                                .map_err(|e| DbError::Worker(e.to_string()))?;
                            deferred_replies::enqueue(
                                c,
                                &NewDeferredReply {
                                    channel,
                                    dedupe_key: &key,
                                    to_user: &inbound.from_user,
                                    agent_id: inbound.agent_id.as_deref(),
                                    reply_json: &reply_json,
                                    now_ms: now.timestamp_millis(),
                                },
                            )?;
                            tracing::info!(channel, dedupe_key = %key, "router missed the deadline; reply queued for later delivery");
                        }
                        Ok(Outcome::Handled(rendered.filter(|_| answering)))
                    })
                })
                .await;
            if outcome.is_ok() {
                router.committed();
            }
            // A closed receiver: the webhook answered `success` at its deadline.
            let _ = tx.send(outcome);
        });
        let mut rx = rx;
        let outcome = match tokio::time::timeout_at(deadline, &mut rx).await {
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
                rx.await
            }
        };
        match outcome {
            Ok(Ok(Outcome::Handled(reply))) => Ok(reply),
            Ok(Ok(Outcome::Duplicate(reply))) => {
                tracing::info!("duplicate delivery answered from the first");
                Ok(reply)
            }
            Ok(Err(e)) => Err(e),
            Err(_) => Err(DbError::Worker(
                "the callback task ended without an answer".into(),
            )),
        }
    }
}
