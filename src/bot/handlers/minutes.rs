//! Minutes by chat: notes, decisions and action items while the meeting runs or after it,
//! publishing, and reading the published minutes.

use super::super::context::{resolve, Ctx, Seen, Want};
use super::super::error::BotError;
use super::super::format;
use super::info::name;
use crate::db::action_items::{self as items, ActionItemFilter, NewActionItem};
use crate::db::meetings::{self as store};
use crate::db::outbox;
use crate::db::people::{self, Person};
use crate::db::{minutes as entries, DbConn};
use crate::meetings::action_items::check_due;
use crate::meetings::lifecycle::MeetingStatus;
use crate::meetings::minutes::{may_write, published, EntryKind};
use crate::meetings::permissions::Duty;
use crate::meetings::MeetingId;
use crate::notify::payload::NoticeValues;
use crate::notify::{notices, scheduler};
use crate::ops::lifecycle;
use chrono::NaiveDate;

fn recording(command: &'static str) -> Want {
    Want {
        statuses: &[MeetingStatus::InProgress, MeetingStatus::Ended],
        duty: Some(Duty::Record),
        informed_ok: false,
        command,
    }
}

fn writable(
    c: &mut DbConn,
    ctx: &Ctx,
    who: &Person,
    command: &'static str,
) -> Result<Seen, BotError> {
    let s = resolve(c, ctx, who, None, &recording(command))?;
    may_write(s.status)?;
    Ok(s)
}

pub fn write(
    c: &mut DbConn,
    ctx: &Ctx,
    who: &Person,
    kind: EntryKind,
    body: &str,
) -> Result<String, BotError> {
    let command = match kind {
        EntryKind::Note => "记录",
        EntryKind::Decision => "决议",
    };
    let s = writable(c, ctx, who, command)?;
    let item = s.current_item();
    entries::append(
        c,
        s.record.meeting.id,
        item.map(|a| a.position),
        kind,
        body,
        who.id,
        ctx.now_ms(),
    )?;
    let place = item.map_or_else(
        || "会议总体".to_owned(),
        |a| format!("第 {} 项「{}」", a.position, a.title),
    );
    let what = match kind {
        EntryKind::Note => "记录",
        EntryKind::Decision => "决议",
    };
    Ok(format!(
        "已记入 #{} {}的{what}。\n可继续发送「记录 …」「决议 …」「任务 …」。",
        s.id(),
        place
    ))
}

/// The owner named by employee number, or by name when only one active person has it.
fn owner(c: &mut DbConn, who: &str) -> Result<Person, BotError> {
    if let Some(p) = people::by_employee_no(c, who)? {
        return Ok(p);
    }
    let mut named = people::by_name(c, who)?;
    match named.len() {
        0 => Err(BotError::PersonNotFound(who.to_owned())),
        1 => Ok(named.remove(0)),
        _ => Err(BotError::AmbiguousName(who.to_owned())),
    }
}

pub fn task(
    c: &mut DbConn,
    ctx: &Ctx,
    who: &Person,
    owner_ref: &str,
    due: NaiveDate,
    title: &str,
) -> Result<String, BotError> {
    let s = writable(c, ctx, who, "任务")?;
    let due = check_due(due, ctx.today())?;
    let owner = owner(c, owner_ref)?;
    let meeting_id = s.record.meeting.id;
    let decision_id = entries::latest_decision(c, meeting_id)?;
    let id = items::insert(
        c,
        &NewActionItem {
            meeting_id,
            decision_id,
            title,
            owner_id: owner.id,
            due_on: due,
            created_by: who.id,
        },
        ctx.now_ms(),
    )?;
    scheduler::plan_task(c, &ctx.notices, id, meeting_id, due, ctx.now)?;
    let values = NoticeValues {
        title: format!("任务 #{id} {title}"),
        time: format::day(due),
        summary: format!("{} 给你布置了任务，{} 截止。", who.name, format::day(due)),
        action: format!("发送「进展 {id} 内容」汇报，「完成 {id}」结束。"),
        ..Default::default()
    };
    let message = notices::message_for(
        &owner,
        &ctx.notices,
        "task_assigned",
        format!("task_assigned:{id}"),
        Some(meeting_id),
        &values,
        None,
    );
    outbox::enqueue(c, &message, ctx.now_ms())?;
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
            statuses: &[MeetingStatus::Ended],
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
            statuses: &[MeetingStatus::Ended, MeetingStatus::Closed],
            duty: None,
            informed_ok: true,
            command: "纪要",
        },
    )?;
    show(c, ctx, who, s)
}

/// The latest published minutes the person may read (menu LATEST_MINUTES).
pub fn latest(c: &mut DbConn, ctx: &Ctx, who: &Person) -> Result<String, BotError> {
    let closed = store::for_person(c, who.id, &[MeetingStatus::Closed])?;
    let Some(last) = closed.iter().max_by_key(|m| m.ends_at) else {
        return Ok("还没有已发布的会议纪要。".into());
    };
    let id = MeetingId::new(last.id)?;
    let s = resolve(
        c,
        ctx,
        who,
        Some(id),
        &Want {
            statuses: &[MeetingStatus::Closed],
            duty: None,
            informed_ok: true,
            command: "纪要",
        },
    )?;
    show(c, ctx, who, s)
}

fn show(c: &mut DbConn, ctx: &Ctx, who: &Person, s: Seen) -> Result<String, BotError> {
    let meeting_id = s.record.meeting.id;
    let is_published = published(s.status);
    if !is_published && s.require(Duty::Record).is_err() {
        return Err(BotError::MinutesNotPublished(s.id()));
    }
    if is_published {
        entries::mark_read(c, meeting_id, who.id, ctx.now_ms())?;
    }
    let all = entries::list(c, meeting_id)?;
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
            let tag = match EntryKind::parse(&e.kind) {
                Some(EntryKind::Decision) => "决议：",
                _ => "· ",
            };
            lines.push(format!("{tag}{}", e.body));
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
                t.due().map(format::day).unwrap_or(t.due_on.clone()),
                t.status().label_zh()
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
