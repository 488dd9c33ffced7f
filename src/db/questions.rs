//! Questions put to the host during a meeting, and help requests on site.

use super::schema::{help_requests::dsl as h, questions::dsl as q};
use super::{on_backend, DbConn, DbError};
use crate::meetings::stamp::Stamp;
use crate::meetings::{HelpRequestId, MeetingId, PersonId, QuestionId};
use diesel::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct QuestionRow {
    pub id: QuestionId,
    pub meeting_id: MeetingId,
    /// Kept for an anonymous question too (its answer goes back); never shown for one.
    pub asker_id: PersonId,
    pub anonymous: bool,
    pub body: String,
    pub agenda_position: Option<i32>,
    pub asked_at: Stamp,
    pub answered_by: Option<PersonId>,
    pub answered_at: Option<Stamp>,
    pub answer: Option<String>,
}

pub struct NewQuestion<'a> {
    pub meeting_id: MeetingId,
    pub asker_id: PersonId,
    pub anonymous: bool,
    pub body: &'a str,
    pub agenda_position: Option<i32>,
}

pub fn ask(conn: &mut DbConn, n: &NewQuestion<'_>, now_ms: i64) -> Result<QuestionId, DbError> {
    let row = (
        q::meeting_id.eq(n.meeting_id),
        q::asker_id.eq(n.asker_id),
        q::anonymous.eq(n.anonymous),
        q::body.eq(n.body),
        q::agenda_position.eq(n.agenda_position),
        q::asked_at.eq(now_ms),
    );
    Ok(on_backend!(conn, |c| diesel::insert_into(q::questions)
        .values(row)
        .returning(q::id)
        .get_result(c))?)
}

pub fn question(conn: &mut DbConn, id: QuestionId) -> Result<Option<QuestionRow>, DbError> {
    Ok(on_backend!(conn, |c| q::questions
        .find(id)
        .first(c)
        .optional())?)
}

/// A meeting's questions, oldest first.
pub fn questions(conn: &mut DbConn, meeting_id: MeetingId) -> Result<Vec<QuestionRow>, DbError> {
    Ok(on_backend!(conn, |c| q::questions
        .filter(q::meeting_id.eq(meeting_id))
        .order(q::id)
        .load(c))?)
}

/// Marks a question answered unless someone answered it first; whether this call did.
pub fn answer(
    conn: &mut DbConn,
    id: QuestionId,
    by: PersonId,
    text: Option<&str>,
    now_ms: i64,
) -> Result<bool, DbError> {
    let n = on_backend!(conn, |c| diesel::update(
        q::questions
            .filter(q::id.eq(id))
            .filter(q::answered_at.is_null())
    )
    .set((
        q::answered_by.eq(by),
        q::answered_at.eq(now_ms),
        q::answer.eq(text),
    ))
    .execute(c))?;
    Ok(n == 1)
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct HelpRow {
    pub id: HelpRequestId,
    pub meeting_id: MeetingId,
    pub asker_id: PersonId,
    pub body: String,
    pub asked_at: Stamp,
    pub taken_by: Option<PersonId>,
    pub taken_at: Option<Stamp>,
    pub resolved_at: Option<Stamp>,
}

pub fn ask_help(
    conn: &mut DbConn,
    meeting_id: MeetingId,
    asker_id: PersonId,
    body: &str,
    now_ms: i64,
) -> Result<HelpRequestId, DbError> {
    let row = (
        h::meeting_id.eq(meeting_id),
        h::asker_id.eq(asker_id),
        h::body.eq(body),
        h::asked_at.eq(now_ms),
    );
    Ok(on_backend!(conn, |c| diesel::insert_into(
        h::help_requests
    )
    .values(row)
    .returning(h::id)
    .get_result(c))?)
}

pub fn help(conn: &mut DbConn, id: HelpRequestId) -> Result<Option<HelpRow>, DbError> {
    Ok(on_backend!(conn, |c| h::help_requests
        .find(id)
        .first(c)
        .optional())?)
}

/// A meeting's help requests, oldest first.
pub fn helps(conn: &mut DbConn, meeting_id: MeetingId) -> Result<Vec<HelpRow>, DbError> {
    Ok(on_backend!(conn, |c| h::help_requests
        .filter(h::meeting_id.eq(meeting_id))
        .order(h::id)
        .load(c))?)
}

/// Takes a request nobody has taken; whether this call took it (two at the same moment: one).
pub fn take(
    conn: &mut DbConn,
    id: HelpRequestId,
    by: PersonId,
    now_ms: i64,
) -> Result<bool, DbError> {
    let n = on_backend!(conn, |c| diesel::update(
        h::help_requests
            .filter(h::id.eq(id))
            .filter(h::taken_by.is_null())
    )
    .set((h::taken_by.eq(by), h::taken_at.eq(now_ms)))
    .execute(c))?;
    Ok(n == 1)
}

/// Closes a taken request once; whether this call closed it.
pub fn resolve(conn: &mut DbConn, id: HelpRequestId, now_ms: i64) -> Result<bool, DbError> {
    let n = on_backend!(conn, |c| diesel::update(
        h::help_requests
            .filter(h::id.eq(id))
            .filter(h::taken_by.is_not_null())
            .filter(h::resolved_at.is_null())
    )
    .set(h::resolved_at.eq(now_ms))
    .execute(c))?;
    Ok(n == 1)
}
