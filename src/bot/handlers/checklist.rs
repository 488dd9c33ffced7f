//! The preparation checklist by chat: `清单` lists the sender's open items, `完成清单 <号>`
//! ticks one off, and `材料 <标题> <链接>` brings a presenter's material (ticking their item).

use super::super::context::Ctx;
use super::super::context::{resolve, Want};
use super::super::error::BotError;
use super::super::format;
use crate::db::people::Person;
use crate::db::DbConn;
use crate::meetings::material::Material;
use crate::meetings::window::Window;
use crate::meetings::ChecklistItemId;
use crate::meetings::MeetingId;
use crate::ops::{checklist, preparation};

pub fn mine(c: &mut DbConn, ctx: &Ctx, who: &Person) -> Result<String, BotError> {
    let items = checklist::mine(c, who.id)?;
    if items.is_empty() {
        return Ok("你的筹备清单都完成了。".into());
    }
    let now = ctx.now_ms();
    let lines: Vec<String> = items
        .iter()
        .map(|(item, m)| {
            let late = if item.due_at.millis() < now {
                "【已逾期】"
            } else {
                ""
            };
            let title = if m.confidential {
                "保密会议"
            } else {
                m.title.as_str()
            };
            format!(
                "#{} {late}{}（会议 #{} {}，{} 前）",
                item.id,
                item.title,
                m.id,
                title,
                format::when(item.due_at, ctx.tz)
            )
        })
        .collect();
    Ok(format::fit(
        &format!("你的筹备清单（{} 项未完成）：", items.len()),
        &lines,
        "完成后回复「完成清单 清单号」。",
    ))
}

pub fn tick(
    c: &mut DbConn,
    ctx: &Ctx,
    who: &Person,
    item: ChecklistItemId,
) -> Result<String, BotError> {
    let done = checklist::tick(c, &ctx.env(), Ctx::actor(who), item)?;
    let (finished, total) = checklist::readiness(c, Ctx::actor(who), done.meeting_id)?;
    Ok(format!(
        "已完成清单项 #{item}「{}」。会议 #{} 筹备进度 {finished}/{total}。",
        done.title, done.meeting_id
    ))
}

pub fn material(
    c: &mut DbConn,
    ctx: &Ctx,
    who: &Person,
    id: Option<MeetingId>,
    title: &str,
    url: &str,
) -> Result<String, BotError> {
    let Ok(material) = Material::parse(title, url) else {
        return Err(BotError::Live(
            "材料要有标题（200 字以内）和以 http:// 或 https:// 开头的链接，例如：材料 #12 预算表 https://docs.example.com/budget".into(),
        ));
    };
    let want = Want {
        window: Window::Preparation,
        duty: None,
        informed_ok: false,
        command: "材料",
    };
    let s = resolve(c, ctx, who, id, &want)?;
    preparation::add_material(c, &ctx.env(), Ctx::actor(who), s.id(), &material)?;
    let (done, total) = checklist::readiness(c, Ctx::actor(who), s.id())?;
    Ok(format!(
        "已为 #{} 添加材料「{}」，参会人会收到通知。筹备进度 {done}/{total}。",
        s.id(),
        material.title()
    ))
}
