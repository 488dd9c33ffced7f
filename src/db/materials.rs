//! A meeting's materials (title and link).

use super::schema::materials::dsl as mt;
use super::{on_backend, DbConn, DbError};
use diesel::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct MaterialRow {
    pub id: i64,
    pub meeting_id: i64,
    pub title: String,
    pub url: String,
    pub created_at: i64,
}

pub fn add(
    conn: &mut DbConn,
    meeting_id: i64,
    title: &str,
    url: &str,
    now_ms: i64,
) -> Result<i64, DbError> {
    Ok(on_backend!(conn, |c| diesel::insert_into(mt::materials)
        .values((
            mt::meeting_id.eq(meeting_id),
            mt::title.eq(title),
            mt::url.eq(url),
            mt::created_at.eq(now_ms),
        ))
        .returning(mt::id)
        .get_result(c))?)
}

pub fn list(conn: &mut DbConn, meeting_id: i64) -> Result<Vec<MaterialRow>, DbError> {
    Ok(on_backend!(conn, |c| mt::materials
        .filter(mt::meeting_id.eq(meeting_id))
        .order(mt::id)
        .load(c))?)
}

pub fn remove(conn: &mut DbConn, meeting_id: i64, id: i64) -> Result<bool, DbError> {
    let n = on_backend!(conn, |c| diesel::delete(
        mt::materials
            .filter(mt::id.eq(id))
            .filter(mt::meeting_id.eq(meeting_id))
    )
    .execute(c))?;
    Ok(n == 1)
}
