//! Sign-in sessions of the pages and the console, kept as SHA-256 hashes of their cookie
//! tokens, so that one can be ended before its cookie expires.

use super::schema::sessions::dsl as s;
use super::{on_backend, DbConn, DbError};
use crate::meetings::PersonId;
use diesel::prelude::*;
use sha2::{Digest, Sha256};

/// A session's secret: 256 random bits, the cookie's value in URL-safe base64.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct SessionToken([u8; 32]);

impl SessionToken {
    pub fn fresh() -> Self {
        Self(rand::random())
    }

    /// A cookie's value, if it can be a token at all.
    pub fn parse(value: &str) -> Option<Self> {
        use base64::Engine;
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(value)
            .ok()?;
        Some(Self(bytes.try_into().ok()?))
    }
}

impl std::fmt::Display for SessionToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use base64::Engine;
        f.write_str(&base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(self.0))
    }
}

/// Never printed: it is as good as the session.
impl std::fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionToken(..)")
    }
}

fn hash(token: &SessionToken) -> String {
    hex::encode(Sha256::digest(token.0))
}

/// Who a session signs in: a person, or the built-in administrator (the admin token).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holder {
    Person(PersonId),
    BuiltInAdmin,
}

pub fn insert(
    conn: &mut DbConn,
    token: &SessionToken,
    holder: Holder,
    now_ms: i64,
    expires_at: i64,
) -> Result<(), DbError> {
    let person_id = match holder {
        Holder::Person(id) => Some(id.get()),
        Holder::BuiltInAdmin => None,
    };
    on_backend!(conn, |c| diesel::insert_into(s::sessions)
        .values((
            s::token_hash.eq(hash(token)),
            s::person_id.eq(person_id),
            s::created_at.eq(now_ms),
            s::last_seen_at.eq(now_ms),
            s::expires_at.eq(expires_at),
        ))
        .execute(c))?;
    Ok(())
}

/// How often a session's last use is written: not on every request.
const TOUCH_EVERY_MS: i64 = 60_000;

/// The holder of the session behind `token`, if it exists, has not expired and was used within
/// `idle_ms`; its last use is then brought up to date (at most once a minute).
pub fn holder(
    conn: &mut DbConn,
    token: &SessionToken,
    now_ms: i64,
    idle_ms: i64,
) -> Result<Option<Holder>, DbError> {
    let key = hash(token);
    let found: Option<(Option<i64>, i64, i64)> = on_backend!(conn, |c| s::sessions
        .find(&key)
        .select((s::person_id, s::last_seen_at, s::expires_at))
        .first(c)
        .optional())?;
    let Some((person_id, last_seen, expires_at)) = found else {
        return Ok(None);
    };
    if expires_at <= now_ms || last_seen + idle_ms <= now_ms {
        on_backend!(conn, |c| diesel::delete(s::sessions.find(&key)).execute(c))?;
        return Ok(None);
    }
    if now_ms - last_seen >= TOUCH_EVERY_MS {
        on_backend!(conn, |c| diesel::update(s::sessions.find(&key))
            .set(s::last_seen_at.eq(now_ms))
            .execute(c))?;
    }
    let holder = match person_id {
        Some(id) => Holder::Person(
            PersonId::new(id).map_err(|_| DbError::Corrupt(format!("session of person {id}")))?,
        ),
        None => Holder::BuiltInAdmin,
    };
    Ok(Some(holder))
}

/// Ends the session behind `token` (signing out).
pub fn end(conn: &mut DbConn, token: &SessionToken) -> Result<(), DbError> {
    let key = hash(token);
    on_backend!(conn, |c| diesel::delete(s::sessions.find(&key)).execute(c))?;
    Ok(())
}

/// Ends every session of `person`; how many there were.
pub fn end_all_of(conn: &mut DbConn, person: PersonId) -> Result<usize, DbError> {
    let id = person;
    Ok(on_backend!(conn, |c| diesel::delete(
        s::sessions.filter(s::person_id.eq(id))
    )
    .execute(c))?)
}

/// Forgets sessions that expired before `before`.
pub fn prune(conn: &mut DbConn, before: i64) -> Result<usize, DbError> {
    Ok(on_backend!(conn, |c| diesel::delete(
        s::sessions.filter(s::expires_at.lt(before))
    )
    .execute(c))?)
}
