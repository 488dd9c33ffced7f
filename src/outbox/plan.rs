//! When reminders and chasers are due: pure planning, no I/O, so every rule is unit-tested.

use crate::config::SchedulerSettings;
use crate::meetings::job::Job;
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc};

/// A job to plan and when it is due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    pub job: Job,
    pub due_at: DateTime<Utc>,
}

/// Every job of a published meeting from `start` to `end`, skipping those already past.
pub fn meeting_jobs(
    s: &SchedulerSettings,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Vec<Planned> {
    let mut offsets = s.reminder_offsets.clone();
    offsets.sort();
    offsets.dedup();
    let earliest = offsets.last().copied();
    let mut jobs: Vec<Planned> = offsets
        .iter()
        .map(|o| Planned {
            job: if Some(*o) == earliest {
                Job::ReminderFirst
            } else {
                Job::Reminder
            },
            due_at: start - *o,
        })
        .collect();
    jobs.push(Planned {
        job: Job::RsvpChase,
        due_at: start - s.rsvp_chase_before,
    });
    jobs.push(Planned {
        job: Job::Summary,
        due_at: start - s.summary_before,
    });
    jobs.push(Planned {
        job: Job::Readiness,
        due_at: start - s.readiness_before,
    });
    jobs.push(Planned {
        job: Job::CheckinMissing,
        due_at: start + s.late_grace,
    });
    jobs.push(Planned {
        job: Job::LateStart,
        due_at: start + s.late_grace,
    });
    jobs.push(Planned {
        job: Job::MinutesDue,
        due_at: end + s.minutes_after,
    });
    jobs.push(Planned {
        job: Job::ReadDigest,
        due_at: end + s.minutes_after,
    });
    jobs.push(Planned {
        job: Job::MeetingOvertime,
        due_at: end,
    });
    jobs.push(Planned {
        job: Job::FeedbackRequest,
        due_at: end,
    });
    jobs.push(Planned {
        job: Job::FeedbackReport,
        due_at: end + s.feedback_window,
    });
    // A job whose moment passed before planning is dropped: a meeting published at short
    // notice gets its invitation (which says how soon it starts), not a burst of reminders.
    jobs.into_iter().filter(|j| j.due_at >= now).collect()
}

/// Time control for an agenda item started at `started`: when its box is full, and when it
/// overruns by the margin.
pub fn item_jobs(
    s: &SchedulerSettings,
    position: i32,
    started: DateTime<Utc>,
    minutes: i64,
) -> Vec<Planned> {
    let full = started + Duration::minutes(minutes);
    vec![
        Planned {
            job: Job::ItemTimebox { position },
            due_at: full,
        },
        Planned {
            job: Job::ItemOverrun { position },
            due_at: full + s.overrun_margin,
        },
    ]
}

/// The first working day (Monday to Friday) of the month after `now`'s, at the task hour: when
/// the monthly improvement summary goes.
pub fn first_working_day_of_next_month(s: &SchedulerSettings, now: DateTime<Utc>) -> DateTime<Utc> {
    let today = now.with_timezone(&s.tz).date_naive();
    let mut day = today
        .with_day(1)
        .and_then(|d| d.checked_add_months(chrono::Months::new(1)))
        .unwrap_or(today);
    while matches!(day.weekday(), chrono::Weekday::Sat | chrono::Weekday::Sun) {
        day = day.succ_opt().unwrap_or(day);
    }
    local_at(s, day, s.task_hour)
}

/// The next Monday at the task hour after `now`, for the weekly digest.
pub fn next_monday(s: &SchedulerSettings, now: DateTime<Utc>) -> DateTime<Utc> {
    let today = now.with_timezone(&s.tz).date_naive();
    let ahead = 7 - u64::from(today.weekday().num_days_from_monday());
    let monday = today
        .checked_add_days(chrono::Days::new(ahead))
        .unwrap_or(today);
    local_at(s, monday, s.task_hour)
}

fn local_at(s: &SchedulerSettings, day: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    crate::clock::local_instant(&s.tz, day.and_time(time))
}

/// Reminders for an action item due on `due`: the eve, the day, the first overdue day, and
/// the escalation; those already past are left out.
pub fn task_jobs(s: &SchedulerSettings, due: NaiveDate, now: DateTime<Utc>) -> Vec<Planned> {
    let at = |day: NaiveDate| local_at(s, day, s.task_hour);
    [
        (Job::TaskEve { due }, due.pred_opt()),
        (Job::TaskDue { due }, Some(due)),
        (Job::TaskOverdue { due }, due.succ_opt()),
        (
            Job::TaskEscalation { due },
            due.checked_add_days(chrono::Days::new(s.escalate_after_days.max(1) as u64)),
        ),
    ]
    .into_iter()
    .filter_map(|(job, day)| {
        Some(Planned {
            job,
            due_at: at(day?),
        })
    })
    .filter(|p| p.due_at >= now)
    .collect()
}

/// The next overdue reminder after one sent at `sent` (every `overdue_every_days`).
pub fn next_overdue(s: &SchedulerSettings, sent: DateTime<Utc>) -> DateTime<Utc> {
    let day = sent.with_timezone(&s.tz).date_naive();
    let next = day
        .checked_add_days(chrono::Days::new(s.overdue_every_days.max(1) as u64))
        .unwrap_or(day);
    local_at(s, next, s.task_hour)
}

/// When a non-urgent message due at `now` may go: now, or the end of quiet hours.
pub fn after_quiet_hours(s: &SchedulerSettings, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let local = now.with_timezone(&s.tz);
    let t = local.time();
    let quiet = if s.quiet_start <= s.quiet_end {
        t >= s.quiet_start && t < s.quiet_end
    } else {
        t >= s.quiet_start || t < s.quiet_end
    };
    if !quiet {
        return None;
    }
    let day = if t >= s.quiet_end {
        local.date_naive().succ_opt()?
    } else {
        local.date_naive()
    };
    Some(local_at(s, day, s.quiet_end))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_monthly_summary_goes_on_the_first_working_day() {
        let s = settings();
        // 2027-05-01 is a Saturday: Monday 05-03 at 09:00 local (01:00 UTC).
        let now = Utc.with_ymd_and_hms(2027, 4, 20, 3, 0, 0).unwrap();
        assert_eq!(
            first_working_day_of_next_month(&s, now),
            Utc.with_ymd_and_hms(2027, 5, 3, 1, 0, 0).unwrap()
        );
    }

    #[test]
    fn a_task_hour_inside_a_dst_gap_goes_at_the_end_of_the_gap() {
        let s = SchedulerSettings {
            tz: chrono_tz::Europe::Berlin,
            task_hour: NaiveTime::from_hms_opt(2, 30, 0).unwrap(),
            ..settings()
        };
        // Due on 2026-03-30: the eve is 03-29, when 02:00–03:00 does not exist in Berlin.
        let due = NaiveDate::from_ymd_opt(2026, 3, 30).unwrap();
        let now = Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap();
        let jobs = task_jobs(&s, due, now);
        assert_eq!(jobs[0].job, Job::TaskEve { due });
        // 03:00 CEST, not 02:30 read as UTC (which would be 04:30 local).
        assert_eq!(
            jobs[0].due_at,
            Utc.with_ymd_and_hms(2026, 3, 29, 1, 0, 0).unwrap()
        );
        // The next day has no gap: 02:30 CEST.
        assert_eq!(
            jobs[1].due_at,
            Utc.with_ymd_and_hms(2026, 3, 30, 0, 30, 0).unwrap()
        );
    }

    pub fn settings() -> SchedulerSettings {
        SchedulerSettings {
            tz: chrono_tz::Asia::Shanghai,
            reminder_offsets: vec![Duration::hours(24), Duration::minutes(15)],
            rsvp_chase_before: Duration::hours(24),
            summary_before: Duration::minutes(60),
            readiness_before: Duration::minutes(60),
            late_grace: Duration::minutes(5),
            minutes_after: Duration::hours(24),
            escalate_after_days: 2,
            overdue_every_days: 1,
            task_hour: NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
            overrun_margin: Duration::minutes(5),
            feedback_window: Duration::hours(48),
            quiet_start: NaiveTime::from_hms_opt(22, 0, 0).unwrap(),
            quiet_end: NaiveTime::from_hms_opt(8, 0, 0).unwrap(),
        }
    }

    fn utc(d: u32, h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, d, h, m, 0).unwrap()
    }

    #[test]
    fn a_meeting_gets_reminders_chaser_summary_readiness_checkin_and_minutes_jobs() {
        let s = settings();
        let jobs = meeting_jobs(&s, utc(2, 1, 30), utc(2, 2, 30), utc(1, 0, 0));
        let kinds: Vec<_> = jobs.iter().map(|j| (j.job, j.due_at)).collect();
        assert_eq!(
            kinds,
            vec![
                (Job::Reminder, utc(2, 1, 15)),
                (Job::ReminderFirst, utc(1, 1, 30)),
                (Job::RsvpChase, utc(1, 1, 30)),
                (Job::Summary, utc(2, 0, 30)),
                (Job::Readiness, utc(2, 0, 30)),
                (Job::CheckinMissing, utc(2, 1, 35)),
                (Job::LateStart, utc(2, 1, 35)),
                (Job::MinutesDue, utc(3, 2, 30)),
                (Job::ReadDigest, utc(3, 2, 30)),
                (Job::MeetingOvertime, utc(2, 2, 30)),
                (Job::FeedbackRequest, utc(2, 2, 30)),
                (Job::FeedbackReport, utc(4, 2, 30)),
            ]
        );
    }

    #[test]
    fn a_meeting_published_at_short_notice_gets_no_past_reminders_or_chasers() {
        let s = settings();
        let now = utc(2, 1, 0);
        let jobs = meeting_jobs(&s, utc(2, 1, 30), utc(2, 2, 30), now);
        assert!(!jobs
            .iter()
            .any(|j| matches!(j.job, Job::ReminderFirst | Job::RsvpChase)));
        assert!(jobs.contains(&Planned {
            job: Job::Reminder,
            due_at: utc(2, 1, 15)
        }));
        assert!(
            !jobs.iter().any(|j| j.job == Job::Summary),
            "the summary moment has passed"
        );
    }

    #[test]
    fn task_reminders_run_at_nine_local() {
        let s = settings();
        let due = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        let jobs = task_jobs(&s, due, utc(1, 0, 0));
        let at: Vec<_> = jobs.iter().map(|j| (j.job, j.due_at)).collect();
        assert_eq!(
            at,
            vec![
                (Job::TaskEve { due }, utc(2, 1, 0)),
                (Job::TaskDue { due }, utc(3, 1, 0)),
                (Job::TaskOverdue { due }, utc(4, 1, 0)),
                (Job::TaskEscalation { due }, utc(5, 1, 0)),
            ]
        );
        assert_eq!(next_overdue(&s, utc(4, 1, 0)), utc(5, 1, 0));
    }

    #[test]
    fn items_are_watched_and_digests_go_on_mondays() {
        let s = settings();
        let jobs = item_jobs(&s, 1, utc(2, 1, 30), 20);
        assert_eq!(
            jobs[0],
            Planned {
                job: Job::ItemTimebox { position: 1 },
                due_at: utc(2, 1, 50)
            }
        );
        assert_eq!(
            jobs[1],
            Planned {
                job: Job::ItemOverrun { position: 1 },
                due_at: utc(2, 1, 55)
            }
        );
        // Tuesday 2026-12-01 → Monday 2026-12-07 09:00 local.
        assert_eq!(next_monday(&s, utc(1, 3, 0)), utc(7, 1, 0));
        assert_eq!(next_monday(&s, utc(7, 2, 0)), utc(14, 1, 0));
    }

    #[test]
    fn quiet_hours_hold_messages_until_the_morning() {
        let s = settings();
        // 23:00 and 03:00 local wait for 08:00 local (00:00 UTC); 10:00 local goes now.
        assert_eq!(after_quiet_hours(&s, utc(1, 15, 0)), Some(utc(2, 0, 0)));
        assert_eq!(after_quiet_hours(&s, utc(1, 19, 0)), Some(utc(2, 0, 0)));
        assert_eq!(after_quiet_hours(&s, utc(2, 2, 0)), None);
    }
}
