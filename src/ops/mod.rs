//! The operations layer: one function per thing a person (or the admin) does to a meeting.
//! Each checks who may do it and whether the meeting's lifecycle allows it, then writes every
//! effect (state, outbox rows, scheduler jobs, audit entries) on the connection it is given,
//! which the door has opened a transaction on. The doors (admin API, chat, scheduler) only
//! parse, call and render the typed outcome, so a rule lives in one place.

pub mod access;
pub mod account;
pub mod attendance;
pub mod board;
pub mod checklist;
pub mod consensus;
pub mod directory;
mod error;
pub mod execution;
pub mod feedback;
mod fields;
pub mod followers;
pub mod improvement;
pub mod lifecycle;
pub mod live;
pub mod minutes;
pub mod oversight;
pub mod preparation;
pub mod reading;
pub mod records;
pub mod reports;
pub mod revision;
pub mod roster;
pub mod series;
mod subject;
pub mod tasks;
pub mod topics;

pub use error::OpsError;

use crate::db::meetings::MeetingRecord;
use crate::db::DbConn;
use crate::meetings::audit_action::AuditActor;
use crate::meetings::permissions::{self, Duty};
use crate::meetings::{DomainError, PersonId};
use crate::outbox::NoticeSettings;
use chrono::{DateTime, Utc};
use std::sync::Arc;

/// Who is acting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    /// The admin API's token holder: every duty, every meeting.
    Admin,
    /// A person (by id), who may do what their roles in the meeting carry.
    Person(PersonId),
    /// A person signed in to the organizer console, as `account::staff` found them: an admin
    /// (`is_admin`) carries every duty like the token; an organizer (`is_organizer`) the duties
    /// of their roles, and may create meetings.
    Staff { person: PersonId, admin: bool },
}

impl Actor {
    /// How the audit log names the actor.
    pub fn audit_name(self) -> AuditActor {
        match self.person() {
            None => AuditActor::Admin,
            Some(id) => AuditActor::Person(id),
        }
    }

    /// The person acting, unless it is the token holder.
    pub fn person(self) -> Option<PersonId> {
        match self {
            Actor::Admin => None,
            Actor::Person(id) | Actor::Staff { person: id, .. } => Some(id),
        }
    }

    /// Whether the actor carries every duty on every meeting.
    pub fn is_admin(self) -> bool {
        matches!(self, Actor::Admin | Actor::Staff { admin: true, .. })
    }

    /// Refuses anyone but an admin: the directory, the audit log, the account menu, by-hand
    /// changes to action items, the organisation's reports.
    pub fn administers(self) -> Result<(), OpsError> {
        if self.is_admin() {
            Ok(())
        } else {
            Err(DomainError::NotAllowed(Duty::Administer).into())
        }
    }

    /// Whether the actor carries `duty` in the meeting `record`: what a door asks before
    /// offering a step, where the operation itself refuses one it does not carry.
    pub fn carries(self, duty: Duty, record: &MeetingRecord) -> bool {
        self.is_admin()
            || self
                .person()
                .is_some_and(|p| permissions::require(duty, &record.roles_of(p)).is_ok())
    }
}

/// What every operation needs besides the connection: how notices are worded and routed,
/// the meeting rules' settings, and the moment the request is handled (from the app's clock).
#[derive(Clone)]
pub struct Env {
    pub notices: Arc<NoticeSettings>,
    /// Minimum gap between two bookings of one room.
    pub booking_buffer: chrono::Duration,
    /// A check-in later than start + grace is late.
    pub late_grace: chrono::Duration,
    pub now: DateTime<Utc>,
}

impl Env {
    pub fn now_ms(&self) -> i64 {
        self.now.timestamp_millis()
    }
}

/// Runs `op` in one transaction on a pooled connection: for doors that do not hold one open
/// already (the chat router opens its own per command).
pub async fn run<T, F>(db: &crate::db::Db, op: F) -> Result<T, OpsError>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConn) -> Result<T, OpsError> + Send + 'static,
{
    use diesel::Connection;
    db.run(move |c| Ok(c.transaction(op)))
        .await
        .map_err(OpsError::Db)?
}
