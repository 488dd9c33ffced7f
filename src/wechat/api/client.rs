//! Calls to the WeChat / WeCom APIs: one shared HTTP client, a timeout on every request, the
//! access token added here (and never logged), one refresh-and-retry when it is refused.

use super::error::{classify, ApiError};
use super::token::{join, TokenSource};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::sync::Arc;

pub struct ApiClient {
    http: reqwest::Client,
    base: url::Url,
    tokens: Arc<TokenSource>,
}

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

impl ApiClient {
    pub fn new(http: reqwest::Client, base: url::Url, tokens: Arc<TokenSource>) -> Self {
        Self { http, base, tokens }
    }

    pub fn tokens(&self) -> &TokenSource {
        &self.tokens
    }

    /// POSTs `body` to `path`; the answer's JSON on errcode 0.
    pub async fn post(&self, path: &str, body: &Value) -> Result<Value, ApiError> {
        self.call(path, Some(body)).await
    }

    pub async fn get(&self, path: &str) -> Result<Value, ApiError> {
        self.call(path, None).await
    }

    async fn call(&self, path: &str, body: Option<&Value>) -> Result<Value, ApiError> {
        let url = join(&self.base, path)?;
        let mut refreshed = false;
        loop {
            let token = self.tokens.get().await?;
            let request = match body {
                Some(b) => self.http.post(url.clone()).json(b),
                None => self.http.get(url.clone()),
            }
            .query(&[("access_token", token.as_str())]);
            tracing::debug!(app = self.tokens.app(), api = path, "calling WeChat");
            let answer: Value = send(request, path).await?;
            let code = answer.get("errcode").and_then(Value::as_i64).unwrap_or(0);
            let message = answer.get("errmsg").and_then(Value::as_str).unwrap_or("");
            match classify(code, message) {
                None => return Ok(answer),
                Some(ApiError::Token { .. }) if !refreshed => {
                    tracing::info!(
                        app = self.tokens.app(),
                        api = path,
                        code,
                        "access token refused; refreshing"
                    );
                    self.tokens.invalidate(&token).await?;
                    refreshed = true;
                }
                Some(e) => return Err(e),
            }
        }
    }
}
