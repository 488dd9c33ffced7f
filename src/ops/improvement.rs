//! The continuous-improvement report (持续优化) over a period, for admins.

use super::{Actor, Env, OpsError};
use crate::db::{audit, improvement, DbConn};
use crate::meetings::audit_action::Audit;
use crate::meetings::improvement::{report, GroupBy, GroupStats, Rules};
use chrono::NaiveDate;

pub struct Report {
    pub from: NaiveDate,
    pub until: NaiveDate,
    pub group_by: GroupBy,
    pub groups: Vec<GroupStats>,
}

/// The report for the meetings held with a planned start from `from` to `until` (local dates,
/// inclusive), grouped `by`.
pub fn improvement(
    c: &mut DbConn,
    env: &Env,
    actor: Actor,
    from: NaiveDate,
    until: NaiveDate,
    by: GroupBy,
) -> Result<Report, OpsError> {
    actor.administers()?;
    let tz = env.notices.tz;
    let midnight = |d: NaiveDate| {
        crate::clock::local_instant(&tz, d.and_time(chrono::NaiveTime::MIN)).timestamp_millis()
    };
    let from_ms = midnight(from);
    let until_ms = midnight(until.succ_opt().unwrap_or(until));
    let facts = improvement::facts(c, from_ms, until_ms, by, tz)?;
    let rules = Rules {
        late_grace_ms: env.late_grace.num_milliseconds(),
        minutes_window_ms: env.notices.plan.minutes_after.num_milliseconds(),
        today: env.now.with_timezone(&tz).date_naive(),
        midpoint_ms: from_ms + (until_ms - from_ms) / 2,
    };
    audit::append(
        c,
        &actor.audit_name(),
        Audit::ReadImprovementReport,
        None,
        env.now_ms(),
    )?;
    Ok(Report {
        from,
        until,
        group_by: by,
        groups: report(&facts, &rules),
    })
}
