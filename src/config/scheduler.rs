//! When the scheduler plans its jobs.

use chrono::{Duration, NaiveTime};
use chrono_tz::Tz;

/// The `[scheduler]` section: when reminders and chasers go out.
#[derive(Debug, Clone)]
pub struct SchedulerSettings {
    pub tz: Tz,
    /// Reminders before the start; the earliest carries the briefing notes.
    pub reminder_offsets: Vec<Duration>,
    /// Pending invitees are chased this long before the start.
    pub rsvp_chase_before: Duration,
    /// The host and organizers get who is coming this long before the start.
    pub summary_before: Duration,
    /// And how ready the preparation checklist is, this long before the start.
    pub readiness_before: Duration,
    /// After start + this grace, the host gets who accepted but has not checked in.
    pub late_grace: Duration,
    /// The recorder is reminded if minutes are not published this long after the end.
    pub minutes_after: Duration,
    /// Overdue action items go to the follow-up owner and host after this many days.
    pub escalate_after_days: i64,
    /// Owners of overdue action items are reminded every this many days.
    pub overdue_every_days: i64,
    /// Local time of day when task reminders go out.
    pub task_hour: NaiveTime,
    /// The host hears of an agenda item running this much past its time box.
    pub overrun_margin: Duration,
    /// Feedback is collected this long after the end, then reported.
    pub feedback_window: Duration,
    /// Non-urgent messages wait out [start, end) local time (wrapping midnight).
    pub quiet_start: NaiveTime,
    pub quiet_end: NaiveTime,
}
