//! Linking an Official Account follower to a person in the directory.

use super::super::error::BotError;
use crate::db::people::{self, Person};
use crate::db::DbConn;

/// Binds `openid` to the person with `employee_no`, unless that person is bound to another
/// openid already.
pub fn bind(
    c: &mut DbConn,
    now_ms: i64,
    openid: &str,
    employee_no: &str,
) -> Result<Person, BotError> {
    let person = people::by_employee_no(c, employee_no)?
        .ok_or_else(|| BotError::PersonNotFound(employee_no.to_owned()))?;
    match person.openid.as_deref() {
        Some(bound) if bound == openid => return Err(BotError::AlreadyBound(person.name)),
        Some(_) => return Err(BotError::EmployeeNoTaken),
        None => {}
    }
    if !people::bind_openid(c, person.id, openid, now_ms)? {
        return Err(BotError::EmployeeNoTaken);
    }
    Ok(person)
}
