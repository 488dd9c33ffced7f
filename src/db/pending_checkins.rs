//! Check-in codes scanned before the follower was bound to a person.

use super::schema::pending_checkins::dsl as pc;
use super::{on_backend, DbConn, DbError};
use diesel::prelude::*;

/// Remembers the latest code scanned by an unbound follower.
pub fn put(conn: &mut DbConn, openid: &str, code: &str, now_ms: i64) -> Result<(), DbError> {
    on_backend!(conn, |c| diesel::insert_into(pc::pending_checkins)
        .values((
            pc::openid.eq(openid),
            pc::code.eq(code),
            pc::scanned_at.eq(now_ms),
        ))
        .on_conflict(pc::openid)
        .do_update()
        .set((pc::code.eq(code), pc::scanned_at.eq(now_ms)))
        .execute(c))?;
    Ok(())
}

/// Removes and returns the follower's pending code, if any.
pub fn take(conn: &mut DbConn, openid: &str) -> Result<Option<String>, DbError> {
    let code = on_backend!(conn, |c| pc::pending_checkins
        .find(openid)
        .select(pc::code)
        .first::<String>(c)
        .optional())?;
    if code.is_some() {
        on_backend!(conn, |c| diesel::delete(pc::pending_checkins.find(openid))
            .execute(c))?;
    }
    Ok(code)
}
