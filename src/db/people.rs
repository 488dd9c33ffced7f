use super::schema::people::dsl as p;
use super::{on_backend, DbConn, DbError};
use crate::meetings::directory::{NewPerson, PersonChange};
use crate::meetings::stamp::Stamp;
use crate::meetings::PersonId;
use diesel::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct Person {
    pub id: PersonId,
    pub name: String,
    pub employee_no: String,
    pub department: String,
    pub openid: Option<String>,
    pub wecom_userid: Option<String>,
    pub is_admin: bool,
    pub active: bool,
    pub created_at: Stamp,
    pub updated_at: Stamp,
    pub oa_unfollowed_at: Option<Stamp>,
    /// May prepare meetings in the console (会务组) without being an admin.
    pub is_organizer: bool,
}

impl Person {
    /// Whether a directory search for `q` finds this person: by name or department (any
    /// part), or by exact employee number.
    pub fn matches(&self, q: &str) -> bool {
        self.name.contains(q)
            || self.employee_no.eq_ignore_ascii_case(q)
            || self.department.contains(q)
    }
}

#[derive(AsChangeset)]
#[diesel(table_name = super::schema::people)]
struct PersonChangeset<'a> {
    name: Option<&'a str>,
    employee_no: Option<&'a str>,
    department: Option<&'a str>,
    openid: Option<Option<&'a str>>,
    wecom_userid: Option<Option<&'a str>>,
    is_admin: Option<bool>,
    is_organizer: Option<bool>,
    active: Option<bool>,
    updated_at: i64,
}

impl<'a> PersonChangeset<'a> {
    fn from(change: &'a PersonChange, now_ms: i64) -> Self {
        Self {
            name: change.name.as_deref(),
            employee_no: change.employee_no.as_deref(),
            department: change.department.as_deref(),
            openid: change.openid.as_ref().map(|o| o.as_deref()),
            wecom_userid: change.wecom_userid.as_ref().map(|o| o.as_deref()),
            is_admin: change.is_admin,
            is_organizer: change.is_organizer,
            active: None,
            updated_at: now_ms,
        }
    }
}

pub fn insert(conn: &mut DbConn, new: &NewPerson, now_ms: i64) -> Result<Person, DbError> {
    let row = (
        p::name.eq(&new.name),
        p::employee_no.eq(&new.employee_no),
        p::department.eq(&new.department),
        p::openid.eq(&new.openid),
        p::wecom_userid.eq(&new.wecom_userid),
        p::is_admin.eq(new.is_admin),
        p::is_organizer.eq(new.is_organizer),
        p::active.eq(true),
        p::created_at.eq(now_ms),
        p::updated_at.eq(now_ms),
    );
    let id: PersonId = on_backend!(conn, |c| diesel::insert_into(p::people)
        .values(row)
        .returning(p::id)
        .get_result(c))?;
    get(conn, id)?.ok_or(DbError::Query(diesel::result::Error::NotFound))
}

pub fn get(conn: &mut DbConn, id: PersonId) -> Result<Option<Person>, DbError> {
    Ok(on_backend!(conn, |c| p::people
        .find(id)
        .first(c)
        .optional())?)
}

/// The name of a person another row refers to. People are deactivated, never deleted, so a
/// reference to nobody is a damaged row, not an empty name.
pub fn name(conn: &mut DbConn, id: PersonId) -> Result<String, DbError> {
    get(conn, id)?
        .map(|p| p.name)
        .ok_or_else(|| DbError::Corrupt(format!("a row refers to person {id}, who does not exist")))
}

pub fn list(conn: &mut DbConn, active: Option<bool>) -> Result<Vec<Person>, DbError> {
    Ok(on_backend!(conn, |c| {
        let mut q = p::people.order(p::id.asc()).into_boxed();
        if let Some(active) = active {
            q = q.filter(p::active.eq(active));
        }
        q.load(c)
    })?)
}

/// Applies the given fields; `None` when there is no such person.
pub fn update(
    conn: &mut DbConn,
    id: PersonId,
    change: &PersonChange,
    now_ms: i64,
) -> Result<Option<Person>, DbError> {
    let changeset = PersonChangeset::from(change, now_ms);
    let updated = on_backend!(conn, |c| diesel::update(p::people.find(id))
        .set(&changeset)
        .execute(c))?;
    if updated == 0 {
        return Ok(None);
    }
    get(conn, id)
}

pub fn deactivate(conn: &mut DbConn, id: PersonId, now_ms: i64) -> Result<Option<Person>, DbError> {
    let updated = on_backend!(conn, |c| diesel::update(p::people.find(id))
        .set((p::active.eq(false), p::updated_at.eq(now_ms)))
        .execute(c))?;
    if updated == 0 {
        return Ok(None);
    }
    get(conn, id)
}

/// Who sent a message: the active person with this Official Account openid.
pub fn by_openid(conn: &mut DbConn, openid: &str) -> Result<Option<Person>, DbError> {
    Ok(on_backend!(conn, |c| p::people
        .filter(p::openid.eq(openid))
        .filter(p::active.eq(true))
        .first(c)
        .optional())?)
}

/// Who sent a message: the active person with this WeCom userid.
pub fn by_wecom_userid(conn: &mut DbConn, userid: &str) -> Result<Option<Person>, DbError> {
    Ok(on_backend!(conn, |c| p::people
        .filter(p::wecom_userid.eq(userid))
        .filter(p::active.eq(true))
        .first(c)
        .optional())?)
}

pub fn by_employee_no(conn: &mut DbConn, employee_no: &str) -> Result<Option<Person>, DbError> {
    Ok(on_backend!(conn, |c| p::people
        .filter(p::employee_no.eq(employee_no))
        .filter(p::active.eq(true))
        .first(c)
        .optional())?)
}

/// The people with these ids (active or not), by id, in one query.
pub fn by_ids(
    conn: &mut DbConn,
    ids: &[PersonId],
) -> Result<std::collections::HashMap<PersonId, Person>, DbError> {
    let found: Vec<Person> = on_backend!(conn, |c| p::people.filter(p::id.eq_any(ids)).load(c))?;
    let found: std::collections::HashMap<PersonId, Person> =
        found.into_iter().map(|p| (p.id, p)).collect();
    // The ids come from rows that refer to people, who are never deleted: one found nowhere
    // is a damaged row, not someone without a name.
    if let Some(missing) = ids.iter().find(|id| !found.contains_key(id)) {
        return Err(DbError::Corrupt(format!(
            "a row refers to person {missing}, who does not exist"
        )));
    }
    Ok(found)
}

/// Active people with exactly this name (names are not unique).
pub fn by_name(conn: &mut DbConn, name: &str) -> Result<Vec<Person>, DbError> {
    Ok(on_backend!(conn, |c| p::people
        .filter(p::name.eq(name))
        .filter(p::active.eq(true))
        .limit(5)
        .load(c))?)
}

/// Links an openid to a person who has none yet; false when someone got there first.
pub fn bind_openid(
    conn: &mut DbConn,
    id: PersonId,
    openid: &str,
    now_ms: i64,
) -> Result<bool, DbError> {
    let updated = on_backend!(conn, |c| diesel::update(
        p::people.find(id).filter(p::openid.is_null())
    )
    .set((
        p::openid.eq(openid),
        p::oa_unfollowed_at.eq(None::<i64>),
        p::updated_at.eq(now_ms),
    ))
    .execute(c))?;
    Ok(updated == 1)
}

/// Records an unfollow (Some) or a renewed follow (None) of the Official Account.
pub fn set_unfollowed(
    conn: &mut DbConn,
    openid: &str,
    at: Option<i64>,
    now_ms: i64,
) -> Result<(), DbError> {
    on_backend!(conn, |c| diesel::update(
        p::people.filter(p::openid.eq(openid))
    )
    .set((p::oa_unfollowed_at.eq(at), p::updated_at.eq(now_ms)))
    .execute(c))?;
    Ok(())
}
