//! Signing in to the console: the one-time link `后台` sends, or the admin token (the built-in
//! administrator, for the first setup); and signing out.

use super::frame::html_response;
use super::{Console, CsrfForm};
use crate::db::sessions::Holder;
use crate::db::{console_links, people, Db};
use crate::ops;
use crate::web::bearer::AdminToken;
use crate::web::pages::error::PageError;
use crate::web::pages::layout;
use crate::web::pages::session;
use crate::web::pages::session::COOKIE;
use crate::web::pages::Pages;
use crate::web::rate_limit::{Limits, Secret};
use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::header;
use actix_web::{web, HttpResponse};
use maud::html;
use secrecy::ExposeSecret;
use serde::Deserialize;
use subtle::ConstantTimeEq;

/// The cookie that ties a console link's confirmation to the browser that opened the link.
const LINK_COOKIE: &str = "huiwu_console_link";

/// `GET /console/login/{token}`: the link `后台` sent, opened. Nothing is spent yet: the page
/// names whose console this is and asks to confirm, so that a link someone else slipped to
/// the reader (or a chat app's link preview) signs nobody in by being opened.
pub async fn with_link(
    pages: web::Data<Pages>,
    db: web::Data<Db>,
    token: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let token = token.into_inner();
    let now = pages.now_ms();
    let looked_up = token.clone();
    let person = db
        .run(move |c| {
            let Some(id) = console_links::peek(c, &looked_up, now)? else {
                return Ok(None);
            };
            people::get(c, id)
        })
        .await?
        .ok_or(PageError::StaleConsoleLink)?;
    let nonce = hex::encode(rand::random::<[u8; 16]>());
    let proof = pages.key.tag(&format!("console-link:{token}:{nonce}"));
    let body = layout::wide(
        "登录会务后台",
        None,
        html! {
            section {
                h1 { "登录会务后台" }
                p { "你将以 " strong { (person.name) } "（" (person.employee_no) "）的身份登录会务后台。" }
                p.muted { "如果这不是你本人在公众号或企业微信中发送「后台」得到的链接，请关闭此页面。" }
                form method="post" action=(format!("/console/login/{token}")) {
                    input type="hidden" name="proof" value=(proof);
                    button { "确认登录" }
                }
            }
        },
    );
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .cookie(
            Cookie::build(LINK_COOKIE, nonce)
                .path("/console/login")
                .http_only(true)
                .same_site(SameSite::Strict)
                .secure(pages.secure_cookies)
                .max_age(actix_web::cookie::time::Duration::minutes(10))
                .finish(),
        )
        .body(body.into_string()))
}

#[derive(Deserialize)]
pub struct LinkForm {
    proof: String,
}

/// `POST /console/login/{token}`: confirmed in the browser that opened the link (its cookie
/// and the form agree); the link is spent and a session begins.
pub async fn confirm_link(
    req: actix_web::HttpRequest,
    pages: web::Data<Pages>,
    db: web::Data<Db>,
    token: web::Path<String>,
    form: web::Form<LinkForm>,
) -> Result<HttpResponse, PageError> {
    let token = token.into_inner();
    let nonce = req.cookie(LINK_COOKIE).map(|c| c.value().to_owned());
    let this_browser = nonce.is_some_and(|nonce| {
        pages
            .key
            .verify(&format!("console-link:{token}:{nonce}"), &form.proof)
    });
    if !this_browser {
        return Err(PageError::Csrf);
    }
    let now = pages.now_ms();
    // The link is used up whoever it named: it is taken, then the person is looked at.
    let person = ops::run(&db, move |c| {
        let Some(id) = console_links::take(c, &token, now)? else {
            return Ok(None);
        };
        Ok(Some(ops::account::staff(c, id).map(|(person, _)| person)))
    })
    .await?
    .ok_or(PageError::StaleConsoleLink)??;
    tracing::info!(person_id = %person.id, "signed in to the console");
    let token = session::start(&pages, &db, Holder::Person(person.id)).await?;
    Ok(HttpResponse::SeeOther()
        .cookie(session::cookie(
            COOKIE,
            "/",
            token,
            SameSite::Lax,
            pages.secure_cookies,
        ))
        .cookie(session::removal(LINK_COOKIE, "/console/login"))
        .insert_header((header::LOCATION, "/console"))
        .finish())
}

fn token_form(error: Option<&str>) -> maud::Markup {
    layout::wide(
        "登录会务后台",
        None,
        html! {
            section {
                h1 { "登录会务后台" }
                p { "管理员和会务组：在公众号或企业微信中发送「后台」，打开收到的登录链接。" }
                p.muted { "首次设置时，可用配置文件中的管理令牌（admin.token）以内置管理员身份登录：" }
                @if let Some(e) = error { p.error { (e) } }
                form method="post" action="/console/sign-in" {
                    label for="token" { "管理令牌" }
                    input #token type="password" name="token" autocomplete="off" required;
                    button { "登录" }
                }
            }
        },
    )
}

/// `GET /console/sign-in`.
pub async fn form() -> HttpResponse {
    html_response(token_form(None))
}

#[derive(Deserialize)]
pub struct TokenForm {
    token: String,
}

/// `POST /console/sign-in`: the admin token, compared in constant time.
pub async fn with_token(
    req: actix_web::HttpRequest,
    pages: web::Data<Pages>,
    limits: web::Data<Limits>,
    db: web::Data<Db>,
    admin: web::Data<AdminToken>,
    form: web::Form<TokenForm>,
) -> Result<HttpResponse, PageError> {
    if !limits.allow(Secret::AdminToken, req.peer_addr().map(|a| a.ip())) {
        return Err(PageError::TooManyTries);
    }
    let Some(expected) = admin.0.as_ref() else {
        return Ok(HttpResponse::Forbidden()
            .content_type("text/html; charset=utf-8")
            .body(
                token_form(Some(
                    "管理令牌未配置（admin.token），请用「后台」链接登录。",
                ))
                .into_string(),
            ));
    };
    let given = form.token.trim().as_bytes();
    let expected = expected.expose_secret().as_bytes();
    if !(given.len() == expected.len() && bool::from(given.ct_eq(expected))) {
        tracing::warn!("console sign-in with a wrong admin token");
        return Ok(HttpResponse::Unauthorized()
            .content_type("text/html; charset=utf-8")
            .body(token_form(Some("管理令牌不正确。")).into_string()));
    }
    tracing::info!("the built-in administrator signed in to the console");
    let token = session::start(&pages, &db, Holder::BuiltInAdmin).await?;
    Ok(HttpResponse::SeeOther()
        .cookie(session::cookie(
            super::ADMIN_COOKIE,
            "/console",
            token,
            SameSite::Strict,
            pages.secure_cookies,
        ))
        .insert_header((header::LOCATION, "/console"))
        .finish())
}

/// `POST /console/sign-out`: the session ends (its cookie opens nothing any more, wherever
/// a copy of it is) and both cookies go.
pub async fn sign_out(
    console: Console,
    pages: web::Data<Pages>,
    db: web::Data<Db>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, PageError> {
    let signed = console.posting(&pages, &db, &form.csrf).await?;
    let token = *signed.token();
    ops::run(&db, move |c| ops::account::sign_out(c, &token)).await?;
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, "/console/sign-in"))
        .cookie(session::removal(super::ADMIN_COOKIE, "/console"))
        .cookie(session::removal(COOKIE, "/"))
        .finish())
}
