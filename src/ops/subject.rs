//! The meeting an operation works on, loaded once, with the checks every operation shares.

use super::{Actor, Env, OpsError};
use crate::db::meetings::{self as store, AgendaRow, MeetingRecord};
use crate::db::{audit, DbConn, DbError};
use crate::meetings::audit_action::Audit;
use crate::meetings::lifecycle::{Action, MeetingStatus};
use crate::meetings::permissions::Duty;
use crate::meetings::schedule::TimeRange;
use crate::meetings::{DomainError, MeetingId};

pub(super) struct Subject {
    pub record: MeetingRecord,
    pub status: MeetingStatus,
    pub span: TimeRange,
}

impl Subject {
    pub fn load(c: &mut DbConn, id: MeetingId) -> Result<Subject, OpsError> {
        let record = store::get(c, id)?.ok_or(OpsError::MeetingNotFound)?;
        let m = &record.meeting;
        let corrupt = |what: &str| {
            OpsError::Db(DbError::Worker(format!(
                "meeting {} has a corrupt {what}",
                m.id
            )))
        };
        let status = m.status;
        let span =
            TimeRange::new(m.starts_at.utc(), m.ends_at.utc()).map_err(|_| corrupt("time span"))?;
        Ok(Subject {
            record,
            status,
            span,
        })
    }

    pub fn id(&self) -> MeetingId {
        self.record.meeting.id
    }

    /// The admin carries every duty; a person the duties of their roles here.
    pub fn require(&self, actor: Actor, duty: Duty) -> Result<(), OpsError> {
        if actor.carries(duty, &self.record) {
            Ok(())
        } else {
            Err(DomainError::NotAllowed(duty).into())
        }
    }

    /// Moves the meeting along its lifecycle, refusing if someone else moved it first.
    pub fn transition(
        &mut self,
        c: &mut DbConn,
        env: &Env,
        action: Action,
        cancel_reason: Option<&str>,
    ) -> Result<MeetingStatus, OpsError> {
        let from = self.status;
        let to = from.apply(action)?;
        if !store::set_status(c, self.id(), from, to, cancel_reason, env.now_ms())? {
            return Err(DomainError::IllegalTransition { from, action }.into());
        }
        self.status = to;
        Ok(to)
    }

    /// The agenda item running now.
    pub fn current_item(&self) -> Option<&AgendaRow> {
        self.record
            .agenda
            .iter()
            .find(|a| a.started_at.is_some() && a.ended_at.is_none())
    }

    /// Records a change with who made it: a log line (ids only, nothing a confidential meeting
    /// keeps) and an audit entry, so every change names the person who made it.
    pub fn audit(
        &self,
        c: &mut DbConn,
        env: &Env,
        actor: Actor,
        action: Audit,
    ) -> Result<(), OpsError> {
        tracing::info!(actor = %actor.audit_name(), action = action.code(), meeting = %self.id(), "meeting changed");
        audit::append(
            c,
            &actor.audit_name(),
            action,
            Some(self.id()),
            env.now_ms(),
        )?;
        Ok(())
    }

    /// The meeting as stored now, after this operation's writes.
    pub fn reload(self, c: &mut DbConn) -> Result<MeetingRecord, OpsError> {
        store::get(c, self.record.meeting.id)?.ok_or(OpsError::MeetingNotFound)
    }
}
