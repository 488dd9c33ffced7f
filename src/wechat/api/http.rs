//! What the API client and the token source share: building an API URL and sending a request
//! whose transport failures are classified (and whose URL, holding a token, is never shown).

use super::error::ApiError;
use serde::de::DeserializeOwned;

/// Sends a request and reads its JSON answer; transport failures are classified here.
pub(super) async fn send<T: DeserializeOwned>(
    request: reqwest::RequestBuilder,
    what: &str,
) -> Result<T, ApiError> {
    let response = request.send().await.map_err(|e| {
        // reqwest's error text includes the URL, hence the token: keep only the kind.
        let kind = if e.is_timeout() {
            "timed out"
        } else if e.is_connect() {
            "could not connect"
        } else {
            "request failed"
        };
        ApiError::Retryable(format!("{what}: {kind}"))
    })?;
    let status = response.status();
    if status.is_server_error() {
        return Err(ApiError::Retryable(format!("{what}: HTTP {status}")));
    }
    if !status.is_success() {
        return Err(ApiError::Permanent {
            code: i64::from(status.as_u16()),
            message: format!("{what}: HTTP {status}"),
        });
    }
    let body = response
        .bytes()
        .await
        .map_err(|_| ApiError::Retryable(format!("{what}: answer cut short")))?;
    serde_json::from_slice(&body)
        .map_err(|_| ApiError::Retryable(format!("{what}: answer is not the expected JSON")))
}

/// `base` + `path`, keeping any path prefix of the base (a proxy's, say).
pub(super) fn join(base: &url::Url, path: &str) -> Result<url::Url, ApiError> {
    let joined = format!("{}{path}", base.as_str().trim_end_matches('/'));
    joined.parse().map_err(|e| ApiError::Permanent {
        code: 0,
        message: format!("bad API URL {path}: {e}"),
    })
}
