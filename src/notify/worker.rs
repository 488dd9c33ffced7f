//! The outbox worker: claims due rows, sends them with bounded concurrency, records each
//! outcome as soon as it is known.
//!
//! The one unavoidable window: WeChat accepted a message and this process died before the
//! outcome was written. The row's lease then expires and it is sent again, so the person may
//! get it twice. The window is one HTTP round trip plus one write: each outcome is written
//! alone, right after its call, never batched. An outcome that cannot be written because the
//! database is unreachable is held in memory and written before anything new is claimed, so a
//! live process never sends a message twice.

use super::backoff;
use crate::clock::Clock;
use crate::config::OutboundSettings;
use crate::db::deferred_replies::ReplyChannel;
use crate::db::outbox::{self, NewMessage, OutboxChannel, OutboxRow, Outcome};
use crate::db::OutboxId;
use crate::db::{api_pauses, deferred_replies, Db, DbConn, DbError};
use crate::outbox::message::Reply;
use crate::outbox::payload;
use crate::wechat::api::{ApiClient, ApiError};
use chrono_tz::Tz;
use diesel::Connection;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{Notify, Semaphore};

/// The configured outbound channels.
#[derive(Clone, Default)]
pub struct Channels {
    pub oa: Option<Arc<ApiClient>>,
    pub wecom: Option<Arc<ApiClient>>,
    pub wecom_agent_id: Option<String>,
}

pub struct OutboxWorker {
    db: Db,
    channels: Channels,
    clock: Arc<dyn Clock>,
    settings: OutboundSettings,
    tz: Tz,
    /// Rung when rows are queued, so they leave without waiting for the next poll.
    wake: Arc<Notify>,
    /// Quota pauses (API → until, ms), refreshed from the database every batch.
    pauses: Mutex<HashMap<String, i64>>,
    /// Outcomes known but not yet written, oldest first.
    held: Mutex<Vec<HeldOutcome>>,
}

struct HeldOutcome {
    id: OutboxId,
    outcome: Outcome,
    done_ms: i64,
}

/// How long an idle worker sleeps before looking again (rows queued by another instance).
const IDLE_POLL: Duration = Duration::from_secs(1);
/// Longest pause between attempts while the database is unreachable.
const MAX_BACKOFF: Duration = Duration::from_secs(4);
const DEFERRED_BATCH: i64 = 200;

fn api_key(row: &OutboxRow) -> String {
    format!("{}{}", row.channel, row.api_path)
}

impl OutboxWorker {
    pub fn new(
        db: Db,
        channels: Channels,
        clock: Arc<dyn Clock>,
        settings: OutboundSettings,
        tz: Tz,
        wake: Arc<Notify>,
    ) -> Arc<Self> {
        Arc::new(Self {
            db,
            channels,
            clock,
            settings,
            tz,
            wake,
            pauses: Mutex::new(HashMap::new()),
            held: Mutex::new(Vec::new()),
        })
    }

    /// Sends until the task is dropped.
    pub async fn run(self: Arc<Self>) {
        let mut failures = 0u32;
        loop {
            let result = self.clone().tick().await;
            if result.is_ok() {
                failures = 0;
            }
            match result {
                Ok(0) => {
                    let nap = self.until_next_due().await;
                    tokio::select! {
                        _ = self.wake.notified() => {}
                        _ = tokio::time::sleep(nap) => {}
                    }
                }
                Ok(_) => {}
                Err(e) => {
                    failures += 1;
                    let nap = (IDLE_POLL * 2u32.pow(failures.min(3) - 1)).min(MAX_BACKOFF);
                    tracing::error!(error = %e, failures, retry_in_ms = nap.as_millis() as u64,
                        "outbox worker cannot reach the database");
                    tokio::time::sleep(nap).await;
                }
            }
        }
    }

    /// How long to sleep: until the next row is due, but no longer than the idle poll (rows
    /// queued by another instance ring no bell here).
    async fn until_next_due(&self) -> Duration {
        let now = self.clock.now().timestamp_millis();
        match self.db.run(outbox::next_due).await {
            Ok(Some(due)) => {
                Duration::from_millis((due - now).clamp(10, IDLE_POLL.as_millis() as i64) as u64)
            }
            _ => IDLE_POLL,
        }
    }

    /// One round: hands late replies to the outbox, then sends everything due, claiming more
    /// rows as sends finish so `concurrency` calls stay in flight. Returns how many rows it
    /// sent (or tried to).
    pub async fn tick(self: Arc<Self>) -> Result<usize, DbError> {
        self.write_held().await?;
        let now = self.clock.now().timestamp_millis();
        let agent = self.channels.wecom_agent_id.clone();
        self.db
            .run(move |c| queue_deferred_replies(c, agent.as_deref(), now))
            .await?;
        let lease = self.settings.lease.as_millis() as i64;
        let concurrency = self.settings.concurrency;
        let permits = Arc::new(Semaphore::new(concurrency));
        let mut sends = tokio::task::JoinSet::new();
        let mut total = 0;
        let mut drained = false;
        let mut claim_failed = None;
        let mut pauses_refreshed = false;
        loop {
            // Claimed rows waiting for a permit keep the pipe full (they stay leased to us);
            // claims come in chunks of at least `concurrency` rows, not one per finished send.
            if !drained && sends.len() <= concurrency {
                let want = (concurrency * 2 - sends.len()) as i64;
                let now = self.clock.now().timestamp_millis();
                // Sends in flight finish (and keep their outcomes) even when claiming fails.
                let claimed = match self
                    .db
                    .run(move |c| outbox::claim(c, now, lease, want))
                    .await
                {
                    Ok(claimed) => claimed,
                    Err(e) => {
                        claim_failed = Some(e);
                        Default::default()
                    }
                };
                for (id, error) in &claimed.set_aside {
                    super::set_aside("outbox", id, error);
                }
                let rows = claimed.rows;
                if rows.is_empty() && claimed.set_aside.is_empty() {
                    drained = true;
                } else {
                    if !pauses_refreshed && !rows.is_empty() {
                        pauses_refreshed = true;
                        if let Err(e) = self.refresh_pauses(now).await {
                            tracing::warn!(error = %e, "quota pauses not refreshed");
                        }
                    }
                    total += rows.len() + claimed.set_aside.len();
                    for row in rows {
                        let me = self.clone();
                        let permits = permits.clone();
                        sends.spawn(async move {
                            let _permit = permits.acquire_owned().await;
                            me.send_one(row).await
                        });
                    }
                    continue;
                }
            }
            match sends.join_next().await {
                None => break,
                Some(Err(e)) => tracing::error!(error = %e, "a send task failed"),
                Some(Ok(())) => {}
            }
        }
        match claim_failed {
            Some(e) => Err(e),
            None => Ok(total),
        }
    }

    /// Writes the outcomes held while the database was unreachable; stops at the first that
    /// still cannot be written, keeping it and the rest.
    async fn write_held(&self) -> Result<(), DbError> {
        let held = std::mem::take(&mut *self.held.lock().unwrap_or_else(|e| e.into_inner()));
        if held.is_empty() {
            return Ok(());
        }
        let count = held.len();
        let mut left = held.into_iter();
        while let Some(h) = left.next() {
            let outcome = h.outcome.clone();
            if let Err(e) = self
                .db
                .run(move |c| outbox::finish(c, h.id, &outcome, h.done_ms))
                .await
            {
                let mut held = self.held.lock().unwrap_or_else(|e| e.into_inner());
                let newer = std::mem::take(&mut *held);
                held.push(h);
                held.extend(left);
                held.extend(newer);
                return Err(e);
            }
        }
        tracing::info!(count, "held send outcomes written");
        Ok(())
    }

    async fn refresh_pauses(&self, now: i64) -> Result<(), DbError> {
        let found = self.db.run(move |c| api_pauses::active(c, now)).await?;
        *self.pauses.lock().unwrap_or_else(|e| e.into_inner()) = found.into_iter().collect();
        Ok(())
    }

    fn paused_until(&self, key: &str, now: i64) -> Option<i64> {
        self.pauses
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(key)
            .copied()
            .filter(|until| *until > now)
    }

    /// When a quota window resets: local midnight for daily quotas, a minute otherwise.
    fn quota_reset(&self, daily: bool) -> i64 {
        let now = self.clock.now();
        if !daily {
            return (now + chrono::Duration::seconds(60)).timestamp_millis();
        }
        let local = now.with_timezone(&self.tz);
        let tomorrow = local.date_naive().succ_opt().unwrap_or(local.date_naive());
        crate::clock::local_instant(&self.tz, tomorrow.and_time(chrono::NaiveTime::MIN))
            .timestamp_millis()
    }

    async fn send_one(&self, row: OutboxRow) {
        let now = self.clock.now().timestamp_millis();
        let key = api_key(&row);
        let (outcome, errcode) = if let Some(until) = self.paused_until(&key, now) {
            let paused = Outcome::Paused {
                until_ms: until,
                error: "paused: quota reached".into(),
            };
            (paused, None)
        } else {
            let result = match self.client(row.channel) {
                Some(client) => match serde_json::from_str(&row.payload) {
                    Ok(body) => client.post(&row.api_path, &body).await,
                    Err(e) => Err(ApiError::Permanent {
                        code: 0,
                        message: format!("stored payload is not JSON: {e}"),
                    }),
                },
                None => Err(ApiError::Permanent {
                    code: 0,
                    message: format!("channel {} is not configured", row.channel),
                }),
            };
            let errcode = match &result {
                Ok(_) => Some(0),
                Err(
                    ApiError::Token { code, .. }
                    | ApiError::Quota { code, .. }
                    | ApiError::Permanent { code, .. },
                ) => Some(*code),
                Err(ApiError::Retryable(_)) => None,
            };
            (self.outcome(&row, &key, result).await, errcode)
        };
        let errcode = errcode.map_or_else(|| "none".to_owned(), |c| c.to_string());
        crate::telemetry::metrics::METRICS
            .sends
            .with_label_values(&[row.channel.as_str(), outcome.name(), errcode.as_str()])
            .inc();
        match &outcome {
            Outcome::Sent { .. } => {
                tracing::debug!(outbox_id = %row.id, kind = %row.kind, "sent")
            }
            Outcome::Failed { error } => {
                tracing::warn!(outbox_id = %row.id, kind = %row.kind, error = %error, "message failed")
            }
            Outcome::Retry { error, .. } | Outcome::Paused { error, .. } => {
                tracing::info!(outbox_id = %row.id, kind = %row.kind, attempts = row.attempts, error = %error, "message will be retried")
            }
        }
        let id = row.id;
        let done_ms = self.clock.now().timestamp_millis();
        let written = outcome.clone();
        if let Err(e) = self
            .db
            .run(move |c| outbox::finish(c, id, &written, done_ms))
            .await
        {
            tracing::warn!(outbox_id = %id, error = %e,
                "send outcome held until the database can take it");
            self.held
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(HeldOutcome {
                    id,
                    outcome,
                    done_ms,
                });
        }
    }

    fn client(&self, channel: OutboxChannel) -> Option<&Arc<ApiClient>> {
        match channel {
            OutboxChannel::OfficialAccount => self.channels.oa.as_ref(),
            OutboxChannel::Wecom => self.channels.wecom.as_ref(),
            OutboxChannel::Nowhere => None,
        }
    }

    async fn outcome(
        &self,
        row: &OutboxRow,
        key: &str,
        result: Result<serde_json::Value, ApiError>,
    ) -> Outcome {
        let now = self.clock.now();
        match result {
            Ok(answer) => Outcome::Sent {
                msgid: answer.get("msgid").map(|m| match m {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                }),
            },
            Err(e @ (ApiError::Retryable(_) | ApiError::Token { .. })) => {
                if row.attempts >= self.settings.max_attempts {
                    Outcome::Failed {
                        error: format!("gave up after {} attempts: {e}", row.attempts),
                    }
                } else {
                    let wait = backoff::delay(row.attempts, rand::random::<f64>());
                    Outcome::Retry {
                        at_ms: now.timestamp_millis() + wait.as_millis() as i64,
                        error: e.to_string(),
                    }
                }
            }
            Err(e @ ApiError::Quota { daily, .. }) => {
                let until = self.quota_reset(daily);
                let reason = e.to_string();
                let api = key.to_owned();
                let stored_reason = reason.clone();
                // Other instances learn of the pause from the database; this one keeps it in
                // memory even when that write fails.
                if let Err(e) = self
                    .db
                    .run(move |c| api_pauses::pause(c, &api, until, &stored_reason))
                    .await
                {
                    tracing::warn!(api = key, error = %e, "quota pause not stored");
                }
                self.pauses
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(key.to_owned(), until);
                tracing::warn!(api = key, until, "API paused until its quota resets");
                Outcome::Paused {
                    until_ms: until,
                    error: reason,
                }
            }
            Err(e @ ApiError::Permanent { .. }) => Outcome::Failed {
                error: e.to_string(),
            },
        }
    }
}

/// Moves replies that missed the 4.5 s window into the outbox as customer-service (OA) or
/// app (WeCom) messages, once each; one that cannot be sent as stored is set aside.
fn queue_deferred_replies(c: &mut DbConn, agent: Option<&str>, now: i64) -> Result<usize, DbError> {
    let pending = deferred_replies::pending(c, DEFERRED_BATCH)?;
    for (id, error) in &pending.set_aside {
        super::set_aside("deferred_replies", id, error);
    }
    let count = pending.rows.len() + pending.set_aside.len();
    for d in pending.rows {
        let reply: Reply = match serde_json::from_str(&d.reply) {
            Ok(reply) => reply,
            Err(e) => {
                let why = format!("the stored reply is not one huiwu can send: {e}");
                deferred_replies::set_aside(c, d.id, &why)?;
                super::set_aside("deferred_replies", d.id, &why);
                continue;
            }
        };
        c.transaction::<_, DbError, _>(|c| {
            let mut unreachable = None;
            let (channel, path, body) = match d.channel {
                ReplyChannel::Wecom => {
                    let agent = d.agent_id.as_deref().or(agent);
                    if agent.is_none() {
                        unreachable = Some(
                            "no WeCom agent id: the callback named none and wecom.agent_id is not set"
                                .to_owned(),
                        );
                    }
                    (
                        OutboxChannel::Wecom,
                        payload::WECOM_SEND,
                        payload::wecom_reply(&d.to_user, agent.unwrap_or(""), &reply),
                    )
                }
                ReplyChannel::OfficialAccount => (
                    OutboxChannel::OfficialAccount,
                    payload::OA_CUSTOM_SEND,
                    payload::oa_custom(&d.to_user, &reply),
                ),
            };
            outbox::enqueue(
                c,
                &NewMessage {
                    dedupe_key: format!("reply:{}", d.dedupe_key),
                    channel,
                    kind: crate::outbox::NoticeKind::ReplyLater,
                    meeting_id: None,
                    person_id: None,
                    recipient: d.to_user.clone(),
                    api_path: path,
                    payload: body.to_string(),
                    unreachable,
                },
                now,
            )?;
            deferred_replies::mark_queued(c, d.id)
        })?;
    }
    Ok(count)
}
