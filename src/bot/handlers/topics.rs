//! 议题: proposing topics for a meeting's agenda, and deciding them (采纳 / 不采纳).

use super::super::context::{resolve, Ctx, Want};
use super::super::error::BotError;
use super::super::format;
use crate::db::people::Person;
use crate::db::DbConn;
use crate::meetings::topics::TopicStatus;
use crate::meetings::window::Window;
use crate::meetings::MeetingId;
use crate::meetings::TopicId;

/// `议题 [#id] <内容>` proposes; without text it lists the meeting's topics.
pub fn topic(
    c: &mut DbConn,
    ctx: &Ctx,
    who: &Person,
    id: Option<MeetingId>,
    text: &str,
) -> Result<String, BotError> {
    let want = Want {
        window: Window::Preparation,
        duty: None,
        informed_ok: false,
        command: "议题",
    };
    let s = resolve(c, ctx, who, id, &want)?;
    if text.trim().is_empty() {
        let lines: Vec<String> = crate::ops::topics::list(c, Ctx::actor(who), s.id())?
            .into_iter()
            .map(|(t, by)| {
                let by = by.map(|p| p.name).unwrap_or_default();
                let how = match t.status {
                    TopicStatus::Accepted => {
                        format!("已采纳，{} 分钟", t.minutes.unwrap_or_default())
                    }
                    TopicStatus::Declined => {
                        format!("未采纳：{}", t.reason.unwrap_or_default())
                    }
                    TopicStatus::Proposed => "待定".to_owned(),
                };
                format!("#{} 「{}」{by}（{how}）", t.id, t.body)
            })
            .collect();
        if lines.is_empty() {
            return Ok(format!(
                "#{} {} 还没有议题。发送「议题 #{} 内容」提议。",
                s.id(),
                s.title(),
                s.id()
            ));
        }
        return Ok(format::fit(
            &format!("#{} {} 的议题：", s.id(), s.title()),
            &lines,
            "",
        ));
    }
    let proposed =
        crate::ops::topics::propose(c, &ctx.env(), Ctx::actor(who), s.id(), who.id, text)?;
    Ok(format!(
        "已提交议题 #{}「{}」给 #{} {} 的议程组（{} 人），结果会通知你。",
        proposed.topic.id,
        proposed.topic.body,
        s.id(),
        s.title(),
        proposed.told
    ))
}

pub fn accept(
    c: &mut DbConn,
    ctx: &Ctx,
    who: &Person,
    topic: TopicId,
    minutes: u32,
) -> Result<String, BotError> {
    let (t, agenda) = crate::ops::topics::accept(c, &ctx.env(), Ctx::actor(who), topic, minutes)?;
    let total: i32 = agenda.iter().map(|a| a.minutes).sum();
    Ok(format!(
        "已采纳议题 #{}「{}」：列入 #{} 议程第 {} 项，{minutes} 分钟（议程共 {total} 分钟）。已通知提议人。",
        t.id,
        t.body,
        t.meeting_id,
        agenda.len()
    ))
}

pub fn decline(
    c: &mut DbConn,
    ctx: &Ctx,
    who: &Person,
    topic: TopicId,
    reason: &str,
) -> Result<String, BotError> {
    let t = crate::ops::topics::decline(c, &ctx.env(), Ctx::actor(who), topic, reason)?;
    Ok(format!(
        "已不采纳议题 #{}「{}」，理由已告知提议人。",
        t.id, t.body
    ))
}
