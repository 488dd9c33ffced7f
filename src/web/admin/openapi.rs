//! The OpenAPI document of the admin API: the paths and schemas collected from the handlers
//! the admin scope serves (their annotations), with the title and the bearer scheme added
//! here. Built once at startup; it cannot drift from the routes.

use actix_web::{web, App, HttpResponse};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::openapi::OpenApi as Document;
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut Document) {
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
    modifiers(&BearerAuth)
)]
struct ApiDoc;

/// The document for the routes `super::configure` serves.
pub fn build() -> Document {
    let (_, document) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(super::configure)
        .split_for_parts();
    document
}

/// `GET /api/v1/docs/`: Swagger UI over the document, served from files inside the binary.
pub fn docs_page() -> utoipa_swagger_ui::SwaggerUi {
    utoipa_swagger_ui::SwaggerUi::new("/api/v1/docs/{_:.*}")
        .config(utoipa_swagger_ui::Config::new(["/api/v1/openapi.json"]))
}

/// `GET /api/v1/docs` → `/api/v1/docs/`, where the page's relative links resolve.
pub async fn docs_redirect() -> HttpResponse {
    HttpResponse::PermanentRedirect()
        .insert_header(("Location", "/api/v1/docs/"))
        .finish()
}

/// `GET /api/v1/openapi.json`: public, it holds no data.
pub async fn document(doc: web::Data<Document>) -> HttpResponse {
    HttpResponse::Ok().json(doc.get_ref())
}
