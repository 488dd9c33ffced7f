//! A meeting's agenda and materials after creation: replace or reorder the agenda (it must
//! still fit the meeting), add and remove materials. After publishing, each change raises
//! `sequence` and the invited are told (`ops::preparation`).

use super::auth::Admin;
use super::body::Body;
use super::env::{Now, OpsEnv};
use super::error::{ApiError, ErrorBody};
use super::{meeting_id, rfc3339};
use crate::db::meetings::AgendaRow;
use crate::db::{meetings as store, Db, DbConn, DbError};
use crate::meetings::agenda::AgendaItem;
use crate::meetings::audit_action::Audit;
use crate::meetings::directory::FieldError;
use crate::meetings::material::Material;
use crate::meetings::MaterialId;
use crate::meetings::MeetingId;
use crate::meetings::PersonId;
use crate::notify::Notifier;
use crate::ops::{self, preparation, Actor};
use crate::web::admin::field_rules::{self as field, FieldRules};
use actix_web::{delete, get, post, put};
use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};

#[derive(Deserialize, Serialize, Clone, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemBody {
    title: String,
    presenter_id: Option<i64>,
    minutes: u32,
}

impl FieldRules for ItemBody {
    fn field_rules() -> Vec<(&'static str, serde_json::Value)> {
        field::agenda_item()
    }
}

fn invalid(field: &'static str, message: impl Into<String>) -> ApiError {
    ApiError::Invalid(vec![FieldError {
        field,
        message: message.into(),
    }])
}

fn items_of(body: Vec<ItemBody>) -> Result<Vec<AgendaItem>, ApiError> {
    body.into_iter()
        .map(|i| {
            let title = i.title.trim().to_owned();
            let presenter = i
                .presenter_id
                .map(PersonId::new)
                .transpose()
                .map_err(|e| invalid("agenda", e.to_string()))?;
            Ok(AgendaItem {
                title,
                presenter,
                minutes: i.minutes,
                started_at: None,
                ended_at: None,
            })
        })
        .collect()
}

fn item_bodies(agenda: Vec<AgendaRow>) -> Vec<ItemBody> {
    agenda
        .into_iter()
        .map(|a| ItemBody {
            title: a.title,
            presenter_id: a.presenter_id.map(PersonId::get),
            minutes: a.minutes.max(0) as u32,
        })
        .collect()
}

#[utoipa::path(operation_id = "agenda_replace", tag = "agenda and materials", params(("id" = i64, Path, description = "meeting id")), request_body = Vec<ItemBody>, responses((status = 200, body = Vec<ItemBody>), (status = 401, description = "no valid admin token", body = ErrorBody), (status = 404, description = "not found", body = ErrorBody), (status = 409, description = "conflict with the current state", body = ErrorBody), (status = 422, description = "invalid input, field by field; beyond each item's schema: the time boxes within the meeting, presenters existing", body = ErrorBody)), security(("bearer" = [])))]
#[put("/meetings/{id}/agenda")]
pub async fn replace(
    _: Admin,
    OpsEnv(env): OpsEnv,
    db: web::Data<Db>,
    notifier: web::Data<Notifier>,
    id: web::Path<i64>,
    body: Body<Vec<ItemBody>>,
) -> Result<HttpResponse, ApiError> {
    let id = meeting_id(id.into_inner())?;
    let items = items_of(body.into_inner())?;
    let agenda = ops::run(&db, move |c| {
        preparation::replace_agenda(c, &env, Actor::Admin, id, items)
    })
    .await;
    notifier.ring();
    Ok(HttpResponse::Ok().json(item_bodies(agenda?)))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReorderBody {
    /// The current positions (1-based) in their new order; each exactly once.
    order: Vec<i32>,
}

#[utoipa::path(operation_id = "agenda_reorder", tag = "agenda and materials", params(("id" = i64, Path, description = "meeting id")), request_body = ReorderBody, responses((status = 200, body = Vec<ItemBody>), (status = 401, description = "no valid admin token", body = ErrorBody), (status = 404, description = "not found", body = ErrorBody), (status = 409, description = "conflict with the current state", body = ErrorBody), (status = 422, description = "invalid input, field by field; beyond the schema: `order` holds each current position exactly once", body = ErrorBody)), security(("bearer" = [])))]
#[post("/meetings/{id}/agenda/reorder")]
pub async fn reorder(
    _: Admin,
    OpsEnv(env): OpsEnv,
    db: web::Data<Db>,
    notifier: web::Data<Notifier>,
    id: web::Path<i64>,
    body: Body<ReorderBody>,
) -> Result<HttpResponse, ApiError> {
    let id = meeting_id(id.into_inner())?;
    let order = body.into_inner().order;
    let agenda = ops::run(&db, move |c| {
        preparation::reorder_agenda(c, &env, Actor::Admin, id, &order)
    })
    .await;
    notifier.ring();
    Ok(HttpResponse::Ok().json(item_bodies(agenda?)))
}

#[derive(Serialize, utoipa::ToSchema)]
struct MaterialView {
    id: i64,
    title: String,
    url: String,
    added_at: String,
    /// Invitees (not declined) who have not opened it through huiwu's link yet.
    #[schema(value_type = Vec<i64>)]
    not_opened_by: Vec<PersonId>,
}

fn material_views(c: &mut DbConn, id: MeetingId) -> Result<Vec<MaterialView>, DbError> {
    Ok(crate::ops::reading::unread_materials(c, id)?
        .into_iter()
        .map(|(m, unread)| MaterialView {
            id: m.id.get(),
            title: m.title,
            url: m.url,
            added_at: rfc3339(m.created_at),
            not_opened_by: unread,
        })
        .collect())
}

#[utoipa::path(operation_id = "agenda_list_materials", tag = "agenda and materials", params(("id" = i64, Path, description = "meeting id")), responses((status = 200, body = Vec<MaterialView>), (status = 401, description = "no valid admin token", body = ErrorBody), (status = 404, description = "not found", body = ErrorBody)), security(("bearer" = [])))]
#[get("/meetings/{id}/materials")]
pub async fn list_materials(
    _: Admin,
    now: Now,
    db: web::Data<Db>,
    id: web::Path<MeetingId>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let found = db
        .run(move |c| {
            let Some(r) = store::get(c, id)? else {
                return Ok(None);
            };
            crate::ops::reading::by_admin(c, now.ms(), &r.meeting, Audit::ReadMaterials)?;
            Ok(Some(material_views(c, id)?))
        })
        .await?;
    Ok(HttpResponse::Ok().json(found.ok_or(ApiError::NotFound("meeting"))?))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MaterialBody {
    title: String,
    url: String,
}

impl FieldRules for MaterialBody {
    fn field_rules() -> Vec<(&'static str, serde_json::Value)> {
        vec![
            (
                "title",
                field::line(
                    1,
                    Some(crate::meetings::material::Material::MAX_TITLE_CHARS as u32),
                ),
            ),
            ("url", serde_json::json!({"pattern": field::web_link()})),
        ]
    }
}

impl MaterialBody {
    /// Title and URL, trimmed and checked.
    pub fn check(self) -> Result<Material, ApiError> {
        Material::parse(&self.title, &self.url).map_err(|e| invalid("materials", e.to_string()))
    }
}

#[utoipa::path(operation_id = "agenda_add_material", tag = "agenda and materials", params(("id" = i64, Path, description = "meeting id")), request_body = MaterialBody, responses((status = 201, body = Vec<MaterialView>), (status = 401, description = "no valid admin token", body = ErrorBody), (status = 404, description = "not found", body = ErrorBody), (status = 409, description = "conflict with the current state", body = ErrorBody), (status = 422, description = "invalid input, field by field", body = ErrorBody)), security(("bearer" = [])))]
#[post("/meetings/{id}/materials")]
pub async fn add_material(
    _: Admin,
    OpsEnv(env): OpsEnv,
    db: web::Data<Db>,
    notifier: web::Data<Notifier>,
    id: web::Path<i64>,
    body: Body<MaterialBody>,
) -> Result<HttpResponse, ApiError> {
    let id = meeting_id(id.into_inner())?;
    let material = body.into_inner().check()?;
    let views = ops::run(&db, move |c| {
        preparation::add_material(c, &env, Actor::Admin, id, &material)?;
        Ok(material_views(c, id)?)
    })
    .await;
    notifier.ring();
    Ok(HttpResponse::Created().json(views?))
}

#[utoipa::path(operation_id = "agenda_remove_material", tag = "agenda and materials", params(("id" = i64, Path, description = "meeting id"), ("material_id" = i64, Path)), responses((status = 200, body = Vec<MaterialView>), (status = 401, description = "no valid admin token", body = ErrorBody), (status = 404, description = "not found", body = ErrorBody), (status = 409, description = "conflict with the current state", body = ErrorBody)), security(("bearer" = [])))]
#[delete("/meetings/{id}/materials/{material_id}")]
pub async fn remove_material(
    _: Admin,
    OpsEnv(env): OpsEnv,
    db: web::Data<Db>,
    path: web::Path<(i64, MaterialId)>,
) -> Result<HttpResponse, ApiError> {
    let (id, material) = path.into_inner();
    let id = meeting_id(id)?;
    let views = ops::run(&db, move |c| {
        preparation::remove_material(c, &env, Actor::Admin, id, material)?;
        Ok(material_views(c, id)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(views))
}
