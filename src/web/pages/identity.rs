//! Who the reader is, without passwords: the platform's silent web authorisation
//! (`snsapi_base`). A page without a session sends the reader to WeChat's or WeCom's authorize
//! URL (chosen by the in-app browser's User-Agent, as both platforms document); the platform
//! sends them back to `/auth/{oa|wecom}` with a code, which is exchanged for an openid or a
//! userid; the person bound to it gets a session cookie and lands where they were going.

use super::error::PageError;
use super::session::Session;
use super::Pages;
use crate::db::{oauth_states, people};
use crate::meetings::PersonId;
use crate::ops;
use crate::wechat::api::oauth::{self, WecomReader};
use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

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
    let url = authorize_url(req, pages, db, next).await?;
    Ok(HttpResponse::Found()
        .insert_header((header::LOCATION, url))
        .finish())
}

/// Where to send a reader without a session to authorise (the state that brings them back to
/// `next` is stored); outside WeChat and WeCom there is nowhere.
pub async fn authorize_url(
    req: &HttpRequest,
    pages: &Pages,
    db: &crate::db::Db,
    next: String,
) -> Result<String, PageError> {
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
    Ok(oauth::authorize_url(
        &pages.oauth_base,
        &app_id,
        &redirect,
        &state,
        agent_id.as_deref(),
    ))
}

#[derive(Deserialize)]
pub struct Return {
    code: Option<String>,
    state: Option<String>,
}

/// `GET /auth/{oa|wecom}?code=…&state=…`: the platform sends the reader back.
pub async fn come_back(
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
    if !signed {
        return Err(PageError::StaleLogin);
    }
    let now = pages.now_ms();
    let next = db
        .run(move |c| oauth_states::take(c, &state, now))
        .await?
        .ok_or(PageError::StaleLogin)?;
    let person = match platform.as_str() {
        "oa" => {
            let oa = pages.oa.as_ref().ok_or(PageError::NotFound)?;
            let openid = oauth::oa_openid(&pages.http, &oa.api_base, &oa.app_id, &oa.secret, &code)
                .await
                .map_err(|e| PageError::Upstream(e.to_string()))?;
            let looked_up = openid.clone();
            let found = db.run(move |c| people::by_openid(c, &looked_up)).await?;
            if found.is_none() {
                // A follower not linked to anyone yet: the bind form, as `绑定` in chat.
                return Ok(bind_form(&pages, &openid, &next, None));
            }
            found
        }
        "wecom" => {
            let w = pages.wecom.as_ref().ok_or(PageError::NotFound)?;
            match oauth::wecom_reader(&w.client, &code)
                .await
                .map_err(|e| PageError::Upstream(e.to_string()))?
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
    Ok(signed_in(&pages, person.id, &next))
}

/// The session cookie, and on to `next`.
fn signed_in(pages: &Pages, person_id: PersonId, next: &str) -> HttpResponse {
    let session = Session {
        person_id,
        expires_ms: pages.now_ms() + super::session::LIFETIME_MS,
    };
    HttpResponse::SeeOther()
        .cookie(session.cookie(&pages.key, pages.secure_cookies))
        .insert_header((header::LOCATION, next.to_owned()))
        .finish()
}

/// What the bind form carries: the openid WeChat just vouched for, where to go next, until
/// when, signed (only a reader who came back from the authorisation holds one).
fn bind_what(openid: &str, next: &str, expires: i64) -> String {
    format!("bind:{openid}:{next}:{expires}")
}

fn bind_form(pages: &Pages, openid: &str, next: &str, problem: Option<&str>) -> HttpResponse {
    let expires = pages.now_ms() + STATE_LIFETIME_MS;
    let proof = pages.key.tag(&bind_what(openid, next, expires));
    let body = maud::html! {
        section {
            h1 { "绑定工号" }
            p { "第一次使用：请输入你的工号，把微信绑定到你的账号（与在公众号发送「绑定 工号」相同）。" }
            @if let Some(problem) = problem { p class="badge late" { (problem) } }
            form method="post" action="/auth/bind" {
                input type="hidden" name="openid" value=(openid);
                input type="hidden" name="next" value=(next);
                input type="hidden" name="expires" value=(expires);
                input type="hidden" name="proof" value=(proof);
                input type="text" name="employee_no" placeholder="工号，例如 E1001" required;
                button { "绑定" }
            }
        }
    };
    let status = if problem.is_some() {
        actix_web::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        actix_web::http::StatusCode::OK
    };
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
}

/// `POST /auth/bind`: the bind form, sent.
pub async fn bind(
    pages: web::Data<Pages>,
    db: web::Data<crate::db::Db>,
    form: web::Form<BindForm>,
) -> Result<HttpResponse, PageError> {
    let f = form.into_inner();
    let genuine = pages
        .key
        .verify(&bind_what(&f.openid, &f.next, f.expires), &f.proof);
    if !genuine || f.expires <= pages.now_ms() || !f.next.starts_with('/') {
        return Err(PageError::StaleLogin);
    }
    let now = pages.now_ms();
    let (openid, employee_no) = (f.openid.clone(), f.employee_no.trim().to_owned());
    let bound = ops::run(&db, move |c| {
        ops::account::bind(c, now, &openid, &employee_no)
    })
    .await;
    let problem = match bound {
        Ok(person) => return Ok(signed_in(&pages, person.id, &f.next)),
        Err(ops::OpsError::PersonNotFound) => "找不到这个工号，请检查后重试。",
        Err(ops::OpsError::EmployeeNoTaken) => "该工号已绑定其他微信，如有疑问请联系管理员。",
        Err(e) => return Err(e.into()),
    };
    Ok(bind_form(&pages, &f.openid, &f.next, Some(problem)))
}
