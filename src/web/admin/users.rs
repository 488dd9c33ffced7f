use super::auth::Admin;
use super::crud::{self, Resource};
use super::error::{ApiError, ErrorBody};
use super::rfc3339;
use crate::db::Db;
use crate::db::{people, DbConn, DbError};
use crate::meetings::directory::{FieldError, NewPerson, PersonChange, PersonFields};
use crate::meetings::PersonId;
use crate::ops::{records, Actor, OpsError};
use crate::web::admin::field_rules::{self as field, FieldRules};
use actix_web::{get, patch, post};
use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonBody {
    name: Option<String>,
    employee_no: Option<String>,
    department: Option<String>,
    openid: Option<String>,
    wecom_userid: Option<String>,
    is_admin: Option<bool>,
    /// May prepare meetings in the console (会务组) without being an admin.
    is_organizer: Option<bool>,
}

impl FieldRules for PersonBody {
    fn field_rules() -> Vec<(&'static str, serde_json::Value)> {
        vec![
            ("name", field::person_name()),
            ("department", field::one_line()),
            (
                "employee_no",
                serde_json::json!({"pattern": "^[A-Za-z0-9-]{1,32}$"}),
            ),
            ("openid", field::account_id()),
            ("wecom_userid", field::account_id()),
        ]
    }
}

impl From<PersonBody> for PersonFields {
    fn from(b: PersonBody) -> Self {
        PersonFields {
            name: b.name,
            employee_no: b.employee_no,
            department: b.department,
            openid: b.openid,
            wecom_userid: b.wecom_userid,
            is_admin: b.is_admin,
            is_organizer: b.is_organizer,
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct PersonView {
    id: i64,
    name: String,
    employee_no: String,
    department: String,
    openid: Option<String>,
    wecom_userid: Option<String>,
    is_admin: bool,
    is_organizer: bool,
    active: bool,
    created_at: String,
    updated_at: String,
}

impl From<people::Person> for PersonView {
    fn from(p: people::Person) -> Self {
        PersonView {
            id: p.id.get(),
            name: p.name,
            employee_no: p.employee_no,
            department: p.department,
            openid: p.openid,
            wecom_userid: p.wecom_userid,
            is_admin: p.is_admin,
            is_organizer: p.is_organizer,
            active: p.active,
            created_at: rfc3339(p.created_at),
            updated_at: rfc3339(p.updated_at),
        }
    }
}

/// People or rooms as the generic directory handlers see them.
pub struct Users;

impl Resource for Users {
    const NAME: &'static str = "user";
    type Body = PersonBody;
    type New = NewPerson;
    type Change = PersonChange;
    type Row = people::Person;
    type Id = PersonId;
    type View = PersonView;

    fn for_new(body: PersonBody) -> Result<NewPerson, Vec<FieldError>> {
        NewPerson::parse(body.into())
    }

    fn for_update(body: PersonBody) -> Result<PersonChange, Vec<FieldError>> {
        PersonChange::for_update(body.into())
    }

    fn insert(c: &mut DbConn, new: &NewPerson, now_ms: i64) -> Result<people::Person, OpsError> {
        records::create_person(c, now_ms, Actor::Admin, new)
    }

    fn get(c: &mut DbConn, id: PersonId) -> Result<Option<people::Person>, DbError> {
        people::get(c, id)
    }

    fn list(c: &mut DbConn, active: Option<bool>) -> Result<Vec<people::Person>, DbError> {
        people::list(c, active)
    }

    fn matches(p: &people::Person, q: &str) -> bool {
        p.matches(q)
    }

    fn update(
        c: &mut DbConn,
        id: PersonId,
        change: &PersonChange,
        now_ms: i64,
    ) -> Result<Option<people::Person>, OpsError> {
        records::update_person(c, now_ms, Actor::Admin, id, change)
    }

    fn deactivate(
        c: &mut DbConn,
        id: PersonId,
        now_ms: i64,
    ) -> Result<Option<people::Person>, OpsError> {
        records::deactivate_person(c, now_ms, Actor::Admin, id)
    }
}

crud::routes!(
    Users,
    PersonBody,
    PersonView,
    tag = "users",
    collection = "/users",
    item = "/users/{id}",
    deactivate = post "/users/{id}/deactivate"
);
