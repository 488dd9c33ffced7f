//! The execution plan of a decision (跟踪执行组): the action items linked to it, each with
//! optional milestones (their own dates, no later than the item's due date, reminded like a due
//! date), and progress per decision: done / total and what is overdue.

use super::subject::Subject;
use super::{Actor, Env, OpsError};
use crate::db::action_items::{self as items, ActionItemRow};
use crate::db::milestones::{self, MilestoneRow};
use crate::db::minutes::{self as entries, EntryRow};
use crate::db::{people, DbConn};
use crate::meetings::action_items::{check_due, days_overdue, TaskStatus};
use crate::meetings::audit_action::Audit;
use crate::meetings::directory::FieldError;
use crate::meetings::minutes::EntryKind;
use crate::meetings::permissions::Duty;
use crate::meetings::EntryId;
use crate::meetings::{ActionItemId, MilestoneId, PersonId};
use crate::outbox::planner;
use chrono::NaiveDate;

pub struct PlanItem {
    pub task: ActionItemRow,
    pub owner: String,
    pub milestones: Vec<MilestoneRow>,
    /// Days past due (the item's own date), 0 when not overdue.
    pub overdue_days: i64,
}

pub struct Plan {
    pub decision: EntryRow,
    pub items: Vec<PlanItem>,
    pub done: usize,
    /// Items not cancelled.
    pub total: usize,
    /// Items, and milestones not done, past their date.
    pub overdue: usize,
}

/// A decision's plan, for those who take part in its meeting (and admins).
pub fn plan(c: &mut DbConn, env: &Env, actor: Actor, decision: EntryId) -> Result<Plan, OpsError> {
    let entry = entries::get(c, decision)?
        .filter(|e| e.kind == EntryKind::Decision)
        .ok_or(OpsError::DecisionNotFound(decision))?;
    let s = Subject::load(c, entry.meeting_id)?;
    if let (false, Some(p)) = (actor.is_admin(), actor.person()) {
        if s.record.roles_of(p).is_empty() {
            return Err(OpsError::DecisionNotFound(decision));
        }
    }
    let today = env.now.with_timezone(&env.notices.tz).date_naive();
    let tasks: Vec<ActionItemRow> = items::list(
        c,
        &items::ActionItemFilter {
            meeting_id: Some(entry.meeting_id),
            ..Default::default()
        },
    )?
    .into_iter()
    .filter(|t| t.decision_id == Some(decision) && t.status != TaskStatus::Cancelled)
    .collect();
    let ids: Vec<ActionItemId> = tasks.iter().map(|t| t.id).collect();
    let all_milestones = milestones::for_items(c, &ids)?;
    let owners: Vec<PersonId> = tasks.iter().map(|t| t.owner_id).collect();
    let names = people::by_ids(c, &owners)?;
    let mut overdue = 0;
    let mut plan_items = Vec::new();
    for task in tasks {
        let overdue_days = days_overdue(task.due_on, task.status, today).max(0);
        let mine: Vec<MilestoneRow> = all_milestones
            .iter()
            .filter(|m| m.action_item_id == task.id)
            .cloned()
            .collect();
        overdue += usize::from(overdue_days > 0);
        if !task.status.finished() {
            overdue += mine
                .iter()
                .filter(|m| m.done_at.is_none() && m.due < today)
                .count();
        }
        plan_items.push(PlanItem {
            owner: names
                .get(&task.owner_id)
                .map(|p| p.name.clone())
                .unwrap_or_default(),
            task,
            milestones: mine,
            overdue_days,
        });
    }
    let done = plan_items
        .iter()
        .filter(|i| i.task.status == TaskStatus::Done)
        .count();
    Ok(Plan {
        decision: entry,
        total: plan_items.len(),
        done,
        overdue,
        items: plan_items,
    })
}

/// Adds a milestone to an action item: its owner, or those who plan the execution; its date
/// not past and not after the item's due date.
pub fn add_milestone(
    c: &mut DbConn,
    env: &Env,
    actor: Actor,
    task_id: ActionItemId,
    due: NaiveDate,
    title: &str,
) -> Result<MilestoneRow, OpsError> {
    let task = items::get(c, task_id)?.ok_or(OpsError::TaskNotFound(task_id))?;
    let s = Subject::load(c, task.meeting_id)?;
    if actor.person() != Some(task.owner_id) {
        s.require(actor, Duty::PlanExecution)?;
    }
    if task.status.finished() {
        return Err(crate::meetings::DomainError::TaskFinished(task.status.as_str()).into());
    }
    let invalid = |field: &'static str, message: &str| {
        OpsError::Invalid(vec![FieldError {
            field,
            message: message.to_owned(),
        }])
    };
    let title = &super::fields::one_line("title", title, 100)?;
    let today = env.now.with_timezone(&env.notices.tz).date_naive();
    let due = check_due(due, today)?;
    if due > task.due_on {
        return Err(invalid("due_on", "is after the action item's due date"));
    }
    let id = milestones::insert(c, task.id, title, due, env.now_ms())?;
    planner::plan_milestone(c, &env.notices, id, task.id, task.meeting_id, due, env.now)?;
    s.audit(c, env, actor, Audit::AddMilestone)?;
    milestones::get(c, id)?.ok_or(OpsError::TaskNotFound(task_id))
}

/// The action item's owner marks a milestone reached.
pub fn tick_milestone(
    c: &mut DbConn,
    env: &Env,
    actor: Actor,
    id: MilestoneId,
) -> Result<MilestoneRow, OpsError> {
    let not_found = OpsError::MilestoneNotFound(id);
    let ms = milestones::get(c, id)?.ok_or(OpsError::MilestoneNotFound(id))?;
    let task = items::get(c, ms.action_item_id)?.ok_or(not_found)?;
    if actor.person() != Some(task.owner_id) && !actor.is_admin() {
        return Err(OpsError::NotTaskOwner);
    }
    milestones::tick(c, id, env.now_ms())?;
    milestones::get(c, id)?.ok_or(OpsError::MilestoneNotFound(id))
}
