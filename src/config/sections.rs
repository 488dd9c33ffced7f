//! The sections other than the channels, each checked on its own: a bad value names its key.

use super::raw::{
    RawAdmin, RawDatabase, RawLog, RawMeetings, RawOutbound, RawScheduler, RawServer, RawSettings,
};
use super::{
    parse_http_url, AdminSettings, ConfigError, DatabaseSettings, DatabaseUrl, LogFormat,
    LogSettings, MeetingSettings, OutboundSettings, SchedulerSettings, ServerSettings, Settings,
    WebSettings,
};
use secrecy::SecretString;
use std::fmt::Display;
use std::net::SocketAddr;
use std::ops::RangeInclusive;

impl RawSettings {
    pub(super) fn validate(self) -> Result<Settings, ConfigError> {
        let meetings = meetings(self.meetings)?;
        let timezone = timezone(self.timezone.as_deref())?;
        Ok(Settings {
            server: server(self.server)?,
            database: database(self.database)?,
            admin: self.admin.map(admin).transpose()?,
            wechat: self.wechat.map(|w| w.validate()).transpose()?,
            wecom: self.wecom.map(|w| w.validate()).transpose()?,
            log: log(self.log)?,
            outbound: outbound(&self.outbound)?,
            scheduler: scheduler(self.scheduler, timezone, meetings.late_grace)?,
            meetings,
            web: WebSettings {
                oauth_base: parse_http_url(
                    "web.oauth_base",
                    self.web
                        .oauth_base
                        .as_deref()
                        .unwrap_or("https://open.weixin.qq.com"),
                )?,
                menu_file: self
                    .web
                    .menu_file
                    .unwrap_or_else(|| "config/menu.toml".to_owned())
                    .into(),
                session_idle: chrono::Duration::minutes(in_range(
                    "web.session_idle_minutes",
                    self.web.session_idle_minutes,
                    480,
                    5..=1440,
                )?),
                screen_frame_ancestors: frame_ancestors(self.web.screen_frame_ancestors)?,
            },
            timezone,
        })
    }
}

/// Origins (`https://signage.example.com`), separated by spaces, as CSP's `frame-ancestors`
/// takes them: nothing that could end the directive or add another.
fn frame_ancestors(value: Option<String>) -> Result<Option<String>, ConfigError> {
    let Some(value) = value.filter(|v| !v.trim().is_empty()) else {
        return Ok(None);
    };
    let fine = value.split_whitespace().all(|origin| {
        url::Url::parse(origin).is_ok_and(|u| matches!(u.scheme(), "https" | "http"))
            && !origin.contains([';', ',', '\'', '"'])
    });
    if fine {
        Ok(Some(value.split_whitespace().collect::<Vec<_>>().join(" ")))
    } else {
        Err(ConfigError::invalid(
            "web.screen_frame_ancestors",
            "must be origins separated by spaces, e.g. https://signage.example.com",
        ))
    }
}

/// `value` (or `default` when left out) if it lies in `range`.
fn in_range<T: PartialOrd + Display + Copy>(
    key: &str,
    value: Option<T>,
    default: T,
    range: RangeInclusive<T>,
) -> Result<T, ConfigError> {
    let v = value.unwrap_or(default);
    if range.contains(&v) {
        Ok(v)
    } else {
        Err(ConfigError::invalid(
            key,
            format!("must be from {} to {}", range.start(), range.end()),
        ))
    }
}

fn minutes(key: &str, value: Option<i64>, default: i64) -> Result<chrono::Duration, ConfigError> {
    in_range(key, value, default, 0..=1440)
        .map(chrono::Duration::minutes)
        .map_err(|_| ConfigError::invalid(key, "must be from 0 to 1440 minutes"))
}

fn hours(key: &str, value: Option<i64>, default: i64) -> Result<chrono::Duration, ConfigError> {
    in_range(key, value, default, 1..=720).map(chrono::Duration::hours)
}

fn seconds(
    key: &str,
    value: Option<u64>,
    default: u64,
    max: u64,
) -> Result<std::time::Duration, ConfigError> {
    in_range(key, value, default, 1..=max)
        .map(std::time::Duration::from_secs)
        .map_err(|_| ConfigError::invalid(key, format!("must be from 1 to {max} seconds")))
}

fn time_of_day(key: &str, raw: &str) -> Result<chrono::NaiveTime, ConfigError> {
    chrono::NaiveTime::parse_from_str(raw.trim(), "%H:%M")
        .map_err(|_| ConfigError::invalid(key, "must be a time of day such as 09:00"))
}

fn server(s: RawServer) -> Result<ServerSettings, ConfigError> {
    let bind = s.bind.as_deref().unwrap_or("127.0.0.1:8080");
    let bind: SocketAddr = bind.parse().map_err(|_| {
        ConfigError::invalid("server.bind", "must be an address such as 127.0.0.1:8080")
    })?;
    let public_url = s.public_url.unwrap_or_else(|| format!("http://{bind}"));
    let public_url = parse_http_url("server.public_url", &public_url)?;
    let max_body_bytes = s.max_body_bytes.unwrap_or(65536);
    if max_body_bytes < 1024 {
        return Err(ConfigError::invalid(
            "server.max_body_bytes",
            "must be at least 1024",
        ));
    }
    let timestamp_window_secs = s.timestamp_window_secs.unwrap_or(300);
    if timestamp_window_secs <= 0 {
        return Err(ConfigError::invalid(
            "server.timestamp_window_secs",
            "must be positive",
        ));
    }
    let metrics_token = match s.metrics_token {
        Some(t) if t.len() < 16 => {
            return Err(ConfigError::invalid(
                "server.metrics_token",
                "must be at least 16 characters",
            ))
        }
        t => t.map(SecretString::from),
    };
    Ok(ServerSettings {
        bind,
        public_url,
        max_body_bytes,
        timestamp_window_secs,
        metrics_token,
    })
}

fn database(d: RawDatabase) -> Result<DatabaseSettings, ConfigError> {
    let url = d.url.as_deref().unwrap_or("sqlite://data/huiwu.db");
    let url = DatabaseUrl::parse(url).map_err(|e| ConfigError::invalid("database.url", e))?;
    let pool_size = d.pool_size.unwrap_or(8);
    if pool_size == 0 {
        return Err(ConfigError::invalid(
            "database.pool_size",
            "must be at least 1",
        ));
    }
    Ok(DatabaseSettings { url, pool_size })
}

fn admin(a: RawAdmin) -> Result<AdminSettings, ConfigError> {
    if a.token.len() < 16 {
        return Err(ConfigError::invalid(
            "admin.token",
            "must be at least 16 characters",
        ));
    }
    Ok(AdminSettings {
        token: a.token.into(),
    })
}

fn log(l: RawLog) -> Result<LogSettings, ConfigError> {
    let format = match l.format.as_deref().unwrap_or("text") {
        "text" => LogFormat::Text,
        "json" => LogFormat::Json,
        _ => {
            return Err(ConfigError::invalid(
                "log.format",
                "must be \"text\" or \"json\"",
            ))
        }
    };
    let level = l.level.unwrap_or_else(|| "info".to_owned());
    if tracing_subscriber::EnvFilter::try_new(&level).is_err() {
        return Err(ConfigError::invalid(
            "log.level",
            "is not a valid tracing filter",
        ));
    }
    Ok(LogSettings { format, level })
}

fn meetings(m: RawMeetings) -> Result<MeetingSettings, ConfigError> {
    Ok(MeetingSettings {
        booking_buffer: minutes(
            "meetings.booking_buffer_minutes",
            m.booking_buffer_minutes,
            0,
        )?,
        late_grace: minutes("meetings.late_grace_minutes", m.late_grace_minutes, 5)?,
        series_horizon_days: in_range(
            "meetings.series_horizon_days",
            m.series_horizon_days,
            28,
            1..=366,
        )? as u32,
        checkin_secret: match m.checkin_secret {
            Some(s) if s.trim().len() < 16 => {
                return Err(ConfigError::invalid(
                    "meetings.checkin_secret",
                    "must be at least 16 characters (or left out to let huiwu make one)",
                ))
            }
            Some(s) => Some(SecretString::from(s)),
            None => None,
        },
    })
}

fn outbound(o: &RawOutbound) -> Result<OutboundSettings, ConfigError> {
    Ok(OutboundSettings {
        concurrency: in_range("outbound.concurrency", o.concurrency, 32, 1..=1024)?,
        token_refresh_ahead: seconds(
            "outbound.token_refresh_ahead_secs",
            o.token_refresh_ahead_secs,
            300,
            3600,
        )?,
        request_timeout: seconds(
            "outbound.request_timeout_secs",
            o.request_timeout_secs,
            10,
            120,
        )?,
        lease: seconds("outbound.lease_secs", o.lease_secs, 60, 3600)?,
        max_attempts: in_range("outbound.max_attempts", o.max_attempts, 16, 1..=100)?,
    })
}

fn timezone(raw: Option<&str>) -> Result<chrono_tz::Tz, ConfigError> {
    raw.unwrap_or("Asia/Shanghai")
        .parse::<chrono_tz::Tz>()
        .map_err(|_| {
            ConfigError::invalid("timezone", "is not an IANA time zone such as Asia/Shanghai")
        })
}

fn scheduler(
    sc: RawScheduler,
    tz: chrono_tz::Tz,
    late_grace: chrono::Duration,
) -> Result<SchedulerSettings, ConfigError> {
    let offsets = sc
        .reminder_offsets_minutes
        .unwrap_or_else(|| vec![1440, 15]);
    if offsets.is_empty() || offsets.iter().any(|m| !(1..=43_200).contains(m)) {
        return Err(ConfigError::invalid(
            "scheduler.reminder_offsets_minutes",
            "must list 1 to 43200 minutes before the start, e.g. [1440, 15]",
        ));
    }
    let quiet = sc.quiet_hours.unwrap_or_else(|| "22:00-08:00".to_owned());
    let (quiet_start, quiet_end) = quiet.split_once('-').ok_or_else(|| {
        ConfigError::invalid("scheduler.quiet_hours", "must look like 22:00-08:00")
    })?;
    Ok(SchedulerSettings {
        tz,
        reminder_offsets: offsets.into_iter().map(chrono::Duration::minutes).collect(),
        rsvp_chase_before: minutes("scheduler.rsvp_chase_minutes", sc.rsvp_chase_minutes, 1440)?,
        summary_before: minutes("scheduler.summary_minutes", sc.summary_minutes, 60)?,
        readiness_before: minutes("scheduler.readiness_minutes", sc.readiness_minutes, 60)?,
        late_grace,
        minutes_after: hours(
            "scheduler.minutes_reminder_hours",
            sc.minutes_reminder_hours,
            24,
        )?,
        escalate_after_days: in_range(
            "scheduler.escalate_after_days",
            sc.escalate_after_days,
            2,
            1..=60,
        )?,
        overdue_every_days: in_range(
            "scheduler.overdue_every_days",
            sc.overdue_every_days,
            1,
            1..=30,
        )?,
        task_hour: time_of_day(
            "scheduler.task_reminder_time",
            sc.task_reminder_time.as_deref().unwrap_or("09:00"),
        )?,
        overrun_margin: minutes(
            "scheduler.overrun_margin_minutes",
            sc.overrun_margin_minutes,
            5,
        )?,
        feedback_window: hours(
            "scheduler.feedback_window_hours",
            sc.feedback_window_hours,
            48,
        )?,
        quiet_start: time_of_day("scheduler.quiet_hours", quiet_start)?,
        quiet_end: time_of_day("scheduler.quiet_hours", quiet_end)?,
    })
}
