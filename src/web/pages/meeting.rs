//! `/m/{id}`: a meeting as the reader may see it, with their answer and the forms to change
//! it. Posts redirect back to the page (so a reload does not post again).

use super::error::PageError;
use super::identity;
use super::layout;
use super::running;
use super::session::{Reader, Session};
use super::Pages;
use crate::db::meetings::{self as store, MeetingRecord};
use crate::db::participants::ParticipantRow;
use crate::db::{action_items, participants, people, Db, DbConn};
use crate::meetings::audit_action::Audit;
use crate::meetings::display;
use crate::meetings::feedback::Rating;
use crate::meetings::lifecycle::MeetingStatus;
use crate::meetings::participation::{Attendance, Role, Rsvp};
use crate::meetings::window::Window;
use crate::meetings::MeetingId;
use crate::meetings::PersonId;
use crate::meetings::{ActionItemId, EntryId, MaterialId};
use crate::ops::{self, attendance, reading, Actor};
use actix_web::http::{header, StatusCode};
use actix_web::ResponseError;
use actix_web::{web, HttpRequest, HttpResponse};
use maud::{html, Markup};
use serde::Deserialize;

/// Everything the page shows, read in one go.
struct View {
    record: MeetingRecord,
    place: String,
    host: Vec<String>,
    presenters: Vec<Option<String>>,
    /// Each with whether the reader opened it; for the host, who has not, by name.
    materials: Vec<(reading::MaterialSeen, Vec<String>)>,
    me: Option<ParticipantRow>,
    /// Where the reader stands (present, late by so many minutes, absent, …).
    my_standing: Option<(Attendance, Option<i64>)>,
    /// The feedback the reader gave: (rating, comment).
    my_feedback: Option<(i32, String)>,
    /// Who the reader sent in their place, by name.
    my_delegate: Option<String>,
    /// Whom the reader attends for (they were sent), by name.
    replacing: Vec<String>,
    my_roles: Vec<Role>,
    /// After the meeting: its minutes (reading published ones records the receipt), or why
    /// there are none to read yet.
    minutes: Option<Result<Vec<crate::db::minutes::EntryRow>, ()>>,
    my_tasks: Vec<action_items::ActionItemRow>,
    /// Running it: what the reader may see and do (`ops::board`).
    board: ops::board::Board,
    /// The action item just assigned from this page: title, owner, due date.
    assigned: Option<(String, String, chrono::NaiveDate)>,
    /// Before it: the preparation checklist, done and in all; and the reader's own items.
    readiness: (usize, usize),
    my_items: Vec<crate::db::checklist::ChecklistRow>,
    /// An occurrence of a recurring meeting: its series' pattern, and 上次待办 (the action
    /// items its previous occurrence left open).
    series: Option<String>,
    /// The reader's standing answer to every date of the series (确认 全部), if any.
    series_answer: Option<Rsvp>,
    carried: Vec<ops::series::CarriedItem>,
    /// Topics proposed for the agenda (议题), with who proposed them.
    topics: Vec<(
        crate::db::topics::TopicRow,
        Option<crate::db::people::Person>,
    )>,
}

fn load(
    c: &mut DbConn,
    env: &ops::Env,
    person: PersonId,
    id: MeetingId,
    done: Option<Done>,
) -> Result<View, ops::OpsError> {
    let record = reading::meeting(c, env, person, id, Audit::PageMeeting)?;
    let over = Window::Afterwards.admits(record.meeting.status);
    let minutes = if over {
        match ops::minutes::read(c, env, Actor::Person(person), id) {
            Ok(m) => Some(Ok(m.entries)),
            Err(ops::OpsError::MinutesNotPublished(_)) => Some(Err(())),
            Err(e) => return Err(e),
        }
    } else {
        None
    };
    let my_tasks = action_items::list(
        c,
        &action_items::ActionItemFilter {
            owner_id: Some(person),
            meeting_id: Some(id),
            ..Default::default()
        },
    )?;
    let place = store::place_description(c, &record.meeting)?;
    // Hosts and presenters, named in one query.
    let hosts = record.holders(&[Role::Host]);
    let mut ids = hosts.clone();
    ids.extend(record.agenda.iter().filter_map(|a| a.presenter_id));
    let names = people::by_ids(c, &ids)?;
    let name = |id: &PersonId| names.get(id).map(|p| p.name.clone());
    let host = hosts.iter().filter_map(name).collect();
    let presenters = record
        .agenda
        .iter()
        .map(|a| a.presenter_id.as_ref().and_then(name))
        .collect();
    let board = ops::board::board(c, env, Actor::Person(person), id)?;
    let seen = reading::materials(c, &record, person)?;
    let unread: Vec<PersonId> = seen
        .iter()
        .flat_map(|m| m.unread_by.iter().flatten().copied())
        .collect();
    let unread_names = people::by_ids(c, &unread)?;
    let materials = seen
        .into_iter()
        .map(|m| {
            let names = m
                .unread_by
                .iter()
                .flatten()
                .filter_map(|p| unread_names.get(p).map(|n| n.name.clone()))
                .collect();
            (m, names)
        })
        .collect();
    let assigned = match done {
        Some(Done::Assigned(task)) if board.powers.record => action_items::get(c, task)?
            .filter(|t| t.meeting_id == id)
            .map(|t| -> Result<_, ops::OpsError> {
                let owner = people::name(c, t.owner_id)?;
                Ok((t.title, owner, t.due_on))
            })
            .transpose()?,
        _ => None,
    };
    let readiness = ops::checklist::readiness(c, Actor::Person(person), record.meeting.id)?;
    let my_items = crate::db::checklist::for_meeting(c, record.meeting.id)?
        .into_iter()
        .filter(|i| i.owner_id == person)
        .collect();
    let of_series = ops::series::of_meeting(c, record.meeting.id)?;
    let series_answer = match &of_series {
        Some((s, _)) => crate::db::series::answers(c, s.id)?
            .into_iter()
            .find(|(p, _)| *p == person)
            .map(|(_, rsvp)| rsvp),
        None => None,
    };
    let series = of_series.map(|(s, _)| ops::series::pattern(&s));
    let carried = ops::series::carried_over(c, record.meeting.id)?;
    let topics = ops::topics::list(c, Actor::Person(person), id)?;
    let me = participants::get(c, id, person)?;
    let my_delegate = match me.as_ref().and_then(|p| p.delegate_id) {
        Some(d) => people::get(c, d)?.map(|p| p.name),
        None => None,
    };
    let my_feedback = crate::db::feedback::of_person(c, id, person)?;
    let senders: Vec<PersonId> = participants::list(c, id)?
        .into_iter()
        .filter(|p| p.delegate_id == Some(person))
        .map(|p| p.person_id)
        .collect();
    let replacing = people::by_ids(c, &senders)?
        .into_values()
        .map(|p| p.name)
        .collect();
    Ok(View {
        replacing,
        my_delegate,
        my_feedback,
        topics,
        series,
        series_answer,
        carried,
        readiness,
        my_items,
        board,
        assigned,
        place,
        host,
        presenters,
        materials,
        my_standing: me
            .as_ref()
            .map(|p| ops::reports::standing_of(env, &record.meeting, p)),
        me,
        my_roles: record.roles_of(person),
        minutes,
        my_tasks,
        record,
    })
}

pub(super) fn meeting_id(raw: &str) -> Result<MeetingId, PageError> {
    raw.parse::<i64>()
        .ok()
        .and_then(|n| MeetingId::new(n).ok())
        .ok_or(PageError::NotFound)
}

#[derive(Deserialize)]
pub struct ShowQuery {
    done: Option<String>,
    #[serde(rename = "ref")]
    reference: Option<String>,
}

pub async fn show(
    req: HttpRequest,
    reader: Reader,
    pages: web::Data<Pages>,
    db: web::Data<Db>,
    id: web::Path<String>,
    query: web::Query<ShowQuery>,
) -> Result<HttpResponse, PageError> {
    let id = meeting_id(&id)?;
    let Some(session) = reader.session(&pages, &db).await? else {
        return identity::begin(&req, &pages, &db, format!("/m/{id}")).await;
    };
    let done = query
        .done
        .as_deref()
        .and_then(|d| Done::parse(d, query.reference.as_deref()));
    page(&pages, &db, session, id, done, None).await
}

/// The meeting page for `session`, with what was just done or the problem with a form.
async fn page(
    pages: &Pages,
    db: &Db,
    session: Session,
    id: MeetingId,
    done: Option<Done>,
    problem: Option<(StatusCode, Problem)>,
) -> Result<HttpResponse, PageError> {
    let env = pages.env();
    let person = session.person_id;
    let view = db
        .run(move |c| Ok(load(c, &env, person, id, done)))
        .await??;
    let tz = pages.notices.tz;
    let (status, problem) = match problem {
        Some((status, problem)) => (status, Some(problem)),
        None => (StatusCode::OK, None),
    };
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(render(&view, &session, pages, tz, done, problem.as_ref()).into_string()))
}

/// After a form: back to the page saying what was done, or the page again with the refusal
/// next to `field`, what was typed kept.
async fn after(
    pages: &Pages,
    db: &Db,
    session: Session,
    id: MeetingId,
    outcome: Result<Done, ops::OpsError>,
    field: &'static str,
    typed: String,
) -> Result<HttpResponse, PageError> {
    let form = Typed {
        field,
        text: typed,
        choice: String::new(),
    };
    after_form(pages, db, session, id, outcome, form).await
}

/// What a form sent, to show again beside its refusal.
pub(super) struct Typed {
    pub field: &'static str,
    pub text: String,
    pub choice: String,
}

pub(super) async fn after_form(
    pages: &Pages,
    db: &Db,
    session: Session,
    id: MeetingId,
    outcome: Result<Done, ops::OpsError>,
    form: Typed,
) -> Result<HttpResponse, PageError> {
    match outcome {
        Ok(done) => Ok(back_to(id, done)),
        Err(ops::OpsError::Db(e)) => Err(PageError::Storage(e)),
        Err(ops::OpsError::MeetingNotFound) => Err(PageError::NotFound),
        Err(e) => {
            let problem = Problem {
                field: form.field,
                message: super::error::refusal_zh(&e),
                typed: form.text,
                choice: form.choice,
            };
            let status = PageError::Refused(e).status_code();
            page(pages, db, session, id, None, Some((status, problem))).await
        }
    }
}

/// `GET /m/{id}/materials/{material}`: the reader opens a material from the page; the read is
/// recorded and the browser goes on to it.
pub async fn open_material(
    req: HttpRequest,
    reader: Reader,
    pages: web::Data<Pages>,
    db: web::Data<Db>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    let (id, material) = path.into_inner();
    let material: MaterialId = material.parse().map_err(|_| PageError::Missing("资料"))?;
    let id = meeting_id(&id)?;
    let Some(session) = reader.session(&pages, &db).await? else {
        return identity::begin(&req, &pages, &db, format!("/m/{id}")).await;
    };
    let env = pages.env();
    let person = session.person_id;
    let url = db
        .run(move |c| Ok(ops::reading::open_material(c, &env, person, material)))
        .await?
        .map_err(|_| PageError::NotFound)?;
    Ok(HttpResponse::Found()
        .insert_header(("Location", url))
        .finish())
}

pub(super) fn answer_zh(answer: &Rsvp) -> String {
    match answer {
        Rsvp::Pending => "未回复".into(),
        Rsvp::Accepted => "已确认参加".into(),
        Rsvp::Tentative => "待定".into(),
        Rsvp::Declined { reason } => format!("已请假（{reason}）"),
    }
}

/// What the reader just did, as the redirect after a form names it (`?done=answer`, with
/// `&ref=` the entry or task it made): the page words it from the state now, so a link cannot
/// make it say anything untrue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Done {
    Answer,
    /// Answered every date of the series from this one on.
    AnswerAll,
    Delegate,
    Feedback,
    Topic,
    Checklist,
    Started,
    NextItem,
    Extended,
    Ended,
    CheckedIn,
    Answered,
    Written(EntryId),
    Assigned(ActionItemId),
    Published,
    Voted(EntryId),
    Asked,
    HelpAsked,
}

impl Done {
    fn name(self) -> &'static str {
        match self {
            Done::Answer => "answer",
            Done::AnswerAll => "answer-all",
            Done::Delegate => "delegate",
            Done::Feedback => "feedback",
            Done::Topic => "topic",
            Done::Checklist => "checklist",
            Done::Started => "started",
            Done::NextItem => "next",
            Done::Extended => "extended",
            Done::Ended => "ended",
            Done::CheckedIn => "checked-in",
            Done::Answered => "answered",
            Done::Written(_) => "written",
            Done::Assigned(_) => "assigned",
            Done::Published => "published",
            Done::Voted(_) => "voted",
            Done::Asked => "asked",
            Done::HelpAsked => "help",
        }
    }

    /// The query the redirect carries.
    fn query(self) -> String {
        let reference = match self {
            Done::Written(e) | Done::Voted(e) => Some(e.get()),
            Done::Assigned(t) => Some(t.get()),
            _ => None,
        };
        match reference {
            Some(r) => format!("done={}&ref={r}", self.name()),
            None => format!("done={}", self.name()),
        }
    }

    fn parse(name: &str, reference: Option<&str>) -> Option<Done> {
        let plain = [
            Done::Answer,
            Done::AnswerAll,
            Done::Delegate,
            Done::Feedback,
            Done::Topic,
            Done::Checklist,
            Done::Started,
            Done::NextItem,
            Done::Extended,
            Done::Ended,
            Done::CheckedIn,
            Done::Answered,
            Done::Published,
            Done::Asked,
            Done::HelpAsked,
        ];
        if let Some(d) = plain.into_iter().find(|d| d.name() == name) {
            return Some(d);
        }
        let reference = reference?;
        match name {
            "written" => reference.parse().ok().map(Done::Written),
            "voted" => reference.parse().ok().map(Done::Voted),
            "assigned" => reference.parse().ok().map(Done::Assigned),
            _ => None,
        }
    }
}

/// A form the page refused: which field, why (in Chinese), and what was typed, to show next
/// to the field and keep.
pub struct Problem {
    pub field: &'static str,
    pub message: String,
    pub typed: String,
    /// A choice made with the text (the kind of a minutes entry), kept with it.
    pub choice: String,
}

/// The confirmation at the top of the page, from the state after `done`.
fn confirmation(v: &View, done: Done) -> Option<String> {
    let m = &v.record.meeting;
    let what = format!("#{} {}", m.id, m.title);
    let me = v.me.as_ref();
    Some(match done {
        Done::Answer => match &me?.rsvp {
            Rsvp::Accepted => format!("已确认参加 {what}"),
            Rsvp::Tentative => format!("已回复待定 {what}"),
            Rsvp::Declined { reason } => format!("已请假 {what}（{reason}）"),
            Rsvp::Pending => return None,
        },
        Done::AnswerAll => match v.series_answer.as_ref()? {
            Rsvp::Accepted => "已确认参加这个例会以后的每一次".to_owned(),
            Rsvp::Tentative => "已回复待定：这个例会以后的每一次".to_owned(),
            Rsvp::Declined { reason } => format!("已请假：这个例会以后的每一次（{reason}）"),
            Rsvp::Pending => return None,
        },
        Done::Delegate => format!("已委托 {} 代你参加 {what}", v.my_delegate.as_ref()?),
        Done::Feedback => {
            let (rating, _) = v.my_feedback.as_ref()?;
            format!("感谢反馈：{rating} 分")
        }
        Done::Topic => format!("已提议议题，议程负责人会在会前处理：{what}"),
        Done::Checklist => "已完成这项筹备".to_owned(),
        Done::Started if m.status == MeetingStatus::InProgress => match &v.board.current {
            Some(item) => format!(
                "会议已开始，现在是第 {} 项「{}」",
                item.position, item.title
            ),
            None => "会议已开始".to_owned(),
        },
        Done::NextItem if m.status == MeetingStatus::InProgress => match &v.board.current {
            Some(item) => format!("现在进行第 {} 项「{}」", item.position, item.title),
            None => "议程已全部完成，结束时点「结束会议」".to_owned(),
        },
        Done::Extended => {
            let item = v.board.current.as_ref()?;
            format!(
                "第 {} 项「{}」现为 {} 分钟",
                item.position, item.title, item.minutes
            )
        }
        Done::Ended if matches!(m.status, MeetingStatus::Ended | MeetingStatus::Closed) => {
            format!("会议已结束：{}", running::tally_line(&v.board.tally))
        }
        Done::CheckedIn if !v.board.roster.is_empty() => {
            format!("已代签。{}", running::tally_line(&v.board.tally))
        }
        Done::Answered if v.board.powers.record => "已答复提问".to_owned(),
        Done::Written(entry) => {
            let e = v.board.draft.iter().find(|e| e.id == entry)?;
            match e.kind {
                crate::meetings::minutes::EntryKind::Decision => {
                    format!("已记下决议，并请在场的人表态：{}", e.body)
                }
                _ => format!("已记入纪要：{}", e.body),
            }
        }
        Done::Assigned(_) => {
            let (title, owner, due) = v.assigned.as_ref()?;
            format!("已布置任务「{title}」给 {owner}，{due} 截止，已通知 {owner}")
        }
        Done::Published if m.status == MeetingStatus::Closed => {
            "纪要已发布，已发给参会人".to_owned()
        }
        Done::Voted(entry) => {
            let ballot = v
                .board
                .ballots
                .iter()
                .find(|b| b.standing.entry.id == entry)?;
            match ballot.mine? {
                crate::meetings::consensus::Vote::Agree => {
                    format!("你已同意决议：{}", ballot.standing.entry.body)
                }
                crate::meetings::consensus::Vote::Object => {
                    format!("你已对决议提出异议：{}", ballot.standing.entry.body)
                }
            }
        }
        Done::Asked if v.board.powers.ask => "提问已发给主持人和记录员".to_owned(),
        Done::HelpAsked if v.board.powers.ask_help => {
            "求助已发出，会务组和信息技术支持会尽快联系你".to_owned()
        }
        _ => return None,
    })
}

/// Where the meeting is: 筹备中, 进行中 · 第 2 项, 已结束, 已取消.
fn state_zh(v: &View) -> String {
    let m = &v.record.meeting;
    match m.status {
        MeetingStatus::InProgress => {
            match v
                .record
                .agenda
                .iter()
                .find(|a| a.started_at.is_some() && a.ended_at.is_none())
            {
                Some(item) => format!("进行中 · 第 {} 项", item.position),
                None => "进行中".to_owned(),
            }
        }
        MeetingStatus::Scheduled => "筹备中".to_owned(),
        MeetingStatus::Cancelled => match &m.cancel_reason {
            Some(r) => format!("已取消：{r}"),
            None => "已取消".to_owned(),
        },
        MeetingStatus::Ended => "已结束".to_owned(),
        MeetingStatus::Closed => "已结束 · 纪要已发布".to_owned(),
        other => other.label_zh().to_owned(),
    }
}

fn render(
    v: &View,
    session: &Session,
    pages: &Pages,
    tz: chrono_tz::Tz,
    done: Option<Done>,
    problem: Option<&Problem>,
) -> Markup {
    let m = &v.record.meeting;
    let csrf = session.csrf(&pages.key);
    let answerable = Window::Invitation.admits(m.status) && v.me.is_some();
    let said = done.and_then(|d| confirmation(v, d));
    let wrong = |field: &str| problem.filter(|p| p.field == field);
    let typed = |field: &str| wrong(field).map(|p| p.typed.clone()).unwrap_or_default();
    let chosen = |answer: &str| v.me.as_ref().is_some_and(|p| p.rsvp.as_str() == answer);
    let participates = v.my_roles.iter().any(|r| r.participates());
    // A refusal shows beside its form when the page draws it, else at the top.
    let drawn_here = |field: &str| match field {
        "reason" | "colleague" => answerable,
        "text" if Window::Preparation.admits(m.status) => participates,
        "rating" => v.minutes.is_some() && participates,
        other => running::draws(&v.board, other),
    };
    let body = html! {
        @if let Some(said) = &said { p.ok #done role="status" { "✓ " (said) } }
        @if let Some(p) = problem.filter(|p| !drawn_here(p.field)) {
            p.error #problem role="alert" { (p.message) }
        }
        section {
            h1 { (m.title) }
            p #state {
                span class={ "badge" @if m.status == MeetingStatus::Cancelled { " late" } } { (state_zh(v)) }
                " " (display::span(m.starts_at, m.ends_at, tz))
            }
            @if let Some(me) = &v.me {
                div #my-answer {
                    @if !v.replacing.is_empty() {
                        @let mine: Vec<String> = v.record.agenda.iter().filter(|a| a.presenter_id == Some(session.person_id)).map(|a| a.position.to_string()).collect();
                        p #replacing {
                            "你代替 " (v.replacing.join("、")) " 参加"
                            @if !mine.is_empty() { "，并报告第 " (mine.join("、")) " 项" }
                            "。"
                        }
                    }
                    p #my-standing {
                        @match (v.my_standing, me.checked_in_at) {
                            (Some((Attendance::Late, late)), Some(at)) => {
                                span class="badge late" { "已签到 " (display::clock(at, tz)) "（迟到 " (late.unwrap_or_default()) " 分钟）" }
                            }
                            (_, Some(at)) => { span class="badge" { "已签到 " (display::clock(at, tz)) } }
                            (Some((Attendance::Absent, _)), None) => {
                                "我的回复：" (answer_zh(&me.rsvp)) " · " span class="badge late" { "缺席" }
                            }
                            _ => { "我的回复：" (answer_zh(&me.rsvp)) }
                        }
                    }
                    @if answerable {
                        form method="post" action={ "/m/" (m.id) "/answer" } class="row" {
                            input type="hidden" name="csrf" value=(csrf);
                            button name="answer" value="accepted" class=[(!chosen("accepted")).then_some("plain")] aria-pressed=(chosen("accepted")) {
                                @if chosen("accepted") { "✓ " } "确认参加" @if v.series.is_some() { "本次" }
                            }
                            button name="answer" value="tentative" class=[(!chosen("tentative")).then_some("plain")] aria-pressed=(chosen("tentative")) {
                                @if chosen("tentative") { "✓ " } "待定"
                            }
                            @if v.series.is_some() {
                                button #accept-all .plain name="answer" value="accepted" formaction={ "/m/" (m.id) "/answer-all" } {
                                    @if matches!(v.series_answer, Some(Rsvp::Accepted)) { "✓ " } "确认全部"
                                }
                            }
                        }
                        form method="post" action={ "/m/" (m.id) "/answer" } class="row" {
                            input type="hidden" name="csrf" value=(csrf);
                            input type="hidden" name="answer" value="declined";
                            input type="text" name="reason" value=(typed("reason")) placeholder="请假原因（必填）" aria-label="请假原因";
                            button class=[(!chosen("declined")).then_some("plain")] aria-pressed=(chosen("declined")) {
                                @if chosen("declined") { "✓ " } "请假" @if v.series.is_some() { "本次" }
                            }
                            @if v.series.is_some() {
                                button #decline-all .plain formaction={ "/m/" (m.id) "/answer-all" } { "全部请假" }
                            }
                        }
                        @if let Some(p) = wrong("reason") { p.error #reason-error role="alert" { (p.message) } }
                        form method="post" action={ "/m/" (m.id) "/delegate" } class="row" {
                            input type="hidden" name="csrf" value=(csrf);
                            input type="text" name="colleague" value=(typed("colleague")) placeholder="委托同事参加：姓名或工号" aria-label="委托同事";
                            button class="plain" { "委托" }
                        }
                        @if let Some(p) = wrong("colleague") { p.error #colleague-error role="alert" { (p.message) } }
                    }
                }
            }
            dl {
                @if !v.place.is_empty() { dt { "地点" } dd { (v.place) } }
                @if let Some(link) = &m.online_link {
                    dt { "线上" } dd { a href=(link) { (link) } }
                }
                @if let Some(pattern) = &v.series { dt { "例会" } dd { (pattern) } }
                @if !v.host.is_empty() { dt { "主持人" } dd { (v.host.join("、")) } }
                @if !m.goal.is_empty() { dt { "目标" } dd { (m.goal) } }
                @if !v.my_roles.is_empty() {
                    dt { "我的角色" }
                    dd { (v.my_roles.iter().map(|r| r.label_zh()).collect::<Vec<_>>().join("、")) }
                }
            }
            @if v.readiness.1 > 0 && Window::Preparation.admits(m.status) {
                p.muted #readiness { "筹备：" (v.readiness.0) "/" (v.readiness.1) " 项完成" }
            }
            @for item in &v.my_items {
                @if item.done_at.is_none() && Window::Preparation.admits(m.status) {
                    form.row method="post" action={ "/checklist/" (item.id) "/done" } {
                        input type="hidden" name="csrf" value=(csrf);
                        span { "我的筹备：" (item.title) }
                        button.plain { "完成" }
                    }
                }
            }
        }
        @if running::shown(&v.board) {
            (running::section(&v.board, &running::Frame { meeting: m, csrf: &csrf, tz, now_ms: pages.env().now_ms(), problem }))
        }
        @if !m.briefing.is_empty() {
            section { h2 { "会前准备" } p { (m.briefing) } }
        }
        @if !v.record.agenda.is_empty() || !v.carried.is_empty() {
            section {
                h2 { "议程" }
                @if !v.carried.is_empty() {
                    h3 { "上次待办" }
                    ul #carried {
                        @for i in &v.carried {
                            li {
                                "#" (i.id) " " (i.title) " · " (i.owner) " · " (i.due) " 截止"
                                @if let Some(p) = &i.progress { " · 进展：" (p) }
                            }
                        }
                    }
                }
                ol {
                    @for (item, presenter) in v.record.agenda.iter().zip(&v.presenters) {
                        @let running = item.started_at.is_some() && item.ended_at.is_none();
                        @let done = item.ended_at.is_some();
                        @let class = if running { "now" } else if done { "done" } else { "" };
                        li class=(class) {
                            @if running { "▶ " } @if done { "✓ " }
                            (item.title) " · " (item.minutes) " 分钟"
                            @if let Some(p) = presenter { " · " (p) }
                        }
                    }
                }
            }
        }
        @if Window::Preparation.admits(m.status) && v.my_roles.iter().any(|r| r.participates()) {
            section #topics {
                h2 { "议题" }
                @if !v.topics.is_empty() {
                    ul {
                        @for (topic, by) in &v.topics {
                            li {
                                (topic.body)
                                @if let Some(p) = by { " · " (p.name) }
                                " · " (topic.status.label_zh())
                                @if let Some(r) = &topic.reason { "：" (r) }
                            }
                        }
                    }
                }
                form.row method="post" action={ "/m/" (m.id) "/topic" } {
                    input type="hidden" name="csrf" value=(csrf);
                    input type="text" name="text" maxlength="100" value=(typed("text")) placeholder="想在会上讨论的议题" aria-label="议题";
                    button { "提议" }
                }
                @if let Some(p) = wrong("text") { p.error #text-error role="alert" { (p.message) } }
            }
        }
        @if !v.materials.is_empty() {
            section {
                h2 { "材料" }
                ul #materials {
                    @for (seen, unread) in &v.materials {
                        @let mat = &seen.material;
                        li {
                            a href={ "/m/" (m.id) "/materials/" (mat.id) } { (mat.title) }
                            " " span.badge { (display::material_kind_zh(&mat.url)) }
                            @if seen.opened { " " span.muted { "已打开" } } @else { " " span.muted { "未打开" } }
                            @if let Some(by) = &seen.unread_by {
                                br;
                                span.muted {
                                    @if by.is_empty() { "参会人都已打开" }
                                    @else { (unread.len()) " 人未打开：" (unread.join("、")) }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if let Some(minutes) = &v.minutes {
            section {
                h2 { "会议纪要" }
                @match minutes {
                    Ok(entries) if entries.is_empty() => { p.muted { "纪要为空。" } }
                    Ok(entries) => {
                        ul {
                            @for e in entries {
                                li { @if e.kind == crate::meetings::minutes::EntryKind::Decision { span.badge { "决议" } " " } (e.body) }
                            }
                        }
                    }
                    Err(()) => { p.muted { "纪要尚未发布，发布后会发给你。" } }
                }
            }
        }
        @if !v.my_tasks.is_empty() {
            section {
                h2 { "我的任务" }
                ul { @for t in &v.my_tasks { li { (t.title) " · 截止 " (t.due_on) " · " (t.status.label_zh()) } } }
                p.muted { a href="/me" { "在「我的会议」中汇报进展" } }
            }
        }
        @if v.minutes.is_some() && v.my_roles.iter().any(|r| r.participates()) {
            section #feedback {
                h2 { "会议反馈" }
                @if let Some((rating, comment)) = &v.my_feedback {
                    p #my-feedback { "你的反馈：" (rating) " 分" @if !comment.is_empty() { " · " (comment) } }
                }
                form method="post" action={ "/m/" (m.id) "/feedback" } {
                    input type="hidden" name="csrf" value=(csrf);
                    div.row {
                        @for n in 1..=5i32 {
                            label { input type="radio" name="rating" value=(n) checked[v.my_feedback.as_ref().is_some_and(|(r, _)| *r == n)]; " " (n) }
                        }
                    }
                    @if let Some(p) = wrong("rating") { p.error #rating-error role="alert" { (p.message) } }
                    input type="text" name="comment" value=(v.my_feedback.as_ref().map(|(_, c)| c.as_str()).unwrap_or_default()) placeholder="意见（可选）" aria-label="意见";
                    button { @if v.my_feedback.is_some() { "修改反馈" } @else { "提交反馈" } }
                }
            }
        }
        p class="muted" { a href="/me" { "我的会议" } }
    };
    if running::shown(&v.board) {
        layout::scripted(&m.title, "/static/meeting.js", body)
    } else {
        layout::page(&m.title, body)
    }
}

#[derive(Deserialize)]
pub struct AnswerForm {
    csrf: String,
    answer: String,
    reason: Option<String>,
}

fn back_to(id: MeetingId, done: Done) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, format!("/m/{id}?{}", done.query())))
        .finish()
}

pub async fn answer(
    reader: Reader,
    pages: web::Data<Pages>,
    db: web::Data<Db>,
    id: web::Path<String>,
    form: web::Form<AnswerForm>,
) -> Result<HttpResponse, PageError> {
    answer_for(reader, pages, db, id, form, false).await
}

/// `POST /m/{id}/answer-all`: the same answer for every date of the series from this one on.
pub async fn answer_all(
    reader: Reader,
    pages: web::Data<Pages>,
    db: web::Data<Db>,
    id: web::Path<String>,
    form: web::Form<AnswerForm>,
) -> Result<HttpResponse, PageError> {
    answer_for(reader, pages, db, id, form, true).await
}

async fn answer_for(
    reader: Reader,
    pages: web::Data<Pages>,
    db: web::Data<Db>,
    id: web::Path<String>,
    form: web::Form<AnswerForm>,
    all: bool,
) -> Result<HttpResponse, PageError> {
    let id = meeting_id(&id)?;
    let form = form.into_inner();
    let session = reader.posting(&pages, &db, &form.csrf).await?;
    let typed = form.reason.clone().unwrap_or_default();
    let answer = match Rsvp::given(&form.answer, Some(&typed)) {
        Ok(answer) => answer,
        Err(e) => {
            let refused = Err(e.into());
            return after(&pages, &db, session, id, refused, "reason", typed).await;
        }
    };
    let env = pages.env();
    let person = session.person_id;
    let outcome = ops::run(&db, move |c| {
        reading::meeting(c, &env, person, id, Audit::PageAnswer)?;
        let actor = Actor::Person(person);
        if all {
            ops::series::answer_all(c, &env, actor, id, person, &answer)?;
            return Ok(Done::AnswerAll);
        }
        attendance::answer(c, &env, actor, id, person, &answer)?;
        Ok(Done::Answer)
    })
    .await;
    after(&pages, &db, session, id, outcome, "reason", typed).await
}

#[derive(Deserialize)]
pub struct TopicForm {
    csrf: String,
    text: String,
}

/// `POST /m/{id}/topic`: the reader proposes a topic; the agenda owners are told.
pub async fn topic(
    reader: Reader,
    pages: web::Data<Pages>,
    db: web::Data<Db>,
    id: web::Path<String>,
    form: web::Form<TopicForm>,
) -> Result<HttpResponse, PageError> {
    let id = meeting_id(&id)?;
    let form = form.into_inner();
    let session = reader.posting(&pages, &db, &form.csrf).await?;
    let env = pages.env();
    let person = session.person_id;
    let typed = form.text.clone();
    let outcome = ops::run(&db, move |c| {
        reading::meeting(c, &env, person, id, Audit::PageTopic)?;
        ops::topics::propose(c, &env, Actor::Person(person), id, person, &form.text)?;
        Ok(Done::Topic)
    })
    .await;
    after(&pages, &db, session, id, outcome, "text", typed).await
}

#[derive(Deserialize)]
pub struct FeedbackForm {
    csrf: String,
    rating: String,
    comment: Option<String>,
}

pub async fn feedback(
    reader: Reader,
    pages: web::Data<Pages>,
    db: web::Data<Db>,
    id: web::Path<String>,
    form: web::Form<FeedbackForm>,
) -> Result<HttpResponse, PageError> {
    let id = meeting_id(&id)?;
    let form = form.into_inner();
    let session = reader.posting(&pages, &db, &form.csrf).await?;
    let rating: Rating = match form.rating.parse::<Rating>() {
        Ok(rating) => rating,
        Err(e) => {
            let refused = Err(e.into());
            return after(&pages, &db, session, id, refused, "rating", String::new()).await;
        }
    };
    let comment = form.comment.unwrap_or_default().trim().to_owned();
    let env = pages.env();
    let person = session.person_id;
    let outcome = ops::run(&db, move |c| {
        reading::meeting(c, &env, person, id, Audit::PageFeedback)?;
        let me = people::get(c, person)?.ok_or(ops::OpsError::PersonNotFound)?;
        ops::feedback::give(c, &env, &me, id, rating, &comment)?;
        Ok(Done::Feedback)
    })
    .await;
    after(&pages, &db, session, id, outcome, "rating", String::new()).await
}

#[derive(Deserialize)]
pub struct DelegateForm {
    csrf: String,
    /// An employee number or a name.
    colleague: String,
}

pub async fn delegate(
    reader: Reader,
    pages: web::Data<Pages>,
    db: web::Data<Db>,
    id: web::Path<String>,
    form: web::Form<DelegateForm>,
) -> Result<HttpResponse, PageError> {
    let id = meeting_id(&id)?;
    let form = form.into_inner();
    let session = reader.posting(&pages, &db, &form.csrf).await?;
    let env = pages.env();
    let person = session.person_id;
    let colleague = form.colleague.trim().to_owned();
    let typed = colleague.clone();
    let outcome = ops::run(&db, move |c| {
        reading::meeting(c, &env, person, id, Audit::PageDelegate)?;
        let to = ops::directory::find_person(c, &colleague)?;
        attendance::delegate(c, &env, Actor::Person(person), id, person, to.id)?;
        Ok(Done::Delegate)
    })
    .await;
    after(&pages, &db, session, id, outcome, "colleague", typed).await
}
