//! Runs a message's effects at most once per WeChat delivery, however often WeChat retries it
//! and on however many instances, answers every retry with the reply recorded for the
//! delivery, and answers within the reply deadline whatever the router does.
//!
//! Two ways, by engine. On SQLite the claim, the router's transaction and the recorded reply
//! are three jobs of the writer, which commits many jobs at once (here). On PostgreSQL every
//! commit is a synchronous disk write, so a router that can join (`Router::route_in`) runs
//! with the claim and the reply in one transaction (`one_transaction.rs`).

mod one_transaction;

use super::message::Inbound;
use super::router::Router;
use crate::clock::Clock;
use crate::db::callback_receipts::{self, Claim, ClaimRequest, Completion};
use crate::db::deferred_replies::{self, NewDeferredReply, ReplyChannel};
use crate::db::{self, Db, DbError};
use diesel::Connection;
use rand::RngCore;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::oneshot;
use tokio::time::Instant;
use tracing::Instrument;

/// WeChat gives up on an answer after 5 s and retries; answer before that.
pub const DEFAULT_REPLY_DEADLINE: Duration = Duration::from_millis(4500);
/// A claim not completed within this time belongs to a handler that died; a retry takes over.
/// Longer than any reply deadline, shorter than WeChat's last retry (about 15 s in).
pub const CLAIM_LEASE: Duration = Duration::from_secs(10);
const MAX_POLL: Duration = Duration::from_millis(200);

#[derive(Clone)]
pub struct Dispatcher {
    db: Db,
    router: Arc<dyn Router>,
    reply_deadline: Duration,
    clock: Arc<dyn Clock>,
}

impl Dispatcher {
    pub fn new(
        db: Db,
        router: Arc<dyn Router>,
        reply_deadline: Duration,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            db,
            router,
            reply_deadline,
            clock,
        }
    }

    /// The plain reply XML for this delivery, or `None` for `success`.
    pub async fn dispatch(
        &self,
        inbound: Inbound,
        received: Instant,
    ) -> Result<Option<String>, DbError> {
        let deadline = received + self.reply_deadline;
        if !self.db.groups_commits() && self.router.routes_in_transaction() {
            return self.in_one_transaction(inbound, deadline).await;
        }
        let channel = inbound.channel.as_str();
        let key = Arc::<str>::from(inbound.dedupe_key());
        let token = Arc::<str>::from(new_claim_token());
        let mut poll = Duration::from_millis(10);
        loop {
            let (key2, token2) = (key.clone(), token.clone());
            let now_ms = self.clock.now().timestamp_millis();
            let claim = self
                .db
                .run(move |c| {
                    callback_receipts::claim(
                        c,
                        &ClaimRequest {
                            channel,
                            dedupe_key: &key2,
                            token: &token2,
                            now_ms,
                            lease_ms: CLAIM_LEASE.as_millis() as i64,
                        },
                    )
                })
                .await?;
            match claim {
                Claim::Owned => return Ok(self.run_router(inbound, key, token, deadline).await),
                Claim::Done { reply } => {
                    count_duplicate(channel);
                    tracing::info!(channel, dedupe_key = %key, "duplicate delivery answered from the first");
                    return Ok(reply);
                }
                Claim::InFlight => {
                    if Instant::now() + poll >= deadline {
                        count_duplicate(channel);
                        tracing::info!(channel, dedupe_key = %key, "duplicate delivery still in flight at the deadline; answering success");
                        return Ok(None);
                    }
                    tokio::time::sleep(poll).await;
                    poll = (poll * 2).min(MAX_POLL);
                }
            }
        }
    }

    /// The router runs in its own task so that a slow answer outlives the HTTP request: it is
    /// then recorded and queued for later delivery instead of being lost.
    async fn run_router(
        &self,
        inbound: Inbound,
        key: Arc<str>,
        token: Arc<str>,
        deadline: Instant,
    ) -> Option<String> {
        let (tx, rx) = oneshot::channel::<Option<String>>();
        let db = self.db.clone();
        let router = self.router.clone();
        let clock = self.clock.clone();
        let task_key = key.clone();
        tokio::spawn(async move {
            let key = task_key;
            let channel = inbound.channel.as_str();
            let goes_back = reply_channel(inbound.channel);
            let to_user = inbound.from_user.clone();
            let from_user = inbound.to_user.clone();
            let agent_id = inbound.agent_id.clone();
            let reply = router.route(inbound).await;
            let rendered = reply
                .as_ref()
                .map(|r| r.render(&to_user, &from_user, clock.now().timestamp()));
            // A closed receiver means the webhook already answered `success`.
            let answered = tx.send(rendered.clone()).is_ok();
            let reply_json = match (&reply, answered) {
                (Some(r), false) => serde_json::to_string(r).ok(),
                _ => None,
            };
            let key2 = key.clone();
            let stored = db
                .run(move |c| {
                    let now_ms = clock.now().timestamp_millis();
                    let record = |c: &mut db::DbConn| {
                        callback_receipts::complete(
                            c,
                            &Completion {
                                channel,
                                dedupe_key: &key2,
                                token: &token,
                                reply: rendered.as_deref(),
                                replied_later: !answered,
                                now_ms,
                            },
                        )
                    };
                    let Some(reply_json) = reply_json else {
                        return record(c);
                    };
                    c.transaction(|c| {
                        let ours = record(c)?;
                        if ours {
                            deferred_replies::enqueue(
                                c,
                                &NewDeferredReply {
                                    channel: goes_back,
                                    dedupe_key: &key2,
                                    to_user: &to_user,
                                    agent_id: agent_id.as_deref(),
                                    reply_json: &reply_json,
                                    now_ms,
                                },
                            )?;
                        }
                        Ok::<_, DbError>(ours)
                    })
                })
                .await;
            match stored {
                Ok(true) if !answered => {
                    count_deferred(channel);
                    tracing::info!(channel, dedupe_key = %key, "router missed the deadline; reply queued for later delivery")
                }
                Ok(true) => {}
                Ok(false) => {
                    tracing::warn!(channel, dedupe_key = %key, "claim was taken over before the router finished; its outcome stands")
                }
                Err(e) => {
                    tracing::error!(channel, dedupe_key = %key, error = %e, "could not record the callback outcome")
                }
            }
        }
        .in_current_span());
        match tokio::time::timeout_at(deadline, rx).await {
            Ok(Ok(reply)) => reply,
            Ok(Err(_)) => {
                tracing::error!(dedupe_key = %key, "router task ended without an answer");
                None
            }
            Err(_) => None,
        }
    }
}

fn new_claim_token() -> String {
    let mut bytes = [0u8; 12];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

fn count_duplicate(channel: &str) {
    crate::telemetry::metrics::METRICS
        .duplicates
        .with_label_values(&[channel])
        .inc();
}

/// The account a late reply goes back through: the one its callback came through.
fn reply_channel(channel: super::message::Channel) -> ReplyChannel {
    match channel {
        super::message::Channel::OfficialAccount => ReplyChannel::OfficialAccount,
        super::message::Channel::WeCom => ReplyChannel::Wecom,
    }
}

fn count_deferred(channel: &str) {
    crate::telemetry::metrics::METRICS
        .deferred_replies
        .with_label_values(&[channel])
        .inc();
}
