use super::auth::Admin;
use super::crud::{self, Resource};
use super::error::{ApiError, ErrorBody};
use super::millis_to_rfc3339;
use crate::db::Db;
use crate::db::{people, DbConn, DbError};
use crate::meetings::directory::{FieldError, PersonChange, PersonFields};
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
    active: bool,
    created_at: String,
    updated_at: String,
}

impl From<people::Person> for PersonView {
    fn from(p: people::Person) -> Self {
        PersonView {
            id: p.id,
            name: p.name,
            employee_no: p.employee_no,
            department: p.department,
            openid: p.openid,
            wecom_userid: p.wecom_userid,
            is_admin: p.is_admin,
            active: p.active,
            created_at: millis_to_rfc3339(p.created_at),
            updated_at: millis_to_rfc3339(p.updated_at),
        }
    }
}

/// People or rooms as the generic directory handlers see them.
pub struct Users;

impl Resource for Users {
    const NAME: &'static str = "user";
    type Body = PersonBody;
    type Change = PersonChange;
    type Row = people::Person;
    type View = PersonView;

    fn for_new(body: PersonBody) -> Result<PersonChange, Vec<FieldError>> {
        PersonChange::for_new(body.into())
    }

    fn for_update(body: PersonBody) -> Result<PersonChange, Vec<FieldError>> {
        PersonChange::for_update(body.into())
    }

    fn insert(
        c: &mut DbConn,
        change: &PersonChange,
        now_ms: i64,
    ) -> Result<people::Person, DbError> {
        people::insert(c, change, now_ms)
    }

    fn get(c: &mut DbConn, id: i64) -> Result<Option<people::Person>, DbError> {
        people::get(c, id)
    }

    fn list(c: &mut DbConn, active: Option<bool>) -> Result<Vec<people::Person>, DbError> {
        people::list(c, active)
    }

    fn update(
        c: &mut DbConn,
        id: i64,
        change: &PersonChange,
        now_ms: i64,
    ) -> Result<Option<people::Person>, DbError> {
        people::update(c, id, change, now_ms)
    }

    fn deactivate(c: &mut DbConn, id: i64, now_ms: i64) -> Result<Option<people::Person>, DbError> {
        people::deactivate(c, id, now_ms)
    }
}

// The routes: the shared handlers, typed for people (and described for the OpenAPI document).

#[utoipa::path(post, path = "/api/v1/users", tag = "users", request_body = PersonBody,
    responses((status = 201, body = PersonView), (status = 401, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn create(
    a: Admin,
    db: web::Data<Db>,
    body: web::Json<PersonBody>,
) -> Result<HttpResponse, ApiError> {
    crud::create::<Users>(a, db, body).await
}

#[utoipa::path(get, path = "/api/v1/users", tag = "users", params(crud::ListQuery),
    responses((status = 200, body = Vec<PersonView>), (status = 401, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn list(
    a: Admin,
    db: web::Data<Db>,
    q: web::Query<crud::ListQuery>,
) -> Result<HttpResponse, ApiError> {
    crud::list::<Users>(a, db, q).await
}

#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "users", params(("id" = i64, Path)),
    responses((status = 200, body = PersonView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn get(
    a: Admin,
    db: web::Data<Db>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    crud::get::<Users>(a, db, id).await
}

#[utoipa::path(patch, path = "/api/v1/users/{id}", tag = "users", params(("id" = i64, Path)), request_body = PersonBody,
    responses((status = 200, body = PersonView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn update(
    a: Admin,
    db: web::Data<Db>,
    id: web::Path<i64>,
    body: web::Json<PersonBody>,
) -> Result<HttpResponse, ApiError> {
    crud::update::<Users>(a, db, id, body).await
}

#[utoipa::path(post, path = "/api/v1/users/{id}/deactivate", tag = "users", params(("id" = i64, Path)),
    responses((status = 200, body = PersonView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn deactivate(
    a: Admin,
    db: web::Data<Db>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    crud::deactivate::<Users>(a, db, id).await
}
