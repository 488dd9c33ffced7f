//! `POST /rooms/{id}/display-key` issues the key a room's door screen needs (replacing any
//! earlier one, whose screens go blank); `DELETE` revokes it.

use super::auth::Admin;
use super::env::Now;
use super::error::{ApiError, ErrorBody};
use crate::db::Db;
use crate::meetings::RoomId;
use crate::ops::{self, records, Actor};
use crate::web::pages::Pages;
use actix_web::{delete, post, web, HttpResponse};
use serde::Serialize;

#[derive(Serialize, utoipa::ToSchema)]
pub struct DisplayKeyView {
    room_id: i64,
    /// Shown once: only its hash is kept.
    key: String,
    /// The screen's page: open it on the tablet at the room's door.
    url: String,
}

#[utoipa::path(operation_id = "display_keys_issue", tag = "rooms", params(("id" = i64, Path, description = "room id")), responses((status = 200, description = "the new key and the screen's URL; an earlier key stops working", body = DisplayKeyView), (status = 404, description = "not found", body = ErrorBody)), security(("bearer" = [])))]
#[post("/rooms/{id}/display-key")]
pub async fn issue(
    _: Admin,
    now: Now,
    db: web::Data<Db>,
    pages: web::Data<Pages>,
    id: web::Path<RoomId>,
) -> Result<web::Json<DisplayKeyView>, ApiError> {
    let room_id = id.into_inner();
    let key = ops::run(&db, move |c| {
        records::issue_display_key(c, now.ms(), Actor::Admin, room_id)
    })
    .await?
    .ok_or(ApiError::NotFound("room"))?;
    Ok(web::Json(DisplayKeyView {
        room_id: room_id.get(),
        url: format!("{}/rooms/{room_id}/display?key={key}", pages.base()),
        key,
    }))
}

#[utoipa::path(operation_id = "display_keys_revoke", tag = "rooms", params(("id" = i64, Path, description = "room id")), responses((status = 204, description = "revoked (the screen goes blank), or the room had no key"), (status = 404, description = "no such room", body = ErrorBody)), security(("bearer" = [])))]
#[delete("/rooms/{id}/display-key")]
pub async fn revoke(
    _: Admin,
    now: Now,
    db: web::Data<Db>,
    id: web::Path<RoomId>,
) -> Result<HttpResponse, ApiError> {
    let room_id = id.into_inner();
    ops::run(&db, move |c| {
        records::revoke_display_key(c, now.ms(), Actor::Admin, room_id)
    })
    .await?
    .ok_or(ApiError::NotFound("room"))?;
    Ok(HttpResponse::NoContent().finish())
}
