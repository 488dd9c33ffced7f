//! Changing a meeting as a whole, as the console's edit form submits it: details, roles,
//! agenda and materials in one step, refused when the meeting changed since the form was
//! opened (its version is a fingerprint of everything the form shows). After publishing, the
//! newly invited get the invitation, the no longer invited are told, and everyone else gets
//! one notice listing what changed.

use super::subject::Subject;
use super::{Actor, Env, OpsError};
use crate::db::meetings::{self as store, MeetingRecord};
use crate::db::{materials, participants, DbConn};
use crate::meetings::audit_action::Audit;
use crate::meetings::draft::MeetingDraft;
use crate::meetings::material::Material;
use crate::meetings::participation::Role;
use crate::meetings::permissions::Duty;
use crate::meetings::schedule::check_room;
use crate::meetings::MaterialId;
use crate::meetings::MeetingId;
use crate::meetings::PersonId;
use crate::outbox::{notices, planner, Notice};
use sha2::{Digest, Sha256};

/// A version of everything an edit form shows of a meeting.
pub fn fingerprint(record: &MeetingRecord, materials: &[(String, String)]) -> String {
    let m = &record.meeting;
    let mut roles = record.roles.clone();
    roles.sort_by_key(|(p, r)| (*p, r.as_str()));
    let agenda: Vec<(&str, Option<PersonId>, i32)> = record
        .agenda
        .iter()
        .map(|a| (a.title.as_str(), a.presenter_id, a.minutes))
        .collect();
    let shown = serde_json::json!([
        m.title,
        m.goal,
        m.starts_at.millis(),
        m.ends_at.millis(),
        m.room_id,
        m.place,
        m.online_link,
        m.confidential,
        m.text_checkin,
        m.prep_meeting,
        m.briefing,
        m.equipment_needs.items(),
        m.status.as_str(),
        roles
            .iter()
            .map(|(p, r)| (p, r.as_str()))
            .collect::<Vec<_>>(),
        agenda,
        materials,
    ]);
    hex::encode(&Sha256::digest(shown.to_string().as_bytes())[..12])
}

fn stored_materials(
    c: &mut DbConn,
    id: MeetingId,
) -> Result<Vec<(MaterialId, String, String)>, OpsError> {
    Ok(materials::list(c, id)?
        .into_iter()
        .map(|m| (m.id, m.title, m.url))
        .collect())
}

/// The meeting's version for an edit form.
pub fn version(c: &mut DbConn, record: &MeetingRecord) -> Result<String, OpsError> {
    let shown: Vec<(String, String)> = stored_materials(c, record.meeting.id)?
        .into_iter()
        .map(|(_, t, u)| (t, u))
        .collect();
    Ok(fingerprint(record, &shown))
}

/// Replaces the meeting's details, roles, agenda and materials with `draft` and
/// `new_materials`, if its version is still `seen`.
pub fn revise(
    c: &mut DbConn,
    env: &Env,
    actor: Actor,
    id: MeetingId,
    seen: &str,
    draft: &MeetingDraft,
    new_materials: &[Material],
) -> Result<MeetingRecord, OpsError> {
    let s = Subject::load(c, id)?;
    s.require(actor, Duty::Prepare)?;
    if version(c, &s.record)? != seen {
        return Err(OpsError::Stale);
    }
    let applied = apply(c, env, &s, draft, Some(new_materials))?;
    if s.status.announced() {
        let now = env.now_ms();
        let tell = |c: &mut DbConn, notice: &Notice, people: &[PersonId]| {
            notices::queue(c, &env.notices, s.id(), notice, people, now)
        };
        tell(c, &Notice::Invitation, &applied.newcomers)?;
        tell(c, &Notice::Uninvited, &applied.gone)?;
        if !applied.changes.is_empty() {
            let change = Notice::Change {
                changes: applied.changes.clone(),
            };
            tell(c, &change, &applied.stayed)?;
        }
    }
    s.audit(c, env, actor, Audit::ReviseMeeting)?;
    Ok(applied.after)
}

/// A meeting changed as a whole, before anyone is told: what changed and for whom.
pub(super) struct Applied {
    pub after: MeetingRecord,
    /// "时间：old → new" lines, and the agenda and materials when they changed.
    pub changes: Vec<String>,
    /// Invited now and not before, no longer invited, and invited all along.
    pub newcomers: Vec<PersonId>,
    pub gone: Vec<PersonId>,
    pub stayed: Vec<PersonId>,
}

/// Writes `draft` over the meeting (and `new_materials` over its materials, when given): a
/// draft or scheduled meeting only, its room checked while locked, its jobs planned anew when
/// published. Tells no one: the caller words the notices (one meeting's, or a series').
pub(super) fn apply(
    c: &mut DbConn,
    env: &Env,
    s: &Subject,
    draft: &MeetingDraft,
    new_materials: Option<&[Material]>,
) -> Result<Applied, OpsError> {
    if !crate::meetings::window::Window::Preparation.admits(s.status) {
        return Err(OpsError::Frozen {
            what: "the meeting",
            status: s.status,
        });
    }
    let announced = s.status.announced();
    let now = env.now_ms();
    if let (true, Some(room)) = (announced, draft.room) {
        store::lock_room(c, room)?;
        let bookings = store::room_bookings(c, room)?;
        let me = Some(s.id());
        check_room(&draft.span, me, &bookings, env.booking_buffer)?;
    }
    let invited_before: Vec<PersonId> = participants::list(c, s.id())?
        .iter()
        .map(|p| p.person_id)
        .collect();

    // Roles: what the form no longer lists goes, what it adds comes.
    let wanted: Vec<(PersonId, Role)> = draft
        .roster
        .assignments()
        .iter()
        .map(|(p, r)| (*p, *r))
        .collect();
    for (person, role) in &s.record.roles {
        if !wanted.contains(&(*person, *role)) {
            participants::remove(c, s.id(), *person, Some(*role))?;
        }
    }
    for (person, role) in &wanted {
        if !s.record.roles.contains(&(*person, *role)) {
            participants::add(c, s.id(), *person, *role)?;
        }
    }

    let mut changes = Vec::new();
    let agenda_now: Vec<(String, Option<PersonId>, i32)> = s
        .record
        .agenda
        .iter()
        .map(|a| (a.title.clone(), a.presenter_id, a.minutes))
        .collect();
    let agenda_wanted: Vec<(String, Option<PersonId>, i32)> = draft
        .agenda
        .items()
        .iter()
        .map(|a| (a.title.clone(), a.presenter, a.minutes as i32))
        .collect();
    if agenda_now != agenda_wanted {
        store::replace_agenda(c, s.id(), draft.agenda.items())?;
        changes.push("议程已更新".to_owned());
    }
    if let Some(new_materials) = new_materials {
        let stored = stored_materials(c, s.id())?;
        for (material, title, url) in &stored {
            if !new_materials
                .iter()
                .any(|m| m.title() == title && m.url() == url)
            {
                materials::remove(c, s.id(), *material)?;
            }
        }
        for m in new_materials {
            let (title, url) = (m.title(), m.url());
            if !stored.iter().any(|(_, t, u)| t == title && u == url) {
                materials::add(c, s.id(), title, url, now)?;
                changes.push(format!("新增材料「{title}」"));
            }
        }
    }
    store::update_details(c, s.id(), draft, announced, now)?;
    let after = store::get(c, s.id())?.ok_or(OpsError::MeetingNotFound)?;
    let mut all = notices::changes(c, env.notices.tz, &s.record.meeting, &after.meeting)?;
    all.extend(changes);
    if announced {
        planner::plan_meeting(c, &env.notices, s.id(), env.now)?;
    }
    let invited_now: Vec<PersonId> = participants::list(c, s.id())?
        .iter()
        .map(|p| p.person_id)
        .collect();
    let newcomers: Vec<PersonId> = invited_now
        .iter()
        .copied()
        .filter(|p| !invited_before.contains(p))
        .collect();
    let gone: Vec<PersonId> = invited_before
        .iter()
        .copied()
        .filter(|p| !invited_now.contains(p))
        .collect();
    let stayed: Vec<PersonId> = notices::invitees(c, s.id())?
        .into_iter()
        .filter(|p| !newcomers.contains(p))
        .collect();
    Ok(Applied {
        after,
        changes: all,
        newcomers,
        gone,
        stayed,
    })
}
