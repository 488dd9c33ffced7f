//! The "new meeting" form: local date and times in the configured time zone, a room picker
//! showing each room's capacity, equipment and bookings that day, people named by employee
//! number or name (a list of everyone helps the browser suggest), all eleven roles, an agenda
//! whose time boxes are summed against the meeting's length, materials. Saved as a draft or
//! published at once; a refused form comes back filled in, with what to fix.

mod form;
mod lookup;
mod view;

pub(super) use form::names;
pub(super) use lookup::{person, shown};

use super::frame::{self, see_other};
use super::{Console, Staff};
use crate::db::meetings as store;
use crate::db::meetings::MeetingRecord;
use crate::db::people::{self};
use crate::db::rooms::{self};
use crate::db::DbConn;
use crate::meetings::audit_action::Audit;
use crate::meetings::directory::FieldError;
use crate::meetings::display;
use crate::meetings::draft::MeetingDraft;
use crate::meetings::DomainError;
use crate::meetings::MeetingId;
use crate::meetings::{PersonId, RoomId};
use crate::ops::{self, lifecycle, preparation, reading, revision, OpsError};
use crate::web::pages::error::{refusal_zh, PageError};
use crate::web::pages::Pages;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{NaiveDate, NaiveTime};
use chrono_tz::Tz;
use form::{err, MeetingForm, AGENDA_ROWS, MATERIAL_ROWS};
use view::{busy_text, render, Choices};

fn choices(c: &mut DbConn, day: Option<NaiveDate>, tz: Tz) -> Result<Choices, OpsError> {
    let mut list = Vec::new();
    for room in rooms::list(c, Some(true))? {
        let booked = store::room_bookings(c, room.id)?
            .into_iter()
            .filter(|b| {
                day.is_some_and(|d| {
                    display::local(b.span.start().timestamp_millis(), tz)
                        .is_some_and(|t| t.date_naive() == d)
                })
            })
            .map(|b| {
                (
                    b.span.start().timestamp_millis(),
                    b.span.end().timestamp_millis(),
                )
            })
            .collect();
        list.push((room, booked));
    }
    Ok(Choices {
        rooms: list,
        people: people::list(c, Some(true))?,
    })
}

#[derive(serde::Deserialize)]
pub struct BusyQuery {
    date: String,
}

/// `GET /console/rooms/busy?date=YYYY-MM-DD`: each active room's bookings that day, for the
/// form's room picker when the date changes (`{"<room id>": "09:00–10:00 …"}`).
pub async fn busy(
    req: HttpRequest,
    console: Console,
    pages: web::Data<Pages>,
    db: web::Data<crate::db::Db>,
    query: web::Query<BusyQuery>,
) -> Result<HttpResponse, PageError> {
    let signed = console.entered(&req, &pages, &db).await?;
    let day = NaiveDate::parse_from_str(query.date.trim(), "%Y-%m-%d")
        .map_err(|_| PageError::BadInput("日期应写作 2026-12-01。".into()))?;
    let tz = pages.notices.tz;
    let rooms = ops::run(&db, move |c| {
        Staff::of(c, &signed)?;
        Ok(choices(c, Some(day), tz)?.rooms)
    })
    .await?;
    let busy: serde_json::Map<String, serde_json::Value> = rooms
        .iter()
        .map(|(room, booked)| (room.id.to_string(), busy_text(booked, tz).into()))
        .collect();
    Ok(HttpResponse::Ok().json(busy))
}

#[derive(serde::Deserialize)]
pub struct NewQuery {
    /// A slot picked in the week view: its day, start and room.
    date: Option<String>,
    start: Option<String>,
    room: Option<String>,
}

/// `GET /console/meetings/new[?date=&start=&room=]`: tomorrow 09:00–10:00, or the slot picked
/// in the week view (an hour from its start).
pub async fn new_form(
    req: HttpRequest,
    console: Console,
    pages: web::Data<Pages>,
    db: web::Data<crate::db::Db>,
    query: web::Query<NewQuery>,
) -> Result<HttpResponse, PageError> {
    let signed = console.entered(&req, &pages, &db).await?;
    let tz = pages.notices.tz;
    let tomorrow = (pages.env().now.with_timezone(&tz) + chrono::Duration::days(1)).date_naive();
    let q = query.into_inner();
    let day = q
        .date
        .as_deref()
        .and_then(|d| NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").ok())
        .unwrap_or(tomorrow);
    let (staff, choices) = ops::run(&db, move |c| {
        Ok((Staff::of(c, &signed)?, choices(c, Some(day), tz)?))
    })
    .await?;
    let csrf = signed.csrf(&pages.key);
    let mut form = MeetingForm::blank(day);
    if let Some(start) = q
        .start
        .as_deref()
        .and_then(|t| NaiveTime::parse_from_str(t.trim(), "%H:%M").ok())
    {
        let end = start + chrono::Duration::hours(1);
        form.start = start.format("%H:%M").to_string();
        form.end = if end > start {
            end
        } else {
            NaiveTime::from_hms_opt(23, 59, 0).unwrap_or(start)
        }
        .format("%H:%M")
        .to_string();
    }
    if let Some(room) = q.room.as_deref().and_then(|r| r.parse::<RoomId>().ok()) {
        if choices.rooms.iter().any(|(r, _)| r.id == room) {
            form.room_id = room.to_string();
        }
    }
    let body = render(Target::New, &form, &[], &choices, &csrf, tz);
    Ok(frame::page("新建会议", &staff, &csrf, None, body))
}

/// The edit form of a meeting as stored: people as 姓名（工号）, times local.
fn from_record(c: &mut DbConn, record: &MeetingRecord, tz: Tz) -> Result<MeetingForm, OpsError> {
    let m = &record.meeting;
    let ids: Vec<PersonId> = record
        .roles
        .iter()
        .map(|(p, _)| *p)
        .chain(record.agenda.iter().filter_map(|a| a.presenter_id))
        .collect();
    let named = people::by_ids(c, &ids)?;
    let number = |id: PersonId| named.get(&id).map(shown).unwrap_or_default();
    let start = display::local(m.starts_at, tz);
    let end = display::local(m.ends_at, tz);
    let mut form = MeetingForm::from_pairs(Vec::new());
    form.title = m.title.clone();
    form.goal = m.goal.clone();
    form.date = start
        .map(|t| t.date_naive().to_string())
        .unwrap_or_default();
    form.start = start
        .map(|t| t.format("%H:%M").to_string())
        .unwrap_or_default();
    form.end = end
        .map(|t| t.format("%H:%M").to_string())
        .unwrap_or_default();
    form.room_id = m.room_id.map(|r| r.to_string()).unwrap_or_default();
    form.place = m.place.clone();
    form.online_link = m.online_link.clone().unwrap_or_default();
    form.equipment = m.equipment_needs.items().join("，");
    form.confidential = m.confidential;
    form.text_checkin = m.text_checkin;
    form.prep_meeting = m.prep_meeting;
    form.briefing = m.briefing.clone();
    for (role, said) in &mut form.roles {
        *said = record
            .holders(&[*role])
            .into_iter()
            .map(number)
            .collect::<Vec<_>>()
            .join(", ");
    }
    let agenda: Vec<(String, String, String)> = record
        .agenda
        .iter()
        .map(|a| {
            (
                a.title.clone(),
                a.presenter_id.map(number).unwrap_or_default(),
                a.minutes.to_string(),
            )
        })
        .collect();
    let shown = agenda.len() + 3;
    form.agenda = agenda;
    form.agenda
        .resize_with(shown.max(AGENDA_ROWS), Default::default);
    let materials: Vec<(String, String)> = crate::db::materials::list(c, m.id)?
        .into_iter()
        .map(|x| (x.title, x.url))
        .collect();
    let shown = materials.len() + 2;
    form.materials = materials;
    form.materials
        .resize_with(shown.max(MATERIAL_ROWS), Default::default);
    form.version = revision::version(c, record)?;
    Ok(form)
}

/// `GET /console/meetings/{id}/edit`.
pub async fn edit_form(
    req: HttpRequest,
    console: Console,
    pages: web::Data<Pages>,
    db: web::Data<crate::db::Db>,
    id: web::Path<i64>,
) -> Result<HttpResponse, PageError> {
    let signed = console.entered(&req, &pages, &db).await?;
    let id = MeetingId::new(id.into_inner()).map_err(|_| PageError::NotFound)?;
    let tz = pages.notices.tz;
    let env = pages.env();
    let (staff, form, choices) = ops::run(&db, move |c| {
        let staff = Staff::of(c, &signed)?;
        let record = reading::managed(c, &env, staff.actor, id, Audit::ConsoleRead)?;
        let form = from_record(c, &record, tz)?;
        let day = NaiveDate::parse_from_str(&form.date, "%Y-%m-%d").ok();
        Ok((staff, form, choices(c, day, tz)?))
    })
    .await?;
    let csrf = signed.csrf(&pages.key);
    let body = render(Target::Edit(id), &form, &[], &choices, &csrf, tz);
    Ok(frame::page("修改会议", &staff, &csrf, None, body))
}

/// Which form: a new meeting, or changes to one.
#[derive(Clone, Copy)]
pub(super) enum Target {
    New,
    Edit(MeetingId),
}

enum Saved {
    Done(MeetingId),
    /// A series was made: its first meeting, if the first dates are within the horizon.
    Series(Option<MeetingId>),
    Refused(Staff, Vec<FieldError>, Choices),
}

/// `POST /console/meetings`: a draft, published too when asked; a series when it repeats.
pub async fn create(
    console: Console,
    pages: web::Data<Pages>,
    db: web::Data<crate::db::Db>,
    settings: web::Data<crate::config::MeetingSettings>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let horizon = settings.series_horizon_days;
    save(console, pages, db, form.into_inner(), Target::New, horizon).await
}

/// `POST /console/meetings/{id}`: the edit form, saved unless the meeting changed meanwhile.
pub async fn update(
    console: Console,
    pages: web::Data<Pages>,
    db: web::Data<crate::db::Db>,
    id: web::Path<i64>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let id = MeetingId::new(id.into_inner()).map_err(|_| PageError::NotFound)?;
    save(console, pages, db, form.into_inner(), Target::Edit(id), 0).await
}

async fn save(
    console: Console,
    pages: web::Data<Pages>,
    db: web::Data<crate::db::Db>,
    pairs: Vec<(String, String)>,
    target: Target,
    horizon_days: u32,
) -> Result<HttpResponse, PageError> {
    let form = MeetingForm::from_pairs(pairs);
    let signed = console.posting(&pages, &db, &form.csrf).await?;
    let tz = pages.notices.tz;
    let env = pages.env();
    let posted = form.clone();
    let saved = ops::run(&db, move |c| {
        let staff = Staff::of(c, &signed)?;
        let day = NaiveDate::parse_from_str(posted.date.trim(), "%Y-%m-%d").ok();
        let refused = |c: &mut DbConn, staff: Staff, errors| {
            Ok(Saved::Refused(staff, errors, choices(c, day, tz)?))
        };
        let named = lookup::named(c, &posted)?;
        let (fields, materials) = match form::fields(&posted, tz, &named) {
            Ok(parsed) => parsed,
            Err(errors) => return refused(c, staff, errors),
        };
        if matches!(target, Target::New) && !posted.repeat.is_empty() {
            let repeat = super::repeat::Repeat {
                how: &posted.repeat,
                date: &posted.date,
                start: &posted.start,
                end: &posted.end,
                until: &posted.repeat_until,
                count: &posted.repeat_count,
                publish: posted.publish,
                has_materials: !materials.is_empty(),
            };
            let (template, rule) = match super::repeat::series(&repeat, &fields) {
                Ok(series) => series,
                Err(errors) => return refused(c, staff, errors),
            };
            let made = ops::series::create(c, &env, staff.actor, template, rule, horizon_days)?;
            return Ok(Saved::Series(made.made.first().map(|m| m.meeting_id)));
        }
        let draft = match MeetingDraft::parse(fields) {
            Ok(draft) => draft,
            Err(errors) => return refused(c, staff, errors),
        };
        let id = match target {
            Target::New => {
                let record = preparation::create(c, &env, staff.actor, &draft, &materials)?;
                let id = record.meeting.id;
                if posted.publish {
                    lifecycle::publish(c, &env, staff.actor, id)?;
                }
                id
            }
            Target::Edit(id) => {
                let seen = posted.version.clone();
                revision::revise(c, &env, staff.actor, id, &seen, &draft, &materials)?;
                id
            }
        };
        Ok(Saved::Done(id))
    })
    .await;
    let title = match target {
        Target::New => "新建会议",
        Target::Edit(_) => "修改会议",
    };
    let (status, staff, errors, choices) = match saved {
        Ok(Saved::Done(id)) => return Ok(see_other(&format!("/console/meetings/{id}"))),
        Ok(Saved::Series(Some(first))) => {
            return Ok(see_other(&format!("/console/meetings/{first}")))
        }
        Ok(Saved::Series(None)) => {
            let first = form.date.trim();
            return Ok(see_other(&format!("/console/week?start={first}")));
        }
        Ok(Saved::Refused(staff, errors, choices)) => {
            (StatusCode::UNPROCESSABLE_ENTITY, staff, errors, choices)
        }
        // Refused as a whole (the room taken meanwhile, the meeting changed since the form was
        // opened): nothing was stored; the form again, as typed.
        Err(
            refusal @ (OpsError::Stale
            | OpsError::Frozen { .. }
            | OpsError::Rule(
                DomainError::RoomConflict(_) | DomainError::IllegalTransition { .. },
            )),
        ) => {
            let day = NaiveDate::parse_from_str(form.date.trim(), "%Y-%m-%d").ok();
            let (staff, choices) = ops::run(&db, move |c| {
                Ok((Staff::of(c, &signed)?, choices(c, day, tz)?))
            })
            .await?;
            let errors = vec![err("form", refusal_zh(&refusal))];
            (StatusCode::CONFLICT, staff, errors, choices)
        }
        Err(e) => return Err(e.into()),
    };
    let csrf = signed.csrf(&pages.key);
    let body = render(target, &form, &errors, &choices, &csrf, tz);
    let mut response = frame::page(title, &staff, &csrf, None, body);
    *response.status_mut() = status;
    Ok(response)
}
