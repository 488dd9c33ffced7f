//! Topics proposed for a meeting's agenda.

use super::schema::topics::dsl as t;
use super::{on_backend, DbConn, DbError};
use crate::meetings::stamp::Stamp;
use crate::meetings::topics::TopicStatus;
use crate::meetings::{MeetingId, PersonId, TopicId};
use diesel::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct TopicRow {
    pub id: TopicId,
    pub meeting_id: MeetingId,
    pub proposer_id: PersonId,
    pub body: String,
    #[diesel(deserialize_as = String)]
    pub status: TopicStatus,
    /// The time box it was accepted with.
    pub minutes: Option<i32>,
    /// Why it was declined.
    pub reason: Option<String>,
    pub decided_by: Option<PersonId>,
    pub proposed_at: Stamp,
    pub decided_at: Option<Stamp>,
}

pub fn propose(
    conn: &mut DbConn,
    meeting_id: MeetingId,
    proposer_id: PersonId,
    body: &str,
    now_ms: i64,
) -> Result<TopicId, DbError> {
    let row = (
        t::meeting_id.eq(meeting_id),
        t::proposer_id.eq(proposer_id),
        t::body.eq(body),
        t::status.eq(TopicStatus::Proposed.as_str()),
        t::proposed_at.eq(now_ms),
    );
    Ok(on_backend!(conn, |c| diesel::insert_into(t::topics)
        .values(row)
        .returning(t::id)
        .get_result(c))?)
}

pub fn get(conn: &mut DbConn, id: TopicId) -> Result<Option<TopicRow>, DbError> {
    Ok(on_backend!(conn, |c| t::topics
        .find(id)
        .first(c)
        .optional())?)
}

/// A meeting's topics, oldest first.
pub fn for_meeting(conn: &mut DbConn, meeting_id: MeetingId) -> Result<Vec<TopicRow>, DbError> {
    Ok(on_backend!(conn, |c| t::topics
        .filter(t::meeting_id.eq(meeting_id))
        .order(t::id)
        .load(c))?)
}

/// Accepts or declines a topic still proposed; whether this call did (someone else may have
/// decided it first).
pub fn decide(
    conn: &mut DbConn,
    id: TopicId,
    status: TopicStatus,
    minutes: Option<i32>,
    reason: Option<&str>,
    by: Option<PersonId>,
    now_ms: i64,
) -> Result<bool, DbError> {
    let by = by.map(PersonId::get);
    let n = on_backend!(conn, |c| diesel::update(
        t::topics
            .filter(t::id.eq(id))
            .filter(t::status.eq(TopicStatus::Proposed.as_str()))
    )
    .set((
        t::status.eq(status.as_str()),
        t::minutes.eq(minutes),
        t::reason.eq(reason),
        t::decided_by.eq(by),
        t::decided_at.eq(now_ms),
    ))
    .execute(c))?;
    Ok(n == 1)
}
