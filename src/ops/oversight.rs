//! The confidentiality officer's view (保密管理组): who read or changed a meeting, when and
//! through which door. Reading the trail is itself recorded.

use super::subject::Subject;
use super::{Actor, Env, OpsError};
use crate::db::audit::{self, AuditEntry, AuditFilter, TrailEntry};
use crate::db::DbConn;
use crate::meetings::audit_action::AuditAction;
use crate::meetings::permissions::Duty;
use crate::meetings::MeetingId;

/// At most this many entries, newest first: more is the admin API's audit log with filters.
const SHOWN: i64 = 200;

/// The meeting's audit trail, newest first: for those who carry `Duty::Oversee` there (the
/// confidentiality officers) and admins. The read is recorded as `door` (`chat_审计`,
/// `read_audit`), unless the door recorded it already (`None`).
pub fn trail(
    c: &mut DbConn,
    env: &Env,
    actor: Actor,
    id: MeetingId,
    door: Option<AuditAction>,
) -> Result<Vec<TrailEntry>, OpsError> {
    let s = Subject::load(c, id)?;
    s.require(actor, Duty::Oversee)?;
    let entries = audit::trail(c, s.id(), SHOWN)?;
    if let Some(door) = door {
        audit::append(c, &actor.audit_name(), door, Some(s.id()), env.now_ms())?;
    }
    Ok(entries)
}

/// The whole audit log, searched, newest first (at most `limit`): admins only, whichever door
/// asks (the admin API's `/audit`, the console's 审计 page).
pub fn search(
    c: &mut DbConn,
    actor: Actor,
    filter: &AuditFilter,
    limit: i64,
) -> Result<Vec<AuditEntry>, OpsError> {
    actor.administers()?;
    Ok(audit::search(c, filter, limit)?)
}
