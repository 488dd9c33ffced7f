//! A meeting's people: list with answers and check-ins, add, remove, change a role, answer on
//! someone's behalf. After publishing, a person added is invited and a person removed is told
//! the meeting is off for them.

use super::auth::Admin;
use super::body::Body;
use super::env::{Now, OpsEnv};
use super::error::{ApiError, ErrorBody};
use super::rfc3339;
use crate::db::{meetings as store, participants, people, Db, DbConn, DbError};
use crate::meetings::audit_action::Audit;
use crate::meetings::directory::FieldError;
use crate::meetings::participation::{Role, Rsvp};
use crate::meetings::MeetingId;
use crate::meetings::PersonId;
use crate::notify::Notifier;
use crate::ops::{self, attendance, roster, Actor};
use crate::web::admin::field_rules::{self as field, FieldRules};
use actix_web::{delete, get, post, put};
use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};

#[derive(Serialize, utoipa::ToSchema)]
struct ParticipantView {
    #[schema(value_type = i64, minimum = 1)]
    person_id: PersonId,
    name: String,
    #[schema(value_type = Vec<String>)]
    roles: Vec<Role>,
    /// Absent for people who only get the minutes (informed).
    rsvp: Option<String>,
    rsvp_reason: Option<String>,
    rsvp_at: Option<String>,
    #[schema(value_type = Option<i64>, minimum = 1)]
    delegate_id: Option<PersonId>,
    checked_in_at: Option<String>,
    #[schema(value_type = Option<i64>, minimum = 1)]
    checked_in_by: Option<PersonId>,
}

fn views(c: &mut DbConn, meeting_id: MeetingId) -> Result<Option<Vec<ParticipantView>>, DbError> {
    let Some(record) = store::get(c, meeting_id)? else {
        return Ok(None);
    };
    let rows = participants::list(c, meeting_id)?;
    let mut ids: Vec<PersonId> = record.roles.iter().map(|(p, _)| *p).collect();
    ids.dedup();
    let mut out = Vec::new();
    for id in ids {
        let roles = record.roles_of(id);
        let row = rows.iter().find(|r| r.person_id == id);
        out.push(ParticipantView {
            person_id: id,
            name: people::name(c, id)?,
            roles,
            rsvp: row.map(|r| r.rsvp.as_str().to_owned()),
            rsvp_reason: row.and_then(|r| r.rsvp.reason().map(str::to_owned)),
            rsvp_at: row.and_then(|r| r.rsvp_at).map(rfc3339),
            delegate_id: row.and_then(|r| r.delegate_id),
            checked_in_at: row.and_then(|r| r.checked_in_at).map(rfc3339),
            checked_in_by: row.and_then(|r| r.checked_in_by),
        });
    }
    Ok(Some(out))
}

#[utoipa::path(operation_id = "participants_list", tag = "participants", params(("id" = i64, Path, description = "meeting id")), responses((status = 200, body = Vec<ParticipantView>), (status = 401, description = "no valid admin token", body = ErrorBody), (status = 404, description = "not found", body = ErrorBody)), security(("bearer" = [])))]
#[get("/meetings/{id}/participants")]
pub async fn list(
    _: Admin,
    now: Now,
    db: web::Data<Db>,
    id: web::Path<MeetingId>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let found = db
        .run(move |c| {
            if let Some(r) = store::get(c, id)? {
                crate::ops::reading::by_admin(c, now.ms(), &r.meeting, Audit::ReadParticipants)?;
            }
            views(c, id)
        })
        .await?;
    Ok(HttpResponse::Ok().json(found.ok_or(ApiError::NotFound("meeting"))?))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddBody {
    #[schema(value_type = i64, minimum = 1)]
    person_id: PersonId,
    #[schema(value_type = String)]
    role: Role,
}

impl FieldRules for AddBody {
    fn field_rules() -> Vec<(&'static str, serde_json::Value)> {
        field::role_assignment()
    }
}

#[utoipa::path(operation_id = "participants_add", tag = "participants", params(("id" = i64, Path, description = "meeting id")), request_body = AddBody, responses((status = 200, body = Vec<ParticipantView>), (status = 401, description = "no valid admin token", body = ErrorBody), (status = 404, description = "not found", body = ErrorBody), (status = 409, description = "conflict with the current state", body = ErrorBody), (status = 422, description = "invalid input, field by field; beyond the schema: the person exists", body = ErrorBody)), security(("bearer" = [])))]
#[post("/meetings/{id}/participants")]
pub async fn add(
    _: Admin,
    OpsEnv(env): OpsEnv,
    db: web::Data<Db>,
    notifier: web::Data<Notifier>,
    id: web::Path<MeetingId>,
    body: Body<AddBody>,
) -> Result<HttpResponse, ApiError> {
    let meeting = id.into_inner();
    let AddBody { person_id, role } = body.into_inner();
    let outcome = ops::run(&db, move |c| {
        roster::add(c, &env, Actor::Admin, meeting, person_id, role)?;
        Ok(views(c, meeting)?)
    })
    .await;
    notifier.ring();
    Ok(HttpResponse::Ok().json(outcome?.ok_or(ApiError::NotFound("meeting"))?))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RemoveQuery {
    /// Only this role; without it, every role.
    #[param(value_type = Option<String>)]
    role: Option<Role>,
}

#[utoipa::path(operation_id = "participants_remove", tag = "participants", params(("id" = i64, Path, description = "meeting id"), ("person_id" = i64, Path), RemoveQuery), responses((status = 200, body = Vec<ParticipantView>), (status = 401, description = "no valid admin token", body = ErrorBody), (status = 404, description = "not found", body = ErrorBody), (status = 409, description = "conflict with the current state", body = ErrorBody)), security(("bearer" = [])))]
#[delete("/meetings/{id}/participants/{person_id}")]
pub async fn remove(
    _: Admin,
    OpsEnv(env): OpsEnv,
    db: web::Data<Db>,
    notifier: web::Data<Notifier>,
    path: web::Path<(i64, PersonId)>,
    query: web::Query<RemoveQuery>,
) -> Result<HttpResponse, ApiError> {
    let (id, person_id) = path.into_inner();
    let meeting = super::meeting_id(id)?;
    let role = query.into_inner().role;
    let outcome = ops::run(&db, move |c| {
        roster::remove(c, &env, Actor::Admin, meeting, person_id, role)?;
        Ok(views(c, meeting)?)
    })
    .await;
    notifier.ring();
    Ok(HttpResponse::Ok().json(outcome?.ok_or(ApiError::NotFound("meeting"))?))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RsvpBody {
    answer: String,
    reason: Option<String>,
}

impl FieldRules for RsvpBody {
    fn field_rules() -> Vec<(&'static str, serde_json::Value)> {
        vec![("answer", field::names(field::Rsvp::NAMES))]
    }
}

/// Answers the invitation for someone (a phone call to the organizer, say).
#[utoipa::path(operation_id = "participants_rsvp", tag = "participants", params(("id" = i64, Path, description = "meeting id"), ("person_id" = i64, Path)), request_body = RsvpBody, responses((status = 200, body = Vec<ParticipantView>), (status = 401, description = "no valid admin token", body = ErrorBody), (status = 404, description = "not found", body = ErrorBody), (status = 409, description = "conflict with the current state", body = ErrorBody), (status = 422, description = "invalid input, field by field; beyond the schema: `declined` needs a reason that is not blank", body = ErrorBody)), security(("bearer" = [])))]
#[put("/meetings/{id}/participants/{person_id}/rsvp")]
pub async fn rsvp(
    _: Admin,
    OpsEnv(env): OpsEnv,
    db: web::Data<Db>,
    path: web::Path<(i64, PersonId)>,
    body: Body<RsvpBody>,
) -> Result<HttpResponse, ApiError> {
    let (id, person_id) = path.into_inner();
    let body = body.into_inner();
    let answer = Rsvp::given(&body.answer, body.reason.as_deref()).map_err(|e| {
        let (field, message) = match e {
            crate::meetings::DomainError::UnknownAnswer(_) => (
                "answer",
                "must be accepted, tentative, declined or pending".into(),
            ),
            e => ("reason", e.to_string()),
        };
        ApiError::Invalid(vec![FieldError { field, message }])
    })?;
    let meeting = super::meeting_id(id)?;
    let found = ops::run(&db, move |c| {
        attendance::answer(c, &env, Actor::Admin, meeting, person_id, &answer)?;
        Ok(views(c, meeting)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(found.ok_or(ApiError::NotFound("meeting"))?))
}

/// Checks someone in who is in the room (their phone is flat, say), from 30 minutes before
/// the start until the meeting ends.
#[utoipa::path(operation_id = "participants_check_in", tag = "participants", params(("id" = i64, Path, description = "meeting id"), ("person_id" = i64, Path)), responses((status = 200, body = Vec<ParticipantView>), (status = 401, description = "no valid admin token", body = ErrorBody), (status = 404, description = "not found", body = ErrorBody), (status = 409, description = "conflict with the current state", body = ErrorBody)), security(("bearer" = [])))]
#[post("/meetings/{id}/participants/{person_id}/checkin")]
pub async fn check_in(
    _: Admin,
    OpsEnv(env): OpsEnv,
    db: web::Data<Db>,
    path: web::Path<(i64, PersonId)>,
) -> Result<HttpResponse, ApiError> {
    let (id, person_id) = path.into_inner();
    let meeting = super::meeting_id(id)?;
    let found = ops::run(&db, move |c| {
        attendance::check_in(
            c,
            &env,
            Actor::Admin,
            meeting,
            person_id,
            attendance::CheckinWay::OnBehalf,
        )?;
        Ok(views(c, meeting)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(found.ok_or(ApiError::NotFound("meeting"))?))
}
