//! Minutes: notes and decisions (attached to the agenda item running, if any), action items
//! decided in the meeting, corrections, and reading the published minutes.

use super::subject::Subject;
use super::{Actor, Env, OpsError};
use crate::db::action_items::{self as items, NewActionItem};
use crate::db::meetings::AgendaRow;
use crate::db::people::Person;
use crate::db::{minutes as entries, outbox, people, DbConn};
use crate::meetings::action_items::check_due;
use crate::meetings::audit_action::Audit;
use crate::meetings::directory::FieldError;
use crate::meetings::lifecycle::MeetingStatus;
use crate::meetings::minutes::{may_write, published, EntryKind};
use crate::meetings::permissions::Duty;
use crate::meetings::ActionItemId;
use crate::meetings::MeetingId;
use crate::meetings::{EntryId, PersonId};
use crate::outbox::{notices, planner, NoticeKind};
use chrono::NaiveDate;

/// Longer than a question: a note may hold a whole discussion, as long as one chat message.
const MAX_ENTRY_CHARS: usize = 2000;

/// What a minutes entry, and an action item's title, may say (`field` names it in a refusal).
pub(super) fn entry_text(field: &'static str, text: &str) -> Result<String, OpsError> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > MAX_ENTRY_CHARS {
        return Err(OpsError::Invalid(vec![FieldError {
            field,
            message: format!("must be 1 to {MAX_ENTRY_CHARS} characters"),
        }]));
    }
    Ok(text.to_owned())
}

pub struct Written {
    /// The agenda item the entry belongs to; none for the meeting as a whole.
    pub item: Option<AgendaRow>,
    pub entry: EntryId,
    /// For a decision: how many of those present were asked to vote.
    pub asked: usize,
}

/// Appends a note or decision while the meeting runs or after it, until the minutes are out.
pub fn write(
    c: &mut DbConn,
    env: &Env,
    actor: Actor,
    id: MeetingId,
    kind: EntryKind,
    body: &str,
    author: PersonId,
) -> Result<Written, OpsError> {
    let s = Subject::load(c, id)?;
    s.require(actor, Duty::Record)?;
    may_write(s.status)?;
    let body = &entry_text("text", body)?;
    let item = s.current_item().cloned();
    let entry = entries::append(
        c,
        s.id(),
        item.as_ref().map(|a| a.position),
        kind,
        body,
        author,
        env.now_ms(),
    )?;
    // A decision taken while those present are still in the room is put to them.
    let asked = if kind == EntryKind::Decision && s.status == MeetingStatus::InProgress {
        super::consensus::put_to_vote(c, env, &s, entry, body)?
    } else {
        0
    };
    s.audit(c, env, actor, Audit::WriteMinutes)?;
    Ok(Written { item, entry, asked })
}

/// Corrects an entry (its text, and optionally its kind) before the minutes are published.
pub fn edit(
    c: &mut DbConn,
    env: &Env,
    actor: Actor,
    id: MeetingId,
    entry_id: EntryId,
    kind: Option<EntryKind>,
    text: &str,
) -> Result<(), OpsError> {
    let s = Subject::load(c, id)?;
    s.require(actor, Duty::Record)?;
    may_write(s.status)?;
    let current = entries::list(c, s.id())?
        .into_iter()
        .find(|e| e.id == entry_id)
        .ok_or(OpsError::EntryNotFound)?;
    let kind = kind.unwrap_or(current.kind);
    entries::edit(c, s.id(), entry_id, kind, text, env.now_ms())?;
    s.audit(c, env, actor, Audit::EditMinutes)?;
    Ok(())
}

pub struct Assigned {
    pub id: ActionItemId,
    pub owner: Person,
    pub due: NaiveDate,
}

/// An action item decided in the meeting (linked to the latest decision): its owner is told
/// and its reminders around the due date are planned.
#[allow(clippy::too_many_arguments)]
pub fn assign(
    c: &mut DbConn,
    env: &Env,
    actor: Actor,
    id: MeetingId,
    owner_id: PersonId,
    due: NaiveDate,
    title: &str,
    created_by: &Person,
) -> Result<Assigned, OpsError> {
    let s = Subject::load(c, id)?;
    s.require(actor, Duty::Record)?;
    may_write(s.status)?;
    let title = &entry_text("text", title)?;
    let today = env.now.with_timezone(&env.notices.tz).date_naive();
    let due = check_due(due, today)?;
    let owner = people::get(c, owner_id)?.ok_or(OpsError::PersonNotFound)?;
    let meeting_id = s.id();
    let decision = entries::latest_decision(c, meeting_id)?;
    let decision_id = decision.as_ref().map(|(id, _)| *id);
    let item = items::insert(
        c,
        &NewActionItem {
            meeting_id,
            decision_id,
            title,
            owner_id: owner.id,
            due_on: due,
            created_by: created_by.id,
        },
        env.now_ms(),
    )?;
    planner::plan_task(c, &env.notices, item, meeting_id, due, env.now)?;
    let decision = decision
        .map(|(_, body)| format!("；依据决议：{body}"))
        .unwrap_or_default();
    let values = notices::task_values(
        &s.record.meeting,
        item,
        title,
        due,
        format!("{} 在会上布置给你{decision}。", created_by.name),
    );
    let message = notices::message_for(
        &owner,
        &env.notices,
        NoticeKind::TaskAssigned,
        format!("task_assigned:{item}"),
        Some(meeting_id),
        &values,
        None,
    );
    outbox::enqueue(c, &message, env.now_ms())?;
    s.audit(c, env, actor, Audit::AssignActionItem)?;
    Ok(Assigned {
        id: item,
        owner,
        due,
    })
}

/// Minutes as a reader gets them: published ones for every member (the read is recorded),
/// the draft only for its recorders and host.
pub struct Minutes {
    pub published: bool,
    pub entries: Vec<entries::EntryRow>,
}

pub fn read(c: &mut DbConn, env: &Env, actor: Actor, id: MeetingId) -> Result<Minutes, OpsError> {
    let s = Subject::load(c, id)?;
    let is_published = published(s.status);
    if !is_published {
        s.require(actor, Duty::Record)
            .map_err(|_| OpsError::MinutesNotPublished(id))?;
    }
    if let (true, Some(p)) = (is_published, actor.person()) {
        entries::mark_read(c, s.id(), p, env.now_ms())?;
    }
    // The read itself is audited by the door, which decided the reader may see the meeting.
    Ok(Minutes {
        published: is_published,
        entries: entries::list(c, s.id())?,
    })
}
