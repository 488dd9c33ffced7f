//! The staff pages behind every notice: `/m/{id}` (a meeting: read it, answer, delegate, and
//! run it: `running`) and `/me` (my meetings). Readers are known by the platforms' silent web authorisation
//! (`identity`) and a signed session cookie (`session`); every form carries a CSRF token.
//! Handlers parse, call the operations layer and render; no meeting rule lives here.

mod checkin;
mod console;
pub(crate) mod error;
mod help;
mod identity;
mod layout;
mod me;
mod meeting;
mod running;
mod screen;
pub mod session;

use crate::clock::Clock;
use crate::ops::Env;
use crate::outbox::notices::NoticeSettings;
use crate::wechat::api::client::ApiClient;
use actix_web::web;
use secrecy::SecretString;
use std::sync::Arc;

pub use error::PageError;

/// A page that only says something, in the pages' frame.
pub fn message_page(title: &str, text: &str) -> maud::Markup {
    layout::message(title, text)
}

/// The Official Account's web authorisation.
pub struct OaLogin {
    pub app_id: String,
    pub secret: SecretString,
    pub api_base: url::Url,
}

/// WeCom's: the app's CorpID and AgentId, and its API client (getuserinfo wants a token).
pub struct WecomLogin {
    pub corp_id: String,
    pub agent_id: String,
    pub client: Arc<ApiClient>,
}

/// What the pages need, built once at startup.
pub struct Pages {
    pub key: session::PageKey,
    pub public_url: url::Url,
    pub oauth_base: url::Url,
    pub oa: Option<OaLogin>,
    pub wecom: Option<WecomLogin>,
    pub http: reqwest::Client,
    pub clock: Arc<dyn Clock>,
    /// `Secure` cookies when the service is reached over https.
    pub secure_cookies: bool,
    pub notices: Arc<NoticeSettings>,
    pub booking_buffer: chrono::Duration,
    pub late_grace: chrono::Duration,
    /// Signs the room screens' rotating codes.
    pub checkin_key: crate::meetings::checkin_code::CheckinKey,
    /// The Official Account's API client, for the console's menu page.
    pub oa_api: Option<Arc<ApiClient>>,
    /// The menu file the console edits.
    pub menu_file: std::path::PathBuf,
    /// Who may frame the room screen (`web.screen_frame_ancestors`); nobody when unset.
    pub screen_frame_ancestors: Option<String>,
    /// How long sign-ins last, in all and without a request.
    pub session_rules: crate::ops::account::SessionRules,
}

impl Pages {
    pub fn now_ms(&self) -> i64 {
        self.clock.now().timestamp_millis()
    }

    /// `server.public_url` without a trailing slash.
    pub fn base(&self) -> String {
        self.public_url.as_str().trim_end_matches('/').to_owned()
    }

    /// What an operation needs, as of now.
    pub fn env(&self) -> Env {
        Env {
            notices: self.notices.clone(),
            booking_buffer: self.booking_buffer,
            late_grace: self.late_grace,
            now: self.clock.now(),
        }
    }
}

/// Writes `menu` to `web.menu_file`, so `huiwu menu push` sends what was pushed last.
pub async fn save_menu_file(pages: &Pages, menu: &crate::wechat::menu::Menu) -> Result<(), String> {
    let file = pages.menu_file.clone();
    let text = menu.to_file();
    web::block(move || std::fs::write(file, text))
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| e.to_string())
}

/// A form the pages cannot read is a Chinese page, never the framework's English text: one
/// without its CSRF token is refused as every forged form is (403).
fn bad_form(e: actix_web::error::UrlencodedError, _: &actix_web::HttpRequest) -> actix_web::Error {
    let text = e.to_string();
    tracing::info!(error = %text, "unreadable form");
    if text.contains("`csrf`") {
        PageError::Csrf.into()
    } else {
        PageError::BadInput("表单内容不完整或格式不对，请返回页面刷新后重试。".to_owned()).into()
    }
}

fn bad_query(
    e: actix_web::error::QueryPayloadError,
    _: &actix_web::HttpRequest,
) -> actix_web::Error {
    tracing::info!(error = %e, "unreadable query");
    PageError::BadInput("网址中的参数格式不对，请从页面上的链接重新打开。".to_owned()).into()
}

fn bad_path(e: actix_web::error::PathError, _: &actix_web::HttpRequest) -> actix_web::Error {
    tracing::info!(error = %e, "unreadable path");
    PageError::NotFound.into()
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.app_data(web::FormConfig::default().error_handler(bad_form))
        .app_data(web::QueryConfig::default().error_handler(bad_query))
        .app_data(web::PathConfig::default().error_handler(bad_path));
    cfg.route("/m/{id}", web::get().to(meeting::show))
        .route("/m/{id}/answer", web::post().to(meeting::answer))
        .route("/m/{id}/answer-all", web::post().to(meeting::answer_all))
        .route("/m/{id}/delegate", web::post().to(meeting::delegate))
        .route("/m/{id}/feedback", web::post().to(meeting::feedback))
        .route("/m/{id}/topic", web::post().to(meeting::topic))
        .route("/m/{id}/board", web::get().to(running::board))
        .route("/m/{id}/run", web::post().to(running::run))
        .route("/m/{id}/checkin", web::post().to(running::check_in))
        .route(
            "/m/{id}/questions/{question}/answer",
            web::post().to(running::answer_question),
        )
        .route("/m/{id}/minutes", web::post().to(running::write_minutes))
        .route(
            "/m/{id}/minutes/publish",
            web::post().to(running::publish_minutes),
        )
        .route(
            "/m/{id}/decisions/{entry}/vote",
            web::post().to(running::vote),
        )
        .route("/m/{id}/ask", web::post().to(running::ask))
        .route("/m/{id}/help", web::post().to(running::help))
        .route("/static/meeting.js", web::get().to(running::script))
        .route(
            "/m/{id}/materials/{material}",
            web::get().to(meeting::open_material),
        )
        .route("/tasks/{id}/progress", web::post().to(me::progress))
        .route("/tasks/{id}/done", web::post().to(me::done))
        .route("/checklist/{id}/done", web::post().to(me::checklist_done))
        .route("/me", web::get().to(me::show))
        .route("/help", web::get().to(help::show))
        .route("/rooms/{id}/display", web::get().to(screen::show))
        .route("/c/{code}", web::get().to(checkin::scan))
        .route("/auth/bind", web::post().to(identity::bind))
        .route("/auth/{platform}", web::get().to(identity::come_back))
        .configure(console::configure);
}
