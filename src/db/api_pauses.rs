//! APIs paused by a quota error, shared by every instance.

use super::schema::api_pauses::dsl as p;
use super::{on_backend, DbConn, DbError};
use diesel::prelude::*;

pub fn pause(conn: &mut DbConn, api: &str, until_ms: i64, reason: &str) -> Result<(), DbError> {
    on_backend!(conn, |c| diesel::insert_into(p::api_pauses)
        .values((p::api.eq(api), p::until.eq(until_ms), p::reason.eq(reason)))
        .on_conflict(p::api)
        .do_update()
        .set((p::until.eq(until_ms), p::reason.eq(reason)))
        .execute(c))?;
    Ok(())
}

/// Until when `api` is paused, if it is paused at `now_ms`.
pub fn paused_until(conn: &mut DbConn, api: &str, now_ms: i64) -> Result<Option<i64>, DbError> {
    Ok(on_backend!(conn, |c| p::api_pauses
        .find(api)
        .filter(p::until.gt(now_ms))
        .select(p::until)
        .first(c)
        .optional())?)
}
