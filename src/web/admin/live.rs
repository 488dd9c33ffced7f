//! A meeting's questions and help requests through the admin API (the asker of an anonymous
//! question is never shown), with the times help took to be taken and resolved.

use super::auth::Admin;
use super::env::OpsEnv;
use super::error::{ApiError, ErrorBody};
use super::{meeting_id, rfc3339};
use crate::db::Db;
use crate::meetings::audit_action::Audit;
use crate::meetings::PersonId;
use crate::ops::{self, live, Actor};
use actix_web::{get, web, HttpResponse};
use serde::Serialize;

#[derive(Serialize, utoipa::ToSchema)]
struct QuestionView {
    id: i64,
    /// Absent for an anonymous question.
    asker_id: Option<i64>,
    anonymous: bool,
    text: String,
    /// The agenda item running when it was asked.
    agenda_position: Option<i32>,
    asked_at: String,
    answered_at: Option<String>,
    answer: Option<String>,
}

#[utoipa::path(operation_id = "live_questions", tag = "meetings", params(("id" = i64, Path, description = "meeting id")), responses((status = 200, body = Vec<QuestionView>), (status = 401, description = "no valid admin token", body = ErrorBody), (status = 404, description = "not found", body = ErrorBody)), security(("bearer" = [])))]
#[get("/meetings/{id}/questions")]
pub async fn questions(
    _: Admin,
    OpsEnv(env): OpsEnv,
    db: web::Data<Db>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = meeting_id(id.into_inner())?;
    let rows = ops::run(&db, move |c| {
        ops::reading::managed(c, &env, Actor::Admin, id, Audit::ReadQuestions)?;
        Ok(live::questions(c, Actor::Admin, id)?.1)
    })
    .await?;
    Ok(HttpResponse::Ok().json(
        rows.into_iter()
            .map(|q| QuestionView {
                id: q.id.get(),
                asker_id: (!q.anonymous).then_some(q.asker_id.get()),
                anonymous: q.anonymous,
                text: q.body,
                agenda_position: q.agenda_position,
                asked_at: rfc3339(q.asked_at),
                answered_at: q.answered_at.map(rfc3339),
                answer: q.answer,
            })
            .collect::<Vec<_>>(),
    ))
}

#[derive(Serialize, utoipa::ToSchema)]
struct HelpView {
    id: i64,
    asker_id: i64,
    text: String,
    asked_at: String,
    taken_by: Option<i64>,
    taken_at: Option<String>,
    resolved_at: Option<String>,
    /// From asking to being taken, in seconds.
    seconds_to_take: Option<i64>,
    /// From asking to being resolved, in seconds.
    seconds_to_resolve: Option<i64>,
}

#[utoipa::path(operation_id = "live_help_requests", tag = "reports", params(("id" = i64, Path, description = "meeting id")), responses((status = 200, body = Vec<HelpView>), (status = 401, description = "no valid admin token", body = ErrorBody), (status = 404, description = "not found", body = ErrorBody)), security(("bearer" = [])))]
#[get("/meetings/{id}/help-requests")]
pub async fn help_requests(
    _: Admin,
    OpsEnv(env): OpsEnv,
    db: web::Data<Db>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = meeting_id(id.into_inner())?;
    let rows = ops::run(&db, move |c| {
        ops::reading::managed(c, &env, Actor::Admin, id, Audit::ReadHelpRequests)?;
        live::help_requests(c, Actor::Admin, id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(
        rows.into_iter()
            .map(|h| HelpView {
                id: h.id.get(),
                asker_id: h.asker_id.get(),
                text: h.body,
                asked_at: rfc3339(h.asked_at),
                taken_by: h.taken_by.map(PersonId::get),
                taken_at: h.taken_at.map(rfc3339),
                resolved_at: h.resolved_at.map(rfc3339),
                seconds_to_take: h.taken_at.map(|t| (t - h.asked_at).num_seconds()),
                seconds_to_resolve: h.resolved_at.map(|t| (t - h.asked_at).num_seconds()),
            })
            .collect::<Vec<_>>(),
    ))
}
