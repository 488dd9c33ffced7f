//! Follow-up by chat: my action items, progress, done, and feedback after the meeting.

use super::super::context::{resolve, Ctx, Want};
use super::super::error::BotError;
use super::super::format;
use crate::db::action_items::{self as items, ActionItemFilter};
use crate::db::meetings as store;
use crate::db::people::Person;
use crate::db::{feedback, DbConn};
use crate::meetings::action_items::{days_overdue, TaskStatus};
use crate::meetings::feedback::Rating;
use crate::meetings::lifecycle::MeetingStatus;
use crate::meetings::participation::Role;
use crate::meetings::permissions::{self, Duty};
use crate::meetings::MeetingId;

pub fn mine(c: &mut DbConn, ctx: &Ctx, who: &Person) -> Result<String, BotError> {
    let open = items::list(
        c,
        &ActionItemFilter {
            owner_id: Some(who.id),
            statuses: Some(vec![TaskStatus::Open, TaskStatus::InProgress]),
            ..Default::default()
        },
    )?;
    if open.is_empty() {
        return Ok("你没有未完成的任务。".into());
    }
    let today = ctx.today();
    // Sorted by due date, so overdue items already come first.
    let lines: Vec<String> = open
        .iter()
        .map(|t| {
            let due = t.due();
            let overdue = due.map_or(0, |d| days_overdue(d, t.status(), today));
            let flag = if overdue > 0 {
                format!("【逾期 {overdue} 天】")
            } else {
                String::new()
            };
            format!(
                "#{} {flag}{}（{} 截止，{}）",
                t.id,
                t.title,
                due.map(format::day).unwrap_or(t.due_on.clone()),
                t.status().label_zh()
            )
        })
        .collect();
    Ok(format::fit(
        "你的待办：",
        &lines,
        "发送「进展 任务号 内容」汇报，「完成 任务号」结束。",
    ))
}

fn load(c: &mut DbConn, id: i64) -> Result<items::ActionItemRow, BotError> {
    items::get(c, id)?.ok_or(BotError::TaskNotFound(id))
}

fn move_to(
    c: &mut DbConn,
    ctx: &Ctx,
    t: &items::ActionItemRow,
    to: TaskStatus,
) -> Result<(), BotError> {
    if t.status() != to && !items::set_status(c, t.id, t.status(), to, ctx.now_ms())? {
        // Changed by someone else meanwhile: report the state it is in now.
        let now = load(c, t.id)?.status();
        return Err(crate::meetings::DomainError::TaskFinished(now.as_str()).into());
    }
    Ok(())
}

pub fn progress(
    c: &mut DbConn,
    ctx: &Ctx,
    who: &Person,
    id: i64,
    text: &str,
) -> Result<String, BotError> {
    let t = load(c, id)?;
    if t.owner_id != who.id {
        return Err(BotError::NotTaskOwner);
    }
    let to = t.status().after_progress()?;
    move_to(c, ctx, &t, to)?;
    items::add_progress(c, t.id, who.id, text, ctx.now_ms())?;
    Ok(format!(
        "已记录任务 #{} 的进展，状态：{}。\n完成后发送「完成 {}」。",
        t.id,
        to.label_zh(),
        t.id
    ))
}

pub fn done(c: &mut DbConn, ctx: &Ctx, who: &Person, id: i64) -> Result<String, BotError> {
    let t = load(c, id)?;
    if t.owner_id != who.id {
        let host = store::get(c, t.meeting_id)?.is_some_and(|m| {
            let roles: Vec<Role> = m
                .roles
                .iter()
                .filter(|(p, _)| *p == who.id)
                .filter_map(|(_, r)| Role::parse(r))
                .collect();
            permissions::require(Duty::CloseTask, &roles).is_ok()
        });
        if !host {
            // Someone else's task in a meeting the sender does not host: as if unknown.
            return Err(BotError::Rule(crate::meetings::DomainError::NotAllowed(
                Duty::CloseTask,
            )));
        }
    }
    let to = t.status().complete()?;
    move_to(c, ctx, &t, to)?;
    Ok(format!("任务 #{} {} 已完成。", t.id, t.title))
}

pub fn give_feedback(
    c: &mut DbConn,
    ctx: &Ctx,
    who: &Person,
    id: Option<MeetingId>,
    rating: Rating,
    comment: &str,
) -> Result<String, BotError> {
    let s = resolve(
        c,
        ctx,
        who,
        id,
        &Want {
            statuses: &[MeetingStatus::Ended, MeetingStatus::Closed],
            duty: None,
            informed_ok: false,
            command: "反馈",
        },
    )?;
    if !matches!(s.status, MeetingStatus::Ended | MeetingStatus::Closed) {
        return Err(crate::meetings::DomainError::FeedbackNotOpen.into());
    }
    feedback::upsert(
        c,
        s.record.meeting.id,
        who.id,
        u8::from(rating),
        comment,
        ctx.now_ms(),
    )?;
    Ok(format!(
        "感谢反馈：#{} {}，{} 分。再次发送会覆盖这次的反馈。",
        s.id(),
        s.title(),
        u8::from(rating)
    ))
}
