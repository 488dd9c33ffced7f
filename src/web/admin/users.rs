use super::auth::Admin;
use super::error::ApiError;
use super::{millis_to_rfc3339, ListQuery};
use crate::db::{self, people, Db};
use crate::meetings::directory::{PersonChange, PersonFields};
use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};

#[derive(Deserialize)]
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

#[derive(Serialize)]
struct PersonView {
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

fn found(person: Option<people::Person>) -> Result<HttpResponse, ApiError> {
    let person = person.ok_or(ApiError::NotFound("user"))?;
    Ok(HttpResponse::Ok().json(PersonView::from(person)))
}

pub async fn create(
    _: Admin,
    db: web::Data<Db>,
    body: web::Json<PersonBody>,
) -> Result<HttpResponse, ApiError> {
    let change = PersonChange::for_new(body.into_inner().into()).map_err(ApiError::Invalid)?;
    let person = db
        .run(move |c| people::insert(c, &change, db::now_millis()))
        .await?;
    Ok(HttpResponse::Created().json(PersonView::from(person)))
}

pub async fn list(
    _: Admin,
    db: web::Data<Db>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    let active = query.active;
    let all = db.run(move |c| people::list(c, active)).await?;
    Ok(HttpResponse::Ok().json(all.into_iter().map(PersonView::from).collect::<Vec<_>>()))
}

pub async fn get(
    _: Admin,
    db: web::Data<Db>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    found(db.run(move |c| people::get(c, id)).await?)
}

pub async fn update(
    _: Admin,
    db: web::Data<Db>,
    id: web::Path<i64>,
    body: web::Json<PersonBody>,
) -> Result<HttpResponse, ApiError> {
    let change = PersonChange::for_update(body.into_inner().into()).map_err(ApiError::Invalid)?;
    let id = id.into_inner();
    found(
        db.run(move |c| people::update(c, id, &change, db::now_millis()))
            .await?,
    )
}

pub async fn deactivate(
    _: Admin,
    db: web::Data<Db>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    found(
        db.run(move |c| people::deactivate(c, id, db::now_millis()))
            .await?,
    )
}
