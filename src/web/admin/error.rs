//! Every admin API error is JSON `{"error": {"code", "message", "details"}}`; this is the one
//! place errors become HTTP.

use crate::db::DbError;
use crate::meetings::directory::FieldError;
use crate::meetings::DomainError;
use crate::ops::OpsError;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use serde_json::json;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("a valid admin bearer token is required")]
    Unauthorized,
    #[error("the admin API is disabled: set admin.token")]
    Disabled,
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{0}")]
    Conflict(String),
    #[error("the request has invalid fields")]
    Invalid(Vec<FieldError>),
    #[error("the request body is not valid JSON for this endpoint: {0}")]
    BadJson(String),
    /// A string field (named by its path) holds a character no text column can store.
    #[error("the request has invalid fields")]
    Unstorable(String),
    #[error("the CSV cannot be read: {0}")]
    BadCsv(String),
    #[error("storage unavailable")]
    Storage(DbError),
    /// A bug or damaged data, not the caller's doing and not an outage: logged with an id the
    /// answer repeats, so an operator can find it.
    #[error("internal error {id}")]
    Internal { id: String, cause: DbError },
}

impl From<DbError> for ApiError {
    /// Unique-constraint violations are the caller's conflict, named by the column; anything
    /// else from storage is ours.
    fn from(e: DbError) -> Self {
        if let DbError::Query(DieselError::DatabaseError(
            DatabaseErrorKind::UniqueViolation,
            info,
        )) = &e
        {
            let text = format!(
                "{} {}",
                info.message(),
                info.constraint_name().unwrap_or_default()
            );
            let column = ["employee_no", "openid", "wecom_userid", "name"]
                .into_iter()
                .find(|c| text.contains(c))
                .unwrap_or("a unique field");
            return ApiError::Conflict(format!("another record already has this {column}"));
        }
        if let DbError::Query(DieselError::DatabaseError(
            DatabaseErrorKind::ForeignKeyViolation,
            _,
        )) = &e
        {
            return ApiError::Invalid(vec![FieldError {
                field: "references",
                message: "a person or room named here does not exist".to_owned(),
            }]);
        }
        if is_bug(&e) {
            let id = format!("{:016x}", rand::random::<u64>());
            return ApiError::Internal { id, cause: e };
        }
        ApiError::Storage(e)
    }
}

/// An operation's refusal as HTTP: what is missing is 404, a rule of the meeting's state 409.
impl From<OpsError> for ApiError {
    fn from(e: OpsError) -> Self {
        match e {
            OpsError::MeetingNotFound => ApiError::NotFound("meeting"),
            OpsError::PersonNotFound => ApiError::NotFound("person"),
            OpsError::NotInvited(_) => ApiError::NotFound("participant"),
            OpsError::TaskNotFound(_) => ApiError::NotFound("action item"),
            OpsError::EntryNotFound => ApiError::NotFound("minutes entry"),
            OpsError::MaterialNotFound => ApiError::NotFound("material"),
            OpsError::Invalid(fields) => ApiError::Invalid(fields),
            OpsError::Rule(DomainError::ReasonRequired) => ApiError::Invalid(vec![FieldError {
                field: "reason",
                message: "is required".to_owned(),
            }]),
            e @ (OpsError::DelegateToSelf
            | OpsError::LastHost
            | OpsError::RosterClosed(_)
            | OpsError::Frozen { .. }
            | OpsError::NotTaskOwner
            | OpsError::MinutesNotPublished(_)
            | OpsError::Rule(_)) => ApiError::Conflict(e.to_string()),
            OpsError::Db(e) => e.into(),
        }
    }
}

/// A storage error that no retry fixes: a row huiwu cannot read, a constraint the code should
/// have kept, a query diesel could not build or a panicked job. Anything else (no connection,
/// a closed one, a serialization conflict, the writer gone) is the database being unavailable.
fn is_bug(e: &DbError) -> bool {
    match e {
        DbError::Corrupt(_) | DbError::Task(_) => true,
        DbError::Query(DieselError::DatabaseError(kind, _)) => matches!(
            kind,
            DatabaseErrorKind::NotNullViolation
                | DatabaseErrorKind::CheckViolation
                | DatabaseErrorKind::RestrictViolation
                | DatabaseErrorKind::ExclusionViolation
        ),
        DbError::Query(
            DieselError::QueryBuilderError(_)
            | DieselError::DeserializationError(_)
            | DieselError::SerializationError(_)
            | DieselError::InvalidCString(_),
        ) => true,
        _ => false,
    }
}

impl ApiError {
    fn code(&self) -> &'static str {
        match self {
            ApiError::Unauthorized => "unauthorized",
            ApiError::Disabled => "admin_api_disabled",
            ApiError::NotFound(_) => "not_found",
            ApiError::Conflict(_) => "conflict",
            ApiError::Invalid(_) => "invalid_fields",
            ApiError::BadJson(_) => "bad_json",
            ApiError::Unstorable(_) => "invalid_fields",
            ApiError::BadCsv(_) => "bad_csv",
            ApiError::Storage(_) => "storage_unavailable",
            ApiError::Internal { .. } => "internal_error",
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::Unauthorized | ApiError::Disabled => StatusCode::UNAUTHORIZED,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::Invalid(_)
            | ApiError::Unstorable(_)
            | ApiError::BadJson(_)
            | ApiError::BadCsv(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Storage(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal { .. } => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            ApiError::Storage(e) => tracing::error!(error = %e, "admin API storage failure"),
            ApiError::Internal { id, cause } => {
                tracing::error!(error_id = %id, error = %cause, "admin API internal error")
            }
            _ => {}
        }
        let details = match self {
            ApiError::Invalid(fields) => json!(fields),
            ApiError::Unstorable(field) => json!([{
                "field": field,
                "message": "contains a NUL character, which cannot be stored",
            }]),
            _ => serde_json::Value::Null,
        };
        HttpResponse::build(self.status_code()).json(ErrorBody {
            error: ErrorDetail {
                code: self.code(),
                message: self.to_string(),
                details,
            },
        })
    }
}

/// Every error: `{"error": {"code", "message", "details"}}`.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    error: ErrorDetail,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
struct ErrorDetail {
    /// snake_case: unauthorized, admin_api_disabled, not_found, conflict, invalid_fields,
    /// bad_json, bad_csv, storage_unavailable, internal_error
    code: &'static str,
    message: String,
    /// For invalid_fields: `[{"field", "message"}]`.
    #[schema(value_type = Object)]
    details: serde_json::Value,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn database(kind: DatabaseErrorKind) -> DbError {
        DbError::Query(DieselError::DatabaseError(kind, Box::new("x".to_owned())))
    }

    #[test]
    fn a_broken_rule_is_a_bug_and_a_lost_connection_is_an_outage() {
        for bug in [
            database(DatabaseErrorKind::NotNullViolation),
            database(DatabaseErrorKind::CheckViolation),
            DbError::Corrupt("status".into()),
        ] {
            assert_eq!(ApiError::from(bug).status_code(), 500);
        }
        for outage in [
            database(DatabaseErrorKind::ClosedConnection),
            database(DatabaseErrorKind::SerializationFailure),
            DbError::Worker("the SQLite writer has stopped".into()),
        ] {
            assert_eq!(ApiError::from(outage).status_code(), 503);
        }
        assert_eq!(
            ApiError::from(database(DatabaseErrorKind::UniqueViolation)).status_code(),
            409
        );
    }
}
