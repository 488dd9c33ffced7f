//! The continuous-improvement report (持续优化): across the meetings held in a period, per
//! host, department or series, computed from recorded facts only (planned and actual times,
//! check-ins, votes, action items, ratings), never estimated. What each number means is in
//! docs/meetings.md ("Continuous-improvement report").

use super::participation::{attendance, Attendance};
use chrono::NaiveDate;
use serde::Serialize;

super::stored::named_enum! {
    pub enum GroupBy ("report grouping") {
        Host = "host",
        Department = "department",
        Series = "series",
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParticipantFacts {
    pub checked_in_at: Option<i64>,
    pub declined: bool,
    pub delegated: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionFacts {
    /// `Some(true)` passed, `Some(false)` tabled, `None` not closed.
    pub passed: Option<bool>,
    /// An objection was raised (even if later withdrawn).
    pub objected: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskFacts {
    pub due: NaiveDate,
    /// The local date it was marked done.
    pub done_on: Option<NaiveDate>,
}

/// One meeting held in the period, with the groups it counts in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingFacts {
    pub id: i64,
    /// (key, label) of each group it belongs to: a meeting with two hosts counts for both.
    pub groups: Vec<(String, String)>,
    pub starts_at: i64,
    pub ends_at: i64,
    pub started_at: Option<i64>,
    /// (time box in minutes, started, ended) of each agenda item.
    pub agenda: Vec<(i32, Option<i64>, Option<i64>)>,
    pub participants: Vec<ParticipantFacts>,
    pub decisions: Vec<DecisionFacts>,
    /// Its action items, cancelled ones left out.
    pub tasks: Vec<TaskFacts>,
    pub ratings: Vec<i32>,
    /// When its minutes were first published.
    pub minutes_published_at: Option<i64>,
}

/// The rules the report measures against.
#[derive(Debug, Clone, Copy)]
pub struct Rules {
    /// Started (or checked in) later than the planned start + this is late.
    pub late_grace_ms: i64,
    /// Minutes published later than the planned end + this are late.
    pub minutes_window_ms: i64,
    /// Open action items past due count as overdue up to this day.
    pub today: NaiveDate,
    /// The period's middle: ratings of meetings before it are the first half (trend).
    pub midpoint_ms: i64,
}

/// One group's numbers. Rates are 0–1 with four decimals; `None` where nothing was measured.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct GroupStats {
    pub key: String,
    pub label: String,
    pub meetings: usize,
    pub on_time_start_rate: Option<f64>,
    pub average_start_delay_minutes: Option<f64>,
    pub agenda_items_timed: usize,
    pub agenda_items_over: usize,
    pub average_overrun_minutes: Option<f64>,
    pub invited: usize,
    pub attendance_rate: Option<f64>,
    pub late_rate: Option<f64>,
    pub absent_rate: Option<f64>,
    pub delegations: usize,
    pub decisions: usize,
    pub decisions_per_meeting: Option<f64>,
    pub decisions_passed: usize,
    pub decisions_tabled: usize,
    pub decisions_with_objections: usize,
    pub action_items: usize,
    pub action_items_on_time_rate: Option<f64>,
    pub average_days_overdue: Option<f64>,
    pub feedback_count: usize,
    pub feedback_average: Option<f64>,
    /// Average rating in the period's second half minus its first half.
    pub feedback_trend: Option<f64>,
    pub minutes_on_time_rate: Option<f64>,
}

/// Four decimals, so the JSON reads and compares the same everywhere.
pub fn round(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

fn ratio(n: usize, d: usize) -> Option<f64> {
    (d > 0).then(|| round(n as f64 / d as f64))
}

fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| round(values.iter().sum::<f64>() / values.len() as f64))
}

/// The numbers of one group's meetings.
pub fn stats(key: String, label: String, meetings: &[&MeetingFacts], rules: &Rules) -> GroupStats {
    let minute = 60_000.0;
    let started: Vec<&&MeetingFacts> = meetings.iter().filter(|m| m.started_at.is_some()).collect();
    let on_time = started
        .iter()
        .filter(|m| m.started_at.unwrap_or(i64::MAX) <= m.starts_at + rules.late_grace_ms)
        .count();
    let delays: Vec<f64> = started
        .iter()
        .map(|m| (m.started_at.unwrap_or(m.starts_at) - m.starts_at).max(0) as f64 / minute)
        .collect();
    let timed: Vec<(i32, i64, i64)> = meetings
        .iter()
        .flat_map(|m| m.agenda.iter())
        .filter_map(|&(box_minutes, s, e)| Some((box_minutes, s?, e?)))
        .collect();
    let overruns: Vec<f64> = timed
        .iter()
        .map(|&(box_minutes, s, e)| (e - s) as f64 / minute - f64::from(box_minutes))
        .filter(|over| *over > 0.0)
        .collect();
    let people: Vec<(&MeetingFacts, &ParticipantFacts)> = meetings
        .iter()
        .flat_map(|m| m.participants.iter().map(move |p| (*m, p)))
        .collect();
    // Its meetings are over: who came, late or not, and who was absent, by the one definition
    // every door counts by.
    let standings: Vec<Attendance> = people
        .iter()
        .map(|(m, p)| {
            attendance(
                p.declined,
                p.checked_in_at,
                m.starts_at,
                chrono::Duration::milliseconds(rules.late_grace_ms),
                true,
            )
        })
        .collect();
    let count = |which: &[Attendance]| standings.iter().filter(|a| which.contains(a)).count();
    let attended = count(&[Attendance::OnTime, Attendance::Late]);
    let late = count(&[Attendance::Late]);
    let absent = count(&[Attendance::Absent]);
    let decisions: Vec<&DecisionFacts> = meetings.iter().flat_map(|m| m.decisions.iter()).collect();
    let tasks: Vec<&TaskFacts> = meetings.iter().flat_map(|m| m.tasks.iter()).collect();
    let on_time_tasks = tasks
        .iter()
        .filter(|t| t.done_on.is_some_and(|d| d <= t.due))
        .count();
    let overdue: Vec<f64> = tasks
        .iter()
        .filter_map(|t| {
            let until = t.done_on.unwrap_or(rules.today);
            (until > t.due).then(|| (until - t.due).num_days() as f64)
        })
        .collect();
    let ratings: Vec<f64> = meetings
        .iter()
        .flat_map(|m| m.ratings.iter().map(|r| f64::from(*r)))
        .collect();
    let half = |first: bool| -> Vec<f64> {
        meetings
            .iter()
            .filter(|m| (m.starts_at < rules.midpoint_ms) == first)
            .flat_map(|m| m.ratings.iter().map(|r| f64::from(*r)))
            .collect()
    };
    let trend = mean(&half(false))
        .zip(mean(&half(true)))
        .map(|(second, first)| round(second - first));
    let minutes_on_time = meetings
        .iter()
        .filter(|m| {
            m.minutes_published_at
                .is_some_and(|at| at <= m.ends_at + rules.minutes_window_ms)
        })
        .count();
    GroupStats {
        key,
        label,
        meetings: meetings.len(),
        on_time_start_rate: ratio(on_time, started.len()),
        average_start_delay_minutes: mean(&delays),
        agenda_items_timed: timed.len(),
        agenda_items_over: overruns.len(),
        average_overrun_minutes: mean(&overruns),
        invited: people.len(),
        attendance_rate: ratio(attended, people.len()),
        late_rate: ratio(late, attended),
        absent_rate: ratio(absent, people.len()),
        delegations: people.iter().filter(|(_, p)| p.delegated).count(),
        decisions: decisions.len(),
        decisions_per_meeting: ratio(decisions.len(), meetings.len()),
        decisions_passed: decisions.iter().filter(|d| d.passed == Some(true)).count(),
        decisions_tabled: decisions.iter().filter(|d| d.passed == Some(false)).count(),
        decisions_with_objections: decisions.iter().filter(|d| d.objected).count(),
        action_items: tasks.len(),
        action_items_on_time_rate: ratio(on_time_tasks, tasks.len()),
        average_days_overdue: mean(&overdue),
        feedback_count: ratings.len(),
        feedback_average: mean(&ratings),
        feedback_trend: trend,
        minutes_on_time_rate: ratio(minutes_on_time, meetings.len()),
    }
}

/// Every group's numbers, by key.
pub fn report(meetings: &[MeetingFacts], rules: &Rules) -> Vec<GroupStats> {
    let mut keys: Vec<(String, String)> = meetings
        .iter()
        .flat_map(|m| m.groups.iter().cloned())
        .collect();
    keys.sort();
    keys.dedup_by(|a, b| a.0 == b.0);
    keys.into_iter()
        .map(|(key, label)| {
            let mine: Vec<&MeetingFacts> = meetings
                .iter()
                .filter(|m| m.groups.iter().any(|(k, _)| *k == key))
                .collect();
            stats(key, label, &mine, rules)
        })
        .collect()
}

/// The report's period from its two dates (inclusive): not reversed, at most two years.
pub fn period(from: &str, until: &str) -> Result<(NaiveDate, NaiveDate), (&'static str, String)> {
    let parse = |raw: &str, field: &'static str| {
        NaiveDate::parse_from_str(raw, "%Y-%m-%d")
            .map_err(|_| (field, format!("{raw:?} is not a date such as 2026-10-01")))
    };
    let (from, until) = (parse(from, "from")?, parse(until, "until")?);
    if until < from {
        return Err(("until", "is before from".to_owned()));
    }
    if (until - from).num_days() > 731 {
        return Err(("until", "the period may be at most two years".to_owned()));
    }
    Ok((from, until))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_is_ordered_and_at_most_two_years() {
        assert!(period("2026-10-01", "2026-12-31").is_ok());
        assert_eq!(period("2026-12-31", "2026-10-01").unwrap_err().0, "until");
        assert_eq!(period("2024-01-01", "2026-12-31").unwrap_err().0, "until");
        assert_eq!(period("2026-13-01", "2026-12-31").unwrap_err().0, "from");
    }
}
