//! The organizer console, first part: signing in with a `后台` link, and the meetings an admin
//! or organizer looks after. Organizers see the meetings they host or organize; admins all.

use super::error::PageError;
use super::layout;
use super::session::{Reader, Session};
use super::Pages;
use crate::db::meetings::{self as store, MeetingFilter};
use crate::db::{audit, console_links, people, Db};
use crate::meetings::display;
use crate::meetings::participation::Role;
use actix_web::http::header;
use actix_web::{web, HttpResponse};
use maud::html;

/// `GET /console/login/{token}`: the link `后台` sent, opened (once).
pub async fn sign_in(
    pages: web::Data<Pages>,
    db: web::Data<Db>,
    token: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let token = token.into_inner();
    let now = pages.now_ms();
    let person = db
        .run(move |c| {
            let Some(id) = console_links::take(c, &token, now)? else {
                return Ok(None);
            };
            people::get(c, id)
        })
        .await?
        .ok_or(PageError::StaleLogin)?;
    if !(person.active && (person.is_admin || person.is_organizer)) {
        return Err(PageError::NotConsoleUser);
    }
    tracing::info!(person_id = person.id, "signed in to the console");
    let session = Session {
        person_id: person.id,
        expires_ms: now + super::session::LIFETIME_MS,
    };
    Ok(HttpResponse::SeeOther()
        .cookie(session.cookie(&pages.key, pages.secure_cookies))
        .insert_header((header::LOCATION, "/console"))
        .finish())
}

/// `GET /console`: the meetings the reader looks after, soonest first.
pub async fn meetings(
    Reader(session): Reader,
    pages: web::Data<Pages>,
    db: web::Data<Db>,
) -> Result<HttpResponse, PageError> {
    let session = session.ok_or(PageError::NotConsoleUser)?;
    let reader = session.person_id;
    let now = pages.now_ms();
    let (me, rows) = db
        .run(move |c| {
            let Some(me) = people::get(c, reader)?.filter(|p| p.active) else {
                return Ok(None);
            };
            if !(me.is_admin || me.is_organizer) {
                return Ok(None);
            }
            let filter = MeetingFilter {
                from: Some(now - 7 * 24 * 3600 * 1000),
                person_id: (!me.is_admin).then_some(me.id),
                ..Default::default()
            };
            let mut rows = Vec::new();
            for m in store::list(c, &filter)? {
                let Some(record) = store::get(c, m.id)? else {
                    continue;
                };
                let roles = record.roles_of(me.id);
                let looks_after = roles.contains(&Role::Host) || roles.contains(&Role::Organizer);
                if !me.is_admin && !looks_after {
                    continue;
                }
                if m.confidential {
                    audit::append(
                        c,
                        &format!("person:{}", me.id),
                        "console_list",
                        Some(m.id),
                        now,
                    )?;
                }
                rows.push(m);
            }
            Ok(Some((me, rows)))
        })
        .await?
        .ok_or(PageError::NotConsoleUser)?;
    let tz = pages.notices.tz;
    let body = html! {
        section {
            h1 { "会务后台" }
            p.muted { (me.name) @if me.is_admin { "（管理员）" } @else { "（会务组）" } }
            @if rows.is_empty() { p.muted { "近期没有你负责的会议。" } }
            ul {
                @for m in &rows {
                    li {
                        a href={ "/m/" (m.id) } { "#" (m.id) " " (m.title) }
                        br;
                        span.muted { (display::when(m.starts_at, tz)) " · " (m.status.as_str()) }
                    }
                }
            }
        }
    };
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(layout::page("会务后台", body).into_string()))
}
