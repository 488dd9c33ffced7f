//! A decision's consensus through the admin API: where it stands, and closing it as passed or
//! tabled for the host.

use super::auth::Admin;
use super::body::Body;
use super::env::OpsEnv;
use super::error::{ApiError, ErrorBody};
use super::minutes::ConsensusView;
use crate::db::Db;
use crate::meetings::consensus::Outcome;
use crate::ops::{self, consensus, Actor, OpsError};
use actix_web::{get, post, web, HttpResponse};
use serde::Deserialize;

#[utoipa::path(operation_id = "decisions_get", tag = "minutes", params(("id" = i64, Path, description = "decision (minutes entry) id")), responses((status = 200, body = ConsensusView), (status = 404, description = "not found", body = ErrorBody)), security(("bearer" = [])))]
#[get("/decisions/{id}")]
pub async fn get(
    _: Admin,
    OpsEnv(env): OpsEnv,
    db: web::Data<Db>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let standing = ops::run(&db, move |c| {
        let entry = crate::db::minutes::get(c, id)?
            .filter(|e| e.kind == "decision")
            .ok_or(OpsError::DecisionNotFound(id))?;
        let meeting = crate::meetings::MeetingId::new(entry.meeting_id)?;
        ops::reading::managed(c, &env, Actor::Admin, meeting, "read_minutes")?;
        Ok(consensus::standing(c, entry)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(ConsensusView::from(standing)))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseBody {
    /// `passed` (通过) or `tabled` (搁置).
    outcome: String,
}

#[utoipa::path(operation_id = "decisions_close", tag = "minutes", params(("id" = i64, Path, description = "decision (minutes entry) id")), request_body = CloseBody, responses((status = 200, body = ConsensusView), (status = 404, description = "not found", body = ErrorBody), (status = 409, description = "closed already", body = ErrorBody), (status = 422, description = "outcome passed or tabled", body = ErrorBody)), security(("bearer" = [])))]
#[post("/decisions/{id}/close")]
pub async fn close(
    _: Admin,
    OpsEnv(env): OpsEnv,
    db: web::Data<Db>,
    id: web::Path<i64>,
    body: Body<CloseBody>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let outcome = Outcome::parse(&body.into_inner().outcome).ok_or_else(|| {
        ApiError::Invalid(vec![crate::meetings::directory::FieldError {
            field: "outcome",
            message: "must be passed or tabled".to_owned(),
        }])
    })?;
    let standing = ops::run(&db, move |c| {
        consensus::close(c, &env, Actor::Admin, id, outcome)
    })
    .await?;
    Ok(HttpResponse::Ok().json(ConsensusView::from(standing)))
}
