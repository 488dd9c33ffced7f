//! Replies that were ready only after the callback had been answered (WeChat waits 5 s).
//! They wait here, durable, for the outbound client to send as customer-service or app
//! messages.

use super::claimed::{self, Claimed};
use super::schema::deferred_replies::dsl as d;
use super::DeferredReplyId;
use super::{on_backend, DbConn, DbError};
use crate::meetings::stamp::Stamp;
use diesel::prelude::*;

crate::meetings::stored::named_enum! {
    /// The account the callback came through, and the reply goes back through.
    pub enum ReplyChannel ("reply channel") {
        OfficialAccount = "oa",
        Wecom = "wecom",
    }
}

crate::meetings::stored::named_enum! {
    /// Waiting for the outbox, handed to it, or set aside because it cannot be read.
    pub enum DeferredStatus ("late reply status") {
        Pending = "pending",
        Queued = "queued",
        Failed = "failed",
    }
}

pub struct NewDeferredReply<'a> {
    pub channel: ReplyChannel,
    pub dedupe_key: &'a str,
    pub to_user: &'a str,
    pub agent_id: Option<&'a str>,
    /// The reply as JSON (`wechat::Reply`).
    pub reply_json: &'a str,
    pub now_ms: i64,
}

/// Queues a reply once per delivery: a replayed callback never queues a second copy.
pub fn enqueue(conn: &mut DbConn, new: &NewDeferredReply<'_>) -> Result<(), DbError> {
    on_backend!(conn, |c| diesel::insert_into(d::deferred_replies)
        .values((
            d::channel.eq(new.channel.as_str()),
            d::dedupe_key.eq(new.dedupe_key),
            d::to_user.eq(new.to_user),
            d::agent_id.eq(new.agent_id),
            d::reply.eq(new.reply_json),
            d::status.eq(DeferredStatus::Pending.as_str()),
            d::created_at.eq(new.now_ms),
        ))
        .on_conflict_do_nothing()
        .execute(c))?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct DeferredReply {
    pub id: DeferredReplyId,
    #[diesel(deserialize_as = String)]
    pub channel: ReplyChannel,
    pub dedupe_key: String,
    pub to_user: String,
    pub agent_id: Option<String>,
    /// The reply as JSON, read by the outbox that sends it.
    pub reply: String,
    #[diesel(deserialize_as = String)]
    pub status: DeferredStatus,
    pub created_at: Stamp,
    /// Why it was set aside.
    pub last_error: Option<String>,
}

/// The oldest late replies waiting for the outbox; one that cannot be read is set aside as
/// failed rather than stopping the ones behind it. Most rounds find none: one query.
pub fn pending(
    conn: &mut DbConn,
    limit: i64,
) -> Result<Claimed<DeferredReply, DeferredReplyId>, DbError> {
    let ids: Vec<DeferredReplyId> = on_backend!(conn, |c| d::deferred_replies
        .filter(d::status.eq(DeferredStatus::Pending.as_str()))
        .order(d::id.asc())
        .limit(limit)
        .select(d::id)
        .load(c))?;
    if ids.is_empty() {
        return Ok(Claimed::default());
    }
    claimed::read(
        conn,
        &ids,
        |conn, ids| {
            Ok(on_backend!(conn, |c| d::deferred_replies
                .filter(d::id.eq_any(ids))
                .order(d::id.asc())
                .load(c))?)
        },
        set_aside,
    )
}

/// Marks a late reply as handed to the outbox (done in the same transaction as the enqueue).
pub fn mark_queued(conn: &mut DbConn, id: DeferredReplyId) -> Result<(), DbError> {
    on_backend!(conn, |c| diesel::update(d::deferred_replies.find(id))
        .set(d::status.eq(DeferredStatus::Queued.as_str()))
        .execute(c))?;
    Ok(())
}

/// Deletes late replies handed to the outbox before `before_ms`: the outbox row is the message
/// now, and the callback receipts that could replay them are gone by then. Those set aside
/// stay, for whoever repairs them.
pub fn prune(conn: &mut DbConn, before_ms: i64) -> Result<usize, DbError> {
    Ok(on_backend!(conn, |c| diesel::delete(
        d::deferred_replies
            .filter(d::status.eq(DeferredStatus::Queued.as_str()))
            .filter(d::created_at.lt(before_ms))
    )
    .execute(c))?)
}

/// A late reply that cannot be sent as stored: kept with why, never tried again.
pub fn set_aside(conn: &mut DbConn, id: DeferredReplyId, why: &str) -> Result<(), DbError> {
    on_backend!(conn, |c| diesel::update(d::deferred_replies.find(id))
        .set((
            d::status.eq(DeferredStatus::Failed.as_str()),
            d::last_error.eq(why),
        ))
        .execute(c))?;
    Ok(())
}
