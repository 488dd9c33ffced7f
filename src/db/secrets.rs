//! Secrets the server makes for itself, stored so every instance (and every restart) uses
//! the same one.

use super::schema::app_secrets::dsl as s;
use super::{on_backend, DbConn, DbError};
use diesel::prelude::*;

/// The secret called `name`, created from `fresh` if there is none yet. Concurrent first
/// calls agree: the insert that loses is ignored and everyone reads the winner.
pub fn get_or_create(conn: &mut DbConn, name: &str, fresh: &str) -> Result<String, DbError> {
    on_backend!(conn, |c| diesel::insert_into(s::app_secrets)
        .values((s::name.eq(name), s::value.eq(fresh)))
        .on_conflict_do_nothing()
        .execute(c))?;
    Ok(on_backend!(conn, |c| s::app_secrets
        .find(name)
        .select(s::value)
        .first(c))?)
}
