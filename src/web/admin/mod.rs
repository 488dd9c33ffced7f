//! The admin API under `/api/v1`, behind `Authorization: Bearer <admin.token>`. So far: the
//! people directory and rooms; meetings and the rest are the domain issue's next steps.

mod action_items;
pub(crate) mod agenda;
mod audit_log;
mod auth;
mod calendar;
mod crud;
mod deliveries;
pub(crate) mod env;
mod error;
mod free_slots;
mod import;
mod meetings;
mod minutes;
mod openapi;
mod participants;
mod reports;
mod rooms;
mod users;

pub use auth::AdminToken;
pub use calendar::CalendarDomain;
pub use error::ApiError;

use actix_web::{web, HttpRequest};

fn millis_to_rfc3339(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default()
}

/// Records an admin's read of a confidential meeting. For an admin the visibility rule
/// (`meetings::visibility`) always grants the read and audits it exactly when the meeting is
/// confidential, so no roster is needed here; one helper serves reads, steps and lists.
pub(super) fn audit_if_confidential(
    c: &mut crate::db::DbConn,
    meeting: &crate::db::meetings::MeetingRow,
    action: &str,
    now: env::Now,
) -> Result<(), crate::db::DbError> {
    if meeting.confidential {
        crate::db::audit::append(c, "admin", action, Some(meeting.id), now.ms())?;
    }
    Ok(())
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
            .service(
                web::resource("/users/import")
                    .app_data(web::PayloadConfig::new(import::MAX_CSV_BYTES))
                    .route(web::post().to(import::import_users)),
            )
            .route("/users", web::post().to(users::create))
            .route("/users", web::get().to(users::list))
            .route("/users/{id}", web::get().to(users::get))
            .route("/users/{id}", web::patch().to(users::update))
            .route("/users/{id}/deactivate", web::post().to(users::deactivate))
            .route("/openapi.json", web::get().to(openapi::document))
            .route("/audit", web::get().to(audit_log::list))
            .route("/meetings", web::post().to(meetings::create))
            .route("/meetings", web::get().to(meetings::list))
            .route("/meetings/{id}", web::get().to(meetings::get))
            .route("/meetings/{id}", web::patch().to(meetings::update))
            .route("/meetings/{id}/publish", web::post().to(meetings::publish))
            .route(
                "/meetings/{id}/participants",
                web::get().to(participants::list),
            )
            .route(
                "/meetings/{id}/participants",
                web::post().to(participants::add),
            )
            .route(
                "/meetings/{id}/participants/{person_id}",
                web::delete().to(participants::remove),
            )
            .route(
                "/meetings/{id}/participants/{person_id}/rsvp",
                web::put().to(participants::rsvp),
            )
            .route(
                "/meetings/{id}/participants/{person_id}/checkin",
                web::post().to(participants::check_in),
            )
            .route(
                "/meetings/{id}/reports/attendance",
                web::get().to(reports::attendance_report),
            )
            .route(
                "/meetings/{id}/reports/feedback",
                web::get().to(reports::feedback_report),
            )
            .route("/meetings/{id}/agenda", web::put().to(agenda::replace))
            .route(
                "/meetings/{id}/agenda/reorder",
                web::post().to(agenda::reorder),
            )
            .route(
                "/meetings/{id}/materials",
                web::get().to(agenda::list_materials),
            )
            .route(
                "/meetings/{id}/materials",
                web::post().to(agenda::add_material),
            )
            .route(
                "/meetings/{id}/materials/{material_id}",
                web::delete().to(agenda::remove_material),
            )
            .route("/meetings/{id}/minutes", web::get().to(minutes::read))
            .route("/meetings/{id}/ics", web::get().to(calendar::meeting))
            .route(
                "/users/{id}/calendar.ics",
                web::get().to(calendar::person_feed),
            )
            .route(
                "/meetings/{id}/minutes/{entry_id}",
                web::patch().to(minutes::edit),
            )
            .route("/action-items", web::get().to(action_items::list))
            .route("/action-items/{id}", web::get().to(action_items::get))
            .route("/action-items/{id}", web::patch().to(action_items::update))
            .route(
                "/meetings/{id}/deliveries",
                web::get().to(deliveries::report),
            )
            .route(
                "/meetings/{id}/checkin-code",
                web::get().to(meetings::checkin_code),
            )
            .route("/meetings/{id}/cancel", web::post().to(meetings::cancel))
            .route("/meetings/{id}/{step}", web::post().to(meetings::step))
            .route("/rooms", web::post().to(rooms::create))
            .route("/rooms", web::get().to(rooms::list))
            .route("/rooms/{id}", web::get().to(rooms::get))
            .route("/rooms/{id}/free", web::get().to(free_slots::free))
            .route("/rooms/{id}", web::patch().to(rooms::update))
            .route("/rooms/{id}", web::delete().to(rooms::deactivate))
            .default_service(web::to(|| async {
                Err::<actix_web::HttpResponse, _>(ApiError::NotFound("endpoint"))
            })),
    );
}
