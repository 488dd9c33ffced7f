//! One-time console sign-in links, kept as SHA-256 hashes of their tokens.

use super::schema::console_links::dsl as l;
use super::{on_backend, DbConn, DbError};
use crate::meetings::PersonId;
use diesel::prelude::*;
use sha2::{Digest, Sha256};

fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub fn insert(
    conn: &mut DbConn,
    token: &str,
    person_id: PersonId,
    expires_at: i64,
) -> Result<(), DbError> {
    on_backend!(conn, |c| diesel::insert_into(l::console_links)
        .values((
            l::token_hash.eq(hash(token)),
            l::person_id.eq(person_id),
            l::expires_at.eq(expires_at),
        ))
        .execute(c))?;
    Ok(())
}

/// The person the link signs in and until when, if it exists.
fn find(conn: &mut DbConn, key: &str) -> Result<Option<(PersonId, i64)>, DbError> {
    Ok(on_backend!(conn, |c| l::console_links
        .find(key)
        .select((l::person_id, l::expires_at))
        .first(c)
        .optional())?)
}

/// Takes the link: the person it signs in, if it exists, is unexpired and was not taken
/// before (the delete is the claim, so only one of two concurrent openings wins).
pub fn take(conn: &mut DbConn, token: &str, now_ms: i64) -> Result<Option<PersonId>, DbError> {
    let key = hash(token);
    let Some((person, expires_at)) = find(conn, &key)? else {
        return Ok(None);
    };
    let taken = on_backend!(conn, |c| diesel::delete(l::console_links.find(&key))
        .execute(c))?;
    Ok((taken == 1 && expires_at > now_ms).then_some(person))
}

/// The person the link would sign in, if it exists and is unexpired; nothing is spent.
pub fn peek(conn: &mut DbConn, token: &str, now_ms: i64) -> Result<Option<PersonId>, DbError> {
    Ok(find(conn, &hash(token))?
        .and_then(|(person, expires_at)| (expires_at > now_ms).then_some(person)))
}

/// Forgets links that expired before `before`.
pub fn prune(conn: &mut DbConn, before: i64) -> Result<usize, DbError> {
    Ok(on_backend!(conn, |c| diesel::delete(
        l::console_links.filter(l::expires_at.lt(before))
    )
    .execute(c))?)
}
