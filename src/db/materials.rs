//! A meeting's materials (title and link).

use super::schema::materials::dsl as mt;
use super::{on_backend, DbConn, DbError};
use crate::meetings::stamp::Stamp;
use crate::meetings::{MaterialId, MeetingId, PersonId};
use diesel::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct MaterialRow {
    pub id: MaterialId,
    pub meeting_id: MeetingId,
    pub title: String,
    pub url: String,
    pub created_at: Stamp,
}

pub fn add(
    conn: &mut DbConn,
    meeting_id: MeetingId,
    title: &str,
    url: &str,
    now_ms: i64,
) -> Result<MaterialId, DbError> {
    Ok(on_backend!(conn, |c| diesel::insert_into(mt::materials)
        .values((
            mt::meeting_id.eq(meeting_id),
            mt::title.eq(title),
            mt::url.eq(url),
            mt::created_at.eq(now_ms),
        ))
        .returning(mt::id)
        .get_result(c))?)
}

pub fn list(conn: &mut DbConn, meeting_id: MeetingId) -> Result<Vec<MaterialRow>, DbError> {
    Ok(on_backend!(conn, |c| mt::materials
        .filter(mt::meeting_id.eq(meeting_id))
        .order(mt::id)
        .load(c))?)
}

pub fn remove(conn: &mut DbConn, meeting_id: MeetingId, id: MaterialId) -> Result<bool, DbError> {
    let n = on_backend!(conn, |c| diesel::delete(
        mt::materials
            .filter(mt::id.eq(id))
            .filter(mt::meeting_id.eq(meeting_id))
    )
    .execute(c))?;
    Ok(n == 1)
}

pub fn get(conn: &mut DbConn, id: MaterialId) -> Result<Option<MaterialRow>, DbError> {
    Ok(on_backend!(conn, |c| mt::materials
        .find(id)
        .first(c)
        .optional())?)
}

/// Records that `person` opened the material (first time kept, count raised).
pub fn record_read(
    conn: &mut DbConn,
    material_id: MaterialId,
    person_id: PersonId,
    now_ms: i64,
) -> Result<(), DbError> {
    use super::schema::material_reads::dsl as r;
    on_backend!(conn, |c| {
        let updated = diesel::update(r::material_reads.find((material_id, person_id)))
            .set((r::last_at.eq(now_ms), r::opened.eq(r::opened + 1)))
            .execute(c)?;
        if updated == 0 {
            diesel::insert_into(r::material_reads)
                .values((
                    r::material_id.eq(material_id),
                    r::person_id.eq(person_id),
                    r::first_at.eq(now_ms),
                    r::last_at.eq(now_ms),
                    r::opened.eq(1),
                ))
                .execute(c)?;
        }
        Ok::<(), diesel::result::Error>(())
    })?;
    Ok(())
}

/// (material, person) for every read of a meeting's materials.
pub fn reads(
    conn: &mut DbConn,
    meeting_id: MeetingId,
) -> Result<Vec<(MaterialId, PersonId)>, DbError> {
    use super::schema::material_reads::dsl as r;
    let ids: Vec<i64> = list(conn, meeting_id)?
        .into_iter()
        .map(|m| m.id.get())
        .collect();
    Ok(on_backend!(conn, |c| r::material_reads
        .filter(r::material_id.eq_any(&ids))
        .select((r::material_id, r::person_id))
        .load(c))?)
}
