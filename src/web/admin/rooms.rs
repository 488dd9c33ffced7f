use super::auth::Admin;
use super::error::ApiError;
use super::{millis_to_rfc3339, ListQuery};
use crate::db::{self, rooms, Db};
use crate::meetings::directory::{RoomChange, RoomFields};
use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoomBody {
    name: Option<String>,
    location: Option<String>,
    capacity: Option<i64>,
    equipment: Option<Vec<String>>,
}

impl From<RoomBody> for RoomFields {
    fn from(b: RoomBody) -> Self {
        RoomFields {
            name: b.name,
            location: b.location,
            capacity: b.capacity,
            equipment: b.equipment,
        }
    }
}

#[derive(Serialize)]
struct RoomView {
    id: i64,
    name: String,
    location: String,
    capacity: i32,
    equipment: Vec<String>,
    active: bool,
    created_at: String,
    updated_at: String,
}

impl From<rooms::Room> for RoomView {
    fn from(r: rooms::Room) -> Self {
        RoomView {
            equipment: r.equipment_list(),
            id: r.id,
            name: r.name,
            location: r.location,
            capacity: r.capacity,
            active: r.active,
            created_at: millis_to_rfc3339(r.created_at),
            updated_at: millis_to_rfc3339(r.updated_at),
        }
    }
}

fn found(room: Option<rooms::Room>) -> Result<HttpResponse, ApiError> {
    let room = room.ok_or(ApiError::NotFound("room"))?;
    Ok(HttpResponse::Ok().json(RoomView::from(room)))
}

pub async fn create(
    _: Admin,
    db: web::Data<Db>,
    body: web::Json<RoomBody>,
) -> Result<HttpResponse, ApiError> {
    let change = RoomChange::for_new(body.into_inner().into()).map_err(ApiError::Invalid)?;
    let room = db
        .run(move |c| rooms::insert(c, &change, db::now_millis()))
        .await?;
    Ok(HttpResponse::Created().json(RoomView::from(room)))
}

pub async fn list(
    _: Admin,
    db: web::Data<Db>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    let active = query.active;
    let all = db.run(move |c| rooms::list(c, active)).await?;
    Ok(HttpResponse::Ok().json(all.into_iter().map(RoomView::from).collect::<Vec<_>>()))
}

pub async fn get(
    _: Admin,
    db: web::Data<Db>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    found(db.run(move |c| rooms::get(c, id)).await?)
}

pub async fn update(
    _: Admin,
    db: web::Data<Db>,
    id: web::Path<i64>,
    body: web::Json<RoomBody>,
) -> Result<HttpResponse, ApiError> {
    let change = RoomChange::for_update(body.into_inner().into()).map_err(ApiError::Invalid)?;
    let id = id.into_inner();
    found(
        db.run(move |c| rooms::update(c, id, &change, db::now_millis()))
            .await?,
    )
}

pub async fn deactivate(
    _: Admin,
    db: web::Data<Db>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    found(
        db.run(move |c| rooms::deactivate(c, id, db::now_millis()))
            .await?,
    )
}
