//! What every browser-facing request passes through (everything but the admin API, whose
//! bearer token no other site holds): a form posted from another site is refused (`Origin`),
//! control characters in a query or a form field are refused before any handler or database
//! sees them (a NUL would fail a PostgreSQL query: a 5xx for a client's mistake), and every
//! HTML page carries the headers that keep it ours: no script but our own files, no framing,
//! no referrer (pages carry signed links), no sniffing, no caching (pages are personal).

use super::pages::{PageError, Pages};
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage, ResponseError};

/// The only body `check` reads (uploads are multipart, checked row by row).
const FORM: &str = "application/x-www-form-urlencoded";

const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   connect-src 'self'; form-action 'self'; base-uri 'none'";

pub async fn middleware(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    if req.path().starts_with("/api/") {
        return Ok(next.call(req).await?.map_into_boxed_body());
    }
    if let Err(refusal) = check(&mut req).await {
        tracing::info!(reason = %refusal, path = %req.path(), "request refused at the door");
        let response = refusal.error_response();
        return Ok(req.into_response(response).map_into_boxed_body());
    }
    let frame_ancestors = req
        .app_data::<web::Data<Pages>>()
        .and_then(|p| p.screen_frame_ancestors.clone())
        .filter(|_| is_room_screen(req.path()));
    let mut response = next.call(req).await?.map_into_boxed_body();
    if is_html(response.headers()) {
        secure_headers(response.headers_mut(), frame_ancestors.as_deref());
    }
    Ok(response)
}

fn is_room_screen(path: &str) -> bool {
    path.starts_with("/rooms/") && path.ends_with("/display")
}

fn is_html(headers: &header::HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"))
}

fn secure_headers(headers: &mut header::HeaderMap, frame_ancestors: Option<&str>) {
    let csp = format!(
        "{CSP}; frame-ancestors {}",
        frame_ancestors.unwrap_or("'none'")
    );
    if let Ok(csp) = HeaderValue::from_str(&csp) {
        headers.insert(header::CONTENT_SECURITY_POLICY, csp);
    }
    if frame_ancestors.is_none() {
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
}

/// The first refusal the request earns, if any; a form body read to check it is put back.
async fn check(req: &mut ServiceRequest) -> Result<(), PageError> {
    if req.method() == Method::POST {
        same_site(req)?;
    }
    if let Some(field) = control_in(
        url::form_urlencoded::parse(req.query_string().as_bytes()),
        false,
    ) {
        return Err(control_refusal(&field));
    }
    let form = req.method() == Method::POST && req.content_type() == FORM;
    if form {
        let body = req
            .extract::<web::Bytes>()
            .await
            .map_err(|e| PageError::BadInput(format!("表单无法读取（{e}）。")))?;
        let found = control_in(url::form_urlencoded::parse(&body), true);
        req.set_payload(actix_web::dev::Payload::from(body));
        if let Some(field) = found {
            return Err(control_refusal(&field));
        }
    }
    Ok(())
}

fn control_refusal(field: &str) -> PageError {
    PageError::BadInput(format!(
        "「{field}」中有不允许的控制字符（如换行或空字符），请删去后重试。"
    ))
}

/// The name of the first field whose value holds a control character (line breaks and tabs
/// allowed in a form's multi-line fields, never in a query).
fn control_in<'a>(
    pairs: impl Iterator<Item = (std::borrow::Cow<'a, str>, std::borrow::Cow<'a, str>)>,
    multi_line: bool,
) -> Option<String> {
    let allowed = |c: char| multi_line && matches!(c, '\n' | '\r' | '\t');
    pairs
        .into_iter()
        .find(|(name, value)| {
            name.chars().any(char::is_control)
                || value.chars().any(|c| c.is_control() && !allowed(c))
        })
        .map(|(name, _)| name.chars().filter(|c| !c.is_control()).collect())
}

/// A state-changing form from another site is refused: browsers send `Origin` with every
/// POST, and ours names this host (as the client reached it, or as `public_url` says).
/// `null` counts as absent: our own pages send it, since their `Referrer-Policy: no-referrer`
/// hides the origin too; such a post still needs the session's CSRF token.
fn same_site(req: &ServiceRequest) -> Result<(), PageError> {
    let Some(origin) = req
        .headers()
        .get(header::ORIGIN)
        .filter(|o| o.as_bytes() != b"null")
    else {
        return Ok(());
    };
    let origin_host = origin
        .to_str()
        .ok()
        .and_then(|o| url::Url::parse(o).ok())
        .and_then(|u| {
            let host = u.host_str()?.to_owned();
            Some(match u.port() {
                Some(port) => format!("{host}:{port}"),
                None => host,
            })
        });
    let Some(origin_host) = origin_host else {
        return Err(PageError::Csrf);
    };
    let this_host = req.connection_info().host().to_owned();
    let public_host = req.app_data::<web::Data<Pages>>().and_then(|p| {
        let host = p.public_url.host_str()?.to_owned();
        Some(match p.public_url.port() {
            Some(port) => format!("{host}:{port}"),
            None => host,
        })
    });
    if origin_host.eq_ignore_ascii_case(&this_host)
        || public_host.is_some_and(|h| origin_host.eq_ignore_ascii_case(&h))
    {
        Ok(())
    } else {
        Err(PageError::Csrf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_found_by_field() {
        let parse = |s: &'static str| url::form_urlencoded::parse(s.as_bytes());
        assert_eq!(control_in(parse("q=a%0d%0ab"), false), Some("q".into()));
        assert_eq!(control_in(parse("note=a%0d%0ab"), true), None);
        assert_eq!(
            control_in(parse("a=1&name=x%00"), true),
            Some("name".into())
        );
        assert_eq!(control_in(parse("a=%E4%BC%9A"), false), None);
    }
}
