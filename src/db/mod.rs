//! Storage: one connection type over SQLite (embedded default) and PostgreSQL (several
//! instances), an r2d2 pool, embedded migrations, and the rule that every query runs on the
//! blocking thread pool, never on the async executor.

pub mod access_tokens;
pub mod action_items;
pub mod api_pauses;
pub mod audit;
pub mod binding;
pub mod calendar_feeds;
pub mod callback_receipts;
pub mod checklist;
pub mod claimed;
pub mod console_links;
pub mod decisions;
pub mod deferred_replies;
pub mod display_keys;
pub mod feedback;
mod ids;
pub mod improvement;
pub mod jobs;
pub mod materials;
pub mod meetings;
pub mod milestones;
pub mod minutes;
pub mod oauth_states;
pub mod outage;
pub mod outbox;
pub mod participants;
pub mod pending_checkins;
pub mod people;
pub mod questions;
pub mod rooms;
pub mod schema;
pub mod secrets;
pub mod series;
pub mod sessions;
mod sqlite_writer;
pub mod topics;

pub use self::ids::{DeferredReplyId, JobId, OutboxId};
use crate::config::DatabaseUrl;

use diesel::connection::SimpleConnection;
use diesel::r2d2::{self, ManageConnection, R2D2Connection};
use diesel::{Connection, PgConnection, SqliteConnection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};
use std::sync::atomic::AtomicBool;
use std::sync::{mpsc, Arc};
use std::time::Duration;
use tokio::sync::{oneshot, Semaphore};

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Sqlite(SqliteConnection),
    Pg(PgConnection),
}

/// Runs the same diesel query against whichever backend the connection is. Queries that the
/// multi-backend cannot express (e.g. `ON CONFLICT`) are written once and compiled for both.
macro_rules! on_backend {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::db::DbConn::Sqlite($c) => $body,
            $crate::db::DbConn::Pg($c) => $body,
        }
    };
}
pub(crate) use on_backend;

pub type DbPool = r2d2::Pool<DbManager>;
pub type PooledConn = r2d2::PooledConnection<DbManager>;

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("database unavailable: {0}")]
    Pool(#[from] r2d2::PoolError),
    #[error("database query failed: {0}")]
    Query(diesel::result::Error),
    /// A stored value huiwu cannot read: a bug or damage, never the caller's fault.
    #[error("corrupt row: {0}")]
    Corrupt(String),
    #[error("database migration failed: {0}")]
    Migration(String),
    #[error("database worker failed: {0}")]
    Worker(String),
    #[error("database commit failed: {0}")]
    Commit(String),
    #[error("database task panicked or was cancelled")]
    Task(#[from] tokio::task::JoinError),
    #[error("database unreachable for {down_ms} ms; not waiting for it")]
    Unreachable { down_ms: u64 },
}

impl DbError {
    /// The connection itself failed (none to be had, or it broke mid-query), as opposed to the
    /// database answering with an error.
    fn lost_connection(&self) -> bool {
        use diesel::result::{DatabaseErrorKind, Error};
        matches!(
            self,
            DbError::Pool(_)
                | DbError::Query(Error::DatabaseError(
                    DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand,
                    _
                ))
        )
    }
}

impl From<diesel::result::Error> for DbError {
    fn from(e: diesel::result::Error) -> Self {
        match e {
            diesel::result::Error::DeserializationError(e) => DbError::Corrupt(e.to_string()),
            e => DbError::Query(e),
        }
    }
}

/// Opens connections by URL kind. diesel's derived `establish` tries each backend in turn and
/// would create a SQLite file named after an unreachable PostgreSQL URL; this never guesses.
#[derive(Debug, Clone)]
pub struct DbManager {
    url: DatabaseUrl,
}

impl DbManager {
    pub fn new(url: DatabaseUrl) -> Self {
        Self { url }
    }
}

/// Call before a PostgreSQL connection is opened. libpq, on its first TLS connection, lets
/// OpenSSL register a cleanup that runs at process exit and frees OpenSSL's locks while pool
/// threads may still be using them: a crash on the way out (a test binary once died with
/// SIGSEGV after every test had passed). Initialised here first, OpenSSL is told not to
/// (rust-openssl's `init` passes `OPENSSL_INIT_NO_ATEXIT`); after the first call it does nothing.
pub fn prepare_libpq() {
    openssl_sys::init();
}

impl ManageConnection for DbManager {
    type Connection = DbConn;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConn, r2d2::Error> {
        match &self.url {
            DatabaseUrl::Sqlite(path) => {
                let path = path.to_string_lossy();
                let mut conn =
                    SqliteConnection::establish(&path).map_err(r2d2::Error::ConnectionError)?;
                // WAL lets readers run beside the writer; NORMAL sync survives a process
                // crash (only an OS crash can lose the last commits).
                conn.batch_execute(
                    "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; \
                     PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
                )
                .map_err(r2d2::Error::QueryError)?;
                Ok(DbConn::Sqlite(conn))
            }
            DatabaseUrl::Postgres(url) => {
                prepare_libpq();
                PgConnection::establish(url)
                    .map(DbConn::Pg)
                    .map_err(r2d2::Error::ConnectionError)
            }
        }
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), r2d2::Error> {
        conn.ping().map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut DbConn) -> bool {
        conn.is_broken()
    }
}

/// Builds the pool, creating the SQLite file's folder on first run. Fails (rather than
/// retrying forever) when the database cannot be reached within `connect_timeout`.
pub fn connect(
    url: &DatabaseUrl,
    pool_size: u32,
    connect_timeout: Duration,
) -> anyhow::Result<DbPool> {
    if let DatabaseUrl::Sqlite(path) = url {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| {
                anyhow::anyhow!("cannot create database folder {}: {e}", dir.display())
            })?;
        }
        // Switch the file to WAL once, before the pool opens connections side by side:
        // the switch takes a lock that makes the others fail rather than wait.
        DbManager { url: url.clone() }
            .connect()
            .map_err(|e| anyhow::anyhow!("cannot open the database ({}): {e}", url.redacted()))?;
    }
    // SQLite needs two: the writer's and the checkpointer's (see `Db`).
    let pool_size = match url {
        DatabaseUrl::Sqlite(_) => 2,
        DatabaseUrl::Postgres(_) => pool_size,
    };
    let pool = r2d2::Pool::builder()
        .max_size(pool_size)
        // No `SELECT 1` before every use: it was one round trip in eight per callback on
        // PostgreSQL. A connection that died idle fails its first query instead (503, and
        // WeChat retries); `has_broken` then drops it, so the pool heals on its own.
        .test_on_check_out(false)
        // Also the cap on the pool's pause between reconnection attempts (see `outage`).
        .connection_timeout(outage::RETRY_CAP)
        .build_unchecked(DbManager::new(url.clone()));
    pool.get_timeout(connect_timeout)
        .map_err(|e| anyhow::anyhow!("cannot connect to the database ({}): {e}", url.redacted()))?;
    Ok(pool)
}

/// Applies pending migrations; returns the versions applied.
pub fn migrate(conn: &mut DbConn) -> Result<Vec<String>, DbError> {
    let applied = match conn {
        DbConn::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS),
        DbConn::Pg(c) => c.run_pending_migrations(POSTGRES_MIGRATIONS),
    }
    .map_err(|e| DbError::Migration(e.to_string()))?;
    Ok(applied.iter().map(|v| v.to_string()).collect())
}

/// Where queries run. PostgreSQL: pooled connections on the blocking thread pool, with a cap
/// on work in flight (without it every waiting request parks a thread on the pool's lock and
/// hundreds of threads fight over a few connections). SQLite: one writer thread that commits
/// in batches (see `sqlite_writer`).
#[derive(Clone)]
pub struct Db {
    access: Arc<Access>,
    lane: Lane,
}

/// Background work (outbox, scheduler, housekeeping) may hold at most half the connections;
/// requests may hold all of them.
#[derive(Clone, Copy)]
enum Lane {
    Request,
    Background,
}

enum Access {
    Pooled {
        pool: DbPool,
        in_flight: Arc<Semaphore>,
        background: Arc<Semaphore>,
        outage: Arc<outage::Outage>,
    },
    SqliteWriter {
        jobs: mpsc::Sender<sqlite_writer::Job>,
        _stop_checkpoints: mpsc::Sender<()>,
    },
}

impl Db {
    /// Must be called off the async executor: for SQLite it checks out the writer's and the
    /// checkpointer's connections.
    pub fn new(pool: DbPool, url: &DatabaseUrl) -> Result<Self, DbError> {
        let access = match url {
            DatabaseUrl::Sqlite(_) => {
                let (stop_checkpoints, stop) = mpsc::channel();
                let wal_too_long = Arc::new(AtomicBool::new(false));
                sqlite_writer::spawn_checkpointer(pool.get()?, stop, wal_too_long.clone())?;
                Access::SqliteWriter {
                    jobs: sqlite_writer::spawn(pool.get()?, wal_too_long)?,
                    _stop_checkpoints: stop_checkpoints,
                }
            }
            DatabaseUrl::Postgres(_) => {
                let permits = pool.max_size() as usize;
                Access::Pooled {
                    pool,
                    in_flight: Arc::new(Semaphore::new(permits)),
                    background: Arc::new(Semaphore::new(permits.div_ceil(2))),
                    outage: Arc::default(),
                }
            }
        };
        Ok(Self {
            access: Arc::new(access),
            lane: Lane::Request,
        })
    }

    /// The same database for background work: see `Lane`.
    pub fn background(&self) -> Db {
        Db {
            access: self.access.clone(),
            lane: Lane::Background,
        }
    }

    /// How many requests were refused at once, without waiting for a connection, while
    /// PostgreSQL was known to be unreachable (none on SQLite): how an outage is answered fast.
    pub fn refused_while_down(&self) -> u64 {
        match &*self.access {
            Access::Pooled { outage, .. } => outage.refused(),
            Access::SqliteWriter { .. } => 0,
        }
    }

    /// How many requests waited for a PostgreSQL connection until `outage::CHECKOUT_WAIT` ran
    /// out (none on SQLite).
    pub fn checkouts_waited_out(&self) -> u64 {
        match &*self.access {
            Access::Pooled { outage, .. } => outage.waited_out(),
            Access::SqliteWriter { .. } => 0,
        }
    }

    /// Whether commits are grouped by the SQLite writer (many jobs, one commit), so that a job
    /// costs no commit of its own; on PostgreSQL every transaction is a synchronous commit.
    pub fn groups_commits(&self) -> bool {
        matches!(&*self.access, Access::SqliteWriter { .. })
    }

    /// Runs blocking database work off the async executor and returns its result.
    pub async fn run<T, F>(&self, work: F) -> Result<T, DbError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConn) -> Result<T, DbError> + Send + 'static,
    {
        // The caller's span (its request id) follows the work onto the database thread, and
        // the wait for a connection is measured up to the moment the work starts.
        let span = tracing::Span::current();
        let asked = std::time::Instant::now();
        let work = move |c: &mut DbConn| {
            crate::telemetry::metrics::METRICS
                .db_wait_seconds
                .observe(asked.elapsed().as_secs_f64());
            span.in_scope(|| work(c))
        };
        match &*self.access {
            Access::SqliteWriter { jobs, .. } => {
                let (tx, rx) = oneshot::channel();
                jobs.send(sqlite_writer::job(work, tx))
                    .map_err(|_| DbError::Worker("the SQLite writer has stopped".into()))?;
                rx.await
                    .map_err(|_| DbError::Worker("a database job ended without an answer".into()))?
            }
            Access::Pooled {
                pool,
                in_flight,
                background,
                outage,
            } => {
                // Refused before queueing for a slot, and again once it has one: a queue that
                // formed before the outage was noticed drains at once.
                let request = matches!(self.lane, Lane::Request);
                outage::refuse_while_down(pool, outage, request)?;
                let closed = |_| DbError::Worker("database access is closed".into());
                let lane_permit = match self.lane {
                    Lane::Background => {
                        Some(background.clone().acquire_owned().await.map_err(closed)?)
                    }
                    Lane::Request => None,
                };
                let permit = in_flight.clone().acquire_owned().await.map_err(closed)?;
                let pool = pool.clone();
                let outage = outage.clone();
                tokio::task::spawn_blocking(move || {
                    // Held until the work ends, even if the awaiting request is cancelled.
                    let _permits = (lane_permit, permit);
                    let result = outage::refuse_while_down(&pool, &outage, request)
                        .and_then(|()| {
                            pool.get_timeout(outage::CHECKOUT_WAIT).map_err(|e| {
                                if request {
                                    outage.count_wait_out();
                                }
                                DbError::from(e)
                            })
                        })
                        .and_then(|mut conn| work(&mut conn));
                    match &result {
                        Err(e) if e.lost_connection() => outage.began(e),
                        // Refused without asking the database: that says nothing about it.
                        Err(DbError::Unreachable { .. }) => {}
                        _ => outage.ended(),
                    }
                    result
                })
                .await?
            }
        }
    }
}

#[derive(diesel::QueryableByName)]
struct CompileOption {
    #[diesel(sql_type = diesel::sql_types::Text)]
    compile_options: String,
}

/// Whether prepared statements survive new bindings: on SQLite only when it was built with
/// the query planner stability guarantee, otherwise a bound `LIMIT` (every `.first()`) makes
/// SQLite parse the statement again each time. PostgreSQL always keeps them.
pub fn keeps_statements_prepared(conn: &mut DbConn) -> Result<bool, DbError> {
    use diesel::RunQueryDsl;
    let DbConn::Sqlite(c) = conn else {
        return Ok(true);
    };
    let options: Vec<CompileOption> = diesel::sql_query("PRAGMA compile_options").load(c)?;
    Ok(options.iter().any(|o| o.compile_options == "ENABLE_QPSG"))
}

/// `SELECT 1`: does the database answer?
pub fn ping(conn: &mut DbConn) -> Result<(), DbError> {
    conn.batch_execute("SELECT 1")?;
    Ok(())
}
