//! Reading a meeting as a person, the same for every door: a draft, or a confidential meeting
//! they are no member of, does not exist for them; a confidential read is audited with the
//! door it came through.

use super::{Actor, Env, OpsError};
use crate::db::meetings::{self as store, MeetingRecord};
use crate::db::{audit, DbConn};
use crate::meetings::audit_action::{Audit, AuditAction};
use crate::meetings::permissions::{self, Duty};
use crate::meetings::visibility::shown_to;
use crate::meetings::MeetingId;
use crate::meetings::{MaterialId, PersonId};

/// The meeting as `person` may see it (informed people included: they read the minutes).
pub fn meeting(
    c: &mut DbConn,
    env: &Env,
    person: PersonId,
    id: MeetingId,
    door: Audit,
) -> Result<MeetingRecord, OpsError> {
    let record = store::get(c, id)?.ok_or(OpsError::MeetingNotFound)?;
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

/// The meeting as someone who prepares it sees it (the console, the reports): admins every
/// meeting; an organizer or host the meetings they hold that role in. A confidential meeting
/// of someone else's does not exist for them; a confidential read is audited as `action`.
pub fn managed(
    c: &mut DbConn,
    env: &Env,
    actor: Actor,
    id: MeetingId,
    action: Audit,
) -> Result<MeetingRecord, OpsError> {
    let record = store::get(c, id)?.ok_or(OpsError::MeetingNotFound)?;
    let m = &record.meeting;
    if let (false, Some(p)) = (actor.is_admin(), actor.person()) {
        let roles = record.roles_of(p);
        if let Err(refused) = permissions::require(Duty::Prepare, &roles) {
            if m.confidential && roles.is_empty() {
                return Err(OpsError::MeetingNotFound);
            }
            return Err(refused.into());
        }
    }
    if m.confidential {
        audit::append(c, &actor.audit_name(), action, Some(m.id), env.now_ms())?;
    }
    Ok(record)
}

/// A participant opens a material through huiwu's link: the read is recorded (and audited for
/// a confidential meeting) and the link it goes on to is returned. Anyone else, or a material
/// gone, is not found.
pub fn open_material(
    c: &mut DbConn,
    env: &Env,
    person: PersonId,
    material_id: MaterialId,
) -> Result<String, OpsError> {
    let material = crate::db::materials::get(c, material_id)?.ok_or(OpsError::MaterialNotFound)?;
    let record = store::get(c, material.meeting_id)?.ok_or(OpsError::MeetingNotFound)?;
    if !record.roles_of(person).iter().any(|r| r.participates()) {
        return Err(OpsError::MaterialNotFound);
    }
    crate::db::materials::record_read(c, material.id, person, env.now_ms())?;
    if record.meeting.confidential {
        audit::append(
            c,
            &Actor::Person(person).audit_name(),
            Audit::PageMaterial,
            Some(record.meeting.id),
            env.now_ms(),
        )?;
    }
    Ok(material.url)
}

/// For each of a meeting's materials, the invitees who have not opened it (by id).
pub fn unread_materials(
    c: &mut DbConn,
    meeting: MeetingId,
) -> Result<Vec<(crate::db::materials::MaterialRow, Vec<PersonId>)>, crate::db::DbError> {
    let reads = crate::db::materials::reads(c, meeting)?;
    unread_given(c, meeting, &reads)
}

/// `unread_materials` with the meeting's reads already at hand.
fn unread_given(
    c: &mut DbConn,
    meeting: MeetingId,
    reads: &[(MaterialId, PersonId)],
) -> Result<Vec<(crate::db::materials::MaterialRow, Vec<PersonId>)>, crate::db::DbError> {
    let invited: Vec<PersonId> = crate::db::participants::list(c, meeting)?
        .into_iter()
        .filter(|p| {
            !matches!(
                p.rsvp,
                crate::meetings::participation::Rsvp::Declined { .. }
            )
        })
        .map(|p| p.person_id)
        .collect();
    Ok(crate::db::materials::list(c, meeting)?
        .into_iter()
        .map(|m| {
            let unread = invited
                .iter()
                .copied()
                .filter(|p| !reads.contains(&(m.id, *p)))
                .collect();
            (m, unread)
        })
        .collect())
}

/// A material as the reader sees it on the meeting page.
pub struct MaterialSeen {
    pub material: crate::db::materials::MaterialRow,
    /// Whether the reader has opened it.
    pub opened: bool,
    /// For those who run or prepare the meeting: who is expected and has not opened it.
    pub unread_by: Option<Vec<PersonId>>,
}

/// The meeting's materials for `person`, who may read the meeting (checked by `meeting`).
pub fn materials(
    c: &mut DbConn,
    record: &MeetingRecord,
    person: PersonId,
) -> Result<Vec<MaterialSeen>, crate::db::DbError> {
    let roles = record.roles_of(person);
    let oversees = permissions::require(Duty::RunMeeting, &roles).is_ok()
        || permissions::require(Duty::Prepare, &roles).is_ok();
    let reads = crate::db::materials::reads(c, record.meeting.id)?;
    Ok(unread_given(c, record.meeting.id, &reads)?
        .into_iter()
        .map(|(material, unread)| MaterialSeen {
            opened: reads.contains(&(material.id, person)),
            unread_by: oversees.then_some(unread),
            material,
        })
        .collect())
}

/// A read through the admin API: the token holder may read every meeting (`visibility` grants
/// an admin everything, audited exactly when the meeting is confidential), so no roster is
/// needed; the confidential read is audited as `action`.
pub fn by_admin(
    c: &mut DbConn,
    now_ms: i64,
    meeting: &crate::db::meetings::MeetingRow,
    action: Audit,
) -> Result<(), crate::db::DbError> {
    if meeting.confidential {
        audit::append(
            c,
            &Actor::Admin.audit_name(),
            action,
            Some(meeting.id),
            now_ms,
        )?;
    }
    Ok(())
}

/// Records a read of `meeting` through `door` (`chat_会议`, `console_list`, …) when the
/// meeting is confidential: every door's confidential reads are audited here.
pub fn record_read(
    c: &mut DbConn,
    now_ms: i64,
    actor: Actor,
    meeting: &crate::db::meetings::MeetingRow,
    door: impl Into<AuditAction>,
) -> Result<(), crate::db::DbError> {
    if meeting.confidential {
        audit::append(c, &actor.audit_name(), door, Some(meeting.id), now_ms)?;
    }
    Ok(())
}

/// The meetings `filter` finds that `actor` prepares (admins: all; others those they hold a
/// preparing duty in, as `managed` decides for one), with their hosts; each confidential
/// one's listing is audited as `console_list` (its title is shown).
pub fn looked_after(
    c: &mut DbConn,
    env: &Env,
    actor: Actor,
    mut filter: store::MeetingFilter,
) -> Result<Vec<(store::MeetingRow, Vec<PersonId>)>, OpsError> {
    let me = actor.person().filter(|_| !actor.is_admin());
    filter.person_id = filter.person_id.or(me);
    let mut rows = Vec::new();
    for m in store::list(c, &filter)? {
        let record = store::referenced(c, m.id)?;
        if let Some(me) = me {
            if permissions::require(Duty::Prepare, &record.roles_of(me)).is_err() {
                continue;
            }
        }
        record_read(c, env.now_ms(), actor, &m, Audit::ConsoleList)?;
        rows.push((
            m,
            record.holders(&[crate::meetings::participation::Role::Host]),
        ));
    }
    Ok(rows)
}
