//! `POST /api/v1/users/import`: people from CSV, each row created or reported on its own.

use super::auth::Admin;
use super::env::Now;
use super::error::{ApiError, ErrorBody};
use crate::db::{people, Db, DbError};
use crate::meetings::directory::{FieldError, PersonChange, PersonFields};
use actix_web::post;
use actix_web::{web, HttpResponse};
use diesel::Connection;
use serde::{Deserialize, Serialize};

/// Larger than the JSON default: a directory export of a few thousand people.
pub const MAX_CSV_BYTES: usize = 2 * 1024 * 1024;

#[derive(Deserialize)]
struct CsvRow {
    name: Option<String>,
    employee_no: Option<String>,
    department: Option<String>,
    openid: Option<String>,
    wecom_userid: Option<String>,
    is_admin: Option<String>,
    is_organizer: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
#[serde(tag = "status", rename_all = "snake_case")]
enum RowOutcome {
    Created {
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

#[derive(Serialize, utoipa::ToSchema)]
struct ImportReport {
    created: usize,
    failed: usize,
    rows: Vec<RowOutcome>,
}

fn parse_bool(
    raw: Option<String>,
    field: &'static str,
    errors: &mut Vec<FieldError>,
) -> Option<bool> {
    let raw = raw?;
    match raw.trim().to_ascii_lowercase().as_str() {
        "" => None,
        "true" | "yes" | "1" | "是" => Some(true),
        "false" | "no" | "0" | "否" => Some(false),
        _ => {
            errors.push(FieldError {
                field,
                message: "must be true or false".to_owned(),
            });
            None
        }
    }
}

fn blank_to_none(v: Option<String>) -> Option<String> {
    v.filter(|s| !s.trim().is_empty())
}

/// Columns by header: name, employee_no (required), department, openid, wecom_userid,
/// is_admin. Rows are numbered as records of the file, the header being row 1.
#[utoipa::path(operation_id = "import_import_users", tag = "users", request_body(content = String, content_type = "text/csv", description = "header name,employee_no,department,openid,wecom_userid,is_admin,is_organizer (the last five optional)"), responses((status = 200, body = ImportReport), (status = 401, description = "no valid admin token", body = ErrorBody), (status = 422, description = "the CSV cannot be read, or its header row does not name the name and employee_no columns (rows with bad fields are reported in the 200 answer, row by row)", body = ErrorBody)), security(("bearer" = [])))]
#[post("/users/import")]
pub async fn import_users(
    _: Admin,
    now: Now,
    db: web::Data<Db>,
    body: String,
) -> Result<HttpResponse, ApiError> {
    if body.trim().is_empty() {
        return Err(ApiError::BadCsv(
            "the body is empty: send a header row and a row per person".into(),
        ));
    }
    if let Some(line) = body.lines().position(|l| l.contains('\0')) {
        // No text column can store it (PostgreSQL refuses it outright).
        return Err(ApiError::BadCsv(format!(
            "row {} contains a NUL character",
            line + 1
        )));
    }
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(body.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| ApiError::BadCsv(e.to_string()))?;
    for required in ["name", "employee_no"] {
        if !headers.iter().any(|h| h == required) {
            return Err(ApiError::BadCsv(format!(
                "the header row has no {required} column (columns: name, employee_no, \
                 department, openid, wecom_userid, is_admin, is_organizer)"
            )));
        }
    }
    let mut checked = Vec::new();
    let mut rows = Vec::new();
    for record in reader.deserialize::<CsvRow>() {
        let record = record.map_err(|e| ApiError::BadCsv(e.to_string()))?;
        let line = checked.len() as u64 + rows.len() as u64 + 2;
        let mut errors = Vec::new();
        let is_admin = parse_bool(record.is_admin, "is_admin", &mut errors);
        let is_organizer = parse_bool(record.is_organizer, "is_organizer", &mut errors);
        let change = PersonChange::for_new(PersonFields {
            name: blank_to_none(record.name),
            employee_no: blank_to_none(record.employee_no),
            department: record.department,
            openid: blank_to_none(record.openid),
            wecom_userid: blank_to_none(record.wecom_userid),
            is_admin,
            is_organizer,
        });
        match change {
            Ok(change) if errors.is_empty() => checked.push((line, change)),
            Ok(_) => rows.push(RowOutcome::Invalid { row: line, errors }),
            Err(mut more) => {
                more.extend(errors);
                rows.push(RowOutcome::Invalid {
                    row: line,
                    errors: more,
                });
            }
        }
    }
    let created = db
        .run(move |c| {
            let now = now.ms();
            let mut outcomes = Vec::new();
            for (line, change) in checked {
                // Each row in its own (nested) transaction: a conflict undoes only that row.
                match c.transaction(|c| people::insert(c, &change, now)) {
                    Ok(person) => outcomes.push(RowOutcome::Created {
                        row: line,
                        id: person.id,
                    }),
                    Err(e) => match ApiError::from(e) {
                        ApiError::Conflict(message) => {
                            outcomes.push(RowOutcome::Conflict { row: line, message })
                        }
                        other => return Err(DbError::Worker(other.to_string())),
                    },
                }
            }
            Ok(outcomes)
        })
        .await?;
    rows.extend(created);
    rows.sort_by_key(|r| match r {
        RowOutcome::Created { row, .. }
        | RowOutcome::Invalid { row, .. }
        | RowOutcome::Conflict { row, .. } => *row,
    });
    let created = rows
        .iter()
        .filter(|r| matches!(r, RowOutcome::Created { .. }))
        .count();
    Ok(HttpResponse::Ok().json(ImportReport {
        created,
        failed: rows.len() - created,
        rows,
    }))
}
