use super::schema::rooms::dsl as r;
use super::{on_backend, DbConn, DbError};
use crate::meetings::directory::{NewRoom, RoomChange};
use crate::meetings::stamp::Stamp;
use crate::meetings::RoomId;
use diesel::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct Room {
    pub id: RoomId,
    pub name: String,
    pub location: String,
    pub capacity: i32,
    /// Stored as a JSON array of strings; a damaged one is a corrupt row, not "no equipment".
    #[diesel(deserialize_as = String)]
    pub equipment: crate::meetings::schedule::EquipmentNeeds,
    pub active: bool,
    pub created_at: Stamp,
    pub updated_at: Stamp,
}

impl Room {
    pub fn equipment_list(&self) -> Vec<String> {
        self.equipment.items().to_vec()
    }

    /// Whether a search for `q` finds this room: by name or location (any part).
    pub fn matches(&self, q: &str) -> bool {
        self.name.contains(q) || self.location.contains(q)
    }
}

#[derive(AsChangeset)]
#[diesel(table_name = super::schema::rooms)]
struct RoomChangeset<'a> {
    name: Option<&'a str>,
    location: Option<&'a str>,
    capacity: Option<i32>,
    equipment: Option<String>,
    updated_at: i64,
}

fn equipment_json(items: &[String]) -> String {
    serde_json::to_string(items).unwrap_or_else(|_| "[]".to_owned())
}

pub fn insert(conn: &mut DbConn, new: &NewRoom, now_ms: i64) -> Result<Room, DbError> {
    let row = (
        r::name.eq(&new.name),
        r::location.eq(&new.location),
        r::capacity.eq(new.capacity),
        r::equipment.eq(equipment_json(&new.equipment)),
        r::active.eq(true),
        r::created_at.eq(now_ms),
        r::updated_at.eq(now_ms),
    );
    let id: RoomId = on_backend!(conn, |c| diesel::insert_into(r::rooms)
        .values(row.clone())
        .returning(r::id)
        .get_result(c))?;
    get(conn, id)?.ok_or(DbError::Query(diesel::result::Error::NotFound))
}

pub fn get(conn: &mut DbConn, id: RoomId) -> Result<Option<Room>, DbError> {
    Ok(on_backend!(conn, |c| r::rooms
        .find(id)
        .first(c)
        .optional())?)
}

pub fn list(conn: &mut DbConn, active: Option<bool>) -> Result<Vec<Room>, DbError> {
    Ok(on_backend!(conn, |c| {
        let mut q = r::rooms.order(r::name.asc()).into_boxed();
        if let Some(active) = active {
            q = q.filter(r::active.eq(active));
        }
        q.load(c)
    })?)
}

pub fn update(
    conn: &mut DbConn,
    id: RoomId,
    change: &RoomChange,
    now_ms: i64,
) -> Result<Option<Room>, DbError> {
    let changeset = RoomChangeset {
        name: change.name.as_deref(),
        location: change.location.as_deref(),
        capacity: change.capacity,
        equipment: change.equipment.as_deref().map(equipment_json),
        updated_at: now_ms,
    };
    let updated = on_backend!(conn, |c| diesel::update(r::rooms.find(id))
        .set(&changeset)
        .execute(c))?;
    if updated == 0 {
        return Ok(None);
    }
    get(conn, id)
}

pub fn deactivate(conn: &mut DbConn, id: RoomId, now_ms: i64) -> Result<Option<Room>, DbError> {
    let updated = on_backend!(conn, |c| diesel::update(r::rooms.find(id))
        .set((r::active.eq(false), r::updated_at.eq(now_ms)))
        .execute(c))?;
    if updated == 0 {
        return Ok(None);
    }
    get(conn, id)
}
