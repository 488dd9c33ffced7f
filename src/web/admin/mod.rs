//! The admin API under `/api/v1`, behind `Authorization: Bearer <admin.token>`. So far: the
//! people directory and rooms; meetings and the rest are the domain issue's next steps.

mod action_items;
pub(crate) mod agenda;
mod audit_log;
mod auth;
mod bind_codes;
pub(crate) mod body;
mod calendar;
mod checklist;
mod crud;
mod decisions;
mod deliveries;
mod display_keys;
pub(crate) mod env;
mod error;
mod field_rules;
mod free_slots;
mod import;
mod live;
mod meetings;
mod menu;
mod minutes;
mod openapi;
mod participants;
mod reports;
mod rooms;
mod series;
mod topics;
mod users;

pub use auth::AdminToken;
pub use calendar::{feed_name, person_events, CalendarDomain};
pub use error::ApiError;

use actix_web::{web, HttpRequest};
use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

pub use openapi::{build as openapi_document, docs_page, docs_redirect};

/// An instant worked out from a stored one (a code's expiry, a check-in window's opening), as
/// the API writes it; one no date can carry is a bug, answered as one.
fn rfc3339_ms(ms: i64) -> Result<String, ApiError> {
    crate::meetings::stamp::Stamp::try_from(ms)
        .map(rfc3339)
        .map_err(|e| ApiError::from(crate::db::DbError::Corrupt(e.to_string())))
}

/// An instant as the API writes it: RFC 3339 in UTC, to the second.
fn rfc3339(at: impl Into<crate::meetings::stamp::Stamp>) -> String {
    at.into()
        .utc()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// A meeting id from a path: one that cannot exist reads as an unknown one.
fn meeting_id(id: i64) -> Result<crate::meetings::MeetingId, ApiError> {
    crate::meetings::MeetingId::new(id).map_err(|_| ApiError::NotFound("meeting"))
}

fn bad_json(err: impl std::fmt::Display, _: &HttpRequest) -> actix_web::Error {
    ApiError::BadJson(err.to_string()).into()
}

/// A documented path asked with a method it does not have is 405 with `Allow`; anything
/// else is an unknown endpoint.
async fn unmatched(
    req: HttpRequest,
    doc: web::Data<openapi::OpenApiJson>,
) -> Result<actix_web::HttpResponse, ApiError> {
    match doc.methods_of(req.path()) {
        Some(allowed) => Err(ApiError::MethodNotAllowed(allowed.join(", "))),
        None => Err(ApiError::NotFound("endpoint")),
    }
}

/// A path segment that is not an id (`/users/import` asked with PATCH lands on
/// `/users/{id}`): a documented path without this method is 405, anything else not found.
fn bad_path(_: impl std::fmt::Display, req: &HttpRequest) -> actix_web::Error {
    let allowed = req
        .app_data::<web::Data<openapi::OpenApiJson>>()
        .and_then(|doc| doc.methods_of(req.path()));
    match allowed {
        Some(methods) if !methods.iter().any(|m| m == req.method().as_str()) => {
            ApiError::MethodNotAllowed(methods.join(", ")).into()
        }
        _ => ApiError::NotFound("resource").into(),
    }
}

fn bad_query(err: impl std::fmt::Display, _: &HttpRequest) -> actix_web::Error {
    ApiError::BadQuery(err.to_string()).into()
}

/// Every admin route. A handler's annotations (`#[utoipa::path]` and actix's method macro)
/// declare its path, method and documentation; naming it here serves it and puts it in the
/// OpenAPI document, so the two cannot differ.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(
        scope("/api/v1")
            .app_data(web::JsonConfig::default().error_handler(bad_json))
            .app_data(web::QueryConfig::default().error_handler(bad_query))
            .app_data(web::PathConfig::default().error_handler(bad_path))
            // Only the CSV import reads a plain body; JSON bodies keep JsonConfig's limit.
            .app_data(web::PayloadConfig::new(import::MAX_CSV_BYTES))
            .route("/openapi.json", web::get().to(openapi::document))
            .service(import::import_users)
            .service(checklist::list)
            .service(checklist::add)
            .service(checklist::change)
            .service(checklist::remove)
            .service(live::questions)
            .service(live::help_requests)
            .service(menu::show)
            .service(menu::check)
            .service(menu::push)
            .service(bind_codes::issue_all)
            .service(bind_codes::issue)
            .service(users::create)
            .service(users::list)
            .service(users::get)
            .service(users::update)
            .service(users::deactivate)
            .service(calendar::person_feed)
            .service(calendar::feed_url)
            .service(calendar::revoke_feed)
            .service(audit_log::list)
            .service(meetings::create::create)
            .service(meetings::list::list)
            .service(meetings::get::get)
            .service(meetings::update::update)
            .service(meetings::steps::publish)
            .service(meetings::steps::start)
            .service(meetings::steps::next)
            .service(meetings::steps::end)
            .service(meetings::steps::close)
            .service(meetings::steps::reopen)
            .service(meetings::steps::cancel)
            .service(meetings::checkin_code::checkin_code)
            .service(topics::list)
            .service(topics::propose)
            .service(topics::accept)
            .service(topics::decline)
            .service(series::create)
            .service(series::list)
            .service(series::read)
            .service(series::update)
            .service(series::cancel_occurrence)
            .service(series::end)
            .service(calendar::meeting)
            .service(participants::list)
            .service(participants::add)
            .service(participants::remove)
            .service(participants::rsvp)
            .service(participants::check_in)
            .service(reports::attendance_report)
            .service(reports::feedback_report)
            .service(reports::improvement)
            .service(deliveries::report)
            .service(agenda::replace)
            .service(agenda::reorder)
            .service(agenda::list_materials)
            .service(agenda::add_material)
            .service(agenda::remove_material)
            .service(minutes::read)
            .service(decisions::get)
            .service(decisions::close)
            .service(decisions::plan)
            .service(decisions::add_milestone)
            .service(minutes::edit)
            .service(action_items::list)
            .service(action_items::get)
            .service(action_items::update)
            .service(rooms::create)
            .service(rooms::list)
            .service(rooms::get)
            .service(rooms::update)
            .service(rooms::deactivate)
            .service(free_slots::free)
            .service(display_keys::issue)
            .service(display_keys::revoke)
            .default_service(web::to(unmatched)),
    );
}
