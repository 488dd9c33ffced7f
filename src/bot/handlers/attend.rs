//! Answering the invitation and checking in.

use super::super::command::Which;
use super::super::context::{resolve, Ctx, Seen, Want};
use super::super::error::BotError;
use super::super::format;
use super::info::rsvp_zh;
use crate::db::people::{self, Person};
use crate::db::DbConn;
use crate::meetings::participation::Rsvp;
use crate::meetings::permissions::Duty;
use crate::meetings::window::Window;
use crate::meetings::MeetingId;
use crate::ops::attendance::{self, CheckinWay};

/// Invitations can be answered until the meeting starts.
fn answerable(command: &'static str) -> Want {
    Want {
        window: Window::Invitation,
        duty: None,
        informed_ok: false,
        command,
    }
}

/// The sender's scheduled meeting on local `day` (of the same series as `id`, when given).
fn on_day(
    c: &mut DbConn,
    ctx: &Ctx,
    who: &Person,
    id: Option<MeetingId>,
    day: chrono::NaiveDate,
) -> Result<MeetingId, BotError> {
    let series = match id {
        Some(id) => crate::ops::series::of_meeting(c, id)?.map(|(s, _)| s.id),
        None => None,
    };
    for m in crate::db::meetings::for_person(c, who.id, Window::Invitation.statuses())? {
        let local = crate::meetings::display::local(m.starts_at, ctx.tz).map(|t| t.date_naive());
        if local != Some(day) {
            continue;
        }
        let in_series = crate::ops::series::of_meeting(c, m.id)?.map(|(s, _)| s.id);
        if series.is_none() || in_series == series {
            return Ok(m.id);
        }
    }
    Err(BotError::Live(format!(
        "你在 {} 没有可以答复的会议。发送「我的会议」查看。",
        crate::meetings::display::day(day)
    )))
}

pub fn rsvp(
    c: &mut DbConn,
    ctx: &Ctx,
    who: &Person,
    id: Option<MeetingId>,
    which: Which,
    answer: Rsvp,
    command: &'static str,
) -> Result<String, BotError> {
    let id = match which {
        Which::On(day) => Some(on_day(c, ctx, who, id, day)?),
        Which::Next | Which::All => id,
    };
    let s = resolve(c, ctx, who, id, &answerable(command))?;
    if which == Which::All {
        let n = crate::ops::series::answer_all(
            c,
            &ctx.env(),
            Ctx::actor(who),
            s.id(),
            who.id,
            &answer,
        )?;
        return Ok(format!(
            "已记录：例会「{}」从 #{} 起的 {n} 次 —— {}；之后新排的例会也按此答复。\n某一次有变化可发送「{command} 月-日」单独答复。",
            s.title(),
            s.id(),
            rsvp_zh(&answer)
        ));
    }
    attendance::answer(c, &ctx.env(), Ctx::actor(who), s.id(), who.id, &answer)?;
    let next = match answer {
        Rsvp::Accepted => format!("会前发送「议程 {}」查看议程。", s.id()),
        Rsvp::Tentative => format!(
            "确定后请发送「确认 {}」或「请假 {} 原因」。",
            s.id(),
            s.id()
        ),
        _ => "如有变化可再发送「确认 id」。".to_owned(),
    };
    Ok(format!(
        "已记录：#{} {} —— {}。\n{next}",
        s.id(),
        s.title(),
        rsvp_zh(&answer)
    ))
}

/// 顺延: the topics the last occurrence never reached join this one's agenda.
pub fn carry(
    c: &mut DbConn,
    ctx: &Ctx,
    who: &Person,
    id: Option<MeetingId>,
) -> Result<String, BotError> {
    let want = Want {
        window: Window::Preparation,
        duty: Some(Duty::EditAgenda),
        informed_ok: false,
        command: "顺延",
    };
    let s = resolve(c, ctx, who, id, &want)?;
    crate::ops::series::carry_topics(c, &ctx.env(), Ctx::actor(who), s.id())?;
    let s = resolve(c, ctx, who, Some(s.id()), &want)?;
    let lines = super::info::agenda_lines(c, &s)?;
    Ok(format::fit(
        &format!("已顺延。#{} {} 议程：", s.id(), s.title()),
        &lines,
        "",
    ))
}

pub fn delegate(
    c: &mut DbConn,
    ctx: &Ctx,
    who: &Person,
    id: Option<MeetingId>,
    colleague: &str,
) -> Result<String, BotError> {
    let s = resolve(c, ctx, who, id, &answerable("委托"))?;
    let to = crate::ops::directory::find_person(c, colleague)?;
    let to = attendance::delegate(c, &ctx.env(), Ctx::actor(who), s.id(), who.id, to.id)?.to;
    Ok(format!(
        "已委托 {}（{}）代你参加 #{} {}，会议通知已发给 TA。",
        to.name,
        to.employee_no,
        s.id(),
        s.title()
    ))
}

/// Checks `person` in and words the outcome; `way` says how presence was shown.
fn check_in(
    c: &mut DbConn,
    ctx: &Ctx,
    s: &Seen,
    who: &Person,
    person: &Person,
    way: CheckinWay,
) -> Result<String, BotError> {
    let done = attendance::check_in(c, &ctx.env(), Ctx::actor(who), s.id(), person.id, way)?;
    let whom = if way == CheckinWay::OnBehalf {
        format!("{} ", person.name)
    } else {
        String::new()
    };
    let at = format::clock(done.at.timestamp_millis(), ctx.tz);
    if !done.fresh {
        return Ok(format!(
            "{whom}已于 {at} 签到过 #{} {}。",
            s.id(),
            s.title()
        ));
    }
    let late = if done.late_minutes > 0 {
        format!("（迟到 {} 分钟）", done.late_minutes)
    } else {
        String::new()
    };
    Ok(format!(
        "{whom}签到成功{late}：#{} {}，{at}。\n发送「议程 {}」查看议程。",
        s.id(),
        s.title(),
        s.id()
    ))
}

/// Checking oneself in, by text or by code.
const CHECKIN: Want = Want {
    window: Window::CheckIn,
    duty: None,
    informed_ok: false,
    command: "签到",
};

/// 签到 by text: only for meetings that allow it.
pub fn checkin_text(
    c: &mut DbConn,
    ctx: &Ctx,
    who: &Person,
    id: Option<MeetingId>,
) -> Result<String, BotError> {
    let s = resolve(c, ctx, who, id, &CHECKIN)?;
    check_in(c, ctx, &s, who, who, CheckinWay::Text)
}

/// A scanned check-in code: verified, then the meeting it names.
pub fn checkin_code(
    c: &mut DbConn,
    ctx: &Ctx,
    who: &Person,
    code: &str,
) -> Result<String, BotError> {
    let verified = ctx.checkin_key.verify(code)?;
    let s = resolve(c, ctx, who, Some(verified.meeting()), &CHECKIN)?;
    check_in(c, ctx, &s, who, who, CheckinWay::Code(verified))
}

pub fn checkin_for(
    c: &mut DbConn,
    ctx: &Ctx,
    who: &Person,
    id: Option<MeetingId>,
    employee_no: &str,
) -> Result<String, BotError> {
    let s = resolve(
        c,
        ctx,
        who,
        id,
        &Want {
            window: Window::CheckIn,
            duty: Some(Duty::CheckInOthers),
            informed_ok: false,
            command: "代签",
        },
    )?;
    let person = people::by_employee_no(c, employee_no)?
        .ok_or_else(|| BotError::PersonNotFound(employee_no.to_owned()))?;
    check_in(c, ctx, &s, who, &person, CheckinWay::OnBehalf)
}
