//! The append-only audit log: confidential reads and every change (the database refuses
//! changes to it).

use super::schema::audit_log::dsl as l;
use super::{on_backend, DbConn, DbError};
use crate::meetings::audit_action::{ActionPrefix, AuditAction, AuditActor};
use crate::meetings::stamp::Stamp;
use crate::meetings::{MeetingId, PersonId};
use diesel::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct AuditEntry {
    pub id: i64,
    pub at: Stamp,
    #[diesel(deserialize_as = String)]
    pub actor: AuditActor,
    #[diesel(deserialize_as = String)]
    pub action: AuditAction,
    pub meeting_id: Option<MeetingId>,
}

pub fn append(
    conn: &mut DbConn,
    actor: &AuditActor,
    action: impl Into<AuditAction>,
    meeting_id: Option<MeetingId>,
    now_ms: i64,
) -> Result<(), DbError> {
    let action = action.into().to_string();
    on_backend!(conn, |c| diesel::insert_into(l::audit_log)
        .values((
            l::at.eq(now_ms),
            l::actor.eq(actor.to_string()),
            l::action.eq(&action),
            l::meeting_id.eq(meeting_id),
        ))
        .execute(c))?;
    Ok(())
}

/// What the audit log may be narrowed to.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub meeting_id: Option<MeetingId>,
    pub actor: Option<AuditActor>,
    /// Entries whose action starts with this.
    pub action: Option<ActionPrefix>,
    /// From this moment on (ms).
    pub since: Option<i64>,
}

/// Newest first, at most `limit`.
pub fn search(conn: &mut DbConn, f: &AuditFilter, limit: i64) -> Result<Vec<AuditEntry>, DbError> {
    Ok(on_backend!(conn, |c| {
        let mut q = l::audit_log.order(l::id.desc()).limit(limit).into_boxed();
        if let Some(m) = f.meeting_id {
            q = q.filter(l::meeting_id.eq(m));
        }
        if let Some(actor) = &f.actor {
            q = q.filter(l::actor.eq(actor.to_string()));
        }
        if let Some(action) = &f.action {
            let escaped = action
                .as_str()
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            q = q.filter(l::action.like(format!("{escaped}%")).escape('\\'));
        }
        if let Some(since) = f.since {
            q = q.filter(l::at.ge(since));
        }
        q.load(c)
    })?)
}

/// Newest first.
pub fn list(
    conn: &mut DbConn,
    meeting_id: Option<MeetingId>,
    limit: i64,
) -> Result<Vec<AuditEntry>, DbError> {
    search(
        conn,
        &AuditFilter {
            meeting_id,
            ..Default::default()
        },
        limit,
    )
}

/// An audit entry with its actor named and its door and action in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrailEntry {
    pub at: i64,
    /// The person's name, or 管理员 for the admin token.
    pub who: String,
    pub door: &'static str,
    pub what: String,
    /// A read of the meeting's content, not a change.
    pub read: bool,
}

/// A meeting's entries, newest first, at most `limit`, their actors named in one query.
pub fn trail(
    conn: &mut DbConn,
    meeting_id: MeetingId,
    limit: i64,
) -> Result<Vec<TrailEntry>, DbError> {
    let entries = list(conn, Some(meeting_id), limit)?;
    let ids: Vec<PersonId> = entries.iter().filter_map(|e| e.actor.person()).collect();
    let names = super::people::by_ids(conn, &ids)?;
    Ok(entries
        .into_iter()
        .map(|e| {
            let who = match &e.actor {
                AuditActor::Person(id) => names
                    .get(id)
                    .map(|p| p.name.clone())
                    .unwrap_or_else(|| e.actor.to_string()),
                AuditActor::Admin => "管理员".to_owned(),
                other => other.to_string(),
            };
            TrailEntry {
                at: e.at.millis(),
                who,
                door: e.action.door_zh(e.actor.is_admin()),
                what: e.action.what_zh(),
                read: e.action.is_read(),
            }
        })
        .collect())
}
