//! Every admin API error is JSON `{"error": {"code", "message", "details"}}`; this is the one
//! place errors become HTTP.

use crate::db::DbError;
use crate::meetings::directory::FieldError;
use crate::meetings::DomainError;
use crate::ops::OpsError;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use diesel::result::{DatabaseErrorKind, Error as DieselError};

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("a valid admin bearer token is required")]
    Unauthorized,
    #[error("the admin API is disabled: set admin.token")]
    Disabled,
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The methods the path has, for `Allow`.
    #[error("this endpoint takes {0}")]
    MethodNotAllowed(String),
    #[error("{0}")]
    Conflict(String),
    /// `If-Match` named a version the resource no longer has.
    #[error("the meeting changed since it was read (If-Match names another version)")]
    PreconditionFailed,
    #[error("the request has invalid fields")]
    Invalid(Vec<FieldError>),
    #[error("the request body is not valid JSON for this endpoint: {0}")]
    BadJson(String),
    #[error("the query string is not valid for this endpoint: {0}")]
    BadQuery(String),
    /// A string field (named by its path) holds a character no text column can store.
    #[error("the request has invalid fields")]
    Unstorable(String),
    #[error("the CSV cannot be read: {0}")]
    BadCsv(String),
    /// WeChat or WeCom refused or could not be reached.
    #[error("WeChat answered: {0}")]
    Upstream(String),
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
            OpsError::PersonNotFound | OpsError::PersonUnknown { .. } => {
                ApiError::NotFound("person")
            }
            OpsError::RoomNotFound => ApiError::NotFound("room"),
            OpsError::NotInvited(_) => ApiError::NotFound("participant"),
            OpsError::TaskNotFound(_) => ApiError::NotFound("action item"),
            OpsError::QuestionNotFound(_) => ApiError::NotFound("question"),
            OpsError::ChecklistNotFound(_) => ApiError::NotFound("checklist item"),
            OpsError::HelpNotFound(_) => ApiError::NotFound("help request"),
            OpsError::EntryNotFound => ApiError::NotFound("minutes entry"),
            OpsError::MaterialNotFound => ApiError::NotFound("material"),
            OpsError::SeriesNotFound => ApiError::NotFound("series"),
            OpsError::BindRequestNotFound => ApiError::NotFound("bind request"),
            OpsError::TopicNotFound(_) => ApiError::NotFound("topic"),
            OpsError::DecisionNotFound(_) => ApiError::NotFound("decision"),
            OpsError::MilestoneNotFound(_) => ApiError::NotFound("milestone"),
            OpsError::Invalid(fields) => ApiError::Invalid(fields),
            OpsError::Stale => ApiError::PreconditionFailed,
            OpsError::Rule(DomainError::ReasonRequired) => ApiError::Invalid(vec![FieldError {
                field: "reason",
                message: "is required".to_owned(),
            }]),
            e @ (OpsError::DelegateToSelf
            | OpsError::AlreadyBound(_)
            | OpsError::EmployeeNoTaken
            | OpsError::PersonAmbiguous(_)
            | OpsError::TooManyBindAttempts
            | OpsError::BindNeedsCode
            | OpsError::NotStaff
            | OpsError::AlreadyAnswered(_)
            | OpsError::ChecklistDone(_)
            | OpsError::HelpTaken { .. }
            | OpsError::HelpNotTaken(_)
            | OpsError::HelpResolved(_)
            | OpsError::LastHost
            | OpsError::RosterClosed(_)
            | OpsError::Frozen { .. }
            | OpsError::NotTaskOwner
            | OpsError::MinutesNotPublished(_)
            | OpsError::TopicDecided(_)
            | OpsError::DecisionClosed(_)
            | OpsError::NotPresent(_)
            | OpsError::SeriesEnded
            | OpsError::NotASeries
            | OpsError::NothingToCarry
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
            ApiError::MethodNotAllowed(_) => "method_not_allowed",
            ApiError::Conflict(_) => "conflict",
            ApiError::PreconditionFailed => "precondition_failed",
            ApiError::Invalid(_) => "invalid_fields",
            ApiError::BadJson(_) => "bad_json",
            ApiError::BadQuery(_) => "bad_query",
            ApiError::Unstorable(_) => "invalid_fields",
            ApiError::BadCsv(_) => "bad_csv",
            ApiError::Upstream(_) => "wechat_refused",
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
            ApiError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
            ApiError::Invalid(_)
            | ApiError::Unstorable(_)
            | ApiError::BadJson(_)
            | ApiError::BadQuery(_)
            | ApiError::BadCsv(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Upstream(_) => StatusCode::BAD_GATEWAY,
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
            ApiError::Invalid(fields) => Some(
                fields
                    .iter()
                    .map(|f| FieldDetail {
                        field: f.field.to_owned(),
                        message: f.message.clone(),
                    })
                    .collect(),
            ),
            ApiError::Unstorable(field) => Some(vec![FieldDetail {
                field: field.clone(),
                message: "contains a NUL character, which cannot be stored".into(),
            }]),
            _ => None,
        };
        let mut response = HttpResponse::build(self.status_code());
        if let ApiError::MethodNotAllowed(allow) = self {
            response.insert_header(("Allow", allow.as_str()));
        }
        response.json(ErrorBody {
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
    /// snake_case: unauthorized, admin_api_disabled, not_found, method_not_allowed, conflict,
    /// invalid_fields, bad_json, bad_query, bad_csv, storage_unavailable, internal_error
    code: &'static str,
    message: String,
    /// Only for invalid_fields: each refused field and why.
    #[serde(skip_serializing_if = "Option::is_none")]
    details: Option<Vec<FieldDetail>>,
}

/// One refused field: its name (a JSON path for nested fields) and the reason.
#[derive(serde::Serialize, utoipa::ToSchema)]
struct FieldDetail {
    field: String,
    message: String,
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
