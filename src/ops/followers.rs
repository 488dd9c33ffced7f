//! Followers of the Official Account as chat meets them: one who leaves is marked so notices
//! stop going to them (and come back when they follow again), and a code scanned before
//! binding is held until they bind, then checks them in.

use super::OpsError;
use crate::db::{pending_checkins, people, DbConn};

/// The follower left the Official Account: notices to them are recorded as unreachable.
pub fn unfollowed(c: &mut DbConn, now_ms: i64, openid: &str) -> Result<(), OpsError> {
    people::set_unfollowed(c, openid, Some(now_ms), now_ms)?;
    Ok(())
}

/// The follower came back.
pub fn followed_again(c: &mut DbConn, now_ms: i64, openid: &str) -> Result<(), OpsError> {
    people::set_unfollowed(c, openid, None, now_ms)?;
    Ok(())
}

/// A check-in code scanned by someone not bound yet, kept for when they bind.
pub fn hold_checkin(c: &mut DbConn, now_ms: i64, openid: &str, code: &str) -> Result<(), OpsError> {
    pending_checkins::put(c, openid, code, now_ms)?;
    Ok(())
}

/// The code this follower scanned before binding, if any (taken: used once).
pub fn take_held_checkin(c: &mut DbConn, openid: &str) -> Result<Option<String>, OpsError> {
    Ok(pending_checkins::take(c, openid)?)
}
