//! Planning: a meeting's jobs on publishing (again on a change), an agenda item's time
//! control when it starts, an action item's reminders, the weekly digest.

use crate::db::jobs::{self, NewJob};
use crate::db::meetings as store;
use crate::db::{DbConn, DbError};
use crate::meetings::job::Job;
use crate::meetings::MeetingId;
use crate::meetings::{ActionItemId, ChecklistItemId, MilestoneId};
use crate::outbox::notices::NoticeSettings;
use crate::outbox::plan::{self, Planned};
use chrono::{DateTime, NaiveDate, Utc};

/// Plans each job unless planned before (the key says what "before" is).
fn plan_all(
    c: &mut DbConn,
    jobs_to_plan: Vec<Planned>,
    key: impl Fn(&Planned) -> String,
    meeting_id: Option<MeetingId>,
    item_id: Option<ActionItemId>,
    now_ms: i64,
) -> Result<usize, DbError> {
    let mut planned = 0;
    for p in jobs_to_plan {
        let job = NewJob {
            dedupe_key: key(&p),
            job: p.job,
            meeting_id,
            action_item_id: item_id,
            due_at: p.due_at.timestamp_millis(),
        };
        if jobs::plan(c, &job, now_ms)? {
            planned += 1;
        }
    }
    Ok(planned)
}

/// (Re)plans a published meeting's jobs: pending ones from an earlier time are dropped first.
pub fn plan_meeting(
    c: &mut DbConn,
    s: &NoticeSettings,
    meeting_id: MeetingId,
    now: DateTime<Utc>,
) -> Result<usize, DbError> {
    let Some(r) = store::get(c, meeting_id)? else {
        return Ok(0);
    };
    let m = &r.meeting;
    let (start, end) = (m.starts_at.utc(), m.ends_at.utc());
    let now_ms = now.timestamp_millis();
    jobs::drop_for_meeting(c, meeting_id, "replanned", now_ms)?;
    let mut planned = plan::meeting_jobs(&s.plan, start, end, now);
    // Only a confidential meeting's reads are recorded, and digested for its officers.
    planned.retain(|p| m.confidential || p.job != Job::ReadDigest);
    // The start time is part of the key, so a rescheduled meeting gets fresh jobs.
    plan_all(
        c,
        planned,
        |p| format!("{}:{meeting_id}:{}", p.job.name(), m.starts_at.millis()),
        Some(meeting_id),
        None,
        now_ms,
    )
}

/// Time control for an agenda item the host just started.
pub fn plan_item(
    c: &mut DbConn,
    s: &NoticeSettings,
    meeting_id: MeetingId,
    position: i32,
    minutes: i32,
    started: DateTime<Utc>,
) -> Result<usize, DbError> {
    let started_ms = started.timestamp_millis();
    plan_all(
        c,
        plan::item_jobs(&s.plan, position, started, i64::from(minutes)),
        |p| format!("{}:{meeting_id}:{position}:{started_ms}", p.job.name()),
        Some(meeting_id),
        None,
        started_ms,
    )
}

/// Plans the next weekly digest (once: the key is the day it goes).
pub fn plan_digest(c: &mut DbConn, s: &NoticeSettings, now: DateTime<Utc>) -> Result<(), DbError> {
    let at = plan::next_monday(&s.plan, now);
    let job = NewJob {
        dedupe_key: format!("{}:{}", Job::WeeklyDigest.name(), at.timestamp_millis()),
        job: Job::WeeklyDigest,
        meeting_id: None,
        action_item_id: None,
        due_at: at.timestamp_millis(),
    };
    jobs::plan(c, &job, now.timestamp_millis())?;
    Ok(())
}

/// Plans the next monthly improvement summary (once: the key is the day it goes).
pub fn plan_monthly(c: &mut DbConn, s: &NoticeSettings, now: DateTime<Utc>) -> Result<(), DbError> {
    let at = plan::first_working_day_of_next_month(&s.plan, now);
    let job = NewJob {
        dedupe_key: format!("{}:{}", Job::MonthlyReport.name(), at.timestamp_millis()),
        job: Job::MonthlyReport,
        meeting_id: None,
        action_item_id: None,
        due_at: at.timestamp_millis(),
    };
    jobs::plan(c, &job, now.timestamp_millis())?;
    Ok(())
}

pub fn drop_meeting(
    c: &mut DbConn,
    meeting_id: MeetingId,
    why: &str,
    now_ms: i64,
) -> Result<(), DbError> {
    jobs::drop_for_meeting(c, meeting_id, why, now_ms)?;
    Ok(())
}

/// Plans an action item's reminders around its due date.
pub fn plan_task(
    c: &mut DbConn,
    s: &NoticeSettings,
    item_id: ActionItemId,
    meeting_id: MeetingId,
    due: NaiveDate,
    now: DateTime<Utc>,
) -> Result<usize, DbError> {
    plan_all(
        c,
        plan::task_jobs(&s.plan, due, now),
        |p| format!("{}:{item_id}:{due}", p.job.name()),
        Some(meeting_id),
        Some(item_id),
        now.timestamp_millis(),
    )
}

/// A milestone's reminders, like a due date's: the eve, the day, overdue, the escalation.
pub fn plan_milestone(
    c: &mut DbConn,
    s: &NoticeSettings,
    milestone: MilestoneId,
    item_id: ActionItemId,
    meeting_id: MeetingId,
    due: NaiveDate,
    now: DateTime<Utc>,
) -> Result<usize, DbError> {
    let planned = plan::task_jobs(&s.plan, due, now)
        .into_iter()
        .filter_map(|p| {
            Some(Planned {
                job: Job::Milestone {
                    milestone,
                    stage: crate::meetings::job::Stage::of(p.job)?,
                },
                due_at: p.due_at,
            })
        })
        .collect();
    plan_all(
        c,
        planned,
        |p| {
            format!(
                "{}:{milestone}:{}",
                p.job.name(),
                p.due_at.timestamp_millis()
            )
        },
        Some(meeting_id),
        Some(item_id),
        now.timestamp_millis(),
    )
}

/// Plans the chase of a checklist item at its due time (a changed due time plans anew; the
/// job finds the old time gone and drops itself).
pub fn plan_checklist_item(
    c: &mut DbConn,
    item_id: ChecklistItemId,
    due_at_ms: i64,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let job = Job::ChecklistOverdue { item: item_id };
    let planned = NewJob {
        dedupe_key: format!("{}:{item_id}:{due_at_ms}", job.name()),
        job,
        // Not the meeting's: its jobs are planned anew on every change, the items' are not.
        meeting_id: None,
        action_item_id: None,
        due_at: due_at_ms,
    };
    jobs::plan(c, &planned, now.timestamp_millis())?;
    Ok(())
}
