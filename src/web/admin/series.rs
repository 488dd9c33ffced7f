//! Recurring meetings (例会) under `/series`: create (its occurrences up to the horizon are made
//! and published, with one invitation), read, change one occurrence, this and the following
//! ones, or all, cancel one occurrence, end the series. Each handler parses, calls
//! `ops::series` and renders.

use super::auth::Admin;
use super::body::Body;
use super::env::OpsEnv;
use super::error::{ApiError, ErrorBody};
use super::rfc3339;
use crate::config::MeetingSettings;
use crate::db::series::SeriesRow;
use crate::db::{Db, DbConn};
use crate::meetings::directory::FieldError;
use crate::meetings::draft::{AgendaFields, RoleFields};
use crate::meetings::participation::Role;
use crate::meetings::recurrence::{End, Pattern, RecurrenceFields};
use crate::meetings::series::{SeriesFields, SeriesTemplate};
use crate::meetings::{PersonId, RoomId, SeriesId};
use crate::notify::Notifier;
use crate::ops::series::{self, Made, Scope};
use crate::ops::{Actor, OpsError};
use crate::web::admin::field_rules::{self as field, FieldRules};
use actix_web::{get, patch, post};
use actix_web::{web, HttpResponse};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SeriesAgendaItem {
    title: String,
    presenter_id: Option<i64>,
    minutes: u32,
}

impl FieldRules for SeriesAgendaItem {
    fn field_rules() -> Vec<(&'static str, serde_json::Value)> {
        field::agenda_item()
    }
}

#[derive(Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SeriesRole {
    person_id: i64,
    /// host, organizer, agenda_owner, recorder, follow_up_owner, feedback_owner,
    /// confidentiality_officer, it_support, attendee, optional_attendee, informed
    #[schema(value_type = String)]
    role: Role,
}

impl FieldRules for SeriesRole {
    fn field_rules() -> Vec<(&'static str, serde_json::Value)> {
        field::role_assignment()
    }
}

/// When the series recurs, in the configured time zone.
#[derive(Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecurrenceBody {
    /// `weekly` or `monthly`.
    frequency: String,
    /// Every N weeks or months (1 by default).
    interval: Option<u32>,
    /// Weekly: `mon` … `sun`.
    #[serde(default)]
    weekdays: Vec<String>,
    /// Monthly on a day of the month (1–31; months without it are skipped).
    month_day: Option<u32>,
    /// Monthly on the nth (1–5, or -1 for the last) `weekday` (第二个周三: 2 and `wed`).
    nth: Option<i32>,
    weekday: Option<String>,
    /// First date it may fall on (YYYY-MM-DD); on a change, the date changed from by default.
    starts_on: Option<String>,
    /// Last date (YYYY-MM-DD), or `count`.
    until: Option<String>,
    count: Option<u32>,
}

impl FieldRules for RecurrenceBody {
    fn field_rules() -> Vec<(&'static str, serde_json::Value)> {
        vec![
            ("frequency", field::names(["weekly", "monthly"])),
            ("interval", serde_json::json!({"minimum": 1, "maximum": 52})),
            ("weekdays", serde_json::json!({"items": field::weekdays()})),
            (
                "month_day",
                serde_json::json!({"minimum": 1, "maximum": 31}),
            ),
            ("nth", serde_json::json!({"minimum": -1, "maximum": 5})),
            ("weekday", field::weekdays()),
            ("starts_on", serde_json::json!({"format": "date"})),
            ("until", serde_json::json!({"format": "date"})),
            ("count", serde_json::json!({"minimum": 1, "maximum": 500})),
        ]
    }
}

impl From<RecurrenceBody> for RecurrenceFields {
    fn from(b: RecurrenceBody) -> Self {
        RecurrenceFields {
            frequency: Some(b.frequency),
            interval: b.interval,
            weekdays: b.weekdays,
            month_day: b.month_day,
            nth: b.nth,
            weekday: b.weekday,
            starts_on: b.starts_on,
            until: b.until,
            count: b.count,
        }
    }
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SeriesBody {
    title: Option<String>,
    goal: Option<String>,
    room_id: Option<i64>,
    place: Option<String>,
    online_link: Option<String>,
    confidential: Option<bool>,
    text_checkin: Option<bool>,
    briefing: Option<String>,
    equipment_needs: Option<Vec<String>>,
    /// Local time of day each occurrence starts (HH:MM).
    start_time: Option<String>,
    duration_minutes: Option<u32>,
    #[serde(default)]
    agenda: Vec<SeriesAgendaItem>,
    #[serde(default)]
    roles: Vec<SeriesRole>,
    recurrence: Option<RecurrenceBody>,
}

impl FieldRules for SeriesBody {
    fn field_rules() -> Vec<(&'static str, serde_json::Value)> {
        vec![
            ("title", field::line(1, Some(200))),
            ("place", field::one_line()),
            ("equipment_needs", field::each_one_line()),
            ("room_id", field::id()),
            ("online_link", field::optional_web_link()),
            ("start_time", field::time_of_day()),
            (
                "duration_minutes",
                serde_json::json!({"minimum": 5, "maximum": 1440}),
            ),
        ]
    }
}

/// A change: what is absent stays; `recurrence` (scope `following` or `all`) replaces the rule
/// from the date changed on.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SeriesUpdate {
    title: Option<String>,
    goal: Option<String>,
    #[serde(default, deserialize_with = "super::body::nullable")]
    #[schema(value_type = Option<i64>)]
    room_id: Option<Option<i64>>,
    place: Option<String>,
    #[serde(default, deserialize_with = "super::body::nullable")]
    #[schema(value_type = Option<String>)]
    online_link: Option<Option<String>>,
    confidential: Option<bool>,
    text_checkin: Option<bool>,
    briefing: Option<String>,
    equipment_needs: Option<Vec<String>>,
    start_time: Option<String>,
    duration_minutes: Option<u32>,
    agenda: Option<Vec<SeriesAgendaItem>>,
    roles: Option<Vec<SeriesRole>>,
    recurrence: Option<RecurrenceBody>,
}

impl FieldRules for SeriesUpdate {
    fn field_rules() -> Vec<(&'static str, serde_json::Value)> {
        // The same fields as a new series, each optional.
        SeriesBody::field_rules()
    }
}

fn agenda(items: Vec<SeriesAgendaItem>) -> Vec<AgendaFields> {
    items
        .into_iter()
        .map(|a| AgendaFields {
            title: a.title,
            presenter_id: a.presenter_id,
            minutes: a.minutes,
        })
        .collect()
}

fn roles(items: Vec<SeriesRole>) -> Vec<RoleFields> {
    items
        .into_iter()
        .map(|r| RoleFields {
            person_id: r.person_id,
            role: r.role,
        })
        .collect()
}

impl From<SeriesUpdate> for SeriesFields {
    fn from(b: SeriesUpdate) -> Self {
        SeriesFields {
            title: b.title,
            goal: b.goal,
            room_id: b.room_id,
            place: b.place,
            online_link: b.online_link,
            confidential: b.confidential,
            text_checkin: b.text_checkin,
            briefing: b.briefing,
            equipment_needs: b.equipment_needs,
            start_time: b.start_time,
            duration_minutes: b.duration_minutes,
            agenda: b.agenda.map(agenda),
            roles: b.roles.map(roles),
            recurrence: b.recurrence.map(Into::into),
        }
    }
}

impl From<SeriesBody> for SeriesFields {
    fn from(b: SeriesBody) -> Self {
        SeriesFields {
            title: b.title,
            goal: b.goal,
            room_id: Some(b.room_id),
            place: b.place,
            online_link: Some(b.online_link),
            confidential: b.confidential,
            text_checkin: b.text_checkin,
            briefing: b.briefing,
            equipment_needs: b.equipment_needs,
            start_time: b.start_time,
            duration_minutes: b.duration_minutes,
            agenda: Some(agenda(b.agenda)),
            roles: Some(roles(b.roles)),
            recurrence: b.recurrence.map(Into::into),
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct OccurrenceView {
    /// The date the rule gave it (YYYY-MM-DD), even when it was moved.
    date: String,
    meeting_id: i64,
    status: String,
    starts_at: String,
    ends_at: String,
    /// Changed on its own: later changes to the series leave it alone.
    detached: bool,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct MadeView {
    date: String,
    meeting_id: i64,
    published: bool,
    /// Why this date stays a draft (its room is taken then).
    #[serde(skip_serializing_if = "Option::is_none")]
    problem: Option<String>,
    /// Its local time does not exist that day (clocks go forward): moved, and said so.
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct RecurrenceView {
    frequency: String,
    interval: u32,
    weekdays: Vec<String>,
    month_day: Option<u32>,
    nth: Option<i32>,
    weekday: Option<String>,
    starts_on: String,
    until: Option<String>,
    count: Option<u32>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SeriesView {
    id: i64,
    title: String,
    /// `active`, or `ended`.
    status: String,
    /// In words: "每周一 09:00–10:00，共 8 次".
    pattern: String,
    /// The rule as an iCalendar RRULE (what calendars expand).
    rrule: String,
    recurrence: RecurrenceView,
    goal: String,
    room_id: Option<i64>,
    place: String,
    online_link: Option<String>,
    confidential: bool,
    text_checkin: bool,
    briefing: String,
    equipment_needs: Vec<String>,
    start_time: String,
    duration_minutes: u32,
    agenda: Vec<SeriesAgendaItem>,
    roles: Vec<SeriesRole>,
    /// The series this one was split from (a change to "this and following").
    split_from: Option<i64>,
    end_reason: Option<String>,
    sequence: i32,
    occurrences: Vec<OccurrenceView>,
    /// What this request made: occurrences created, and dates held back with the reason.
    made: Vec<MadeView>,
    /// Dates whose local start time does not exist (clocks go forward): each moves to the
    /// first valid instant, said here for all of them, made or still to come.
    notes: Vec<String>,
}

fn weekday_name(d: chrono::Weekday) -> String {
    d.to_string().to_ascii_lowercase()
}

fn recurrence_view(rule: &crate::meetings::recurrence::Recurrence) -> RecurrenceView {
    let (frequency, interval, weekdays, month_day, nth, weekday) = match &rule.pattern {
        Pattern::Weekly { interval, weekdays } => (
            "weekly",
            *interval,
            weekdays.iter().map(|d| weekday_name(*d)).collect(),
            None,
            None,
            None,
        ),
        Pattern::MonthlyOnDay { interval, day } => {
            ("monthly", *interval, Vec::new(), Some(*day), None, None)
        }
        Pattern::MonthlyOnWeekday {
            interval,
            nth,
            weekday,
        } => (
            "monthly",
            *interval,
            Vec::new(),
            None,
            Some(*nth),
            Some(weekday_name(*weekday)),
        ),
    };
    let (until, count) = match rule.end {
        End::Until(d) => (Some(d.to_string()), None),
        End::Count(n) => (None, Some(n)),
    };
    RecurrenceView {
        frequency: frequency.to_owned(),
        interval,
        weekdays,
        month_day,
        nth,
        weekday,
        starts_on: rule.starts_on.to_string(),
        until,
        count,
    }
}

fn view(
    c: &mut DbConn,
    tz: &chrono_tz::Tz,
    s: SeriesRow,
    made: Vec<Made>,
) -> Result<SeriesView, OpsError> {
    let mut occurrences = Vec::new();
    for o in crate::db::series::occurrences(c, s.id)? {
        if let Some(r) = crate::db::meetings::get(c, o.meeting_id)? {
            occurrences.push(OccurrenceView {
                date: o.date.to_string(),
                meeting_id: o.meeting_id.get(),
                status: r.meeting.status.as_str().to_owned(),
                starts_at: rfc3339(r.meeting.starts_at),
                ends_at: rfc3339(r.meeting.ends_at),
                detached: o.detached,
            });
        }
    }
    let dates = s.dates()?;
    let count = dates.len();
    let notes = dates
        .iter()
        .filter_map(|d| s.template.time_on(tz, *d).shifted)
        .collect();
    let t = s.template.clone();
    Ok(SeriesView {
        id: s.id.get(),
        title: t.title.clone(),
        status: s.status.as_str().to_owned(),
        pattern: series::pattern(&s),
        rrule: s.rule.rrule(count),
        recurrence: recurrence_view(&s.rule),
        goal: t.goal,
        room_id: t.room_id.map(RoomId::get),
        place: t.place,
        online_link: t.online_link,
        confidential: t.confidential,
        text_checkin: t.text_checkin,
        briefing: t.briefing,
        equipment_needs: t.equipment_needs,
        start_time: t.start_time.format("%H:%M").to_string(),
        duration_minutes: t.duration_minutes,
        agenda: t
            .agenda
            .into_iter()
            .map(|a| SeriesAgendaItem {
                title: a.title,
                presenter_id: a.presenter_id.map(PersonId::get),
                minutes: a.minutes,
            })
            .collect(),
        roles: t
            .roles
            .into_iter()
            .map(|r| SeriesRole {
                person_id: r.person_id.get(),
                role: r.role,
            })
            .collect(),
        split_from: s.split_from.map(SeriesId::get),
        end_reason: s.end_reason,
        sequence: s.sequence,
        occurrences,
        notes,
        made: made
            .into_iter()
            .map(|m| MadeView {
                date: m.date.to_string(),
                meeting_id: m.meeting_id.get(),
                published: m.published,
                problem: m.problem,
                note: m.note,
            })
            .collect(),
    })
}

/// Runs a series operation and answers with the series as it is afterwards, with what the
/// operation made; the outbox worker is woken for the notices it queued.
async fn changed<F>(
    db: &Db,
    notifier: &Notifier,
    tz: chrono_tz::Tz,
    created: bool,
    op: F,
) -> Result<HttpResponse, ApiError>
where
    F: FnOnce(&mut DbConn) -> Result<(SeriesRow, Vec<Made>), OpsError> + Send + 'static,
{
    let shown = crate::ops::run(db, move |c| {
        let (series, made) = op(c)?;
        view(c, &tz, series, made)
    })
    .await;
    notifier.ring();
    let shown = shown?;
    Ok(if created {
        HttpResponse::Created().json(shown)
    } else {
        HttpResponse::Ok().json(shown)
    })
}

fn current(c: &mut DbConn, id: SeriesId) -> Result<(SeriesRow, Vec<Made>), OpsError> {
    let series = crate::db::series::get(c, id)?.ok_or(OpsError::SeriesNotFound)?;
    Ok((series, Vec::new()))
}

fn invalid(field: &'static str, message: &str) -> ApiError {
    ApiError::Invalid(vec![FieldError {
        field,
        message: message.to_owned(),
    }])
}

/// A series id from a path: one that cannot exist reads as an unknown one.
fn series_id(id: i64) -> Result<SeriesId, ApiError> {
    SeriesId::new(id).map_err(|_| ApiError::NotFound("series"))
}

/// Creates a series: its occurrences up to `meetings.series_horizon_days` ahead are made and
/// published (the rest as the days pass), the invited get one invitation for the series, and
/// a date whose room is taken stays a draft, reported in `made`, without holding up the others.
#[utoipa::path(operation_id = "series_create", tag = "series", request_body = SeriesBody, responses((status = 201, body = SeriesView), (status = 422, description = "invalid input, field by field; beyond each field's schema: a host among the roles, a room, a place or an online link, the agenda within duration_minutes, a rule that yields between 1 and 500 dates (until not before starts_on), every person and room referred to existing", body = ErrorBody)), security(("bearer" = [])))]
#[post("/series")]
pub async fn create(
    _: Admin,
    OpsEnv(env): OpsEnv,
    db: web::Data<Db>,
    notifier: web::Data<Notifier>,
    settings: web::Data<MeetingSettings>,
    body: Body<SeriesBody>,
) -> Result<HttpResponse, ApiError> {
    let fields = SeriesFields::from(body.into_inner());
    let mut errors = Vec::new();
    let template = SeriesTemplate::parse(None, &fields)
        .map_err(|e| errors.extend(e))
        .ok();
    let rule = match &fields.recurrence {
        Some(r) => crate::meetings::series::parse_rule(r, None)
            .map_err(|e| errors.extend(e))
            .ok(),
        None => {
            errors.push(FieldError {
                field: "recurrence",
                message: "is required".to_owned(),
            });
            None
        }
    };
    let (Some(template), Some(rule), true) = (template, rule, errors.is_empty()) else {
        return Err(ApiError::Invalid(errors));
    };
    let horizon = settings.series_horizon_days;
    let tz = env.notices.tz;
    changed(&db, &notifier, tz, true, move |c| {
        let out = series::create(c, &env, Actor::Admin, template, rule, horizon)?;
        Ok((out.series, out.made))
    })
    .await
}

#[utoipa::path(operation_id = "series_list", tag = "series", responses((status = 200, body = Vec<SeriesView>)), security(("bearer" = [])))]
#[get("/series")]
pub async fn list(
    _: Admin,
    OpsEnv(env): OpsEnv,
    db: web::Data<Db>,
) -> Result<HttpResponse, ApiError> {
    let tz = env.notices.tz;
    let all = crate::ops::run(&db, move |c| {
        let rows = crate::db::series::list(c)?;
        rows.into_iter()
            .map(|s| view(c, &tz, s, Vec::new()))
            .collect::<Result<Vec<_>, _>>()
    })
    .await?;
    Ok(HttpResponse::Ok().json(all))
}

#[utoipa::path(operation_id = "series_get", tag = "series", params(("id" = i64, Path, description = "series id")), responses((status = 200, body = SeriesView), (status = 404, description = "not found", body = ErrorBody)), security(("bearer" = [])))]
#[get("/series/{id}")]
pub async fn read(
    _: Admin,
    OpsEnv(env): OpsEnv,
    db: web::Data<Db>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = series_id(id.into_inner())?;
    let tz = env.notices.tz;
    let shown = crate::ops::run(&db, move |c| {
        let (series, made) = current(c, id)?;
        view(c, &tz, series, made)
    })
    .await?;
    Ok(HttpResponse::Ok().json(shown))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ScopeQuery {
    /// `this` (the occurrence on `date` only), `following` (it and every later one: the series
    /// splits at `date`) or `all` (every occurrence not yet held).
    scope: String,
    /// The occurrence's date as the rule gave it (YYYY-MM-DD); required for `this` and
    /// `following`.
    date: Option<String>,
}

fn date(raw: &str, field: &'static str) -> Result<NaiveDate, ApiError> {
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .map_err(|_| invalid(field, "must be a date such as 2026-12-14"))
}

/// Changes one occurrence (`scope=this`: then detached from the series), this and all
/// following ones (`following`: the series splits at `date`; the answer is the new series), or
/// every occurrence not yet held (`all`). Occurrences already held never change; the invited
/// are told once each, not once per occurrence.
#[utoipa::path(operation_id = "series_update", tag = "series", params(("id" = i64, Path, description = "series id"), ScopeQuery), request_body = SeriesUpdate, responses((status = 200, body = SeriesView), (status = 404, description = "not found", body = ErrorBody), (status = 409, description = "the series has ended, or an occurrence's room is taken", body = ErrorBody), (status = 422, description = "invalid input, field by field; beyond each field's schema: date required for this and following and not in the past nor of an occurrence held, the template still a valid meeting, the rule yielding dates", body = ErrorBody)), security(("bearer" = [])))]
#[patch("/series/{id}")]
// An actix handler takes each thing it extracts as an argument.
#[allow(clippy::too_many_arguments)]
pub async fn update(
    _: Admin,
    OpsEnv(env): OpsEnv,
    db: web::Data<Db>,
    notifier: web::Data<Notifier>,
    settings: web::Data<MeetingSettings>,
    id: web::Path<i64>,
    query: web::Query<ScopeQuery>,
    body: Body<SeriesUpdate>,
) -> Result<HttpResponse, ApiError> {
    let id = series_id(id.into_inner())?;
    let ScopeQuery { scope, date: day } = query.into_inner();
    let scope = Scope::parse(&scope)
        .ok_or_else(|| ApiError::BadQuery("scope must be this, following or all".into()))?;
    let day = day.map(|d| date(&d, "date")).transpose()?;
    let change = series::Change {
        scope,
        date: day,
        template: body.into_inner().into(),
    };
    let horizon = settings.series_horizon_days;
    let tz = env.notices.tz;
    changed(&db, &notifier, tz, false, move |c| {
        let out = series::update(c, &env, Actor::Admin, id, change, horizon)?;
        Ok((out.series, out.made))
    })
    .await
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReasonBody {
    reason: String,
}

impl FieldRules for ReasonBody {
    fn field_rules() -> Vec<(&'static str, serde_json::Value)> {
        field::reason()
    }
}

/// Cancels the occurrence on `date` (as the rule gave it): its invitees are told why, the other
/// occurrences go on; calendars show the date as an exception (EXDATE).
#[utoipa::path(operation_id = "series_cancel_occurrence", tag = "series", params(("id" = i64, Path, description = "series id"), ("date" = String, Path, description = "the occurrence's date (YYYY-MM-DD)")), request_body = ReasonBody, responses((status = 200, body = SeriesView), (status = 404, description = "not found", body = ErrorBody), (status = 409, description = "the series has ended", body = ErrorBody), (status = 422, description = "a date the series does not fall on, in the past, or of an occurrence held", body = ErrorBody)), security(("bearer" = [])))]
#[post("/series/{id}/occurrences/{date}/cancel")]
pub async fn cancel_occurrence(
    _: Admin,
    OpsEnv(env): OpsEnv,
    db: web::Data<Db>,
    notifier: web::Data<Notifier>,
    path: web::Path<(i64, String)>,
    body: Body<ReasonBody>,
) -> Result<HttpResponse, ApiError> {
    let (id, day) = path.into_inner();
    let id = series_id(id)?;
    let day = date(&day, "date")?;
    let reason = body.into_inner().reason;
    let tz = env.notices.tz;
    changed(&db, &notifier, tz, false, move |c| {
        series::cancel_occurrence(c, &env, Actor::Admin, id, day, &reason)?;
        current(c, id)
    })
    .await
}

/// Ends the series: every occurrence not yet held is cancelled and everyone invited to one is
/// told once, in one message listing the dates.
#[utoipa::path(operation_id = "series_end", tag = "series", params(("id" = i64, Path, description = "series id")), request_body = ReasonBody, responses((status = 200, body = SeriesView), (status = 404, description = "not found", body = ErrorBody), (status = 409, description = "the series has ended already", body = ErrorBody)), security(("bearer" = [])))]
#[post("/series/{id}/end")]
pub async fn end(
    _: Admin,
    OpsEnv(env): OpsEnv,
    db: web::Data<Db>,
    notifier: web::Data<Notifier>,
    id: web::Path<i64>,
    body: Body<ReasonBody>,
) -> Result<HttpResponse, ApiError> {
    let id = series_id(id.into_inner())?;
    let reason = body.into_inner().reason;
    let tz = env.notices.tz;
    changed(&db, &notifier, tz, false, move |c| {
        let out = series::end(c, &env, Actor::Admin, id, &reason)?;
        Ok((out.series, Vec::new()))
    })
    .await
}
