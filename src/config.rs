//! Settings: `config/default.toml` (or `--config` / `HUIWU_CONFIG`), then `HUIWU__SECTION__KEY`
//! environment overrides. Raw values are parsed once into typed settings; a bad value stops
//! startup with one line naming the key and the reason.

use crate::db::DatabaseUrl;
pub use crate::notify::payload::{TemplateSettings, TEMPLATE_VALUES};
pub use crate::notify::worker::OutboundSettings;
use crate::notify::NoticeKind;
use crate::wechat::crypto::AesKey;
use crate::wechat::envelope::Endpoint;
use secrecy::SecretString;
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::Path;

pub const DEFAULT_CONFIG_PATH: &str = "config/default.toml";
pub const ENV_PREFIX: &str = "HUIWU";
const DEFAULT_WECHAT_API: &str = "https://api.weixin.qq.com";
const DEFAULT_WECOM_API: &str = "https://qyapi.weixin.qq.com";

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("config key {key}: {reason}")]
    Invalid { key: String, reason: String },
    #[error("config: {0}")]
    Load(#[from] config::ConfigError),
}

fn invalid(key: &str, reason: impl std::fmt::Display) -> ConfigError {
    ConfigError::Invalid {
        key: key.to_owned(),
        reason: reason.to_string(),
    }
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
    pub scheduler: crate::notify::plan::PlanSettings,
    pub timezone: chrono_tz::Tz,
}

#[derive(Debug, Clone)]
pub struct MeetingSettings {
    /// Minimum gap between two bookings of one room.
    pub booking_buffer: chrono::Duration,
    /// A check-in later than start + grace is late.
    pub late_grace: chrono::Duration,
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
    /// or `default` for any kind without its own).
    pub templates: std::collections::BTreeMap<String, TemplateSettings>,
}

impl WechatSettings {
    /// The callback endpoint these settings describe.
    pub fn endpoint(&self, window_secs: i64) -> Endpoint {
        Endpoint::official_account(
            &self.app_id,
            self.token.clone(),
            self.encoding_aes_key.clone(),
            window_secs,
        )
    }
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

impl WecomSettings {
    pub fn endpoint(&self, window_secs: i64) -> Endpoint {
        Endpoint::wecom(
            &self.corp_id,
            self.token.clone(),
            self.encoding_aes_key.clone(),
            window_secs,
        )
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSettings {
    #[serde(default)]
    server: RawServer,
    #[serde(default)]
    database: RawDatabase,
    admin: Option<RawAdmin>,
    wechat: Option<RawWechat>,
    wecom: Option<RawWecom>,
    #[serde(default)]
    log: RawLog,
    #[serde(default)]
    meetings: RawMeetings,
    #[serde(default)]
    outbound: RawOutbound,
    #[serde(default)]
    scheduler: RawScheduler,
    timezone: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawMeetings {
    booking_buffer_minutes: Option<i64>,
    late_grace_minutes: Option<i64>,
    checkin_secret: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawServer {
    bind: Option<String>,
    public_url: Option<String>,
    max_body_bytes: Option<usize>,
    timestamp_window_secs: Option<i64>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawDatabase {
    url: Option<String>,
    pool_size: Option<u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAdmin {
    token: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWechat {
    app_id: Option<String>,
    app_secret: Option<String>,
    token: Option<String>,
    encoding_aes_key: Option<String>,
    api_base: Option<String>,
    token_endpoint: Option<String>,
    meeting_url: Option<String>,
    #[serde(default)]
    templates: std::collections::BTreeMap<String, RawTemplate>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTemplate {
    template_id: Option<String>,
    #[serde(default)]
    fields: std::collections::BTreeMap<String, String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawScheduler {
    reminder_offsets_minutes: Option<Vec<i64>>,
    rsvp_chase_minutes: Option<i64>,
    summary_minutes: Option<i64>,
    minutes_reminder_hours: Option<i64>,
    escalate_after_days: Option<i64>,
    task_reminder_time: Option<String>,
    quiet_hours: Option<String>,
    overrun_margin_minutes: Option<i64>,
    feedback_window_hours: Option<i64>,
    overdue_every_days: Option<i64>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawOutbound {
    concurrency: Option<usize>,
    token_refresh_ahead_secs: Option<u64>,
    request_timeout_secs: Option<u64>,
    lease_secs: Option<u64>,
    max_attempts: Option<i32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWecom {
    corp_id: Option<String>,
    agent_id: Option<String>,
    secret: Option<String>,
    token: Option<String>,
    encoding_aes_key: Option<String>,
    api_base: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawLog {
    format: Option<String>,
    level: Option<String>,
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
            return Err(invalid(
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

impl RawSettings {
    fn validate(self) -> Result<Settings, ConfigError> {
        let bind = self.server.bind.as_deref().unwrap_or("127.0.0.1:8080");
        let bind: SocketAddr = bind
            .parse()
            .map_err(|_| invalid("server.bind", "must be an address such as 127.0.0.1:8080"))?;
        let public_url = self
            .server
            .public_url
            .unwrap_or_else(|| format!("http://{bind}"));
        let public_url = parse_http_url("server.public_url", &public_url)?;
        let max_body_bytes = self.server.max_body_bytes.unwrap_or(65536);
        if max_body_bytes < 1024 {
            return Err(invalid("server.max_body_bytes", "must be at least 1024"));
        }
        let timestamp_window_secs = self.server.timestamp_window_secs.unwrap_or(300);
        if timestamp_window_secs <= 0 {
            return Err(invalid("server.timestamp_window_secs", "must be positive"));
        }

        let url = self
            .database
            .url
            .as_deref()
            .unwrap_or("sqlite://data/huiwu.db");
        let url = DatabaseUrl::parse(url).map_err(|e| invalid("database.url", e))?;
        let pool_size = self.database.pool_size.unwrap_or(8);
        if pool_size == 0 {
            return Err(invalid("database.pool_size", "must be at least 1"));
        }

        let admin = self
            .admin
            .map(|a| {
                if a.token.len() < 16 {
                    return Err(invalid("admin.token", "must be at least 16 characters"));
                }
                Ok(AdminSettings {
                    token: a.token.into(),
                })
            })
            .transpose()?;

        let wechat = self.wechat.map(RawWechat::validate).transpose()?;
        let wecom = self.wecom.map(RawWecom::validate).transpose()?;

        let format = match self.log.format.as_deref().unwrap_or("text") {
            "text" => LogFormat::Text,
            "json" => LogFormat::Json,
            _ => return Err(invalid("log.format", "must be \"text\" or \"json\"")),
        };
        let level = self.log.level.unwrap_or_else(|| "info".to_owned());
        if tracing_subscriber::EnvFilter::try_new(&level).is_err() {
            return Err(invalid("log.level", "is not a valid tracing filter"));
        }

        let minutes = |key: &str, value: Option<i64>, default: i64| match value.unwrap_or(default) {
            m @ 0..=1440 => Ok(chrono::Duration::minutes(m)),
            _ => Err(invalid(key, "must be from 0 to 1440 minutes")),
        };
        let meetings = MeetingSettings {
            booking_buffer: minutes(
                "meetings.booking_buffer_minutes",
                self.meetings.booking_buffer_minutes,
                0,
            )?,
            late_grace: minutes(
                "meetings.late_grace_minutes",
                self.meetings.late_grace_minutes,
                5,
            )?,
            checkin_secret: match self.meetings.checkin_secret {
                Some(s) if s.trim().len() < 16 => {
                    return Err(invalid(
                        "meetings.checkin_secret",
                        "must be at least 16 characters (or left out to let huiwu make one)",
                    ))
                }
                Some(s) => Some(SecretString::from(s)),
                None => None,
            },
        };

        let o = &self.outbound;
        let secs = |key: &str, value: Option<u64>, default: u64, max: u64| match value
            .unwrap_or(default)
        {
            v @ 1.. if v <= max => Ok(std::time::Duration::from_secs(v)),
            _ => Err(invalid(key, format!("must be from 1 to {max} seconds"))),
        };
        let outbound = OutboundSettings {
            concurrency: match o.concurrency.unwrap_or(32) {
                n @ 1..=1024 => n,
                _ => return Err(invalid("outbound.concurrency", "must be from 1 to 1024")),
            },
            token_refresh_ahead: secs(
                "outbound.token_refresh_ahead_secs",
                o.token_refresh_ahead_secs,
                300,
                3600,
            )?,
            request_timeout: secs(
                "outbound.request_timeout_secs",
                o.request_timeout_secs,
                10,
                120,
            )?,
            lease: secs("outbound.lease_secs", o.lease_secs, 60, 3600)?,
            max_attempts: match o.max_attempts.unwrap_or(16) {
                n @ 1..=100 => n,
                _ => return Err(invalid("outbound.max_attempts", "must be from 1 to 100")),
            },
        };

        let timezone = self.timezone.as_deref().unwrap_or("Asia/Shanghai");
        let timezone = timezone
            .parse::<chrono_tz::Tz>()
            .map_err(|_| invalid("timezone", "is not an IANA time zone such as Asia/Shanghai"))?;

        let sc = self.scheduler;
        let time_of_day = |key: &str, raw: &str| {
            chrono::NaiveTime::parse_from_str(raw.trim(), "%H:%M")
                .map_err(|_| invalid(key, "must be a time of day such as 09:00"))
        };
        let offsets = sc
            .reminder_offsets_minutes
            .unwrap_or_else(|| vec![1440, 15]);
        if offsets.is_empty() || offsets.iter().any(|m| !(1..=43_200).contains(m)) {
            return Err(invalid(
                "scheduler.reminder_offsets_minutes",
                "must list 1 to 43200 minutes before the start, e.g. [1440, 15]",
            ));
        }
        let quiet = sc.quiet_hours.unwrap_or_else(|| "22:00-08:00".to_owned());
        let (quiet_start, quiet_end) = quiet
            .split_once('-')
            .ok_or_else(|| invalid("scheduler.quiet_hours", "must look like 22:00-08:00"))?;
        let scheduler = crate::notify::plan::PlanSettings {
            tz: timezone,
            reminder_offsets: offsets.into_iter().map(chrono::Duration::minutes).collect(),
            rsvp_chase_before: minutes(
                "scheduler.rsvp_chase_minutes",
                sc.rsvp_chase_minutes,
                1440,
            )?,
            summary_before: minutes("scheduler.summary_minutes", sc.summary_minutes, 60)?,
            late_grace: meetings.late_grace,
            minutes_after: match sc.minutes_reminder_hours.unwrap_or(24) {
                h @ 1..=720 => chrono::Duration::hours(h),
                _ => {
                    return Err(invalid(
                        "scheduler.minutes_reminder_hours",
                        "must be from 1 to 720",
                    ))
                }
            },
            escalate_after_days: match sc.escalate_after_days.unwrap_or(2) {
                d @ 1..=60 => d,
                _ => {
                    return Err(invalid(
                        "scheduler.escalate_after_days",
                        "must be from 1 to 60",
                    ))
                }
            },
            overdue_every_days: match sc.overdue_every_days.unwrap_or(1) {
                d @ 1..=30 => d,
                _ => {
                    return Err(invalid(
                        "scheduler.overdue_every_days",
                        "must be from 1 to 30",
                    ))
                }
            },
            task_hour: time_of_day(
                "scheduler.task_reminder_time",
                sc.task_reminder_time.as_deref().unwrap_or("09:00"),
            )?,
            overrun_margin: minutes(
                "scheduler.overrun_margin_minutes",
                sc.overrun_margin_minutes,
                5,
            )?,
            feedback_window: match sc.feedback_window_hours.unwrap_or(48) {
                h @ 1..=720 => chrono::Duration::hours(h),
                _ => {
                    return Err(invalid(
                        "scheduler.feedback_window_hours",
                        "must be from 1 to 720",
                    ))
                }
            },
            quiet_start: time_of_day("scheduler.quiet_hours", quiet_start)?,
            quiet_end: time_of_day("scheduler.quiet_hours", quiet_end)?,
        };

        Ok(Settings {
            server: ServerSettings {
                bind,
                public_url,
                max_body_bytes,
                timestamp_window_secs,
            },
            database: DatabaseSettings { url, pool_size },
            admin,
            wechat,
            wecom,
            log: LogSettings { format, level },
            meetings,
            outbound,
            scheduler,
            timezone,
        })
    }
}

impl RawWechat {
    fn validate(self) -> Result<WechatSettings, ConfigError> {
        let app_id = required("wechat.app_id", self.app_id)?;
        let app_secret = required("wechat.app_secret", self.app_secret)?;
        let token = callback_token("wechat.token", self.token)?;
        let encoding_aes_key = match self.encoding_aes_key.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(key) => {
                Some(AesKey::parse(key).map_err(|e| invalid("wechat.encoding_aes_key", e))?)
            }
        };
        let api_base = parse_http_url(
            "wechat.api_base",
            self.api_base.as_deref().unwrap_or(DEFAULT_WECHAT_API),
        )?;
        let stable_token = match self.token_endpoint.as_deref().unwrap_or("stable") {
            "stable" => true,
            "classic" => false,
            _ => {
                return Err(invalid(
                    "wechat.token_endpoint",
                    "must be \"stable\" or \"classic\"",
                ))
            }
        };
        let meeting_url = match self.meeting_url.map(|u| u.trim().to_owned()) {
            None => None,
            Some(u) if u.contains("{id}") => {
                parse_http_url("wechat.meeting_url", &u.replace("{id}", "1"))?;
                Some(u)
            }
            Some(_) => {
                return Err(invalid(
                    "wechat.meeting_url",
                    "must contain {id}, e.g. https://oa.example.com/meetings/{id}",
                ))
            }
        };
        let mut templates = std::collections::BTreeMap::new();
        for (kind, t) in self.templates {
            let key = format!("wechat.templates.{kind}");
            let known = kind == "default"
                || NoticeKind::parse(&kind).is_some_and(NoticeKind::takes_template);
            if !known {
                let valid: Vec<&str> = NoticeKind::ALL
                    .iter()
                    .filter(|k| k.takes_template())
                    .map(|k| k.as_str())
                    .collect();
                return Err(invalid(
                    &key,
                    format!(
                        "{kind:?} is no notice kind; use default or one of {}",
                        valid.join(", ")
                    ),
                ));
            }
            let template_id = required(&format!("{key}.template_id"), t.template_id)?;
            if t.fields.is_empty() {
                return Err(invalid(
                    &format!("{key}.fields"),
                    "must map at least one template field",
                ));
            }
            if let Some((field, value)) = t
                .fields
                .iter()
                .find(|(_, v)| !TEMPLATE_VALUES.contains(&v.as_str()))
            {
                return Err(invalid(
                    &format!("{key}.fields.{field}"),
                    format!("{value:?} is not one of {}", TEMPLATE_VALUES.join(", ")),
                ));
            }
            templates.insert(
                kind,
                TemplateSettings {
                    template_id,
                    fields: t.fields,
                },
            );
        }
        Ok(WechatSettings {
            app_id,
            app_secret: app_secret.into(),
            token,
            encoding_aes_key,
            api_base,
            stable_token,
            meeting_url,
            templates,
        })
    }
}

impl RawWecom {
    fn validate(self) -> Result<WecomSettings, ConfigError> {
        let corp_id = required("wecom.corp_id", self.corp_id)?;
        let agent_id = required("wecom.agent_id", self.agent_id)?;
        if !agent_id.chars().all(|c| c.is_ascii_digit()) {
            return Err(invalid("wecom.agent_id", "must be a number"));
        }
        let secret = required("wecom.secret", self.secret)?;
        let token = callback_token("wecom.token", self.token)?;
        let key = required("wecom.encoding_aes_key", self.encoding_aes_key)?;
        let encoding_aes_key =
            AesKey::parse(&key).map_err(|e| invalid("wecom.encoding_aes_key", e))?;
        let api_base = parse_http_url(
            "wecom.api_base",
            self.api_base.as_deref().unwrap_or(DEFAULT_WECOM_API),
        )?;
        Ok(WecomSettings {
            corp_id,
            agent_id,
            secret: secret.into(),
            token,
            encoding_aes_key,
            api_base,
        })
    }
}

fn required(key: &str, value: Option<String>) -> Result<String, ConfigError> {
    match value.map(|v| v.trim().to_owned()) {
        Some(v) if !v.is_empty() => Ok(v),
        _ => Err(invalid(key, "is required when its section is present")),
    }
}

/// 3–32 visible ASCII characters: the consoles' rule, loosened to what real accounts use.
fn callback_token(key: &str, value: Option<String>) -> Result<SecretString, ConfigError> {
    let token = required(key, value)?;
    if !(3..=32).contains(&token.len()) || !token.chars().all(|c| c.is_ascii_graphic()) {
        return Err(invalid(key, "must be 3 to 32 visible ASCII characters"));
    }
    Ok(token.into())
}

fn parse_http_url(key: &str, raw: &str) -> Result<url::Url, ConfigError> {
    let url = url::Url::parse(raw).map_err(|e| invalid(key, format!("is not a URL ({e})")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid(key, "must be an http:// or https:// URL"));
    }
    Ok(url)
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
    fn a_template_for_an_unknown_notice_kind_is_refused_naming_the_valid_ones() {
        let oa = "[wechat]\napp_id='wx1'\napp_secret='s'\ntoken='tok'\n";
        let template = "template_id='T1'\nfields={first='title'}";
        let err = Settings::from_toml_str(&format!("{oa}[wechat.templates.invitaton]\n{template}"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("wechat.templates.invitaton"), "{err}");
        assert!(err.contains("invitation, cancellation"), "{err}");
        assert!(!err.contains("card_update"), "{err}");
        for kind in ["default", "invitation", "task_reminder", "weekly_digest"] {
            let s = Settings::from_toml_str(&format!("{oa}[wechat.templates.{kind}]\n{template}"));
            assert!(s.is_ok(), "{kind}: {:?}", s.err());
        }
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
