//! Minutes by chat: notes, decisions and action items while the meeting runs or after it,
//! publishing, and reading the published minutes.

use super::super::context::{resolve, Ctx, Seen, Want};
use super::super::error::BotError;
use super::super::format;
use super::info::name;
use crate::db::action_items::{self as items, ActionItemFilter};
use crate::db::meetings::{self as store};
use crate::db::people::Person;
use crate::db::DbConn;
use crate::meetings::minutes::EntryKind;
use crate::meetings::permissions::Duty;
use crate::meetings::window::Window;
use crate::meetings::MeetingId;
use crate::ops::{lifecycle, minutes};
use chrono::NaiveDate;

fn recording(command: &'static str) -> Want {
    Want {
        window: Window::Minutes,
        duty: Some(Duty::Record),
        informed_ok: false,
        command,
    }
}

pub fn write(
    c: &mut DbConn,
    ctx: &Ctx,
    who: &Person,
    id: Option<MeetingId>,
    kind: EntryKind,
    body: &str,
) -> Result<String, BotError> {
    let command = match kind {
        EntryKind::Note => "记录",
        EntryKind::Decision => "决议",
    };
    let s = resolve(c, ctx, who, id, &recording(command))?;
    let written = minutes::write(c, &ctx.env(), Ctx::actor(who), s.id(), kind, body, who.id)?;
    let asked = if kind == EntryKind::Decision && written.asked > 0 {
        format!(
            "\n决议 #{} 已请在场 {} 人表态（同意 / 异议）；主持人发送「通过 {}」或「搁置 {}」定论。",
            written.entry, written.asked, written.entry, written.entry
        )
    } else {
        String::new()
    };
    let item = written.item;
    let place = item.map_or_else(
        || "会议总体".to_owned(),
        |a| format!("第 {} 项「{}」", a.position, a.title),
    );
    let what = match kind {
        EntryKind::Note => "记录",
        EntryKind::Decision => "决议",
    };
    Ok(format!(
        "已记入 #{} {}的{what}。{asked}\n可继续发送「记录 …」「决议 …」「任务 …」。",
        s.id(),
        place
    ))
}

/// The owner named by employee number, or by name when only one active person has it.
fn owner(c: &mut DbConn, who: &str) -> Result<Person, BotError> {
    Ok(crate::ops::directory::find_person(c, who)?)
}

pub fn task(
    c: &mut DbConn,
    ctx: &Ctx,
    who: &Person,
    id: Option<MeetingId>,
    owner_ref: &str,
    due: NaiveDate,
    title: &str,
) -> Result<String, BotError> {
    let s = resolve(c, ctx, who, id, &recording("任务"))?;
    let owner = owner(c, owner_ref)?;
    let minutes::Assigned { id, owner, due } = minutes::assign(
        c,
        &ctx.env(),
        Ctx::actor(who),
        s.id(),
        owner.id,
        due,
        title,
        who,
    )?;
    Ok(format!(
        "任务 #{id} 已布置给 {}（{}），截止 {}：{title}",
        owner.name,
        owner.employee_no,
        format::day(due)
    ))
}

pub fn publish(
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
            window: Window::Publishing,
            duty: Some(Duty::Record),
            informed_ok: false,
            command: "发布纪要",
        },
    )?;
    let sent = lifecycle::close(c, &ctx.env(), Ctx::actor(who), s.id())?.notified;
    Ok(format!(
        "会议 #{} {} 的纪要已发布并通知 {sent} 人，此后只读。\n发送「纪要 {}」查看。",
        s.id(),
        s.title(),
        s.id()
    ))
}

/// The minutes of a meeting: published ones for every member (read receipt recorded),
/// the draft for its recorders and host.
pub fn read(
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
            window: Window::Afterwards,
            duty: None,
            informed_ok: true,
            command: "纪要",
        },
    )?;
    show(c, ctx, who, s)
}

/// The latest published minutes the person may read (menu LATEST_MINUTES).
pub fn latest(c: &mut DbConn, ctx: &Ctx, who: &Person) -> Result<String, BotError> {
    let closed = store::for_person(c, who.id, Window::Published.statuses())?;
    let Some(last) = closed.iter().max_by_key(|m| m.ends_at) else {
        return Ok("还没有已发布的会议纪要。".into());
    };
    let id = last.id;
    let s = resolve(
        c,
        ctx,
        who,
        Some(id),
        &Want {
            window: Window::Published,
            duty: None,
            informed_ok: true,
            command: "纪要",
        },
    )?;
    show(c, ctx, who, s)
}

fn show(c: &mut DbConn, ctx: &Ctx, who: &Person, s: Seen) -> Result<String, BotError> {
    let meeting_id = s.record.meeting.id;
    let read = minutes::read(c, &ctx.env(), Ctx::actor(who), s.id())?;
    let (is_published, all) = (read.published, read.entries);
    let mut lines = Vec::new();
    let mut sections: Vec<(Option<i32>, String)> = vec![(None, "【总体】".to_owned())];
    sections.extend(
        s.record
            .agenda
            .iter()
            .map(|a| (Some(a.position), format!("【{}. {}】", a.position, a.title))),
    );
    for (position, heading) in sections {
        let here: Vec<_> = all
            .iter()
            .filter(|e| e.agenda_position == position)
            .collect();
        if here.is_empty() {
            continue;
        }
        lines.push(heading);
        for e in here {
            if e.kind == EntryKind::Decision {
                let standing = crate::ops::consensus::standing(c, Ctx::actor(who), e.clone())?;
                let outcome = standing.outcome.map_or("待定论", |o| o.label_zh());
                let count = super::consensus::count_zh(c, &standing)?;
                lines.push(format!("决议 #{}：{}【{outcome}｜{count}】", e.id, e.body));
            } else {
                lines.push(format!("· {}", e.body));
            }
        }
    }
    let tasks = items::list(
        c,
        &ActionItemFilter {
            meeting_id: Some(meeting_id),
            ..Default::default()
        },
    )?;
    if !tasks.is_empty() {
        lines.push("【任务】".to_owned());
        for t in tasks {
            lines.push(format!(
                "#{} {}（{}，{} 截止，{}）",
                t.id,
                t.title,
                name(c, t.owner_id)?,
                format::day(t.due_on),
                t.status.label_zh()
            ));
        }
    }
    let state = if is_published {
        "纪要"
    } else {
        "纪要（草稿，未发布）"
    };
    if lines.is_empty() {
        return Ok(format!("#{} {} 的{state}还没有内容。", s.id(), s.title()));
    }
    Ok(format::fit(
        &format!("#{} {} {state}：", s.id(), s.title()),
        &lines,
        "",
    ))
}
