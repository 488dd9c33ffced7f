//! The host runs the meeting: start, next agenda item, end.

use super::super::context::{resolve, Ctx, Seen, Want};
use super::super::error::BotError;
use super::info::name;
use crate::db::meetings::{self as store, AgendaRow};
use crate::db::people::Person;
use crate::db::{participants, DbConn};
use crate::meetings::lifecycle::{Action, MeetingStatus};
use crate::meetings::participation::{attendance, Attendance};
use crate::meetings::permissions::Duty;
use crate::meetings::{DomainError, MeetingId};
use crate::notify::scheduler;

fn running(command: &'static str) -> Want {
    Want {
        statuses: &[MeetingStatus::InProgress],
        duty: Some(Duty::RunMeeting),
        informed_ok: false,
        command,
    }
}

/// Moves the meeting along its lifecycle, refusing if someone else moved it first.
fn step(c: &mut DbConn, ctx: &Ctx, s: &Seen, action: Action) -> Result<(), BotError> {
    let to = s.status.apply(action)?;
    if !store::set_status(c, s.record.meeting.id, s.status, to, None, ctx.now_ms())? {
        return Err(DomainError::IllegalTransition {
            from: s.status,
            action,
        }
        .into());
    }
    Ok(())
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
            statuses: &[MeetingStatus::Scheduled],
            duty: Some(Duty::RunMeeting),
            informed_ok: false,
            command: "开始",
        },
    )?;
    step(c, ctx, &s, Action::Start)?;
    let mut out = format!("会议 #{} {} 已开始。", s.id(), s.title());
    if let Some(first) = s.record.agenda.first() {
        store::set_agenda_times(
            c,
            first.meeting_id,
            first.position,
            Some(ctx.now_ms()),
            None,
        )?;
        scheduler::plan_item(
            c,
            &ctx.notices,
            first.meeting_id,
            first.position,
            first.minutes,
            ctx.now,
        )?;
        out.push_str(&format!("\n当前议程：{}", item_line(c, first)?));
        out.push_str("\n完成后发送「下一项」。");
    } else {
        out.push_str("\n结束时发送「结束」。");
    }
    Ok(out)
}

/// How an item went against its time box, e.g. "用时 17 分钟，超时 2 分钟".
fn timing(a: &AgendaRow, ended_ms: i64) -> String {
    let used = a.started_at.map_or(0, |s| (ended_ms - s).max(0) / 60_000);
    let diff = used - i64::from(a.minutes);
    let verdict = match diff {
        d if d > 0 => format!("超时 {d} 分钟"),
        d if d < 0 => format!("提前 {} 分钟", -d),
        _ => "正好".to_owned(),
    };
    format!("用时 {used} 分钟，{verdict}")
}

pub fn next(c: &mut DbConn, ctx: &Ctx, who: &Person) -> Result<String, BotError> {
    let s = resolve(c, ctx, who, None, &running("下一项"))?;
    let now = ctx.now_ms();
    let mut out = String::new();
    let following = match s.current_item() {
        Some(current) => {
            store::set_agenda_times(c, current.meeting_id, current.position, None, Some(now))?;
            out.push_str(&format!(
                "第 {} 项「{}」结束：{}。",
                current.position,
                current.title,
                timing(current, now)
            ));
            s.record
                .agenda
                .iter()
                .find(|a| a.position > current.position && a.started_at.is_none())
        }
        None => s.record.agenda.iter().find(|a| a.started_at.is_none()),
    };
    match following {
        Some(item) => {
            store::set_agenda_times(c, item.meeting_id, item.position, Some(now), None)?;
            scheduler::plan_item(
                c,
                &ctx.notices,
                item.meeting_id,
                item.position,
                item.minutes,
                ctx.now,
            )?;
            out.push_str(&format!("\n当前议程：{}", item_line(c, item)?));
        }
        None => out.push_str("\n议程已全部完成，发送「结束」结束会议。"),
    }
    Ok(out.trim_start().to_owned())
}

pub fn end(c: &mut DbConn, ctx: &Ctx, who: &Person) -> Result<String, BotError> {
    let s = resolve(c, ctx, who, None, &running("结束"))?;
    step(c, ctx, &s, Action::End)?;
    let now = ctx.now_ms();
    if let Some(current) = s.current_item() {
        store::set_agenda_times(c, current.meeting_id, current.position, None, Some(now))?;
    }
    let (mut on_time, mut late, mut absent, mut declined) = (0, 0, Vec::new(), 0);
    let invited = participants::list(c, s.record.meeting.id)?;
    for p in &invited {
        let checked = p
            .checked_in_at
            .and_then(chrono::DateTime::from_timestamp_millis);
        // The meeting ends now, whatever its planned end.
        match attendance(
            &p.answer(),
            checked,
            s.span.start(),
            ctx.now,
            ctx.late_grace,
            ctx.now,
        ) {
            Attendance::OnTime => on_time += 1,
            Attendance::Late => late += 1,
            Attendance::Absent | Attendance::Expected => absent.push(name(c, p.person_id)?),
            Attendance::NotComing => {
                if p.rsvp == "declined" {
                    declined += 1;
                }
            }
        }
    }
    let mut out = format!(
        "会议 #{} {} 已结束。\n出席 {} 人（迟到 {} 人），请假 {} 人，缺席 {} 人",
        s.id(),
        s.title(),
        on_time + late,
        late,
        declined,
        absent.len()
    );
    if !absent.is_empty() {
        out.push_str(&format!("：{}", absent.join("、")));
    }
    out.push_str(&format!("。\n记录员整理后发送「发布纪要 {}」。", s.id()));
    Ok(out)
}
