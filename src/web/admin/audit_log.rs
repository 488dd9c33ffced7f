//! `GET /api/v1/audit[?meeting_id=N&actor=person:N&action=prefix&limit=N]`: the audit log,
//! newest first.

use super::auth::Admin;
use super::error::{ApiError, ErrorBody};
use super::rfc3339;
use crate::db::{audit, Db};
use crate::meetings::audit_action::{ActionPrefix, AuditActor};
use crate::meetings::MeetingId;
use crate::ops::{self, oversight, Actor};
use actix_web::get;
use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    #[param(value_type = Option<i64>, minimum = 1)]
    meeting_id: Option<MeetingId>,
    /// `admin` or `person:N`.
    actor: Option<String>,
    /// Entries whose action starts with this, e.g. `update_person`.
    action: Option<String>,
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
    let AuditQuery {
        meeting_id,
        actor,
        action,
        limit,
    } = query.into_inner();
    let limit = limit.unwrap_or(100).clamp(1, 1000);
    // What an audit entry's actor is read as (`AuditActor::parse`), narrowed to what the
    // document's pattern says: admin, or person: and up to 18 digits.
    let actor = match actor.as_deref().map(|a| (a.len(), AuditActor::parse(a))) {
        None => None,
        Some((_, AuditActor::Admin)) => Some(AuditActor::Admin),
        Some((len, person @ AuditActor::Person(_))) if len <= "person:".len() + 18 => Some(person),
        Some(_) => {
            return Err(ApiError::BadQuery(
                "actor must be admin or person:<id>".into(),
            ))
        }
    };
    let action = match action.as_deref().map(ActionPrefix::parse) {
        None => None,
        Some(Some(prefix)) => Some(prefix),
        Some(None) => {
            return Err(ApiError::BadQuery(
                "action must be 1 to 64 characters without NUL".into(),
            ))
        }
    };
    let filter = audit::AuditFilter {
        meeting_id,
        actor,
        action,
        since: None,
    };
    let entries = ops::run(&db, move |c| {
        oversight::search(c, Actor::Admin, &filter, limit)
    })
    .await?;
    Ok(HttpResponse::Ok().json(
        entries
            .into_iter()
            .map(|e| EntryView {
                id: e.id,
                at: rfc3339(e.at),
                actor: e.actor.to_string(),
                action: e.action.to_string(),
                meeting_id: e.meeting_id.map(MeetingId::get),
            })
            .collect::<Vec<_>>(),
    ))
}
