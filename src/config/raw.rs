//! The configuration as written: every key optional, unknown keys refused. `sections.rs`
//! and `channels.rs` turn it into typed settings.

use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSettings {
    #[serde(default)]
    pub(super) server: RawServer,
    #[serde(default)]
    pub(super) database: RawDatabase,
    pub(super) admin: Option<RawAdmin>,
    pub(super) wechat: Option<RawWechat>,
    pub(super) wecom: Option<RawWecom>,
    #[serde(default)]
    pub(super) log: RawLog,
    #[serde(default)]
    pub(super) meetings: RawMeetings,
    #[serde(default)]
    pub(super) outbound: RawOutbound,
    #[serde(default)]
    pub(super) scheduler: RawScheduler,
    #[serde(default)]
    pub(super) web: RawWeb,
    pub(super) timezone: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawWeb {
    pub(super) oauth_base: Option<String>,
    pub(super) menu_file: Option<String>,
    pub(super) session_idle_minutes: Option<i64>,
    pub(super) screen_frame_ancestors: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawMeetings {
    pub(super) booking_buffer_minutes: Option<i64>,
    pub(super) late_grace_minutes: Option<i64>,
    pub(super) series_horizon_days: Option<i64>,
    pub(super) checkin_secret: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawServer {
    pub(super) bind: Option<String>,
    pub(super) public_url: Option<String>,
    pub(super) max_body_bytes: Option<usize>,
    pub(super) timestamp_window_secs: Option<i64>,
    pub(super) metrics_token: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDatabase {
    pub(super) url: Option<String>,
    pub(super) pool_size: Option<u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAdmin {
    pub(super) token: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawWechat {
    pub(super) app_id: Option<String>,
    pub(super) app_secret: Option<String>,
    pub(super) token: Option<String>,
    pub(super) encoding_aes_key: Option<String>,
    pub(super) api_base: Option<String>,
    pub(super) token_endpoint: Option<String>,
    pub(super) meeting_url: Option<String>,
    #[serde(default)]
    pub(super) templates: std::collections::BTreeMap<String, RawTemplate>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTemplate {
    pub(super) template_id: Option<String>,
    #[serde(default)]
    pub(super) fields: std::collections::BTreeMap<String, String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawScheduler {
    pub(super) reminder_offsets_minutes: Option<Vec<i64>>,
    pub(super) rsvp_chase_minutes: Option<i64>,
    pub(super) summary_minutes: Option<i64>,
    pub(super) readiness_minutes: Option<i64>,
    pub(super) minutes_reminder_hours: Option<i64>,
    pub(super) escalate_after_days: Option<i64>,
    pub(super) task_reminder_time: Option<String>,
    pub(super) quiet_hours: Option<String>,
    pub(super) overrun_margin_minutes: Option<i64>,
    pub(super) feedback_window_hours: Option<i64>,
    pub(super) overdue_every_days: Option<i64>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawOutbound {
    pub(super) concurrency: Option<usize>,
    pub(super) token_refresh_ahead_secs: Option<u64>,
    pub(super) request_timeout_secs: Option<u64>,
    pub(super) lease_secs: Option<u64>,
    pub(super) max_attempts: Option<i32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawWecom {
    pub(super) corp_id: Option<String>,
    pub(super) agent_id: Option<String>,
    pub(super) secret: Option<String>,
    pub(super) token: Option<String>,
    pub(super) encoding_aes_key: Option<String>,
    pub(super) api_base: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLog {
    pub(super) format: Option<String>,
    pub(super) level: Option<String>,
}
