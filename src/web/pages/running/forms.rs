//! The forms that run a meeting from its page. Each reads the meeting as the reader (so a
//! meeting they may not see stays unknown), calls one operation and goes back to the page
//! saying what it did; a refusal comes back beside the form, what was typed kept.

use super::super::meeting::{after_form, meeting_id, Done, Typed};
use super::super::session::Reader;
use super::super::{PageError, Pages};
use crate::db::{minutes as entries, questions, Db, DbConn};
use crate::meetings::audit_action::Audit;
use crate::meetings::consensus::Vote;
use crate::meetings::directory::FieldError;
use crate::meetings::minutes::EntryKind;
use crate::meetings::{EntryId, MeetingId, PersonId, QuestionId};
use crate::ops::attendance::{self, CheckinWay};
use crate::ops::{self, lifecycle, reading, Actor, Env, OpsError};
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use std::collections::HashMap;

fn invalid(field: &'static str, message: &str) -> OpsError {
    OpsError::Invalid(vec![FieldError {
        field,
        message: message.to_owned(),
    }])
}

/// Runs `op` as the reader in one transaction, after reading the meeting as them, and answers
/// with the page: what was done, or the refusal beside `typed.field`.
async fn act<F>(
    reader: Reader,
    pages: &Pages,
    db: &Db,
    raw_id: &str,
    csrf: &str,
    typed: Typed,
    op: F,
) -> Result<HttpResponse, PageError>
where
    F: FnOnce(&mut DbConn, &Env, Actor, MeetingId) -> Result<Done, OpsError> + Send + 'static,
{
    let id = meeting_id(raw_id)?;
    let session = reader.posting(pages, db, csrf).await?;
    let env = pages.env();
    let person = session.person_id;
    let outcome = ops::run(db, move |c| {
        reading::meeting(c, &env, person, id, Audit::PageRun)?;
        op(c, &env, Actor::Person(person), id)
    })
    .await;
    after_form(pages, db, session, id, outcome, typed).await
}

fn typed(field: &'static str, text: &str) -> Typed {
    Typed {
        field,
        text: text.to_owned(),
        choice: String::new(),
    }
}

#[derive(Deserialize)]
pub struct RunForm {
    csrf: String,
    step: String,
    #[serde(default)]
    minutes: String,
}

/// `POST /m/{id}/run`: the host starts the meeting, moves to the next item, gives the running
/// one more time, or ends it.
pub async fn run(
    reader: Reader,
    pages: web::Data<Pages>,
    db: web::Data<Db>,
    id: web::Path<String>,
    form: web::Form<RunForm>,
) -> Result<HttpResponse, PageError> {
    let RunForm {
        csrf,
        step,
        minutes,
    } = form.into_inner();
    let field = if step == "extend" { "minutes" } else { "board" };
    let shown = typed(field, &minutes);
    act(
        reader,
        &pages,
        &db,
        &id,
        &csrf,
        shown,
        move |c, env, actor, id| {
            Ok(match step.as_str() {
                "start" => lifecycle::start(c, env, actor, id).map(|_| Done::Started)?,
                "next" => lifecycle::next_item(c, env, actor, id).map(|_| Done::NextItem)?,
                "end" => lifecycle::end(c, env, actor, id).map(|_| Done::Ended)?,
                "extend" => {
                    let by = minutes
                        .trim()
                        .parse::<u32>()
                        .map_err(|_| invalid("minutes", "延长的分钟数是 1 到 60 的整数"))?;
                    lifecycle::extend_item(c, env, actor, id, by).map(|_| Done::Extended)?
                }
                _ => return Err(invalid("step", "未知的操作")),
            })
        },
    )
    .await
}

/// `POST /m/{id}/checkin`: a host or organizer checks in the people ticked (`p<id>=1`).
pub async fn check_in(
    reader: Reader,
    pages: web::Data<Pages>,
    db: web::Data<Db>,
    id: web::Path<String>,
    form: web::Form<HashMap<String, String>>,
) -> Result<HttpResponse, PageError> {
    let mut form = form.into_inner();
    let csrf = form.remove("csrf").unwrap_or_default();
    let chosen: Vec<PersonId> = form
        .keys()
        .filter_map(|k| k.strip_prefix('p'))
        .filter_map(|n| n.parse().ok())
        .collect();
    let shown = typed("checkin", "");
    act(
        reader,
        &pages,
        &db,
        &id,
        &csrf,
        shown,
        move |c, env, actor, id| {
            if chosen.is_empty() {
                return Err(invalid("checkin", "请先勾选要代签的人"));
            }
            for person in chosen {
                attendance::check_in(c, env, actor, id, person, CheckinWay::OnBehalf)?;
            }
            Ok(Done::CheckedIn)
        },
    )
    .await
}

#[derive(Deserialize)]
pub struct TextForm {
    csrf: String,
    #[serde(default)]
    text: String,
}

/// `POST /m/{id}/questions/{question}/answer`: the host or a recorder answers a question, in
/// words or (left empty) as answered on the spot.
pub async fn answer_question(
    reader: Reader,
    pages: web::Data<Pages>,
    db: web::Data<Db>,
    path: web::Path<(String, String)>,
    form: web::Form<TextForm>,
) -> Result<HttpResponse, PageError> {
    let (id, question) = path.into_inner();
    let question: QuestionId = question.parse().map_err(|_| PageError::NotFound)?;
    let TextForm { csrf, text } = form.into_inner();
    let shown = typed("board", "");
    act(
        reader,
        &pages,
        &db,
        &id,
        &csrf,
        shown,
        move |c, env, actor, id| {
            // The path names the meeting: a question of another one is not on this page.
            if questions::question(c, question)?.is_none_or(|q| q.meeting_id != id) {
                return Err(OpsError::QuestionNotFound(question));
            }
            let text = Some(text.trim()).filter(|t| !t.is_empty());
            ops::live::answer(c, env, actor, question, text)?;
            Ok(Done::Answered)
        },
    )
    .await
}

#[derive(Deserialize)]
pub struct MinutesForm {
    csrf: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    owner: String,
    #[serde(default)]
    due: String,
}

/// `POST /m/{id}/minutes`: the recorder notes, records a decision (put to those present) or
/// assigns an action item, under the running agenda item.
pub async fn write_minutes(
    reader: Reader,
    pages: web::Data<Pages>,
    db: web::Data<Db>,
    id: web::Path<String>,
    form: web::Form<MinutesForm>,
) -> Result<HttpResponse, PageError> {
    let MinutesForm {
        csrf,
        kind,
        text,
        owner,
        due,
    } = form.into_inner();
    let shown = Typed {
        field: "text",
        text: text.clone(),
        choice: kind.clone(),
    };
    act(
        reader,
        &pages,
        &db,
        &id,
        &csrf,
        shown,
        move |c, env, actor, id| {
            let author = actor.person().ok_or(OpsError::PersonNotFound)?;
            match kind.as_str() {
                "task" => {
                    let owner: PersonId = owner
                        .parse()
                        .map_err(|_| invalid("owner", "请选择任务负责人"))?;
                    let due = chrono::NaiveDate::parse_from_str(due.trim(), "%Y-%m-%d")
                        .map_err(|_| invalid("due", "请选择截止日期"))?;
                    let by = crate::db::people::get(c, author)?.ok_or(OpsError::PersonNotFound)?;
                    let assigned = ops::minutes::assign(c, env, actor, id, owner, due, &text, &by)?;
                    Ok(Done::Assigned(assigned.id))
                }
                kind => {
                    let kind = match kind {
                        "decision" => EntryKind::Decision,
                        _ => EntryKind::Note,
                    };
                    let written = ops::minutes::write(c, env, actor, id, kind, &text, author)?;
                    Ok(Done::Written(written.entry))
                }
            }
        },
    )
    .await
}

#[derive(Deserialize)]
pub struct CsrfOnly {
    csrf: String,
}

/// `POST /m/{id}/minutes/publish`: the minutes go out to everyone who takes part.
pub async fn publish_minutes(
    reader: Reader,
    pages: web::Data<Pages>,
    db: web::Data<Db>,
    id: web::Path<String>,
    form: web::Form<CsrfOnly>,
) -> Result<HttpResponse, PageError> {
    let shown = typed("board", "");
    act(
        reader,
        &pages,
        &db,
        &id,
        &form.csrf,
        shown,
        |c, env, actor, id| {
            lifecycle::close(c, env, actor, id)?;
            Ok(Done::Published)
        },
    )
    .await
}

#[derive(Deserialize)]
pub struct VoteForm {
    csrf: String,
    vote: String,
    #[serde(default)]
    reason: String,
}

/// `POST /m/{id}/decisions/{entry}/vote`: someone present agrees or objects (with a reason).
pub async fn vote(
    reader: Reader,
    pages: web::Data<Pages>,
    db: web::Data<Db>,
    path: web::Path<(String, String)>,
    form: web::Form<VoteForm>,
) -> Result<HttpResponse, PageError> {
    let (id, entry) = path.into_inner();
    let entry: EntryId = entry.parse().map_err(|_| PageError::NotFound)?;
    let VoteForm { csrf, vote, reason } = form.into_inner();
    let shown = typed("vote", &reason);
    act(
        reader,
        &pages,
        &db,
        &id,
        &csrf,
        shown,
        move |c, env, actor, id| {
            if entries::get(c, entry)?.is_none_or(|e| e.meeting_id != id) {
                return Err(OpsError::DecisionNotFound(entry));
            }
            let vote = match vote.as_str() {
                "agree" => Vote::Agree,
                "object" => Vote::Object,
                _ => return Err(invalid("vote", "请选择同意或异议")),
            };
            ops::consensus::vote(c, env, actor, entry, vote, Some(&reason)).map_err(
                |e| match e {
                    OpsError::Rule(crate::meetings::DomainError::ReasonRequired) => {
                        invalid("vote", "异议需要说明理由")
                    }
                    e => e,
                },
            )?;
            Ok(Done::Voted(entry))
        },
    )
    .await
}

#[derive(Deserialize)]
pub struct AskForm {
    csrf: String,
    #[serde(default)]
    text: String,
    anonymous: Option<String>,
}

/// `POST /m/{id}/ask`: a participant's question to the host and recorders.
pub async fn ask(
    reader: Reader,
    pages: web::Data<Pages>,
    db: web::Data<Db>,
    id: web::Path<String>,
    form: web::Form<AskForm>,
) -> Result<HttpResponse, PageError> {
    let AskForm {
        csrf,
        text,
        anonymous,
    } = form.into_inner();
    let shown = typed("question", &text);
    act(
        reader,
        &pages,
        &db,
        &id,
        &csrf,
        shown,
        move |c, env, actor, id| {
            ops::live::ask(c, env, actor, id, anonymous.is_some(), &text)?;
            Ok(Done::Asked)
        },
    )
    .await
}

/// `POST /m/{id}/help`: help on site (the projector, the room, …).
pub async fn help(
    reader: Reader,
    pages: web::Data<Pages>,
    db: web::Data<Db>,
    id: web::Path<String>,
    form: web::Form<TextForm>,
) -> Result<HttpResponse, PageError> {
    let TextForm { csrf, text } = form.into_inner();
    let shown = typed("help", &text);
    act(
        reader,
        &pages,
        &db,
        &id,
        &csrf,
        shown,
        move |c, env, actor, id| {
            ops::live::ask_help(c, env, actor, id, &text)?;
            Ok(Done::HelpAsked)
        },
    )
    .await
}
