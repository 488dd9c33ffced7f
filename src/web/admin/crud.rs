//! The create / list / get / update / deactivate handlers every directory resource shares:
//! a resource says how its input is checked and stored, the handlers do the rest.

use super::auth::Admin;
use super::body::Body;
use super::env::Now;
use super::error::ApiError;
use crate::db::{Db, DbConn, DbError};
use crate::meetings::directory::FieldError;
use crate::ops::OpsError;
use actix_web::{web, HttpResponse};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

pub trait Resource: 'static {
    /// For "… not found".
    const NAME: &'static str;
    /// The JSON body, as submitted.
    type Body: DeserializeOwned;
    /// A checked new row, ready to store.
    type New: Send + 'static;
    /// A checked change, ready to store.
    type Change: Send + 'static;
    type Row: Send + 'static;
    /// The id its paths carry; one that cannot exist reads as an unknown one.
    type Id: TryFrom<i64> + Copy + Send + 'static;
    /// What the API shows.
    type View: Serialize + From<Self::Row>;

    fn for_new(body: Self::Body) -> Result<Self::New, Vec<FieldError>>;
    fn for_update(body: Self::Body) -> Result<Self::Change, Vec<FieldError>>;
    /// The changes go through the operations layer, which audits them.
    fn insert(c: &mut DbConn, new: &Self::New, now_ms: i64) -> Result<Self::Row, OpsError>;
    fn get(c: &mut DbConn, id: Self::Id) -> Result<Option<Self::Row>, DbError>;
    fn list(c: &mut DbConn, active: Option<bool>) -> Result<Vec<Self::Row>, DbError>;
    /// Whether a row is found by the search text `q` (already trimmed, not empty).
    fn matches(row: &Self::Row, q: &str) -> bool;
    fn update(
        c: &mut DbConn,
        id: Self::Id,
        change: &Self::Change,
        now_ms: i64,
    ) -> Result<Option<Self::Row>, OpsError>;
    fn deactivate(c: &mut DbConn, id: Self::Id, now_ms: i64)
        -> Result<Option<Self::Row>, OpsError>;
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    active: Option<bool>,
    /// Search text: people by name, exact employee number or department; rooms by name or
    /// location.
    q: Option<String>,
    /// Rows to skip (with `limit`, pages through the list).
    #[param(minimum = 0, maximum = 1000000)]
    offset: Option<u32>,
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<u32>,
}

fn found<R: Resource>(row: Option<R::Row>) -> Result<HttpResponse, ApiError> {
    let row = row.ok_or(ApiError::NotFound(R::NAME))?;
    Ok(HttpResponse::Ok().json(R::View::from(row)))
}

pub async fn create<R: Resource>(
    _: Admin,
    now: Now,
    db: web::Data<Db>,
    body: Body<R::Body>,
) -> Result<HttpResponse, ApiError> {
    let change = R::for_new(body.into_inner()).map_err(ApiError::Invalid)?;
    let row = crate::ops::run(&db, move |c| R::insert(c, &change, now.ms())).await?;
    Ok(HttpResponse::Created().json(R::View::from(row)))
}

pub async fn list<R: Resource>(
    _: Admin,
    db: web::Data<Db>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    let ListQuery {
        active,
        q,
        offset,
        limit,
    } = query.into_inner();
    if limit.is_some_and(|l| !(1..=1000).contains(&l)) {
        return Err(ApiError::BadQuery("limit must be from 1 to 1000".into()));
    }
    if offset.is_some_and(|o| o > 1_000_000) {
        return Err(ApiError::BadQuery(
            "offset must be from 0 to 1000000".into(),
        ));
    }
    if q.as_deref().is_some_and(|q| q.contains('\0')) {
        return Err(ApiError::BadQuery("q contains a NUL character".into()));
    }
    let q = q.map(|q| q.trim().to_owned()).filter(|q| !q.is_empty());
    let rows = db.run(move |c| R::list(c, active)).await?;
    let total = rows.len();
    let found: Vec<R::View> = rows
        .into_iter()
        .filter(|row| q.as_deref().is_none_or(|q| R::matches(row, q)))
        .skip(offset.unwrap_or(0) as usize)
        .take(limit.map_or(usize::MAX, |l| l as usize))
        .map(R::View::from)
        .collect();
    tracing::debug!(total, shown = found.len(), "directory listed");
    Ok(HttpResponse::Ok().json(found))
}

pub async fn get<R: Resource>(
    _: Admin,
    db: web::Data<Db>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id_of::<R>(id.into_inner())?;
    found::<R>(db.run(move |c| R::get(c, id)).await?)
}

pub async fn update<R: Resource>(
    _: Admin,
    now: Now,
    db: web::Data<Db>,
    id: web::Path<i64>,
    body: Body<R::Body>,
) -> Result<HttpResponse, ApiError> {
    let id = id_of::<R>(id.into_inner())?;
    let change = R::for_update(body.into_inner()).map_err(ApiError::Invalid)?;
    found::<R>(crate::ops::run(&db, move |c| R::update(c, id, &change, now.ms())).await?)
}

pub async fn deactivate<R: Resource>(
    _: Admin,
    now: Now,
    db: web::Data<Db>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id_of::<R>(id.into_inner())?;
    found::<R>(crate::ops::run(&db, move |c| R::deactivate(c, id, now.ms())).await?)
}

fn id_of<R: Resource>(raw: i64) -> Result<R::Id, ApiError> {
    R::Id::try_from(raw).map_err(|_| ApiError::NotFound(R::NAME))
}

/// The five routes of a directory resource: the shared handlers above, typed for `$resource`
/// and described for the OpenAPI document (utoipa cannot describe a generic handler).
macro_rules! routes {
    ($resource:ty, $body:ty, $view:ty, tag = $tag:literal, collection = $col:literal,
     item = $item:literal, deactivate = $dmethod:ident $dpath:literal) => {
        #[utoipa::path(operation_id = concat!($tag, "_create"), tag = $tag, request_body = $body,
                    responses((status = 201, body = $view), (status = 401, body = ErrorBody),
                              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
                    security(("bearer" = [])))]
        #[post($col)]
        pub async fn create(
            a: Admin,
            now: $crate::web::admin::env::Now,
            db: web::Data<Db>,
            body: $crate::web::admin::body::Body<$body>,
        ) -> Result<HttpResponse, ApiError> {
            crud::create::<$resource>(a, now, db, body).await
        }

        #[utoipa::path(operation_id = concat!($tag, "_list"), tag = $tag, params(crud::ListQuery),
                    responses((status = 200, body = Vec<$view>), (status = 401, body = ErrorBody)),
                    security(("bearer" = [])))]
        #[get($col)]
        pub async fn list(
            a: Admin,
            db: web::Data<Db>,
            q: web::Query<crud::ListQuery>,
        ) -> Result<HttpResponse, ApiError> {
            crud::list::<$resource>(a, db, q).await
        }

        #[utoipa::path(operation_id = concat!($tag, "_get"), tag = $tag, params(("id" = i64, Path)),
                    responses((status = 200, body = $view), (status = 401, body = ErrorBody),
                              (status = 404, body = ErrorBody)),
                    security(("bearer" = [])))]
        #[get($item)]
        pub async fn get(
            a: Admin,
            db: web::Data<Db>,
            id: web::Path<i64>,
        ) -> Result<HttpResponse, ApiError> {
            crud::get::<$resource>(a, db, id).await
        }

        #[utoipa::path(operation_id = concat!($tag, "_update"), tag = $tag, params(("id" = i64, Path)),
                    request_body = $body,
                    responses((status = 200, body = $view), (status = 401, body = ErrorBody),
                              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
                              (status = 422, body = ErrorBody)),
                    security(("bearer" = [])))]
        #[patch($item)]
        pub async fn update(
            a: Admin,
            now: $crate::web::admin::env::Now,
            db: web::Data<Db>,
            id: web::Path<i64>,
            body: $crate::web::admin::body::Body<$body>,
        ) -> Result<HttpResponse, ApiError> {
            crud::update::<$resource>(a, now, db, id, body).await
        }

        #[utoipa::path(operation_id = concat!($tag, "_deactivate"), tag = $tag, params(("id" = i64, Path)),
                    responses((status = 200, body = $view), (status = 401, body = ErrorBody),
                              (status = 404, body = ErrorBody)),
                    security(("bearer" = [])))]
        #[$dmethod($dpath)]
        pub async fn deactivate(
            a: Admin,
            now: $crate::web::admin::env::Now,
            db: web::Data<Db>,
            id: web::Path<i64>,
        ) -> Result<HttpResponse, ApiError> {
            crud::deactivate::<$resource>(a, now, db, id).await
        }
    };
}
pub(super) use routes;
