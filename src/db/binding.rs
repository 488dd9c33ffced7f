//! What binding an Official Account follower to a person needs stored: the one-time codes
//! admins and organizers issue (SHA-256 hashes), the followers' pending requests, and the
//! wrong codes tried, counted to limit guessing.

use super::schema::bind_codes::dsl as bc;
use super::schema::bind_failures::dsl as bf;
use super::schema::bind_requests::dsl as br;
use super::{on_backend, DbConn, DbError};
use crate::meetings::stamp::Stamp;
use crate::meetings::PersonId;
use diesel::prelude::*;
use sha2::{Digest, Sha256};

fn hash(code: &str) -> String {
    hex::encode(Sha256::digest(code.as_bytes()))
}

/// Keeps `code` as `person`'s bind code until `expires_at`, replacing any earlier one.
pub fn put_code(
    conn: &mut DbConn,
    person: PersonId,
    code: &str,
    issued_by: &str,
    now_ms: i64,
    expires_at: i64,
) -> Result<(), DbError> {
    let id = person;
    on_backend!(conn, |c| diesel::delete(bc::bind_codes.find(id)).execute(c))?;
    on_backend!(conn, |c| diesel::insert_into(bc::bind_codes)
        .values((
            bc::person_id.eq(id),
            bc::code_hash.eq(hash(code)),
            bc::issued_by.eq(issued_by),
            bc::issued_at.eq(now_ms),
            bc::expires_at.eq(expires_at),
        ))
        .execute(c))?;
    Ok(())
}

/// Uses `person`'s bind code if `code` is it and unexpired: it is gone afterwards (the delete
/// is the claim, so of two concurrent uses one wins).
pub fn take_code(
    conn: &mut DbConn,
    person: PersonId,
    code: &str,
    now_ms: i64,
) -> Result<bool, DbError> {
    let id = person;
    let taken = on_backend!(conn, |c| diesel::delete(
        bc::bind_codes
            .find(id)
            .filter(bc::code_hash.eq(hash(code)))
            .filter(bc::expires_at.gt(now_ms))
    )
    .execute(c))?;
    Ok(taken == 1)
}

/// Until when `person`'s unused code holds, if they have one.
pub fn code_expiry(conn: &mut DbConn, person: PersonId) -> Result<Option<i64>, DbError> {
    let id = person;
    Ok(on_backend!(conn, |c| bc::bind_codes
        .find(id)
        .select(bc::expires_at)
        .first(c)
        .optional())?)
}

pub fn drop_code(conn: &mut DbConn, person: PersonId) -> Result<(), DbError> {
    let id = person;
    on_backend!(conn, |c| diesel::delete(bc::bind_codes.find(id)).execute(c))?;
    Ok(())
}

/// A follower's request to become a person, waiting for a code or an admin.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct BindRequest {
    pub openid: String,
    pub person_id: PersonId,
    pub requested_at: Stamp,
}

/// Records that `openid` asks to be `person` (a later request of the same follower replaces it).
pub fn put_request(
    conn: &mut DbConn,
    openid: &str,
    person: PersonId,
    now_ms: i64,
) -> Result<(), DbError> {
    let id = person;
    on_backend!(conn, |c| diesel::delete(br::bind_requests.find(openid))
        .execute(c))?;
    on_backend!(conn, |c| diesel::insert_into(br::bind_requests)
        .values((
            br::openid.eq(openid),
            br::person_id.eq(id),
            br::requested_at.eq(now_ms),
        ))
        .execute(c))?;
    Ok(())
}

pub fn request(conn: &mut DbConn, openid: &str) -> Result<Option<BindRequest>, DbError> {
    Ok(on_backend!(conn, |c| br::bind_requests
        .find(openid)
        .first(c)
        .optional())?)
}

/// Pending requests, oldest first.
pub fn requests(conn: &mut DbConn) -> Result<Vec<BindRequest>, DbError> {
    Ok(on_backend!(conn, |c| br::bind_requests
        .order((br::requested_at.asc(), br::openid.asc()))
        .load(c))?)
}

/// Forgets the requests of this follower and every request for this person: one of them
/// became real, the others can no longer.
pub fn settle_requests(conn: &mut DbConn, openid: &str, person: PersonId) -> Result<(), DbError> {
    let id = person;
    on_backend!(conn, |c| diesel::delete(
        br::bind_requests.filter(br::openid.eq(openid).or(br::person_id.eq(id)))
    )
    .execute(c))?;
    Ok(())
}

pub fn drop_request(conn: &mut DbConn, openid: &str) -> Result<bool, DbError> {
    Ok(
        on_backend!(conn, |c| diesel::delete(br::bind_requests.find(openid))
            .execute(c))?
            == 1,
    )
}

pub fn record_failure(
    conn: &mut DbConn,
    openid: &str,
    person: PersonId,
    now_ms: i64,
) -> Result<(), DbError> {
    let id = person;
    on_backend!(conn, |c| diesel::insert_into(bf::bind_failures)
        .values((
            bf::openid.eq(openid),
            bf::person_id.eq(id),
            bf::at.eq(now_ms)
        ))
        .execute(c))?;
    Ok(())
}

/// Wrong codes since `since`: tried by `openid`, and tried for `person`.
pub fn failures_since(
    conn: &mut DbConn,
    openid: &str,
    person: PersonId,
    since: i64,
) -> Result<(i64, i64), DbError> {
    let id = person;
    let by_openid: i64 = on_backend!(conn, |c| bf::bind_failures
        .filter(bf::openid.eq(openid))
        .filter(bf::at.ge(since))
        .count()
        .get_result(c))?;
    let for_person: i64 = on_backend!(conn, |c| bf::bind_failures
        .filter(bf::person_id.eq(id))
        .filter(bf::at.ge(since))
        .count()
        .get_result(c))?;
    Ok((by_openid, for_person))
}
