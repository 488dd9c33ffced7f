//! The HTTP face of the callback protocol: `/wechat/callback` and `/wecom/callback`.

use super::dispatch::Dispatcher;
use super::envelope::{CallbackQuery, Endpoint};
use super::error::CallbackError;
use super::message::Channel;
use crate::clock::Clock;
use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use std::sync::Arc;
use tokio::time::Instant;

/// Received, nothing to say now (a late reply follows as a message).
const ACK: &str = "success";

pub struct CallbackState {
    pub official_account: Option<Endpoint>,
    pub wecom: Option<Endpoint>,
    pub dispatcher: Dispatcher,
    pub max_body_bytes: usize,
    /// WeChat's timestamps are checked against the app's clock (tests move it).
    pub clock: Arc<dyn Clock>,
}

impl CallbackState {
    fn now_secs(&self) -> i64 {
        self.clock.now().timestamp()
    }

    fn endpoint(&self, channel: Channel) -> Result<&Endpoint, CallbackError> {
        match channel {
            Channel::OfficialAccount => self.official_account.as_ref(),
            Channel::WeCom => self.wecom.as_ref(),
        }
        .ok_or(CallbackError::ChannelDisabled)
    }
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/wechat/callback")
            .route(web::get().to(oa_verify))
            .route(web::post().to(oa_message)),
    )
    .service(
        web::resource("/wecom/callback")
            .route(web::get().to(wecom_verify))
            .route(web::post().to(wecom_message)),
    );
}

async fn oa_verify(state: web::Data<CallbackState>, req: HttpRequest) -> HttpResponse {
    verify(&state, Channel::OfficialAccount, &req)
}

async fn wecom_verify(state: web::Data<CallbackState>, req: HttpRequest) -> HttpResponse {
    verify(&state, Channel::WeCom, &req)
}

async fn oa_message(
    state: web::Data<CallbackState>,
    req: HttpRequest,
    body: web::Payload,
) -> HttpResponse {
    message(state, Channel::OfficialAccount, req, body).await
}

async fn wecom_message(
    state: web::Data<CallbackState>,
    req: HttpRequest,
    body: web::Payload,
) -> HttpResponse {
    message(state, Channel::WeCom, req, body).await
}

fn verify(state: &CallbackState, channel: Channel, req: &HttpRequest) -> HttpResponse {
    let result = state.endpoint(channel).and_then(|endpoint| {
        let query = CallbackQuery::parse(req.query_string());
        endpoint.verify_url(&query, state.now_secs())
    });
    match result {
        Ok(echo) => {
            tracing::info!(channel = channel.as_str(), "callback URL verified");
            plain_text(echo)
        }
        Err(e) => refuse(channel, "GET", e),
    }
}

async fn message(
    state: web::Data<CallbackState>,
    channel: Channel,
    req: HttpRequest,
    body: web::Payload,
) -> HttpResponse {
    let received = Instant::now();
    let result = handle_message(&state, channel, &req, body, received).await;
    let metrics = &crate::telemetry::metrics::METRICS;
    metrics
        .callback_seconds
        .with_label_values(&[channel.as_str()])
        .observe(received.elapsed().as_secs_f64());
    let (response, outcome) = match result {
        Ok(body) => {
            let outcome = if body == ACK {
                "acknowledged"
            } else {
                "replied"
            };
            let response = HttpResponse::Ok()
                .content_type("application/xml; charset=utf-8")
                .body(body);
            (response, outcome)
        }
        Err(e) => {
            let response = refuse(channel, "POST", e);
            let outcome = match response.status().as_u16() {
                503 => "unavailable",
                400..=499 => "refused",
                _ => "error",
            };
            (response, outcome)
        }
    };
    metrics
        .callbacks
        .with_label_values(&[channel.as_str(), outcome])
        .inc();
    response
}

async fn handle_message(
    state: &CallbackState,
    channel: Channel,
    req: &HttpRequest,
    body: web::Payload,
    received: Instant,
) -> Result<String, CallbackError> {
    let endpoint = state.endpoint(channel)?;
    let body = read_body(req, body, state.max_body_bytes).await?;
    let query = CallbackQuery::parse(req.query_string());
    let opened = endpoint.open(&query, &body, state.now_secs())?;
    let mode = opened.mode;
    let kind = opened.inbound.kind.name().to_owned();
    let reply = state.dispatcher.dispatch(opened.inbound, received).await?;
    tracing::info!(
        channel = channel.as_str(),
        kind,
        replied = reply.is_some(),
        elapsed_ms = received.elapsed().as_millis() as u64,
        "callback handled"
    );
    match reply {
        Some(reply) => endpoint.seal(mode, &reply, state.now_secs()),
        None => Ok(ACK.to_owned()),
    }
}

async fn read_body(
    req: &HttpRequest,
    body: web::Payload,
    limit: usize,
) -> Result<String, CallbackError> {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|len| len > limit) {
        return Err(CallbackError::BodyTooLarge { limit });
    }
    let bytes = body
        .to_bytes_limited(limit)
        .await
        .map_err(|_| CallbackError::BodyTooLarge { limit })?
        .map_err(|e| CallbackError::BodyRead(e.to_string()))?;
    String::from_utf8(bytes.to_vec()).map_err(|_| CallbackError::BodyNotUtf8)
}

fn refuse(channel: Channel, method: &str, error: CallbackError) -> HttpResponse {
    let response = actix_web::ResponseError::error_response(&error);
    tracing::warn!(
        channel = channel.as_str(),
        method,
        status = response.status().as_u16(),
        reason = %error,
        "callback refused"
    );
    response
}

fn plain_text(body: String) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body(body)
}
