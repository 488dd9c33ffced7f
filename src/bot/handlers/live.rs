//! Around a running meeting by chat: questions to the host (提问, 匿名提问, 问题, 答复) and
//! help on site (求助, 处理, 已解决).

use super::super::context::{resolve, Ctx, Want};
use super::super::error::BotError;
use super::super::format;
use crate::db::meetings as store;
use crate::db::people::{self, Person};
use crate::db::DbConn;
use crate::meetings::permissions::Duty;
use crate::meetings::window::Window;
use crate::meetings::PersonId;
use crate::meetings::{DomainError, MeetingId};
use crate::meetings::{HelpRequestId, QuestionId};
use crate::ops::live;

/// A text over the limit, refused in words before anything is looked up.
fn short(text: &str) -> Result<(), BotError> {
    let n = text.trim().chars().count();
    if n > live::MAX_TEXT_CHARS {
        return Err(BotError::Live(format!(
            "内容最多 {} 字（现在 {n} 字），请精简后再发。",
            live::MAX_TEXT_CHARS
        )));
    }
    Ok(())
}

fn running(command: &'static str, duty: Option<Duty>) -> Want {
    Want {
        window: Window::Running,
        duty,
        informed_ok: false,
        command,
    }
}

pub fn ask(
    c: &mut DbConn,
    ctx: &Ctx,
    who: &Person,
    id: Option<MeetingId>,
    anonymous: bool,
    text: &str,
) -> Result<String, BotError> {
    short(text)?;
    let command = if anonymous { "匿名提问" } else { "提问" };
    let s = match resolve(c, ctx, who, id, &running(command, None)) {
        Err(BotError::NoMeeting) => return Err(DomainError::QuestionsClosed(None).into()),
        other => other?,
    };
    let asked = live::ask(c, &ctx.env(), Ctx::actor(who), s.id(), anonymous, text)?;
    let whose = if anonymous {
        "（不显示你的名字）"
    } else {
        ""
    };
    Ok(format!(
        "提问 #{} 已发给 #{} 的主持人和记录员{whose}。有答复会发给你。",
        asked.id,
        s.id()
    ))
}

pub fn questions(
    c: &mut DbConn,
    ctx: &Ctx,
    who: &Person,
    id: Option<MeetingId>,
) -> Result<String, BotError> {
    let want = Want {
        window: Window::Minutes,
        duty: Some(Duty::Record),
        informed_ok: false,
        command: "问题",
    };
    let s = resolve(c, ctx, who, id, &want)?;
    let (_, all) = live::questions(c, Ctx::actor(who), s.id())?;
    if all.is_empty() {
        return Ok(format!("#{} 还没有提问。", s.id()));
    }
    let ids: Vec<PersonId> = all
        .iter()
        .filter(|q| !q.anonymous)
        .map(|q| q.asker_id)
        .collect();
    let named = people::by_ids(c, &ids)?;
    let open = all.iter().filter(|q| q.answered_at.is_none()).count();
    let lines: Vec<String> = all
        .iter()
        .map(|q| {
            let asker = if q.anonymous {
                "匿名".to_owned()
            } else {
                named
                    .get(&q.asker_id)
                    .map(|p| p.name.clone())
                    .unwrap_or_default()
            };
            let mark = if q.answered_at.is_some() {
                "已答复"
            } else {
                "未答复"
            };
            format!("#{} 【{mark}】{asker}：{}", q.id, q.body)
        })
        .collect();
    Ok(format::fit(
        &format!("#{} 的提问（{open} 条未答复）：", s.id()),
        &lines,
        "回复「答复 提问号 内容」答复，内容会发给提问人。",
    ))
}

pub fn answer(
    c: &mut DbConn,
    ctx: &Ctx,
    who: &Person,
    question: QuestionId,
    text: &str,
) -> Result<String, BotError> {
    short(text)?;
    let text = Some(text.trim()).filter(|t| !t.is_empty());
    let answered = live::answer(c, &ctx.env(), Ctx::actor(who), question, text)?;
    let told = if answered.told {
        "，答复已发给提问人"
    } else {
        ""
    };
    Ok(format!("已答复提问 #{question}{told}，并记入纪要。"))
}

pub fn ask_help(
    c: &mut DbConn,
    ctx: &Ctx,
    who: &Person,
    id: Option<MeetingId>,
    text: &str,
) -> Result<String, BotError> {
    short(text)?;
    let meeting = match id {
        Some(id) => {
            let want = Want {
                window: Window::Help,
                duty: None,
                informed_ok: true,
                command: "求助",
            };
            resolve(c, ctx, who, Some(id), &want)?.id()
        }
        None => imminent(c, ctx, who)?,
    };
    let asked = live::ask_help(c, &ctx.env(), Ctx::actor(who), meeting, text)?;
    Ok(format!(
        "求助 #{} 已发给 {}，请稍候。",
        asked.id,
        asked.to.join("、")
    ))
}

/// The one meeting of the sender's that runs now or starts within 30 minutes.
fn imminent(c: &mut DbConn, ctx: &Ctx, who: &Person) -> Result<MeetingId, BotError> {
    let now = ctx.now_ms();
    let open: Vec<_> = store::for_person(c, who.id, Window::Help.statuses())?
        .into_iter()
        .filter(|m| live::help_open(m.status, m.starts_at.millis(), now))
        .collect();
    match open.len() {
        0 => Err(DomainError::HelpNotOpen.into()),
        1 => Ok(open[0].id),
        _ => Err(BotError::Ambiguous {
            choices: open
                .into_iter()
                .map(|m| (m.id, format::when(m.starts_at, ctx.tz), m.title))
                .collect(),
            command: "求助",
        }),
    }
}

pub fn take(
    c: &mut DbConn,
    ctx: &Ctx,
    who: &Person,
    help: HelpRequestId,
) -> Result<String, BotError> {
    let taken = live::take_help(c, &ctx.env(), Ctx::actor(who), help)?;
    let asker = people::name(c, taken.asker_id)?;
    Ok(format!(
        "你已接手求助 #{help}「{}」（会议 #{}，求助人 {asker}）。解决后回复「已解决 {help}」。",
        taken.body, taken.meeting_id
    ))
}

pub fn resolved(
    c: &mut DbConn,
    ctx: &Ctx,
    who: &Person,
    help: HelpRequestId,
) -> Result<String, BotError> {
    let done = live::resolve_help(c, &ctx.env(), Ctx::actor(who), help)?;
    let asker = people::name(c, done.asker_id)?;
    Ok(format!("求助 #{help} 已解决，已告知 {asker}。"))
}

pub fn asker(
    c: &mut DbConn,
    ctx: &Ctx,
    who: &Person,
    question: QuestionId,
) -> Result<String, BotError> {
    let (q, asker) = live::asker(c, &ctx.env(), Ctx::actor(who), question)?;
    let how = if q.anonymous {
        "匿名提问"
    } else {
        "提问"
    };
    Ok(format!(
        "{how} #{question}「{}」由 {}（{}）提出。此次查看已记入审计日志。",
        q.body, asker.name, asker.employee_no
    ))
}
