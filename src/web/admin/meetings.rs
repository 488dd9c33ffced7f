//! Meetings in the admin API: create a draft with agenda and roles, read it, publish, cancel.

use super::agenda::MaterialBody;
use super::auth::Admin;
use super::env::{Now, OpsEnv};
use super::error::{ApiError, ErrorBody};
use super::{audit_if_confidential, millis_to_rfc3339};
use crate::config::MeetingSettings;
use crate::db::meetings::{self as store, MeetingRecord};
use crate::db::{Db, DbConn, DbError};
use crate::meetings::checkin_code::{opens_before, CheckinKey};
use crate::meetings::directory::FieldError;
use crate::meetings::draft::{AgendaFields, MeetingDraft, MeetingFields, RoleFields};
use crate::meetings::lifecycle::MeetingStatus;
use crate::meetings::participation::Role;
use crate::meetings::schedule::{capacity_warning, check_room};
use crate::meetings::MeetingId;
use crate::notify::{notices, scheduler, Notice, Notifier};
use crate::ops::{self, lifecycle, Actor, OpsError};
use actix_web::{get, patch, post};
use actix_web::{web, HttpResponse};
use diesel::Connection;
use serde::{Deserialize, Serialize};

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeetingBody {
    title: Option<String>,
    goal: Option<String>,
    starts_at: Option<String>,
    ends_at: Option<String>,
    room_id: Option<i64>,
    place: Option<String>,
    online_link: Option<String>,
    confidential: Option<bool>,
    text_checkin: Option<bool>,
    briefing: Option<String>,
    equipment_needs: Option<Vec<String>>,
    #[serde(default)]
    agenda: Vec<AgendaBody>,
    #[serde(default)]
    roles: Vec<RoleBody>,
    #[serde(default)]
    materials: Vec<MaterialBody>,
}

#[derive(Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgendaBody {
    title: String,
    presenter_id: Option<i64>,
    minutes: u32,
}

#[derive(Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleBody {
    person_id: i64,
    /// host, organizer, agenda_owner, recorder, follow_up_owner, feedback_owner,
    /// confidentiality_officer, it_support, attendee, optional_attendee, informed
    #[schema(value_type = String)]
    role: Role,
}

impl From<MeetingBody> for MeetingFields {
    fn from(b: MeetingBody) -> Self {
        MeetingFields {
            title: b.title,
            goal: b.goal,
            starts_at: b.starts_at,
            ends_at: b.ends_at,
            room_id: b.room_id,
            place: b.place,
            online_link: b.online_link,
            confidential: b.confidential,
            text_checkin: b.text_checkin,
            briefing: b.briefing,
            equipment_needs: b.equipment_needs,
            agenda: b
                .agenda
                .into_iter()
                .map(|a| AgendaFields {
                    title: a.title,
                    presenter_id: a.presenter_id,
                    minutes: a.minutes,
                })
                .collect(),
            roles: b
                .roles
                .into_iter()
                .map(|r| RoleFields {
                    person_id: r.person_id,
                    role: r.role,
                })
                .collect(),
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
struct MeetingView {
    id: i64,
    title: String,
    goal: String,
    starts_at: String,
    ends_at: String,
    room_id: Option<i64>,
    place: String,
    online_link: Option<String>,
    confidential: bool,
    text_checkin: bool,
    briefing: String,
    equipment_needs: Vec<String>,
    #[schema(value_type = String)]
    status: MeetingStatus,
    sequence: i32,
    cancel_reason: Option<String>,
    agenda: Vec<AgendaBody>,
    roles: Vec<RoleBody>,
    materials: Vec<MaterialLink>,
    /// E.g. a room smaller than the invitation list: worth knowing, not a refusal.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    warnings: Vec<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
struct MaterialLink {
    id: i64,
    title: String,
    url: String,
}

/// A meeting with its materials and what an organiser should know about it.
struct Checked(store::MeetingRecord, Vec<MaterialLink>, Vec<String>);

/// Looks for what is worth a warning: so far, a room too small for the invited.
fn checked(c: &mut DbConn, record: store::MeetingRecord) -> Result<Checked, DbError> {
    let mut warnings = Vec::new();
    if let Some(room) = record.meeting.room_id {
        if let Some(room) = crate::db::rooms::get(c, room)? {
            let invited = crate::db::participants::list(c, record.meeting.id)?.len();
            warnings.extend(capacity_warning(room.capacity, invited));
        }
    }
    let materials = crate::db::materials::list(c, record.meeting.id)?
        .into_iter()
        .map(|m| MaterialLink {
            id: m.id,
            title: m.title,
            url: m.url,
        })
        .collect();
    Ok(Checked(record, materials, warnings))
}

impl From<Checked> for MeetingView {
    fn from(Checked(r, materials, warnings): Checked) -> Self {
        let m = r.meeting;
        MeetingView {
            id: m.id,
            title: m.title,
            goal: m.goal,
            starts_at: millis_to_rfc3339(m.starts_at),
            ends_at: millis_to_rfc3339(m.ends_at),
            room_id: m.room_id,
            place: m.place,
            online_link: m.online_link,
            confidential: m.confidential,
            text_checkin: m.text_checkin,
            briefing: m.briefing,
            equipment_needs: serde_json::from_str(&m.equipment_needs).unwrap_or_default(),
            status: m.status,
            sequence: m.sequence,
            cancel_reason: m.cancel_reason,
            agenda: r
                .agenda
                .into_iter()
                .map(|a| AgendaBody {
                    title: a.title,
                    presenter_id: a.presenter_id,
                    minutes: a.minutes.max(0) as u32,
                })
                .collect(),
            roles: r
                .roles
                .into_iter()
                .map(|(person_id, role)| RoleBody { person_id, role })
                .collect(),
            materials,
            warnings,
        }
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    from: Option<String>,
    until: Option<String>,
    status: Option<String>,
    room_id: Option<i64>,
    person_id: Option<i64>,
}

#[derive(Serialize, utoipa::ToSchema)]
struct SummaryView {
    id: i64,
    title: String,
    starts_at: String,
    ends_at: String,
    room_id: Option<i64>,
    place: String,
    #[schema(value_type = String)]
    status: MeetingStatus,
    confidential: bool,
}

impl ListQuery {
    fn filter(self) -> Result<store::MeetingFilter, ApiError> {
        let mut errors = Vec::new();
        let mut time = |raw: Option<String>, field: &'static str| {
            raw.and_then(|r| match chrono::DateTime::parse_from_rfc3339(&r) {
                Ok(t) => Some(t.timestamp_millis()),
                Err(_) => {
                    errors.push(FieldError {
                        field,
                        message: "must be a time such as 2026-12-01T00:00:00+08:00".to_owned(),
                    });
                    None
                }
            })
        };
        let from = time(self.from, "from");
        let until = time(self.until, "until");
        let status = self.status.and_then(|s| {
            let parsed = MeetingStatus::parse(&s);
            if parsed.is_none() {
                errors.push(FieldError {
                    field: "status",
                    message: "must be draft, scheduled, in_progress, ended, closed or cancelled"
                        .to_owned(),
                });
            }
            parsed
        });
        if !errors.is_empty() {
            return Err(ApiError::Invalid(errors));
        }
        Ok(store::MeetingFilter {
            from,
            until,
            status,
            room_id: self.room_id,
            person_id: self.person_id,
        })
    }
}

/// Meetings by time, status, room or person. Confidential titles in the answer are reads of
/// confidential content, so each is audited.
#[utoipa::path(operation_id = "meetings_list", tag = "meetings", params(ListQuery), responses((status = 200, body = Vec<SummaryView>), (status = 401, description = "no valid admin token", body = ErrorBody), (status = 422, description = "invalid input, field by field", body = ErrorBody)), security(("bearer" = [])))]
#[get("/meetings")]
pub async fn list(
    _: Admin,
    now: Now,
    db: web::Data<Db>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    let filter = query.into_inner().filter()?;
    let rows = db
        .run(move |c| {
            let rows = store::list(c, &filter)?;
            for row in &rows {
                audit_if_confidential(c, row, "list_meetings", now)?;
            }
            Ok(rows)
        })
        .await?;
    Ok(HttpResponse::Ok().json(
        rows.into_iter()
            .map(|m| SummaryView {
                id: m.id,
                title: m.title,
                starts_at: millis_to_rfc3339(m.starts_at),
                ends_at: millis_to_rfc3339(m.ends_at),
                room_id: m.room_id,
                place: m.place,
                status: m.status,
                confidential: m.confidential,
            })
            .collect::<Vec<_>>(),
    ))
}

fn view(record: Option<Checked>) -> Result<HttpResponse, ApiError> {
    let record = record.ok_or(ApiError::NotFound("meeting"))?;
    Ok(HttpResponse::Ok().json(MeetingView::from(record)))
}

#[utoipa::path(operation_id = "meetings_create", tag = "meetings", request_body = MeetingBody, responses((status = 201, body = MeetingView), (status = 401, description = "no valid admin token", body = ErrorBody), (status = 422, description = "invalid input, field by field", body = ErrorBody)), security(("bearer" = [])))]
#[post("/meetings")]
pub async fn create(
    _: Admin,
    now: Now,
    db: web::Data<Db>,
    body: web::Json<MeetingBody>,
) -> Result<HttpResponse, ApiError> {
    let mut body = body.into_inner();
    let materials = std::mem::take(&mut body.materials)
        .into_iter()
        .map(MaterialBody::check)
        .collect::<Result<Vec<_>, _>>()?;
    let draft = MeetingDraft::parse(body.into()).map_err(ApiError::Invalid)?;
    let record = db
        .run(move |c| {
            c.transaction(|c| {
                let now = now.ms();
                let id = store::insert_draft(c, &draft, now)?;
                for (title, url) in &materials {
                    crate::db::materials::add(c, id, title, url, now)?;
                }
                store::get(c, id)?.map(|r| checked(c, r)).transpose()
            })
        })
        .await?
        .ok_or(ApiError::NotFound("meeting"))?;
    Ok(HttpResponse::Created().json(MeetingView::from(record)))
}

#[utoipa::path(operation_id = "meetings_get", tag = "meetings", params(("id" = i64, Path, description = "meeting id")), responses((status = 200, body = MeetingView), (status = 401, description = "no valid admin token", body = ErrorBody), (status = 404, description = "not found", body = ErrorBody)), security(("bearer" = [])))]
#[get("/meetings/{id}")]
pub async fn get(
    _: Admin,
    now: Now,
    db: web::Data<Db>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    view(
        db.run(move |c| {
            let record = store::get(c, id)?;
            if let Some(record) = &record {
                audit_if_confidential(c, &record.meeting, "read_meeting", now)?;
            }
            record.map(|r| checked(c, r)).transpose()
        })
        .await?,
    )
}

/// Runs a lifecycle operation and answers with the meeting as it is afterwards.
async fn apply<F>(db: &Db, notifier: &Notifier, op: F) -> Result<HttpResponse, ApiError>
where
    F: FnOnce(&mut DbConn) -> Result<MeetingRecord, OpsError> + Send + 'static,
{
    let outcome = ops::run(db, move |c| {
        let record = op(c)?;
        Ok(checked(c, record)?)
    })
    .await;
    notifier.ring();
    Ok(HttpResponse::Ok().json(MeetingView::from(outcome?)))
}

fn meeting_id(id: i64) -> Result<MeetingId, ApiError> {
    MeetingId::new(id).map_err(|_| ApiError::NotFound("meeting"))
}

#[utoipa::path(operation_id = "meetings_publish", tag = "meetings", params(("id" = i64, Path, description = "meeting id")), responses((status = 200, body = MeetingView), (status = 401, description = "no valid admin token", body = ErrorBody), (status = 404, description = "not found", body = ErrorBody), (status = 409, description = "conflict with the current state", body = ErrorBody)), security(("bearer" = [])))]
#[post("/meetings/{id}/publish")]
pub async fn publish(
    _: Admin,
    OpsEnv(env): OpsEnv,
    db: web::Data<Db>,
    notifier: web::Data<Notifier>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = meeting_id(id.into_inner())?;
    apply(&db, &notifier, move |c| {
        lifecycle::publish(c, &env, Actor::Admin, id)
    })
    .await
}

/// Starts the meeting and its first agenda item (whose time box is watched from now).
#[utoipa::path(operation_id = "meetings_start", tag = "meetings", params(("id" = i64, Path, description = "meeting id")), responses((status = 200, body = MeetingView), (status = 401, description = "no valid admin token", body = ErrorBody), (status = 404, description = "not found", body = ErrorBody), (status = 409, description = "conflict with the current state", body = ErrorBody)), security(("bearer" = [])))]
#[post("/meetings/{id}/start")]
pub async fn start(
    _: Admin,
    OpsEnv(env): OpsEnv,
    db: web::Data<Db>,
    notifier: web::Data<Notifier>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = meeting_id(id.into_inner())?;
    apply(&db, &notifier, move |c| {
        Ok(lifecycle::start(c, &env, Actor::Admin, id)?.record)
    })
    .await
}

/// Ends the running agenda item and starts the next one not yet started.
#[utoipa::path(operation_id = "meetings_next", tag = "meetings", params(("id" = i64, Path, description = "meeting id")), responses((status = 200, body = MeetingView), (status = 401, description = "no valid admin token", body = ErrorBody), (status = 404, description = "not found", body = ErrorBody), (status = 409, description = "conflict with the current state", body = ErrorBody)), security(("bearer" = [])))]
#[post("/meetings/{id}/next")]
pub async fn next(
    _: Admin,
    OpsEnv(env): OpsEnv,
    db: web::Data<Db>,
    notifier: web::Data<Notifier>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = meeting_id(id.into_inner())?;
    apply(&db, &notifier, move |c| {
        Ok(lifecycle::next_item(c, &env, Actor::Admin, id)?.record)
    })
    .await
}

/// Ends the meeting and the agenda item still running.
#[utoipa::path(operation_id = "meetings_end", tag = "meetings", params(("id" = i64, Path, description = "meeting id")), responses((status = 200, body = MeetingView), (status = 401, description = "no valid admin token", body = ErrorBody), (status = 404, description = "not found", body = ErrorBody), (status = 409, description = "conflict with the current state", body = ErrorBody)), security(("bearer" = [])))]
#[post("/meetings/{id}/end")]
pub async fn end(
    _: Admin,
    OpsEnv(env): OpsEnv,
    db: web::Data<Db>,
    notifier: web::Data<Notifier>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = meeting_id(id.into_inner())?;
    apply(&db, &notifier, move |c| {
        Ok(lifecycle::end(c, &env, Actor::Admin, id)?.record)
    })
    .await
}

/// Publishes the minutes: the meeting is closed and its readers are told.
#[utoipa::path(operation_id = "meetings_close", tag = "meetings", params(("id" = i64, Path, description = "meeting id")), responses((status = 200, body = MeetingView), (status = 401, description = "no valid admin token", body = ErrorBody), (status = 404, description = "not found", body = ErrorBody), (status = 409, description = "conflict with the current state", body = ErrorBody)), security(("bearer" = [])))]
#[post("/meetings/{id}/close")]
pub async fn close(
    _: Admin,
    OpsEnv(env): OpsEnv,
    db: web::Data<Db>,
    notifier: web::Data<Notifier>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = meeting_id(id.into_inner())?;
    apply(&db, &notifier, move |c| {
        Ok(lifecycle::close(c, &env, Actor::Admin, id)?.record)
    })
    .await
}

/// Opens published minutes for correction again.
#[utoipa::path(operation_id = "meetings_reopen", tag = "meetings", params(("id" = i64, Path, description = "meeting id")), responses((status = 200, body = MeetingView), (status = 401, description = "no valid admin token", body = ErrorBody), (status = 404, description = "not found", body = ErrorBody), (status = 409, description = "conflict with the current state", body = ErrorBody)), security(("bearer" = [])))]
#[post("/meetings/{id}/reopen")]
pub async fn reopen(
    _: Admin,
    OpsEnv(env): OpsEnv,
    db: web::Data<Db>,
    notifier: web::Data<Notifier>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = meeting_id(id.into_inner())?;
    apply(&db, &notifier, move |c| {
        lifecycle::reopen(c, &env, Actor::Admin, id)
    })
    .await
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelBody {
    reason: String,
}

#[utoipa::path(operation_id = "meetings_cancel", tag = "meetings", params(("id" = i64, Path, description = "meeting id")), request_body = CancelBody, responses((status = 200, body = MeetingView), (status = 401, description = "no valid admin token", body = ErrorBody), (status = 404, description = "not found", body = ErrorBody), (status = 409, description = "conflict with the current state", body = ErrorBody), (status = 422, description = "invalid input, field by field", body = ErrorBody)), security(("bearer" = [])))]
#[post("/meetings/{id}/cancel")]
pub async fn cancel(
    _: Admin,
    OpsEnv(env): OpsEnv,
    db: web::Data<Db>,
    notifier: web::Data<Notifier>,
    id: web::Path<i64>,
    body: web::Json<CancelBody>,
) -> Result<HttpResponse, ApiError> {
    let id = meeting_id(id.into_inner())?;
    let reason = body.into_inner().reason;
    apply(&db, &notifier, move |c| {
        lifecycle::cancel(c, &env, Actor::Admin, id, &reason)
    })
    .await
}

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
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let record = db
        .run(move |c| {
            let record = store::get(c, id)?;
            if let Some(record) = &record {
                audit_if_confidential(c, &record.meeting, "read_checkin_code", now)?;
            }
            Ok(record)
        })
        .await?
        .ok_or(ApiError::NotFound("meeting"))?;
    let m = &record.meeting;
    let meeting =
        crate::meetings::MeetingId::new(m.id).map_err(|_| ApiError::NotFound("meeting"))?;
    let opens = m.starts_at - opens_before().num_milliseconds();
    Ok(HttpResponse::Ok().json(CheckinCodeView {
        code: key.code(meeting),
        valid_from: millis_to_rfc3339(opens),
        valid_until: millis_to_rfc3339(m.ends_at),
    }))
}

/// `null` in a PATCH body clears a field; an absent key leaves it as it is.
fn nullable<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = MeetingUpdate)]
pub struct UpdateBody {
    title: Option<String>,
    goal: Option<String>,
    starts_at: Option<String>,
    ends_at: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i64>)]
    room_id: Option<Option<i64>>,
    place: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    online_link: Option<Option<String>>,
    confidential: Option<bool>,
    text_checkin: Option<bool>,
    briefing: Option<String>,
    equipment_needs: Option<Vec<String>>,
}

/// The stored meeting as submitted fields, with `patch` laid over it.
fn merged(record: &store::MeetingRecord, patch: UpdateBody) -> MeetingFields {
    let m = &record.meeting;
    MeetingFields {
        title: Some(patch.title.unwrap_or_else(|| m.title.clone())),
        goal: Some(patch.goal.unwrap_or_else(|| m.goal.clone())),
        starts_at: Some(
            patch
                .starts_at
                .unwrap_or_else(|| millis_to_rfc3339(m.starts_at)),
        ),
        ends_at: Some(
            patch
                .ends_at
                .unwrap_or_else(|| millis_to_rfc3339(m.ends_at)),
        ),
        room_id: patch.room_id.unwrap_or(m.room_id),
        place: Some(patch.place.unwrap_or_else(|| m.place.clone())),
        online_link: patch.online_link.unwrap_or_else(|| m.online_link.clone()),
        confidential: Some(patch.confidential.unwrap_or(m.confidential)),
        text_checkin: Some(patch.text_checkin.unwrap_or(m.text_checkin)),
        briefing: Some(patch.briefing.unwrap_or_else(|| m.briefing.clone())),
        equipment_needs: Some(
            patch
                .equipment_needs
                .unwrap_or_else(|| serde_json::from_str(&m.equipment_needs).unwrap_or_default()),
        ),
        agenda: record
            .agenda
            .iter()
            .map(|a| AgendaFields {
                title: a.title.clone(),
                presenter_id: a.presenter_id,
                minutes: a.minutes.max(0) as u32,
            })
            .collect(),
        roles: record
            .roles
            .iter()
            .map(|&(person_id, role)| RoleFields { person_id, role })
            .collect(),
    }
}

/// Changes a draft or scheduled meeting's details. Every rule of creation applies again (the
/// agenda must still fit, the room must be free); after publishing, `sequence` goes up and
/// the invited are told what changed.
#[utoipa::path(operation_id = "meetings_update", tag = "meetings", params(("id" = i64, Path, description = "meeting id")), request_body = UpdateBody, responses((status = 200, body = MeetingView), (status = 401, description = "no valid admin token", body = ErrorBody), (status = 404, description = "not found", body = ErrorBody), (status = 409, description = "conflict with the current state", body = ErrorBody), (status = 422, description = "invalid input, field by field", body = ErrorBody)), security(("bearer" = [])))]
#[patch("/meetings/{id}")]
pub async fn update(
    _: Admin,
    now: Now,
    db: web::Data<Db>,
    notifier: web::Data<Notifier>,
    settings: web::Data<MeetingSettings>,
    id: web::Path<i64>,
    body: web::Json<UpdateBody>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let patch = body.into_inner();
    let buffer = settings.booking_buffer;
    let notices = notifier.settings.clone();
    let outcome = db
        .run(move |c| {
            c.transaction::<_, DbError, _>(|c| {
                let Some(before) = store::get(c, id)? else {
                    return Ok(Err(ApiError::NotFound("meeting")));
                };
                let status = before.meeting.status;
                if !matches!(status, MeetingStatus::Draft | MeetingStatus::Scheduled) {
                    return Ok(Err(ApiError::Conflict(format!(
                        "a meeting that is {status} cannot be changed"
                    ))));
                }
                let draft = match MeetingDraft::parse(merged(&before, patch)) {
                    Ok(d) => d,
                    Err(errors) => return Ok(Err(ApiError::Invalid(errors))),
                };
                let announced = status.announced();
                if let (true, Some(room)) = (announced, draft.room) {
                    store::lock_room(c, room.get())?;
                    let bookings = store::room_bookings(c, room.get())?;
                    let me = crate::meetings::MeetingId::new(id).ok();
                    if let Err(e) = check_room(&draft.span, me, &bookings, buffer) {
                        return Ok(Err(ApiError::Conflict(e.to_string())));
                    }
                }
                store::update_details(c, id, &draft, announced, now.ms())?;
                let Some(after) = store::get(c, id)? else {
                    return Ok(Err(ApiError::NotFound("meeting")));
                };
                if announced {
                    scheduler::plan_meeting(c, &notices, id, now.0)?;
                    let changes = notices::changes(c, notices.tz, &before.meeting, &after.meeting)?;
                    if !changes.is_empty() {
                        let invitees = notices::invitees(c, id)?;
                        notices::queue(
                            c,
                            &notices,
                            id,
                            &Notice::Change { changes },
                            &invitees,
                            now.ms(),
                        )?;
                    }
                }
                audit_if_confidential(c, &after.meeting, "update_meeting", now)?;
                Ok(Ok(checked(c, after)?))
            })
        })
        .await??;
    notifier.ring();
    Ok(HttpResponse::Ok().json(MeetingView::from(outcome)))
}
