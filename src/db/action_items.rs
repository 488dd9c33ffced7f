//! Action items and their progress logs.

use super::schema::{action_items::dsl as ai, action_progress::dsl as ap};
use super::{on_backend, DbConn, DbError};
use crate::meetings::action_items::TaskStatus;
use crate::meetings::{ActionItemId, EntryId, MeetingId, PersonId};
use diesel::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct ActionItemRow {
    pub id: ActionItemId,
    pub meeting_id: MeetingId,
    pub decision_id: Option<EntryId>,
    pub title: String,
    pub owner_id: PersonId,
    pub due_on: String,
    /// Read once here: a stored name huiwu does not know is a corrupt row, never "open".
    #[diesel(deserialize_as = String)]
    pub status: TaskStatus,
    pub created_by: PersonId,
    pub created_at: i64,
    pub updated_at: i64,
}

impl ActionItemRow {
    pub fn due(&self) -> Option<chrono::NaiveDate> {
        self.due_on.parse().ok()
    }
}

pub struct NewActionItem<'a> {
    pub meeting_id: MeetingId,
    pub decision_id: Option<EntryId>,
    pub title: &'a str,
    pub owner_id: PersonId,
    pub due_on: chrono::NaiveDate,
    pub created_by: PersonId,
}

pub fn insert(
    conn: &mut DbConn,
    item: &NewActionItem<'_>,
    now_ms: i64,
) -> Result<ActionItemId, DbError> {
    let row = (
        ai::meeting_id.eq(item.meeting_id),
        ai::decision_id.eq(item.decision_id.map(EntryId::get)),
        ai::title.eq(item.title),
        ai::owner_id.eq(item.owner_id),
        ai::due_on.eq(item.due_on.to_string()),
        ai::status.eq(TaskStatus::Open.as_str()),
        ai::created_by.eq(item.created_by),
        ai::created_at.eq(now_ms),
        ai::updated_at.eq(now_ms),
    );
    Ok(on_backend!(conn, |c| diesel::insert_into(
        ai::action_items
    )
    .values(row)
    .returning(ai::id)
    .get_result(c))?)
}

pub fn get(conn: &mut DbConn, id: ActionItemId) -> Result<Option<ActionItemRow>, DbError> {
    Ok(on_backend!(conn, |c| ai::action_items
        .find(id)
        .first(c)
        .optional())?)
}

/// What an action item list may be narrowed to.
#[derive(Debug, Clone, Default)]
pub struct ActionItemFilter {
    pub owner_id: Option<PersonId>,
    pub meeting_id: Option<MeetingId>,
    pub statuses: Option<Vec<TaskStatus>>,
    /// Unfinished and due before this date (YYYY-MM-DD compares as text).
    pub due_before: Option<chrono::NaiveDate>,
}

/// Items by due date, then id.
pub fn list(conn: &mut DbConn, f: &ActionItemFilter) -> Result<Vec<ActionItemRow>, DbError> {
    Ok(on_backend!(conn, |c| {
        let mut q = ai::action_items.order((ai::due_on, ai::id)).into_boxed();
        if let Some(owner) = f.owner_id {
            q = q.filter(ai::owner_id.eq(owner));
        }
        if let Some(meeting) = f.meeting_id {
            q = q.filter(ai::meeting_id.eq(meeting));
        }
        if let Some(statuses) = &f.statuses {
            q = q.filter(ai::status.eq_any(statuses.iter().map(|s| s.as_str())));
        }
        if let Some(before) = f.due_before {
            q = q.filter(ai::due_on.lt(before.to_string())).filter(
                ai::status.eq_any([TaskStatus::Open.as_str(), TaskStatus::InProgress.as_str()]),
            );
        }
        q.load(c)
    })?)
}

/// Moves an item from `from` to `to` unless it changed meanwhile; returns whether it moved.
pub fn set_status(
    conn: &mut DbConn,
    id: ActionItemId,
    from: TaskStatus,
    to: TaskStatus,
    now_ms: i64,
) -> Result<bool, DbError> {
    let updated = on_backend!(conn, |c| diesel::update(
        ai::action_items
            .filter(ai::id.eq(id))
            .filter(ai::status.eq(from.as_str()))
    )
    .set((ai::status.eq(to.as_str()), ai::updated_at.eq(now_ms)))
    .execute(c))?;
    Ok(updated == 1)
}

pub fn add_progress(
    conn: &mut DbConn,
    item_id: ActionItemId,
    author_id: PersonId,
    body: &str,
    now_ms: i64,
) -> Result<(), DbError> {
    on_backend!(conn, |c| diesel::insert_into(ap::action_progress)
        .values((
            ap::action_item_id.eq(item_id),
            ap::author_id.eq(author_id),
            ap::body.eq(body),
            ap::created_at.eq(now_ms),
        ))
        .execute(c))?;
    Ok(())
}

/// (author id, text, at) in order.
pub fn progress(
    conn: &mut DbConn,
    item_id: ActionItemId,
) -> Result<Vec<(PersonId, String, i64)>, DbError> {
    Ok(on_backend!(conn, |c| ap::action_progress
        .filter(ap::action_item_id.eq(item_id))
        .order(ap::id)
        .select((ap::author_id, ap::body, ap::created_at))
        .load(c))?)
}

/// Fields an admin may change; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = super::schema::action_items)]
pub struct ActionItemChange {
    pub title: Option<String>,
    pub owner_id: Option<i64>,
    pub due_on: Option<String>,
    pub status: Option<String>,
}

pub fn update(
    conn: &mut DbConn,
    id: ActionItemId,
    change: &ActionItemChange,
    now_ms: i64,
) -> Result<Option<ActionItemRow>, DbError> {
    let n = on_backend!(conn, |c| diesel::update(ai::action_items.find(id))
        .set((change, ai::updated_at.eq(now_ms)))
        .execute(c))?;
    if n == 0 {
        return Ok(None);
    }
    get(conn, id)
}
