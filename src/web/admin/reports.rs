//! Per-meeting reports: attendance and feedback.

use super::auth::Admin;
use super::env::Now;
use super::error::{ApiError, ErrorBody};
use crate::config::MeetingSettings;
use crate::db::{feedback, meetings as store, participants, people, Db};
use crate::meetings::feedback::{summarise, Rating};
use crate::meetings::lifecycle::MeetingStatus;
use crate::meetings::participation::{attendance, Attendance, Rsvp};
use actix_web::get;
use actix_web::{web, HttpResponse};
use chrono::DateTime;
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
    now: Now,
    db: web::Data<Db>,
    settings: web::Data<MeetingSettings>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let grace = settings.late_grace;
    let report = db
        .run(move |c| {
            let Some(record) = store::get(c, id)? else {
                return Ok(None);
            };
            let m = &record.meeting;
            super::audit_if_confidential(c, m, "read_attendance", now)?;
            let start = DateTime::from_timestamp_millis(m.starts_at).unwrap_or_default();
            let now = now.0;
            let over = matches!(m.status, MeetingStatus::Ended | MeetingStatus::Closed);
            // A meeting ended early is over for attendance too.
            let planned_end = DateTime::from_timestamp_millis(m.ends_at).unwrap_or_default();
            let end = if over {
                planned_end.min(now)
            } else {
                planned_end
            };
            let mut r = AttendanceReport {
                meeting_id: id,
                ..Default::default()
            };
            for p in participants::list(c, id)? {
                let answer = p.rsvp.clone();
                let checked = p.checked_in_at.and_then(DateTime::from_timestamp_millis);
                let a = attendance(&answer, checked, start, end, grace, now);
                r.invited += 1;
                match &answer {
                    Rsvp::Accepted => r.accepted += 1,
                    Rsvp::Tentative => r.tentative += 1,
                    Rsvp::Declined { .. } => r.declined += 1,
                    Rsvp::Pending => r.pending += 1,
                }
                match a {
                    Attendance::OnTime => r.checked_in += 1,
                    Attendance::Late => {
                        r.checked_in += 1;
                        r.late += 1;
                    }
                    Attendance::Absent => r.absent += 1,
                    Attendance::Expected | Attendance::NotComing => {}
                }
                r.people.push(PersonAttendance {
                    person_id: p.person_id,
                    name: people::get(c, p.person_id)?
                        .map(|x| x.name)
                        .unwrap_or_default(),
                    rsvp: p.rsvp.as_str().to_owned(),
                    reason: p.rsvp.reason().map(str::to_owned),
                    attendance: a,
                });
            }
            Ok(Some(r))
        })
        .await?
        .ok_or(ApiError::NotFound("meeting"))?;
    Ok(HttpResponse::Ok().json(report))
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
    now: Now,
    db: web::Data<Db>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let answers = db
        .run(move |c| {
            let Some(record) = store::get(c, id)? else {
                return Ok(None);
            };
            super::audit_if_confidential(c, &record.meeting, "read_feedback", now)?;
            Ok(Some(feedback::for_meeting(c, id)?))
        })
        .await?
        .ok_or(ApiError::NotFound("meeting"))?;
    let ratings: Vec<Rating> = answers
        .iter()
        .filter_map(|(r, _)| u8::try_from(*r).ok().and_then(|r| Rating::try_from(r).ok()))
        .collect();
    let summary = summarise(&ratings);
    Ok(HttpResponse::Ok().json(FeedbackReport {
        meeting_id: id,
        count: summary.count,
        average: summary.average,
        distribution: summary.distribution,
        comments: answers
            .into_iter()
            .map(|(_, c)| c)
            .filter(|c| !c.is_empty())
            .collect(),
    }))
}
