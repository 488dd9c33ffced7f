//! The first working day of a month: last month's continuous-improvement summary, to every
//! active admin (the full report per host, department or series is the admin API's).

use super::send::send;
use super::End;
use crate::db::jobs::JobRow;
use crate::db::{improvement, people, DbConn, DbError};
use crate::meetings::improvement::{report, stats, GroupBy, GroupStats, MeetingFacts, Rules};
use crate::outbox::notices::NoticeSettings;
use crate::outbox::payload::NoticeValues;
use crate::outbox::plan::after_quiet_hours;
use crate::outbox::planner;
use chrono::{DateTime, Datelike, Duration, Months, NaiveTime, Utc};

/// Runs the summary unless in quiet hours, and plans next month's.
pub(super) fn run(
    c: &mut DbConn,
    s: &NoticeSettings,
    job: &JobRow,
    now: DateTime<Utc>,
) -> Result<End, DbError> {
    if let Some(morning) = after_quiet_hours(&s.plan, now) {
        return Ok(End::Postponed(morning));
    }
    let sent = summary(c, s, job, now)?;
    planner::plan_monthly(c, s, now + Duration::minutes(1))?;
    Ok(End::Done(sent))
}

fn percent(rate: Option<f64>) -> String {
    rate.map_or("—".to_owned(), |r| format!("{:.0}%", r * 100.0))
}

fn number(x: Option<f64>) -> String {
    x.map_or("—".to_owned(), |x| format!("{x:.1}"))
}

fn line(g: &GroupStats) -> String {
    format!(
        "{}：会议 {} 场，准时开始 {}，平均延迟 {} 分钟，出席率 {}，超时议程 {}/{}，决议 {} 项（通过 {}），待办按时完成 {}，反馈均分 {}，纪要按时 {}",
        g.label,
        g.meetings,
        percent(g.on_time_start_rate),
        number(g.average_start_delay_minutes),
        percent(g.attendance_rate),
        g.agenda_items_over,
        g.agenda_items_timed,
        g.decisions,
        g.decisions_passed,
        percent(g.action_items_on_time_rate),
        number(g.feedback_average),
        percent(g.minutes_on_time_rate),
    )
}

fn summary(
    c: &mut DbConn,
    s: &NoticeSettings,
    job: &JobRow,
    now: DateTime<Utc>,
) -> Result<usize, DbError> {
    let tz = s.plan.tz;
    let today = now.with_timezone(&tz).date_naive();
    let this_month = today.with_day(1).unwrap_or(today);
    let last_month = this_month
        .checked_sub_months(Months::new(1))
        .unwrap_or(this_month);
    let midnight =
        |d: chrono::NaiveDate| crate::clock::local_instant(&tz, d.and_time(NaiveTime::MIN));
    let (from, until) = (midnight(last_month), midnight(this_month));
    let (from_ms, until_ms) = (from.timestamp_millis(), until.timestamp_millis());
    let facts = improvement::facts(c, from_ms, until_ms, GroupBy::Host, tz)?;
    let rules = Rules {
        late_grace_ms: s.plan.late_grace.num_milliseconds(),
        minutes_window_ms: s.plan.minutes_after.num_milliseconds(),
        today,
        midpoint_ms: from_ms + (until_ms - from_ms) / 2,
    };
    let all: Vec<&MeetingFacts> = facts.iter().collect();
    let overall = stats("all".into(), "全部".into(), &all, &rules);
    let mut lines = vec![line(&overall)];
    lines.extend(report(&facts, &rules).iter().map(line));
    let values = NoticeValues {
        title: "月度会议改进报告".into(),
        time: format!(
            "{} 至 {}",
            last_month,
            this_month.pred_opt().unwrap_or(this_month)
        ),
        summary: lines.join("\n"),
        action: "明细（按主持人、部门或例会，可导出 CSV）：GET /api/v1/reports/improvement".into(),
        ..Default::default()
    };
    let mut sent = 0;
    for admin in people::list(c, Some(true))?
        .into_iter()
        .filter(|p| p.is_admin)
    {
        sent += send(c, s, job, admin.id, values.clone(), now.timestamp_millis())?;
    }
    Ok(sent)
}
