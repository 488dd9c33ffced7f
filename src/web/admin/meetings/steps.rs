//! The lifecycle steps: publish, start, next agenda item, end, close (publish the minutes),
//! reopen and cancel, each the operation of the same name.

use super::super::auth::Admin;
use super::super::env::OpsEnv;
use super::super::error::{ApiError, ErrorBody};
use super::{apply, meeting_id, MeetingView};
use crate::db::Db;
use crate::notify::Notifier;
use crate::ops::{lifecycle, Actor};
use actix_web::post;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

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
