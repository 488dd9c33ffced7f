//! People and rooms named on the form, looked up: 姓名（工号）, an employee number, or a name only
//! one active person has.

use super::form::{said_number, MeetingForm, Named};
use crate::db::people::Person;
use crate::db::rooms::{self};
use crate::db::DbConn;
use crate::meetings::RoomId;
use crate::ops::{self, OpsError};

/// How the form shows a person, and what the browser suggests: 姓名（工号）, read back as the
/// employee number, so two people of one name stay apart.
pub(in crate::web::pages::console) fn shown(p: &Person) -> String {
    format!("{}（{}）", p.name, p.employee_no)
}

/// One person named on the form: 姓名（工号）, an employee number, or a name only one active
/// person has.
pub(in crate::web::pages::console) fn person(
    c: &mut DbConn,
    said: &str,
) -> Result<Result<Person, String>, OpsError> {
    match ops::directory::find_person(c, said_number(said)) {
        Ok(p) => Ok(Ok(p)),
        Err(e @ (OpsError::PersonUnknown { .. } | OpsError::PersonAmbiguous(_))) => {
            Ok(Err(crate::web::pages::error::refusal_zh(&e)))
        }
        Err(e) => Err(e),
    }
}

/// Looks up everyone and the room the form names.
pub(super) fn named(c: &mut DbConn, f: &MeetingForm) -> Result<Named, OpsError> {
    let mut named = Named::default();
    for said in f.people_named() {
        if !named.people.contains_key(said) {
            let found = person(c, said)?.map(|p| p.id);
            named.people.insert(said.to_owned(), found);
        }
    }
    named.room = match f.room_id.trim().parse::<RoomId>() {
        Ok(id) => rooms::get(c, id)?.filter(|r| r.active).map(|r| r.id),
        Err(_) => None,
    };
    Ok(named)
}
