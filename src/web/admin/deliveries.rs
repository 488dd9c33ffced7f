//! The delivery report of a meeting's notices: counts by status, and every message that did
//! not get through with its reason.

use super::auth::Admin;
use super::env::OpsEnv;
use super::error::{ApiError, ErrorBody};
use super::rfc3339;
use crate::db::Db;
use crate::meetings::PersonId;
use crate::ops::{self, Actor};
use actix_web::get;
use actix_web::{web, HttpResponse};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Serialize, utoipa::ToSchema)]
struct Problem {
    outbox_id: i64,
    person_id: Option<i64>,
    kind: String,
    channel: String,
    status: String,
    attempts: i32,
    reason: Option<String>,
    updated_at: String,
}

#[derive(Serialize, utoipa::ToSchema)]
struct Report {
    meeting_id: i64,
    total: usize,
    by_status: BTreeMap<String, usize>,
    /// Failed and unreachable messages, and pending ones that have failed before.
    problems: Vec<Problem>,
}

#[utoipa::path(operation_id = "deliveries_report", tag = "reports", params(("id" = i64, Path, description = "meeting id")), responses((status = 200, body = Report), (status = 401, description = "no valid admin token", body = ErrorBody), (status = 404, description = "not found", body = ErrorBody)), security(("bearer" = [])))]
#[get("/meetings/{id}/deliveries")]
pub async fn report(
    _: Admin,
    OpsEnv(env): OpsEnv,
    db: web::Data<Db>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = super::meeting_id(id.into_inner())?;
    let rows = ops::run(&db, move |c| {
        ops::reports::deliveries(c, &env, Actor::Admin, id)
    })
    .await?;
    let mut by_status = BTreeMap::new();
    for r in &rows {
        *by_status.entry(r.status.as_str().to_owned()).or_insert(0) += 1;
    }
    let problems = rows
        .iter()
        .filter(|r| r.last_error.is_some())
        .map(|r| Problem {
            outbox_id: r.id.get(),
            person_id: r.person_id.map(PersonId::get),
            kind: r.kind.as_str().to_owned(),
            channel: r.channel.to_string(),
            status: r.status.as_str().to_owned(),
            attempts: r.attempts,
            reason: r.last_error.clone(),
            updated_at: rfc3339(r.updated_at),
        })
        .collect();
    Ok(HttpResponse::Ok().json(Report {
        meeting_id: id.get(),
        total: rows.len(),
        by_status,
        problems,
    }))
}
