//! Access tokens shared by every instance, with a lease so one instance fetches at a time.

use super::schema::access_tokens::dsl as t;
use super::{on_backend, DbConn, DbError};
use diesel::prelude::*;

/// The stored token of `app` and when it expires (ms); `None` until first fetched.
pub fn read(conn: &mut DbConn, app: &str) -> Result<Option<(String, i64)>, DbError> {
    let row: Option<(Option<String>, i64)> = on_backend!(conn, |c| t::access_tokens
        .find(app)
        .select((t::token, t::expires_at))
        .first(c)
        .optional())?;
    Ok(row.and_then(|(token, exp)| token.map(|tok| (tok, exp))))
}

/// Takes the fetch lease of `app` unless another owner holds an unexpired one, or the stored
/// token is still good beyond `refresh_ahead_ms` (someone fetched it since we looked).
pub fn try_lease(
    conn: &mut DbConn,
    app: &str,
    owner: &str,
    now_ms: i64,
    lease_ms: i64,
    refresh_ahead_ms: i64,
) -> Result<bool, DbError> {
    on_backend!(conn, |c| diesel::insert_into(t::access_tokens)
        .values(t::app.eq(app))
        .on_conflict_do_nothing()
        .execute(c))?;
    let taken = on_backend!(conn, |c| diesel::update(
        t::access_tokens
            .filter(t::app.eq(app))
            .filter(t::lease_until.le(now_ms).or(t::lease_owner.eq(owner)))
            .filter(
                t::token
                    .is_null()
                    .or(t::expires_at.le(now_ms + refresh_ahead_ms))
            )
    )
    .set((
        t::lease_owner.eq(owner),
        t::lease_until.eq(now_ms + lease_ms),
    ))
    .execute(c))?;
    Ok(taken == 1)
}

/// Stores a fetched token and gives the lease back.
pub fn store(conn: &mut DbConn, app: &str, token: &str, expires_at_ms: i64) -> Result<(), DbError> {
    on_backend!(conn, |c| diesel::update(t::access_tokens.find(app))
        .set((
            t::token.eq(token),
            t::expires_at.eq(expires_at_ms),
            t::lease_owner.eq(None::<String>),
            t::lease_until.eq(0),
        ))
        .execute(c))?;
    Ok(())
}

/// Gives the lease back after a failed fetch.
pub fn release(conn: &mut DbConn, app: &str, owner: &str) -> Result<(), DbError> {
    on_backend!(conn, |c| diesel::update(
        t::access_tokens
            .filter(t::app.eq(app))
            .filter(t::lease_owner.eq(owner))
    )
    .set((t::lease_owner.eq(None::<String>), t::lease_until.eq(0)))
    .execute(c))?;
    Ok(())
}

/// Expires the stored token only if it is still `failing`: after a burst of rejections, the
/// first caller expires it and the rest find a fresh token already there.
pub fn expire_if_current(conn: &mut DbConn, app: &str, failing: &str) -> Result<bool, DbError> {
    let n = on_backend!(conn, |c| diesel::update(
        t::access_tokens
            .filter(t::app.eq(app))
            .filter(t::token.eq(failing))
    )
    .set(t::expires_at.eq(0))
    .execute(c))?;
    Ok(n == 1)
}
