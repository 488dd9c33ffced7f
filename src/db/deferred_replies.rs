//! Replies that were ready only after the callback had been answered (WeChat waits 5 s).
//! They wait here, durable, for the outbound client to send as customer-service or app
//! messages.

use super::schema::deferred_replies::dsl as d;
use super::DeferredReplyId;
use super::{on_backend, DbConn, DbError};
use crate::meetings::stamp::Stamp;
use diesel::prelude::*;

pub struct NewDeferredReply<'a> {
    pub channel: &'a str,
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
            d::channel.eq(new.channel),
            d::dedupe_key.eq(new.dedupe_key),
            d::to_user.eq(new.to_user),
            d::agent_id.eq(new.agent_id),
            d::reply.eq(new.reply_json),
            d::status.eq("pending"),
            d::created_at.eq(new.now_ms),
        ))
        .on_conflict_do_nothing()
        .execute(c))?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct DeferredReply {
    pub id: DeferredReplyId,
    pub channel: String,
    pub dedupe_key: String,
    pub to_user: String,
    pub agent_id: Option<String>,
    pub reply: String,
    pub status: String,
    pub created_at: Stamp,
}

pub fn pending(conn: &mut DbConn, limit: i64) -> Result<Vec<DeferredReply>, DbError> {
    Ok(d::deferred_replies
        .filter(d::status.eq("pending"))
        .order(d::id.asc())
        .limit(limit)
        .load(conn)?)
}

/// Marks a late reply as handed to the outbox (done in the same transaction as the enqueue).
pub fn mark_queued(conn: &mut DbConn, id: DeferredReplyId) -> Result<(), DbError> {
    on_backend!(conn, |c| diesel::update(d::deferred_replies.find(id))
        .set(d::status.eq("queued"))
        .execute(c))?;
    Ok(())
}
