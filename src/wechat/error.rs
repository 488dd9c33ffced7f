use super::crypto::CryptoError;
use super::xml::XmlError;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};

/// Why a callback was refused. Every variant is the sender's fault except `Storage`; none is a
/// 500, and the reason goes back in the body and into the log.
#[derive(Debug, thiserror::Error)]
pub enum CallbackError {
    #[error("channel not configured")]
    ChannelDisabled,
    #[error("missing query parameter {0}")]
    MissingParam(&'static str),
    #[error("query parameter timestamp is not a number")]
    BadTimestamp,
    #[error("timestamp is {skew_secs} s away from now, outside the {window_secs} s window")]
    StaleTimestamp { skew_secs: i64, window_secs: i64 },
    #[error("signature mismatch")]
    BadSignature,
    #[error("msg_signature mismatch")]
    BadMsgSignature,
    #[error("encrypt_type {0:?} is not supported")]
    UnsupportedEncryptType(String),
    #[error("encrypted callback received but no EncodingAESKey is configured")]
    EncryptionNotConfigured,
    #[error("{0}")]
    Crypto(#[from] CryptoError),
    #[error("{0}")]
    Xml(#[from] XmlError),
    #[error("body is not UTF-8")]
    BodyNotUtf8,
    #[error("body larger than {limit} bytes")]
    BodyTooLarge { limit: usize },
    #[error("body could not be read: {0}")]
    BodyRead(String),
    #[error("storage unavailable")]
    Storage(#[from] crate::db::DbError),
}

impl ResponseError for CallbackError {
    fn status_code(&self) -> StatusCode {
        use CallbackError::*;
        match self {
            ChannelDisabled => StatusCode::NOT_FOUND,
            StaleTimestamp { .. } | BadSignature | BadMsgSignature => StatusCode::UNAUTHORIZED,
            Crypto(CryptoError::ReceiveId) => StatusCode::FORBIDDEN,
            BodyTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Storage(_) => StatusCode::SERVICE_UNAVAILABLE,
            MissingParam(_)
            | BadTimestamp
            | UnsupportedEncryptType(_)
            | EncryptionNotConfigured
            | Crypto(_)
            | Xml(_)
            | BodyNotUtf8
            | BodyRead(_) => StatusCode::BAD_REQUEST,
        }
    }

    fn error_response(&self) -> HttpResponse {
        HttpResponse::build(self.status_code())
            .content_type("text/plain; charset=utf-8")
            .body(self.to_string())
    }
}
