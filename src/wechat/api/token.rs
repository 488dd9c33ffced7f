//! Access tokens: cached in memory and in the database, refreshed ahead of expiry, fetched by
//! one caller at a time in this process (a mutex) and across instances (a lease row).

use super::error::{classify, ApiError};
use super::http::{join, send};
use crate::clock::Clock;
use crate::db::{access_tokens, Db};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Mutex;

/// How a token is fetched.
#[derive(Clone)]
pub enum Credentials {
    /// Official Account, `/cgi-bin/stable_token` (a POST that does not invalidate tokens other
    /// instances hold) or the classic `/cgi-bin/token`.
    OfficialAccount {
        app_id: String,
        secret: SecretString,
        stable: bool,
    },
    /// WeCom, `/cgi-bin/gettoken`.
    WeCom {
        corp_id: String,
        secret: SecretString,
    },
}

/// How long one fetch may hold the lease before others may try.
const LEASE: Duration = Duration::from_secs(15);
/// How often a waiting instance looks for the token another one is fetching.
const WAIT_STEP: Duration = Duration::from_millis(100);

pub struct TokenSource {
    /// The database key, e.g. `oa:wx123` or `wecom:ww123:1000002`.
    app: String,
    credentials: Credentials,
    http: reqwest::Client,
    base: url::Url,
    db: Db,
    clock: Arc<dyn Clock>,
    refresh_ahead_ms: i64,
    /// Identifies this instance as a lease holder.
    owner: String,
    /// Token and expiry (ms); the lock also makes callers in this process wait for one fetch.
    memory: Mutex<Option<(String, i64)>>,
}

#[derive(Deserialize)]
struct TokenAnswer {
    #[serde(default)]
    errcode: i64,
    #[serde(default)]
    errmsg: String,
    access_token: Option<String>,
    expires_in: Option<i64>,
}

impl TokenSource {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        app: String,
        credentials: Credentials,
        http: reqwest::Client,
        base: url::Url,
        db: Db,
        clock: Arc<dyn Clock>,
        refresh_ahead: Duration,
        owner: String,
    ) -> Self {
        Self {
            app,
            credentials,
            http,
            base,
            db,
            clock,
            refresh_ahead_ms: refresh_ahead.as_millis() as i64,
            owner,
            memory: Mutex::new(None),
        }
    }

    pub fn app(&self) -> &str {
        &self.app
    }

    fn fresh(&self, expires_at: i64) -> bool {
        self.clock.now().timestamp_millis() < expires_at - self.refresh_ahead_ms
    }

    /// A token valid for at least the refresh margin.
    pub async fn get(&self) -> Result<String, ApiError> {
        let mut memory = self.memory.lock().await;
        if let Some((token, exp)) = memory.as_ref() {
            if self.fresh(*exp) {
                return Ok(token.clone());
            }
        }
        let deadline = tokio::time::Instant::now() + LEASE * 2;
        loop {
            if let Some((token, exp)) = self.stored().await? {
                if self.fresh(exp) {
                    *memory = Some((token.clone(), exp));
                    return Ok(token);
                }
            }
            if self.lease().await? {
                let fetched = self.fetch().await;
                crate::telemetry::metrics::METRICS
                    .token_refreshes
                    .with_label_values(&[if fetched.is_ok() { "ok" } else { "error" }])
                    .inc();
                let app = self.app.clone();
                let owner = self.owner.clone();
                return match fetched {
                    Ok((token, exp)) => {
                        let stored = token.clone();
                        self.db
                            .run(move |c| access_tokens::store(c, &app, &stored, exp))
                            .await
                            .map_err(|e| ApiError::Retryable(e.to_string()))?;
                        *memory = Some((token.clone(), exp));
                        Ok(token)
                    }
                    Err(e) => {
                        let _ = self
                            .db
                            .run(move |c| access_tokens::release(c, &app, &owner))
                            .await;
                        Err(e)
                    }
                };
            }
            if tokio::time::Instant::now() > deadline {
                return Err(ApiError::Retryable(
                    "another instance is fetching the access token and has not finished".into(),
                ));
            }
            tokio::time::sleep(WAIT_STEP).await;
        }
    }

    /// Called when WeChat refused `failing`: expires it here and in the database, unless a
    /// newer token has replaced it already.
    pub async fn invalidate(&self, failing: &str) -> Result<(), ApiError> {
        let mut memory = self.memory.lock().await;
        if memory.as_ref().is_some_and(|(t, _)| t == failing) {
            *memory = None;
        }
        let app = self.app.clone();
        let failing = failing.to_owned();
        self.db
            .run(move |c| access_tokens::expire_if_current(c, &app, &failing))
            .await
            .map_err(|e| ApiError::Retryable(e.to_string()))?;
        Ok(())
    }

    async fn stored(&self) -> Result<Option<(String, i64)>, ApiError> {
        let app = self.app.clone();
        self.db
            .run(move |c| access_tokens::read(c, &app))
            .await
            .map_err(|e| ApiError::Retryable(e.to_string()))
    }

    async fn lease(&self) -> Result<bool, ApiError> {
        let app = self.app.clone();
        let owner = self.owner.clone();
        let now = self.clock.now().timestamp_millis();
        let lease = LEASE.as_millis() as i64;
        let ahead = self.refresh_ahead_ms;
        self.db
            .run(move |c| access_tokens::try_lease(c, &app, &owner, now, lease, ahead))
            .await
            .map_err(|e| ApiError::Retryable(e.to_string()))
    }

    async fn fetch(&self) -> Result<(String, i64), ApiError> {
        let request = match &self.credentials {
            Credentials::OfficialAccount {
                app_id,
                secret,
                stable: true,
            } => self
                .http
                .post(join(&self.base, "/cgi-bin/stable_token")?)
                .json(&serde_json::json!({
                    "grant_type": "client_credential",
                    "appid": app_id,
                    "secret": secret.expose_secret(),
                    "force_refresh": false,
                })),
            Credentials::OfficialAccount {
                app_id,
                secret,
                stable: false,
            } => self.http.get(join(&self.base, "/cgi-bin/token")?).query(&[
                ("grant_type", "client_credential"),
                ("appid", app_id),
                ("secret", secret.expose_secret()),
            ]),
            Credentials::WeCom { corp_id, secret } => self
                .http
                .get(join(&self.base, "/cgi-bin/gettoken")?)
                .query(&[
                    ("corpid", corp_id.as_str()),
                    ("corpsecret", secret.expose_secret()),
                ]),
        };
        let answer: TokenAnswer = send(request, "token").await?;
        if let Some(e) = classify(answer.errcode, &answer.errmsg) {
            // A refused secret is not a token problem: it will not fix itself.
            return Err(match e {
                ApiError::Token { code, message } => ApiError::Permanent { code, message },
                other => other,
            });
        }
        let token = answer
            .access_token
            .filter(|t| !t.is_empty())
            .ok_or_else(|| ApiError::Retryable("token answer without access_token".into()))?;
        let expires_in = answer.expires_in.unwrap_or(7200).max(1);
        let expires_at = self.clock.now().timestamp_millis() + expires_in * 1000;
        tracing::info!(app = %self.app, expires_in, "fetched access token");
        Ok((token, expires_at))
    }
}
