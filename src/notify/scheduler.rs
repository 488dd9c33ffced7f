//! The scheduler: plans a meeting's and an action item's jobs when they are published or
//! created, and runs due jobs, each once across instances, each in one transaction with the
//! messages it queues. Conditions are checked when a job runs, not when it was planned: a
//! person who declined gets no reminder, a finished action item no chaser, a meeting that has
//! started no late reminder.

use super::notices::{message_for, NoticeSettings};
use super::payload::NoticeValues;
use super::plan::{self, after_quiet_hours, Planned};
use crate::clock::Clock;
use crate::db::action_items::{self as items, ActionItemRow};
use crate::db::jobs::{self, JobRow, NewJob};
use crate::db::meetings::{self as store, MeetingRecord};
use crate::db::{outbox, participants, people, Db, DbConn, DbError};
use crate::meetings::action_items::days_overdue;
use crate::meetings::display;
use crate::meetings::lifecycle::MeetingStatus;
use crate::meetings::participation::{Role, Rsvp};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use diesel::Connection;
use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::Notify;

const LEASE_MS: i64 = 60_000;
const BATCH: i64 = 100;
const IDLE_POLL: std::time::Duration = std::time::Duration::from_secs(5);

fn plan_all(
    c: &mut DbConn,
    jobs_to_plan: Vec<Planned>,
    key: impl Fn(&Planned) -> String,
    meeting_id: Option<i64>,
    item_id: Option<i64>,
    now_ms: i64,
) -> Result<usize, DbError> {
    let mut planned = 0;
    for p in jobs_to_plan {
        let job = NewJob {
            dedupe_key: key(&p),
            kind: p.kind,
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
    meeting_id: i64,
    now: DateTime<Utc>,
) -> Result<usize, DbError> {
    let Some(r) = store::get(c, meeting_id)? else {
        return Ok(0);
    };
    let m = &r.meeting;
    let (Some(start), Some(end)) = (
        DateTime::from_timestamp_millis(m.starts_at),
        DateTime::from_timestamp_millis(m.ends_at),
    ) else {
        return Ok(0);
    };
    let now_ms = now.timestamp_millis();
    jobs::drop_for_meeting(c, meeting_id, "replanned", now_ms)?;
    let planned = plan::meeting_jobs(&s.plan, start, end, now);
    // The start time is part of the key, so a rescheduled meeting gets fresh jobs.
    plan_all(
        c,
        planned,
        |p| format!("{}:{meeting_id}:{}", p.kind, m.starts_at),
        Some(meeting_id),
        None,
        now_ms,
    )
}

/// Time control for an agenda item the host just started.
pub fn plan_item(
    c: &mut DbConn,
    s: &NoticeSettings,
    meeting_id: i64,
    position: i32,
    minutes: i32,
    started: DateTime<Utc>,
) -> Result<usize, DbError> {
    let started_ms = started.timestamp_millis();
    plan_all(
        c,
        plan::item_jobs(&s.plan, started, i64::from(minutes)),
        |p| format!("{}:{meeting_id}:{position}:{started_ms}", p.kind),
        Some(meeting_id),
        None,
        started_ms,
    )
}

/// Plans the next weekly digest (once: the key is the day it goes).
pub fn plan_digest(c: &mut DbConn, s: &NoticeSettings, now: DateTime<Utc>) -> Result<(), DbError> {
    let at = plan::next_monday(&s.plan, now);
    let job = NewJob {
        dedupe_key: format!("{}:{}", plan::WEEKLY_DIGEST, at.timestamp_millis()),
        kind: plan::WEEKLY_DIGEST,
        meeting_id: None,
        action_item_id: None,
        due_at: at.timestamp_millis(),
    };
    jobs::plan(c, &job, now.timestamp_millis())?;
    Ok(())
}

pub fn drop_meeting(
    c: &mut DbConn,
    meeting_id: i64,
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
    item_id: i64,
    meeting_id: i64,
    due: NaiveDate,
    now: DateTime<Utc>,
) -> Result<usize, DbError> {
    plan_all(
        c,
        plan::task_jobs(&s.plan, due, now),
        |p| format!("{}:{item_id}:{due}", p.kind),
        Some(meeting_id),
        Some(item_id),
        now.timestamp_millis(),
    )
}

/// What became of a job.
enum End {
    Done(usize),
    Dropped(String),
    Postponed(DateTime<Utc>),
}

pub struct Scheduler {
    db: Db,
    clock: Arc<dyn Clock>,
    settings: Arc<NoticeSettings>,
    /// The outbox worker's bell.
    outbox: Arc<Notify>,
}

impl Scheduler {
    pub fn new(
        db: Db,
        clock: Arc<dyn Clock>,
        settings: Arc<NoticeSettings>,
        outbox: Arc<Notify>,
    ) -> Arc<Self> {
        Arc::new(Self {
            db,
            clock,
            settings,
            outbox,
        })
    }

    pub async fn run(self: Arc<Self>) {
        loop {
            match self.tick().await {
                Ok(0) => tokio::time::sleep(IDLE_POLL).await,
                Ok(_) => {}
                Err(e) => {
                    tracing::error!(error = %e, "scheduler cannot reach the database");
                    tokio::time::sleep(IDLE_POLL).await;
                }
            }
        }
    }

    /// Runs every due job; returns how many ran (done, dropped or postponed).
    pub async fn tick(&self) -> Result<usize, DbError> {
        let settings = self.settings.clone();
        let now = self.clock.now();
        self.db.run(move |c| plan_digest(c, &settings, now)).await?;
        let mut total = 0;
        loop {
            let now = self.clock.now();
            let now_ms = now.timestamp_millis();
            let due = self
                .db
                .run(move |c| jobs::claim(c, now_ms, LEASE_MS, BATCH))
                .await?;
            if due.is_empty() {
                break;
            }
            total += due.len();
            for job in due {
                let settings = self.settings.clone();
                let id = job.id;
                let kind = job.kind.clone();
                let end = self
                    .db
                    .run(move |c| {
                        c.transaction(|c| {
                            let end = run_job(c, &settings, &job, now)?;
                            match &end {
                                End::Done(n) => jobs::finish(
                                    c,
                                    id,
                                    "done",
                                    Some(&format!("{n} messages")),
                                    now_ms,
                                )?,
                                End::Dropped(why) => {
                                    jobs::finish(c, id, "dropped", Some(why), now_ms)?
                                }
                                End::Postponed(at) => {
                                    jobs::postpone(c, id, at.timestamp_millis(), now_ms)?
                                }
                            }
                            Ok(end)
                        })
                    })
                    .await?;
                match end {
                    End::Done(n) => {
                        tracing::info!(job = id, kind = %kind, messages = n, "job done")
                    }
                    End::Dropped(why) => {
                        tracing::info!(job = id, kind = %kind, why = %why, "job dropped")
                    }
                    End::Postponed(at) => {
                        tracing::debug!(job = id, kind = %kind, until = %at, "job waits out quiet hours")
                    }
                }
            }
            self.outbox.notify_one();
        }
        Ok(total)
    }
}

/// A meeting's facts as a message may show them; confidential meetings show only the time.
fn facts(c: &mut DbConn, s: &NoticeSettings, r: &MeetingRecord) -> Result<NoticeValues, DbError> {
    let m = &r.meeting;
    let time = display::span(m.starts_at, m.ends_at, s.tz);
    if m.confidential {
        return Ok(NoticeValues {
            title: format!("保密会议 #{}", m.id),
            time,
            action: format!("回复「会议 {}」查看详情。", m.id),
            ..Default::default()
        });
    }
    Ok(NoticeValues {
        title: m.title.clone(),
        time,
        place: store::place_description(c, m)?,
        ..Default::default()
    })
}

fn send(
    c: &mut DbConn,
    s: &NoticeSettings,
    job: &JobRow,
    person_id: i64,
    values: NoticeValues,
    now_ms: i64,
) -> Result<usize, DbError> {
    let Some(person) = people::get(c, person_id)? else {
        return Ok(0);
    };
    let kind: &'static str = match job.kind.as_str() {
        plan::REMINDER | plan::REMINDER_FIRST => "reminder",
        plan::RSVP_CHASE => "rsvp_chase",
        plan::SUMMARY => "attendance_summary",
        plan::CHECKIN_MISSING => "checkin_missing",
        plan::MINUTES_DUE => "minutes_due",
        plan::TASK_ESCALATION => "task_escalation",
        plan::ITEM_TIMEBOX | plan::ITEM_OVERRUN | plan::MEETING_OVERTIME => "time_control",
        plan::FEEDBACK_REQUEST => "feedback_request",
        plan::FEEDBACK_REPORT => "feedback_report",
        plan::WEEKLY_DIGEST => "weekly_digest",
        _ => "task_reminder",
    };
    let message = message_for(
        &person,
        s,
        kind,
        format!("job:{}:{person_id}", job.id),
        job.meeting_id,
        &values,
        None,
    );
    Ok(usize::from(outbox::enqueue(c, &message, now_ms)?))
}

fn holders(r: &MeetingRecord, roles: &[Role]) -> Vec<i64> {
    let mut ids: Vec<i64> = r
        .roles
        .iter()
        .filter(|(_, role)| roles.contains(role))
        .map(|(p, _)| *p)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

fn run_job(
    c: &mut DbConn,
    s: &NoticeSettings,
    job: &JobRow,
    now: DateTime<Utc>,
) -> Result<End, DbError> {
    if let Some(item) = job.action_item_id {
        return run_task_job(c, s, job, item, now);
    }
    if job.kind == plan::WEEKLY_DIGEST {
        if let Some(morning) = after_quiet_hours(&s.plan, now) {
            return Ok(End::Postponed(morning));
        }
        let sent = digest(c, s, job, now)?;
        plan_digest(c, s, now + Duration::minutes(1))?;
        return Ok(End::Done(sent));
    }
    let Some(r) = job
        .meeting_id
        .map(|id| store::get(c, id))
        .transpose()?
        .flatten()
    else {
        return Ok(End::Dropped("the meeting is gone".into()));
    };
    let m = &r.meeting;
    let status = m.status;
    let start = DateTime::from_timestamp_millis(m.starts_at).unwrap_or(now);
    let now_ms = now.timestamp_millis();
    let before_start = matches!(
        job.kind.as_str(),
        plan::REMINDER | plan::REMINDER_FIRST | plan::RSVP_CHASE | plan::SUMMARY
    );
    if before_start && (status != MeetingStatus::Scheduled || now >= start) {
        // After downtime: a reminder for a meeting already under way helps no one.
        return Ok(End::Dropped(format!(
            "no longer useful: the meeting is {status}"
        )));
    }
    // Quiet hours hold what can wait; a meeting within the hour cannot.
    let can_wait = matches!(
        job.kind.as_str(),
        plan::REMINDER_FIRST
            | plan::RSVP_CHASE
            | plan::MINUTES_DUE
            | plan::FEEDBACK_REQUEST
            | plan::FEEDBACK_REPORT
    );
    if can_wait {
        if let Some(morning) = after_quiet_hours(&s.plan, now) {
            if now >= start || morning < start - Duration::hours(1) {
                return Ok(End::Postponed(morning));
            }
        }
    }
    let base = facts(c, s, &r)?;
    let invited = participants::list(c, m.id)?;
    let materials = crate::db::materials::list(c, m.id)?;
    let mut sent = 0;
    match job.kind.as_str() {
        plan::REMINDER | plan::REMINDER_FIRST => {
            for p in invited
                .iter()
                .filter(|p| !matches!(p.rsvp, Rsvp::Declined { .. }))
            {
                let mut lines = vec![format!("会议提醒：{} {}", base.title, base.time)];
                if job.kind == plan::REMINDER_FIRST && !m.confidential {
                    if !m.briefing.is_empty() {
                        lines.push(format!("会前须知：{}", m.briefing));
                    }
                    for material in &materials {
                        lines.push(format!("材料：{} {}", material.title, material.url));
                    }
                    for a in r
                        .agenda
                        .iter()
                        .filter(|a| a.presenter_id == Some(p.person_id))
                    {
                        lines.push(format!(
                            "你的议程：第 {} 项「{}」，{} 分钟",
                            a.position, a.title, a.minutes
                        ));
                    }
                }
                if p.rsvp == Rsvp::Pending {
                    lines.push(format!(
                        "你尚未回复：发送「确认 {0}」或「请假 {0} 原因」。",
                        m.id
                    ));
                }
                let values = NoticeValues {
                    summary: lines.join("\n"),
                    ..base.clone()
                };
                sent += send(c, s, job, p.person_id, values, now_ms)?;
            }
        }
        plan::RSVP_CHASE => {
            for p in invited.iter().filter(|p| p.rsvp == Rsvp::Pending) {
                let values = NoticeValues {
                    summary: format!(
                        "请回复是否参加：发送「确认 {0}」「待定 {0}」或「请假 {0} 原因」。",
                        m.id
                    ),
                    ..base.clone()
                };
                sent += send(c, s, job, p.person_id, values, now_ms)?;
            }
        }
        plan::SUMMARY => {
            let (mut yes, mut maybe, mut no, mut silent) = (0, 0, Vec::new(), Vec::new());
            for p in &invited {
                let name = people::get(c, p.person_id)?
                    .map(|x| x.name)
                    .unwrap_or_default();
                match &p.rsvp {
                    Rsvp::Accepted => yes += 1,
                    Rsvp::Tentative => maybe += 1,
                    Rsvp::Declined { reason } => no.push(format!("{name}（{reason}）")),
                    Rsvp::Pending => silent.push(name),
                }
            }
            let summary = format!(
                "出席预估：确认 {yes}，待定 {maybe}，请假 {}{}，未回复 {}{}",
                no.len(),
                if no.is_empty() {
                    String::new()
                } else {
                    format!("：{}", no.join("、"))
                },
                silent.len(),
                if silent.is_empty() {
                    String::new()
                } else {
                    format!("：{}", silent.join("、"))
                },
            );
            for to in holders(&r, &[Role::Host, Role::Organizer]) {
                let values = NoticeValues {
                    summary: summary.clone(),
                    ..base.clone()
                };
                sent += send(c, s, job, to, values, now_ms)?;
            }
        }
        plan::CHECKIN_MISSING => {
            if !matches!(status, MeetingStatus::Scheduled | MeetingStatus::InProgress) {
                return Ok(End::Dropped(format!("the meeting is {status}")));
            }
            let mut missing = Vec::new();
            for p in invited
                .iter()
                .filter(|p| p.rsvp == Rsvp::Accepted && p.checked_in_at.is_none())
            {
                missing.push(
                    people::get(c, p.person_id)?
                        .map(|x| x.name)
                        .unwrap_or_default(),
                );
            }
            if missing.is_empty() {
                return Ok(End::Done(0));
            }
            let summary = format!(
                "已确认但未签到（{} 人）：{}",
                missing.len(),
                missing.join("、")
            );
            for to in holders(&r, &[Role::Host]) {
                let values = NoticeValues {
                    summary: summary.clone(),
                    ..base.clone()
                };
                sent += send(c, s, job, to, values, now_ms)?;
            }
        }
        plan::MINUTES_DUE => {
            if status != MeetingStatus::Ended {
                return Ok(End::Dropped(format!("the meeting is {status}")));
            }
            let mut to = holders(&r, &[Role::Recorder]);
            if to.is_empty() {
                to = holders(&r, &[Role::Host]);
            }
            for p in to {
                let values = NoticeValues {
                    summary: format!("会议纪要尚未发布，请整理后发送「发布纪要 {}」。", m.id),
                    ..base.clone()
                };
                sent += send(c, s, job, p, values, now_ms)?;
            }
        }
        plan::ITEM_TIMEBOX | plan::ITEM_OVERRUN => {
            let position: Option<i32> = job
                .dedupe_key
                .split(':')
                .nth(2)
                .and_then(|p| p.parse().ok());
            let item = r.agenda.iter().find(|a| Some(a.position) == position);
            let Some(item) = item.filter(|a| {
                status == MeetingStatus::InProgress
                    && a.started_at.is_some()
                    && a.ended_at.is_none()
            }) else {
                return Ok(End::Dropped("the item is no longer running".into()));
            };
            let used = item.started_at.map_or(0, |at| (now_ms - at) / 60_000);
            let summary = if job.kind == plan::ITEM_TIMEBOX {
                format!(
                    "第 {} 项「{}」已到时间（{} 分钟）。发送「下一项」继续。",
                    item.position, item.title, item.minutes
                )
            } else {
                format!(
                    "第 {} 项「{}」已超时 {} 分钟。发送「下一项」继续。",
                    item.position,
                    item.title,
                    used - i64::from(item.minutes)
                )
            };
            for to in holders(&r, &[Role::Host]) {
                sent += send(
                    c,
                    s,
                    job,
                    to,
                    NoticeValues {
                        summary: summary.clone(),
                        ..base.clone()
                    },
                    now_ms,
                )?;
            }
        }
        plan::MEETING_OVERTIME => {
            if status != MeetingStatus::InProgress {
                return Ok(End::Dropped(format!("the meeting is {status}")));
            }
            for to in holders(&r, &[Role::Host]) {
                let values = NoticeValues {
                    summary: "会议已超过计划结束时间。结束时发送「结束」。".into(),
                    ..base.clone()
                };
                sent += send(c, s, job, to, values, now_ms)?;
            }
        }
        plan::FEEDBACK_REQUEST => match status {
            MeetingStatus::InProgress => return Ok(End::Postponed(now + Duration::minutes(10))),
            MeetingStatus::Ended | MeetingStatus::Closed => {
                for p in invited.iter().filter(|p| p.checked_in_at.is_some()) {
                    let values = NoticeValues {
                        summary: format!(
                            "请为这次会议评分：发送「反馈 {} 1-5 意见」，例如：反馈 {} 5 很高效",
                            m.id, m.id
                        ),
                        ..base.clone()
                    };
                    sent += send(c, s, job, p.person_id, values, now_ms)?;
                }
            }
            other => return Ok(End::Dropped(format!("the meeting is {other}"))),
        },
        plan::FEEDBACK_REPORT => {
            if !matches!(status, MeetingStatus::Ended | MeetingStatus::Closed) {
                return Ok(End::Dropped(format!("the meeting is {status}")));
            }
            let answers = crate::db::feedback::for_meeting(c, m.id)?;
            let ratings: Vec<crate::meetings::feedback::Rating> = answers
                .iter()
                .filter_map(|(r, _)| u8::try_from(*r).ok().and_then(|r| r.try_into().ok()))
                .collect();
            let sum = crate::meetings::feedback::summarise(&ratings);
            let mut summary = format!(
                "反馈汇总：{} 份，平均 {}，分布（1-5 分）{:?}",
                sum.count,
                sum.average.map_or("—".to_owned(), |a| format!("{a:.1}")),
                sum.distribution
            );
            for (_, comment) in answers.iter().filter(|(_, c)| !c.is_empty()) {
                summary.push_str(&format!("\n· {comment}"));
            }
            for to in holders(&r, &[Role::Host, Role::FeedbackOwner]) {
                sent += send(
                    c,
                    s,
                    job,
                    to,
                    NoticeValues {
                        summary: summary.clone(),
                        ..base.clone()
                    },
                    now_ms,
                )?;
            }
        }
        other => return Ok(End::Dropped(format!("unknown job kind {other}"))),
    }
    Ok(End::Done(sent))
}

/// Monday's digest: each follow-up owner gets the open action items of their meetings.
fn digest(
    c: &mut DbConn,
    s: &NoticeSettings,
    job: &JobRow,
    now: DateTime<Utc>,
) -> Result<usize, DbError> {
    let open = items::list(
        c,
        &items::ActionItemFilter {
            statuses: Some(vec![
                crate::meetings::action_items::TaskStatus::Open,
                crate::meetings::action_items::TaskStatus::InProgress,
            ]),
            ..Default::default()
        },
    )?;
    let today = now.with_timezone(&s.plan.tz).date_naive();
    let mut by_owner: std::collections::BTreeMap<i64, Vec<String>> = Default::default();
    // Many open items share a meeting and an owner: each is read once.
    let mut followers: HashMap<i64, Vec<i64>> = HashMap::new();
    let mut names: HashMap<i64, String> = HashMap::new();
    for t in &open {
        if let Entry::Vacant(slot) = followers.entry(t.meeting_id) {
            let held = store::get(c, t.meeting_id)?
                .map(|r| holders(&r, &[Role::FollowUpOwner]))
                .unwrap_or_default();
            slot.insert(held);
        }
        if let Entry::Vacant(slot) = names.entry(t.owner_id) {
            let name = people::get(c, t.owner_id)?
                .map(|p| p.name)
                .unwrap_or_default();
            slot.insert(name);
        }
        let owner = &names[&t.owner_id];
        let overdue = t.due().map_or(0, |d| days_overdue(d, t.status(), today));
        let flag = if overdue > 0 {
            format!("【逾期 {overdue} 天】")
        } else {
            String::new()
        };
        for &follower in &followers[&t.meeting_id] {
            by_owner.entry(follower).or_default().push(format!(
                "#{} {flag}{}（{}，{} 截止）",
                t.id, t.title, owner, t.due_on
            ));
        }
    }
    let mut sent = 0;
    for (person, lines) in by_owner {
        let values = NoticeValues {
            title: "每周待办汇总".into(),
            summary: format!(
                "你跟踪的未完成任务 {} 项：\n{}",
                lines.len(),
                lines.join("\n")
            ),
            ..Default::default()
        };
        sent += send(c, s, job, person, values, now.timestamp_millis())?;
    }
    Ok(sent)
}

fn run_task_job(
    c: &mut DbConn,
    s: &NoticeSettings,
    job: &JobRow,
    item_id: i64,
    now: DateTime<Utc>,
) -> Result<End, DbError> {
    let Some(t) = items::get(c, item_id)? else {
        return Ok(End::Dropped("the action item is gone".into()));
    };
    if t.status().finished() {
        return Ok(End::Dropped(format!("the action item is {}", t.status)));
    }
    // Planned for another due date (the date was changed since): the new plan covers it.
    let planned_for = job
        .dedupe_key
        .rsplit(':')
        .next()
        .and_then(|d| d.parse::<NaiveDate>().ok());
    if planned_for.is_some_and(|d| Some(d) != t.due()) {
        return Ok(End::Dropped("the due date has changed".into()));
    }
    if let Some(morning) = after_quiet_hours(&s.plan, now) {
        return Ok(End::Postponed(morning));
    }
    let now_ms = now.timestamp_millis();
    let today = now.with_timezone(&s.plan.tz).date_naive();
    let due = t.due().unwrap_or(today);
    let overdue = days_overdue(due, t.status(), today);
    let text = |what: String| NoticeValues {
        title: format!("任务 #{} {}", t.id, t.title),
        time: display::day(due),
        summary: what,
        action: format!("发送「进展 {0} 内容」汇报，「完成 {0}」结束。", t.id),
        ..Default::default()
    };
    Ok(End::Done(match job.kind.as_str() {
        plan::TASK_EVE => send(c, s, job, t.owner_id, text("明天截止。".into()), now_ms)?,
        plan::TASK_DUE => send(c, s, job, t.owner_id, text("今天截止。".into()), now_ms)?,
        plan::TASK_OVERDUE => {
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
                dedupe_key: format!(
                    "{}:{item_id}:{}",
                    plan::TASK_OVERDUE,
                    next.timestamp_millis()
                ),
                kind: plan::TASK_OVERDUE,
                meeting_id: Some(t.meeting_id),
                action_item_id: Some(item_id),
                due_at: next.timestamp_millis(),
            };
            jobs::plan(c, &job, now_ms)?;
            n
        }
        plan::TASK_ESCALATION => escalate(c, s, job, &t, overdue, now_ms, text)?,
        other => return Ok(End::Dropped(format!("unknown job kind {other}"))),
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
    let Some(r) = store::get(c, t.meeting_id)? else {
        return Ok(0);
    };
    let owner = people::get(c, t.owner_id)?
        .map(|p| p.name)
        .unwrap_or_default();
    let mut sent = 0;
    for to in holders(&r, &[Role::FollowUpOwner, Role::Host]) {
        let values = text(format!("逾期 {overdue} 天未完成，负责人 {owner}。"));
        sent += send(c, s, job, to, values, now_ms)?;
    }
    Ok(sent)
}
