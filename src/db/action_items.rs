//! Action items and their progress logs.

use super::schema::{action_items::dsl as ai, action_progress::dsl as ap};
use super::{on_backend, DbConn, DbError};
use crate::meetings::action_items::TaskStatus;
use crate::meetings::stamp::Stamp;
use crate::meetings::{ActionItemId, EntryId, MeetingId, PersonId};
use chrono::NaiveDate;
use diesel::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionItemRow {
    pub id: ActionItemId,
    pub meeting_id: MeetingId,
    pub decision_id: Option<EntryId>,
    pub title: String,
    pub owner_id: PersonId,
    pub due_on: NaiveDate,
    pub status: TaskStatus,
    pub created_by: PersonId,
    pub created_at: Stamp,
    pub updated_at: Stamp,
}

/// The row as stored. Read once here: a due date or status that does not parse is a corrupt
/// row, never "no due date" or "open".
#[derive(Queryable)]
struct Stored {
    id: ActionItemId,
    meeting_id: MeetingId,
    decision_id: Option<EntryId>,
    title: String,
    owner_id: PersonId,
    due_on: String,
    #[diesel(deserialize_as = String)]
    status: TaskStatus,
    created_by: PersonId,
    created_at: Stamp,
    updated_at: Stamp,
}

impl TryFrom<Stored> for ActionItemRow {
    type Error = DbError;

    fn try_from(s: Stored) -> Result<Self, DbError> {
        let due_on = s.due_on.parse().map_err(|_| {
            DbError::Corrupt(format!("action item {} has due date {:?}", s.id, s.due_on))
        })?;
        Ok(ActionItemRow {
            id: s.id,
            meeting_id: s.meeting_id,
            decision_id: s.decision_id,
            title: s.title,
            owner_id: s.owner_id,
            due_on,
            status: s.status,
            created_by: s.created_by,
            created_at: s.created_at,
            updated_at: s.updated_at,
        })
    }
}

pub struct NewActionItem<'a> {
    pub meeting_id: MeetingId,
    pub decision_id: Option<EntryId>,
    pub title: &'a str,
    pub owner_id: PersonId,
    pub due_on: NaiveDate,
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
    let stored: Option<Stored> =
        on_backend!(conn, |c| ai::action_items.find(id).first(c).optional())?;
    stored.map(ActionItemRow::try_from).transpose()
}

/// What an action item list may be narrowed to.
#[derive(Debug, Clone, Default)]
pub struct ActionItemFilter {
    pub owner_id: Option<PersonId>,
    pub meeting_id: Option<MeetingId>,
    pub statuses: Option<Vec<TaskStatus>>,
    /// Unfinished and due before this date (YYYY-MM-DD compares as text).
    pub due_before: Option<NaiveDate>,
}

/// Items by due date, then id.
pub fn list(conn: &mut DbConn, f: &ActionItemFilter) -> Result<Vec<ActionItemRow>, DbError> {
    let stored: Vec<Stored> = on_backend!(conn, |c| {
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
    })?;
    stored.into_iter().map(ActionItemRow::try_from).collect()
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
) -> Result<Vec<(PersonId, String, Stamp)>, DbError> {
    Ok(on_backend!(conn, |c| ap::action_progress
        .filter(ap::action_item_id.eq(item_id))
        .order(ap::id)
        .select((ap::author_id, ap::body, ap::created_at))
        .load(c))?)
}

/// Fields an admin may change; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct ActionItemChange {
    pub title: Option<String>,
    pub owner_id: Option<PersonId>,
    pub due_on: Option<NaiveDate>,
    pub status: Option<TaskStatus>,
}

/// `ActionItemChange` in the stored forms.
#[derive(AsChangeset)]
#[diesel(table_name = super::schema::action_items)]
struct StoredChange<'a> {
    title: Option<&'a str>,
    owner_id: Option<PersonId>,
    due_on: Option<String>,
    status: Option<&'static str>,
}

pub fn update(
    conn: &mut DbConn,
    id: ActionItemId,
    change: &ActionItemChange,
    now_ms: i64,
) -> Result<Option<ActionItemRow>, DbError> {
    let change = StoredChange {
        title: change.title.as_deref(),
        owner_id: change.owner_id,
        due_on: change.due_on.map(|d| d.to_string()),
        status: change.status.map(TaskStatus::as_str),
    };
    let n = on_backend!(conn, |c| diesel::update(ai::action_items.find(id))
        .set((&change, ai::updated_at.eq(now_ms)))
        .execute(c))?;
    if n == 0 {
        return Ok(None);
    }
    get(conn, id)
}
