//! `GET /meetings/{id}/checkin-code`.

use super::super::auth::Admin;
use super::super::env::Now;
use super::super::error::{ApiError, ErrorBody};
use super::super::{rfc3339, rfc3339_ms};
use crate::db::meetings as store;
use crate::db::Db;
use crate::meetings::audit_action::Audit;
use crate::meetings::checkin_code::{opens_before, CheckinKey};
use crate::meetings::MeetingId;
use actix_web::get;
use actix_web::{web, HttpResponse};
use serde::Serialize;

#[derive(Serialize, utoipa::ToSchema)]
struct CheckinCodeView {
    /// Put this in the room as a QR code (or use it as a QR_STR_SCENE).
    code: String,
    valid_from: String,
    valid_until: String,
}

/// The signed check-in code of a meeting, valid from 30 minutes before the start to the end.
#[utoipa::path(operation_id = "meetings_checkin_code", tag = "meetings", params(("id" = i64, Path, description = "meeting id")), responses((status = 200, body = CheckinCodeView), (status = 401, description = "no valid admin token", body = ErrorBody), (status = 404, description = "not found", body = ErrorBody)), security(("bearer" = [])))]
#[get("/meetings/{id}/checkin-code")]
pub async fn checkin_code(
    _: Admin,
    now: Now,
    db: web::Data<Db>,
    key: web::Data<CheckinKey>,
    id: web::Path<MeetingId>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let record = db
        .run(move |c| {
            let record = store::get(c, id)?;
            if let Some(record) = &record {
                crate::ops::reading::by_admin(
                    c,
                    now.ms(),
                    &record.meeting,
                    Audit::ReadCheckinCode,
                )?;
            }
            Ok(record)
        })
        .await?
        .ok_or(ApiError::NotFound("meeting"))?;
    let m = &record.meeting;
    let meeting =
        crate::meetings::MeetingId::new(m.id.get()).map_err(|_| ApiError::NotFound("meeting"))?;
    let opens = m.starts_at.millis() - opens_before().num_milliseconds();
    Ok(HttpResponse::Ok().json(CheckinCodeView {
        code: key.code(meeting),
        valid_from: rfc3339_ms(opens)?,
        valid_until: rfc3339(m.ends_at),
    }))
}
