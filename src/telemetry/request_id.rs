//! A request id per HTTP request: every log line written while handling it (including its
//! database work) carries it, and the response echoes it as `X-Request-Id`. A caller's own
//! `X-Request-Id` is kept when it is a plain token, so a proxy's id joins up with ours.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use tracing::Instrument;

pub const HEADER: HeaderName = HeaderName::from_static("x-request-id");

pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let id = req
        .headers()
        .get(&HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|v| is_plain_token(v))
        .map(str::to_owned)
        .unwrap_or_else(|| hex::encode(rand::random::<[u8; 8]>()));
    let span = tracing::info_span!(
        "request",
        request_id = %id,
        method = %req.method(),
        path = %loggable_path(req.path())
    );
    let mut response = next.call(req).instrument(span.clone()).await?;
    let status = response.status();
    span.in_scope(|| {
        if status.is_server_error() {
            tracing::warn!(status = status.as_u16(), "request failed");
        } else {
            tracing::debug!(status = status.as_u16(), "request done");
        }
    });
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(HEADER, value);
    }
    Ok(response)
}

/// Paths whose last segment is a secret: a console sign-in link, a calendar feed, a material
/// link, a scanned screen code. Logged without it.
const SECRET_TAILS: [&str; 4] = ["/console/login/", "/calendar/", "/materials/", "/c/"];

fn loggable_path(path: &str) -> std::borrow::Cow<'_, str> {
    match SECRET_TAILS.iter().find(|p| path.starts_with(*p)) {
        Some(prefix) => format!("{prefix}…").into(),
        None => path.into(),
    }
}

fn is_plain_token(v: &str) -> bool {
    (1..=64).contains(&v.len())
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_in_paths_are_not_logged() {
        assert_eq!(loggable_path("/console/login/abc123"), "/console/login/…");
        assert_eq!(loggable_path("/calendar/7-secret.ics"), "/calendar/…");
        assert_eq!(loggable_path("/m/12"), "/m/12");
    }

    #[test]
    fn only_plain_tokens_are_taken_from_the_caller() {
        assert!(is_plain_token("4bf92f3577b34da6-a3ce929d0e0e4736"));
        assert!(!is_plain_token(""));
        assert!(!is_plain_token("a b"));
        assert!(!is_plain_token("x\ninjected: line"));
        assert!(!is_plain_token(&"a".repeat(65)));
    }
}
