//! The outbox: every outbound message as a row, claimed by one sender at a time.

use super::claimed::{self, Claimed};
use super::schema::outbox::dsl as o;
use super::OutboxId;
use super::{on_backend, DbConn, DbError};
use crate::meetings::notice_kind::NoticeKind;
use crate::meetings::stamp::Stamp;
use crate::meetings::{MeetingId, PersonId};
use diesel::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct OutboxRow {
    pub id: OutboxId,
    pub dedupe_key: String,
    #[diesel(deserialize_as = String)]
    pub channel: OutboxChannel,
    #[diesel(deserialize_as = String)]
    pub kind: NoticeKind,
    pub meeting_id: Option<MeetingId>,
    pub person_id: Option<PersonId>,
    pub recipient: String,
    pub api_path: String,
    pub payload: String,
    #[diesel(deserialize_as = String)]
    pub status: OutboxStatus,
    pub attempts: i32,
    pub next_attempt_at: Stamp,
    pub lease_until: Stamp,
    pub last_error: Option<String>,
    pub wechat_msgid: Option<String>,
    pub created_at: Stamp,
    pub updated_at: Stamp,
}

crate::meetings::stored::named_enum! {
    /// Where a message stands: waiting, leased to a worker, accepted by WeChat, confirmed
    /// delivered, given up on, or never sendable (no channel for the person).
    pub enum OutboxStatus ("outbox status") {
        Pending = "pending",
        Sending = "sending",
        Sent = "sent",
        Delivered = "delivered",
        Failed = "failed",
        Unreachable = "unreachable",
    }
}

crate::meetings::stored::named_enum! {
    /// Which account a message goes out through; `none` for a person huiwu cannot reach (the
    /// row records why and is never sent).
    pub enum OutboxChannel ("outbox channel") {
        OfficialAccount = "oa",
        Wecom = "wecom",
        Nowhere = "none",
    }
}

impl OutboxChannel {
    pub fn label_zh(self) -> &'static str {
        match self {
            OutboxChannel::OfficialAccount => "公众号",
            OutboxChannel::Wecom => "企业微信",
            OutboxChannel::Nowhere => "无渠道",
        }
    }
}

#[derive(Debug, Clone)]
pub struct NewMessage {
    /// Unique per logical message: a retried request or replayed callback queues nothing new.
    pub dedupe_key: String,
    pub channel: OutboxChannel,
    pub kind: NoticeKind,
    pub meeting_id: Option<MeetingId>,
    pub person_id: Option<PersonId>,
    pub recipient: String,
    pub api_path: &'static str,
    pub payload: String,
    /// `None`: to be sent. `Some(reason)`: recorded as unreachable, never sent.
    pub unreachable: Option<String>,
}

/// Queues a message; false when its dedupe key was queued before.
pub fn enqueue(conn: &mut DbConn, m: &NewMessage, now_ms: i64) -> Result<bool, DbError> {
    let status = if m.unreachable.is_some() {
        OutboxStatus::Unreachable.as_str()
    } else {
        OutboxStatus::Pending.as_str()
    };
    let row = (
        o::dedupe_key.eq(&m.dedupe_key),
        o::channel.eq(m.channel.as_str()),
        o::kind.eq(m.kind.as_str()),
        o::meeting_id.eq(m.meeting_id),
        o::person_id.eq(m.person_id),
        o::recipient.eq(&m.recipient),
        o::api_path.eq(m.api_path),
        o::payload.eq(&m.payload),
        o::status.eq(status),
        o::next_attempt_at.eq(now_ms),
        o::last_error.eq(m.unreachable.as_deref()),
        o::created_at.eq(now_ms),
        o::updated_at.eq(now_ms),
    );
    let n = on_backend!(conn, |c| diesel::insert_into(o::outbox)
        .values(row)
        .on_conflict(o::dedupe_key)
        .do_nothing()
        .execute(c))?;
    Ok(n == 1)
}

/// Claims up to `limit` rows due at `now_ms` (pending, or sending with an expired lease: its
/// sender died) for `lease_ms`. On PostgreSQL concurrent claimers skip each other's rows; on
/// SQLite the single writer serialises claims. A row that cannot be read is set aside as
/// failed (its error says why) instead of holding up the queue.
pub fn claim(
    conn: &mut DbConn,
    now_ms: i64,
    lease_ms: i64,
    limit: i64,
) -> Result<Claimed<OutboxRow, OutboxId>, DbError> {
    conn.transaction(|conn| {
        let due = o::status
            .eq(OutboxStatus::Pending.as_str())
            .and(o::next_attempt_at.le(now_ms))
            .or(o::status
                .eq(OutboxStatus::Sending.as_str())
                .and(o::lease_until.le(now_ms)));
        let ids: Vec<OutboxId> = match conn {
            DbConn::Pg(c) => o::outbox
                .filter(due)
                .order(o::next_attempt_at)
                .limit(limit)
                .select(o::id)
                .for_update()
                .skip_locked()
                .load(c)?,
            DbConn::Sqlite(c) => o::outbox
                .filter(due)
                .order(o::next_attempt_at)
                .limit(limit)
                .select(o::id)
                .load(c)?,
        };
        if ids.is_empty() {
            return Ok(Claimed::default());
        }
        on_backend!(conn, |c| diesel::update(
            o::outbox.filter(o::id.eq_any(&ids))
        )
        .set((
            o::status.eq(OutboxStatus::Sending.as_str()),
            o::lease_until.eq(now_ms + lease_ms),
            o::attempts.eq(o::attempts + 1),
            o::updated_at.eq(now_ms),
        ))
        .execute(c))?;
        claimed::read(
            conn,
            &ids,
            |conn, ids| {
                Ok(on_backend!(conn, |c| o::outbox
                    .filter(o::id.eq_any(ids))
                    .order(o::id)
                    .load(c))?)
            },
            |conn, id, why| {
                on_backend!(conn, |c| diesel::update(o::outbox.find(id))
                    .set((
                        o::status.eq(OutboxStatus::Failed.as_str()),
                        o::last_error.eq(why),
                        o::updated_at.eq(now_ms),
                    ))
                    .execute(c))?;
                Ok(())
            },
        )
    })
}

/// What became of a send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Sent {
        msgid: Option<String>,
    },
    Retry {
        at_ms: i64,
        error: String,
    },
    /// The API is paused for everyone; the attempt does not count against the message.
    Paused {
        until_ms: i64,
        error: String,
    },
    Failed {
        error: String,
    },
}

/// Records the outcome of a claimed row (only while it is still ours to record).
impl Outcome {
    pub fn name(&self) -> &'static str {
        match self {
            Outcome::Sent { .. } => "sent",
            Outcome::Retry { .. } => "retry",
            Outcome::Paused { .. } => "paused",
            Outcome::Failed { .. } => "failed",
        }
    }
}

pub fn finish(
    conn: &mut DbConn,
    id: OutboxId,
    outcome: &Outcome,
    now_ms: i64,
) -> Result<(), DbError> {
    let mine = o::outbox
        .filter(o::id.eq(id))
        .filter(o::status.eq(OutboxStatus::Sending.as_str()));
    on_backend!(conn, |c| match outcome {
        Outcome::Sent { msgid } => diesel::update(mine)
            .set((
                o::status.eq(OutboxStatus::Sent.as_str()),
                o::wechat_msgid.eq(msgid.as_deref()),
                o::last_error.eq(None::<String>),
                o::updated_at.eq(now_ms),
            ))
            .execute(c),
        Outcome::Retry { at_ms, error } => diesel::update(mine)
            .set((
                o::status.eq(OutboxStatus::Pending.as_str()),
                o::next_attempt_at.eq(*at_ms),
                o::last_error.eq(error.as_str()),
                o::updated_at.eq(now_ms),
            ))
            .execute(c),
        Outcome::Paused { until_ms, error } => diesel::update(mine)
            .set((
                o::status.eq(OutboxStatus::Pending.as_str()),
                o::next_attempt_at.eq(*until_ms),
                o::attempts.eq(o::attempts - 1),
                o::last_error.eq(error.as_str()),
                o::updated_at.eq(now_ms),
            ))
            .execute(c),
        Outcome::Failed { error } => diesel::update(mine)
            .set((
                o::status.eq(OutboxStatus::Failed.as_str()),
                o::last_error.eq(error.as_str()),
                o::updated_at.eq(now_ms),
            ))
            .execute(c),
    })?;
    Ok(())
}

/// TEMPLATESENDJOBFINISH: WeChat's final word on a template message.
pub fn record_delivery(
    conn: &mut DbConn,
    msgid: &str,
    delivered: bool,
    status_text: &str,
    now_ms: i64,
) -> Result<bool, DbError> {
    let (status, error) = if delivered {
        (OutboxStatus::Delivered.as_str(), None)
    } else {
        (OutboxStatus::Failed.as_str(), Some(status_text))
    };
    let n = on_backend!(conn, |c| diesel::update(
        o::outbox
            .filter(o::wechat_msgid.eq(msgid))
            .filter(o::status.eq(OutboxStatus::Sent.as_str()))
    )
    .set((
        o::status.eq(status),
        o::last_error.eq(error),
        o::updated_at.eq(now_ms),
    ))
    .execute(c))?;
    Ok(n == 1)
}

pub fn for_meeting(conn: &mut DbConn, meeting_id: MeetingId) -> Result<Vec<OutboxRow>, DbError> {
    Ok(on_backend!(conn, |c| o::outbox
        .filter(o::meeting_id.eq(meeting_id))
        .order(o::id)
        .load(c))?)
}

pub fn all(conn: &mut DbConn) -> Result<Vec<OutboxRow>, DbError> {
    Ok(on_backend!(conn, |c| o::outbox.order(o::id).load(c))?)
}

/// The earliest time a pending row becomes due, to sleep until then.
pub fn next_due(conn: &mut DbConn) -> Result<Option<i64>, DbError> {
    let pending: Option<i64> = on_backend!(conn, |c| o::outbox
        .filter(o::status.eq(OutboxStatus::Pending.as_str()))
        .select(diesel::dsl::min(o::next_attempt_at))
        .first(c))?;
    let leased: Option<i64> = on_backend!(conn, |c| o::outbox
        .filter(o::status.eq(OutboxStatus::Sending.as_str()))
        .select(diesel::dsl::min(o::lease_until))
        .first(c))?;
    Ok(match (pending, leased) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    })
}

/// Messages due now and not yet sent, and when the oldest of them fell due.
pub fn backlog(conn: &mut DbConn, now_ms: i64) -> Result<(i64, Option<i64>), DbError> {
    let due = o::status
        .eq(OutboxStatus::Pending.as_str())
        .and(o::next_attempt_at.le(now_ms))
        .or(o::status.eq(OutboxStatus::Sending.as_str()));
    let (count, oldest): (i64, Option<i64>) = on_backend!(conn, |c| o::outbox
        .filter(due)
        .select((
            diesel::dsl::count_star(),
            diesel::dsl::min(o::next_attempt_at)
        ))
        .first(c))?;
    Ok((count, oldest))
}
