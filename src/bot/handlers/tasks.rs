//! Follow-up by chat: my action items, progress, done, and feedback after the meeting.

use super::super::context::{resolve, Ctx, Want};
use super::super::error::BotError;
use super::super::format;
use crate::db::action_items::{self as items, ActionItemFilter};
use crate::db::people::Person;
use crate::db::DbConn;
use crate::meetings::action_items::{days_overdue, TaskStatus};
use crate::meetings::feedback::Rating;
use crate::meetings::window::Window;
use crate::meetings::ActionItemId;
use crate::meetings::MeetingId;
use crate::ops::{feedback, tasks};

pub fn mine(c: &mut DbConn, ctx: &Ctx, who: &Person) -> Result<String, BotError> {
    let open = items::list(
        c,
        &ActionItemFilter {
            owner_id: Some(who.id),
            statuses: Some(TaskStatus::UNFINISHED.to_vec()),
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
            let overdue = days_overdue(t.due_on, t.status, today);
            let flag = if overdue > 0 {
                format!("【逾期 {overdue} 天】")
            } else {
                String::new()
            };
            format!(
                "#{} {flag}{}（{} 截止，{}）",
                t.id,
                t.title,
                format::day(t.due_on),
                t.status.label_zh()
            )
        })
        .collect();
    Ok(format::fit(
        "你的待办：",
        &lines,
        "发送「进展 任务号 内容」汇报，「完成 任务号」结束。",
    ))
}

pub fn progress(
    c: &mut DbConn,
    ctx: &Ctx,
    who: &Person,
    id: ActionItemId,
    text: &str,
) -> Result<String, BotError> {
    let done = tasks::progress(c, &ctx.env(), Ctx::actor(who), id, text)?;
    Ok(format!(
        "已记录任务 #{} 的进展，状态：{}。\n完成后发送「完成 {}」。",
        done.item.id,
        done.status.label_zh(),
        done.item.id
    ))
}

pub fn done(c: &mut DbConn, ctx: &Ctx, who: &Person, id: ActionItemId) -> Result<String, BotError> {
    let t = tasks::done(c, &ctx.env(), Ctx::actor(who), id)?;
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
            window: Window::Afterwards,
            duty: None,
            informed_ok: false,
            command: "反馈",
        },
    )?;
    feedback::give(c, &ctx.env(), who, s.id(), rating, comment)?;
    Ok(format!(
        "感谢反馈：#{} {}，{} 分。再次发送会覆盖这次的反馈。",
        s.id(),
        s.title(),
        u8::from(rating)
    ))
}
