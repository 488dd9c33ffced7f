//! What the scheduler does at a planned moment, with the data it needs. The kind is stored
//! by name and the data beside it (an agenda item's position, an action item's due date), so
//! nothing is read back out of a dedupe key.

use super::ids::{ChecklistItemId, MilestoneId};
use super::notice_kind::NoticeKind;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Job {
    /// The earliest reminder: it carries the briefing, materials and presenters' slots.
    ReminderFirst,
    Reminder,
    RsvpChase,
    #[serde(rename = "attendance_summary")]
    Summary,
    CheckinMissing,
    /// Start + grace and the meeting not started: the hosts and organizers are told, once.
    LateStart,
    MinutesDue,
    /// After a confidential meeting: every read of it, to its confidentiality officers.
    ReadDigest,
    ItemTimebox {
        position: i32,
    },
    ItemOverrun {
        position: i32,
    },
    MeetingOvertime,
    FeedbackRequest,
    FeedbackReport,
    TaskEve {
        due: NaiveDate,
    },
    TaskDue {
        due: NaiveDate,
    },
    TaskOverdue {
        due: NaiveDate,
    },
    TaskEscalation {
        due: NaiveDate,
    },
    WeeklyDigest,
    /// The first working day of a month: last month's improvement summary, to the admins.
    MonthlyReport,
    /// The preparation checklist, done and not done, to the host and organizers.
    Readiness,
    /// A milestone of an action item, reminded like a due date.
    Milestone {
        milestone: MilestoneId,
        stage: Stage,
    },
    /// A checklist item not done by its due time: its owner is chased, once.
    ChecklistOverdue {
        item: ChecklistItemId,
    },
}

/// Which of a due date's reminders: the eve, the day, overdue, the escalation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Eve,
    Due,
    Overdue,
    Escalation,
}

impl Stage {
    /// The stage of one of an action item's jobs (`plan::task_jobs`), if it is one.
    pub fn of(job: Job) -> Option<Stage> {
        match job {
            Job::TaskEve { .. } => Some(Stage::Eve),
            Job::TaskDue { .. } => Some(Stage::Due),
            Job::TaskOverdue { .. } => Some(Stage::Overdue),
            Job::TaskEscalation { .. } => Some(Stage::Escalation),
            _ => None,
        }
    }
}

/// A stored job that cannot be read back.
#[derive(Debug, thiserror::Error)]
#[error("stored job {kind:?} with {params:?} is not one huiwu knows: {why}")]
pub struct UnknownJob {
    kind: String,
    params: Option<String>,
    why: String,
}

impl Job {
    /// The stored kind.
    pub fn name(self) -> &'static str {
        match self {
            Job::ReminderFirst => "reminder_first",
            Job::Reminder => "reminder",
            Job::RsvpChase => "rsvp_chase",
            Job::Summary => "attendance_summary",
            Job::CheckinMissing => "checkin_missing",
            Job::LateStart => "late_start",
            Job::ReadDigest => "read_digest",
            Job::MinutesDue => "minutes_due",
            Job::ItemTimebox { .. } => "item_timebox",
            Job::ItemOverrun { .. } => "item_overrun",
            Job::MeetingOvertime => "meeting_overtime",
            Job::FeedbackRequest => "feedback_request",
            Job::FeedbackReport => "feedback_report",
            Job::TaskEve { .. } => "task_eve",
            Job::TaskDue { .. } => "task_due",
            Job::TaskOverdue { .. } => "task_overdue",
            Job::TaskEscalation { .. } => "task_escalation",
            Job::WeeklyDigest => "weekly_digest",
            Job::MonthlyReport => "monthly_report",
            Job::Readiness => "readiness",
            Job::Milestone { .. } => "milestone",
            Job::ChecklistOverdue { .. } => "checklist_overdue",
        }
    }

    /// The stored data: the whole job as JSON (kind included, so it reads back alone).
    pub fn params(self) -> String {
        serde_json::to_string(&self).unwrap_or_default()
    }

    pub fn from_stored(kind: &str, params: Option<&str>) -> Result<Job, UnknownJob> {
        let fail = |why: String| UnknownJob {
            kind: kind.to_owned(),
            params: params.map(str::to_owned),
            why,
        };
        let params = params.ok_or_else(|| fail("no params".into()))?;
        let job: Job = serde_json::from_str(params).map_err(|e| fail(e.to_string()))?;
        if job.name() != kind {
            return Err(fail("the params name another kind".into()));
        }
        Ok(job)
    }

    /// What the messages it sends are, for templates and delivery reports.
    pub fn notice_kind(self) -> NoticeKind {
        match self {
            Job::ReminderFirst | Job::Reminder => NoticeKind::Reminder,
            Job::RsvpChase => NoticeKind::RsvpChase,
            Job::Summary => NoticeKind::AttendanceSummary,
            Job::CheckinMissing => NoticeKind::CheckinMissing,
            Job::LateStart => NoticeKind::LateStart,
            Job::ReadDigest => NoticeKind::ReadDigest,
            Job::MinutesDue => NoticeKind::MinutesDue,
            Job::ItemTimebox { .. } | Job::ItemOverrun { .. } | Job::MeetingOvertime => {
                NoticeKind::TimeControl
            }
            Job::FeedbackRequest => NoticeKind::FeedbackRequest,
            Job::FeedbackReport => NoticeKind::FeedbackReport,
            Job::TaskEve { .. } | Job::TaskDue { .. } | Job::TaskOverdue { .. } => {
                NoticeKind::TaskReminder
            }
            Job::TaskEscalation { .. } => NoticeKind::TaskEscalation,
            Job::WeeklyDigest => NoticeKind::WeeklyDigest,
            Job::MonthlyReport => NoticeKind::MonthlyReport,
            Job::Readiness => NoticeKind::Readiness,
            Job::Milestone {
                stage: Stage::Escalation,
                ..
            } => NoticeKind::TaskEscalation,
            Job::Milestone { .. } => NoticeKind::TaskReminder,
            Job::ChecklistOverdue { .. } => NoticeKind::ChecklistOverdue,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_job_reads_back_as_it_was_stored() {
        let due = NaiveDate::from_ymd_opt(2026, 12, 5).unwrap();
        for job in [
            Job::ReminderFirst,
            Job::Summary,
            Job::ItemOverrun { position: 3 },
            Job::TaskOverdue { due },
            Job::WeeklyDigest,
        ] {
            let params = job.params();
            assert_eq!(Job::from_stored(job.name(), Some(&params)).unwrap(), job);
        }
        assert_eq!(
            Job::ItemTimebox { position: 2 }.params(),
            r#"{"kind":"item_timebox","position":2}"#
        );
        assert!(Job::from_stored("reminder", None).is_err());
        assert!(Job::from_stored("reminder", Some(r#"{"kind":"task_due"}"#)).is_err());
        assert!(Job::from_stored("item_timebox", Some(r#"{"kind":"item_timebox"}"#)).is_err());
    }
}
