//! Monday's digest of open action items for their follow-up owners.

use super::send::send;
use super::End;
use crate::db::action_items as items;
use crate::db::jobs::JobRow;
use crate::db::meetings as store;
use crate::db::{people, DbConn, DbError};
use crate::meetings::action_items::days_overdue;
use crate::meetings::participation::Role;
use crate::meetings::{EntryId, MeetingId, PersonId};
use crate::outbox::notices::NoticeSettings;
use crate::outbox::payload::NoticeValues;
use crate::outbox::plan::after_quiet_hours;
use crate::outbox::planner;
use chrono::{DateTime, Duration, Utc};
use std::collections::hash_map::Entry;
use std::collections::HashMap;

/// Runs the digest unless in quiet hours, and plans next week's.
pub(super) fn run(
    c: &mut DbConn,
    s: &NoticeSettings,
    job: &JobRow,
    now: DateTime<Utc>,
) -> Result<End, DbError> {
    if let Some(morning) = after_quiet_hours(&s.plan, now) {
        return Ok(End::Postponed(morning));
    }
    let sent = digest(c, s, job, now)?;
    planner::plan_digest(c, s, now + Duration::minutes(1))?;
    Ok(End::Done(sent))
}

/// Monday's digest: each follow-up owner gets the open action items of their meetings.
fn digest(
    c: &mut DbConn,
    s: &NoticeSettings,
    job: &JobRow,
    now: DateTime<Utc>,
) -> Result<usize, DbError> {
    let open = items::list(
        c,
        &items::ActionItemFilter {
            statuses: Some(vec![
                crate::meetings::action_items::TaskStatus::Open,
                crate::meetings::action_items::TaskStatus::InProgress,
            ]),
            ..Default::default()
        },
    )?;
    let today = now.with_timezone(&s.plan.tz).date_naive();
    // Per follow-up owner, per decision (the execution plan it belongs to), the item lines.
    type ByDecision = std::collections::BTreeMap<Option<EntryId>, Vec<String>>;
    let mut by_owner: std::collections::BTreeMap<PersonId, ByDecision> = Default::default();
    let mut decisions: HashMap<EntryId, String> = HashMap::new();
    // Many open items share a meeting and an owner: each is read once.
    let mut followers: HashMap<MeetingId, Vec<PersonId>> = HashMap::new();
    let mut names: HashMap<PersonId, String> = HashMap::new();
    for t in &open {
        if let Entry::Vacant(slot) = followers.entry(t.meeting_id) {
            let held = store::referenced(c, t.meeting_id)?.holders(&[Role::FollowUpOwner]);
            slot.insert(held);
        }
        if let Entry::Vacant(slot) = names.entry(t.owner_id) {
            let name = people::name(c, t.owner_id)?;
            slot.insert(name);
        }
        let owner = &names[&t.owner_id];
        let overdue = days_overdue(t.due_on, t.status, today);
        let flag = if overdue > 0 {
            format!("【逾期 {overdue} 天】")
        } else {
            String::new()
        };
        if let Some(d) = t.decision_id {
            if let Entry::Vacant(slot) = decisions.entry(d) {
                // A task names the decision it came from; minutes entries are never deleted.
                let body = crate::db::minutes::get(c, d)?
                    .map(|e| e.body)
                    .ok_or_else(|| {
                        DbError::Corrupt(format!(
                            "action item {} came from decision {d}, which does not exist",
                            t.id
                        ))
                    })?;
                slot.insert(body);
            }
        }
        for &follower in &followers[&t.meeting_id] {
            by_owner
                .entry(follower)
                .or_default()
                .entry(t.decision_id)
                .or_default()
                .push(format!(
                    "#{} {flag}{}（{}，{} 截止）",
                    t.id, t.title, owner, t.due_on
                ));
        }
    }
    let mut sent = 0;
    for (person, groups) in by_owner {
        let count: usize = groups.values().map(Vec::len).sum();
        let mut lines = Vec::new();
        for (decision, items) in groups {
            lines.push(match decision {
                Some(d) => format!(
                    "【决议 #{d}：{}】",
                    decisions.get(&d).cloned().unwrap_or_default()
                ),
                None => "【其他】".to_owned(),
            });
            lines.extend(items);
        }
        let values = NoticeValues {
            title: "每周待办汇总".into(),
            summary: format!("你跟踪的未完成任务 {count} 项：\n{}", lines.join("\n")),
            ..Default::default()
        };
        sent += send(c, s, job, person, values, now.timestamp_millis())?;
    }
    Ok(sent)
}
