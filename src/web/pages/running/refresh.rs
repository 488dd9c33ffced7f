//! `GET /m/{id}/board`: the board alone, for `meeting.js` to put in place of the one on the
//! page while the meeting runs (polling: no socket to keep open through WeChat's browser).

use super::super::meeting::meeting_id;
use super::super::session::Reader;
use super::super::{PageError, Pages};
use super::view::{section, shown, Frame};
use crate::db::Db;
use crate::meetings::audit_action::Audit;
use crate::ops::{self, reading, Actor};
use actix_web::{web, HttpResponse};

pub async fn board(
    reader: Reader,
    pages: web::Data<Pages>,
    db: web::Data<Db>,
    id: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let id = meeting_id(&id)?;
    let session = reader
        .session(&pages, &db)
        .await?
        .ok_or(PageError::SignedOut)?;
    let env = pages.env();
    let person = session.person_id;
    let now_ms = env.now_ms();
    let (record, board) = ops::run(&db, move |c| {
        let record = reading::meeting(c, &env, person, id, Audit::PageBoard)?;
        let board = ops::board::board(c, &env, Actor::Person(person), id)?;
        Ok((record, board))
    })
    .await?;
    if !shown(&board) {
        return Ok(HttpResponse::NoContent().finish());
    }
    let csrf = session.csrf(&pages.key);
    let frame = Frame {
        meeting: &record.meeting,
        csrf: &csrf,
        tz: pages.notices.tz,
        now_ms,
        problem: None,
    };
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(section(&board, &frame).into_string()))
}

pub async fn script() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header(("Cache-Control", "public, max-age=3600"))
        .body(include_str!("meeting.js"))
}
