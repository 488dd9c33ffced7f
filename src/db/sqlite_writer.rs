//! SQLite allows one writer at a time. Instead of letting connections queue on the file lock
//! (SQLite's busy handler sleeps whole milliseconds), every statement goes to one thread that
//! owns the connection and commits whatever has queued up in one transaction (group commit).
//! No caller hears back before the commit that makes its work durable. A job that writes
//! more than one statement and must be all-or-nothing wraps itself in `transaction` (a
//! savepoint here): per-job savepoints for everyone cost more than the statements.

use super::{DbConn, DbError, PooledConn};
use diesel::connection::SimpleConnection;
use diesel::Connection;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

/// Enough to amortise a commit, small enough to keep the first job's wait short.
const MAX_BATCH: usize = 256;
/// How often WAL frames are copied back into the database file.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(100);
/// WAL frames (of one page each) beyond which the writer finishes a checkpoint itself so the
/// WAL can start over: about 64 MiB with 4 KiB pages. Each commit appends every page it
/// touched, so thousands of callbacks a second write tens of MB/s to the WAL and each restart
/// pauses the writer for a checkpoint (~20 ms measured here). Larger limits measured worse:
/// appending to an ever longer WAL while it is synced stalls for longer. At light load the
/// background checkpointer keeps up and the WAL restarts on its own.
const WAL_RESET_FRAMES: i64 = 16_384;

pub(super) type Job = Box<dyn FnOnce(&mut DbConn) -> Finished + Send>;

/// How to tell a job's caller once the batch's commit outcome is known.
pub(super) struct Finished {
    deliver: Box<dyn FnOnce(Result<(), DbError>) + Send>,
}

pub(super) fn job<T, F>(work: F, reply: tokio::sync::oneshot::Sender<Result<T, DbError>>) -> Job
where
    T: Send + 'static,
    F: FnOnce(&mut DbConn) -> Result<T, DbError> + Send + 'static,
{
    Box::new(move |conn| {
        let result = work(conn);
        Finished {
            deliver: Box::new(move |commit| {
                let _ = reply.send(commit.and(result));
            }),
        }
    })
}

pub(super) fn spawn(
    mut conn: PooledConn,
    wal_too_long: Arc<AtomicBool>,
) -> Result<mpsc::Sender<Job>, DbError> {
    // Checkpoints (with their fsync) happen on the checkpointer's connection, so the writer
    // does not stall every caller behind one; the size limit gives the disk back after a
    // restart of the WAL.
    conn.batch_execute("PRAGMA wal_autocheckpoint = 0; PRAGMA journal_size_limit = 67108864")?;
    let (tx, rx) = mpsc::channel::<Job>();
    std::thread::Builder::new()
        .name("sqlite-writer".into())
        .spawn(move || {
            while let Ok(first) = rx.recv() {
                let mut batch = vec![first];
                while batch.len() < MAX_BATCH {
                    match rx.try_recv() {
                        Ok(job) => batch.push(job),
                        Err(_) => break,
                    }
                }
                run_batch(&mut conn, batch);
                // Under sustained writes the background checkpointer never catches the last
                // frames, and the WAL only starts over once a checkpoint by the writer itself
                // has left nothing behind. The checkpointer has copied nearly everything, so
                // this one is short; it is still a pause, so only when the WAL has grown.
                if wal_too_long.swap(false, Ordering::Relaxed) {
                    let started = Instant::now();
                    if let Err(e) = conn.batch_execute("PRAGMA wal_checkpoint(PASSIVE)") {
                        tracing::warn!(error = %e, "SQLite checkpoint failed");
                    }
                    tracing::debug!(elapsed = ?started.elapsed(), "writer checkpoint to restart the WAL");
                }
            }
        })
        .map_err(|e| DbError::Worker(e.to_string()))?;
    Ok(tx)
}

/// Copies committed WAL frames into the database file in the background. PASSIVE never waits
/// for the writer; the thread ends when `stop`'s sender is dropped.
pub(super) fn spawn_checkpointer(
    mut conn: PooledConn,
    stop: mpsc::Receiver<()>,
    wal_too_long: Arc<AtomicBool>,
) -> Result<(), DbError> {
    std::thread::Builder::new()
        .name("sqlite-checkpoint".into())
        .spawn(move || {
            while let Err(mpsc::RecvTimeoutError::Timeout) = stop.recv_timeout(CHECKPOINT_EVERY) {
                match passive_checkpoint(&mut conn) {
                    Ok(frames) if frames > WAL_RESET_FRAMES => {
                        wal_too_long.store(true, Ordering::Relaxed)
                    }
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "SQLite checkpoint failed"),
                }
            }
        })
        .map_err(|e| DbError::Worker(e.to_string()))?;
    Ok(())
}

fn run_batch(conn: &mut DbConn, batch: Vec<Job>) {
    let mut finished = Vec::with_capacity(batch.len());
    let committed = conn.transaction::<_, DbError, _>(|conn| {
        for job in batch {
            match catch_unwind(AssertUnwindSafe(|| job(conn))) {
                Ok(done) => finished.push(done.deliver),
                // Whatever the job half-did must not be committed: roll the batch back, and
                // every caller in it hears that nothing happened.
                Err(_) => return Err(DbError::Worker("a database job panicked".into())),
            }
        }
        Ok(())
    });
    if let Err(e) = &committed {
        tracing::error!(error = %e, "SQLite batch rolled back");
    }
    for deliver in finished {
        deliver(match &committed {
            Ok(()) => Ok(()),
            Err(e) => Err(DbError::Commit(e.to_string())),
        });
    }
}

#[derive(diesel::QueryableByName)]
struct CheckpointResult {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    log: i64,
}

/// Returns the number of frames in the WAL.
fn passive_checkpoint(conn: &mut DbConn) -> Result<i64, DbError> {
    use diesel::RunQueryDsl;
    let DbConn::Sqlite(conn) = conn else {
        return Ok(0);
    };
    let result: CheckpointResult =
        diesel::sql_query("PRAGMA wal_checkpoint(PASSIVE)").get_result(conn)?;
    Ok(result.log)
}
