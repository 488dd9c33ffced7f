//! The organizer console (`/console`): admins and organizers prepare, run and follow up
//! meetings in a browser. It shares the staff pages' key, session cookie and error pages; the
//! built-in administrator (the admin token) has a cookie of its own, since it is no person.
//! Every handler parses the form, resolves who is signed in through `ops::account::staff` (so
//! a flag taken away counts at once) and calls the operations layer.

mod audit;
mod binding;
mod editor;
mod frame;
mod live;
mod meeting;
mod meetings;
mod menu;
mod people;
mod repeat;
mod reports;
mod rooms;
mod sign_in;
mod week;

use super::error::PageError;
use super::session::{self, PageKey, Session, COOKIE};
use super::Pages;
use crate::db::sessions::{Holder, SessionToken};
use crate::db::DbConn;
use crate::ops::{self, Actor, OpsError};
use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};
use std::future::{ready, Ready};

/// Served by huiwu itself: intranets often reach no CDN.
async fn script() -> actix_web::HttpResponse {
    actix_web::HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header(("Cache-Control", "public, max-age=3600"))
        .body(include_str!("console.js"))
}

async fn style() -> actix_web::HttpResponse {
    actix_web::HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header(("Cache-Control", "public, max-age=3600"))
        .body(super::layout::STYLE)
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/static/console.js", web::get().to(script))
        .route("/static/huiwu.css", web::get().to(style))
        .route("/console", web::get().to(meetings::list))
        .route("/console/week", web::get().to(week::week))
        .route("/console/sign-in", web::get().to(sign_in::form))
        .route("/console/sign-in", web::post().to(sign_in::with_token))
        .route("/console/sign-out", web::post().to(sign_in::sign_out))
        .route("/console/login/{token}", web::get().to(sign_in::with_link))
        .route(
            "/console/login/{token}",
            web::post().to(sign_in::confirm_link),
        )
        .route("/console/meetings/new", web::get().to(editor::new_form))
        .route("/console/meetings", web::post().to(editor::create))
        .route("/console/meetings/{id}", web::get().to(meeting::show))
        .route("/console/meetings/{id}", web::post().to(editor::update))
        .route(
            "/console/meetings/{id}/edit",
            web::get().to(editor::edit_form),
        )
        .route("/console/meetings/{id}/live", web::get().to(live::live))
        .route(
            "/console/meetings/{id}/live/board",
            web::get().to(live::refresh),
        )
        .route(
            "/console/meetings/{id}/checkin",
            web::post().to(live::check_in),
        )
        .route(
            "/console/meetings/{id}/publish",
            web::post().to(meeting::publish),
        )
        .route(
            "/console/meetings/{id}/cancel",
            web::post().to(meeting::cancel),
        )
        .route(
            "/console/meetings/{id}/minutes",
            web::post().to(meeting::publish_minutes),
        )
        .route(
            "/console/meetings/{id}/minutes/{entry}",
            web::post().to(meeting::edit_entry),
        )
        .route(
            "/console/meetings/{id}/reports",
            web::get().to(reports::show),
        )
        .route(
            "/console/meetings/{id}/reports/{file}",
            web::get().to(reports::download),
        )
        .route(
            "/console/meetings/{id}/checklist",
            web::post().to(meeting::add_item),
        )
        .route(
            "/console/checklist/{item}",
            web::post().to(meeting::change_item),
        )
        .route(
            "/console/checklist/{item}/remove",
            web::post().to(meeting::remove_item),
        )
        .route("/console/people", web::get().to(people::list))
        .route("/console/people/import", web::post().to(people::upload))
        .route(
            "/console/people/bind-codes.csv",
            web::post().to(binding::export),
        )
        .route(
            "/console/people/{id}/bind-code",
            web::post().to(binding::issue),
        )
        .route("/console/bind-requests", web::get().to(binding::requests))
        .route(
            "/console/bind-requests/{decision}",
            web::post().to(binding::decide),
        )
        .route("/console/people/{id}", web::get().to(people::edit_form))
        .route("/console/people/{id}", web::post().to(people::save))
        .route(
            "/console/people/{id}/deactivate",
            web::post().to(people::deactivate),
        )
        .route("/console/audit", web::get().to(audit::show))
        .route("/console/menu", web::get().to(menu::show))
        .route("/console/menu", web::post().to(menu::save))
        .route("/console/rooms/busy", web::get().to(editor::busy))
        .route("/console/rooms", web::get().to(rooms::list))
        .route("/console/rooms", web::post().to(rooms::create))
        .route("/console/rooms/{id}", web::get().to(rooms::edit_form))
        .route("/console/rooms/{id}", web::post().to(rooms::save))
        .route(
            "/console/rooms/{id}/deactivate",
            web::post().to(rooms::deactivate),
        )
        .route(
            "/console/rooms/{id}/display-key",
            web::post().to(rooms::issue_key),
        )
        .route(
            "/console/rooms/{id}/display-key/revoke",
            web::post().to(rooms::revoke_key),
        );
}

/// A form that carries nothing but its CSRF token (a button).
#[derive(serde::Deserialize)]
pub struct CsrfForm {
    pub csrf: String,
}

/// The built-in administrator's cookie (signed in with the admin token).
const ADMIN_COOKIE: &str = "huiwu_console_admin";

/// Who signed in to the console, as the session store says now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signed {
    /// The admin token's holder, by the session behind this token.
    Admin { token: SessionToken },
    /// A person, by the staff pages' session.
    Person(Session),
}

impl Signed {
    pub fn token(&self) -> &SessionToken {
        match self {
            Signed::Admin { token } => token,
            Signed::Person(s) => s.token(),
        }
    }

    /// The token the console's forms carry, bound to this sign-in.
    pub fn csrf(&self, key: &PageKey) -> String {
        session::csrf_of(key, self.token())
    }

    /// Runs `op` in one transaction as the signed-in staff member, read anew from the
    /// directory (a flag taken away counts at once).
    pub async fn act<T, F>(self, db: &crate::db::Db, op: F) -> Result<T, PageError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConn, Actor) -> Result<T, OpsError> + Send + 'static,
    {
        Ok(ops::run(db, move |c| {
            let staff = Staff::of(c, &self)?;
            op(c, staff.actor)
        })
        .await?)
    }
}

/// The console's cookies as a request carries them, not checked yet (the admin's first: it
/// was asked for explicitly).
pub struct Console(Vec<(bool, SessionToken)>);

impl Console {
    /// The first cookie whose session holds.
    async fn signed(&self, pages: &Pages, db: &crate::db::Db) -> Result<Option<Signed>, PageError> {
        let (now, rules) = (pages.now_ms(), pages.session_rules);
        for &(admin, token) in &self.0 {
            let holder =
                ops::run(db, move |c| ops::account::session(c, now, rules, &token)).await?;
            let signed = match (admin, holder) {
                (true, Some(Holder::BuiltInAdmin)) => Signed::Admin { token },
                (false, Some(Holder::Person(person_id))) => {
                    Signed::Person(Session::restore(person_id, token))
                }
                _ => continue,
            };
            return Ok(Some(signed));
        }
        Ok(None)
    }

    /// The sign-in a console page is read with. Inside WeChat or WeCom, a reader without one
    /// goes through the staff pages' silent authorisation and comes back to this page.
    pub async fn entered(
        &self,
        req: &HttpRequest,
        pages: &Pages,
        db: &crate::db::Db,
    ) -> Result<Signed, PageError> {
        if let Some(signed) = self.signed(pages, db).await? {
            return Ok(signed);
        }
        if super::identity::Platform::of(req).is_none() {
            return Err(PageError::NotConsoleUser);
        }
        let here = match req.query_string() {
            "" => req.path().to_owned(),
            q => format!("{}?{q}", req.path()),
        };
        Err(super::identity::authorize(req, pages, db, here).await?)
    }

    /// The sign-in behind a posted console form, if the form's CSRF token is its own.
    pub async fn posting(
        &self,
        pages: &Pages,
        db: &crate::db::Db,
        csrf: &str,
    ) -> Result<Signed, PageError> {
        let signed = self.signed(pages, db).await?.ok_or(PageError::Csrf)?;
        session::check_csrf_of(&pages.key, signed.token(), csrf)?;
        Ok(signed)
    }
}

impl FromRequest for Console {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let cookies = [(true, ADMIN_COOKIE), (false, COOKIE)]
            .into_iter()
            .filter_map(|(admin, name)| {
                Some((admin, SessionToken::parse(req.cookie(name)?.value())?))
            })
            .collect();
        ready(Ok(Console(cookies)))
    }
}

/// The signed-in user, as the directory says now.
#[derive(Debug, Clone)]
pub struct Staff {
    pub actor: Actor,
    pub name: String,
}

impl Staff {
    pub fn of(c: &mut DbConn, signed: &Signed) -> Result<Staff, OpsError> {
        match signed {
            Signed::Admin { .. } => Ok(Staff {
                actor: Actor::Admin,
                name: "管理员".to_owned(),
            }),
            Signed::Person(s) => {
                let (person, actor) = ops::account::staff(c, s.person_id)?;
                Ok(Staff {
                    actor,
                    name: person.name,
                })
            }
        }
    }

    pub fn role_zh(&self) -> &'static str {
        if self.actor.is_admin() {
            "管理员"
        } else {
            "会务组"
        }
    }
}
