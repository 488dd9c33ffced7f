//! A decision's consensus through the admin API: where it stands, and closing it as passed or
//! tabled for the host.

use super::auth::Admin;
use super::body::Body;
use super::env::OpsEnv;
use super::error::{ApiError, ErrorBody};
use super::minutes::ConsensusView;
use crate::db::Db;
use crate::meetings::audit_action::Audit;
use crate::meetings::consensus::Outcome;
use crate::meetings::{ActionItemId, EntryId};
use crate::ops::{self, consensus, Actor, OpsError};
use crate::web::admin::field_rules::{self as field, FieldRules};
use actix_web::{get, post, web, HttpResponse};
use serde::Deserialize;

#[utoipa::path(operation_id = "decisions_get", tag = "minutes", params(("id" = i64, Path, description = "decision (minutes entry) id")), responses((status = 200, body = ConsensusView), (status = 404, description = "not found", body = ErrorBody)), security(("bearer" = [])))]
#[get("/decisions/{id}")]
pub async fn get(
    _: Admin,
    OpsEnv(env): OpsEnv,
    db: web::Data<Db>,
    id: web::Path<EntryId>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let standing = ops::run(&db, move |c| {
        let entry = crate::db::minutes::get(c, id)?
            .filter(|e| e.kind == crate::meetings::minutes::EntryKind::Decision)
            .ok_or(OpsError::DecisionNotFound(id))?;
        let meeting = entry.meeting_id;
        ops::reading::managed(c, &env, Actor::Admin, meeting, Audit::ReadMinutes)?;
        consensus::standing(c, Actor::Admin, entry)
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

impl FieldRules for CloseBody {
    fn field_rules() -> Vec<(&'static str, serde_json::Value)> {
        vec![("outcome", field::names(["passed", "tabled"]))]
    }
}

#[utoipa::path(operation_id = "decisions_close", tag = "minutes", params(("id" = i64, Path, description = "decision (minutes entry) id")), request_body = CloseBody, responses((status = 200, body = ConsensusView), (status = 404, description = "not found", body = ErrorBody), (status = 409, description = "closed already", body = ErrorBody), (status = 422, description = "outcome passed or tabled", body = ErrorBody)), security(("bearer" = [])))]
#[post("/decisions/{id}/close")]
pub async fn close(
    _: Admin,
    OpsEnv(env): OpsEnv,
    db: web::Data<Db>,
    id: web::Path<EntryId>,
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

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct MilestoneView {
    id: i64,
    action_item_id: i64,
    title: String,
    due_on: String,
    done: bool,
}

impl From<crate::db::milestones::MilestoneRow> for MilestoneView {
    fn from(m: crate::db::milestones::MilestoneRow) -> Self {
        MilestoneView {
            id: m.id.get(),
            action_item_id: m.action_item_id.get(),
            title: m.title,
            due_on: m.due.to_string(),
            done: m.done_at.is_some(),
        }
    }
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct PlanItemView {
    action_item_id: i64,
    title: String,
    owner_id: i64,
    owner: String,
    due_on: String,
    status: String,
    overdue_days: i64,
    milestones: Vec<MilestoneView>,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct PlanView {
    decision_id: i64,
    decision: String,
    done: usize,
    total: usize,
    /// Action items, and milestones not reached, past their date.
    overdue: usize,
    items: Vec<PlanItemView>,
}

/// A decision's execution plan: its action items with their milestones, done / total, overdue.
#[utoipa::path(operation_id = "decisions_plan", tag = "minutes", params(("id" = i64, Path, description = "decision (minutes entry) id")), responses((status = 200, body = PlanView), (status = 404, description = "not found", body = ErrorBody)), security(("bearer" = [])))]
#[get("/decisions/{id}/plan")]
pub async fn plan(
    _: Admin,
    OpsEnv(env): OpsEnv,
    db: web::Data<Db>,
    id: web::Path<EntryId>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let p = ops::run(&db, move |c| {
        ops::execution::plan(c, &env, Actor::Admin, id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(PlanView {
        decision_id: p.decision.id.get(),
        decision: p.decision.body,
        done: p.done,
        total: p.total,
        overdue: p.overdue,
        items: p
            .items
            .into_iter()
            .map(|i| PlanItemView {
                action_item_id: i.task.id.get(),
                title: i.task.title,
                owner_id: i.task.owner_id.get(),
                owner: i.owner,
                due_on: i.task.due_on.to_string(),
                status: i.task.status.as_str().to_owned(),
                overdue_days: i.overdue_days,
                milestones: i.milestones.into_iter().map(Into::into).collect(),
            })
            .collect(),
    }))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MilestoneBody {
    title: String,
    /// YYYY-MM-DD, not past and not after the action item's due date.
    due_on: String,
}

impl FieldRules for MilestoneBody {
    fn field_rules() -> Vec<(&'static str, serde_json::Value)> {
        vec![
            ("title", field::line(1, Some(100))),
            ("due_on", serde_json::json!({"format": "date"})),
        ]
    }
}

/// Adds a milestone to an action item; reminded like a due date.
#[utoipa::path(operation_id = "action_items_add_milestone", tag = "action items", params(("id" = i64, Path, description = "action item id")), request_body = MilestoneBody, responses((status = 201, body = MilestoneView), (status = 404, description = "not found", body = ErrorBody), (status = 409, description = "the action item is finished", body = ErrorBody), (status = 422, description = "a date not past and not after the item's due date; a title of 1 to 100 characters on one line", body = ErrorBody)), security(("bearer" = [])))]
#[post("/action-items/{id}/milestones")]
pub async fn add_milestone(
    _: Admin,
    OpsEnv(env): OpsEnv,
    db: web::Data<Db>,
    id: web::Path<ActionItemId>,
    body: Body<MilestoneBody>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let MilestoneBody { title, due_on } = body.into_inner();
    let due = chrono::NaiveDate::parse_from_str(&due_on, "%Y-%m-%d").map_err(|_| {
        ApiError::Invalid(vec![crate::meetings::directory::FieldError {
            field: "due_on",
            message: "must be a date such as 2026-12-10".to_owned(),
        }])
    })?;
    let m = ops::run(&db, move |c| {
        ops::execution::add_milestone(c, &env, Actor::Admin, id, due, &title)
    })
    .await?;
    Ok(HttpResponse::Created().json(MilestoneView::from(m)))
}
