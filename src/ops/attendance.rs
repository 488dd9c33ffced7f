//! Answering an invitation (for oneself, or for someone as the admin), delegating, and
//! checking in (oneself by code or text, or someone else on their behalf).

use super::subject::Subject;
use super::{Actor, Env, OpsError};
use crate::db::meetings::MeetingRecord;
use crate::db::people::{self, Person};
use crate::db::{participants, DbConn};
use crate::meetings::audit_action::Audit;
use crate::meetings::checkin_code::{check_window, VerifiedCode};
use crate::meetings::lifecycle::MeetingStatus;
use crate::meetings::participation::{Role, Rsvp};
use crate::meetings::permissions::Duty;
use crate::meetings::window::Window;
use crate::meetings::PersonId;
use crate::meetings::{DomainError, MeetingId};
use crate::outbox::{notices, Notice};

/// Invitations are answered between publishing and the start.
fn answerable(s: &Subject) -> Result<(), OpsError> {
    if !Window::Invitation.admits(s.status) {
        return Err(DomainError::InvitationClosed(s.status).into());
    }
    Ok(())
}

/// Someone other than the person themself answers only as the admin.
fn speaks_for(s: &Subject, actor: Actor, person: PersonId) -> Result<(), OpsError> {
    if actor.person() == Some(person) {
        return Ok(());
    }
    s.require(actor, Duty::Administer)
}

fn invited(c: &mut DbConn, s: &Subject, person: &Person) -> Result<(), OpsError> {
    participants::get(c, s.id(), person.id)?
        .map(|_| ())
        .ok_or_else(|| OpsError::NotInvited(person.name.clone()))
}

fn person(c: &mut DbConn, id: PersonId) -> Result<Person, OpsError> {
    people::get(c, id)?.ok_or(OpsError::PersonNotFound)
}

/// The meeting and the invited person whose invitation `actor` answers, if they may now.
fn answering(
    c: &mut DbConn,
    actor: Actor,
    id: MeetingId,
    person_id: PersonId,
) -> Result<(Subject, Person), OpsError> {
    let s = Subject::load(c, id)?;
    speaks_for(&s, actor, person_id)?;
    answerable(&s)?;
    let who = person(c, person_id)?;
    invited(c, &s, &who)?;
    Ok((s, who))
}

/// Records `person`'s answer to the invitation; a new answer replaces the old one.
pub fn answer(
    c: &mut DbConn,
    env: &Env,
    actor: Actor,
    id: MeetingId,
    person_id: PersonId,
    rsvp: &Rsvp,
) -> Result<MeetingRecord, OpsError> {
    let (s, who) = answering(c, actor, id, person_id)?;
    participants::set_rsvp(c, s.id(), who.id, rsvp, None, env.now_ms())?;
    s.audit(c, env, actor, Audit::AnswerInvitation)?;
    s.reload(c)
}

pub struct Delegated {
    pub record: MeetingRecord,
    pub to: Person,
}

/// `person` sends `to` in their place: `to` is invited, takes over the agenda items `person`
/// was to present and their open preparation items, and is told; `person` declines.
pub fn delegate(
    c: &mut DbConn,
    env: &Env,
    actor: Actor,
    id: MeetingId,
    person_id: PersonId,
    to: PersonId,
) -> Result<Delegated, OpsError> {
    let (s, who) = answering(c, actor, id, person_id)?;
    let to = person(c, to)?;
    if to.id == who.id {
        return Err(OpsError::DelegateToSelf);
    }
    participants::add(c, s.id(), to.id, Role::Attendee)?;
    crate::db::meetings::hand_over_presenting(c, s.id(), who.id, to.id)?;
    crate::db::checklist::hand_over(c, s.id(), who.id, to.id)?;
    let reason = format!("委托 {} 参加", to.name);
    participants::set_rsvp(
        c,
        s.id(),
        who.id,
        &Rsvp::Declined { reason },
        Some(to.id),
        env.now_ms(),
    )?;
    notices::queue(
        c,
        &env.notices,
        s.id(),
        &Notice::Delegation {
            by: who.name.clone(),
        },
        &[to.id],
        env.now_ms(),
    )?;
    s.audit(c, env, actor, Audit::Delegate)?;
    Ok(Delegated {
        record: s.reload(c)?,
        to,
    })
}

/// How presence was shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckinWay {
    /// The room's signed code, scanned: the code as `checkin_code` verified it.
    Code(VerifiedCode),
    /// 签到 typed: only where the meeting accepts it.
    Text,
    /// By a host or organizer (or the admin) for someone in the room.
    OnBehalf,
}

pub struct CheckedIn {
    pub record: MeetingRecord,
    pub person: Person,
    /// The check-in that stands (an earlier one, when `fresh` is false).
    pub at: chrono::DateTime<chrono::Utc>,
    pub fresh: bool,
    /// Minutes after start + grace; 0 when on time.
    pub late_minutes: i64,
}

pub fn check_in(
    c: &mut DbConn,
    env: &Env,
    actor: Actor,
    id: MeetingId,
    person_id: PersonId,
    way: CheckinWay,
) -> Result<CheckedIn, OpsError> {
    let s = Subject::load(c, id)?;
    let by = match way {
        CheckinWay::OnBehalf => {
            s.require(actor, Duty::CheckInOthers)?;
            actor.person()
        }
        CheckinWay::Code(code) if code.meeting() != id => {
            return Err(DomainError::ForgedCheckinCode.into())
        }
        CheckinWay::Code(_) | CheckinWay::Text => {
            if actor.person() != Some(person_id) {
                s.require(actor, Duty::Administer)?;
            }
            None
        }
    };
    if !Window::CheckIn.admits(s.status) {
        return Err(match s.status {
            MeetingStatus::Ended | MeetingStatus::Closed => DomainError::CheckinClosed,
            other => DomainError::InvitationClosed(other),
        }
        .into());
    }
    if way == CheckinWay::Text && !s.record.meeting.text_checkin {
        return Err(DomainError::TextCheckinOff.into());
    }
    check_window(&s.span, env.now)?;
    let who = person(c, person_id)?;
    let (at, fresh) = participants::check_in(c, s.id(), who.id, by, env.now_ms())?
        .ok_or_else(|| OpsError::NotInvited(who.name.clone()))?;
    let at = at.utc();
    let late_from = s.span.start() + env.late_grace;
    let late_minutes = if fresh && env.now > late_from {
        (env.now - late_from).num_minutes().max(1)
    } else {
        0
    };
    if fresh {
        s.audit(c, env, actor, Audit::CheckIn)?;
    }
    Ok(CheckedIn {
        record: s.reload(c)?,
        person: who,
        at,
        fresh,
        late_minutes,
    })
}
