//! Scheduled jobs: planned once, claimed by one scheduler at a time, finished or dropped.

use super::claimed::{self, Claimed};
use super::schema::jobs::dsl as j;
use super::JobId;
use super::{on_backend, DbConn, DbError};
use crate::meetings::job::Job;
use crate::meetings::stamp::Stamp;
use crate::meetings::{ActionItemId, MeetingId};
use diesel::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobRow {
    pub id: JobId,
    pub dedupe_key: String,
    pub job: Job,
    pub meeting_id: Option<MeetingId>,
    pub action_item_id: Option<ActionItemId>,
    pub due_at: Stamp,
    pub status: JobStatus,
    pub lease_until: Stamp,
    pub note: Option<String>,
    pub created_at: Stamp,
    pub updated_at: Stamp,
}

crate::meetings::stored::named_enum! {
    /// Where a job stands: waiting for its time, claimed by a scheduler (until its lease runs
    /// out), run, dropped with why (the meeting was cancelled, the job no longer applies), or
    /// failed: it could not be run because a row it needs is damaged (the note says which).
    pub enum JobStatus ("job status") {
        Pending = "pending",
        Running = "running",
        Done = "done",
        Dropped = "dropped",
        Failed = "failed",
    }
}

/// How a run job ends.
#[derive(Debug, Clone, Copy)]
pub enum Finished<'a> {
    /// Run, with a note of what it did.
    Done(&'a str),
    /// Not run, with why.
    Dropped(&'a str),
    /// Cannot run: a row it needs is damaged (the error).
    Failed(&'a str),
}

/// The row as stored: the job's kind and its data in two columns.
#[derive(Queryable)]
struct Stored {
    id: JobId,
    dedupe_key: String,
    kind: String,
    meeting_id: Option<MeetingId>,
    action_item_id: Option<ActionItemId>,
    due_at: Stamp,
    status: String,
    lease_until: Stamp,
    note: Option<String>,
    created_at: Stamp,
    updated_at: Stamp,
    params: Option<String>,
}

impl TryFrom<Stored> for JobRow {
    type Error = DbError;

    fn try_from(s: Stored) -> Result<Self, DbError> {
        let job = Job::from_stored(&s.kind, s.params.as_deref())
            .map_err(|e| DbError::Corrupt(e.to_string()))?;
        let status = JobStatus::try_from(s.status).map_err(|e| DbError::Corrupt(e.to_string()))?;
        Ok(JobRow {
            id: s.id,
            dedupe_key: s.dedupe_key,
            job,
            meeting_id: s.meeting_id,
            action_item_id: s.action_item_id,
            due_at: s.due_at,
            status,
            lease_until: s.lease_until,
            note: s.note,
            created_at: s.created_at,
            updated_at: s.updated_at,
        })
    }
}

fn typed(rows: Vec<Stored>) -> Result<Vec<JobRow>, DbError> {
    rows.into_iter().map(JobRow::try_from).collect()
}

pub struct NewJob {
    pub dedupe_key: String,
    pub job: Job,
    pub meeting_id: Option<MeetingId>,
    pub action_item_id: Option<ActionItemId>,
    pub due_at: i64,
}

/// Plans a job unless one with the same key was planned before.
pub fn plan(conn: &mut DbConn, job: &NewJob, now_ms: i64) -> Result<bool, DbError> {
    let row = (
        j::dedupe_key.eq(&job.dedupe_key),
        j::kind.eq(job.job.name()),
        j::params.eq(job.job.params()),
        j::meeting_id.eq(job.meeting_id),
        j::action_item_id.eq(job.action_item_id),
        j::due_at.eq(job.due_at),
        j::status.eq(JobStatus::Pending.as_str()),
        j::created_at.eq(now_ms),
        j::updated_at.eq(now_ms),
    );
    let n = on_backend!(conn, |c| diesel::insert_into(j::jobs)
        .values(row)
        .on_conflict(j::dedupe_key)
        .do_nothing()
        .execute(c))?;
    Ok(n == 1)
}

/// Drops a meeting's pending jobs (cancelled, or about to be planned anew); returns how many.
pub fn drop_for_meeting(
    conn: &mut DbConn,
    meeting_id: MeetingId,
    why: &str,
    now_ms: i64,
) -> Result<usize, DbError> {
    Ok(on_backend!(conn, |c| diesel::update(
        j::jobs
            .filter(j::meeting_id.eq(meeting_id))
            .filter(j::action_item_id.is_null())
            .filter(j::status.eq(JobStatus::Pending.as_str()))
    )
    .set((
        j::status.eq(JobStatus::Dropped.as_str()),
        j::note.eq(why),
        j::updated_at.eq(now_ms),
    ))
    .execute(c))?)
}

/// Claims due jobs (and jobs whose runner died), like `outbox::claim`; a job whose row cannot
/// be read is set aside as failed.
pub fn claim(
    conn: &mut DbConn,
    now_ms: i64,
    lease_ms: i64,
    limit: i64,
) -> Result<Claimed<JobRow, JobId>, DbError> {
    conn.transaction(|conn| {
        let due = j::status
            .eq(JobStatus::Pending.as_str())
            .and(j::due_at.le(now_ms))
            .or(j::status
                .eq(JobStatus::Running.as_str())
                .and(j::lease_until.le(now_ms)));
        let ids: Vec<JobId> = match conn {
            DbConn::Pg(c) => j::jobs
                .filter(due)
                .order(j::due_at)
                .limit(limit)
                .select(j::id)
                .for_update()
                .skip_locked()
                .load(c)?,
            DbConn::Sqlite(c) => j::jobs
                .filter(due)
                .order(j::due_at)
                .limit(limit)
                .select(j::id)
                .load(c)?,
        };
        if ids.is_empty() {
            return Ok(Claimed::default());
        }
        on_backend!(conn, |c| diesel::update(j::jobs.filter(j::id.eq_any(&ids)))
            .set((
                j::status.eq(JobStatus::Running.as_str()),
                j::lease_until.eq(now_ms + lease_ms),
                j::updated_at.eq(now_ms),
            ))
            .execute(c))?;
        claimed::read(
            conn,
            &ids,
            |conn, ids| {
                typed(on_backend!(conn, |c| j::jobs
                    .filter(j::id.eq_any(ids))
                    .order(j::due_at)
                    .load(c))?)
            },
            |conn, id, why| finish(conn, id, Finished::Failed(why), now_ms),
        )
    })
}

/// Ends a running job: done, dropped (with why), failed (with the error), or moved to a later
/// time (quiet hours).
pub fn finish(conn: &mut DbConn, id: JobId, end: Finished, now_ms: i64) -> Result<(), DbError> {
    let (status, note) = match end {
        Finished::Done(note) => (JobStatus::Done, note),
        Finished::Dropped(why) => (JobStatus::Dropped, why),
        Finished::Failed(error) => (JobStatus::Failed, error),
    };
    on_backend!(conn, |c| diesel::update(j::jobs.find(id))
        .set((
            j::status.eq(status.as_str()),
            j::note.eq(note),
            j::updated_at.eq(now_ms),
        ))
        .execute(c))?;
    Ok(())
}

pub fn postpone(conn: &mut DbConn, id: JobId, until_ms: i64, now_ms: i64) -> Result<(), DbError> {
    on_backend!(conn, |c| diesel::update(j::jobs.find(id))
        .set((
            j::status.eq(JobStatus::Pending.as_str()),
            j::due_at.eq(until_ms),
            j::lease_until.eq(0),
            j::updated_at.eq(now_ms),
        ))
        .execute(c))?;
    Ok(())
}

pub fn all(conn: &mut DbConn) -> Result<Vec<JobRow>, DbError> {
    typed(on_backend!(conn, |c| j::jobs.order(j::id).load(c))?)
}

/// When the oldest job still waiting to run fell due, if one is overdue.
pub fn oldest_overdue(conn: &mut DbConn, now_ms: i64) -> Result<Option<i64>, DbError> {
    Ok(on_backend!(conn, |c| j::jobs
        .filter(
            j::status
                .eq(JobStatus::Pending.as_str())
                .and(j::due_at.le(now_ms))
        )
        .select(diesel::dsl::min(j::due_at))
        .first(c))?)
}
