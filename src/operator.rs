//! Operator commands that call the WeChat API: the account menu and check-in QR codes.

use crate::clock::{Clock, SystemClock};
use crate::config::Settings;
use crate::db::meetings as store;
use crate::meetings::checkin_code::opens_before;
use crate::meetings::MeetingId;
use crate::startup;
use crate::wechat::api::ApiClient;
use crate::wechat::menu::Menu;
use anyhow::{bail, Context};
use std::path::Path;
use std::sync::Arc;

/// WeChat keeps a temporary QR code for at most 30 days.
const MAX_QR_SECONDS: i64 = 30 * 24 * 3600;

async fn official_account(settings: &Settings) -> anyhow::Result<(Arc<ApiClient>, crate::db::Db)> {
    if settings.wechat.is_none() {
        bail!("the config has no [wechat] section: the Official Account is not configured");
    }
    let db = startup::open_database(settings).await?;
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let (channels, _) = startup::outbound(settings, &db, &clock)?;
    let client = channels
        .oa
        .context("the Official Account client is not configured")?;
    Ok((client, db))
}

/// Reads and checks a menu file; the error names the file and what is wrong.
pub fn load_menu(file: &Path) -> anyhow::Result<Menu> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    Menu::parse(&text).with_context(|| format!("{} is not a valid menu", file.display()))
}

pub async fn menu_push(settings: &Settings, file: &Path) -> anyhow::Result<String> {
    let menu = load_menu(file)?;
    let (oa, _) = official_account(settings).await?;
    crate::wechat::menu::remote::push_official_account(&oa, &menu)
        .await
        .context("WeChat refused the menu")?;
    Ok(format!(
        "menu pushed: {} buttons from {}",
        menu.button.len(),
        file.display()
    ))
}

pub async fn menu_show(settings: &Settings) -> anyhow::Result<String> {
    let (oa, _) = official_account(settings).await?;
    let answer = crate::wechat::menu::remote::official_account(&oa)
        .await
        .context("cannot read the menu")?;
    Ok(serde_json::to_string_pretty(&answer)?)
}

pub async fn menu_delete(settings: &Settings) -> anyhow::Result<String> {
    let (oa, _) = official_account(settings).await?;
    oa.get("/cgi-bin/menu/delete")
        .await
        .context("WeChat refused to delete the menu")?;
    Ok("menu deleted".to_owned())
}

/// A temporary QR code carrying the meeting's signed check-in code, valid until the meeting
/// ends (at most 30 days). Prints where to fetch the image and when it expires.
pub async fn checkin_qrcode(settings: &Settings, meeting: MeetingId) -> anyhow::Result<String> {
    let (oa, db) = official_account(settings).await?;
    let clock = SystemClock;
    let key = startup::checkin_key(settings, &db).await?;
    let record = db
        .run(move |c| store::get(c, meeting))
        .await?
        .with_context(|| format!("there is no meeting {meeting}"))?;
    let now = clock.now().timestamp_millis();
    let ends = record.meeting.ends_at.millis();
    if ends <= now {
        bail!("meeting {meeting} is over: check-in has closed");
    }
    let seconds = ((ends - now) / 1000).clamp(60, MAX_QR_SECONDS);
    let answer = oa
        .post(
            "/cgi-bin/qrcode/create",
            &serde_json::json!({
                "expire_seconds": seconds,
                "action_name": "QR_STR_SCENE",
                "action_info": { "scene": { "scene_str": key.code(meeting) } },
            }),
        )
        .await
        .context("WeChat refused to make the QR code")?;
    let ticket = answer
        .get("ticket")
        .and_then(|t| t.as_str())
        .context("WeChat's answer has no ticket")?;
    let expires = clock.now() + chrono::Duration::seconds(seconds);
    let opens = record.meeting.starts_at.utc() - opens_before();
    let image: String = url::form_urlencoded::byte_serialize(ticket.as_bytes()).collect();
    Ok(format!(
        "https://mp.weixin.qq.com/cgi-bin/showqrcode?ticket={image}\n\
         expires {}; scans check in from {} until the meeting ends",
        expires.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        opens.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    ))
}
