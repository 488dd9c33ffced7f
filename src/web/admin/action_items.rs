//! Action items across meetings: list by owner, meeting, status or overdue; read with the
//! progress log; change owner, due date, title or status.

use super::auth::Admin;
use super::body::Body;
use super::env::{Now, OpsEnv};
use super::error::{ApiError, ErrorBody};
use super::rfc3339;
use crate::db::action_items::{self as items, ActionItemChange, ActionItemFilter, ActionItemRow};
use crate::db::{self, Db};
use crate::meetings::action_items::{days_overdue, TaskStatus};
use crate::meetings::audit_action::Audit;
use crate::meetings::directory::FieldError;
use crate::meetings::text::strict_date;
use crate::meetings::ActionItemId;
use crate::meetings::EntryId;
use crate::meetings::{MeetingId, PersonId};
use crate::ops::{self, Actor};
use crate::web::admin::field_rules::{self as field, FieldRules};
use actix_web::{get, patch};
use actix_web::{web, HttpResponse};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Serialize, utoipa::ToSchema)]
struct ItemView {
    id: i64,
    meeting_id: i64,
    decision_id: Option<i64>,
    title: String,
    owner_id: i64,
    due_on: String,
    status: String,
    days_overdue: i64,
    created_by: i64,
    created_at: String,
    updated_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    progress: Option<Vec<ProgressView>>,
}

#[derive(Serialize, utoipa::ToSchema)]
struct ProgressView {
    author_id: i64,
    text: String,
    at: String,
}

fn today(now: Now, tz: chrono_tz::Tz) -> NaiveDate {
    now.0.with_timezone(&tz).date_naive()
}

fn view(r: ActionItemRow, today: NaiveDate) -> ItemView {
    let overdue = days_overdue(r.due_on, r.status, today).max(0);
    ItemView {
        id: r.id.get(),
        meeting_id: r.meeting_id.get(),
        decision_id: r.decision_id.map(EntryId::get),
        title: r.title,
        owner_id: r.owner_id.get(),
        due_on: r.due_on.to_string(),
        status: r.status.as_str().to_owned(),
        days_overdue: overdue,
        created_by: r.created_by.get(),
        created_at: rfc3339(r.created_at),
        updated_at: rfc3339(r.updated_at),
        progress: None,
    }
}

/// Action items of confidential meetings are their content: an admin's read is audited, once
/// per meeting per request.
fn audit_confidential(
    c: &mut db::DbConn,
    rows: &[ActionItemRow],
    now: Now,
) -> Result<(), db::DbError> {
    let mut meetings: Vec<MeetingId> = rows.iter().map(|r| r.meeting_id).collect();
    meetings.sort_unstable();
    meetings.dedup();
    for id in meetings {
        if let Some(m) = crate::db::meetings::get(c, id)? {
            crate::ops::reading::by_admin(c, now.ms(), &m.meeting, Audit::ReadActionItems)?;
        }
    }
    Ok(())
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    #[param(value_type = Option<i64>, minimum = 1)]
    owner_id: Option<PersonId>,
    #[param(value_type = Option<i64>, minimum = 1)]
    meeting_id: Option<MeetingId>,
    status: Option<String>,
    /// Only unfinished items past their due date.
    overdue: Option<bool>,
}

fn status_field(raw: &str) -> Result<TaskStatus, ApiError> {
    TaskStatus::parse(raw).ok_or_else(|| {
        ApiError::Invalid(vec![FieldError {
            field: "status",
            message: "must be open, in_progress, done or cancelled".into(),
        }])
    })
}

#[utoipa::path(operation_id = "action_items_list", tag = "action items", params(ListQuery), responses((status = 200, body = Vec<ItemView>), (status = 401, description = "no valid admin token", body = ErrorBody), (status = 422, description = "invalid input, field by field", body = ErrorBody)), security(("bearer" = [])))]
#[get("/action-items")]
pub async fn list(
    _: Admin,
    now: Now,
    db: web::Data<Db>,
    tz: web::Data<chrono_tz::Tz>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let today = today(now, **tz);
    let filter = ActionItemFilter {
        owner_id: q.owner_id,
        meeting_id: q.meeting_id,
        statuses: q
            .status
            .as_deref()
            .map(status_field)
            .transpose()?
            .map(|s| vec![s]),
        due_before: q.overdue.filter(|o| *o).map(|_| today),
    };
    let rows = db
        .run(move |c| {
            let rows = items::list(c, &filter)?;
            audit_confidential(c, &rows, now)?;
            Ok(rows)
        })
        .await?;
    Ok(HttpResponse::Ok().json(rows.into_iter().map(|r| view(r, today)).collect::<Vec<_>>()))
}

#[utoipa::path(operation_id = "action_items_get", tag = "action items", params(("id" = i64, Path)), responses((status = 200, body = ItemView), (status = 401, description = "no valid admin token", body = ErrorBody), (status = 404, description = "not found", body = ErrorBody)), security(("bearer" = [])))]
#[get("/action-items/{id}")]
pub async fn get(
    _: Admin,
    now: Now,
    db: web::Data<Db>,
    tz: web::Data<chrono_tz::Tz>,
    id: web::Path<ActionItemId>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let found = db
        .run(move |c| {
            let Some(row) = items::get(c, id)? else {
                return Ok(None);
            };
            audit_confidential(c, std::slice::from_ref(&row), now)?;
            Ok(Some((row, items::progress(c, id)?)))
        })
        .await?;
    let (row, progress) = found.ok_or(ApiError::NotFound("action item"))?;
    let mut v = view(row, today(now, **tz));
    v.progress = Some(
        progress
            .into_iter()
            .map(|(author_id, text, at)| ProgressView {
                author_id: author_id.get(),
                text,
                at: rfc3339(at),
            })
            .collect(),
    );
    Ok(HttpResponse::Ok().json(v))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = ActionItemUpdate)]
pub struct UpdateBody {
    title: Option<String>,
    owner_id: Option<i64>,
    due_on: Option<String>,
    status: Option<String>,
}

impl FieldRules for UpdateBody {
    fn field_rules() -> Vec<(&'static str, serde_json::Value)> {
        vec![
            ("title", field::text(1, Some(2000))),
            ("due_on", serde_json::json!({"format": "date"})),
            ("owner_id", field::id()),
            (
                "status",
                field::names(field::TaskStatus::ALL.map(field::TaskStatus::as_str)),
            ),
        ]
    }
}

#[utoipa::path(operation_id = "action_items_update", tag = "action items", params(("id" = i64, Path)), request_body = UpdateBody, responses((status = 200, body = ItemView), (status = 401, description = "no valid admin token", body = ErrorBody), (status = 404, description = "not found", body = ErrorBody), (status = 409, description = "a status the item cannot move to: a done or cancelled item stays so, and nothing goes back to open", body = ErrorBody), (status = 422, description = "invalid input, field by field; beyond the schema: the owner exists", body = ErrorBody)), security(("bearer" = [])))]
#[patch("/action-items/{id}")]
pub async fn update(
    _: Admin,
    now: Now,
    OpsEnv(env): OpsEnv,
    db: web::Data<Db>,
    tz: web::Data<chrono_tz::Tz>,
    id: web::Path<ActionItemId>,
    body: Body<UpdateBody>,
) -> Result<HttpResponse, ApiError> {
    let b = body.into_inner();
    let mut errors = Vec::new();
    let title = b.title;
    let owner_id = b.owner_id.and_then(|o| match PersonId::new(o) {
        Ok(o) => Some(o),
        Err(_) => {
            errors.push(FieldError {
                field: "owner_id",
                message: "names no person".into(),
            });
            None
        }
    });
    let due_on = b.due_on.and_then(|d| match strict_date(&d) {
        Some(d) => Some(d),
        None => {
            errors.push(FieldError {
                field: "due_on",
                message: "must be a date such as 2026-12-01".into(),
            });
            None
        }
    });
    let status = match b.status.as_deref().map(status_field).transpose() {
        Ok(s) => s,
        Err(_) => {
            errors.push(FieldError {
                field: "status",
                message: "must be open, in_progress, done or cancelled".into(),
            });
            None
        }
    };
    if !errors.is_empty() {
        return Err(ApiError::Invalid(errors));
    }
    let change = ActionItemChange {
        title,
        owner_id,
        due_on,
        status,
    };
    let id = id.into_inner();
    let updated = ops::run(&db, move |c| {
        ops::tasks::update(c, &env, Actor::Admin, id, &change)
    })
    .await?;
    Ok(HttpResponse::Ok().json(view(updated, today(now, **tz))))
}
