//! Around a running meeting: questions put to the host (提问, anonymous or not) and help on
//! site (求助). Each is sent at once to those who handle it; the answer or the resolution goes
//! back to the person who asked. Anonymous questions keep their asker only for that and for
//! the audit log (`ask_question` names the person; chat and pages never do).

use super::subject::Subject;
use super::{Actor, Env, OpsError};
use crate::db::meetings::MeetingRecord;
use crate::db::people::{self, Person};
use crate::db::questions::{self as store, HelpRow, NewQuestion, QuestionRow};
use crate::db::{minutes as entries, outbox, DbConn};
use crate::meetings::audit_action::Audit;
use crate::meetings::checkin_code::opens_before;
use crate::meetings::directory::FieldError;
use crate::meetings::display;
use crate::meetings::lifecycle::MeetingStatus;
use crate::meetings::minutes::EntryKind;
use crate::meetings::notice_kind::NoticeKind;
use crate::meetings::participation::Role;
use crate::meetings::permissions::{self, Duty};
use crate::meetings::PersonId;
use crate::meetings::{DomainError, MeetingId};
use crate::meetings::{HelpRequestId, QuestionId};
use crate::outbox::notices;
use crate::outbox::payload::NoticeValues;

/// Questions, answers and help texts are short: a longer one is refused, not cut.
pub const MAX_TEXT_CHARS: usize = 500;

fn checked(text: &str, field: &'static str) -> Result<String, OpsError> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > MAX_TEXT_CHARS {
        return Err(OpsError::Invalid(vec![FieldError {
            field,
            message: format!("must be 1 to {MAX_TEXT_CHARS} characters"),
        }]));
    }
    Ok(text.to_owned())
}

/// The person acting (the admin token is no one to answer to).
fn person(c: &mut DbConn, actor: Actor) -> Result<Person, OpsError> {
    let id = actor
        .person()
        .ok_or(DomainError::NotAllowed(Duty::Administer))?;
    people::get(c, id)?.ok_or(OpsError::PersonNotFound)
}

/// What a message about a meeting's business says: the meeting, unnamed when confidential,
/// its time and place.
pub(super) fn values(
    c: &mut DbConn,
    env: &Env,
    r: &MeetingRecord,
    summary: String,
    action: String,
    place_needed: bool,
) -> Result<NoticeValues, OpsError> {
    let m = &r.meeting;
    Ok(NoticeValues {
        title: if m.confidential {
            "保密会议".to_owned()
        } else {
            m.title.clone()
        },
        time: display::span(m.starts_at, m.ends_at, env.notices.tz),
        place: if m.confidential && !place_needed {
            String::new()
        } else {
            crate::db::meetings::place_description(c, m)?
        },
        host: String::new(),
        summary,
        action,
    })
}

/// Sends one message to each of `to` (person ids), deduplicated by `key` per person.
pub(super) fn send(
    c: &mut DbConn,
    env: &Env,
    meeting: MeetingId,
    kind: NoticeKind,
    key: &str,
    to: &[PersonId],
    values: &NoticeValues,
) -> Result<usize, OpsError> {
    let mut sent = 0;
    for &id in to {
        let Some(person) = people::get(c, id)? else {
            continue;
        };
        let message = notices::message_for(
            &person,
            &env.notices,
            kind,
            format!("{key}:{id}"),
            Some(meeting),
            values,
            None,
        );
        if outbox::enqueue(c, &message, env.now_ms())? {
            sent += 1;
        }
    }
    Ok(sent)
}

pub struct Asked {
    pub id: QuestionId,
    /// How many of the host and recorders were sent it.
    pub told: usize,
}

/// A participant's question to a running meeting's host and recorders.
pub fn ask(
    c: &mut DbConn,
    env: &Env,
    actor: Actor,
    id: MeetingId,
    anonymous: bool,
    text: &str,
) -> Result<Asked, OpsError> {
    let s = Subject::load(c, id)?;
    let who = person(c, actor)?;
    if !s.record.roles_of(who.id).iter().any(|r| r.participates()) {
        return Err(OpsError::NotInvited(who.name));
    }
    if !crate::meetings::window::Window::Running.admits(s.status) {
        return Err(DomainError::QuestionsClosed(Some(s.status)).into());
    }
    let text = checked(text, "text")?;
    let position = s.current_item().map(|a| a.position);
    let question = store::ask(
        c,
        &NewQuestion {
            meeting_id: s.id(),
            asker_id: who.id,
            anonymous,
            body: &text,
            agenda_position: position,
        },
        env.now_ms(),
    )?;
    let asker = if anonymous {
        "匿名".to_owned()
    } else {
        who.name.clone()
    };
    let values = values(
        c,
        env,
        &s.record,
        format!("提问 #{question}（{asker}）：{text}"),
        format!("回复「答复 {question} 内容」答复提问人，「问题」查看全部提问。"),
        false,
    )?;
    let to = s.record.holders(&[Role::Host, Role::Recorder]);
    let told = send(
        c,
        env,
        s.id(),
        NoticeKind::Question,
        &format!("question:{question}"),
        &to,
        &values,
    )?;
    s.audit(c, env, actor, Audit::AskQuestion)?;
    Ok(Asked { id: question, told })
}

/// A meeting's questions, oldest first, for its host and recorders.
pub fn questions(
    c: &mut DbConn,
    actor: Actor,
    id: MeetingId,
) -> Result<(MeetingRecord, Vec<QuestionRow>), OpsError> {
    let s = Subject::load(c, id)?;
    s.require(actor, Duty::Record)?;
    let all = store::questions(c, s.id())?;
    Ok((s.record, all))
}

pub struct Answered {
    pub question: QuestionRow,
    /// Whether the answer went back to the asker (only a written answer does).
    pub told: bool,
}

/// Marks a question answered; a written answer goes back to the asker, and the question with
/// its answer goes into the minutes under the agenda item it was asked in.
pub fn answer(
    c: &mut DbConn,
    env: &Env,
    actor: Actor,
    question_id: QuestionId,
    text: Option<&str>,
) -> Result<Answered, OpsError> {
    let question =
        store::question(c, question_id)?.ok_or(OpsError::QuestionNotFound(question_id))?;
    let s = Subject::load(c, question.meeting_id)?;
    // Someone else's meeting's question reads as an unknown one: its number tells nothing.
    s.require(actor, Duty::Record)
        .map_err(|_| OpsError::QuestionNotFound(question_id))?;
    if !s.status.minutes_writable() {
        return Err(DomainError::QuestionsClosed(Some(s.status)).into());
    }
    let answer = text.map(|t| checked(t, "answer")).transpose()?;
    let by = person(c, actor)?;
    if !store::answer(c, question_id, by.id, answer.as_deref(), env.now_ms())? {
        return Err(OpsError::AlreadyAnswered(question_id));
    }
    let asker = if question.anonymous {
        "匿名提问".to_owned()
    } else {
        let name = people::name(c, question.asker_id)?;
        format!("{name} 提问")
    };
    let entry = match &answer {
        Some(a) => format!("问答：{asker}「{}」；{} 答复：{a}", question.body, by.name),
        None => format!(
            "问答：{asker}「{}」；已当场答复（{}）",
            question.body, by.name
        ),
    };
    entries::append(
        c,
        s.id(),
        question.agenda_position,
        EntryKind::Note,
        &entry,
        by.id,
        env.now_ms(),
    )?;
    let told = match &answer {
        Some(a) => {
            let values = values(
                c,
                env,
                &s.record,
                format!("你的提问 #{question_id}「{}」有答复：{a}", question.body),
                String::new(),
                false,
            )?;
            send(
                c,
                env,
                s.id(),
                NoticeKind::QuestionAnswered,
                &format!("answer:{question_id}"),
                &[question.asker_id],
                &values,
            )? > 0
        }
        None => false,
    };
    s.audit(c, env, actor, Audit::AnswerQuestion)?;
    let question =
        store::question(c, question_id)?.ok_or(OpsError::QuestionNotFound(question_id))?;
    Ok(Answered { question, told })
}

/// Whether help may be asked now: the meeting runs, or starts within 30 minutes.
pub fn help_open(status: MeetingStatus, starts_at_ms: i64, now_ms: i64) -> bool {
    crate::meetings::window::Window::Help.admits(status)
        && (status != MeetingStatus::Scheduled
            || now_ms >= starts_at_ms - opens_before().num_milliseconds())
}

pub struct HelpAsked {
    pub id: HelpRequestId,
    /// Who was sent it: IT support and organizers, or the hosts when it has neither.
    pub to: Vec<String>,
}

/// Help asked on site: IT support and organizers are messaged at once.
pub fn ask_help(
    c: &mut DbConn,
    env: &Env,
    actor: Actor,
    id: MeetingId,
    text: &str,
) -> Result<HelpAsked, OpsError> {
    let s = Subject::load(c, id)?;
    let who = person(c, actor)?;
    if s.record.roles_of(who.id).is_empty() {
        return Err(OpsError::NotInvited(who.name));
    }
    if !help_open(s.status, s.record.meeting.starts_at.millis(), env.now_ms()) {
        return Err(DomainError::HelpNotOpen.into());
    }
    let text = checked(text, "text")?;
    let help = store::ask_help(c, s.id(), who.id, &text, env.now_ms())?;
    let mut to = s.record.holders(&[Role::ItSupport, Role::Organizer]);
    if to.is_empty() {
        to = s.record.holders(&[Role::Host]);
    }
    let values = values(
        c,
        env,
        &s.record,
        format!("现场求助 #{help}：{text}（{} 提出）", who.name),
        format!("回复「处理 {help}」接手，解决后回复「已解决 {help}」。"),
        true,
    )?;
    send(
        c,
        env,
        s.id(),
        NoticeKind::HelpRequest,
        &format!("help:{help}"),
        &to,
        &values,
    )?;
    s.audit(c, env, actor, Audit::AskHelp)?;
    let names = people::by_ids(c, &to)?;
    Ok(HelpAsked {
        id: help,
        to: to
            .iter()
            .filter_map(|p| names.get(p).map(|x| x.name.clone()))
            .collect(),
    })
}

/// A help request and its meeting, for someone who handles it there.
fn handled(
    c: &mut DbConn,
    actor: Actor,
    help_id: HelpRequestId,
) -> Result<(HelpRow, Subject), OpsError> {
    let help = store::help(c, help_id)?.ok_or(OpsError::HelpNotFound(help_id))?;
    let s = Subject::load(c, help.meeting_id)?;
    let hosts_only = s
        .record
        .holders(&[Role::ItSupport, Role::Organizer])
        .is_empty();
    let duty = if hosts_only {
        Duty::RunMeeting
    } else {
        Duty::Support
    };
    s.require(actor, duty)
        .map_err(|_| OpsError::HelpNotFound(help_id))?;
    Ok((help, s))
}

fn name_of(c: &mut DbConn, id: Option<PersonId>) -> Result<String, OpsError> {
    Ok(match id {
        Some(id) => people::name(c, id)?,
        None => String::new(),
    })
}

/// Takes a request: the first to answer has it, the others (and the person who asked) are
/// told who did.
pub fn take_help(
    c: &mut DbConn,
    env: &Env,
    actor: Actor,
    help_id: HelpRequestId,
) -> Result<HelpRow, OpsError> {
    let (help, s) = handled(c, actor, help_id)?;
    if help.resolved_at.is_some() {
        return Err(OpsError::HelpResolved(help_id));
    }
    let by = person(c, actor)?;
    if !store::take(c, help_id, by.id, env.now_ms())? {
        let current = store::help(c, help_id)?.and_then(|h| h.taken_by);
        return Err(OpsError::HelpTaken {
            id: help_id,
            by: name_of(c, current)?,
        });
    }
    let mut others: Vec<PersonId> = s
        .record
        .holders(&[Role::ItSupport, Role::Organizer, Role::Host])
        .into_iter()
        .filter(|p| *p != by.id)
        .collect();
    others.push(help.asker_id);
    others.sort_unstable();
    others.dedup();
    let values = values(
        c,
        env,
        &s.record,
        format!(
            "现场求助 #{help_id}「{}」已由 {} 接手处理。",
            help.body, by.name
        ),
        String::new(),
        false,
    )?;
    send(
        c,
        env,
        s.id(),
        NoticeKind::HelpTaken,
        &format!("help_taken:{help_id}"),
        &others,
        &values,
    )?;
    s.audit(c, env, actor, Audit::TakeHelp)?;
    Ok(store::help(c, help_id)?.unwrap_or(help))
}

/// Closes a taken request and tells the person who asked.
pub fn resolve_help(
    c: &mut DbConn,
    env: &Env,
    actor: Actor,
    help_id: HelpRequestId,
) -> Result<HelpRow, OpsError> {
    let (help, s) = handled(c, actor, help_id)?;
    if help.taken_by.is_none() {
        return Err(OpsError::HelpNotTaken(help_id));
    }
    if !store::resolve(c, help_id, env.now_ms())? {
        return Err(OpsError::HelpResolved(help_id));
    }
    let by = person(c, actor)?;
    let values = values(
        c,
        env,
        &s.record,
        format!(
            "你的现场求助 #{help_id}「{}」已解决（{}）。",
            help.body, by.name
        ),
        String::new(),
        false,
    )?;
    send(
        c,
        env,
        s.id(),
        NoticeKind::HelpResolved,
        &format!("help_resolved:{help_id}"),
        &[help.asker_id],
        &values,
    )?;
    s.audit(c, env, actor, Audit::ResolveHelp)?;
    Ok(store::help(c, help_id)?.unwrap_or(help))
}

/// A meeting's help requests, oldest first, for those who prepare it or give support there.
pub fn help_requests(
    c: &mut DbConn,
    actor: Actor,
    id: MeetingId,
) -> Result<Vec<HelpRow>, OpsError> {
    let s = Subject::load(c, id)?;
    if s.require(actor, Duty::Prepare).is_err() {
        s.require(actor, Duty::Support)?;
    }
    Ok(store::helps(c, s.id())?)
}

/// Open questions and help requests: what the meeting's views show while it runs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Open {
    pub questions: usize,
    pub help_requests: usize,
}

pub fn open(c: &mut DbConn, meeting: MeetingId) -> Result<Open, crate::db::DbError> {
    Ok(Open {
        questions: store::questions(c, meeting)?
            .iter()
            .filter(|q| q.answered_at.is_none())
            .count(),
        help_requests: store::helps(c, meeting)?
            .iter()
            .filter(|h| h.resolved_at.is_none())
            .count(),
    })
}

/// Questions never answered go into the minutes too, when they are published: each under the
/// agenda item it was asked in, the anonymous ones unnamed. Written by `author`.
pub(super) fn unanswered_into_minutes(
    c: &mut DbConn,
    env: &Env,
    meeting: MeetingId,
    author: PersonId,
) -> Result<usize, OpsError> {
    let open: Vec<QuestionRow> = store::questions(c, meeting)?
        .into_iter()
        .filter(|q| q.answered_at.is_none())
        .collect();
    for q in &open {
        let asker = if q.anonymous {
            "匿名提问".to_owned()
        } else {
            let name = people::name(c, q.asker_id)?;
            format!("{name} 提问")
        };
        entries::append(
            c,
            meeting,
            q.agenda_position,
            EntryKind::Note,
            &format!("问答：{asker}「{}」；会上未答复", q.body),
            author,
            env.now_ms(),
        )?;
    }
    Ok(open.len())
}

/// Who asked a question, anonymous ones included: for the meeting's confidentiality officer
/// only, and audited as such.
pub fn asker(
    c: &mut DbConn,
    env: &Env,
    actor: Actor,
    question_id: QuestionId,
) -> Result<(QuestionRow, Person), OpsError> {
    let question =
        store::question(c, question_id)?.ok_or(OpsError::QuestionNotFound(question_id))?;
    let s = Subject::load(c, question.meeting_id)?;
    // Not the admin token's business either: the officer of that meeting, by name.
    let who = person(c, actor)?;
    permissions::require(Duty::Oversee, &s.record.roles_of(who.id))
        .map_err(|_| OpsError::QuestionNotFound(question_id))?;
    let asker = people::get(c, question.asker_id)?.ok_or(OpsError::PersonNotFound)?;
    s.audit(c, env, actor, Audit::RevealAsker)?;
    Ok((question, asker))
}
