//! Minute entries (notes and decisions) and who has read the published minutes.

use super::schema::{minutes_entries::dsl as me, minutes_reads::dsl as mrd};
use super::{on_backend, DbConn, DbError};
use crate::meetings::minutes::EntryKind;
use crate::meetings::stamp::Stamp;
use crate::meetings::{EntryId, MeetingId, PersonId};
use diesel::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct EntryRow {
    pub id: EntryId,
    pub meeting_id: MeetingId,
    pub agenda_position: Option<i32>,
    #[diesel(deserialize_as = String)]
    pub kind: EntryKind,
    pub body: String,
    pub author_id: PersonId,
    pub created_at: Stamp,
    pub updated_at: Stamp,
}

pub fn append(
    conn: &mut DbConn,
    meeting_id: MeetingId,
    agenda_position: Option<i32>,
    kind: EntryKind,
    body: &str,
    author_id: PersonId,
    now_ms: i64,
) -> Result<EntryId, DbError> {
    let row = (
        me::meeting_id.eq(meeting_id),
        me::agenda_position.eq(agenda_position),
        me::kind.eq(kind.as_str()),
        me::body.eq(body),
        me::author_id.eq(author_id),
        me::created_at.eq(now_ms),
        me::updated_at.eq(now_ms),
    );
    Ok(on_backend!(conn, |c| diesel::insert_into(
        me::minutes_entries
    )
    .values(row)
    .returning(me::id)
    .get_result(c))?)
}

pub fn list(conn: &mut DbConn, meeting_id: MeetingId) -> Result<Vec<EntryRow>, DbError> {
    Ok(on_backend!(conn, |c| me::minutes_entries
        .filter(me::meeting_id.eq(meeting_id))
        .order(me::id)
        .load(c))?)
}

/// The latest decision of a meeting (id and text), which a new action item comes from.
pub fn latest_decision(
    conn: &mut DbConn,
    meeting_id: MeetingId,
) -> Result<Option<(EntryId, String)>, DbError> {
    Ok(on_backend!(conn, |c| me::minutes_entries
        .filter(me::meeting_id.eq(meeting_id))
        .filter(me::kind.eq(EntryKind::Decision.as_str()))
        .order(me::id.desc())
        .select((me::id, me::body))
        .first(c)
        .optional())?)
}

/// Records the first read of the published minutes by a person; later reads keep that time.
pub fn mark_read(
    conn: &mut DbConn,
    meeting_id: MeetingId,
    person_id: PersonId,
    now_ms: i64,
) -> Result<(), DbError> {
    on_backend!(conn, |c| diesel::insert_into(mrd::minutes_reads)
        .values((
            mrd::meeting_id.eq(meeting_id),
            mrd::person_id.eq(person_id),
            mrd::read_at.eq(now_ms),
        ))
        .on_conflict_do_nothing()
        .execute(c))?;
    Ok(())
}

/// (person id, read at) for every reader of a meeting's minutes.
pub fn readers(
    conn: &mut DbConn,
    meeting_id: MeetingId,
) -> Result<Vec<(PersonId, Stamp)>, DbError> {
    Ok(on_backend!(conn, |c| mrd::minutes_reads
        .filter(mrd::meeting_id.eq(meeting_id))
        .select((mrd::person_id, mrd::read_at))
        .order(mrd::read_at)
        .load(c))?)
}

/// Replaces an entry's text and kind; false when the meeting has no such entry.
pub fn edit(
    conn: &mut DbConn,
    meeting_id: MeetingId,
    entry_id: EntryId,
    kind: EntryKind,
    body: &str,
    now_ms: i64,
) -> Result<bool, DbError> {
    let n = on_backend!(conn, |c| diesel::update(
        me::minutes_entries
            .filter(me::id.eq(entry_id))
            .filter(me::meeting_id.eq(meeting_id))
    )
    .set((
        me::kind.eq(kind.as_str()),
        me::body.eq(body),
        me::updated_at.eq(now_ms),
    ))
    .execute(c))?;
    Ok(n == 1)
}

pub fn get(conn: &mut DbConn, id: EntryId) -> Result<Option<EntryRow>, DbError> {
    Ok(on_backend!(conn, |c| me::minutes_entries
        .find(id)
        .first(c)
        .optional())?)
}
