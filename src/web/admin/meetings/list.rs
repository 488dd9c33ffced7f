//! `GET /meetings`: by time, status, room or person.

use super::super::auth::Admin;
use super::super::env::Now;
use super::super::error::{ApiError, ErrorBody};
use super::super::rfc3339;
use crate::db::meetings as store;
use crate::db::Db;
use crate::meetings::audit_action::Audit;
use crate::meetings::directory::FieldError;
use crate::meetings::lifecycle::MeetingStatus;
use crate::meetings::PersonId;
use crate::meetings::RoomId;
use actix_web::get;
use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    from: Option<String>,
    until: Option<String>,
    status: Option<String>,
    #[param(value_type = Option<i64>, minimum = 1)]
    room_id: Option<RoomId>,
    #[param(value_type = Option<i64>, minimum = 1)]
    person_id: Option<PersonId>,
}

#[derive(Serialize, utoipa::ToSchema)]
struct SummaryView {
    id: i64,
    title: String,
    starts_at: String,
    ends_at: String,
    room_id: Option<i64>,
    place: String,
    #[schema(value_type = String)]
    status: MeetingStatus,
    confidential: bool,
}

impl ListQuery {
    fn filter(self) -> Result<store::MeetingFilter, ApiError> {
        let mut errors = Vec::new();
        let mut time = |raw: Option<String>, field: &'static str| {
            raw.and_then(|r| match chrono::DateTime::parse_from_rfc3339(&r) {
                Ok(t) => Some(t.timestamp_millis()),
                Err(_) => {
                    errors.push(FieldError {
                        field,
                        message: "must be a time such as 2026-12-01T00:00:00+08:00".to_owned(),
                    });
                    None
                }
            })
        };
        let from = time(self.from, "from");
        let until = time(self.until, "until");
        let status = self.status.and_then(|s| {
            let parsed = MeetingStatus::parse(&s);
            if parsed.is_none() {
                errors.push(FieldError {
                    field: "status",
                    message: "must be draft, scheduled, in_progress, ended, closed or cancelled"
                        .to_owned(),
                });
            }
            parsed
        });
        if !errors.is_empty() {
            return Err(ApiError::Invalid(errors));
        }
        Ok(store::MeetingFilter {
            from,
            until,
            status,
            room_id: self.room_id,
            person_id: self.person_id,
        })
    }
}

/// Meetings by time, status, room or person. Confidential titles in the answer are reads of
/// confidential content, so each is audited.
#[utoipa::path(operation_id = "meetings_list", tag = "meetings", params(ListQuery), responses((status = 200, body = Vec<SummaryView>), (status = 401, description = "no valid admin token", body = ErrorBody), (status = 422, description = "invalid input, field by field", body = ErrorBody)), security(("bearer" = [])))]
#[get("/meetings")]
pub async fn list(
    _: Admin,
    now: Now,
    db: web::Data<Db>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    let filter = query.into_inner().filter()?;
    let rows = db
        .run(move |c| {
            let rows = store::list(c, &filter)?;
            for row in &rows {
                crate::ops::reading::by_admin(c, now.ms(), row, Audit::ListMeetings)?;
            }
            Ok(rows)
        })
        .await?;
    Ok(HttpResponse::Ok().json(
        rows.into_iter()
            .map(|m| SummaryView {
                id: m.id.get(),
                title: m.title,
                starts_at: rfc3339(m.starts_at),
                ends_at: rfc3339(m.ends_at),
                room_id: m.room_id.map(RoomId::get),
                place: m.place,
                status: m.status,
                confidential: m.confidential,
            })
            .collect::<Vec<_>>(),
    ))
}
