//! Calls to the WeChat / WeCom APIs: one shared HTTP client, a timeout on every request, the
//! access token added here (and never logged), one refresh-and-retry when it is refused.

use super::error::{classify, ApiError};
use super::http::{join, send};
use super::token::TokenSource;
use serde_json::Value;
use std::sync::Arc;

pub struct ApiClient {
    http: reqwest::Client,
    base: url::Url,
    tokens: Arc<TokenSource>,
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
        self.call(path, Some(body), &[]).await
    }

    /// POSTs `body` to `path` with `query` beside the access token.
    pub async fn post_with(
        &self,
        path: &str,
        body: &Value,
        query: &[(&str, &str)],
    ) -> Result<Value, ApiError> {
        self.call(path, Some(body), query).await
    }

    pub async fn get(&self, path: &str) -> Result<Value, ApiError> {
        self.call(path, None, &[]).await
    }

    /// GETs `path` with `query` beside the access token.
    pub async fn get_with(&self, path: &str, query: &[(&str, &str)]) -> Result<Value, ApiError> {
        self.call(path, None, query).await
    }

    async fn call(
        &self,
        path: &str,
        body: Option<&Value>,
        query: &[(&str, &str)],
    ) -> Result<Value, ApiError> {
        let url = join(&self.base, path)?;
        let mut refreshed = false;
        loop {
            let token = self.tokens.get().await?;
            let request = match body {
                Some(b) => self.http.post(url.clone()).json(b),
                None => self.http.get(url.clone()),
            }
            .query(&[("access_token", token.as_str())])
            .query(query);
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
