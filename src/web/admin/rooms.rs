use super::auth::Admin;
use super::crud::{self, Resource};
use super::error::{ApiError, ErrorBody};
use super::rfc3339;
use crate::db::Db;
use crate::db::{rooms, DbConn, DbError};
use crate::meetings::directory::{FieldError, NewRoom, RoomChange, RoomFields};
use crate::meetings::RoomId;
use crate::ops::{records, Actor, OpsError};
use crate::web::admin::field_rules::{self as field, FieldRules};
use actix_web::{get, patch, post};
use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoomBody {
    name: Option<String>,
    location: Option<String>,
    capacity: Option<i64>,
    equipment: Option<Vec<String>>,
}

impl FieldRules for RoomBody {
    fn field_rules() -> Vec<(&'static str, serde_json::Value)> {
        vec![
            ("location", field::one_line()),
            ("equipment", field::each_one_line()),
            ("name", field::person_name()),
            (
                "capacity",
                serde_json::json!({"minimum": 1, "maximum": 10000}),
            ),
        ]
    }
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

#[derive(Serialize, utoipa::ToSchema)]
pub struct RoomView {
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
            id: r.id.get(),
            name: r.name,
            location: r.location,
            capacity: r.capacity,
            active: r.active,
            created_at: rfc3339(r.created_at),
            updated_at: rfc3339(r.updated_at),
        }
    }
}

/// People or rooms as the generic directory handlers see them.
pub struct Rooms;

impl Resource for Rooms {
    const NAME: &'static str = "room";
    type Body = RoomBody;
    type New = NewRoom;
    type Change = RoomChange;
    type Row = rooms::Room;
    type Id = RoomId;
    type View = RoomView;

    fn for_new(body: RoomBody) -> Result<NewRoom, Vec<FieldError>> {
        NewRoom::parse(body.into())
    }

    fn for_update(body: RoomBody) -> Result<RoomChange, Vec<FieldError>> {
        RoomChange::for_update(body.into())
    }

    fn insert(c: &mut DbConn, new: &NewRoom, now_ms: i64) -> Result<rooms::Room, OpsError> {
        records::create_room(c, now_ms, Actor::Admin, new)
    }

    fn get(c: &mut DbConn, id: RoomId) -> Result<Option<rooms::Room>, DbError> {
        rooms::get(c, id)
    }

    fn list(c: &mut DbConn, active: Option<bool>) -> Result<Vec<rooms::Room>, DbError> {
        rooms::list(c, active)
    }

    fn matches(r: &rooms::Room, q: &str) -> bool {
        r.matches(q)
    }

    fn update(
        c: &mut DbConn,
        id: RoomId,
        change: &RoomChange,
        now_ms: i64,
    ) -> Result<Option<rooms::Room>, OpsError> {
        records::update_room(c, now_ms, Actor::Admin, id, change)
    }

    fn deactivate(
        c: &mut DbConn,
        id: RoomId,
        now_ms: i64,
    ) -> Result<Option<rooms::Room>, OpsError> {
        records::deactivate_room(c, now_ms, Actor::Admin, id)
    }
}
crud::routes!(
    Rooms,
    RoomBody,
    RoomView,
    tag = "rooms",
    collection = "/rooms",
    item = "/rooms/{id}",
    deactivate = post "/rooms/{id}/deactivate"
);
