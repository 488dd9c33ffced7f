//! Feedback: one rating and comment per person per meeting; a later answer replaces it.

use super::schema::feedback::dsl as fb;
use super::{on_backend, DbConn, DbError};
use crate::meetings::{MeetingId, PersonId};
use diesel::prelude::*;

pub fn upsert(
    conn: &mut DbConn,
    meeting_id: MeetingId,
    person_id: PersonId,
    rating: u8,
    comment: &str,
    now_ms: i64,
) -> Result<(), DbError> {
    let row = (
        fb::meeting_id.eq(meeting_id),
        fb::person_id.eq(person_id),
        fb::rating.eq(i32::from(rating)),
        fb::comment.eq(comment),
        fb::submitted_at.eq(now_ms),
    );
    on_backend!(conn, |c| diesel::insert_into(fb::feedback)
        .values(row)
        .on_conflict((fb::meeting_id, fb::person_id))
        .do_update()
        .set((
            fb::rating.eq(i32::from(rating)),
            fb::comment.eq(comment),
            fb::submitted_at.eq(now_ms),
        ))
        .execute(c))?;
    Ok(())
}

/// (rating, comment) of every answer for a meeting.
pub fn for_meeting(
    conn: &mut DbConn,
    meeting_id: MeetingId,
) -> Result<Vec<(i32, String)>, DbError> {
    Ok(on_backend!(conn, |c| fb::feedback
        .filter(fb::meeting_id.eq(meeting_id))
        .order(fb::submitted_at)
        .select((fb::rating, fb::comment))
        .load(c))?)
}

/// (rating, comment) `person` gave for a meeting, if they did.
pub fn of_person(
    conn: &mut DbConn,
    meeting_id: MeetingId,
    person_id: PersonId,
) -> Result<Option<(i32, String)>, DbError> {
    Ok(on_backend!(conn, |c| fb::feedback
        .filter(fb::meeting_id.eq(meeting_id))
        .filter(fb::person_id.eq(person_id))
        .select((fb::rating, fb::comment))
        .first(c)
        .optional())?)
}
