//! 审计: the confidentiality officer reads who read or changed a meeting.

use super::super::context::{resolve, Ctx, Want};
use super::super::error::BotError;
use super::super::format;
use crate::db::people::Person;
use crate::db::DbConn;
use crate::meetings::permissions::Duty;
use crate::meetings::window::Window;
use crate::meetings::MeetingId;

pub fn trail(
    c: &mut DbConn,
    ctx: &Ctx,
    who: &Person,
    id: Option<MeetingId>,
) -> Result<String, BotError> {
    let want = Want {
        window: Window::Always,
        duty: Some(Duty::Oversee),
        informed_ok: false,
        command: "审计",
    };
    let s = resolve(c, ctx, who, id, &want)?;
    // `resolve` records the read of a confidential meeting already.
    let door = (!s.record.meeting.confidential)
        .then(|| crate::meetings::audit_action::AuditAction::chat(want.command));
    let entries = crate::ops::oversight::trail(c, &ctx.env(), Ctx::actor(who), s.id(), door)?;
    let lines: Vec<String> = entries
        .iter()
        .map(|e| {
            format!(
                "{} {} · {} · {}",
                crate::meetings::display::when(e.at, ctx.tz),
                e.who,
                e.door,
                e.what
            )
        })
        .collect();
    Ok(format::fit(
        &format!(
            "#{} {} 审计记录（新的在前，共 {} 条）：",
            s.id(),
            s.title(),
            lines.len()
        ),
        &lines,
        "此次查看已记入审计日志。",
    ))
}
