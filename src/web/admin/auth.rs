use super::error::ApiError;
use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};
use secrecy::{ExposeSecret, SecretString};
use std::future::{ready, Ready};
use subtle::ConstantTimeEq;

/// The configured admin token, if any.
#[derive(Clone)]
pub struct AdminToken(pub Option<SecretString>);

/// Proof that the request carried the admin token; handlers take it as an argument.
pub struct Admin;

impl FromRequest for Admin {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let Some(AdminToken(Some(expected))) = req
            .app_data::<web::Data<AdminToken>>()
            .map(|d| d.get_ref().clone())
        else {
            return ready(Err(ApiError::Disabled));
        };
        let presented = req
            .headers()
            .get(actix_web::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or_default();
        let expected = expected.expose_secret().as_bytes();
        let ok =
            presented.len() == expected.len() && bool::from(presented.as_bytes().ct_eq(expected));
        ready(if ok {
            Ok(Admin)
        } else {
            Err(ApiError::Unauthorized)
        })
    }
}
