//! `GET /meetings/{id}`.

use super::super::auth::Admin;
use super::super::env::Now;
use super::super::error::{ApiError, ErrorBody};
use super::{checked, view, MeetingView};
use crate::db::meetings as store;
use crate::db::Db;
use crate::meetings::audit_action::Audit;
use crate::meetings::MeetingId;
use actix_web::get;
use actix_web::{web, HttpResponse};

#[utoipa::path(operation_id = "meetings_get", tag = "meetings", params(("id" = i64, Path, description = "meeting id")), responses((status = 200, body = MeetingView), (status = 401, description = "no valid admin token", body = ErrorBody), (status = 404, description = "not found", body = ErrorBody)), security(("bearer" = [])))]
#[get("/meetings/{id}")]
pub async fn get(
    _: Admin,
    now: Now,
    db: web::Data<Db>,
    id: web::Path<MeetingId>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    view(
        crate::ops::run(&db, move |c| {
            let record = store::get(c, id)?;
            if let Some(record) = &record {
                crate::ops::reading::by_admin(c, now.ms(), &record.meeting, Audit::ReadMeeting)?;
            }
            record.map(|r| checked(c, r)).transpose()
        })
        .await?,
    )
}
