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

/// Every pause still running at `now_ms`: (api, until).
pub fn active(conn: &mut DbConn, now_ms: i64) -> Result<Vec<(String, i64)>, DbError> {
    Ok(on_backend!(conn, |c| p::api_pauses
        .filter(p::until.gt(now_ms))
        .select((p::api, p::until))
        .load(c))?)
}
