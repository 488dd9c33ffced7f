//! A meeting's agenda and materials after creation: replace or reorder the agenda (it must
//! still fit the meeting), add and remove materials. After publishing, each change raises
//! `sequence` and the invited are told.

use super::auth::Admin;
use super::env::Now;
use super::error::{ApiError, ErrorBody};
use super::millis_to_rfc3339;
use crate::db::{materials, meetings as store, Db, DbConn, DbError};
use crate::meetings::agenda::{Agenda, AgendaItem};
use crate::meetings::directory::FieldError;
use crate::meetings::lifecycle::MeetingStatus;
use crate::meetings::schedule::TimeRange;
use crate::meetings::PersonId;
use crate::notify::{notices, Notice, NoticeSettings, Notifier};
use actix_web::{delete, get, post, put};
use actix_web::{web, HttpResponse};
use diesel::Connection;
use serde::{Deserialize, Serialize};

#[derive(Deserialize, Serialize, Clone, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemBody {
    title: String,
    presenter_id: Option<i64>,
    minutes: u32,
}

fn invalid(field: &'static str, message: impl Into<String>) -> ApiError {
    ApiError::Invalid(vec![FieldError {
        field,
        message: message.into(),
    }])
}

/// Loads a meeting whose agenda and materials may still change (draft or scheduled).
fn changeable(c: &mut DbConn, id: i64) -> Result<Result<store::MeetingRecord, ApiError>, DbError> {
    let Some(r) = store::get(c, id)? else {
        return Ok(Err(ApiError::NotFound("meeting")));
    };
    let status = r.meeting.status;
    if !matches!(status, MeetingStatus::Draft | MeetingStatus::Scheduled) {
        return Ok(Err(ApiError::Conflict(format!(
            "the agenda and materials of a meeting that is {status} cannot change"
        ))));
    }
    Ok(Ok(r))
}

/// After publishing: a new version, and a notice saying what changed.
fn announce(
    c: &mut DbConn,
    s: &NoticeSettings,
    r: &store::MeetingRecord,
    what: &str,
    now: Now,
) -> Result<(), DbError> {
    if r.meeting.status == MeetingStatus::Draft {
        return Ok(());
    }
    let now = now.ms();
    store::bump_sequence(c, r.meeting.id, now)?;
    let invitees = notices::invitees(c, r.meeting.id)?;
    let notice = Notice::Change {
        changes: vec![what.to_owned()],
    };
    notices::queue(c, s, r.meeting.id, &notice, &invitees, now)?;
    Ok(())
}

fn items_of(body: Vec<ItemBody>) -> Result<Vec<AgendaItem>, ApiError> {
    body.into_iter()
        .map(|i| {
            let title = i.title.trim().to_owned();
            if title.is_empty() {
                return Err(invalid("agenda", "every item needs a title"));
            }
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

async fn store_agenda(
    db: &Db,
    notifier: &Notifier,
    id: i64,
    new: impl FnOnce(&store::MeetingRecord) -> Result<Vec<AgendaItem>, ApiError> + Send + 'static,
    what: &'static str,
) -> Result<HttpResponse, ApiError> {
    let settings = notifier.settings.clone();
    let now = Now(notifier.clock.now());
    let agenda = db
        .run(move |c| {
            c.transaction::<_, DbError, _>(|c| {
                let r = match changeable(c, id)? {
                    Ok(r) => r,
                    Err(e) => return Ok(Err(e)),
                };
                let items = match new(&r) {
                    Ok(items) => items,
                    Err(e) => return Ok(Err(e)),
                };
                let span = chrono::DateTime::from_timestamp_millis(r.meeting.starts_at)
                    .zip(chrono::DateTime::from_timestamp_millis(r.meeting.ends_at))
                    .and_then(|(s, e)| TimeRange::new(s, e).ok());
                let Some(span) = span else {
                    return Err(DbError::Worker(format!("meeting {id} has bad times")));
                };
                if let Err(e) = Agenda::new(items.clone(), &span) {
                    return Ok(Err(invalid("agenda", e.to_string())));
                }
                store::replace_agenda(c, id, &items)?;
                announce(c, &settings, &r, what, now)?;
                Ok(Ok(store::get(c, id)?.map(|r| r.agenda).unwrap_or_default()))
            })
        })
        .await??;
    notifier.ring();
    Ok(HttpResponse::Ok().json(
        agenda
            .into_iter()
            .map(|a| ItemBody {
                title: a.title,
                presenter_id: a.presenter_id,
                minutes: a.minutes.max(0) as u32,
            })
            .collect::<Vec<_>>(),
    ))
}

#[utoipa::path(operation_id = "agenda_replace", tag = "agenda and materials", params(("id" = i64, Path, description = "meeting id")), request_body = Vec<ItemBody>, responses((status = 200, body = Vec<ItemBody>), (status = 401, description = "no valid admin token", body = ErrorBody), (status = 404, description = "not found", body = ErrorBody), (status = 409, description = "conflict with the current state", body = ErrorBody), (status = 422, description = "invalid input, field by field", body = ErrorBody)), security(("bearer" = [])))]
#[put("/meetings/{id}/agenda")]
pub async fn replace(
    _: Admin,
    db: web::Data<Db>,
    notifier: web::Data<Notifier>,
    id: web::Path<i64>,
    body: web::Json<Vec<ItemBody>>,
) -> Result<HttpResponse, ApiError> {
    let items = items_of(body.into_inner())?;
    store_agenda(
        &db,
        &notifier,
        id.into_inner(),
        move |_| Ok(items),
        "议程已更新",
    )
    .await
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReorderBody {
    /// The current positions (1-based) in their new order; each exactly once.
    order: Vec<i32>,
}

#[utoipa::path(operation_id = "agenda_reorder", tag = "agenda and materials", params(("id" = i64, Path, description = "meeting id")), request_body = ReorderBody, responses((status = 200, body = Vec<ItemBody>), (status = 401, description = "no valid admin token", body = ErrorBody), (status = 404, description = "not found", body = ErrorBody), (status = 409, description = "conflict with the current state", body = ErrorBody), (status = 422, description = "invalid input, field by field", body = ErrorBody)), security(("bearer" = [])))]
#[post("/meetings/{id}/agenda/reorder")]
pub async fn reorder(
    _: Admin,
    db: web::Data<Db>,
    notifier: web::Data<Notifier>,
    id: web::Path<i64>,
    body: web::Json<ReorderBody>,
) -> Result<HttpResponse, ApiError> {
    let order = body.into_inner().order;
    store_agenda(
        &db,
        &notifier,
        id.into_inner(),
        move |r| {
            let mut sorted = order.clone();
            sorted.sort_unstable();
            let expected: Vec<i32> = r.agenda.iter().map(|a| a.position).collect();
            if sorted != expected {
                return Err(invalid(
                    "order",
                    format!("must list each of the positions {expected:?} exactly once"),
                ));
            }
            Ok(order
                .iter()
                .filter_map(|p| r.agenda.iter().find(|a| a.position == *p))
                .map(|a| AgendaItem {
                    title: a.title.clone(),
                    presenter: a.presenter_id.and_then(|p| PersonId::new(p).ok()),
                    minutes: a.minutes.max(0) as u32,
                    started_at: None,
                    ended_at: None,
                })
                .collect())
        },
        "议程顺序已调整",
    )
    .await
}

#[derive(Serialize, utoipa::ToSchema)]
struct MaterialView {
    id: i64,
    title: String,
    url: String,
    added_at: String,
}

fn material_views(c: &mut DbConn, id: i64) -> Result<Vec<MaterialView>, DbError> {
    Ok(materials::list(c, id)?
        .into_iter()
        .map(|m| MaterialView {
            id: m.id,
            title: m.title,
            url: m.url,
            added_at: millis_to_rfc3339(m.created_at),
        })
        .collect())
}

#[utoipa::path(operation_id = "agenda_list_materials", tag = "agenda and materials", params(("id" = i64, Path, description = "meeting id")), responses((status = 200, body = Vec<MaterialView>), (status = 401, description = "no valid admin token", body = ErrorBody), (status = 404, description = "not found", body = ErrorBody)), security(("bearer" = [])))]
#[get("/meetings/{id}/materials")]
pub async fn list_materials(
    _: Admin,
    now: Now,
    db: web::Data<Db>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let found = db
        .run(move |c| {
            let Some(r) = store::get(c, id)? else {
                return Ok(None);
            };
            super::audit_if_confidential(c, &r.meeting, "read_materials", now)?;
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

impl MaterialBody {
    /// Title and URL, trimmed and checked.
    pub fn check(self) -> Result<(String, String), ApiError> {
        let title = self.title.trim().to_owned();
        if title.is_empty() || title.chars().count() > 200 {
            return Err(invalid("materials", "a title must be 1 to 200 characters"));
        }
        let url = self.url.trim().to_owned();
        if url::Url::parse(&url).map_or(true, |u| !matches!(u.scheme(), "http" | "https")) {
            return Err(invalid("materials", "a url must be an http(s) URL"));
        }
        Ok((title, url))
    }
}

#[utoipa::path(operation_id = "agenda_add_material", tag = "agenda and materials", params(("id" = i64, Path, description = "meeting id")), request_body = MaterialBody, responses((status = 201, body = Vec<MaterialView>), (status = 401, description = "no valid admin token", body = ErrorBody), (status = 404, description = "not found", body = ErrorBody), (status = 409, description = "conflict with the current state", body = ErrorBody), (status = 422, description = "invalid input, field by field", body = ErrorBody)), security(("bearer" = [])))]
#[post("/meetings/{id}/materials")]
pub async fn add_material(
    _: Admin,
    now: Now,
    db: web::Data<Db>,
    notifier: web::Data<Notifier>,
    id: web::Path<i64>,
    body: web::Json<MaterialBody>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let (title, url) = body.into_inner().check()?;
    let settings = notifier.settings.clone();
    let views = db
        .run(move |c| {
            c.transaction::<_, DbError, _>(|c| {
                let r = match changeable(c, id)? {
                    Ok(r) => r,
                    Err(e) => return Ok(Err(e)),
                };
                materials::add(c, id, &title, &url, now.ms())?;
                announce(c, &settings, &r, &format!("新增材料「{title}」"), now)?;
                Ok(Ok(material_views(c, id)?))
            })
        })
        .await??;
    notifier.ring();
    Ok(HttpResponse::Created().json(views))
}

#[utoipa::path(operation_id = "agenda_remove_material", tag = "agenda and materials", params(("id" = i64, Path, description = "meeting id"), ("material_id" = i64, Path)), responses((status = 200, body = Vec<MaterialView>), (status = 401, description = "no valid admin token", body = ErrorBody), (status = 404, description = "not found", body = ErrorBody), (status = 409, description = "conflict with the current state", body = ErrorBody)), security(("bearer" = [])))]
#[delete("/meetings/{id}/materials/{material_id}")]
pub async fn remove_material(
    _: Admin,
    db: web::Data<Db>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, ApiError> {
    let (id, material) = path.into_inner();
    let views = db
        .run(move |c| {
            if let Err(e) = changeable(c, id)? {
                return Ok(Err(e));
            }
            if !materials::remove(c, id, material)? {
                return Ok(Err(ApiError::NotFound("material")));
            }
            Ok(Ok(material_views(c, id)?))
        })
        .await??;
    Ok(HttpResponse::Ok().json(views))
}
