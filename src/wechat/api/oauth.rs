//! Web authorisation (网页授权) with `snsapi_base`: silent, no consent screen. A page sends the
//! reader to the platform's authorize URL; the platform sends them back with a `code`, which
//! the server exchanges for who they are: an openid (Official Account) or a userid (WeCom).

use super::client::ApiClient;
use super::error::{classify, ApiError};
use super::http::{join, send};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde_json::Value;

/// `{oauth_base}/connect/oauth2/authorize?…#wechat_redirect`. WeCom adds its `agentid`.
pub fn authorize_url(
    oauth_base: &url::Url,
    app_id: &str,
    redirect_uri: &str,
    state: &str,
    agent_id: Option<&str>,
) -> String {
    let mut url = oauth_base.clone();
    url.set_path("/connect/oauth2/authorize");
    {
        // The platforms check the parameters in this order.
        let mut q = url.query_pairs_mut();
        q.append_pair("appid", app_id)
            .append_pair("redirect_uri", redirect_uri)
            .append_pair("response_type", "code")
            .append_pair("scope", "snsapi_base")
            .append_pair("state", state);
        if let Some(agent) = agent_id {
            q.append_pair("agentid", agent);
        }
    }
    format!("{url}#wechat_redirect")
}

#[derive(Deserialize)]
struct OaAnswer {
    #[serde(default)]
    errcode: i64,
    #[serde(default)]
    errmsg: String,
    openid: Option<String>,
}

/// Official Account: the reader's openid for `code` (`/sns/oauth2/access_token`, which takes
/// the AppSecret rather than an access token).
pub async fn oa_openid(
    http: &reqwest::Client,
    api_base: &url::Url,
    app_id: &str,
    secret: &SecretString,
    code: &str,
) -> Result<String, ApiError> {
    let request = http
        .get(join(api_base, "/sns/oauth2/access_token")?)
        .query(&[
            ("appid", app_id),
            ("secret", secret.expose_secret()),
            ("code", code),
            ("grant_type", "authorization_code"),
        ]);
    let answer: OaAnswer = send(request, "oauth code").await?;
    if let Some(e) = classify(answer.errcode, &answer.errmsg) {
        return Err(e);
    }
    answer
        .openid
        .filter(|o| !o.is_empty())
        .ok_or_else(|| ApiError::Retryable("oauth answer without openid".into()))
}

/// Who a WeCom code names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WecomReader {
    Member(String),
    /// Someone outside the enterprise (WeCom answers with an openid only).
    Outsider,
}

/// WeCom: the reader for `code` (`/cgi-bin/auth/getuserinfo`).
pub async fn wecom_reader(client: &ApiClient, code: &str) -> Result<WecomReader, ApiError> {
    let answer = client
        .get_with("/cgi-bin/auth/getuserinfo", &[("code", code)])
        .await?;
    Ok(
        match answer
            .get("userid")
            .or_else(|| answer.get("UserId"))
            .and_then(Value::as_str)
        {
            Some(userid) if !userid.is_empty() => WecomReader::Member(userid.to_owned()),
            _ => WecomReader::Outsider,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_authorize_url_is_what_the_platforms_document() {
        let base: url::Url = "https://open.weixin.qq.com"
            .parse()
            .unwrap_or_else(|_| unreachable!());
        let url = authorize_url(
            &base,
            "wx1",
            "https://h.example.com/auth/callback",
            "s1",
            None,
        );
        assert_eq!(
            url,
            "https://open.weixin.qq.com/connect/oauth2/authorize?appid=wx1&redirect_uri=https%3A%2F%2Fh.example.com%2Fauth%2Fcallback&response_type=code&scope=snsapi_base&state=s1#wechat_redirect"
        );
        let wecom = authorize_url(&base, "ww1", "https://h/cb", "s2", Some("1000002"));
        assert!(
            wecom.ends_with("&state=s2&agentid=1000002#wechat_redirect"),
            "{wecom}"
        );
    }
}
