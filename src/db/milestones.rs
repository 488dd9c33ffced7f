//! Milestones of action items.

use super::schema::milestones::dsl as ms;
use super::{on_backend, DbConn, DbError};
use crate::meetings::stamp::Stamp;
use crate::meetings::{ActionItemId, MilestoneId};
use chrono::NaiveDate;
use diesel::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MilestoneRow {
    pub id: MilestoneId,
    pub action_item_id: ActionItemId,
    pub title: String,
    pub due: NaiveDate,
    pub done_at: Option<Stamp>,
}

type Stored = (
    MilestoneId,
    ActionItemId,
    String,
    String,
    Option<Stamp>,
    i64,
);

fn row((id, action_item_id, title, due_on, done_at, _): Stored) -> Result<MilestoneRow, DbError> {
    let due = due_on
        .parse()
        .map_err(|_| DbError::Corrupt(format!("milestone {id} has the date {due_on:?}")))?;
    Ok(MilestoneRow {
        id,
        action_item_id,
        title,
        due,
        done_at,
    })
}

pub fn insert(
    conn: &mut DbConn,
    item: ActionItemId,
    title: &str,
    due: NaiveDate,
    now_ms: i64,
) -> Result<MilestoneId, DbError> {
    Ok(on_backend!(conn, |c| diesel::insert_into(ms::milestones)
        .values((
            ms::action_item_id.eq(item),
            ms::title.eq(title),
            ms::due_on.eq(due.to_string()),
            ms::created_at.eq(now_ms),
        ))
        .returning(ms::id)
        .get_result(c))?)
}

pub fn get(conn: &mut DbConn, id: MilestoneId) -> Result<Option<MilestoneRow>, DbError> {
    let r: Option<Stored> = on_backend!(conn, |c| ms::milestones.find(id).first(c).optional())?;
    r.map(row).transpose()
}

/// The milestones of `items`, by date.
pub fn for_items(conn: &mut DbConn, items: &[ActionItemId]) -> Result<Vec<MilestoneRow>, DbError> {
    let items: Vec<i64> = items.iter().map(|i| i.get()).collect();
    let rows: Vec<Stored> = on_backend!(conn, |c| ms::milestones
        .filter(ms::action_item_id.eq_any(&items))
        .order((ms::due_on, ms::id))
        .load(c))?;
    rows.into_iter().map(row).collect()
}

/// Marks it done unless it is; whether this call did.
pub fn tick(conn: &mut DbConn, id: MilestoneId, now_ms: i64) -> Result<bool, DbError> {
    let n = on_backend!(conn, |c| diesel::update(
        ms::milestones
            .filter(ms::id.eq(id))
            .filter(ms::done_at.is_null())
    )
    .set(ms::done_at.eq(now_ms))
    .execute(c))?;
    Ok(n == 1)
}
