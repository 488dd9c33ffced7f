//! Moving a meeting through its life: publish, start, next agenda item (or more time for it),
//! end, publish the minutes (close), reopen them, cancel.

use super::subject::Subject;
use super::{Actor, Env, OpsError};
use crate::db::meetings::{self as store, AgendaRow, MeetingRecord};
use crate::db::{participants, DbConn};
use crate::meetings::audit_action::Audit;
use crate::meetings::directory::FieldError;
use crate::meetings::lifecycle::Action;
use crate::meetings::participation::{attendance, Attendance, Role, Rsvp, Tally};
use crate::meetings::permissions::Duty;
use crate::meetings::schedule::check_room;
use crate::meetings::stamp::Stamp;
use crate::meetings::PersonId;
use crate::meetings::{DomainError, MeetingId};
use crate::outbox::{notices, planner, Notice};

/// Publishes a draft: the room is checked for overlaps while it is locked (two concurrent
/// publications cannot both take it), the invited, the informed and the preparers are told, and the
/// meeting's reminders are planned.
pub fn publish(
    c: &mut DbConn,
    env: &Env,
    actor: Actor,
    id: MeetingId,
) -> Result<MeetingRecord, OpsError> {
    let mut s = Subject::load(c, id)?;
    s.require(actor, Duty::Prepare)?;
    put_on_schedule(c, env, &mut s, true)?;
    s.audit(c, env, actor, Audit::PublishMeeting)?;
    s.reload(c)
}

/// The work of publishing: the room taken (checked while locked), the invited, the informed
/// and the preparers told when `announce` (a series' occurrence is not: the series' one
/// invitation covers it), the reminders planned and the checklist made.
pub(super) fn put_on_schedule(
    c: &mut DbConn,
    env: &Env,
    s: &mut Subject,
    announce: bool,
) -> Result<(), OpsError> {
    s.status.apply(Action::Publish)?;
    if let Some(room) = s.record.meeting.room_id {
        store::lock_room(c, room)?;
        let bookings = store::room_bookings(c, room)?;
        let me = Some(s.id());
        check_room(&s.span, me, &bookings, env.booking_buffer)?;
    }
    s.transition(c, env, Action::Publish, None)?;
    if announce {
        let now = env.now_ms();
        let invitees = notices::invitees(c, s.id())?;
        notices::queue(c, &env.notices, s.id(), &Notice::Invitation, &invitees, now)?;
        let informed = notices::informed(c, s.id())?;
        notices::queue(c, &env.notices, s.id(), &Notice::Informed, &informed, now)?;
        let preparers = notices::preparers(c, s.id())?;
        let prep = Notice::Preparation;
        notices::queue(c, &env.notices, s.id(), &prep, &preparers, now)?;
    }
    planner::plan_meeting(c, &env.notices, s.id(), env.now)?;
    super::checklist::create_defaults(c, env, s)?;
    Ok(())
}

/// A meeting that has just started, and its first agenda item, now running.
pub struct Started {
    pub record: MeetingRecord,
    pub current: Option<AgendaRow>,
}

/// Starts the meeting and its first agenda item, whose time box is watched from now. The
/// hosts, who run it, are there: they are checked in (not counted absent at the end).
pub fn start(c: &mut DbConn, env: &Env, actor: Actor, id: MeetingId) -> Result<Started, OpsError> {
    let mut s = Subject::load(c, id)?;
    s.require(actor, Duty::RunMeeting)?;
    s.transition(c, env, Action::Start, None)?;
    store::set_started(c, s.id(), env.now_ms())?;
    for &(person, role) in &s.record.roles {
        if role == Role::Host {
            participants::check_in(c, s.id(), person, None, env.now_ms())?;
        }
    }
    let first = s.record.agenda.first().cloned();
    if let Some(first) = &first {
        begin_item(c, env, first)?;
    }
    s.audit(c, env, actor, Audit::StartMeeting)?;
    let (record, current) = with_item(c, s, first)?;
    Ok(Started { record, current })
}

/// The meeting as stored now, and `item` as stored now (with the times just written).
fn with_item(
    c: &mut DbConn,
    s: Subject,
    item: Option<AgendaRow>,
) -> Result<(MeetingRecord, Option<AgendaRow>), OpsError> {
    let record = s.reload(c)?;
    let item = item.and_then(|i| {
        record
            .agenda
            .iter()
            .find(|a| a.position == i.position)
            .cloned()
    });
    Ok((record, item))
}

fn begin_item(c: &mut DbConn, env: &Env, item: &AgendaRow) -> Result<(), OpsError> {
    store::set_agenda_times(c, item.meeting_id, item.position, Some(env.now_ms()), None)?;
    planner::plan_item(
        c,
        &env.notices,
        item.meeting_id,
        item.position,
        item.minutes,
        env.now,
    )?;
    Ok(())
}

/// An agenda item that has just finished.
pub struct Finished {
    pub item: AgendaRow,
    /// Minutes it took.
    pub used_minutes: i64,
}

impl Finished {
    /// Minutes over (positive) or under (negative) its time box.
    pub fn overrun_minutes(&self) -> i64 {
        self.used_minutes - i64::from(self.item.minutes)
    }
}

/// Ends the running item and (unless none is left) starts the next not yet started.
pub struct NextItem {
    pub record: MeetingRecord,
    pub finished: Option<Finished>,
    pub current: Option<AgendaRow>,
}

pub fn next_item(
    c: &mut DbConn,
    env: &Env,
    actor: Actor,
    id: MeetingId,
) -> Result<NextItem, OpsError> {
    let s = Subject::load(c, id)?;
    s.require(actor, Duty::RunMeeting)?;
    if !crate::meetings::window::Window::Running.admits(s.status) {
        return Err(DomainError::NotRunning(s.status).into());
    }
    let finished = finish_current(c, env, &s)?;
    let after = finished.as_ref().map_or(0, |f| f.item.position);
    let following = s
        .record
        .agenda
        .iter()
        .find(|a| a.position > after && a.started_at.is_none())
        .cloned();
    if let Some(item) = &following {
        begin_item(c, env, item)?;
    }
    s.audit(c, env, actor, Audit::NextAgendaItem)?;
    let (record, current) = with_item(c, s, following)?;
    Ok(NextItem {
        record,
        finished,
        current,
    })
}

fn finish_current(c: &mut DbConn, env: &Env, s: &Subject) -> Result<Option<Finished>, OpsError> {
    let Some(current) = s.current_item() else {
        return Ok(None);
    };
    let now = env.now_ms();
    store::set_agenda_times(c, current.meeting_id, current.position, None, Some(now))?;
    let used_minutes = current
        .started_at
        .map_or(0, |s| (now - s.millis()).max(0) / 60_000);
    Ok(Some(Finished {
        item: current.clone(),
        used_minutes,
    }))
}

/// The running item, given more time.
pub struct Extended {
    pub item: AgendaRow,
    pub by_minutes: u32,
}

/// The longest one extension may add: a host who needs more extends again, so the agenda's
/// time boxes stay a plan, not a blank cheque.
pub const MAX_EXTENSION_MINUTES: u32 = 60;

/// Gives the running item `by` more minutes: its time box grows, and the reminders planned
/// for the old one wait for the new (the job handler postpones them to the new end).
pub fn extend_item(
    c: &mut DbConn,
    env: &Env,
    actor: Actor,
    id: MeetingId,
    by: u32,
) -> Result<Extended, OpsError> {
    let s = Subject::load(c, id)?;
    s.require(actor, Duty::RunMeeting)?;
    if !crate::meetings::window::Window::Running.admits(s.status) {
        return Err(DomainError::NotRunning(s.status).into());
    }
    if !(1..=MAX_EXTENSION_MINUTES).contains(&by) {
        return Err(OpsError::Invalid(vec![FieldError {
            field: "minutes",
            message: format!("每次延长 1 到 {MAX_EXTENSION_MINUTES} 分钟"),
        }]));
    }
    let current = s
        .current_item()
        .cloned()
        .ok_or(DomainError::NoItemRunning)?;
    let minutes = current.minutes.saturating_add(by as i32);
    store::set_agenda_minutes(c, id, current.position, minutes)?;
    s.audit(c, env, actor, Audit::ExtendAgendaItem)?;
    let (_, item) = with_item(c, s, Some(current))?;
    Ok(Extended {
        item: item.ok_or(OpsError::MeetingNotFound)?,
        by_minutes: by,
    })
}

/// Who came, counted when the meeting ended (`participation::attendance`, as every door).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Turnout {
    pub tally: Tally,
    /// Expected and never checked in (person ids).
    pub absent: Vec<PersonId>,
}

pub struct Ended {
    pub record: MeetingRecord,
    /// The agenda item that was still running.
    pub finished: Option<Finished>,
    pub turnout: Turnout,
}

/// Ends the meeting (and the item still running, so later notes do not attach to it).
pub fn end(c: &mut DbConn, env: &Env, actor: Actor, id: MeetingId) -> Result<Ended, OpsError> {
    let mut s = Subject::load(c, id)?;
    s.require(actor, Duty::RunMeeting)?;
    s.transition(c, env, Action::End, None)?;
    store::set_ended(c, s.id(), env.now_ms())?;
    let finished = finish_current(c, env, &s)?;
    let mut turnout = Turnout::default();
    for p in participants::list(c, s.id())? {
        // The meeting ends now, whatever its planned end.
        let standing = attendance(
            p.rsvp.is_declined(),
            p.checked_in_at.map(Stamp::millis),
            s.span.start().timestamp_millis(),
            env.late_grace,
            true,
        );
        turnout.tally.count(&p.rsvp, standing);
        if standing == Attendance::Absent {
            turnout.absent.push(p.person_id);
        }
    }
    s.audit(c, env, actor, Audit::EndMeeting)?;
    let record = s.reload(c)?;
    super::series::offer_unreached(c, env, &record)?;
    Ok(Ended {
        record,
        finished,
        turnout,
    })
}

pub struct Closed {
    pub record: MeetingRecord,
    /// How many readers were sent the minutes.
    pub notified: usize,
}

/// Publishes the minutes: the meeting is closed (read only) and its readers are told.
pub fn close(c: &mut DbConn, env: &Env, actor: Actor, id: MeetingId) -> Result<Closed, OpsError> {
    let mut s = Subject::load(c, id)?;
    s.require(actor, Duty::Record)?;
    let author = actor
        .person()
        .or_else(|| s.record.holders(&[Role::Host]).first().copied());
    s.transition(c, env, Action::Close, None)?;
    if let Some(author) = author {
        super::live::unanswered_into_minutes(c, env, s.id(), author)?;
    }
    let readers = notices::minutes_readers(c, s.id())?;
    let notified = notices::queue(
        c,
        &env.notices,
        s.id(),
        &Notice::Minutes,
        &readers,
        env.now_ms(),
    )?;
    s.audit(c, env, actor, Audit::CloseMeeting)?;
    Ok(Closed {
        record: s.reload(c)?,
        notified,
    })
}

/// Opens published minutes for correction again (admins only).
pub fn reopen(
    c: &mut DbConn,
    env: &Env,
    actor: Actor,
    id: MeetingId,
) -> Result<MeetingRecord, OpsError> {
    let mut s = Subject::load(c, id)?;
    s.require(actor, Duty::Administer)?;
    s.transition(c, env, Action::Reopen, None)?;
    s.audit(c, env, actor, Audit::ReopenMeeting)?;
    s.reload(c)
}

/// Cancels a meeting before it starts; its jobs are dropped and, once it was announced, the
/// invited are told why.
pub fn cancel(
    c: &mut DbConn,
    env: &Env,
    actor: Actor,
    id: MeetingId,
    reason: &str,
) -> Result<MeetingRecord, OpsError> {
    let reason = match Rsvp::decline(reason)? {
        Rsvp::Declined { reason } => reason,
        _ => return Err(DomainError::ReasonRequired.into()),
    };
    let mut s = Subject::load(c, id)?;
    s.require(actor, Duty::Prepare)?;
    let from = s.status;
    s.transition(c, env, Action::Cancel, Some(&reason))?;
    // A draft was never announced: its cancellation tells no one.
    if from.announced() {
        let mut invitees = notices::invitees(c, s.id())?;
        invitees.extend(notices::informed(c, s.id())?);
        notices::queue(
            c,
            &env.notices,
            s.id(),
            &Notice::Cancellation { reason },
            &invitees,
            env.now_ms(),
        )?;
    }
    planner::drop_meeting(c, s.id(), "the meeting was cancelled", env.now_ms())?;
    s.audit(c, env, actor, Audit::CancelMeeting)?;
    s.reload(c)
}
