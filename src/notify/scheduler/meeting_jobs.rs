//! A meeting's jobs: reminders, the RSVP chaser, the attendance summary, missing check-ins,
//! time control, the minutes reminder, the feedback request and report.

use super::send::{facts, send, send_each};
use super::End;
use crate::db::jobs::JobRow;
use crate::db::meetings as store;
use crate::db::{participants, people, DbConn, DbError};
use crate::meetings::job::Job;
use crate::meetings::lifecycle::MeetingStatus;
use crate::meetings::participation::{Role, Rsvp};
use crate::meetings::window::Window;
use crate::outbox::notices::NoticeSettings;
use crate::outbox::payload::NoticeValues;
use crate::outbox::plan::after_quiet_hours;
use chrono::{DateTime, Duration, Utc};

pub(super) fn run(
    c: &mut DbConn,
    s: &NoticeSettings,
    job: &JobRow,
    now: DateTime<Utc>,
) -> Result<End, DbError> {
    let id = job.meeting_id.ok_or_else(|| {
        DbError::Corrupt(format!(
            "job {} is a meeting's but names no meeting",
            job.id
        ))
    })?;
    let r = store::referenced(c, id)?;
    let m = &r.meeting;
    let status = m.status;
    let start = m.starts_at.utc();
    let now_ms = now.timestamp_millis();
    let before_start = matches!(
        job.job,
        Job::Reminder | Job::ReminderFirst | Job::RsvpChase | Job::Summary | Job::Readiness
    );
    if before_start && (status != MeetingStatus::Scheduled || now >= start) {
        // After downtime: a reminder for a meeting already under way helps no one.
        return Ok(End::Dropped(format!(
            "no longer useful: the meeting is {status}"
        )));
    }
    // Quiet hours hold what can wait; a meeting within the hour cannot.
    let can_wait = matches!(
        job.job,
        Job::ReminderFirst
            | Job::RsvpChase
            | Job::MinutesDue
            | Job::ReadDigest
            | Job::FeedbackRequest
            | Job::FeedbackReport
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
    let reads = crate::db::materials::reads(c, m.id)?;
    let mut sent = 0;
    match job.job {
        Job::Reminder | Job::ReminderFirst => {
            for p in invited
                .iter()
                .filter(|p| !matches!(p.rsvp, Rsvp::Declined { .. }))
            {
                let mut lines = vec![format!("会议提醒：{} {}", base.title, base.time)];
                if job.job == Job::ReminderFirst && !m.confidential {
                    if !m.briefing.is_empty() {
                        lines.push(format!("会前须知：{}", m.briefing));
                    }
                    for material in &materials {
                        let url = s.material_url(material, p.person_id, now);
                        lines.push(format!("材料：{} {url}", material.title));
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
                if job.job == Job::Reminder && !m.confidential {
                    // The last reminder asks for the materials not opened yet.
                    for material in materials
                        .iter()
                        .filter(|mt| !reads.contains(&(mt.id, p.person_id)))
                    {
                        let url = s.material_url(material, p.person_id, now);
                        lines.push(format!("你还没有查看会前材料「{}」：{url}", material.title));
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
        Job::RsvpChase => {
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
        Job::Summary => {
            let (mut yes, mut maybe, mut no, mut silent) = (0, 0, Vec::new(), Vec::new());
            let names = names_of(c, invited.iter().map(|p| p.person_id))?;
            for p in &invited {
                let name = names[&p.person_id].clone();
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
            let to = r.holders(&[Role::Host, Role::Organizer]);
            sent += send_each(c, s, job, &to, &base, &summary, now_ms)?;
        }
        Job::Readiness => {
            let items = crate::db::checklist::for_meeting(c, m.id)?;
            if items.is_empty() {
                return Ok(End::Dropped("the meeting has no checklist".into()));
            }
            let done = items.iter().filter(|i| i.done_at.is_some()).count();
            let mut open = Vec::new();
            let names = names_of(c, items.iter().map(|i| i.owner_id))?;
            for item in items.iter().filter(|i| i.done_at.is_none()) {
                let owner = &names[&item.owner_id];
                open.push(format!("{}（{owner}）", item.title));
            }
            let summary = if open.is_empty() {
                format!("筹备清单 {done}/{} 已全部完成。", items.len())
            } else {
                format!(
                    "筹备清单 {done}/{} 已完成；未完成：{}",
                    items.len(),
                    open.join("、")
                )
            };
            let to = r.holders(&[Role::Host, Role::Organizer]);
            sent += send_each(c, s, job, &to, &base, &summary, now_ms)?;
        }
        Job::ReadDigest => {
            let reads: Vec<_> = crate::db::audit::trail(c, m.id, 1000)?
                .into_iter()
                .filter(|e| e.read)
                .collect();
            let mut counted: Vec<(String, &str, usize)> = Vec::new();
            for e in &reads {
                match counted
                    .iter_mut()
                    .find(|(who, door, _)| *who == e.who && *door == e.door)
                {
                    Some(entry) => entry.2 += 1,
                    None => counted.push((e.who.clone(), e.door, 1)),
                }
            }
            let lines: Vec<String> = counted
                .iter()
                .map(|(who, door, n)| format!("{who}（{door}）{n} 次"))
                .collect();
            let summary = if lines.is_empty() {
                "保密会议阅读记录：会后无人查看。".to_owned()
            } else {
                format!(
                    "保密会议阅读记录（共 {} 次）：{}。发送「审计 {}」看明细。",
                    reads.len(),
                    lines.join("；"),
                    m.id
                )
            };
            let to = r.holders(&[Role::ConfidentialityOfficer]);
            sent += send_each(c, s, job, &to, &base, &summary, now_ms)?;
        }
        Job::LateStart => {
            if status != MeetingStatus::Scheduled {
                return Ok(End::Dropped(format!("the meeting is {status}")));
            }
            let late = (now_ms - m.starts_at.millis()).max(0) / 60_000;
            let summary = format!(
                "会议未准时开始：计划 {}，已过 {late} 分钟。开始时请发送「开始 {}」（实际开始时间会被记录）。",
                crate::meetings::display::clock(m.starts_at, s.tz),
                m.id
            );
            let to = r.holders(&[Role::Host, Role::Organizer]);
            sent += send_each(c, s, job, &to, &base, &summary, now_ms)?;
        }
        Job::CheckinMissing => {
            if !Window::CheckIn.admits(status) {
                return Ok(End::Dropped(format!("the meeting is {status}")));
            }
            let mut missing = Vec::new();
            let names = names_of(c, invited.iter().map(|p| p.person_id))?;
            for p in invited
                .iter()
                .filter(|p| p.rsvp == Rsvp::Accepted && p.checked_in_at.is_none())
            {
                missing.push(names[&p.person_id].clone());
            }
            if missing.is_empty() {
                return Ok(End::Done(0));
            }
            let summary = format!(
                "已确认但未签到（{} 人）：{}",
                missing.len(),
                missing.join("、")
            );
            let to = r.holders(&[Role::Host]);
            sent += send_each(c, s, job, &to, &base, &summary, now_ms)?;
        }
        Job::MinutesDue => {
            if status != MeetingStatus::Ended {
                return Ok(End::Dropped(format!("the meeting is {status}")));
            }
            let mut to = r.holders(&[Role::Recorder]);
            if to.is_empty() {
                to = r.holders(&[Role::Host]);
            }
            let summary = format!("会议纪要尚未发布，请整理后发送「发布纪要 {}」。", m.id);
            sent += send_each(c, s, job, &to, &base, &summary, now_ms)?;
        }
        Job::ItemTimebox { position } | Job::ItemOverrun { position } => {
            let running = r.agenda.iter().find(|a| {
                a.position == position
                    && status == MeetingStatus::InProgress
                    && a.ended_at.is_none()
            });
            let Some((item, started)) = running.and_then(|a| a.started_at.map(|s| (a, s))) else {
                return Ok(End::Dropped("the item is no longer running".into()));
            };
            // The host may have extended the item since this was planned: wait for its end.
            let margin = match job.job {
                Job::ItemOverrun { .. } => s.plan.overrun_margin,
                _ => chrono::Duration::zero(),
            };
            let due = started
                .utc()
                .checked_add_signed(chrono::Duration::minutes(i64::from(item.minutes)) + margin)
                .ok_or_else(|| {
                    DbError::Corrupt(format!("agenda item {position} started at {started:?}"))
                })?;
            if due > now {
                return Ok(End::Postponed(due));
            }
            let used = (now - started.utc()).num_minutes();
            let summary = if matches!(job.job, Job::ItemTimebox { .. }) {
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
            let to = r.holders(&[Role::Host]);
            sent += send_each(c, s, job, &to, &base, &summary, now_ms)?;
        }
        Job::MeetingOvertime => {
            if status != MeetingStatus::InProgress {
                return Ok(End::Dropped(format!("the meeting is {status}")));
            }
            let to = r.holders(&[Role::Host]);
            let summary = "会议已超过计划结束时间。结束时发送「结束」。";
            sent += send_each(c, s, job, &to, &base, summary, now_ms)?;
        }
        Job::FeedbackRequest => match status {
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
        Job::FeedbackReport => {
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
                "反馈汇总：{} 份，平均 {} 分；{}",
                sum.count,
                sum.average.map_or("—".to_owned(), |a| format!("{a:.1}")),
                sum.distribution_zh()
            );
            for (_, comment) in answers.iter().filter(|(_, c)| !c.is_empty()) {
                summary.push_str(&format!("\n· {comment}"));
            }
            let to = r.holders(&[Role::Host, Role::FeedbackOwner]);
            sent += send_each(c, s, job, &to, &base, &summary, now_ms)?;
        }
        other => {
            return Ok(End::Dropped(format!(
                "{} is not a meeting's job",
                other.name()
            )))
        }
    }
    Ok(End::Done(sent))
}

/// The names of `people`, in one query; every one is there (`people::by_ids` refuses a
/// reference to nobody), so looking one up cannot miss.
fn names_of(
    c: &mut DbConn,
    people: impl Iterator<Item = crate::meetings::PersonId>,
) -> Result<std::collections::HashMap<crate::meetings::PersonId, String>, DbError> {
    let ids: Vec<crate::meetings::PersonId> = people.collect();
    Ok(people::by_ids(c, &ids)?
        .into_iter()
        .map(|(id, p)| (id, p.name))
        .collect())
}
