//! `GET /api/v1/audit[?meeting_id=N&limit=N]`: the audit log, newest first.

use super::auth::Admin;
use super::error::{ApiError, ErrorBody};
use super::millis_to_rfc3339;
use crate::db::{audit, Db};
use actix_web::get;
use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    meeting_id: Option<i64>,
    limit: Option<i64>,
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = AuditEntry)]
struct EntryView {
    id: i64,
    at: String,
    actor: String,
    action: String,
    meeting_id: Option<i64>,
}

#[utoipa::path(operation_id = "audit_log_list", tag = "audit", params(AuditQuery), responses((status = 200, body = Vec<EntryView>), (status = 401, description = "no valid admin token", body = ErrorBody), (status = 422, description = "invalid input, field by field", body = ErrorBody)), security(("bearer" = [])))]
#[get("/audit")]
pub async fn list(
    _: Admin,
    db: web::Data<Db>,
    query: web::Query<AuditQuery>,
) -> Result<HttpResponse, ApiError> {
    let AuditQuery { meeting_id, limit } = query.into_inner();
    let limit = limit.unwrap_or(100).clamp(1, 1000);
    let entries = db.run(move |c| audit::list(c, meeting_id, limit)).await?;
    Ok(HttpResponse::Ok().json(
        entries
            .into_iter()
            .map(|e| EntryView {
                id: e.id,
                at: millis_to_rfc3339(e.at),
                actor: e.actor,
                action: e.action,
                meeting_id: e.meeting_id,
            })
            .collect::<Vec<_>>(),
    ))
}
