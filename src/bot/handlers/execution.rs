//! The execution plan of a decision: milestones (里程碑, 达成) and the plan (计划).

use super::super::context::Ctx;
use super::super::error::BotError;
use super::super::format;
use crate::db::people::Person;
use crate::db::DbConn;
use crate::meetings::EntryId;
use crate::meetings::{ActionItemId, MilestoneId};
use crate::ops::execution;
use chrono::NaiveDate;

pub fn add(
    c: &mut DbConn,
    ctx: &Ctx,
    who: &Person,
    task: ActionItemId,
    due: NaiveDate,
    title: &str,
) -> Result<String, BotError> {
    let m = execution::add_milestone(c, &ctx.env(), Ctx::actor(who), task, due, title)?;
    Ok(format!(
        "已为任务 #{task} 加上里程碑 #{}「{}」，{} 到期；到期前后会提醒负责人。",
        m.id,
        m.title,
        format::day(m.due)
    ))
}

pub fn reach(
    c: &mut DbConn,
    ctx: &Ctx,
    who: &Person,
    milestone: MilestoneId,
) -> Result<String, BotError> {
    let m = execution::tick_milestone(c, &ctx.env(), Ctx::actor(who), milestone)?;
    Ok(format!("里程碑 #{}「{}」已达成。", m.id, m.title))
}

pub fn plan(
    c: &mut DbConn,
    ctx: &Ctx,
    who: &Person,
    decision: EntryId,
) -> Result<String, BotError> {
    let p = execution::plan(c, &ctx.env(), Ctx::actor(who), decision)?;
    let mut lines = Vec::new();
    for i in &p.items {
        let flag = if i.overdue_days > 0 {
            format!("【逾期 {} 天】", i.overdue_days)
        } else {
            String::new()
        };
        lines.push(format!(
            "任务 #{} {flag}{}（{}，{} 截止，{}）",
            i.task.id,
            i.task.title,
            i.owner,
            i.task.due_on,
            i.task.status.label_zh()
        ));
        for m in &i.milestones {
            let state = if m.done_at.is_some() {
                "已达成"
            } else {
                "未达成"
            };
            lines.push(format!(
                "  · 里程碑 #{} {}（{}，{state}）",
                m.id,
                m.title,
                format::day(m.due)
            ));
        }
    }
    if lines.is_empty() {
        lines.push("还没有任务关联这项决议：会上发送「任务 工号 截止 内容」布置。".to_owned());
    }
    Ok(format::fit(
        &format!(
            "决议 #{decision}「{}」执行计划：完成 {}/{}，逾期 {} 项",
            p.decision.body, p.done, p.total, p.overdue
        ),
        &lines,
        "",
    ))
}
