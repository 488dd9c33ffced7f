//! A meeting's preparation checklist (筹备清单). Publishing creates the default items from
//! the roles: 材料上传 for each presenter, 设备调试 for IT support (naming the equipment needs),
//! 会场布置 for the organizers, 会前准备会 for the host when the meeting asks for one. Those who prepare the meeting add, change and remove items;
//! each owner ticks their own.

use super::subject::Subject;
use super::{Actor, Env, OpsError};
use crate::db::checklist::{self as store, ChecklistRow, NewItem};
use crate::db::meetings::MeetingRow;
use crate::db::{outbox, people, DbConn, DbError};
use crate::meetings::audit_action::Audit;
use crate::meetings::checklist::{DefaultItem, ItemOrigin};
use crate::meetings::directory::FieldError;
use crate::meetings::display;
use crate::meetings::lifecycle::MeetingStatus;
use crate::meetings::notice_kind::NoticeKind;
use crate::meetings::participation::Role;
use crate::meetings::permissions::Duty;
use crate::meetings::ChecklistItemId;
use crate::meetings::MeetingId;
use crate::meetings::PersonId;
use crate::outbox::notices;
use crate::outbox::payload::CardButtons;
use crate::outbox::planner;
use chrono::{DateTime, Utc};

/// Titles are short: they are read in a chat list.
const MAX_TITLE_CHARS: usize = 100;

/// The default items of a meeting just published; each due `lead` before the start, and never
/// before now (a meeting published late is due at once).
pub(super) fn create_defaults(c: &mut DbConn, env: &Env, s: &Subject) -> Result<usize, OpsError> {
    let m = &s.record.meeting;
    let mut presenters: Vec<PersonId> = s
        .record
        .agenda
        .iter()
        .filter_map(|a| a.presenter_id)
        .collect();
    presenters.sort_unstable();
    presenters.dedup();
    let needs = m.equipment_needs.items();
    let equipment = if needs.is_empty() {
        "设备调试".to_owned()
    } else {
        format!("设备调试：{}", needs.join("、"))
    };
    let mut items: Vec<(String, PersonId, DefaultItem)> = Vec::new();
    items.extend(
        presenters
            .into_iter()
            .map(|p| ("材料上传".to_owned(), p, DefaultItem::Materials)),
    );
    items.extend(
        s.record
            .holders(&[Role::ItSupport])
            .into_iter()
            .map(|p| (equipment.clone(), p, DefaultItem::Equipment)),
    );
    items.extend(
        s.record
            .holders(&[Role::Organizer])
            .into_iter()
            .map(|p| ("会场布置".to_owned(), p, DefaultItem::Setup)),
    );
    if m.prep_meeting {
        items.extend(
            s.record
                .holders(&[Role::Host])
                .into_iter()
                .map(|p| ("会前准备会".to_owned(), p, DefaultItem::PrepMeeting)),
        );
    }
    for (title, owner, kind) in &items {
        let due = (s.span.start() - kind.lead()).max(env.now);
        let item = store::insert(
            c,
            &NewItem {
                meeting_id: m.id,
                title,
                owner_id: *owner,
                due_at: due.timestamp_millis(),
                kind: ItemOrigin::Default(*kind),
            },
            env.now_ms(),
        )?;
        planner::plan_checklist_item(c, item, due.timestamp_millis(), env.now)?;
        tell_owner(c, env, s, item)?;
    }
    Ok(items.len())
}

/// Tells an item's owner what to do by when; on WeCom a card whose 完成 button ticks it off.
fn tell_owner(
    c: &mut DbConn,
    env: &Env,
    s: &Subject,
    item_id: ChecklistItemId,
) -> Result<(), OpsError> {
    let Some(item) = store::get(c, item_id)? else {
        return Ok(());
    };
    let Some(owner) = people::get(c, item.owner_id)? else {
        return Ok(());
    };
    let values = super::live::values(
        c,
        env,
        &s.record,
        format!(
            "筹备清单 #{}：{}，请在 {} 前完成。",
            item.id,
            item.title,
            display::when(item.due_at, env.notices.tz)
        ),
        format!("完成后回复「完成清单 {}」。", item.id),
        false,
    )?;
    let message = notices::message_for(
        &owner,
        &env.notices,
        NoticeKind::ChecklistAssigned,
        format!("checklist_assigned:{}", item.id),
        Some(item.meeting_id),
        &values,
        Some((
            CardButtons::Tick { item: item.id },
            format!("checklist-{}", item.id),
        )),
    );
    outbox::enqueue(c, &message, env.now_ms())?;
    Ok(())
}

fn invalid(field: &'static str, message: &str) -> OpsError {
    OpsError::Invalid(vec![FieldError {
        field,
        message: message.to_owned(),
    }])
}

fn checked_title(title: &str) -> Result<String, OpsError> {
    super::fields::one_line("title", title, MAX_TITLE_CHARS)
}

/// The meeting an item may still change in, for someone who prepares it.
fn preparing(c: &mut DbConn, actor: Actor, id: MeetingId) -> Result<Subject, OpsError> {
    let s = Subject::load(c, id)?;
    s.require(actor, Duty::Prepare)?;
    if !crate::meetings::window::Window::Preparation.admits(s.status) {
        return Err(OpsError::Frozen {
            what: "the checklist",
            status: s.status,
        });
    }
    Ok(s)
}

fn due_before_start(s: &Subject, due: DateTime<Utc>) -> Result<i64, OpsError> {
    if due > s.span.start() {
        return Err(invalid("due_at", "must not be after the meeting starts"));
    }
    Ok(due.timestamp_millis())
}

fn owner(c: &mut DbConn, id: PersonId) -> Result<PersonId, OpsError> {
    match people::get(c, id)? {
        Some(p) if p.active => Ok(p.id),
        _ => Err(invalid("owner_id", "names no active person")),
    }
}

pub fn add(
    c: &mut DbConn,
    env: &Env,
    actor: Actor,
    id: MeetingId,
    title: &str,
    owner_id: PersonId,
    due: DateTime<Utc>,
) -> Result<ChecklistRow, OpsError> {
    let s = preparing(c, actor, id)?;
    let title = checked_title(title)?;
    let due_at = due_before_start(&s, due)?;
    let owner_id = owner(c, owner_id)?;
    let item = store::insert(
        c,
        &NewItem {
            meeting_id: s.id(),
            title: &title,
            owner_id,
            due_at,
            kind: ItemOrigin::Added,
        },
        env.now_ms(),
    )?;
    planner::plan_checklist_item(c, item, due_at, env.now)?;
    tell_owner(c, env, &s, item)?;
    s.audit(c, env, actor, Audit::AddChecklistItem)?;
    store::get(c, item)?.ok_or(OpsError::ChecklistNotFound(item))
}

/// An item and its meeting, for someone who prepares the meeting.
fn prepared_item(
    c: &mut DbConn,
    actor: Actor,
    item_id: ChecklistItemId,
) -> Result<(ChecklistRow, Subject), OpsError> {
    let item = store::get(c, item_id)?.ok_or(OpsError::ChecklistNotFound(item_id))?;
    let s = preparing(c, actor, item.meeting_id)?;
    Ok((item, s))
}

pub fn change(
    c: &mut DbConn,
    env: &Env,
    actor: Actor,
    item_id: ChecklistItemId,
    title: Option<&str>,
    owner_id: Option<PersonId>,
    due: Option<DateTime<Utc>>,
) -> Result<ChecklistRow, OpsError> {
    let (_, s) = prepared_item(c, actor, item_id)?;
    let title = title.map(checked_title).transpose()?;
    let due_at = due.map(|d| due_before_start(&s, d)).transpose()?;
    let owner_id = owner_id.map(|o| owner(c, o)).transpose()?;
    store::update(c, item_id, title.as_deref(), owner_id, due_at)?;
    if let Some(due_at) = due_at {
        planner::plan_checklist_item(c, item_id, due_at, env.now)?;
    }
    s.audit(c, env, actor, Audit::ChangeChecklistItem)?;
    store::get(c, item_id)?.ok_or(OpsError::ChecklistNotFound(item_id))
}

pub fn remove(
    c: &mut DbConn,
    env: &Env,
    actor: Actor,
    item_id: ChecklistItemId,
) -> Result<(), OpsError> {
    let (_, s) = prepared_item(c, actor, item_id)?;
    store::delete(c, item_id)?;
    s.audit(c, env, actor, Audit::RemoveChecklistItem)?;
    Ok(())
}

/// The owner ticks their item off (the admin may for anyone). Someone else's item reads as
/// an unknown one.
pub fn tick(
    c: &mut DbConn,
    env: &Env,
    actor: Actor,
    item_id: ChecklistItemId,
) -> Result<ChecklistRow, OpsError> {
    let item = store::get(c, item_id)?.ok_or(OpsError::ChecklistNotFound(item_id))?;
    let by = match actor.person() {
        Some(p) if p == item.owner_id => p,
        _ if actor.is_admin() => item.owner_id,
        _ => return Err(OpsError::ChecklistNotFound(item_id)),
    };
    let s = Subject::load(c, item.meeting_id)?;
    if !store::tick(c, item_id, by, env.now_ms())? {
        return Err(OpsError::ChecklistDone(item_id));
    }
    s.audit(c, env, actor, Audit::TickChecklistItem)?;
    store::get(c, item_id)?.ok_or(OpsError::ChecklistNotFound(item_id))
}

/// A meeting's items by due time, for those who prepare it.
pub fn list(c: &mut DbConn, actor: Actor, id: MeetingId) -> Result<Vec<ChecklistRow>, OpsError> {
    let s = Subject::load(c, id)?;
    s.require(actor, Duty::Prepare)?;
    Ok(store::for_meeting(c, s.id())?)
}

/// A person's open items in meetings not yet over, each with its meeting.
pub fn mine(c: &mut DbConn, person: PersonId) -> Result<Vec<(ChecklistRow, MeetingRow)>, DbError> {
    let mut out = Vec::new();
    for item in store::open_for(c, person)? {
        if let Some(r) = crate::db::meetings::get(c, item.meeting_id)? {
            if matches!(
                r.meeting.status,
                MeetingStatus::Draft | MeetingStatus::Scheduled
            ) {
                out.push((item, r.meeting));
            }
        }
    }
    Ok(out)
}

/// Done and total items: how ready the meeting is.
pub fn readiness(
    c: &mut DbConn,
    actor: Actor,
    meeting: MeetingId,
) -> Result<(usize, usize), OpsError> {
    // Anyone with a role in the meeting sees how ready it is; to anyone else it has nothing.
    if let (false, Some(p)) = (actor.is_admin(), actor.person()) {
        let s = Subject::load(c, meeting)?;
        if s.record.roles_of(p).is_empty() {
            return Ok((0, 0));
        }
    }
    let items = store::for_meeting(c, meeting)?;
    Ok((
        items.iter().filter(|i| i.done_at.is_some()).count(),
        items.len(),
    ))
}
