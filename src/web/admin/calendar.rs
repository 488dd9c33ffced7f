//! iCalendar: one meeting as an invitation (METHOD:REQUEST, or METHOD:CANCEL once cancelled)
//! with a stable UID and the meeting's SEQUENCE, and a person's feed of their meetings.

use super::auth::Admin;
use super::env::Now;
use super::error::{ApiError, ErrorBody};
use crate::db::meetings::{self as store, MeetingRecord};
use crate::db::{participants, people, Db, DbConn, DbError};
use crate::meetings::lifecycle::MeetingStatus;
use actix_web::get;
use actix_web::{web, HttpResponse};
use icalendar::{Calendar, Component, Event, EventLike, EventStatus};

/// Where UIDs are rooted: the host of `server.public_url`.
#[derive(Debug, Clone)]
pub struct CalendarDomain(pub String);

fn event(c: &mut DbConn, domain: &str, r: &MeetingRecord) -> Result<Event, DbError> {
    let m = &r.meeting;
    let status = m.status;
    let mut description = m.goal.clone();
    for a in &r.agenda {
        description.push_str(&format!(
            "\n{}. {}（{} 分钟）",
            a.position, a.title, a.minutes
        ));
    }
    let mut e = Event::new();
    e.uid(&format!("huiwu-meeting-{}@{domain}", m.id))
        .sequence(u32::try_from(m.sequence).unwrap_or(0))
        .summary(&m.title)
        .description(description.trim())
        .location(&store::place_description(c, m)?)
        .status(if status == MeetingStatus::Cancelled {
            EventStatus::Cancelled
        } else {
            EventStatus::Confirmed
        });
    if let Some(t) = chrono::DateTime::from_timestamp_millis(m.starts_at) {
        e.starts(t);
    }
    if let Some(t) = chrono::DateTime::from_timestamp_millis(m.ends_at) {
        e.ends(t);
    }
    if let Some(t) = chrono::DateTime::from_timestamp_millis(m.updated_at) {
        e.timestamp(t);
    }
    Ok(e.done())
}

fn ics(calendar: Calendar) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/calendar; charset=utf-8")
        .body(calendar.to_string())
}

#[utoipa::path(operation_id = "calendar_meeting", tag = "calendar", params(("id" = i64, Path, description = "meeting id")), responses((status = 200, description = "iCalendar", content_type = "text/calendar", body = String), (status = 401, description = "no valid admin token", body = ErrorBody), (status = 404, description = "not found", body = ErrorBody), (status = 409, description = "conflict with the current state", body = ErrorBody)), security(("bearer" = [])))]
#[get("/meetings/{id}/ics")]
pub async fn meeting(
    _: Admin,
    now: Now,
    db: web::Data<Db>,
    domain: web::Data<CalendarDomain>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let domain = domain.0.clone();
    let found = db
        .run(move |c| {
            let Some(r) = store::get(c, id)? else {
                return Ok(None);
            };
            super::audit_if_confidential(c, &r.meeting, "read_calendar", now)?;
            let status = r.meeting.status;
            Ok(Some((status, event(c, &domain, &r)?)))
        })
        .await?;
    let (status, event) = found.ok_or(ApiError::NotFound("meeting"))?;
    let method = match status {
        MeetingStatus::Draft => {
            return Err(ApiError::Conflict(
                "a draft has no calendar entry until it is published".into(),
            ))
        }
        MeetingStatus::Cancelled => "CANCEL",
        _ => "REQUEST",
    };
    let mut calendar = Calendar::new();
    calendar.append_property(("METHOD", method)).push(event);
    Ok(ics(calendar.done()))
}

/// Every published meeting the person is invited to, cancelled ones marked so.
#[utoipa::path(operation_id = "calendar_person_feed", tag = "calendar", params(("id" = i64, Path, description = "person id")), responses((status = 200, description = "iCalendar", content_type = "text/calendar", body = String), (status = 401, description = "no valid admin token", body = ErrorBody), (status = 404, description = "not found", body = ErrorBody)), security(("bearer" = [])))]
#[get("/users/{id}/calendar.ics")]
pub async fn person_feed(
    _: Admin,
    now: Now,
    db: web::Data<Db>,
    domain: web::Data<CalendarDomain>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let domain = domain.0.clone();
    let events = db
        .run(move |c| {
            let Some(person) = people::get(c, id)? else {
                return Ok(None);
            };
            let published = [
                MeetingStatus::Scheduled,
                MeetingStatus::InProgress,
                MeetingStatus::Ended,
                MeetingStatus::Closed,
                MeetingStatus::Cancelled,
            ];
            let mut events = Vec::new();
            for m in store::for_person(c, person.id, &published)? {
                if participants::get(c, m.id, person.id)?.is_none() {
                    continue;
                }
                if let Some(r) = store::get(c, m.id)? {
                    super::audit_if_confidential(c, &r.meeting, "read_calendar", now)?;
                    events.push(event(c, &domain, &r)?);
                }
            }
            Ok(Some((person.name, events)))
        })
        .await?;
    let (name, events) = events.ok_or(ApiError::NotFound("person"))?;
    let mut calendar = Calendar::new();
    calendar
        .name(&format!("{name} 的会议"))
        .append_property(("METHOD", "PUBLISH"));
    for e in events {
        calendar.push(e);
    }
    Ok(ics(calendar.done()))
}
