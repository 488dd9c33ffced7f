//! The OpenAPI document of the admin API, generated from the handlers' annotations and the
//! request and response types, so it cannot drift from the code.

use super::{
    action_items, agenda, audit_log, calendar, deliveries, free_slots, import, meetings, minutes,
    participants, reports, rooms, users,
};
use actix_web::HttpResponse;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "huiwu admin API",
        description = "People, rooms and meetings: their whole life, reports and audit. \
                       Every request needs `Authorization: Bearer <admin.token>`."
    ),
    paths(
        users::create, users::list, users::get, users::update, users::deactivate,
        import::import_users,
        rooms::create, rooms::list, rooms::get, rooms::update, rooms::deactivate,
        free_slots::free,
        meetings::create, meetings::list, meetings::get, meetings::update,
        meetings::publish, meetings::cancel, meetings::step, meetings::checkin_code,
        participants::list, participants::add, participants::remove, participants::rsvp,
        participants::check_in,
        agenda::replace, agenda::reorder,
        agenda::list_materials, agenda::add_material, agenda::remove_material,
        minutes::read, minutes::edit,
        action_items::list, action_items::get, action_items::update,
        reports::attendance_report, reports::feedback_report, deliveries::report,
        calendar::meeting, calendar::person_feed,
        audit_log::list,
    ),
    modifiers(&BearerAuth)
)]
struct ApiDoc;

/// `GET /api/v1/openapi.json`: public, it holds no data.
pub async fn document() -> HttpResponse {
    HttpResponse::Ok().json(ApiDoc::openapi())
}
