//! `/me`: the reader's meetings from today on (a series once, a running one marked), those of
//! the last 30 days (minutes, my feedback, my open tasks), and their open action items,
//! overdue first, each with a progress report and "done"; the posts go to the operations
//! layer.

use super::error::PageError;
use super::identity;
use super::layout;
use super::session::Reader;
use super::Pages;
use crate::db::action_items::{self, ActionItemFilter};
use crate::db::meetings as store;
use crate::db::{participants, Db};
use crate::meetings::action_items::TaskStatus;
use crate::meetings::directory::FieldError;
use crate::meetings::display;
use crate::meetings::lifecycle::MeetingStatus;
use crate::meetings::window::Window;
use crate::ops::{self, Actor};
use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use maud::html;
use serde::Deserialize;

/// A meeting ahead (or running); a series once, at its next date.
struct Upcoming {
    meeting: store::MeetingRow,
    answer: Option<crate::meetings::participation::Rsvp>,
    series_id: Option<crate::meetings::SeriesId>,
    series: Option<String>,
    /// Later dates of the same series.
    more: usize,
}

/// A meeting of the last 30 days: its minutes, my feedback, what it left me to do.
struct Recent {
    meeting: store::MeetingRow,
    feedback: Option<i32>,
    open_tasks: usize,
}

#[derive(Deserialize)]
pub struct MeQuery {
    /// What the reader just did: `progress` or `done`, on `task`.
    done: Option<String>,
    task: Option<i64>,
}

pub async fn show(
    req: HttpRequest,
    reader: Reader,
    pages: web::Data<Pages>,
    db: web::Data<Db>,
    query: web::Query<MeQuery>,
) -> Result<HttpResponse, PageError> {
    let Some(session) = reader.session(&pages, &db).await? else {
        return identity::begin(&req, &pages, &db, "/me".into()).await;
    };
    let person = session.person_id;
    let since = pages.now_ms() - 24 * 3600 * 1000;
    let MeQuery { done, task } = query.into_inner();
    let done_task = task.and_then(|t| crate::meetings::ActionItemId::new(t).ok());
    let month_ago = pages.now_ms() - 30 * 24 * 3600 * 1000;
    let (meetings, recent, mut tasks, said) = db
        .run(move |c| {
            let mut meetings: Vec<Upcoming> = Vec::new();
            for m in store::for_person(c, person, Window::Upcoming.statuses())? {
                if m.ends_at.millis() < since {
                    continue;
                }
                // A series is listed once, at its next date, with how many more follow.
                let series = ops::series::of_meeting(c, m.id)?;
                if let Some((s, _)) = &series {
                    if let Some(first) = meetings.iter_mut().find(|u| u.series_id == Some(s.id)) {
                        first.more += 1;
                        continue;
                    }
                }
                let answer = participants::get(c, m.id, person)?.map(|p| p.rsvp);
                meetings.push(Upcoming {
                    series_id: series.as_ref().map(|(s, _)| s.id),
                    series: series.map(|(s, _)| ops::series::pattern(&s)),
                    more: 0,
                    meeting: m,
                    answer,
                });
            }
            let mut recent = Vec::new();
            for m in store::for_person(c, person, Window::Afterwards.statuses())? {
                if m.ends_at.millis() < month_ago {
                    continue;
                }
                let feedback = crate::db::feedback::of_person(c, m.id, person)?.map(|(r, _)| r);
                let open_tasks = action_items::list(
                    c,
                    &ActionItemFilter {
                        owner_id: Some(person),
                        meeting_id: Some(m.id),
                        statuses: Some(TaskStatus::UNFINISHED.to_vec()),
                        ..Default::default()
                    },
                )?
                .len();
                recent.push(Recent {
                    meeting: m,
                    feedback,
                    open_tasks,
                });
            }
            // Latest first.
            recent.reverse();
            let mut tasks = Vec::new();
            for t in action_items::list(
                c,
                &ActionItemFilter {
                    owner_id: Some(person),
                    statuses: Some(TaskStatus::UNFINISHED.to_vec()),
                    ..Default::default()
                },
            )? {
                let last = action_items::progress(c, t.id)?
                    .pop()
                    .map(|(_, text, _)| text);
                tasks.push((t, last));
            }
            // What was just done, worded from the task as it is now (a link cannot make the
            // page say anything untrue).
            let said = match (done.as_deref(), done_task) {
                (Some(what), Some(id)) => action_items::get(c, id)?
                    .filter(|t| t.owner_id == person)
                    .and_then(|t| match (what, t.status) {
                        ("done", TaskStatus::Done) => Some(format!("已完成「{}」", t.title)),
                        ("progress", _) => Some(format!(
                            "已汇报进展「{}」 · {}",
                            t.title,
                            t.status.label_zh()
                        )),
                        _ => None,
                    }),
                _ => None,
            };
            Ok((meetings, recent, tasks, said))
        })
        .await?;
    let today = pages
        .env()
        .now
        .with_timezone(&pages.notices.tz)
        .date_naive();
    // Overdue first, then by due date.
    tasks.sort_by_key(|(t, _)| (t.due_on >= today, t.due_on));
    let tz = pages.notices.tz;
    let csrf = session.csrf(&pages.key);
    let body = html! {
        @if let Some(said) = &said { p.ok #done role="status" { "✓ " (said) } }
        section {
            h1 { "我的会议" }
            @if meetings.is_empty() { p class="muted" { "近期没有会议。" } }
            ul #upcoming {
                @for u in &meetings {
                    @let m = &u.meeting;
                    li {
                        a href={ "/m/" (m.id) } { (m.title) }
                        @if m.status == MeetingStatus::InProgress { " " span.badge { "进行中" } }
                        br;
                        span class="muted" {
                            (display::when(m.starts_at, tz))
                            @if let Some(a) = &u.answer { " · " (super::meeting::answer_zh(a)) }
                        }
                        @if let Some(pattern) = &u.series {
                            br;
                            span.muted { "例会：" (pattern) @if u.more > 0 { "（之后还有 " (u.more) " 次）" } }
                        }
                    }
                }
            }
        }
        @if !recent.is_empty() {
            section {
                h2 { "最近 30 天" }
                ul #recent {
                    @for r in &recent {
                        @let m = &r.meeting;
                        li {
                            a href={ "/m/" (m.id) } { (m.title) }
                            br;
                            span.muted {
                                (display::when(m.starts_at, tz)) " · "
                                @if m.status == MeetingStatus::Closed { "纪要已发布" } @else { "纪要整理中" }
                                " · "
                                @match r.feedback { Some(n) => { "我的反馈 " (n) " 分" } None => { "未反馈" } }
                                @if r.open_tasks > 0 { " · 我的待办 " (r.open_tasks) " 项" }
                            }
                        }
                    }
                }
            }
        }
        section {
            h2 { "我的待办" }
            @if tasks.is_empty() { p class="muted" { "没有未完成的任务。" } }
            ul {
                @for (t, last) in &tasks {
                    li {
                        (t.title)
                        br;
                        @let overdue = t.due_on < today;
                        span class=(if overdue { "badge late" } else { "muted" }) {
                            "截止 " (t.due_on) " · " (t.status.label_zh())
                        }
                        @if let Some(last) = last { br; span.muted { "我的进展：" (last) } }
                        form method="post" action={ "/tasks/" (t.id) "/progress" } {
                            input type="hidden" name="csrf" value=(csrf);
                            input type="text" name="text" placeholder="进展" aria-label="进展";
                            div.row {
                                button.plain { "汇报进展" }
                                button formaction={ "/tasks/" (t.id) "/done" } formnovalidate { "完成" }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(layout::page("我的会议", body).into_string()))
}

#[derive(Deserialize)]
pub struct TaskForm {
    csrf: String,
    text: Option<String>,
}

/// A task's or checklist item's id from the path; one that cannot exist is not found.
fn path_id<Id: std::str::FromStr>(raw: &str, what: &'static str) -> Result<Id, PageError> {
    raw.parse().map_err(|_| PageError::Missing(what))
}

fn back_to_me(done: &str, task: crate::meetings::ActionItemId) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, format!("/me?done={done}&task={task}")))
        .finish()
}

/// `POST /tasks/{id}/progress`: the owner reports progress.
pub async fn progress(
    reader: Reader,
    pages: web::Data<Pages>,
    db: web::Data<Db>,
    id: web::Path<String>,
    form: web::Form<TaskForm>,
) -> Result<HttpResponse, PageError> {
    let id = path_id(&id, "任务")?;
    let form = form.into_inner();
    let session = reader.posting(&pages, &db, &form.csrf).await?;
    let text = form.text.unwrap_or_default().trim().to_owned();
    if text.is_empty() {
        return Err(PageError::Refused(ops::OpsError::Invalid(vec![
            FieldError {
                field: "text",
                message: "请填写进展".into(),
            },
        ])));
    }
    let env = pages.env();
    let person = session.person_id;
    ops::run(&db, move |c| {
        ops::tasks::progress(c, &env, Actor::Person(person), id, &text).map(|_| ())
    })
    .await?;
    Ok(back_to_me("progress", id))
}

/// `POST /tasks/{id}/done`.
pub async fn done(
    reader: Reader,
    pages: web::Data<Pages>,
    db: web::Data<Db>,
    id: web::Path<String>,
    form: web::Form<TaskForm>,
) -> Result<HttpResponse, PageError> {
    let id = path_id(&id, "任务")?;
    let session = reader.posting(&pages, &db, &form.into_inner().csrf).await?;
    let env = pages.env();
    let person = session.person_id;
    ops::run(&db, move |c| {
        ops::tasks::done(c, &env, Actor::Person(person), id).map(|_| ())
    })
    .await?;
    Ok(back_to_me("done", id))
}

/// `POST /checklist/{id}/done`: the owner ticks a preparation item off; back to its meeting.
pub async fn checklist_done(
    reader: Reader,
    pages: web::Data<Pages>,
    db: web::Data<Db>,
    id: web::Path<String>,
    form: web::Form<TaskForm>,
) -> Result<HttpResponse, PageError> {
    let id = path_id(&id, "清单项")?;
    let session = reader.posting(&pages, &db, &form.into_inner().csrf).await?;
    let env = pages.env();
    let person = session.person_id;
    let item = ops::run(&db, move |c| {
        ops::checklist::tick(c, &env, Actor::Person(person), id)
    })
    .await?;
    Ok(HttpResponse::SeeOther()
        .insert_header((
            header::LOCATION,
            format!("/m/{}?done=checklist", item.meeting_id),
        ))
        .finish())
}
