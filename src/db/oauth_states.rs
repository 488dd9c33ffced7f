//! States of web authorisations in progress (see `web::pages::identity`).

use super::schema::oauth_states::dsl as o;
use super::{on_backend, DbConn, DbError};
use diesel::prelude::*;

pub fn insert(
    conn: &mut DbConn,
    state: &str,
    next_path: &str,
    expires_at: i64,
) -> Result<(), DbError> {
    on_backend!(conn, |c| diesel::insert_into(o::oauth_states)
        .values((
            o::state.eq(state),
            o::next_path.eq(next_path),
            o::expires_at.eq(expires_at),
        ))
        .execute(c))?;
    Ok(())
}

/// Takes the state: its path if it was issued, is unexpired and was not taken before. The
/// delete is the claim, so of two concurrent returns with one state only one wins.
pub fn take(conn: &mut DbConn, state: &str, now_ms: i64) -> Result<Option<String>, DbError> {
    let found: Option<(String, i64)> = on_backend!(conn, |c| o::oauth_states
        .find(state)
        .select((o::next_path, o::expires_at))
        .first(c)
        .optional())?;
    let Some((next, expires_at)) = found else {
        return Ok(None);
    };
    let taken = on_backend!(conn, |c| diesel::delete(o::oauth_states.find(state))
        .execute(c))?;
    Ok((taken == 1 && expires_at > now_ms).then_some(next))
}

/// Forgets states that expired before `before`.
pub fn prune(conn: &mut DbConn, before: i64) -> Result<usize, DbError> {
    Ok(on_backend!(conn, |c| diesel::delete(
        o::oauth_states.filter(o::expires_at.lt(before))
    )
    .execute(c))?)
}
