//! Who takes part: adding a person with a role and taking roles away. After publishing, a
//! person newly invited gets the invitation and a person no longer invited is told.

use super::subject::Subject;
use super::{Actor, Env, OpsError};
use crate::db::{participants, people, DbConn};
use crate::meetings::audit_action::Audit;
use crate::meetings::participation::Role;
use crate::meetings::permissions::Duty;
use crate::meetings::MeetingId;
use crate::meetings::PersonId;
use crate::outbox::{notices, Notice};

/// The roster changes until the meeting ends.
fn open(s: &Subject) -> Result<(), OpsError> {
    match s.status {
        status if crate::meetings::window::Window::Roster.admits(status) => Ok(()),
        other => Err(OpsError::RosterClosed(other)),
    }
}

pub fn add(
    c: &mut DbConn,
    env: &Env,
    actor: Actor,
    id: MeetingId,
    person_id: PersonId,
    role: Role,
) -> Result<(), OpsError> {
    let s = Subject::load(c, id)?;
    s.require(actor, Duty::Prepare)?;
    open(&s)?;
    if people::get(c, person_id)?.is_none_or(|p| !p.active) {
        return Err(OpsError::PersonNotFound);
    }
    let was_invited = participants::get(c, s.id(), person_id)?.is_some();
    participants::add(c, s.id(), person_id, role)?;
    if s.status.announced() && role.participates() && !was_invited {
        notices::queue(
            c,
            &env.notices,
            s.id(),
            &Notice::Invitation,
            &[person_id],
            env.now_ms(),
        )?;
    }
    s.audit(c, env, actor, Audit::AddParticipant)?;
    Ok(())
}

/// Takes `role` (or every role, with `None`) from a person; the last host stays.
pub fn remove(
    c: &mut DbConn,
    env: &Env,
    actor: Actor,
    id: MeetingId,
    person_id: PersonId,
    role: Option<Role>,
) -> Result<(), OpsError> {
    let s = Subject::load(c, id)?;
    s.require(actor, Duty::Prepare)?;
    open(&s)?;
    let hosts = s.record.holders(&[Role::Host]);
    if matches!(role, None | Some(Role::Host)) && hosts == [person_id] {
        return Err(OpsError::LastHost);
    }
    let was_invited = participants::get(c, s.id(), person_id)?.is_some();
    if !participants::remove(c, s.id(), person_id, role)? {
        return Err(OpsError::PersonNotFound);
    }
    let still_invited = participants::get(c, s.id(), person_id)?.is_some();
    if s.status.announced() && was_invited && !still_invited {
        notices::queue(
            c,
            &env.notices,
            s.id(),
            &Notice::Uninvited,
            &[person_id],
            env.now_ms(),
        )?;
    }
    s.audit(c, env, actor, Audit::RemoveParticipant)?;
    Ok(())
}
