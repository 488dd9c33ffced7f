//! The append-only audit log of confidential reads (the database refuses changes to it).

use super::schema::audit_log::dsl as l;
use super::{on_backend, DbConn, DbError};
use diesel::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct AuditEntry {
    pub id: i64,
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub meeting_id: Option<i64>,
}

pub fn append(
    conn: &mut DbConn,
    actor: &str,
    action: &str,
    meeting_id: Option<i64>,
    now_ms: i64,
) -> Result<(), DbError> {
    on_backend!(conn, |c| diesel::insert_into(l::audit_log)
        .values((
            l::at.eq(now_ms),
            l::actor.eq(actor),
            l::action.eq(action),
            l::meeting_id.eq(meeting_id),
        ))
        .execute(c))?;
    Ok(())
}

/// Newest first.
pub fn list(
    conn: &mut DbConn,
    meeting_id: Option<i64>,
    limit: i64,
) -> Result<Vec<AuditEntry>, DbError> {
    Ok(on_backend!(conn, |c| {
        let mut q = l::audit_log.order(l::id.desc()).limit(limit).into_boxed();
        if let Some(m) = meeting_id {
            q = q.filter(l::meeting_id.eq(m));
        }
        q.load(c)
    })?)
}
