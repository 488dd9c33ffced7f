//! Reading a meeting as a person, the same for every door: a draft, or a confidential meeting
//! they are no member of, does not exist for them; a confidential read is audited with the
//! door it came through.

use super::{Actor, Env, OpsError};
use crate::db::meetings::{self as store, MeetingRecord};
use crate::db::{audit, DbConn};
use crate::meetings::visibility::shown_to;
use crate::meetings::MeetingId;

/// The meeting as `person` may see it (informed people included: they read the minutes).
pub fn meeting(
    c: &mut DbConn,
    env: &Env,
    person: i64,
    id: MeetingId,
    door: &str,
) -> Result<MeetingRecord, OpsError> {
    let record = store::get(c, id.get())?.ok_or(OpsError::MeetingNotFound)?;
    let m = &record.meeting;
    if !shown_to(m.status, m.confidential, &record.roles_of(person), true) {
        return Err(OpsError::MeetingNotFound);
    }
    if m.confidential {
        audit::append(
            c,
            &Actor::Person(person).audit_name(),
            door,
            Some(m.id),
            env.now_ms(),
        )?;
    }
    Ok(record)
}
