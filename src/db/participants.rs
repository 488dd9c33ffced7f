//! Invitation answers and check-ins, one row per invited person.

use super::schema::{meeting_roles::dsl as mr, participants::dsl as pt};
use super::{on_backend, DbConn, DbError};
use crate::meetings::participation::{Role, Rsvp};
use crate::meetings::stamp::Stamp;
use crate::meetings::{MeetingId, PersonId};
use diesel::prelude::*;

/// One invited person's answer and check-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParticipantRow {
    pub meeting_id: MeetingId,
    pub person_id: PersonId,
    pub rsvp: Rsvp,
    pub rsvp_at: Option<Stamp>,
    pub delegate_id: Option<PersonId>,
    pub checked_in_at: Option<Stamp>,
    pub checked_in_by: Option<PersonId>,
}

/// The row as stored: the answer's name and reason in two columns.
#[derive(Queryable)]
struct Stored {
    meeting_id: MeetingId,
    person_id: PersonId,
    rsvp: String,
    rsvp_reason: Option<String>,
    rsvp_at: Option<Stamp>,
    delegate_id: Option<PersonId>,
    checked_in_at: Option<Stamp>,
    checked_in_by: Option<PersonId>,
}

impl TryFrom<Stored> for ParticipantRow {
    type Error = DbError;

    fn try_from(s: Stored) -> Result<Self, DbError> {
        let rsvp = Rsvp::from_stored(&s.rsvp, s.rsvp_reason)
            .map_err(|e| DbError::Corrupt(e.to_string()))?;
        Ok(ParticipantRow {
            meeting_id: s.meeting_id,
            person_id: s.person_id,
            rsvp,
            rsvp_at: s.rsvp_at,
            delegate_id: s.delegate_id,
            checked_in_at: s.checked_in_at,
            checked_in_by: s.checked_in_by,
        })
    }
}

pub fn get(
    conn: &mut DbConn,
    meeting_id: MeetingId,
    person_id: PersonId,
) -> Result<Option<ParticipantRow>, DbError> {
    let row: Option<Stored> = on_backend!(conn, |c| pt::participants
        .find((meeting_id, person_id))
        .first(c)
        .optional())?;
    row.map(ParticipantRow::try_from).transpose()
}

pub fn list(conn: &mut DbConn, meeting_id: MeetingId) -> Result<Vec<ParticipantRow>, DbError> {
    let rows: Vec<Stored> = on_backend!(conn, |c| pt::participants
        .filter(pt::meeting_id.eq(meeting_id))
        .order(pt::person_id)
        .load(c))?;
    rows.into_iter().map(ParticipantRow::try_from).collect()
}

/// Records an answer; a new answer replaces the old one (and any delegation).
pub fn set_rsvp(
    conn: &mut DbConn,
    meeting_id: MeetingId,
    person_id: PersonId,
    rsvp: &Rsvp,
    delegate_id: Option<PersonId>,
    now_ms: i64,
) -> Result<(), DbError> {
    let delegate_id = delegate_id.map(PersonId::get);
    let reason = match rsvp {
        Rsvp::Declined { reason } => Some(reason.as_str()),
        _ => None,
    };
    on_backend!(conn, |c| diesel::update(
        pt::participants.find((meeting_id, person_id))
    )
    .set((
        pt::rsvp.eq(rsvp.as_str()),
        pt::rsvp_reason.eq(reason),
        pt::rsvp_at.eq(now_ms),
        pt::delegate_id.eq(delegate_id),
    ))
    .execute(c))?;
    Ok(())
}

/// Checks a person in unless they already are; returns the check-in time that stands and
/// whether it is this one.
pub fn check_in(
    conn: &mut DbConn,
    meeting_id: MeetingId,
    person_id: PersonId,
    by: Option<PersonId>,
    now_ms: i64,
) -> Result<Option<(Stamp, bool)>, DbError> {
    let updated = on_backend!(conn, |c| diesel::update(
        pt::participants
            .find((meeting_id, person_id))
            .filter(pt::checked_in_at.is_null())
    )
    .set((
        pt::checked_in_at.eq(now_ms),
        pt::checked_in_by.eq(by.map(PersonId::get)),
    ))
    .execute(c))?;
    let row = get(conn, meeting_id, person_id)?;
    Ok(row.and_then(|r| r.checked_in_at.map(|at| (at, updated == 1))))
}

/// Gives `person_id` a role in the meeting and, for roles that attend, an invitation row.
/// Both are no-ops when already there.
pub fn add(
    conn: &mut DbConn,
    meeting_id: MeetingId,
    person_id: PersonId,
    role: Role,
) -> Result<(), DbError> {
    on_backend!(conn, |c| diesel::insert_into(mr::meeting_roles)
        .values((
            mr::meeting_id.eq(meeting_id),
            mr::person_id.eq(person_id),
            mr::role.eq(role.as_str()),
        ))
        .on_conflict_do_nothing()
        .execute(c))?;
    if role.participates() {
        on_backend!(conn, |c| diesel::insert_into(pt::participants)
            .values((pt::meeting_id.eq(meeting_id), pt::person_id.eq(person_id)))
            .on_conflict_do_nothing()
            .execute(c))?;
    }
    Ok(())
}

/// Takes `role` (or every role, with `None`) from a person; their invitation row goes when no
/// attending role is left. Returns whether anything was removed.
pub fn remove(
    conn: &mut DbConn,
    meeting_id: MeetingId,
    person_id: PersonId,
    role: Option<Role>,
) -> Result<bool, DbError> {
    let removed = on_backend!(conn, |c| {
        let mut q = diesel::delete(mr::meeting_roles)
            .filter(mr::meeting_id.eq(meeting_id))
            .filter(mr::person_id.eq(person_id))
            .into_boxed();
        if let Some(role) = role {
            q = q.filter(mr::role.eq(role.as_str()));
        }
        q.execute(c)
    })?;
    let left: Vec<String> = on_backend!(conn, |c| mr::meeting_roles
        .filter(mr::meeting_id.eq(meeting_id))
        .filter(mr::person_id.eq(person_id))
        .select(mr::role)
        .load(c))?;
    let attends = left
        .iter()
        .filter_map(|r| Role::parse(r))
        .any(Role::participates);
    if !attends {
        on_backend!(conn, |c| diesel::delete(
            pt::participants.find((meeting_id, person_id))
        )
        .execute(c))?;
    }
    Ok(removed > 0)
}
