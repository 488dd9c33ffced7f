//! `/console/meetings/{id}/live`: the live board while a meeting runs: attendance (counted as
//! every door counts it) with the absent by name, 代签 for those not there yet, the open
//! questions, decisions put to the vote and where they stand, the running item and the
//! minutes. `/static/meeting.js` fetches the board again every 5 seconds and leaves it alone
//! while a box is ticked.

use super::frame::{self, see_other};
use super::meeting::{agenda_list, attendance_table, load, meeting_id, minutes_list, View};
use super::{Console, Signed};
use crate::meetings::display;
use crate::meetings::lifecycle::MeetingStatus;
use crate::meetings::participation::Attendance;
use crate::meetings::PersonId;
use crate::ops::attendance::{self as presence, CheckinWay};
use crate::ops::board::Board;
use crate::ops::{self, OpsError};
use crate::web::pages::error::PageError;
use crate::web::pages::Pages;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono_tz::Tz;
use maud::{html, Markup};
use serde::Deserialize;
use std::collections::HashMap;

struct Live {
    view: View,
    board: Board,
    open: ops::live::Open,
}

async fn read(
    pages: &Pages,
    db: &crate::db::Db,
    signed: Signed,
    id: i64,
) -> Result<Live, PageError> {
    let id = meeting_id(id)?;
    let env = pages.env();
    Ok(ops::run(db, move |c| {
        let view = load(c, &env, signed, id)?;
        let board = ops::board::board(c, &env, view.staff.actor, id)?;
        let open = ops::live::open(c, id)?;
        Ok(Live { view, board, open })
    })
    .await?)
}

#[derive(Deserialize)]
pub struct LiveQuery {
    done: Option<String>,
}

/// `GET /console/meetings/{id}/live`.
pub async fn live(
    req: HttpRequest,
    console: Console,
    pages: web::Data<Pages>,
    db: web::Data<crate::db::Db>,
    id: web::Path<i64>,
    query: web::Query<LiveQuery>,
) -> Result<HttpResponse, PageError> {
    let signed = console.entered(&req, &pages, &db).await?;
    let live = read(&pages, &db, signed, id.into_inner()).await?;
    let m = &live.view.record.meeting;
    let tz = pages.notices.tz;
    let csrf = signed.csrf(&pages.key);
    let said = (query.done.as_deref() == Some("checkin") && !live.board.roster.is_empty())
        .then(|| crate::web::pages::running::tally_line(&live.board.tally));
    let body = html! {
        @if let Some(said) = said { p.ok #done role="status" { "✓ 已代签。" (said) } }
        section {
            h1 { "现场：#" (m.id) " " (m.title) }
            a href={ "/console/meetings/" (m.id) } { "← 返回会议" }
        }
        (board(&live, &csrf, tz, pages.env().now_ms()))
        script src="/static/meeting.js" defer {}
    };
    Ok(frame::page("现场看板", &live.view.staff, &csrf, None, body))
}

/// `GET /console/meetings/{id}/live/board`: the board alone, for the page's script.
pub async fn refresh(
    req: HttpRequest,
    console: Console,
    pages: web::Data<Pages>,
    db: web::Data<crate::db::Db>,
    id: web::Path<i64>,
) -> Result<HttpResponse, PageError> {
    let signed = console.entered(&req, &pages, &db).await?;
    let live = read(&pages, &db, signed, id.into_inner()).await?;
    let csrf = signed.csrf(&pages.key);
    Ok(frame::html_response(board(
        &live,
        &csrf,
        pages.notices.tz,
        pages.env().now_ms(),
    )))
}

fn board(live: &Live, csrf: &str, tz: Tz, now_ms: i64) -> Markup {
    let v = &live.view;
    let b = &live.board;
    let m = &v.record.meeting;
    // Until the end, arrivals change what the board shows.
    let arriving = matches!(
        m.status,
        MeetingStatus::Scheduled | MeetingStatus::InProgress
    );
    let absent: Vec<&str> = v
        .attendance
        .people
        .iter()
        .filter(|p| p.attendance == Attendance::Absent)
        .map(|p| p.name.as_str())
        .collect();
    let waiting: Vec<_> = b
        .roster
        .iter()
        .filter(|s| s.checked_in_at.is_none())
        .collect();
    let may_check_in = b.may_check_in_others() && !waiting.is_empty();
    html! {
        div #board data-refresh={ "/console/meetings/" (m.id) "/live/board" } data-period="5000" data-now=(now_ms) {
            section {
                p { span.badge { (m.status.label_zh()) } " " (display::span(m.starts_at, m.ends_at, tz))
                    " · 更新于 " (display::clock(now_ms, tz))
                    @if arriving { span.muted { "（每 5 秒自动刷新）" } } }
            }
            section {
                h2 { "出席" }
                (attendance_table(&v.attendance, tz))
                @if !absent.is_empty() { p.warn #absent-names { "缺席：" (absent.join("、")) } }
                @if may_check_in {
                    form #console-checkin method="post" action={ "/console/meetings/" (m.id) "/checkin" } {
                        input type="hidden" name="csrf" value=(csrf);
                        p { "代签：" }
                        div.row {
                            @for seat in &waiting {
                                label.inline { input type="checkbox" name=(format!("p{}", seat.person)) value="1"; " " (seat.name) }
                            }
                        }
                        button #console-checkin-button { "为所选的人代签" }
                    }
                }
            }
            @if m.status == MeetingStatus::InProgress {
                section #open-questions {
                    h2 { "提问" }
                    @let unanswered: Vec<_> = b.questions.iter().filter(|q| q.answered_at.is_none()).collect();
                    @if b.powers.record {
                        @if unanswered.is_empty() { p.muted { "没有待答复的提问。" } }
                        ul { @for q in unanswered { li { (q.body) @if q.anonymous { span.muted { "（匿名）" } } } } }
                    } @else {
                        p { "待答复提问 " (live.open.questions) " 条，未解决的现场求助 " (live.open.help_requests) " 条" }
                    }
                }
                @if !b.ballots.is_empty() {
                    section #votes {
                        h2 { "表决" }
                        @for ballot in &b.ballots {
                            @let s = &ballot.standing;
                            @let name = |p: &PersonId| v.names.get(p).cloned().unwrap_or_default();
                            p {
                                span.badge { "决议" } " " (s.entry.body) br;
                                span.muted {
                                    "同意 " (s.tally.agreed.len()) "，异议 " (s.tally.objected.len()) "，未表态 " (s.tally.silent.len())
                                    @for (p, reason) in &s.tally.objected { " · " (name(p)) "：" (reason) }
                                }
                            }
                        }
                    }
                }
            }
            section { h2 { "议程" } (agenda_list(v, tz, now_ms)) }
            section { h2 { "纪要" } (minutes_list(v, tz, None)) }
        }
    }
}

/// `POST /console/meetings/{id}/checkin`: a host or organizer checks in the people ticked.
pub async fn check_in(
    console: Console,
    pages: web::Data<Pages>,
    db: web::Data<crate::db::Db>,
    id: web::Path<i64>,
    form: web::Form<HashMap<String, String>>,
) -> Result<HttpResponse, PageError> {
    let mut form = form.into_inner();
    let csrf = form.remove("csrf").unwrap_or_default();
    let signed = console.posting(&pages, &db, &csrf).await?;
    let id = meeting_id(id.into_inner())?;
    let chosen: Vec<PersonId> = form
        .keys()
        .filter_map(|k| k.strip_prefix('p'))
        .filter_map(|n| n.parse().ok())
        .collect();
    if chosen.is_empty() {
        return Err(PageError::BadInput("请先勾选要代签的人。".into()));
    }
    let env = pages.env();
    ops::run(&db, move |c| {
        let staff = super::Staff::of(c, &signed)?;
        for person in chosen {
            presence::check_in(c, &env, staff.actor, id, person, CheckinWay::OnBehalf)?;
        }
        Ok::<_, OpsError>(())
    })
    .await?;
    Ok(see_other(&format!(
        "/console/meetings/{id}/live?done=checkin"
    )))
}
