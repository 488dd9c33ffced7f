//! `POST /users/{id}/bind-code`: a one-time code with which an Official Account follower
//! binds to this person (`绑定 工号 绑定码`); `POST /users/bind-codes`: fresh codes for everyone
//! not bound yet, for a roll-out. Codes are shown once: only their hashes are kept.

use super::auth::Admin;
use super::env::Now;
use super::error::{ApiError, ErrorBody};
use super::rfc3339_ms;
use crate::db::people::Person;
use crate::db::Db;
use crate::meetings::PersonId;
use crate::ops::{self, account, Actor};
use actix_web::{post, web};
use serde::Serialize;

#[derive(Serialize, utoipa::ToSchema)]
pub struct BindCodeView {
    user_id: i64,
    name: String,
    employee_no: String,
    /// Shown once; an earlier unused code of this person stops working.
    code: String,
    expires_at: String,
}

fn view((person, code, expires): (Person, String, i64)) -> Result<BindCodeView, ApiError> {
    Ok(BindCodeView {
        user_id: person.id.get(),
        name: person.name,
        employee_no: person.employee_no,
        code,
        expires_at: rfc3339_ms(expires)?,
    })
}

#[utoipa::path(operation_id = "bind_codes_issue", tag = "users", params(("id" = i64, Path, description = "user id")), responses((status = 200, description = "the new code (valid 7 days, single use)", body = BindCodeView), (status = 404, description = "no such active user", body = ErrorBody), (status = 409, description = "the user is bound to WeChat already", body = ErrorBody)), security(("bearer" = [])))]
#[post("/users/{id}/bind-code")]
pub async fn issue(
    _: Admin,
    now: Now,
    db: web::Data<Db>,
    id: web::Path<PersonId>,
) -> Result<web::Json<BindCodeView>, ApiError> {
    let id = id.into_inner();
    let issued = ops::run(&db, move |c| {
        account::issue_bind_code(c, now.ms(), Actor::Admin, id)
    })
    .await?;
    Ok(web::Json(view(issued)?))
}

#[utoipa::path(operation_id = "bind_codes_issue_all", tag = "users", responses((status = 200, description = "a new code for every active user not bound to WeChat yet", body = [BindCodeView])), security(("bearer" = [])))]
#[post("/users/bind-codes")]
pub async fn issue_all(
    _: Admin,
    now: Now,
    db: web::Data<Db>,
) -> Result<web::Json<Vec<BindCodeView>>, ApiError> {
    let issued = ops::run(&db, move |c| {
        account::issue_bind_codes(c, now.ms(), Actor::Admin)
    })
    .await?;
    Ok(web::Json(
        issued.into_iter().map(view).collect::<Result<_, _>>()?,
    ))
}
