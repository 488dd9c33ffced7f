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
    /// Never answered.
    pending: usize,
    /// Present: checked in, on time or late (whatever they answered).
    checked_in: usize,
    on_time: usize,
    late: usize,
    /// Not checked in and not excused, before the meeting is over.
    expected: usize,
    /// Expected (accepted, tentative or no answer) and not checked in when it was over.
    absent: usize,
    /// Declined and not checked in.
    excused: usize,
    people: Vec<PersonAttendance>,
}

#[derive(Serialize, utoipa::ToSchema)]
struct PersonAttendance {
    person_id: i64,
    name: String,
    rsvp: String,
    reason: Option<String>,
    /// on_time, late, expected, absent or declined (excused)
    #[schema(value_type = String)]
    attendance: Attendance,
    /// Minutes after the start, for a late check-in.
    minutes_late: Option<i64>,
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
        invited: r.tally.invited,
        accepted: r.tally.accepted,
        tentative: r.tally.tentative,
        declined: r.tally.declined,
        pending: r.tally.pending,
        checked_in: r.tally.present,
        on_time: r.tally.on_time,
        late: r.tally.late,
        expected: r.tally.expected,
        absent: r.tally.absent,
        excused: r.tally.excused,
        people: r
            .people
            .into_iter()
            .map(|p| PersonAttendance {
                person_id: p.person_id.get(),
                name: p.name,
                rsvp: p.rsvp.as_str().to_owned(),
                reason: p.rsvp.reason().map(str::to_owned),
                attendance: p.attendance,
                minutes_late: p.minutes_late,
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

#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ImprovementQuery {
    /// First day (YYYY-MM-DD, local), inclusive.
    from: String,
    /// Last day (YYYY-MM-DD, local), inclusive; at most two years after `from`.
    until: String,
    /// `host`, `department` (the host's) or `series`.
    group_by: String,
}

#[derive(Serialize, utoipa::ToSchema)]
struct ImprovementReport {
    from: String,
    until: String,
    group_by: String,
    groups: Vec<crate::meetings::improvement::GroupStats>,
}

const IMPROVEMENT_COLUMNS: [&str; 25] = [
    "key",
    "label",
    "meetings",
    "on_time_start_rate",
    "average_start_delay_minutes",
    "agenda_items_timed",
    "agenda_items_over",
    "average_overrun_minutes",
    "invited",
    "attendance_rate",
    "late_rate",
    "absent_rate",
    "delegations",
    "decisions",
    "decisions_per_meeting",
    "decisions_passed",
    "decisions_tabled",
    "decisions_with_objections",
    "action_items",
    "action_items_on_time_rate",
    "average_days_overdue",
    "feedback_count",
    "feedback_average",
    "feedback_trend",
    "minutes_on_time_rate",
];

/// The groups as CSV rows, in `IMPROVEMENT_COLUMNS` order (from their JSON, so the two agree).
fn improvement_csv(groups: &[crate::meetings::improvement::GroupStats]) -> String {
    let rows = groups
        .iter()
        .map(|g| {
            let json = serde_json::to_value(g).unwrap_or_default();
            IMPROVEMENT_COLUMNS
                .iter()
                .map(|c| match &json[*c] {
                    serde_json::Value::String(s) => crate::web::csv::text(s),
                    serde_json::Value::Null => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect();
    crate::web::csv::document(&IMPROVEMENT_COLUMNS, rows)
}

/// Across the meetings held in a period, per host, department or series: on-time starts,
/// agenda overruns, attendance, delegations, decisions and their consensus, action items on
/// time, feedback, minutes on time (definitions in docs/meetings.md). JSON, or CSV with
/// `Accept: text/csv`.
#[utoipa::path(operation_id = "reports_improvement", tag = "reports", params(ImprovementQuery), responses((status = 200, description = "the report, as JSON or (Accept: text/csv) CSV", content((ImprovementReport = "application/json"), (String = "text/csv"))), (status = 422, description = "a date that is not YYYY-MM-DD, until before from, a period over two years, or group_by not host, department or series", body = ErrorBody)), security(("bearer" = [])))]
#[get("/reports/improvement")]
pub async fn improvement(
    _: Admin,
    req: actix_web::HttpRequest,
    OpsEnv(env): OpsEnv,
    db: web::Data<Db>,
    query: web::Query<ImprovementQuery>,
) -> Result<HttpResponse, ApiError> {
    use crate::meetings::directory::FieldError;
    use crate::meetings::improvement::{period, GroupBy};
    let ImprovementQuery {
        from,
        until,
        group_by,
    } = query.into_inner();
    let invalid = |field: &'static str, message: String| {
        ApiError::Invalid(vec![FieldError { field, message }])
    };
    let (from, until) = period(&from, &until).map_err(|(field, m)| invalid(field, m))?;
    let by = GroupBy::parse(&group_by)
        .ok_or_else(|| invalid("group_by", "must be host, department or series".to_owned()))?;
    let report = ops::run(&db, move |c| {
        ops::improvement::improvement(c, &env, Actor::Admin, from, until, by)
    })
    .await?;
    let wants_csv = req
        .headers()
        .get(actix_web::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/csv"));
    if wants_csv {
        return Ok(HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .body(improvement_csv(&report.groups)));
    }
    Ok(HttpResponse::Ok().json(ImprovementReport {
        from: report.from.to_string(),
        until: report.until.to_string(),
        group_by: report.group_by.as_str().to_owned(),
        groups: report.groups,
    }))
}
