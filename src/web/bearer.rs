use actix_web::HttpRequest;
use secrecy::{ExposeSecret, SecretString};
use subtle::ConstantTimeEq;

/// The configured admin token, if any: the admin API's bearer token, and what the console's
/// first sign-in takes.
#[derive(Clone)]
pub struct AdminToken(pub Option<SecretString>);

/// Whether the request's `Authorization: Bearer …` is `expected`, compared in constant time.
pub fn presents(req: &HttpRequest, expected: &SecretString) -> bool {
    let presented = req
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    let expected = expected.expose_secret().as_bytes();
    presented.len() == expected.len() && bool::from(presented.as_bytes().ct_eq(expected))
}
