//! Who the reader is, without passwords: the platform's silent web authorisation
//! (`snsapi_base`). A page without a session sends the reader to WeChat's or WeCom's authorize
//! URL (chosen by the in-app browser's User-Agent, as both platforms document); the platform
//! sends them back to `/auth/{oa|wecom}` with a code, which is exchanged for an openid or a
//! userid; the person bound to it gets a session cookie and lands where they were going.

use super::error::PageError;
use super::session;
use super::Pages;
use crate::db::sessions::Holder;
use crate::db::{oauth_states, people};
use crate::meetings::PersonId;
use crate::ops;
use crate::wechat::api::error::ApiError;
use crate::wechat::api::oauth::{self, WecomReader};
use actix_web::cookie::SameSite;
use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use subtle::ConstantTimeEq;

/// How long a login may take from leaving to coming back.
const STATE_LIFETIME_MS: i64 = 10 * 60 * 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    OfficialAccount,
    WeCom,
}

impl Platform {
    fn path(self) -> &'static str {
        match self {
            Platform::OfficialAccount => "oa",
            Platform::WeCom => "wecom",
        }
    }

    /// WeCom's browser says `wxwork` (and also `MicroMessenger`), WeChat's only the latter.
    pub fn of(req: &HttpRequest) -> Option<Platform> {
        let agent = req
            .headers()
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_ascii_lowercase();
        if agent.contains("wxwork") {
            Some(Platform::WeCom)
        } else if agent.contains("micromessenger") {
            Some(Platform::OfficialAccount)
        } else {
            None
        }
    }
}

/// Sends a reader without a session off to authorise, to come back to `next` (a path here).
pub async fn begin(
    req: &HttpRequest,
    pages: &Pages,
    db: &crate::db::Db,
    next: String,
) -> Result<HttpResponse, PageError> {
    Err(authorize(req, pages, db, next).await?)
}

/// The cookie that ties a login to the browser that started it: the state's nonce, which the
/// return must bring back in this browser, so that a victim who opens an attacker's
/// `/auth/oa?code=…&state=…` is not signed in as the attacker.
pub const LOGIN_COOKIE: &str = "huiwu_login";

/// Where to send a reader without a session to authorise (the state that brings them back to
/// `next` is stored, its nonce set as a cookie); outside WeChat and WeCom there is nowhere.
pub async fn authorize(
    req: &HttpRequest,
    pages: &Pages,
    db: &crate::db::Db,
    next: String,
) -> Result<PageError, PageError> {
    let platform = Platform::of(req).ok_or(PageError::OutsideWeChat)?;
    let (app_id, agent_id) = match platform {
        Platform::OfficialAccount => {
            let oa = pages.oa.as_ref().ok_or(PageError::OutsideWeChat)?;
            (oa.app_id.clone(), None)
        }
        Platform::WeCom => {
            let w = pages.wecom.as_ref().ok_or(PageError::OutsideWeChat)?;
            (w.corp_id.clone(), Some(w.agent_id.clone()))
        }
    };
    let nonce = hex::encode(rand::random::<[u8; 8]>());
    let state = format!("{nonce}{}", pages.key.hex_tag(&format!("state:{nonce}")));
    let expires = pages.now_ms() + STATE_LIFETIME_MS;
    let stored = state.clone();
    db.run(move |c| oauth_states::insert(c, &stored, &next, expires))
        .await?;
    let redirect = format!("{}/auth/{}", pages.base(), platform.path());
    let url = oauth::authorize_url(
        &pages.oauth_base,
        &app_id,
        &redirect,
        &state,
        agent_id.as_deref(),
    );
    let cookie = actix_web::cookie::Cookie::build(LOGIN_COOKIE, nonce)
        .path("/")
        .http_only(true)
        .same_site(actix_web::cookie::SameSite::Lax)
        .secure(pages.secure_cookies)
        .max_age(actix_web::cookie::time::Duration::milliseconds(
            STATE_LIFETIME_MS,
        ))
        .finish();
    Ok(PageError::Authorize(url, Box::new(cookie)))
}

#[derive(Deserialize)]
pub struct Return {
    code: Option<String>,
    state: Option<String>,
}

/// `GET /auth/{oa|wecom}?code=…&state=…`: the platform sends the reader back.
pub async fn come_back(
    req: HttpRequest,
    pages: web::Data<Pages>,
    db: web::Data<crate::db::Db>,
    platform: web::Path<String>,
    query: web::Query<Return>,
) -> Result<HttpResponse, PageError> {
    let Return { code, state } = query.into_inner();
    let (Some(code), Some(state)) = (code.filter(|c| !c.is_empty()), state) else {
        return Err(PageError::StaleLogin);
    };
    // Letters and digits only (checked first: slicing at 16 is then on a char boundary).
    let signed = state.len() == 32
        && state.bytes().all(|b| b.is_ascii_hexdigit())
        && pages.key.hex_tag(&format!("state:{}", &state[..16])) == state[16..];
    let this_browser = req
        .cookie(LOGIN_COOKIE)
        .is_some_and(|c| bool::from(c.value().as_bytes().ct_eq(&state.as_bytes()[..16])));
    if !signed || !this_browser {
        return Err(PageError::StaleLogin);
    }
    let now = pages.now_ms();
    let nonce = state[..16].to_owned();
    let next = db
        .run(move |c| oauth_states::take(c, &state, now))
        .await?
        .ok_or(PageError::StaleLogin)?;
    let person = match platform.as_str() {
        "oa" => {
            let oa = pages.oa.as_ref().ok_or(PageError::NotFound)?;
            let openid = oauth::oa_openid(&pages.http, &oa.api_base, &oa.app_id, &oa.secret, &code)
                .await
                .map_err(code_refused)?;
            let looked_up = openid.clone();
            let found = db.run(move |c| people::by_openid(c, &looked_up)).await?;
            if found.is_none() {
                // A follower not linked to anyone yet: the bind form, as `绑定` in chat.
                return Ok(bind_form(&pages, &nonce, &openid, &next, "", None));
            }
            found
        }
        "wecom" => {
            let w = pages.wecom.as_ref().ok_or(PageError::NotFound)?;
            match oauth::wecom_reader(&w.client, &code)
                .await
                .map_err(code_refused)?
            {
                WecomReader::Member(userid) => {
                    db.run(move |c| people::by_wecom_userid(c, &userid)).await?
                }
                WecomReader::Outsider => None,
            }
        }
        _ => return Err(PageError::NotFound),
    };
    let person = person.filter(|p| p.active).ok_or(PageError::Unbound)?;
    tracing::info!(person_id = %person.id, platform = %platform, "signed in to the pages");
    signed_in(&pages, &db, person.id, &next).await
}

/// A code the platform refuses (forged, foreign, used: 40029, 40163, …) is the reader's
/// problem, a 400; only a platform that cannot answer is a 502.
fn code_refused(e: ApiError) -> PageError {
    match e {
        ApiError::Permanent { .. } => PageError::StaleLogin,
        e => PageError::Upstream(e.to_string()),
    }
}

/// A new session for the person, its cookie, and on to `next` (the login nonce is spent).
async fn signed_in(
    pages: &Pages,
    db: &crate::db::Db,
    person_id: PersonId,
    next: &str,
) -> Result<HttpResponse, PageError> {
    let mut response = with_session(pages, db, person_id, HttpResponse::SeeOther()).await?;
    Ok(response
        .insert_header((header::LOCATION, local_path(next)))
        .finish())
}

/// `response` with a new session's cookie for the person (the login nonce spent).
async fn with_session(
    pages: &Pages,
    db: &crate::db::Db,
    person_id: PersonId,
    mut response: actix_web::HttpResponseBuilder,
) -> Result<actix_web::HttpResponseBuilder, PageError> {
    let token = session::start(pages, db, Holder::Person(person_id)).await?;
    response
        .cookie(session::cookie(
            session::COOKIE,
            "/",
            token,
            SameSite::Lax,
            pages.secure_cookies,
        ))
        .cookie(session::removal(LOGIN_COOKIE, "/"));
    Ok(response)
}

/// What the bind form carries: the openid WeChat just vouched for, where to go next, until
/// when, and the login nonce of the browser that came back (its cookie), signed: only that
/// browser can send it, so a page elsewhere cannot post someone's bind form from a victim's.
fn bind_what(openid: &str, next: &str, expires: i64, nonce: &str) -> String {
    format!("bind:{openid}:{next}:{expires}:{nonce}")
}

/// The login nonce this browser holds (set before it left for the authorisation).
fn login_nonce(req: &HttpRequest) -> Option<String> {
    req.cookie(LOGIN_COOKIE).map(|c| c.value().to_owned())
}

/// Where a login goes on to: a path of ours, percent-encoded so that no byte can end the
/// `Location` header or leave this host (`//elsewhere`).
pub fn local_path(next: &str) -> String {
    const UNSAFE: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
        .add(b' ')
        .add(b'"')
        .add(b'<')
        .add(b'>')
        .add(b'\\')
        .add(b'`');
    let path = percent_encoding::utf8_percent_encode(next, UNSAFE).to_string();
    if path.starts_with('/') && !path.starts_with("//") {
        path
    } else {
        "/me".to_owned()
    }
}

/// The bind form: the employee number and the bind code an admin or organizer handed out
/// (without a code the request waits for an admin's approval).
fn bind_form(
    pages: &Pages,
    nonce: &str,
    openid: &str,
    next: &str,
    employee_no: &str,
    problem: Option<(actix_web::http::StatusCode, &str)>,
) -> HttpResponse {
    let expires = pages.now_ms() + STATE_LIFETIME_MS;
    let proof = pages.key.tag(&bind_what(openid, next, expires, nonce));
    let body = maud::html! {
        section {
            h1 { "绑定工号" }
            p { "第一次使用：请输入你的工号和管理员或会务组发给你的绑定码（与在公众号发送「绑定 工号 绑定码」相同）。没有绑定码时只填工号，等待管理员批准。" }
            @if let Some((_, problem)) = problem { p class="badge late" { (problem) } }
            form method="post" action="/auth/bind" {
                input type="hidden" name="openid" value=(openid);
                input type="hidden" name="next" value=(next);
                input type="hidden" name="expires" value=(expires);
                input type="hidden" name="proof" value=(proof);
                label for="employee_no" { "工号" }
                input #employee_no type="text" name="employee_no" value=(employee_no) placeholder="例如 E1001";
                label for="code" { "绑定码" }
                input #code type="text" name="code" autocomplete="off" placeholder="8 位，例如 K7QM3XPA";
                button { "绑定" }
            }
        }
    };
    let status = problem.map_or(actix_web::http::StatusCode::OK, |(status, _)| status);
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(super::layout::page("绑定工号", body).into_string())
}

#[derive(Deserialize)]
pub struct BindForm {
    openid: String,
    next: String,
    expires: i64,
    proof: String,
    employee_no: String,
    #[serde(default)]
    code: String,
}

/// `POST /auth/bind`: the bind form, sent (from the browser it was shown in).
pub async fn bind(
    req: HttpRequest,
    pages: web::Data<Pages>,
    db: web::Data<crate::db::Db>,
    form: web::Form<BindForm>,
) -> Result<HttpResponse, PageError> {
    use actix_web::http::StatusCode;
    let f = form.into_inner();
    let nonce = login_nonce(&req).ok_or(PageError::StaleLogin)?;
    let genuine = pages
        .key
        .verify(&bind_what(&f.openid, &f.next, f.expires, &nonce), &f.proof);
    if !genuine || f.expires <= pages.now_ms() || !f.next.starts_with('/') {
        return Err(PageError::StaleLogin);
    }
    let employee_no = f.employee_no.trim().to_owned();
    if employee_no.is_empty() {
        let problem = (StatusCode::UNPROCESSABLE_ENTITY, "请填写工号。");
        return Ok(bind_form(
            &pages,
            &nonce,
            &f.openid,
            &f.next,
            "",
            Some(problem),
        ));
    }
    let now = pages.now_ms();
    let (openid, code) = (f.openid.clone(), f.code.clone());
    let bound = ops::run(&db, move |c| {
        ops::account::bind(c, now, &openid, &employee_no, Some(code.as_str()))
    })
    .await;
    let problem = match bound {
        Ok(ops::account::BindOutcome::Bound(person)) => {
            // Said once, as chat says it, before going on: the session starts here.
            let next = local_path(&f.next);
            let body = super::layout::page(
                "绑定成功",
                maud::html! {
                    section {
                        p.ok #done role="status" { "✓ 绑定成功，" (person.name) "。以后在微信中打开会务页面会自动识别你。" }
                        p { a #go-on href=(next) { "继续" } }
                    }
                },
            );
            let mut page = with_session(&pages, &db, person.id, HttpResponse::Ok()).await?;
            return Ok(page
                .content_type("text/html; charset=utf-8")
                .body(body.into_string()));
        }
        Ok(ops::account::BindOutcome::Pending(person)) => {
            tracing::info!(person_id = %person.id, "bind requested on the page");
            (
                StatusCode::ACCEPTED,
                "已提交绑定申请：请输入绑定码完成绑定，或等待管理员批准后重新打开此页面。",
            )
        }
        Err(ops::OpsError::PersonNotFound) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "找不到这个工号，请检查后重试。",
        ),
        Err(ops::OpsError::EmployeeNoTaken | ops::OpsError::AlreadyBound(_)) => (
            StatusCode::CONFLICT,
            "该工号或这个微信已经绑定，如有疑问请联系管理员。",
        ),
        Ok(ops::account::BindOutcome::WrongCode) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "绑定码不正确或已过期，请核对后重试（多次输错将暂停一小时）。",
        ),
        Err(ops::OpsError::TooManyBindAttempts) => (
            StatusCode::TOO_MANY_REQUESTS,
            "绑定码输错次数过多，请一小时后再试，或联系管理员。",
        ),
        Err(e) => return Err(e.into()),
    };
    Ok(bind_form(
        &pages,
        &nonce,
        &f.openid,
        &f.next,
        f.employee_no.trim(),
        Some(problem),
    ))
}
