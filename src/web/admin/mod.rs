//! The admin API under `/api/v1`, behind `Authorization: Bearer <admin.token>`. So far: the
//! people directory and rooms; meetings and the rest are the domain issue's next steps.

mod auth;
mod error;
mod rooms;
mod users;

pub use auth::AdminToken;
pub use error::ApiError;

use actix_web::{web, HttpRequest};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    active: Option<bool>,
}

fn millis_to_rfc3339(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default()
}

fn bad_input(err: impl std::fmt::Display, _: &HttpRequest) -> actix_web::Error {
    ApiError::BadJson(err.to_string()).into()
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/api/v1")
            .app_data(web::JsonConfig::default().error_handler(bad_input))
            .app_data(web::QueryConfig::default().error_handler(bad_input))
            .app_data(
                web::PathConfig::default()
                    .error_handler(|_, _| ApiError::NotFound("resource").into()),
            )
            .route("/users", web::post().to(users::create))
            .route("/users", web::get().to(users::list))
            .route("/users/{id}", web::get().to(users::get))
            .route("/users/{id}", web::patch().to(users::update))
            .route("/users/{id}/deactivate", web::post().to(users::deactivate))
            .route("/rooms", web::post().to(rooms::create))
            .route("/rooms", web::get().to(rooms::list))
            .route("/rooms/{id}", web::get().to(rooms::get))
            .route("/rooms/{id}", web::patch().to(rooms::update))
            .route("/rooms/{id}", web::delete().to(rooms::deactivate))
            .default_service(web::to(|| async {
                Err::<actix_web::HttpResponse, _>(ApiError::NotFound("endpoint"))
            })),
    );
}
