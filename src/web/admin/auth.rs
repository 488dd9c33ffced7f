use super::error::ApiError;
use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};
use std::future::{ready, Ready};

pub use crate::web::bearer::AdminToken;

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
        ready(if crate::web::bearer::presents(req, &expected) {
            Ok(Admin)
        } else {
            Err(ApiError::Unauthorized)
        })
    }
}
