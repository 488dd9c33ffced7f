//! A meeting's preparation checklist through the admin API: list, add, change (or tick),
//! remove.

use super::auth::Admin;
use super::body::Body;
use super::env::OpsEnv;
use super::error::{ApiError, ErrorBody};
use super::{meeting_id, rfc3339};
use crate::db::checklist::ChecklistRow;
use crate::db::Db;
use crate::meetings::audit_action::Audit;
use crate::meetings::directory::FieldError;
use crate::meetings::ChecklistItemId;
use crate::meetings::PersonId;
use crate::ops::{self, checklist, Actor};
use crate::web::admin::field_rules::{self as field, FieldRules};
use actix_web::{delete, get, patch, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Serialize, utoipa::ToSchema)]
struct ChecklistView {
    id: i64,
    meeting_id: i64,
    title: String,
    owner_id: i64,
    due_at: String,
    /// `materials`, `equipment` or `setup` for an item publishing created; absent for one added.
    kind: Option<String>,
    done_at: Option<String>,
    done_by: Option<i64>,
}

impl From<ChecklistRow> for ChecklistView {
    fn from(r: ChecklistRow) -> Self {
        ChecklistView {
            id: r.id.get(),
            meeting_id: r.meeting_id.get(),
            title: r.title,
            owner_id: r.owner_id.get(),
            due_at: rfc3339(r.due_at),
            kind: r.kind.stored().map(str::to_owned),
            done_at: r.done_at.map(rfc3339),
            done_by: r.done_by.map(PersonId::get),
        }
    }
}

fn instant(raw: &str) -> Result<DateTime<Utc>, ApiError> {
    DateTime::parse_from_rfc3339(raw)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| {
            ApiError::Invalid(vec![FieldError {
                field: "due_at",
                message: "must be a time such as 2026-12-01T09:30:00+08:00".into(),
            }])
        })
}

#[utoipa::path(operation_id = "checklist_list", tag = "checklist", params(("id" = i64, Path, description = "meeting id")), responses((status = 200, body = Vec<ChecklistView>), (status = 401, description = "no valid admin token", body = ErrorBody), (status = 404, description = "not found", body = ErrorBody)), security(("bearer" = [])))]
#[get("/meetings/{id}/checklist")]
pub async fn list(
    _: Admin,
    OpsEnv(env): OpsEnv,
    db: web::Data<Db>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = meeting_id(id.into_inner())?;
    let rows = ops::run(&db, move |c| {
        ops::reading::managed(c, &env, Actor::Admin, id, Audit::ReadChecklist)?;
        checklist::list(c, Actor::Admin, id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(
        rows.into_iter()
            .map(ChecklistView::from)
            .collect::<Vec<_>>(),
    ))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewItemBody {
    /// 1 to 100 characters on one line.
    title: String,
    #[schema(value_type = i64, minimum = 1)]
    owner_id: PersonId,
    /// Not after the meeting starts.
    #[schema(format = DateTime)]
    due_at: String,
}

impl FieldRules for NewItemBody {
    fn field_rules() -> Vec<(&'static str, serde_json::Value)> {
        vec![
            ("title", field::line(1, Some(100))),
            ("owner_id", field::id()),
        ]
    }
}

#[utoipa::path(operation_id = "checklist_add", tag = "checklist", params(("id" = i64, Path, description = "meeting id")), request_body = NewItemBody, responses((status = 201, body = ChecklistView), (status = 401, description = "no valid admin token", body = ErrorBody), (status = 404, description = "not found", body = ErrorBody), (status = 409, description = "the meeting is past preparing", body = ErrorBody), (status = 422, description = "invalid input, field by field; beyond each field's schema: due no later than the start, an active owner", body = ErrorBody)), security(("bearer" = [])))]
#[post("/meetings/{id}/checklist")]
pub async fn add(
    _: Admin,
    OpsEnv(env): OpsEnv,
    db: web::Data<Db>,
    id: web::Path<i64>,
    body: Body<NewItemBody>,
) -> Result<HttpResponse, ApiError> {
    let id = meeting_id(id.into_inner())?;
    let b = body.into_inner();
    let due = instant(&b.due_at)?;
    let row = ops::run(&db, move |c| {
        checklist::add(c, &env, Actor::Admin, id, &b.title, b.owner_id, due)
    })
    .await?;
    Ok(HttpResponse::Created().json(ChecklistView::from(row)))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemChangeBody {
    title: Option<String>,
    #[schema(value_type = Option<i64>, minimum = 1)]
    owner_id: Option<PersonId>,
    #[schema(format = DateTime)]
    due_at: Option<String>,
    /// `true` ticks the item off (for its owner).
    done: Option<bool>,
}

impl FieldRules for ItemChangeBody {
    fn field_rules() -> Vec<(&'static str, serde_json::Value)> {
        vec![
            ("title", field::line(1, Some(100))),
            ("owner_id", field::id()),
        ]
    }
}

#[utoipa::path(operation_id = "checklist_change", tag = "checklist", params(("item" = i64, Path, description = "checklist item id")), request_body = ItemChangeBody, responses((status = 200, body = ChecklistView), (status = 401, description = "no valid admin token", body = ErrorBody), (status = 404, description = "not found", body = ErrorBody), (status = 409, description = "the meeting is past preparing, or the item is done already", body = ErrorBody), (status = 422, description = "invalid input, field by field; beyond each field's schema: due no later than the start, an active owner; done only true", body = ErrorBody)), security(("bearer" = [])))]
#[patch("/checklist/{item}")]
pub async fn change(
    _: Admin,
    OpsEnv(env): OpsEnv,
    db: web::Data<Db>,
    item: web::Path<ChecklistItemId>,
    body: Body<ItemChangeBody>,
) -> Result<HttpResponse, ApiError> {
    let item = item.into_inner();
    let b = body.into_inner();
    if b.done == Some(false) {
        return Err(ApiError::Invalid(vec![FieldError {
            field: "done",
            message: "an item is only ever ticked off (true)".into(),
        }]));
    }
    let due = b.due_at.as_deref().map(instant).transpose()?;
    let row = ops::run(&db, move |c| {
        let mut row = None;
        if b.title.is_some() || b.owner_id.is_some() || due.is_some() {
            row = Some(checklist::change(
                c,
                &env,
                Actor::Admin,
                item,
                b.title.as_deref(),
                b.owner_id,
                due,
            )?);
        }
        if b.done == Some(true) {
            row = Some(checklist::tick(c, &env, Actor::Admin, item)?);
        }
        match row {
            Some(row) => Ok(row),
            None => {
                crate::db::checklist::get(c, item)?.ok_or(ops::OpsError::ChecklistNotFound(item))
            }
        }
    })
    .await?;
    Ok(HttpResponse::Ok().json(ChecklistView::from(row)))
}

#[utoipa::path(operation_id = "checklist_remove", tag = "checklist", params(("item" = i64, Path, description = "checklist item id")), responses((status = 204, description = "removed"), (status = 401, description = "no valid admin token", body = ErrorBody), (status = 404, description = "not found", body = ErrorBody), (status = 409, description = "the meeting is past preparing", body = ErrorBody)), security(("bearer" = [])))]
#[delete("/checklist/{item}")]
pub async fn remove(
    _: Admin,
    OpsEnv(env): OpsEnv,
    db: web::Data<Db>,
    item: web::Path<ChecklistItemId>,
) -> Result<HttpResponse, ApiError> {
    let item = item.into_inner();
    ops::run(&db, move |c| checklist::remove(c, &env, Actor::Admin, item)).await?;
    Ok(HttpResponse::NoContent().finish())
}
