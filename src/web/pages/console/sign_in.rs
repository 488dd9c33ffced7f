//! Signing in to the console: the one-time link `后台` sends, or the admin token (the built-in
//! administrator, for the first setup); and signing out.

use super::frame::html_response;
use super::{Console, CsrfForm, Signed};
use crate::db::{console_links, people, Db};
use crate::web::admin::AdminToken;
use crate::web::pages::error::PageError;
use crate::web::pages::layout;
use crate::web::pages::session::{Session, COOKIE, LIFETIME_MS};
use crate::web::pages::Pages;
use actix_web::cookie::Cookie;
use actix_web::http::header;
use actix_web::{web, HttpResponse};
use maud::html;
use secrecy::ExposeSecret;
use serde::Deserialize;
use subtle::ConstantTimeEq;

/// `GET /console/login/{token}`: the link `后台` sent, opened (once).
pub async fn with_link(
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
        .ok_or(PageError::StaleConsoleLink)?;
    if !(person.active && (person.is_admin || person.is_organizer)) {
        return Err(PageError::NotConsoleUser);
    }
    tracing::info!(person_id = %person.id, "signed in to the console");
    let session = Session {
        person_id: person.id,
        expires_ms: now + LIFETIME_MS,
    };
    Ok(HttpResponse::SeeOther()
        .cookie(session.cookie(&pages.key, pages.secure_cookies))
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
    pages: web::Data<Pages>,
    admin: web::Data<AdminToken>,
    form: web::Form<TokenForm>,
) -> HttpResponse {
    let Some(expected) = admin.0.as_ref() else {
        return HttpResponse::Forbidden()
            .content_type("text/html; charset=utf-8")
            .body(
                token_form(Some(
                    "管理令牌未配置（admin.token），请用「后台」链接登录。",
                ))
                .into_string(),
            );
    };
    let given = form.token.trim().as_bytes();
    let expected = expected.expose_secret().as_bytes();
    if !(given.len() == expected.len() && bool::from(given.ct_eq(expected))) {
        tracing::warn!("console sign-in with a wrong admin token");
        return HttpResponse::Unauthorized()
            .content_type("text/html; charset=utf-8")
            .body(token_form(Some("管理令牌不正确。")).into_string());
    }
    tracing::info!("the built-in administrator signed in to the console");
    let expires_ms = pages.now_ms() + LIFETIME_MS;
    HttpResponse::SeeOther()
        .cookie(Signed::admin_cookie(
            expires_ms,
            &pages.key,
            pages.secure_cookies,
        ))
        .insert_header((header::LOCATION, "/console"))
        .finish()
}

/// `POST /console/sign-out`: both cookies go.
pub async fn sign_out(
    console: Console,
    pages: web::Data<Pages>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, PageError> {
    console.posting(&pages.key, &form.csrf)?;
    let mut response = HttpResponse::SeeOther();
    response.insert_header((header::LOCATION, "/console/sign-in"));
    for (name, path) in [(super::ADMIN_COOKIE, "/console"), (COOKIE, "/")] {
        let mut gone = Cookie::build(name, "")
            .path(path)
            .http_only(true)
            .same_site(actix_web::cookie::SameSite::Lax)
            .finish();
        gone.make_removal();
        response.cookie(gone);
    }
    Ok(response.finish())
}
