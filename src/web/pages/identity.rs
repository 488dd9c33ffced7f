//! Who the reader is, without passwords: the platform's silent web authorisation
//! (`snsapi_base`). A page without a session sends the reader to WeChat's or WeCom's authorize
//! URL (chosen by the in-app browser's User-Agent, as both platforms document); the platform
//! sends them back to `/auth/{oa|wecom}` with a code, which is exchanged for an openid or a
//! userid; the person bound to it gets a session cookie and lands where they were going.

use super::error::PageError;
use super::session::Session;
use super::Pages;
use crate::db::{oauth_states, people};
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
    Ok(HttpResponse::Found()
        .insert_header((header::LOCATION, url))
        .finish())
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
            db.run(move |c| people::by_openid(c, &openid)).await?
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
    let session = Session {
        person_id: person.id,
        expires_ms: now + super::session::LIFETIME_MS,
    };
    tracing::info!(person_id = person.id, platform = %platform, "signed in to the pages");
    Ok(HttpResponse::SeeOther()
        .cookie(session.cookie(&pages.key, pages.secure_cookies))
        .insert_header((header::LOCATION, next))
        .finish())
}
