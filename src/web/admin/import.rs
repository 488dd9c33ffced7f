//! `POST /api/v1/users/import[?dry_run=true]`: people from CSV (UTF-8 or GBK, English or
//! Chinese headers), each row creating a person or updating the one with its employee number,
//! and reported on its own.

use super::auth::Admin;
use super::env::OpsEnv;
use super::error::{ApiError, ErrorBody};
use crate::db::Db;
use crate::meetings::directory::FieldError;
use crate::meetings::people_csv::{self, CsvError};
use crate::meetings::PersonId;
use crate::ops::directory::{self, RowOutcome};
use crate::ops::{self, Actor};
use actix_web::post;
use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};

pub use people_csv::MAX_CSV_BYTES;

#[derive(Serialize, utoipa::ToSchema)]
#[serde(tag = "status", rename_all = "snake_case")]
enum RowView {
    /// `id` is absent in a dry run.
    Created {
        row: u64,
        #[serde(skip_serializing_if = "Option::is_none")]
        id: Option<i64>,
    },
    Updated {
        row: u64,
        id: i64,
        /// The fields that changed.
        changed: Vec<String>,
    },
    Unchanged {
        row: u64,
        id: i64,
    },
    Invalid {
        row: u64,
        #[schema(value_type = Vec<Object>)]
        errors: Vec<FieldError>,
    },
    Conflict {
        row: u64,
        message: String,
    },
}

impl From<RowOutcome> for RowView {
    fn from(o: RowOutcome) -> Self {
        match o {
            RowOutcome::Created { row, id } => RowView::Created {
                row,
                id: id.map(PersonId::get),
            },
            RowOutcome::Updated { row, id, changed } => RowView::Updated {
                row,
                id: id.get(),
                changed: changed.into_iter().map(str::to_owned).collect(),
            },
            RowOutcome::Unchanged { row, id } => RowView::Unchanged { row, id: id.get() },
            RowOutcome::Invalid { row, errors } => RowView::Invalid { row, errors },
            RowOutcome::Conflict { row, message } => RowView::Conflict { row, message },
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
struct ImportReport {
    /// Nothing was kept: the report says what an import would do.
    dry_run: bool,
    created: usize,
    updated: usize,
    unchanged: usize,
    failed: usize,
    rows: Vec<RowView>,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ImportQuery {
    /// Report what would change without changing anything.
    dry_run: Option<bool>,
}

impl From<CsvError> for ApiError {
    fn from(e: CsvError) -> Self {
        ApiError::BadCsv(e.to_string())
    }
}

/// Columns by header (English or Chinese): name/姓名 and employee_no/工号 (required),
/// department/部门, openid, wecom_userid/企业微信, is_admin/管理员, is_organizer/会务组.
#[utoipa::path(operation_id = "import_import_users", tag = "users", params(ImportQuery), request_body(content = String, content_type = "text/csv", description = "UTF-8 (with or without BOM) or GBK; header name,employee_no,department,openid,wecom_userid,is_admin,is_organizer or 姓名,工号,部门,openid,企业微信,管理员,会务组 (the last five optional). A known employee number updates that person."), responses((status = 200, body = ImportReport), (status = 401, description = "no valid admin token", body = ErrorBody), (status = 422, description = "the CSV cannot be read (empty, too large, neither UTF-8 nor GBK, malformed), or its header row does not name the name and employee_no columns (rows with bad fields are reported in the 200 answer, row by row)", body = ErrorBody)), security(("bearer" = [])))]
#[post("/users/import")]
pub async fn import_users(
    _: Admin,
    OpsEnv(env): OpsEnv,
    db: web::Data<Db>,
    query: web::Query<ImportQuery>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let dry_run = query.dry_run.unwrap_or(false);
    let people = people_csv::parse(&people_csv::decode(&body)?)?;
    let outcomes = ops::run(&db, move |c| {
        directory::import(c, &env, Actor::Admin, people, dry_run)
    })
    .await?;
    let count = |f: fn(&RowOutcome) -> bool| outcomes.iter().filter(|o| f(o)).count();
    let created = count(|o| matches!(o, RowOutcome::Created { .. }));
    let updated = count(|o| matches!(o, RowOutcome::Updated { .. }));
    let unchanged = count(|o| matches!(o, RowOutcome::Unchanged { .. }));
    Ok(HttpResponse::Ok().json(ImportReport {
        dry_run,
        created,
        updated,
        unchanged,
        failed: outcomes.len() - created - updated - unchanged,
        rows: outcomes.into_iter().map(RowView::from).collect(),
    }))
}
