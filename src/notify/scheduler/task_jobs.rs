//! An action item's reminders: the eve, the day, overdue (again every few days) and the
//! escalation to its follow-up owner and host.

use super::send::send;
use super::End;
use crate::db::action_items::{self as items, ActionItemRow};
use crate::db::jobs::{self, JobRow, NewJob};
use crate::db::meetings as store;
use crate::db::{people, DbConn, DbError};
use crate::meetings::action_items::days_overdue;
use crate::meetings::job::Job;
use crate::meetings::participation::Role;
use crate::meetings::MilestoneId;
use crate::outbox::notices;
use crate::outbox::notices::NoticeSettings;
use crate::outbox::payload::NoticeValues;
use crate::outbox::plan::{self, after_quiet_hours};
use chrono::{DateTime, NaiveDate, Utc};

pub(super) fn run(
    c: &mut DbConn,
    s: &NoticeSettings,
    job: &JobRow,
    planned_for: NaiveDate,
    now: DateTime<Utc>,
) -> Result<End, DbError> {
    let Some(item_id) = job.action_item_id else {
        return Ok(End::Dropped("the job names no action item".into()));
    };
    let Some(t) = items::get(c, item_id)? else {
        return Ok(End::Dropped("the action item is gone".into()));
    };
    if t.status.finished() {
        return Ok(End::Dropped(format!(
            "the action item is {}",
            t.status.as_str()
        )));
    }
    // Planned for another due date (the date was changed since): the new plan covers it.
    if planned_for != t.due_on {
        return Ok(End::Dropped("the due date has changed".into()));
    }
    if let Some(morning) = after_quiet_hours(&s.plan, now) {
        return Ok(End::Postponed(morning));
    }
    let now_ms = now.timestamp_millis();
    let today = now.with_timezone(&s.plan.tz).date_naive();
    let due = t.due_on;
    let overdue = days_overdue(due, t.status, today);
    let meeting = store::referenced(c, t.meeting_id)?;
    let text = |what: String| notices::task_values(&meeting.meeting, t.id, &t.title, due, what);
    Ok(End::Done(match job.job {
        Job::TaskEve { .. } => send(c, s, job, t.owner_id, text("明天截止。".into()), now_ms)?,
        Job::TaskDue { .. } => send(c, s, job, t.owner_id, text("今天截止。".into()), now_ms)?,
        Job::TaskOverdue { due } => {
            let n = send(
                c,
                s,
                job,
                t.owner_id,
                text(format!("已逾期 {overdue} 天。")),
                now_ms,
            )?;
            // Daily until done; planned one day at a time so finishing stops it.
            let next = plan::next_overdue(&s.plan, now);
            let job = NewJob {
                dedupe_key: format!("{}:{item_id}:{}", job.job.name(), next.timestamp_millis()),
                job: Job::TaskOverdue { due },
                meeting_id: Some(t.meeting_id),
                action_item_id: Some(item_id),
                due_at: next.timestamp_millis(),
            };
            jobs::plan(c, &job, now_ms)?;
            n
        }
        Job::TaskEscalation { .. } => escalate(c, s, job, &t, overdue, now_ms, text)?,
        other => {
            return Ok(End::Dropped(format!(
                "{} is not a task's job",
                other.name()
            )))
        }
    }))
}

fn escalate(
    c: &mut DbConn,
    s: &NoticeSettings,
    job: &JobRow,
    t: &ActionItemRow,
    overdue: i64,
    now_ms: i64,
    text: impl Fn(String) -> NoticeValues,
) -> Result<usize, DbError> {
    let r = store::referenced(c, t.meeting_id)?;
    let owner = people::name(c, t.owner_id)?;
    let mut sent = 0;
    for to in r.holders(&[Role::FollowUpOwner, Role::Host]) {
        let values = text(format!("逾期 {overdue} 天未完成，负责人 {owner}。"));
        sent += send(c, s, job, to, values, now_ms)?;
    }
    Ok(sent)
}

/// A milestone's reminder: to the action item's owner; the escalation to the follow-up owners
/// and hosts. Nothing once the milestone or its item is done.
pub(super) fn milestone(
    c: &mut DbConn,
    s: &NoticeSettings,
    job: &JobRow,
    milestone: MilestoneId,
    stage: crate::meetings::job::Stage,
    now: DateTime<Utc>,
) -> Result<End, DbError> {
    use crate::meetings::job::Stage;
    let Some(ms) = crate::db::milestones::get(c, milestone)? else {
        return Ok(End::Dropped("the milestone is gone".into()));
    };
    if ms.done_at.is_some() {
        return Ok(End::Dropped("the milestone is done".into()));
    }
    let Some(t) = items::get(c, ms.action_item_id)? else {
        return Ok(End::Dropped("the action item is gone".into()));
    };
    if t.status.finished() {
        return Ok(End::Dropped(format!(
            "the action item is {}",
            t.status.as_str()
        )));
    }
    if let Some(morning) = after_quiet_hours(&s.plan, now) {
        return Ok(End::Postponed(morning));
    }
    let now_ms = now.timestamp_millis();
    let today = now.with_timezone(&s.plan.tz).date_naive();
    let overdue = days_overdue(ms.due, t.status, today);
    let meeting = store::referenced(c, t.meeting_id)?;
    let text = |what: String| {
        notices::task_values(
            &meeting.meeting,
            t.id,
            &t.title,
            ms.due,
            format!("里程碑 #{}「{}」{what}", ms.id, ms.title),
        )
    };
    Ok(End::Done(match stage {
        Stage::Eve => send(c, s, job, t.owner_id, text("明天到期。".into()), now_ms)?,
        Stage::Due => send(c, s, job, t.owner_id, text("今天到期。".into()), now_ms)?,
        Stage::Overdue => {
            let n = send(
                c,
                s,
                job,
                t.owner_id,
                text(format!("已逾期 {overdue} 天。")),
                now_ms,
            )?;
            let next = plan::next_overdue(&s.plan, now);
            let again = NewJob {
                dedupe_key: format!("{}:{milestone}:{}", job.job.name(), next.timestamp_millis()),
                job: job.job,
                meeting_id: Some(t.meeting_id),
                action_item_id: Some(t.id),
                due_at: next.timestamp_millis(),
            };
            jobs::plan(c, &again, now_ms)?;
            n
        }
        Stage::Escalation => escalate(c, s, job, &t, overdue, now_ms, text)?,
    }))
}
