//! Upgrading a database that already holds jobs: their data, until now kept inside the
//! dedupe key, reaches the new params column and reads back as typed jobs.

use crate::helpers::*;
use diesel::connection::SimpleConnection;
use diesel::migration::MigrationSource;
use diesel::{Connection, PgConnection, SqliteConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness};
use huiwu::db::DbConn;
use huiwu::meetings::job::Job;

const SQLITE: EmbeddedMigrations = diesel_migrations::embed_migrations!("migrations/sqlite");
const POSTGRES: EmbeddedMigrations = diesel_migrations::embed_migrations!("migrations/postgres");
const JOB_PARAMS: &str = "20261201000009";

/// Applies every migration before the job params one.
fn migrate_before_params<C, D>(c: &mut C, source: EmbeddedMigrations)
where
    C: MigrationHarness<D> + SimpleConnection,
    D: diesel::backend::Backend,
    EmbeddedMigrations: MigrationSource<D>,
{
    // What diesel's run_pending_migrations sets up before its first migration.
    c.batch_execute(
        "CREATE TABLE IF NOT EXISTS __diesel_schema_migrations (
             version VARCHAR(50) PRIMARY KEY NOT NULL,
             run_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)",
    )
    .unwrap();
    let migrations = MigrationSource::<D>::migrations(&source).unwrap();
    for m in migrations {
        if m.name().version().to_string().as_str() >= JOB_PARAMS {
            break;
        }
        c.run_migration(&*m).unwrap();
    }
}

const OLD_ROWS: &str = "
    INSERT INTO people (id, name, employee_no, created_at, updated_at) VALUES (1, 'p', 'E1', 0, 0);
    INSERT INTO meetings (id, title, starts_at, ends_at, status, created_at, updated_at)
        VALUES (7, 'm', 0, 1, 'scheduled', 0, 0);
    INSERT INTO action_items (id, meeting_id, title, owner_id, due_on, status, created_by,
                              created_at, updated_at)
        VALUES (42, 7, 't', 1, '2026-12-09', 'open', 1, 0, 0);
    INSERT INTO jobs (dedupe_key, kind, meeting_id, action_item_id, due_at, status,
                      created_at, updated_at) VALUES
        ('reminder_first:7:1796100000000', 'reminder_first', 7, NULL, 1, 'pending', 0, 0),
        ('item_overrun:7:12:1796100000000', 'item_overrun', 7, NULL, 1, 'pending', 0, 0),
        ('task_due:42:2026-12-05', 'task_due', 7, 42, 1, 'done', 0, 0),
        ('task_overdue:42:1796200000000', 'task_overdue', 7, 42, 1, 'pending', 0, 0),
        ('weekly_digest:1796300000000', 'weekly_digest', NULL, NULL, 1, 'pending', 0, 0);
";

on_both_backends! {
    async fn jobs_planned_before_the_upgrade_keep_their_data(backend: Backend) {
        let database = TestDatabase::new(backend);
        let url = database.url.clone();
        let jobs = tokio::task::spawn_blocking(move || {
            let mut conn = match backend {
                Backend::Sqlite => {
                    let path = url.trim_start_matches("sqlite://");
                    std::fs::create_dir_all(std::path::Path::new(path).parent().unwrap()).unwrap();
                    let mut c = SqliteConnection::establish(path).unwrap();
                    migrate_before_params(&mut c, SQLITE);
                    DbConn::Sqlite(c)
                }
                Backend::Postgres => {
                    let mut c = PgConnection::establish(&url).unwrap();
                    migrate_before_params(&mut c, POSTGRES);
                    DbConn::Pg(c)
                }
            };
            conn.batch_execute(OLD_ROWS).unwrap();
            huiwu::db::migrate(&mut conn).unwrap();
            huiwu::db::jobs::all(&mut conn).unwrap()
        })
        .await
        .unwrap();
        let due = |d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
        let read: Vec<Job> = jobs.iter().map(|j| j.job).collect();
        assert_eq!(
            read,
            vec![
                Job::ReminderFirst,
                Job::ItemOverrun { position: 12 },
                Job::TaskDue { due: due("2026-12-05") },
                // Replanned overdue reminders kept a time in their key: the item's date.
                Job::TaskOverdue { due: due("2026-12-09") },
                Job::WeeklyDigest,
            ]
        );
    }
}
