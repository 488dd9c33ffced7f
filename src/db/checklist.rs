//! Preparation checklist items.

use super::schema::checklist_items::dsl as k;
use super::{on_backend, DbConn, DbError};
use crate::meetings::checklist::ItemOrigin;
use crate::meetings::stamp::Stamp;
use crate::meetings::{ChecklistItemId, MeetingId, PersonId};
use diesel::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct ChecklistRow {
    pub id: ChecklistItemId,
    pub meeting_id: MeetingId,
    pub title: String,
    pub owner_id: PersonId,
    pub due_at: Stamp,
    #[diesel(deserialize_as = Option<String>)]
    pub kind: ItemOrigin,
    pub done_at: Option<Stamp>,
    pub done_by: Option<PersonId>,
    pub created_at: Stamp,
}

pub struct NewItem<'a> {
    pub meeting_id: MeetingId,
    pub title: &'a str,
    pub owner_id: PersonId,
    pub due_at: i64,
    pub kind: ItemOrigin,
}

pub fn insert(conn: &mut DbConn, n: &NewItem<'_>, now_ms: i64) -> Result<ChecklistItemId, DbError> {
    let row = (
        k::meeting_id.eq(n.meeting_id),
        k::title.eq(n.title),
        k::owner_id.eq(n.owner_id),
        k::due_at.eq(n.due_at),
        k::kind.eq(n.kind.stored()),
        k::created_at.eq(now_ms),
    );
    Ok(on_backend!(conn, |c| diesel::insert_into(
        k::checklist_items
    )
    .values(row)
    .returning(k::id)
    .get_result(c))?)
}

pub fn get(conn: &mut DbConn, id: ChecklistItemId) -> Result<Option<ChecklistRow>, DbError> {
    Ok(on_backend!(conn, |c| k::checklist_items
        .find(id)
        .first(c)
        .optional())?)
}

/// A meeting's items by due time.
pub fn for_meeting(conn: &mut DbConn, meeting_id: MeetingId) -> Result<Vec<ChecklistRow>, DbError> {
    Ok(on_backend!(conn, |c| k::checklist_items
        .filter(k::meeting_id.eq(meeting_id))
        .order((k::due_at, k::id))
        .load(c))?)
}

/// A person's items not done yet, by due time.
pub fn open_for(conn: &mut DbConn, owner_id: PersonId) -> Result<Vec<ChecklistRow>, DbError> {
    Ok(on_backend!(conn, |c| k::checklist_items
        .filter(k::owner_id.eq(owner_id))
        .filter(k::done_at.is_null())
        .order((k::due_at, k::id))
        .load(c))?)
}

/// Marks an item done unless it is already; whether this call did.
pub fn tick(
    conn: &mut DbConn,
    id: ChecklistItemId,
    by: PersonId,
    now_ms: i64,
) -> Result<bool, DbError> {
    let n = on_backend!(conn, |c| diesel::update(
        k::checklist_items
            .filter(k::id.eq(id))
            .filter(k::done_at.is_null())
    )
    .set((k::done_at.eq(now_ms), k::done_by.eq(by)))
    .execute(c))?;
    Ok(n == 1)
}

/// Hands `from`'s open items of a meeting over to `to` (a delegation); how many there were.
pub fn hand_over(
    conn: &mut DbConn,
    meeting_id: MeetingId,
    from: PersonId,
    to: PersonId,
) -> Result<usize, DbError> {
    Ok(on_backend!(conn, |c| diesel::update(
        k::checklist_items
            .filter(k::meeting_id.eq(meeting_id))
            .filter(k::owner_id.eq(from))
            .filter(k::done_at.is_null())
    )
    .set(k::owner_id.eq(to))
    .execute(c))?)
}

/// Changes an item's title, owner or due time (`None` leaves each as it is).
pub fn update(
    conn: &mut DbConn,
    id: ChecklistItemId,
    title: Option<&str>,
    owner_id: Option<PersonId>,
    due_at: Option<i64>,
) -> Result<(), DbError> {
    let owner_id = owner_id.map(PersonId::get);
    if let Some(title) = title {
        on_backend!(conn, |c| diesel::update(k::checklist_items.find(id))
            .set(k::title.eq(title))
            .execute(c))?;
    }
    if let Some(owner) = owner_id {
        on_backend!(conn, |c| diesel::update(k::checklist_items.find(id))
            .set(k::owner_id.eq(owner))
            .execute(c))?;
    }
    if let Some(due) = due_at {
        on_backend!(conn, |c| diesel::update(k::checklist_items.find(id))
            .set(k::due_at.eq(due))
            .execute(c))?;
    }
    Ok(())
}

pub fn delete(conn: &mut DbConn, id: ChecklistItemId) -> Result<bool, DbError> {
    let n = on_backend!(conn, |c| diesel::delete(k::checklist_items.find(id))
        .execute(c))?;
    Ok(n == 1)
}
