//! Following up action items: progress reports by the owner, done by the owner or the host.

use super::{Actor, Env, OpsError};
use crate::db::action_items::{self as items, ActionItemChange, ActionItemRow};
use crate::db::{audit, meetings as store, people, DbConn};
use crate::meetings::action_items::TaskStatus;
use crate::meetings::audit_action::Audit;
use crate::meetings::directory::FieldError;
use crate::meetings::permissions::{self, Duty};
use crate::meetings::ActionItemId;
use crate::meetings::DomainError;
use crate::outbox::planner;

fn load(c: &mut DbConn, id: ActionItemId) -> Result<ActionItemRow, OpsError> {
    items::get(c, id)?.ok_or(OpsError::TaskNotFound(id))
}

/// Moves an item on unless someone else moved it meanwhile, which is reported as its state now.
fn move_to(c: &mut DbConn, env: &Env, t: &ActionItemRow, to: TaskStatus) -> Result<(), OpsError> {
    if t.status != to && !items::set_status(c, t.id, t.status, to, env.now_ms())? {
        let now = load(c, t.id)?.status;
        return Err(DomainError::TaskFinished(now.as_str()).into());
    }
    Ok(())
}

pub struct Progressed {
    pub item: ActionItemRow,
    pub status: TaskStatus,
}

/// The owner reports progress: an open item is in progress from then on.
pub fn progress(
    c: &mut DbConn,
    env: &Env,
    actor: Actor,
    id: ActionItemId,
    text: &str,
) -> Result<Progressed, OpsError> {
    let t = load(c, id)?;
    let author = match actor.person() {
        Some(p) if p == t.owner_id => p,
        _ if actor.is_admin() => return Err(OpsError::NotTaskOwner),
        // Someone else's task reads as an unknown one: its number tells nothing.
        _ => return Err(OpsError::TaskNotFound(id)),
    };
    let to = t.status.after_progress()?;
    move_to(c, env, &t, to)?;
    items::add_progress(c, t.id, author, text, env.now_ms())?;
    Ok(Progressed {
        item: t,
        status: to,
    })
}

/// Marks an item done: its owner, the host of its meeting, or the admin.
pub fn done(
    c: &mut DbConn,
    env: &Env,
    actor: Actor,
    id: ActionItemId,
) -> Result<ActionItemRow, OpsError> {
    let t = load(c, id)?;
    if let (false, Some(p)) = (actor.is_admin(), actor.person()) {
        if p != t.owner_id {
            let roles = store::referenced(c, t.meeting_id)?.roles_of(p);
            // Someone else's task in a meeting the sender does not host: as if unknown.
            permissions::require(Duty::CloseTask, &roles)
                .map_err(|_| OpsError::TaskNotFound(id))?;
        }
    }
    let to = t.status.complete()?;
    move_to(c, env, &t, to)?;
    Ok(t)
}

/// Changes an action item's title, owner, due date or status (the admin's correction); a new
/// due date gets its reminders planned anew.
pub fn update(
    c: &mut DbConn,
    env: &Env,
    actor: Actor,
    id: ActionItemId,
    change: &ActionItemChange,
) -> Result<ActionItemRow, OpsError> {
    actor.administers()?;
    let change = &ActionItemChange {
        title: change
            .title
            .as_deref()
            .map(|t| super::minutes::entry_text("title", t))
            .transpose()?,
        ..change.clone()
    };
    if let Some(owner) = change.owner_id {
        if people::get(c, owner)?.is_none() {
            return Err(OpsError::Invalid(vec![FieldError {
                field: "owner_id",
                message: "names no person".into(),
            }]));
        }
    }
    if let Some(to) = change.status {
        let current = items::get(c, id)?.ok_or(OpsError::TaskNotFound(id))?;
        current.status.change_to(to)?;
    }
    let updated = items::update(c, id, change, env.now_ms())?.ok_or(OpsError::TaskNotFound(id))?;
    if let Some(due) = change.due_on {
        planner::plan_task(
            c,
            &env.notices,
            updated.id,
            updated.meeting_id,
            due,
            env.now,
        )?;
    }
    audit::append(
        c,
        &actor.audit_name(),
        Audit::UpdateActionItem,
        Some(updated.meeting_id),
        env.now_ms(),
    )?;
    Ok(updated)
}
