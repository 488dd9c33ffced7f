//! The host runs the meeting: start, next agenda item, end.

use super::super::context::{resolve, Ctx, Want};
use super::super::error::BotError;
use super::info::name;
use crate::db::meetings::AgendaRow;
use crate::db::people::Person;
use crate::db::DbConn;
use crate::meetings::permissions::Duty;
use crate::meetings::window::Window;
use crate::meetings::MeetingId;
use crate::ops::lifecycle::{self, Finished};

fn running(command: &'static str) -> Want {
    Want {
        window: Window::Running,
        duty: Some(Duty::RunMeeting),
        informed_ok: false,
        command,
    }
}

fn item_line(c: &mut DbConn, a: &AgendaRow) -> Result<String, BotError> {
    let presenter = match a.presenter_id {
        Some(p) => format!("，{}", name(c, p)?),
        None => String::new(),
    };
    Ok(format!(
        "{}. {}（{} 分钟{presenter}）",
        a.position, a.title, a.minutes
    ))
}

pub fn start(
    c: &mut DbConn,
    ctx: &Ctx,
    who: &Person,
    id: Option<MeetingId>,
) -> Result<String, BotError> {
    let s = resolve(
        c,
        ctx,
        who,
        id,
        &Want {
            window: Window::Start,
            duty: Some(Duty::RunMeeting),
            informed_ok: false,
            command: "开始",
        },
    )?;
    let started = lifecycle::start(c, &ctx.env(), Ctx::actor(who), s.id())?;
    let mut out = format!("会议 #{} {} 已开始。", s.id(), s.title());
    match &started.current {
        Some(first) => {
            out.push_str(&format!("\n当前议程：{}", item_line(c, first)?));
            out.push_str("\n完成后发送「下一项」。");
        }
        None => out.push_str("\n结束时发送「结束」。"),
    }
    Ok(out)
}

/// How an item went against its time box, e.g. "用时 17 分钟，超时 2 分钟".
fn timing(f: &Finished) -> String {
    let verdict = match f.overrun_minutes() {
        d if d > 0 => format!("超时 {d} 分钟"),
        d if d < 0 => format!("提前 {} 分钟", -d),
        _ => "正好".to_owned(),
    };
    format!("用时 {} 分钟，{verdict}", f.used_minutes)
}

fn finished_line(f: &Finished) -> String {
    format!(
        "第 {} 项「{}」结束：{}。",
        f.item.position,
        f.item.title,
        timing(f)
    )
}

pub fn next(c: &mut DbConn, ctx: &Ctx, who: &Person) -> Result<String, BotError> {
    let s = resolve(c, ctx, who, None, &running("下一项"))?;
    let step = lifecycle::next_item(c, &ctx.env(), Ctx::actor(who), s.id())?;
    let mut out = step
        .finished
        .as_ref()
        .map(finished_line)
        .unwrap_or_default();
    match &step.current {
        Some(item) => out.push_str(&format!("\n当前议程：{}", item_line(c, item)?)),
        None => out.push_str("\n议程已全部完成，发送「结束」结束会议。"),
    }
    Ok(out.trim_start().to_owned())
}

pub fn end(c: &mut DbConn, ctx: &Ctx, who: &Person) -> Result<String, BotError> {
    let s = resolve(c, ctx, who, None, &running("结束"))?;
    let ended = lifecycle::end(c, &ctx.env(), Ctx::actor(who), s.id())?;
    let t = &ended.turnout;
    let mut out = format!(
        "会议 #{} {} 已结束。\n出席 {} 人（迟到 {} 人），请假 {} 人，缺席 {} 人",
        s.id(),
        s.title(),
        t.tally.present,
        t.tally.late,
        t.tally.excused,
        t.tally.absent
    );
    if !t.absent.is_empty() {
        let names = t
            .absent
            .iter()
            .map(|&p| name(c, p))
            .collect::<Result<Vec<_>, _>>()?;
        out.push_str(&format!("：{}", names.join("、")));
    }
    out.push_str(&format!("。\n记录员整理后发送「发布纪要 {}」。", s.id()));
    Ok(out)
}
