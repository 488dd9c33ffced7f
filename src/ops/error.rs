use crate::db::DbError;
use crate::meetings::DomainError;

/// Why an operation was refused or failed. Each door words it once: `web::admin::ApiError`
/// as HTTP, `bot::BotError` as a chat reply.
#[derive(Debug, thiserror::Error)]
pub enum OpsError {
    #[error("meeting not found")]
    MeetingNotFound,
    #[error("person not found")]
    PersonNotFound,
    /// The person (by name) holds no attending role in the meeting.
    #[error("{0} is not invited to the meeting")]
    NotInvited(String),
    #[error("cannot delegate to oneself")]
    DelegateToSelf,
    #[error("a meeting needs a host")]
    LastHost,
    #[error(transparent)]
    Rule(#[from] DomainError),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<diesel::result::Error> for OpsError {
    fn from(e: diesel::result::Error) -> Self {
        OpsError::Db(e.into())
    }
}
