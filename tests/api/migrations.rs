//! Upgrading a database that already holds jobs: their data, until now kept inside the
//! dedupe key, reaches the new params column and reads back as typed jobs.

use crate::helpers::*;
use diesel::connection::SimpleConnection;
use diesel::migration::MigrationSource;
use diesel::{Connection, SqliteConnection};
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
                    let mut c = pg_connect(&url).unwrap();
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

mod the_two_migration_trees_give_the_same_schema {
    //! SQLite and PostgreSQL each have their own migrations (the dialects differ); this compares
    //! what they build: every table's columns with their kind and nullability, and every
    //! index's table, columns and uniqueness (names differ by engine and are not compared).

    use super::*;
    use diesel::sql_types::{BigInt, Bool, Text};
    use diesel::{QueryableByName, RunQueryDsl};
    use std::collections::BTreeSet;

    #[derive(QueryableByName)]
    struct Column {
        #[diesel(sql_type = Text)]
        table_name: String,
        #[diesel(sql_type = Text)]
        column_name: String,
        #[diesel(sql_type = Text)]
        data_type: String,
        #[diesel(sql_type = Bool)]
        not_null: bool,
    }

    #[derive(QueryableByName)]
    struct IndexColumn {
        #[diesel(sql_type = Text)]
        table_name: String,
        #[diesel(sql_type = Text)]
        index_name: String,
        #[diesel(sql_type = Bool)]
        is_unique: bool,
        #[diesel(sql_type = BigInt)]
        seqno: i64,
        #[diesel(sql_type = Text)]
        col: String,
    }

    /// A column's kind, as both engines mean it.
    fn kind(declared: &str) -> &'static str {
        let t = declared.to_ascii_lowercase();
        if t.contains("int") || t.contains("serial") {
            "integer"
        } else if t.contains("bool") {
            "boolean"
        } else if t.contains("char") || t.contains("text") {
            "text"
        } else if t.contains("real") || t.contains("double") || t.contains("float") {
            "real"
        } else if t.contains("timestamp") {
            "timestamp"
        } else {
            "other"
        }
    }

    type Schema = (BTreeSet<String>, BTreeSet<String>);
    /// (table, index) → (unique, its columns by position).
    type Indexes = std::collections::BTreeMap<(String, String), (bool, Vec<(i64, String)>)>;

    fn describe(columns: Vec<Column>, index_columns: Vec<IndexColumn>) -> Schema {
        let columns = columns
            .into_iter()
            .filter(|c| c.table_name != "__diesel_schema_migrations")
            .map(|c| {
                let null = if c.not_null { "not null" } else { "null" };
                format!(
                    "{}.{} {} {null}",
                    c.table_name,
                    c.column_name,
                    kind(&c.data_type)
                )
            })
            .collect();
        let mut by_index = Indexes::default();
        for i in index_columns {
            let entry = by_index
                .entry((i.table_name, i.index_name))
                .or_insert((i.is_unique, Vec::new()));
            entry.1.push((i.seqno, i.col));
        }
        let indexes = by_index
            .into_iter()
            .filter(|((table, _), _)| table != "__diesel_schema_migrations")
            .map(|((table, _), (unique, mut cols))| {
                cols.sort();
                let cols: Vec<String> = cols.into_iter().map(|(_, c)| c).collect();
                let unique = if unique { "unique " } else { "" };
                format!("{unique}{table}({})", cols.join(", "))
            })
            .collect();
        (columns, indexes)
    }

    fn sqlite_schema() -> Schema {
        let mut c = SqliteConnection::establish(":memory:").unwrap();
        c.run_pending_migrations(SQLITE).unwrap();
        let columns = diesel::sql_query(
            "SELECT m.name AS table_name, p.name AS column_name, p.type AS data_type,
                    (p.\"notnull\" OR p.pk > 0) AS not_null
             FROM sqlite_master m JOIN pragma_table_info(m.name) p
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'",
        )
        .load(&mut c)
        .unwrap();
        let indexes = diesel::sql_query(
            "SELECT m.name AS table_name, il.name AS index_name, il.\"unique\" AS is_unique,
                    ii.seqno AS seqno, ii.name AS col
             FROM sqlite_master m JOIN pragma_index_list(m.name) il
                  JOIN pragma_index_info(il.name) ii
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND il.origin != 'pk'",
        )
        .load(&mut c)
        .unwrap();
        describe(columns, indexes)
    }

    fn postgres_schema(url: &str) -> Schema {
        let mut c = pg_connect(url).unwrap();
        c.run_pending_migrations(POSTGRES).unwrap();
        let columns = diesel::sql_query(
            "SELECT table_name::text AS table_name, column_name::text AS column_name,
                    data_type::text AS data_type, (is_nullable = 'NO') AS not_null
             FROM information_schema.columns WHERE table_schema = current_schema()",
        )
        .load(&mut c)
        .unwrap();
        let indexes = diesel::sql_query(
            "SELECT t.relname::text AS table_name, i.relname::text AS index_name,
                    ix.indisunique AS is_unique, k.n - 1 AS seqno, a.attname::text AS col
             FROM pg_index ix
             JOIN pg_class i ON i.oid = ix.indexrelid
             JOIN pg_class t ON t.oid = ix.indrelid
             JOIN pg_namespace ns ON ns.oid = t.relnamespace
             CROSS JOIN LATERAL unnest(ix.indkey) WITH ORDINALITY AS k(attnum, n)
             JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
             WHERE ns.nspname = current_schema() AND NOT ix.indisprimary",
        )
        .load(&mut c)
        .unwrap();
        describe(columns, indexes)
    }

    fn differences(a: &BTreeSet<String>, b: &BTreeSet<String>) -> String {
        let only_a: Vec<_> = a.difference(b).collect();
        let only_b: Vec<_> = b.difference(a).collect();
        format!("only in SQLite: {only_a:#?}\nonly in PostgreSQL: {only_b:#?}")
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    #[cfg_attr(
        not(huiwu_postgres_tests),
        ignore = "HUIWU_TEST_DATABASE_URL was not set when the tests were built"
    )]
    async fn postgres() {
        let database = TestDatabase::new(Backend::Postgres);
        let url = database.url.clone();
        let (sqlite, postgres) =
            tokio::task::spawn_blocking(move || (sqlite_schema(), postgres_schema(&url)))
                .await
                .unwrap();
        assert!(sqlite.0.len() > 100, "{:?}", sqlite.0);
        assert!(sqlite.1.len() > 10, "{:?}", sqlite.1);
        assert!(
            sqlite.1.iter().any(|i| i.starts_with("unique people(")),
            "{:?}",
            sqlite.1
        );
        assert!(
            sqlite.0 == postgres.0,
            "columns differ:\n{}",
            differences(&sqlite.0, &postgres.0)
        );
        assert!(
            sqlite.1 == postgres.1,
            "indexes differ:\n{}",
            differences(&sqlite.1, &postgres.1)
        );
    }
}
