//! Preparing a meeting: the draft, its details, agenda and materials. After publishing, every
//! change raises the meeting's `sequence` and the invited are told what changed.

use super::subject::Subject;
use super::{Actor, Env, OpsError};
use crate::db::meetings::{self as store, AgendaRow, MeetingRecord};
use crate::db::{materials, DbConn};
use crate::meetings::agenda::{Agenda, AgendaItem};
use crate::meetings::audit_action::Audit;
use crate::meetings::checklist::{DefaultItem, ItemOrigin};
use crate::meetings::directory::FieldError;
use crate::meetings::draft::{AgendaFields, MeetingDraft, MeetingFields, RoleFields};
use crate::meetings::lifecycle::MeetingStatus;
use crate::meetings::material::Material;
use crate::meetings::participation::{Role, Roster, Rsvp};
use crate::meetings::permissions::Duty;
use crate::meetings::schedule::{capacity_warning, check_room, equipment_warning, RoomWarning};
use crate::meetings::stamp::Stamp;
use crate::meetings::MaterialId;
use crate::meetings::RoomId;
use crate::meetings::{MeetingId, PersonId};
use crate::outbox::{notices, planner, Notice};

/// Stores a new draft with its materials. Admins and organizers create meetings; an
/// organizer who named no host or organizer role for themselves organizes it, so the meeting
/// they made stays in their hands.
pub fn create(
    c: &mut DbConn,
    env: &Env,
    actor: Actor,
    draft: &MeetingDraft,
    materials: &[Material],
) -> Result<MeetingRecord, OpsError> {
    let mut draft = draft.clone();
    match actor {
        Actor::Admin | Actor::Staff { admin: true, .. } => {}
        Actor::Staff { person, .. } => {
            let me = person;
            if !(draft.roster.has(me, Role::Host) || draft.roster.has(me, Role::Organizer)) {
                let mut roles = draft.roster.assignments().to_vec();
                roles.push((me, Role::Organizer));
                draft.roster = Roster::new(roles)?;
            }
        }
        Actor::Person(_) => {
            return Err(crate::meetings::DomainError::NotAllowed(Duty::Administer).into())
        }
    }
    let id = store::insert_draft(c, &draft, env.now_ms())?;
    for m in materials {
        materials::add(c, id, m.title(), m.url(), env.now_ms())?;
    }
    let s = Subject::load(c, id)?;
    s.audit(c, env, actor, Audit::CreateMeeting)?;
    s.reload(c)
}

/// A change to a meeting's details: `None` leaves a field as it is; for `room_id` and
/// `online_link`, `Some(None)` clears it.
#[derive(Debug, Clone, Default)]
pub struct MeetingPatch {
    pub title: Option<String>,
    pub goal: Option<String>,
    pub starts_at: Option<String>,
    pub ends_at: Option<String>,
    pub room_id: Option<Option<RoomId>>,
    pub place: Option<String>,
    pub online_link: Option<Option<String>>,
    pub confidential: Option<bool>,
    pub text_checkin: Option<bool>,
    pub prep_meeting: Option<bool>,
    pub briefing: Option<String>,
    pub equipment_needs: Option<Vec<String>>,
}

fn rfc3339(at: Stamp) -> String {
    at.utc().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// The stored meeting as submitted fields, with `patch` laid over it.
fn merged(record: &MeetingRecord, patch: MeetingPatch) -> MeetingFields {
    let m = &record.meeting;
    MeetingFields {
        title: Some(patch.title.unwrap_or_else(|| m.title.clone())),
        goal: Some(patch.goal.unwrap_or_else(|| m.goal.clone())),
        starts_at: Some(patch.starts_at.unwrap_or_else(|| rfc3339(m.starts_at))),
        ends_at: Some(patch.ends_at.unwrap_or_else(|| rfc3339(m.ends_at))),
        room_id: patch.room_id.unwrap_or(m.room_id).map(RoomId::get),
        place: Some(patch.place.unwrap_or_else(|| m.place.clone())),
        online_link: patch.online_link.unwrap_or_else(|| m.online_link.clone()),
        confidential: Some(patch.confidential.unwrap_or(m.confidential)),
        text_checkin: Some(patch.text_checkin.unwrap_or(m.text_checkin)),
        prep_meeting: Some(patch.prep_meeting.unwrap_or(m.prep_meeting)),
        briefing: Some(patch.briefing.unwrap_or_else(|| m.briefing.clone())),
        equipment_needs: Some(
            patch
                .equipment_needs
                .unwrap_or_else(|| m.equipment_needs.items().to_vec()),
        ),
        agenda: record
            .agenda
            .iter()
            .map(|a| AgendaFields {
                title: a.title.clone(),
                presenter_id: a.presenter_id.map(PersonId::get),
                minutes: a.minutes.max(0) as u32,
            })
            .collect(),
        roles: record
            .roles
            .iter()
            .map(|&(person, role)| RoleFields {
                person_id: person.get(),
                role,
            })
            .collect(),
    }
}

/// Draft and scheduled meetings change; after that, what happened stands.
fn changeable(s: &Subject, what: &'static str) -> Result<(), OpsError> {
    match s.status {
        status if crate::meetings::window::Window::Preparation.admits(status) => Ok(()),
        status => Err(OpsError::Frozen { what, status }),
    }
}

/// Changes a draft's or scheduled meeting's details. Every rule of creation applies again
/// (the agenda must still fit, the room must be free); after publishing the meeting's jobs are
/// planned anew and the invited are told what changed.
pub fn update(
    c: &mut DbConn,
    env: &Env,
    actor: Actor,
    id: MeetingId,
    patch: MeetingPatch,
    accepted: Option<&[String]>,
) -> Result<MeetingRecord, OpsError> {
    let s = Subject::load(c, id)?;
    s.require(actor, Duty::Prepare)?;
    changeable(&s, "the details")?;
    let draft = MeetingDraft::parse(merged(&s.record, patch)).map_err(OpsError::Invalid)?;
    // A change that could not be made anyway is refused for what it is, before whether the
    // meeting changed since it was read: `accepted` are the versions the caller read it at.
    if let Some(accepted) = accepted {
        let current = super::revision::version(c, &s.record)?;
        if !accepted.contains(&current) {
            return Err(OpsError::Stale);
        }
    }
    let announced = s.status.announced();
    if let (true, Some(room)) = (announced, draft.room) {
        store::lock_room(c, room)?;
        let bookings = store::room_bookings(c, room)?;
        check_room(&draft.span, Some(id), &bookings, env.booking_buffer)?;
    }
    store::update_details(c, s.id(), &draft, announced, env.now_ms())?;
    let after = store::get(c, s.id())?.ok_or(OpsError::MeetingNotFound)?;
    if announced {
        planner::plan_meeting(c, &env.notices, s.id(), env.now)?;
        let changes = notices::changes(c, env.notices.tz, &s.record.meeting, &after.meeting)?;
        if !changes.is_empty() {
            announce_to_invitees(c, env, s.id(), Notice::Change { changes })?;
        }
    }
    s.audit(c, env, actor, Audit::UpdateMeeting)?;
    Ok(after)
}

fn announce_to_invitees(
    c: &mut DbConn,
    env: &Env,
    meeting: MeetingId,
    notice: Notice,
) -> Result<(), OpsError> {
    let invitees = notices::invitees(c, meeting)?;
    notices::queue(c, &env.notices, meeting, &notice, &invitees, env.now_ms())?;
    Ok(())
}

/// After publishing: a new version, and a notice saying what changed.
fn announce(c: &mut DbConn, env: &Env, s: &Subject, what: String) -> Result<(), OpsError> {
    if !s.status.announced() {
        return Ok(());
    }
    store::bump_sequence(c, s.id(), env.now_ms())?;
    announce_to_invitees(
        c,
        env,
        s.id(),
        Notice::Change {
            changes: vec![what],
        },
    )
}

fn store_agenda(
    c: &mut DbConn,
    env: &Env,
    actor: Actor,
    s: Subject,
    items: Vec<AgendaItem>,
    what: &str,
) -> Result<Vec<AgendaRow>, OpsError> {
    Agenda::new(items.clone(), &s.span).map_err(|e| {
        OpsError::Invalid(vec![FieldError {
            field: "agenda",
            message: e.to_string(),
        }])
    })?;
    store::replace_agenda(c, s.id(), &items)?;
    announce(c, env, &s, what.to_owned())?;
    s.audit(c, env, actor, Audit::ChangeAgenda)?;
    Ok(s.reload(c)?.agenda)
}

/// Replaces the agenda; it must still fit the meeting.
pub fn replace_agenda(
    c: &mut DbConn,
    env: &Env,
    actor: Actor,
    id: MeetingId,
    items: Vec<AgendaItem>,
) -> Result<Vec<AgendaRow>, OpsError> {
    let s = Subject::load(c, id)?;
    s.require(actor, Duty::EditAgenda)?;
    changeable(&s, "the agenda")?;
    store_agenda(c, env, actor, s, items, "议程已更新")
}

/// Puts the agenda in a new order: `order` lists the current positions, each once.
pub fn reorder_agenda(
    c: &mut DbConn,
    env: &Env,
    actor: Actor,
    id: MeetingId,
    order: &[i32],
) -> Result<Vec<AgendaRow>, OpsError> {
    let s = Subject::load(c, id)?;
    s.require(actor, Duty::EditAgenda)?;
    changeable(&s, "the agenda")?;
    let mut sorted = order.to_vec();
    sorted.sort_unstable();
    let expected: Vec<i32> = s.record.agenda.iter().map(|a| a.position).collect();
    if sorted != expected {
        return Err(OpsError::Invalid(vec![FieldError {
            field: "order",
            message: format!("must list each of the positions {expected:?} exactly once"),
        }]));
    }
    let items = order
        .iter()
        .filter_map(|p| s.record.agenda.iter().find(|a| a.position == *p))
        .map(AgendaRow::item)
        .collect();
    store_agenda(c, env, actor, s, items, "议程顺序已调整")
}

/// Adds a material (a title and an http(s) link checked by the door): those who prepare the
/// meeting, or a presenter of one of its agenda items, whose materials checklist item it ticks.
pub fn add_material(
    c: &mut DbConn,
    env: &Env,
    actor: Actor,
    id: MeetingId,
    material: &Material,
) -> Result<(), OpsError> {
    let (title, url) = (material.title(), material.url());
    let s = Subject::load(c, id)?;
    // A presenter brings their own material; otherwise it is the preparers' work.
    let presenter = actor
        .person()
        .filter(|p| s.record.agenda.iter().any(|a| a.presenter_id == Some(*p)));
    if presenter.is_none() {
        s.require(actor, Duty::Prepare)?;
    }
    changeable(&s, "the materials")?;
    materials::add(c, s.id(), title, url, env.now_ms())?;
    announce(c, env, &s, format!("新增材料「{title}」"))?;
    if let Some(p) = presenter {
        // Their "材料上传" checklist item is done with it.
        for item in crate::db::checklist::for_meeting(c, s.id())? {
            if item.owner_id == p && item.kind == ItemOrigin::Default(DefaultItem::Materials) {
                crate::db::checklist::tick(c, item.id, p, env.now_ms())?;
            }
        }
    }
    s.audit(c, env, actor, Audit::AddMaterial)?;
    Ok(())
}

pub fn remove_material(
    c: &mut DbConn,
    env: &Env,
    actor: Actor,
    id: MeetingId,
    material: MaterialId,
) -> Result<(), OpsError> {
    let s = Subject::load(c, id)?;
    s.require(actor, Duty::Prepare)?;
    changeable(&s, "the materials")?;
    if !materials::remove(c, s.id(), material)? {
        return Err(OpsError::MaterialNotFound);
    }
    s.audit(c, env, actor, Audit::RemoveMaterial)?;
    Ok(())
}

/// What is worth a warning about the meeting's room: too small for the invited, or without
/// the equipment the meeting needs.
pub fn room_warnings(
    c: &mut DbConn,
    record: &MeetingRecord,
) -> Result<Vec<RoomWarning>, crate::db::DbError> {
    let Some(room) = record.meeting.room_id else {
        return Ok(Vec::new());
    };
    let Some(room) = crate::db::rooms::get(c, room)? else {
        return Ok(Vec::new());
    };
    let invited = crate::db::participants::list(c, record.meeting.id)?.len();
    let needs = record.meeting.equipment_needs.items();
    Ok(capacity_warning(room.capacity, invited)
        .into_iter()
        .chain(equipment_warning(&room.equipment_list(), needs))
        .collect())
}

/// An agenda item whose presenter has declined and sent nobody in their place: the host and
/// organizers are warned, to find another presenter or drop the item.
pub struct PresenterAway {
    pub position: i32,
    pub title: String,
    pub presenter: PersonId,
    pub reason: String,
}

/// The agenda items not yet finished whose presenter is away (a delegate takes the item
/// over, so a delegated one is not).
pub fn presenters_away(
    c: &mut DbConn,
    record: &MeetingRecord,
) -> Result<Vec<PresenterAway>, crate::db::DbError> {
    if !matches!(
        record.meeting.status,
        MeetingStatus::Draft | MeetingStatus::Scheduled | MeetingStatus::InProgress
    ) {
        return Ok(Vec::new());
    }
    let invited = crate::db::participants::list(c, record.meeting.id)?;
    Ok(record
        .agenda
        .iter()
        .filter(|a| a.ended_at.is_none())
        .filter_map(|a| {
            let presenter = a.presenter_id?;
            let p = invited.iter().find(|p| p.person_id == presenter)?;
            match &p.rsvp {
                Rsvp::Declined { reason } if p.delegate_id.is_none() => Some(PresenterAway {
                    position: a.position,
                    title: a.title.clone(),
                    presenter,
                    reason: reason.clone(),
                }),
                _ => None,
            }
        })
        .collect())
}

/// When everyone in `people` and `room` (if any) are free for `minutes` on each of `days`,
/// between `from` and `until` local time: their meetings and the room's bookings (widened by
/// the booking buffer) are the busy times.
pub struct FreeDay {
    pub day: chrono::NaiveDate,
    pub slots: Vec<crate::meetings::schedule::TimeRange>,
}

pub fn free_times(
    c: &mut DbConn,
    env: &Env,
    people: &[PersonId],
    room: Option<RoomId>,
    days: &[chrono::NaiveDate],
    window: (chrono::NaiveTime, chrono::NaiveTime),
    minutes: u32,
) -> Result<Vec<FreeDay>, crate::db::DbError> {
    use crate::meetings::schedule::{free_slots, Booking, TimeRange};
    let mut busy: Vec<Booking> = match room {
        Some(room) => store::room_bookings(c, room)?,
        None => Vec::new(),
    };
    let holding = [MeetingStatus::Scheduled, MeetingStatus::InProgress];
    for &person in people {
        for m in store::for_person(c, person, &holding)? {
            if let Ok(span) = TimeRange::new(m.starts_at.utc(), m.ends_at.utc()) {
                busy.push(Booking {
                    meeting: m.id,
                    span,
                });
            }
        }
    }
    let tz = env.notices.tz;
    let long_enough = chrono::Duration::minutes(i64::from(minutes));
    Ok(days
        .iter()
        .map(|&day| FreeDay {
            day,
            slots: free_slots(&tz, day, window.0, window.1, &busy, env.booking_buffer)
                .into_iter()
                .filter(|s| s.end() - s.start() >= long_enough && s.end() > env.now)
                .collect(),
        })
        .collect())
}
