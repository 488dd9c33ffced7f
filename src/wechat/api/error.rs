//! WeChat API failures, classified once: what to do about each is decided here, not at every
//! call site.

/// Why a call did not succeed, by what should happen next.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// Try again later (system busy, HTTP 5xx, timeout, connection error).
    #[error("temporary failure: {0}")]
    Retryable(String),
    /// The access token was refused: refresh it and retry once.
    #[error("access token refused ({code}): {message}")]
    Token { code: i64, message: String },
    /// A quota is used up: pause this API until its window resets.
    #[error("quota reached ({code}): {message}")]
    Quota {
        code: i64,
        message: String,
        /// How long the window lasts; daily quotas reset at midnight.
        daily: bool,
    },
    /// Will never succeed as sent (unsubscribed user, bad openid, bad template, …).
    #[error("refused ({code}): {message}")]
    Permanent { code: i64, message: String },
}

/// errcodes meaning the access token is invalid or expired.
const TOKEN_CODES: [i64; 3] = [40001, 40014, 42001];
/// Daily quotas (reset at midnight).
const DAILY_QUOTA_CODES: [i64; 2] = [45009, 45047];
/// Per-minute frequency limits.
const MINUTE_QUOTA_CODES: [i64; 2] = [45011, 45033];

/// `None` for success (errcode 0 or absent).
pub fn classify(errcode: i64, errmsg: &str) -> Option<ApiError> {
    let message = errmsg.to_owned();
    Some(match errcode {
        0 => return None,
        -1 => ApiError::Retryable(format!("system busy (-1): {errmsg}")),
        c if TOKEN_CODES.contains(&c) => ApiError::Token { code: c, message },
        c if DAILY_QUOTA_CODES.contains(&c) => ApiError::Quota {
            code: c,
            message,
            daily: true,
        },
        c if MINUTE_QUOTA_CODES.contains(&c) => ApiError::Quota {
            code: c,
            message,
            daily: false,
        },
        // Everything else (43004 not subscribed, 40003 invalid openid, 40037 invalid
        // template, …) will not get better by retrying.
        c => ApiError::Permanent { code: c, message },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_map_to_what_to_do() {
        assert_eq!(classify(0, "ok"), None);
        assert!(matches!(classify(-1, "busy"), Some(ApiError::Retryable(_))));
        for c in [40001, 40014, 42001] {
            assert!(
                matches!(classify(c, ""), Some(ApiError::Token { .. })),
                "{c}"
            );
        }
        assert!(matches!(
            classify(45009, ""),
            Some(ApiError::Quota { daily: true, .. })
        ));
        assert!(matches!(
            classify(45011, ""),
            Some(ApiError::Quota { daily: false, .. })
        ));
        for c in [43004, 40003, 40037] {
            assert!(
                matches!(classify(c, ""), Some(ApiError::Permanent { .. })),
                "{c}"
            );
        }
    }
}
