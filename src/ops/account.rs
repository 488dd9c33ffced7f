//! Linking an Official Account follower (an openid) to a person in the directory: by chat
//! (`绑定 工号`) or by the pages' bind form; and who may use the organizer console.

use super::{Actor, OpsError};
use crate::db::people::{self, Person};
use crate::db::DbConn;
use crate::meetings::PersonId;

/// Binds `openid` to the person with `employee_no`, unless that person is bound to another
/// openid already.
pub fn bind(
    c: &mut DbConn,
    now_ms: i64,
    openid: &str,
    employee_no: &str,
) -> Result<Person, OpsError> {
    let person = people::by_employee_no(c, employee_no)?
        .filter(|p| p.active)
        .ok_or(OpsError::PersonNotFound)?;
    match person.openid.as_deref() {
        Some(bound) if bound == openid => return Err(OpsError::AlreadyBound(person.name)),
        Some(_) => return Err(OpsError::EmployeeNoTaken),
        None => {}
    }
    if !people::bind_openid(c, person.id, openid, now_ms)? {
        return Err(OpsError::EmployeeNoTaken);
    }
    tracing::info!(person_id = %person.id, "openid bound");
    Ok(person)
}

/// The console actor for a signed-in person, as the directory says now: an active admin or
/// organizer. Asked on every console request, so a flag taken away takes effect at once.
pub fn staff(c: &mut DbConn, person_id: PersonId) -> Result<(Person, Actor), OpsError> {
    let person = people::get(c, person_id)?
        .filter(|p| p.active && (p.is_admin || p.is_organizer))
        .ok_or(OpsError::NotStaff)?;
    let actor = Actor::Staff {
        person: person.id,
        admin: person.is_admin,
    };
    Ok((person, actor))
}
