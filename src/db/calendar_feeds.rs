//! The generation of each person's secret calendar feed URL (see `meetings::calendar_feed`).

use super::schema::calendar_feeds::dsl as f;
use super::{on_backend, DbConn, DbError};
use crate::meetings::PersonId;
use diesel::prelude::*;

/// The generation the person's feed URL is signed with now (0 until first revoked).
pub fn generation(conn: &mut DbConn, person_id: PersonId) -> Result<i32, DbError> {
    let found: Option<i32> = on_backend!(conn, |c| f::calendar_feeds
        .find(person_id)
        .select(f::generation)
        .first(c)
        .optional())?;
    Ok(found.unwrap_or(0))
}

/// Moves the person's feed to the next generation, so the URL handed out so far stops
/// working; returns the new generation.
pub fn revoke(conn: &mut DbConn, person_id: PersonId, now_ms: i64) -> Result<i32, DbError> {
    let next = generation(conn, person_id)? + 1;
    on_backend!(conn, |c| diesel::insert_into(f::calendar_feeds)
        .values((
            f::person_id.eq(person_id),
            f::generation.eq(next),
            f::updated_at.eq(now_ms),
        ))
        .on_conflict(f::person_id)
        .do_update()
        .set((f::generation.eq(next), f::updated_at.eq(now_ms)))
        .execute(c))?;
    Ok(next)
}
