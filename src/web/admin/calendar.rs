//! iCalendar through the admin API: one meeting as an invitation (METHOD:REQUEST, or
//! METHOD:CANCEL once cancelled), a person's meetings, and the person's secret feed URL that
//! calendar apps subscribe to without the admin token (`web::calendar_feed`).

use super::auth::Admin;
use super::env::Now;
use super::error::{ApiError, ErrorBody};
use crate::db::meetings as store;
use crate::db::{calendar_feeds, participants, people, Db, DbConn, DbError};
use crate::meetings::audit_action::Audit;
use crate::meetings::calendar_feed::FeedLinks;
use crate::meetings::lifecycle::MeetingStatus;
use crate::meetings::window::Window;
use crate::meetings::MeetingId;
use crate::meetings::PersonId;
use crate::meetings::SeriesId;
use crate::web::ics::{self, Detail};
use actix_web::{get, post};
use actix_web::{web, HttpResponse};
use icalendar::Event;
use serde::Serialize;

/// Where UIDs are rooted (the host of `server.public_url`), and the zone recurring meetings
/// recur in (their DTSTART and EXDATE are local times there).
#[derive(Debug, Clone)]
pub struct CalendarDomain(pub String, pub chrono_tz::Tz);

#[utoipa::path(operation_id = "calendar_meeting", tag = "calendar", params(("id" = i64, Path, description = "meeting id")), responses((status = 200, description = "iCalendar", content_type = "text/calendar", body = String), (status = 401, description = "no valid admin token", body = ErrorBody), (status = 404, description = "not found", body = ErrorBody), (status = 409, description = "conflict with the current state", body = ErrorBody)), security(("bearer" = [])))]
#[get("/meetings/{id}/ics")]
pub async fn meeting(
    _: Admin,
    now: Now,
    db: web::Data<Db>,
    domain: web::Data<CalendarDomain>,
    id: web::Path<MeetingId>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let domain = domain.0.clone();
    let found = db
        .run(move |c| {
            let Some(r) = store::get(c, id)? else {
                return Ok(None);
            };
            crate::ops::reading::by_admin(c, now.ms(), &r.meeting, Audit::ReadCalendar)?;
            let status = r.meeting.status;
            Ok(Some((status, ics::event(c, &domain, &r, Detail::Full)?)))
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
    Ok(ics::response(ics::calendar(method, None, vec![event])))
}

/// Every published meeting the person is invited to, cancelled ones marked so, at `detail`
/// (`None` to decide per meeting, as a feed leaving huiwu must). `None` when there is no such
/// person.
pub fn person_events(
    c: &mut DbConn,
    domain: &str,
    tz: chrono_tz::Tz,
    person_id: PersonId,
    detail: Option<Detail>,
    mut each: impl FnMut(&mut DbConn, &store::MeetingRecord) -> Result<(), DbError>,
) -> Result<Option<(people::Person, Vec<Event>)>, DbError> {
    let Some(person) = people::get(c, person_id)? else {
        return Ok(None);
    };
    let mut events = Vec::new();
    let mut invited = Vec::new();
    for m in store::for_person(c, person.id, Window::Announced.statuses())? {
        if participants::get(c, m.id, person.id)?.is_some() {
            invited.push(m.id);
        }
    }
    // Occurrences of a recurring meeting show as their series (one VEVENT with RRULE).
    let occurrences = crate::db::series::occurrences_among(c, &invited)?;
    let mut series: Vec<SeriesId> = occurrences.iter().map(|o| o.series_id).collect();
    series.sort_unstable();
    series.dedup();
    for id in invited {
        if occurrences.iter().any(|o| o.meeting_id == id) {
            continue;
        }
        if let Some(r) = store::get(c, id)? {
            each(c, &r)?;
            let detail = detail.unwrap_or_else(|| Detail::for_feed(&r));
            events.push(ics::event(c, domain, &r, detail)?);
        }
    }
    for id in series {
        let Some(row) = crate::db::series::get(c, id)? else {
            continue;
        };
        let mut held = Vec::new();
        for o in crate::db::series::occurrences(c, id)? {
            if let Some(r) = store::get(c, o.meeting_id)? {
                each(c, &r)?;
                held.push((o, r));
            }
        }
        events.extend(ics::series_events(c, domain, tz, &row, &held, detail)?);
    }
    Ok(Some((person, events)))
}

pub fn feed_name(person: &people::Person) -> String {
    format!("{} 的会议", person.name)
}

#[utoipa::path(operation_id = "calendar_person_feed", tag = "calendar", params(("id" = i64, Path, description = "person id")), responses((status = 200, description = "iCalendar", content_type = "text/calendar", body = String), (status = 401, description = "no valid admin token", body = ErrorBody), (status = 404, description = "not found", body = ErrorBody)), security(("bearer" = [])))]
#[get("/users/{id}/calendar.ics")]
pub async fn person_feed(
    _: Admin,
    now: Now,
    db: web::Data<Db>,
    domain: web::Data<CalendarDomain>,
    id: web::Path<PersonId>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let (tz, domain) = (domain.1, domain.0.clone());
    let found = db
        .run(move |c| {
            person_events(c, &domain, tz, id, Some(Detail::Full), |c, r| {
                crate::ops::reading::by_admin(c, now.ms(), &r.meeting, Audit::ReadCalendar)
            })
        })
        .await?;
    let (person, events) = found.ok_or(ApiError::NotFound("person"))?;
    let name = feed_name(&person);
    Ok(ics::response(ics::calendar("PUBLISH", Some(&name), events)))
}

/// A person's secret calendar feed: a URL calendar apps subscribe to without any token.
#[derive(Serialize, utoipa::ToSchema)]
pub struct FeedView {
    person_id: i64,
    /// `{server.public_url}/calendar/<secret>.ics`; confidential meetings show their time only.
    url: String,
}

/// The person's feed at the generation `step` leaves it (read it, or move it on), as a view.
async fn feed_step(
    db: &Db,
    links: &FeedLinks,
    id: PersonId,
    step: impl FnOnce(&mut DbConn) -> Result<i32, crate::ops::OpsError> + Send + 'static,
) -> Result<FeedView, ApiError> {
    let generation = crate::ops::run(db, move |c| match people::get(c, id)? {
        Some(_) => step(c).map(Some),
        None => Ok(None),
    })
    .await?
    .ok_or(ApiError::NotFound("person"))?;
    Ok(FeedView {
        person_id: id.get(),
        url: links.url(id, generation),
    })
}

#[utoipa::path(operation_id = "calendar_feed_get", tag = "calendar", params(("id" = i64, Path, description = "person id")), responses((status = 200, description = "the feed URL", body = FeedView), (status = 401, description = "no valid admin token", body = ErrorBody), (status = 404, description = "not found", body = ErrorBody)), security(("bearer" = [])))]
#[get("/users/{id}/calendar-feed")]
pub async fn feed_url(
    _: Admin,
    db: web::Data<Db>,
    links: web::Data<FeedLinks>,
    id: web::Path<PersonId>,
) -> Result<web::Json<FeedView>, ApiError> {
    let id = id.into_inner();
    let view = feed_step(&db, &links, id, move |c| {
        Ok(calendar_feeds::generation(c, id)?)
    })
    .await?;
    Ok(web::Json(view))
}

#[utoipa::path(operation_id = "calendar_feed_revoke", tag = "calendar", params(("id" = i64, Path, description = "person id")), responses((status = 200, description = "the new feed URL; the old one no longer works", body = FeedView), (status = 401, description = "no valid admin token", body = ErrorBody), (status = 404, description = "not found", body = ErrorBody)), security(("bearer" = [])))]
#[post("/users/{id}/calendar-feed/revoke")]
pub async fn revoke_feed(
    _: Admin,
    now: Now,
    db: web::Data<Db>,
    links: web::Data<FeedLinks>,
    id: web::Path<PersonId>,
) -> Result<web::Json<FeedView>, ApiError> {
    let id = id.into_inner();
    let view = feed_step(&db, &links, id, move |c| {
        crate::ops::access::revoke_calendar_feed(c, now.ms(), crate::ops::Actor::Admin, id)
    })
    .await?;
    Ok(web::Json(view))
}
