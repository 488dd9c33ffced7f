//! `GET /api/v1/rooms/{id}/free?date=YYYY-MM-DD[&from=HH:MM&until=HH:MM]`: when the room is
//! free that day, in the configured time zone (default 09:00–18:00).

use super::auth::Admin;
use super::error::{ApiError, ErrorBody};
use crate::config::MeetingSettings;
use crate::db::{meetings as store, rooms, Db};
use crate::meetings::directory::FieldError;
use crate::meetings::schedule::free_slots;
use crate::meetings::text::{strict_date, strict_time};
use crate::meetings::RoomId;
use actix_web::get;
use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct FreeQuery {
    date: String,
    from: Option<String>,
    until: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
struct Slot {
    starts_at: String,
    ends_at: String,
}

fn field(field: &'static str, message: &str) -> FieldError {
    FieldError {
        field,
        message: message.to_owned(),
    }
}

#[utoipa::path(operation_id = "free_slots_free", tag = "rooms", params(("id" = i64, Path), FreeQuery), responses((status = 200, body = Vec<Slot>), (status = 401, description = "no valid admin token", body = ErrorBody), (status = 404, description = "not found", body = ErrorBody), (status = 422, description = "invalid input, field by field; beyond the schema: `until` after `from`", body = ErrorBody)), security(("bearer" = [])))]
#[get("/rooms/{id}/free")]
pub async fn free(
    _: Admin,
    db: web::Data<Db>,
    settings: web::Data<MeetingSettings>,
    tz: web::Data<chrono_tz::Tz>,
    id: web::Path<RoomId>,
    query: web::Query<FreeQuery>,
) -> Result<HttpResponse, ApiError> {
    let mut errors = Vec::new();
    let day = strict_date(&query.date);
    if day.is_none() {
        errors.push(field("date", "must be a date such as 2026-12-01"));
    }
    let clock =
        |raw: Option<&str>, default: &str, name: &'static str, errors: &mut Vec<FieldError>| {
            let time = strict_time(raw.unwrap_or(default));
            if time.is_none() {
                errors.push(field(name, "must be a time such as 09:00"));
            }
            time
        };
    let from = clock(query.from.as_deref(), "09:00", "from", &mut errors);
    let until = clock(query.until.as_deref(), "18:00", "until", &mut errors);
    if let (Some(f), Some(u)) = (from, until) {
        if u <= f {
            errors.push(field("until", "must be after from"));
        }
    }
    let (Some(day), Some(from), Some(until), true) = (day, from, until, errors.is_empty()) else {
        return Err(ApiError::Invalid(errors));
    };
    let room_id = id.into_inner();
    let bookings = db
        .run(move |c| {
            Ok(match rooms::get(c, room_id)? {
                Some(_) => Some(store::room_bookings(c, room_id)?),
                None => None,
            })
        })
        .await?
        .ok_or(ApiError::NotFound("room"))?;
    let tz = **tz;
    let slots: Vec<Slot> = free_slots(&tz, day, from, until, &bookings, settings.booking_buffer)
        .into_iter()
        .map(|s| Slot {
            starts_at: s.start().with_timezone(&tz).to_rfc3339(),
            ends_at: s.end().with_timezone(&tz).to_rfc3339(),
        })
        .collect();
    Ok(HttpResponse::Ok().json(slots))
}
