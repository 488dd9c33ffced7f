//! Settings: `config/default.toml` (or `--config` / `HUIWU_CONFIG`), then `HUIWU__SECTION__KEY`
//! environment overrides. Raw values are parsed once into typed settings; a bad value stops
//! startup with one line naming the key and the reason.
//!
//! A leaf: it names nothing else of huiwu's. What a setting becomes (a database URL, an AES
//! key, a template's values) is defined here, and the layers that use it import it from here.

use secrecy::SecretString;
use std::net::SocketAddr;
use std::path::Path;

mod aes_key;
mod channels;
mod database_url;
mod raw;
mod scheduler;
mod sections;
mod template;

pub use aes_key::{AesKey, KeyError};
pub use database_url::{DatabaseUrl, DatabaseUrlError};
pub use scheduler::SchedulerSettings;
pub use template::{TemplateSettings, TemplateValue};

use raw::RawSettings;

pub const DEFAULT_CONFIG_PATH: &str = "config/default.toml";
pub const ENV_PREFIX: &str = "HUIWU";

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("config key {key}: {reason}")]
    Invalid { key: String, reason: String },
    /// The config crate's message already says everything; it is not also a `source`, or the
    /// error chain would print it twice.
    #[error("config: {0}")]
    Load(config::ConfigError),
}

impl From<config::ConfigError> for ConfigError {
    fn from(e: config::ConfigError) -> Self {
        ConfigError::Load(e)
    }
}

impl ConfigError {
    /// A setting whose value another layer refuses when it reads it.
    pub fn invalid(key: &str, reason: impl std::fmt::Display) -> Self {
        ConfigError::Invalid {
            key: key.to_owned(),
            reason: reason.to_string(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone)]
pub struct LogSettings {
    pub format: LogFormat,
    pub level: String,
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub server: ServerSettings,
    pub database: DatabaseSettings,
    pub admin: Option<AdminSettings>,
    pub wechat: Option<WechatSettings>,
    pub wecom: Option<WecomSettings>,
    pub log: LogSettings,
    pub meetings: MeetingSettings,
    pub outbound: OutboundSettings,
    pub scheduler: SchedulerSettings,
    pub web: WebSettings,
    pub timezone: chrono_tz::Tz,
}

/// The staff pages.
#[derive(Debug, Clone)]
pub struct WebSettings {
    /// Where readers are sent for web authorisation (`/connect/oauth2/authorize`).
    pub oauth_base: url::Url,
    /// The account menu the console edits and pushes (as `huiwu menu push` does).
    pub menu_file: std::path::PathBuf,
    /// A sign-in (pages and console) ends after this long without a request.
    pub session_idle: chrono::Duration,
    /// Who may frame the room screen (`frame-ancestors`), e.g. a signage system's origin;
    /// nobody when unset.
    pub screen_frame_ancestors: Option<String>,
}

#[derive(Debug, Clone)]
pub struct MeetingSettings {
    /// Minimum gap between two bookings of one room.
    pub booking_buffer: chrono::Duration,
    /// A check-in later than start + grace is late.
    pub late_grace: chrono::Duration,
    /// How many days ahead a recurring meeting's occurrences are made and published.
    pub series_horizon_days: u32,
    /// Signs check-in codes; when unset, a secret generated on first start and kept in the
    /// database is used (the same for every instance sharing it).
    pub checkin_secret: Option<SecretString>,
}

#[derive(Debug, Clone)]
pub struct ServerSettings {
    pub bind: SocketAddr,
    pub public_url: url::Url,
    pub max_body_bytes: usize,
    pub timestamp_window_secs: i64,
    /// When set, `/metrics` wants it as a Bearer token.
    pub metrics_token: Option<SecretString>,
}

#[derive(Debug, Clone)]
pub struct DatabaseSettings {
    pub url: DatabaseUrl,
    pub pool_size: u32,
}

#[derive(Debug, Clone)]
pub struct AdminSettings {
    pub token: SecretString,
}

#[derive(Debug, Clone)]
pub struct WechatSettings {
    pub app_id: String,
    pub app_secret: SecretString,
    pub token: SecretString,
    /// `None`: plaintext mode only.
    pub encoding_aes_key: Option<AesKey>,
    pub api_base: url::Url,
    /// `/cgi-bin/stable_token` (true, the default) or the classic `/cgi-bin/token`.
    pub stable_token: bool,
    /// Where a template message about a meeting links to: a URL with `{id}` in it.
    pub meeting_url: Option<String>,
    /// Template messages by notice kind (`invitation`, `change`, `cancellation`, `minutes`,
    /// or `default` for any kind without its own); the outbox refuses a kind it does not
    /// know when the service starts.
    pub templates: std::collections::BTreeMap<String, TemplateSettings>,
}

#[derive(Debug, Clone)]
pub struct WecomSettings {
    pub corp_id: String,
    pub agent_id: String,
    pub secret: SecretString,
    pub token: SecretString,
    pub encoding_aes_key: AesKey,
    pub api_base: url::Url,
}

impl Settings {
    /// Loads the file (required when named explicitly, optional at the default path) and
    /// applies `HUIWU__SECTION__KEY` environment overrides.
    pub fn load(path: Option<&Path>) -> Result<Self, ConfigError> {
        let (path, required) = match path {
            Some(p) => (p, true),
            None => (Path::new(DEFAULT_CONFIG_PATH), false),
        };
        if required && !path.is_file() {
            return Err(ConfigError::invalid(
                "--config",
                format!("file {} does not exist", path.display()),
            ));
        }
        let raw = config::Config::builder()
            .add_source(
                config::File::from(path)
                    .format(config::FileFormat::Toml)
                    .required(required),
            )
            .add_source(
                config::Environment::with_prefix(ENV_PREFIX)
                    .prefix_separator("__")
                    .separator("__"),
            )
            .build()?
            .try_deserialize::<RawSettings>()?;
        raw.validate()
    }

    /// Settings from TOML text alone (no environment), for tests and tools.
    pub fn from_toml_str(toml: &str) -> Result<Self, ConfigError> {
        config::Config::builder()
            .add_source(config::File::from_str(toml, config::FileFormat::Toml))
            .build()?
            .try_deserialize::<RawSettings>()?
            .validate()
    }
}

pub(super) fn required(key: &str, value: Option<String>) -> Result<String, ConfigError> {
    match value.map(|v| v.trim().to_owned()) {
        Some(v) if !v.is_empty() => Ok(v),
        _ => Err(ConfigError::invalid(
            key,
            "is required when its section is present",
        )),
    }
}

/// 3–32 visible ASCII characters: the consoles' rule, loosened to what real accounts use.
pub(super) fn callback_token(
    key: &str,
    value: Option<String>,
) -> Result<SecretString, ConfigError> {
    let token = required(key, value)?;
    if !(3..=32).contains(&token.len()) || !token.chars().all(|c| c.is_ascii_graphic()) {
        return Err(ConfigError::invalid(
            key,
            "must be 3 to 32 visible ASCII characters",
        ));
    }
    Ok(token.into())
}

pub(super) fn parse_http_url(key: &str, raw: &str) -> Result<url::Url, ConfigError> {
    let url = url::Url::parse(raw)
        .map_err(|e| ConfigError::invalid(key, format!("is not a URL ({e})")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(ConfigError::invalid(
            key,
            "must be an http:// or https:// URL",
        ));
    }
    Ok(url)
}

/// How the outbox worker sends.
#[derive(Debug, Clone, Copy)]
pub struct OutboundSettings {
    /// Messages sent at the same time.
    pub concurrency: usize,
    pub token_refresh_ahead: std::time::Duration,
    pub request_timeout: std::time::Duration,
    /// A claimed message whose sender has not reported within this is sent again.
    pub lease: std::time::Duration,
    /// Retryable failures are retried this many times in all, then the message fails.
    pub max_attempts: i32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_apply_when_everything_is_left_out() {
        let s = Settings::from_toml_str("").unwrap();
        assert_eq!(s.server.max_body_bytes, 65536);
        assert_eq!(s.server.timestamp_window_secs, 300);
        assert_eq!(s.database.url, DatabaseUrl::Sqlite("data/huiwu.db".into()));
        assert_eq!(s.timezone, chrono_tz::Asia::Shanghai);
        assert!(s.wechat.is_none() && s.wecom.is_none());
    }

    #[test]
    fn outbound_and_scheduler_settings_are_checked_by_key() {
        let oa = "[wechat]\napp_id='wx1'\napp_secret='s'\ntoken='tok'\n";
        let err = Settings::from_toml_str(&format!("{oa}meeting_url='https://oa.example.com/m'"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("wechat.meeting_url") && err.contains("{id}"),
            "{err}"
        );
        let err = Settings::from_toml_str("[scheduler]\nquiet_hours='late'")
            .unwrap_err()
            .to_string();
        assert!(err.contains("scheduler.quiet_hours"), "{err}");
        let err = Settings::from_toml_str("[outbound]\nconcurrency=0")
            .unwrap_err()
            .to_string();
        assert!(err.contains("outbound.concurrency"), "{err}");
        let s = Settings::from_toml_str(
            "[scheduler]\nreminder_offsets_minutes=[60]\noverdue_every_days=3",
        )
        .unwrap();
        assert_eq!(
            s.scheduler.reminder_offsets,
            vec![chrono::Duration::minutes(60)]
        );
        assert_eq!(s.scheduler.overdue_every_days, 3);
        assert_eq!(s.outbound.concurrency, 32);
    }

    #[test]
    fn a_template_field_names_a_notice_value() {
        let oa = "[wechat]\napp_id='wx1'\napp_secret='s'\ntoken='tok'\n";
        let err = Settings::from_toml_str(&format!(
            "{oa}[wechat.templates.invitation]\ntemplate_id='T1'\nfields={{first='titel'}}"
        ))
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("wechat.templates.invitation.fields.first"),
            "{err}"
        );
        assert!(err.contains("title, time, place"), "{err}");
        let s = Settings::from_toml_str(&format!(
            "{oa}[wechat.templates.invitation]\ntemplate_id='T1'\nfields={{first='title'}}"
        ))
        .unwrap();
        let fields = &s.wechat.unwrap().templates["invitation"].fields;
        assert_eq!(fields["first"], TemplateValue::Title);
    }

    #[test]
    fn bad_aes_key_names_the_key() {
        let err = Settings::from_toml_str(
            "[wechat]\napp_id='wx1'\napp_secret='s'\ntoken='tok'\nencoding_aes_key='short'",
        )
        .unwrap_err()
        .to_string();
        assert_eq!(
            err,
            "config key wechat.encoding_aes_key: must be 43 base64 characters, got 5 characters"
        );
    }

    #[test]
    fn missing_key_in_a_present_section_is_refused() {
        let err = Settings::from_toml_str("[wecom]\ncorp_id='c'")
            .unwrap_err()
            .to_string();
        assert!(err.contains("wecom.agent_id"), "{err}");
    }

    #[test]
    fn unknown_keys_are_refused() {
        assert!(Settings::from_toml_str("[server]\nbnd='1'").is_err());
    }

    #[test]
    fn secrets_do_not_show_in_debug() {
        let s = Settings::from_toml_str(
            "[wechat]\napp_id='wx1'\napp_secret='topsecret'\ntoken='tok123'\n\
             encoding_aes_key='kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR'",
        )
        .unwrap();
        let debug = format!("{s:?}");
        assert!(!debug.contains("topsecret") && !debug.contains("tok123"));
        assert!(!debug.contains("kWxPEV2U"));
    }
}
