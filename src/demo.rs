//! `huiwu demo`: fills a fresh database, through the running server's admin API, with what the
//! README's walkthrough needs: two staff members, a room and a published meeting starting in a
//! few minutes (so its check-in code works now). It goes through the API rather than the
//! database so that the server does everything it would for an organizer: notices, jobs, audit.

use crate::clock::{Clock, SystemClock};
use crate::config::Settings;
use anyhow::{bail, Context};
use chrono::DurationRound;
use secrecy::ExposeSecret;
use serde_json::{json, Value};

/// Who and what the walkthrough uses.
pub const ATTENDEE_EMPLOYEE_NO: &str = "E1001";
/// The Official Account follower the demo binds 张三 to, as an admin's import would.
pub const DEMO_OPENID: &str = "o_demo";

struct AdminApi {
    http: reqwest::Client,
    base: url::Url,
    token: String,
}

impl AdminApi {
    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Value,
    ) -> anyhow::Result<Value> {
        let url = self.base.join(&format!("api/v1/{path}"))?;
        let mut request = self
            .http
            .request(method.clone(), url)
            .bearer_auth(&self.token);
        if !body.is_null() {
            request = request.json(&body);
        }
        let response = request.send().await.with_context(|| {
            format!(
                "cannot reach huiwu at {}: is `huiwu serve` running?",
                self.base
            )
        })?;
        let status = response.status();
        let answer: Value = response.json().await.unwrap_or(Value::Null);
        if !status.is_success() {
            bail!("{method} {path} answered {status}: {answer}");
        }
        Ok(answer)
    }
}

fn id(v: &Value) -> anyhow::Result<i64> {
    v["id"].as_i64().context("an answer without an id")
}

pub async fn run(settings: &Settings, url: Option<url::Url>) -> anyhow::Result<String> {
    let token = settings
        .admin
        .as_ref()
        .context("the demo uses the admin API: set admin.token in the config")?
        .token
        .expose_secret()
        .to_owned();
    let mut base = url.unwrap_or_else(|| settings.server.public_url.clone());
    if !base.path().ends_with('/') {
        base.set_path(&format!("{}/", base.path()));
    }
    let api = AdminApi {
        http: reqwest::Client::new(),
        base,
        token,
    };
    use reqwest::Method;
    let people = api.call(Method::GET, "users", Value::Null).await?;
    if people
        .as_array()
        .is_some_and(|all| all.iter().any(|p| p["employee_no"] == ATTENDEE_EMPLOYEE_NO))
    {
        bail!(
            "the demo data is already there ({ATTENDEE_EMPLOYEE_NO} exists): start from a fresh \
             database to run it again"
        );
    }
    let attendee = api
        .call(
            Method::POST,
            "users",
            json!({"name": "张三", "employee_no": ATTENDEE_EMPLOYEE_NO, "department": "产品部",
                   "wecom_userid": "zhangsan", "openid": DEMO_OPENID}),
        )
        .await?;
    let host = api
        .call(
            Method::POST,
            "users",
            json!({"name": "李四", "employee_no": "E1002", "department": "产品部"}),
        )
        .await?;
    let room = api
        .call(
            Method::POST,
            "rooms",
            json!({"name": "3楼大会议室", "location": "总部 3 楼", "capacity": 12,
                   "equipment": ["投影仪", "视频会议"]}),
        )
        .await?;
    // Starts on a full five minutes 10 to 15 minutes away: check-in is open from 30 minutes
    // before the start, so the walkthrough's scan works right away.
    let start = (SystemClock.now() + chrono::Duration::minutes(15))
        .duration_trunc(chrono::Duration::minutes(5))
        .context("a start time on full minutes")?;
    let end = start + chrono::Duration::minutes(45);
    let meeting = api
        .call(
            Method::POST,
            "meetings",
            json!({
                "title": "产品周会（演示）",
                "goal": "对齐本周上线计划",
                "starts_at": start.to_rfc3339(),
                "ends_at": end.to_rfc3339(),
                "room_id": id(&room)?,
                "briefing": "请提前看一下上线清单",
                "equipment_needs": ["投影仪"],
                "agenda": [
                    {"title": "上周进展", "presenter_id": id(&attendee)?, "minutes": 15},
                    {"title": "本周上线计划", "presenter_id": id(&host)?, "minutes": 25},
                ],
                "roles": [
                    {"person_id": id(&host)?, "role": "host"},
                    {"person_id": id(&host)?, "role": "recorder"},
                    {"person_id": id(&attendee)?, "role": "attendee"},
                ],
            }),
        )
        .await?;
    let meeting_id = id(&meeting)?;
    api.call(
        Method::POST,
        &format!("meetings/{meeting_id}/publish"),
        Value::Null,
    )
    .await?;
    let code = api
        .call(
            Method::GET,
            &format!("meetings/{meeting_id}/checkin-code"),
            Value::Null,
        )
        .await?;
    let code = code["code"].as_str().context("no check-in code")?;
    let bind = api
        .call(
            Method::POST,
            &format!("users/{}/bind-code", id(&host)?),
            Value::Null,
        )
        .await?;
    let bind = bind["code"].as_str().context("no bind code")?;
    let local = start.with_timezone(&settings.timezone).format("%H:%M");
    Ok(format!(
        "staff: 张三 ({ATTENDEE_EMPLOYEE_NO}, WeCom zhangsan, bound to the follower {DEMO_OPENID}), \
         李四 (E1002, host, not bound yet)\n\
         room: 3楼大会议室\n\
         meeting {meeting_id}: 产品周会（演示）, {local} for 45 minutes, published\n\
         check-in code: {code}\n\
         李四's bind code: {bind} (send 「绑定 E1002 {bind}」 as a follower, within 7 days)"
    ))
}
