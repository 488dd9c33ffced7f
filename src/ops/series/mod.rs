//! Recurring meetings (例会): making a series, its occurrences as the horizon moves, changing
//! one occurrence or this and all following ones (the series splits there), cancelling one,
//! ending the series, answering for all of it, and what carries over from the last occurrence.
//! Occurrences are ordinary meetings; the series tells people once where a meeting would tell
//! them each time.

mod answer;
mod carry;
mod change;
mod create;
mod end;

pub use answer::answer_all;
pub use carry::*;
pub use change::*;
pub use create::*;
pub use end::*;

use super::subject::Subject;
use super::{lifecycle, revision, Actor, Env, OpsError};
use crate::db::meetings::{self as store, MeetingRecord};
use crate::db::series::{self as db, Occurrence, SeriesRow};
use crate::db::{action_items, audit, participants, people, DbConn, DbError};
use crate::meetings::action_items::TaskStatus;
use crate::meetings::audit_action::{Audit, AuditActor};
use crate::meetings::directory::FieldError;
use crate::meetings::lifecycle::MeetingStatus;
use crate::meetings::participation::{Role, Rsvp};
use crate::meetings::permissions::Duty;
use crate::meetings::recurrence::Recurrence;
use crate::meetings::series::{SeriesStatus, SeriesTemplate};
use crate::meetings::ActionItemId;
use crate::meetings::{DomainError, MeetingId};
use crate::meetings::{PersonId, SeriesId};
use crate::outbox::{notices, planner, Notice};
use chrono::NaiveDate;
use std::collections::BTreeSet;

/// What became of one date of the series in this step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Made {
    pub date: NaiveDate,
    pub meeting_id: MeetingId,
    pub published: bool,
    /// Why it stays a draft (its room is taken then): that date only, the others go ahead.
    pub problem: Option<String>,
    /// The local time did not exist that day (clocks went forward) and moved.
    pub note: Option<String>,
}

/// A series and what this step made of its dates.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub series: SeriesRow,
    pub made: Vec<Made>,
}

pub(super) fn invalid(field: &'static str, message: impl Into<String>) -> OpsError {
    OpsError::Invalid(vec![FieldError {
        field,
        message: message.into(),
    }])
}

/// Admins change any series; an organizer one where the template makes them host or
/// organizer; nobody else.
pub(super) fn require(actor: Actor, template: &SeriesTemplate) -> Result<(), OpsError> {
    match actor {
        Actor::Admin | Actor::Staff { admin: true, .. } => Ok(()),
        Actor::Staff { person, .. } => {
            let holds = template
                .roles
                .iter()
                .any(|r| r.person_id == person && matches!(r.role, Role::Host | Role::Organizer));
            if holds {
                Ok(())
            } else {
                Err(DomainError::NotAllowed(Duty::Prepare).into())
            }
        }
        Actor::Person(_) => Err(DomainError::NotAllowed(Duty::Administer).into()),
    }
}

/// Every person and room the template names exists: occurrences are made from it for months,
/// long after the request that could have been refused.
pub(super) fn references(c: &mut DbConn, t: &SeriesTemplate) -> Result<(), OpsError> {
    if let Some(room) = t.room_id {
        if crate::db::rooms::get(c, room)?.is_none() {
            return Err(invalid("room_id", format!("room {room} does not exist")));
        }
    }
    let named = t.roles.iter().map(|r| ("roles", r.person_id)).chain(
        t.agenda
            .iter()
            .filter_map(|a| a.presenter_id.map(|p| ("agenda", p))),
    );
    for (field, person) in named {
        if people::get(c, person)?.is_none() {
            return Err(invalid(field, format!("person {person} does not exist")));
        }
    }
    Ok(())
}

pub(super) fn load(c: &mut DbConn, id: SeriesId) -> Result<SeriesRow, OpsError> {
    db::lock(c, id)?.ok_or(OpsError::SeriesNotFound)
}

pub(super) fn audit_series(
    c: &mut DbConn,
    env: &Env,
    who: &AuditActor,
    action: Audit,
    series: SeriesId,
) -> Result<(), OpsError> {
    tracing::info!(actor = %who, action = action.code(), %series, "series changed");
    audit::append(c, who, action.about(series.get()), None, env.now_ms())?;
    Ok(())
}

/// "每周一 09:00–10:00，共 8 次".
pub fn pattern(series: &SeriesRow) -> String {
    let t = &series.template;
    let end = t.start_time + chrono::Duration::minutes(i64::from(t.duration_minutes));
    let count = series.rule.dates().map(|d| d.len()).unwrap_or(0);
    format!(
        "{} {}–{}，共 {count} 次",
        series.rule.describe_zh(),
        t.start_time.format("%H:%M"),
        end.format("%H:%M")
    )
}

/// The occurrence of `series` on `date`, which must not have started: made now when the
/// horizon has not reached it yet (as a draft: it is about to be changed or cancelled).
pub(super) fn occurrence_on(
    c: &mut DbConn,
    env: &Env,
    who: &AuditActor,
    series: &SeriesRow,
    date: NaiveDate,
) -> Result<Subject, OpsError> {
    let today = env.now.with_timezone(&env.notices.tz).date_naive();
    if date < today {
        return Err(invalid("date", "is in the past: what happened stands"));
    }
    let existing = db::occurrences(c, series.id)?
        .into_iter()
        .find(|o| o.date == date);
    let id = match existing {
        Some(o) => o.meeting_id,
        None => {
            let dates = series.dates()?;
            if !dates.contains(&date) || series.status != SeriesStatus::Active {
                return Err(invalid(
                    "date",
                    format!("the series has no occurrence on {date}"),
                ));
            }
            let time = series.template.time_on(&env.notices.tz, date);
            let draft = series.template.draft(&time).map_err(OpsError::Invalid)?;
            let id = store::insert_draft(c, &draft, env.now_ms())?;
            db::add_occurrence(c, series.id, id, date)?;
            audit::append(c, who, Audit::CreateMeeting, Some(id), env.now_ms())?;
            id
        }
    };
    let s = Subject::load(c, id)?;
    if !matches!(s.status, MeetingStatus::Draft | MeetingStatus::Scheduled) {
        return Err(invalid(
            "date",
            format!("the occurrence on {date} is {}: it cannot change", s.status),
        ));
    }
    Ok(s)
}

/// The series a meeting is an occurrence of, and the date the rule gave it.
pub fn of_meeting(
    c: &mut DbConn,
    meeting: MeetingId,
) -> Result<Option<(SeriesRow, Occurrence)>, DbError> {
    let Some(o) = db::occurrence_of(c, meeting)? else {
        return Ok(None);
    };
    let series = db::get(c, o.series_id)?.ok_or_else(|| {
        DbError::Corrupt(format!("meeting {meeting} belongs to a missing series"))
    })?;
    Ok(Some((series, o)))
}
