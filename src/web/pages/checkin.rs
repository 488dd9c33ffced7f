//! `/c/{code}`: a room screen's QR code, scanned. The platform's silent authorisation says who
//! scanned; the person is checked in (late after the grace), through the operations layer.

use super::error::PageError;
use super::identity;
use super::layout;
use super::session::Reader;
use super::Pages;
use crate::db::Db;
use crate::meetings::display;
use crate::ops::{self, attendance, Actor};
use actix_web::{web, HttpRequest, HttpResponse};
use maud::html;

pub async fn scan(
    req: HttpRequest,
    reader: Reader,
    pages: web::Data<Pages>,
    db: web::Data<Db>,
    code: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let code = code.into_inner();
    let Some(session) = reader.session(&pages, &db).await? else {
        return identity::begin(&req, &pages, &db, req.path().to_owned()).await;
    };
    let env = pages.env();
    let verified = pages
        .checkin_key
        .verify_rotating(&code, env.now)
        .map_err(|e| PageError::Refused(e.into()))?;
    let meeting = verified.meeting();
    let person = session.person_id;
    let done = ops::run(&db, move |c| {
        attendance::check_in(
            c,
            &env,
            Actor::Person(person),
            meeting,
            person,
            attendance::CheckinWay::Code(verified),
        )
    })
    .await?;
    let tz = pages.notices.tz;
    let m = &done.record.meeting;
    let body = html! {
        section {
            h1 { @if done.fresh { "签到成功" } @else { "已签到" } }
            p { (m.title) }
            p {
                @if done.fresh {
                    (display::clock(done.at.timestamp_millis(), tz)) " 签到"
                    @if done.late_minutes > 0 { " " span class="badge late" { "迟到 " (done.late_minutes) " 分钟" } }
                } @else {
                    "已于 " (display::clock(done.at.timestamp_millis(), tz)) " 签到过"
                }
            }
            p.muted { a href={ "/m/" (m.id) } { "查看会议" } }
        }
    };
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(layout::page("签到", body).into_string()))
}
