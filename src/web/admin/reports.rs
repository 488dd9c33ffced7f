//! Per-meeting reports: attendance and feedback.

use super::auth::Admin;
use super::env::OpsEnv;
use super::error::{ApiError, ErrorBody};
use crate::db::Db;
use crate::meetings::participation::Attendance;
use crate::ops::{self, Actor};
use actix_web::get;
use actix_web::{web, HttpResponse};
use serde::Serialize;

#[derive(Serialize, Default, utoipa::ToSchema)]
struct AttendanceReport {
    meeting_id: i64,
    invited: usize,
    accepted: usize,
    tentative: usize,
    declined: usize,
    pending: usize,
    checked_in: usize,
    late: usize,
    /// Accepted, never checked in, meeting over.
    absent: usize,
    people: Vec<PersonAttendance>,
}

#[derive(Serialize, utoipa::ToSchema)]
struct PersonAttendance {
    person_id: i64,
    name: String,
    rsvp: String,
    reason: Option<String>,
    /// on_time, late, absent, expected or not_coming
    #[schema(value_type = String)]
    attendance: Attendance,
}

#[utoipa::path(operation_id = "reports_attendance_report", tag = "reports", params(("id" = i64, Path, description = "meeting id")), responses((status = 200, body = AttendanceReport), (status = 401, description = "no valid admin token", body = ErrorBody), (status = 404, description = "not found", body = ErrorBody)), security(("bearer" = [])))]
#[get("/meetings/{id}/reports/attendance")]
pub async fn attendance_report(
    _: Admin,
    OpsEnv(env): OpsEnv,
    db: web::Data<Db>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = super::meeting_id(id.into_inner())?;
    let r = ops::run(&db, move |c| {
        ops::reports::attendance(c, &env, Actor::Admin, id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(AttendanceReport {
        meeting_id: id.get(),
        invited: r.invited,
        accepted: r.accepted,
        tentative: r.tentative,
        declined: r.declined,
        pending: r.pending,
        checked_in: r.checked_in,
        late: r.late,
        absent: r.absent,
        people: r
            .people
            .into_iter()
            .map(|p| PersonAttendance {
                person_id: p.person_id,
                name: p.name,
                rsvp: p.rsvp.as_str().to_owned(),
                reason: p.rsvp.reason().map(str::to_owned),
                attendance: p.attendance,
            })
            .collect(),
    }))
}

#[derive(Serialize, utoipa::ToSchema)]
struct FeedbackReport {
    meeting_id: i64,
    count: usize,
    average: Option<f64>,
    /// Counts of ratings 1 to 5.
    distribution: [usize; 5],
    comments: Vec<String>,
}

#[utoipa::path(operation_id = "reports_feedback_report", tag = "reports", params(("id" = i64, Path, description = "meeting id")), responses((status = 200, body = FeedbackReport), (status = 401, description = "no valid admin token", body = ErrorBody), (status = 404, description = "not found", body = ErrorBody)), security(("bearer" = [])))]
#[get("/meetings/{id}/reports/feedback")]
pub async fn feedback_report(
    _: Admin,
    OpsEnv(env): OpsEnv,
    db: web::Data<Db>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = super::meeting_id(id.into_inner())?;
    let r = ops::run(&db, move |c| {
        ops::reports::feedback(c, &env, Actor::Admin, id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(FeedbackReport {
        meeting_id: id.get(),
        count: r.summary.count,
        average: r.summary.average,
        distribution: r.summary.distribution,
        comments: r.comments,
    }))
}
