//! Keys of the rooms' door screens, stored as SHA-256 hashes.

use super::schema::room_display_keys::dsl as k;
use super::{on_backend, DbConn, DbError};
use crate::meetings::RoomId;
use diesel::prelude::*;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

fn hash(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

/// Makes `key` the room's, replacing any earlier one.
pub fn replace(conn: &mut DbConn, room_id: RoomId, key: &str, now_ms: i64) -> Result<(), DbError> {
    let hashed = hash(key);
    on_backend!(conn, |c| diesel::insert_into(k::room_display_keys)
        .values((
            k::room_id.eq(room_id),
            k::key_hash.eq(&hashed),
            k::created_at.eq(now_ms),
        ))
        .on_conflict(k::room_id)
        .do_update()
        .set((k::key_hash.eq(&hashed), k::created_at.eq(now_ms)))
        .execute(c))?;
    Ok(())
}

/// Whether the room had a key to revoke.
pub fn revoke(conn: &mut DbConn, room_id: RoomId) -> Result<bool, DbError> {
    let gone = on_backend!(conn, |c| diesel::delete(k::room_display_keys.find(room_id))
        .execute(c))?;
    Ok(gone > 0)
}

/// Whether `key` is the room's key now.
pub fn matches(conn: &mut DbConn, room_id: RoomId, key: &str) -> Result<bool, DbError> {
    let stored: Option<String> = on_backend!(conn, |c| k::room_display_keys
        .find(room_id)
        .select(k::key_hash)
        .first(c)
        .optional())?;
    Ok(stored.is_some_and(|s| bool::from(s.as_bytes().ct_eq(hash(key).as_bytes()))))
}
