//! Answering the invitation and checking in.

use super::super::context::{invitation, resolve, Ctx, Seen, Want};
use super::super::error::BotError;
use super::super::format;
use super::info::rsvp_zh;
use crate::db::people::{self, Person};
use crate::db::{participants, DbConn};
use crate::meetings::checkin_code::check_window;
use crate::meetings::lifecycle::MeetingStatus;
use crate::meetings::participation::{Role, Rsvp};
use crate::meetings::permissions::Duty;
use crate::meetings::{DomainError, MeetingId};
use crate::notify::{notices, Notice};

/// Invitations can be answered until the meeting starts.
fn answerable(command: &'static str) -> Want {
    Want {
        statuses: &[MeetingStatus::Scheduled],
        duty: None,
        informed_ok: false,
        command,
    }
}

fn still_open(s: &Seen) -> Result<(), BotError> {
    if s.status != MeetingStatus::Scheduled {
        return Err(DomainError::InvitationClosed(s.status).into());
    }
    Ok(())
}

pub fn rsvp(
    c: &mut DbConn,
    ctx: &Ctx,
    who: &Person,
    id: Option<MeetingId>,
    answer: Rsvp,
    command: &'static str,
) -> Result<String, BotError> {
    let s = resolve(c, ctx, who, id, &answerable(command))?;
    still_open(&s)?;
    invitation(c, &s, who.id)?;
    participants::set_rsvp(c, s.record.meeting.id, who.id, &answer, None, ctx.now_ms())?;
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

pub fn delegate(
    c: &mut DbConn,
    ctx: &Ctx,
    who: &Person,
    id: Option<MeetingId>,
    employee_no: &str,
) -> Result<String, BotError> {
    let s = resolve(c, ctx, who, id, &answerable("委托"))?;
    still_open(&s)?;
    invitation(c, &s, who.id)?;
    let to = people::by_employee_no(c, employee_no)?
        .ok_or_else(|| BotError::PersonNotFound(employee_no.to_owned()))?;
    if to.id == who.id {
        return Err(BotError::DelegateToSelf);
    }
    let meeting_id = s.record.meeting.id;
    participants::add(c, meeting_id, to.id, Role::Attendee)?;
    let reason = format!("委托 {} 参加", to.name);
    participants::set_rsvp(
        c,
        meeting_id,
        who.id,
        &Rsvp::Declined { reason },
        Some(to.id),
        ctx.now_ms(),
    )?;
    notices::queue(
        c,
        &ctx.notices,
        meeting_id,
        &Notice::Delegated {
            by: who.name.clone(),
        },
        &[to.id],
        ctx.now_ms(),
    )?;
    Ok(format!(
        "已委托 {}（{}）代你参加 #{} {}，会议通知已发给 TA。",
        to.name,
        to.employee_no,
        s.id(),
        s.title()
    ))
}

/// Checks `person` in to a meeting open for check-in; `by` is set when someone else did it.
fn check_in(
    c: &mut DbConn,
    ctx: &Ctx,
    s: &Seen,
    person: &Person,
    by: Option<i64>,
) -> Result<String, BotError> {
    if matches!(s.status, MeetingStatus::Ended | MeetingStatus::Closed) {
        return Err(DomainError::CheckinClosed.into());
    }
    if s.status == MeetingStatus::Cancelled {
        return Err(DomainError::InvitationClosed(s.status).into());
    }
    check_window(&s.span, ctx.now)?;
    let meeting_id = s.record.meeting.id;
    let (at, fresh) = participants::check_in(c, meeting_id, person.id, by, ctx.now_ms())?
        .ok_or_else(|| BotError::TargetNotParticipant(person.name.clone()))?;
    let whom = if by.is_some() {
        format!("{} ", person.name)
    } else {
        String::new()
    };
    if !fresh {
        return Ok(format!(
            "{whom}已于 {} 签到过 #{} {}。",
            format::clock(at, ctx.tz),
            s.id(),
            s.title()
        ));
    }
    let late_by = (ctx.now - (s.span.start() + ctx.late_grace)).num_minutes();
    let late = if ctx.now > s.span.start() + ctx.late_grace {
        format!("（迟到 {} 分钟）", late_by.max(1))
    } else {
        String::new()
    };
    Ok(format!(
        "{whom}签到成功{late}：#{} {}，{}。\n发送「议程 {}」查看议程。",
        s.id(),
        s.title(),
        format::clock(at, ctx.tz),
        s.id()
    ))
}

const CHECKIN_STATUSES: &[MeetingStatus] = &[MeetingStatus::Scheduled, MeetingStatus::InProgress];
/// Checking oneself in, by text or by code.
const CHECKIN: Want = Want {
    statuses: CHECKIN_STATUSES,
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
    if !s.record.meeting.text_checkin {
        return Err(DomainError::TextCheckinOff.into());
    }
    check_in(c, ctx, &s, who, None)
}

/// A scanned check-in code: verified, then the meeting it names.
pub fn checkin_code(
    c: &mut DbConn,
    ctx: &Ctx,
    who: &Person,
    code: &str,
) -> Result<String, BotError> {
    let id = ctx.checkin_key.verify(code)?;
    let s = resolve(c, ctx, who, Some(id), &CHECKIN)?;
    check_in(c, ctx, &s, who, None)
}

pub fn checkin_for(
    c: &mut DbConn,
    ctx: &Ctx,
    who: &Person,
    employee_no: &str,
) -> Result<String, BotError> {
    let s = resolve(
        c,
        ctx,
        who,
        None,
        &Want {
            statuses: CHECKIN_STATUSES,
            duty: Some(Duty::CheckInOthers),
            informed_ok: false,
            command: "代签",
        },
    )?;
    let person = people::by_employee_no(c, employee_no)?
        .ok_or_else(|| BotError::PersonNotFound(employee_no.to_owned()))?;
    check_in(c, ctx, &s, &person, Some(who.id))
}
