//! `spawn_app`: the real server on a random port with a fresh database (its own SQLite file, or
//! its own PostgreSQL schema when HUIWU_TEST_DATABASE_URL is set), driven as WeChat would.

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};
use huiwu::config::Settings;
use huiwu::db::{Db, DbConn, DbError};
use huiwu::meetings::audit_action::{AuditAction, AuditActor};
use huiwu::sim::{SignedRequest, SimAction, SimReply, Simulator};
use huiwu::startup::{AppOptions, Application};
use huiwu::wechat::router::{RouteFuture, Routed, Router, Undo};
use huiwu::wechat::{Inbound, InboundKind, Reply};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

pub const OA_KEY: &str = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR";
pub const WECOM_KEY: &str = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
pub const APP_ID: &str = "wx2c2769f8efd9abc2";
pub const CORP_ID: &str = "ww1234567890abcdef";
pub const TOKEN: &str = "huiwu_token_1";
pub const ADMIN_TOKEN: &str = "test-admin-token-0123456789";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs a test body on SQLite, and on PostgreSQL when HUIWU_TEST_DATABASE_URL is set (see
/// build.rs: without it the PostgreSQL copy is reported as ignored).
macro_rules! on_both_backends {
    ($(async fn $name:ident($app_opts:ident : Backend) $body:block)*) => {
        $(
            mod $name {
                #[allow(unused_imports)]
                use super::*;
                async fn run($app_opts: $crate::helpers::Backend) $body

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    run($crate::helpers::Backend::Sqlite).await
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                #[cfg_attr(
                    not(huiwu_postgres_tests),
                    ignore = "HUIWU_TEST_DATABASE_URL was not set when the tests were built"
                )]
                async fn postgres() {
                    run($crate::helpers::Backend::Postgres).await
                }
            }
        )*
    };
}
pub(crate) use on_both_backends;

pub fn postgres_url() -> Option<String> {
    std::env::var("HUIWU_TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())
}

/// A database of the test's own: dropped with it.
pub struct TestDatabase {
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    pg_schema: Option<(String, String)>,
    /// (server URL, database name) of a PostgreSQL database of the test's own.
    pg_database: Option<(String, String)>,
}

impl TestDatabase {
    pub fn new(backend: Backend) -> Self {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}", dir.path().join("nested/huiwu.db").display());
                Self {
                    url,
                    _dir: Some(dir),
                    pg_schema: None,
                    pg_database: None,
                }
            }
            Backend::Postgres => {
                let base = postgres_url().expect(
                    "HUIWU_TEST_DATABASE_URL was set when the tests were built: set it to run them",
                );
                let schema = format!("t_{}", hex::encode(rand::random::<[u8; 8]>()));
                let mut conn = admin_connection(&base);
                conn.batch_execute(&format!("CREATE SCHEMA {schema}"))
                    .expect("create test schema");
                let sep = if base.contains('?') { '&' } else { '?' };
                let url = format!("{base}{sep}options=-csearch_path%3D{schema}");
                Self {
                    url,
                    _dir: None,
                    pg_schema: Some((base, schema)),
                    pg_database: None,
                }
            }
        }
    }

    /// A PostgreSQL database rather than a schema, so that the test can make it refuse
    /// connections (an outage) without touching anyone else's.
    pub fn own_postgres_database() -> Self {
        let base = postgres_url().expect(
            "HUIWU_TEST_DATABASE_URL was set when the tests were built: set it to run them",
        );
        let name = format!("huiwu_t_{}", hex::encode(rand::random::<[u8; 8]>()));
        admin_connection(&base)
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("create test database");
        let mut url = url::Url::parse(&base).expect("HUIWU_TEST_DATABASE_URL is a URL");
        url.set_path(&name);
        Self {
            url: url.to_string(),
            _dir: None,
            pg_schema: None,
            pg_database: Some((base, name)),
        }
    }

    /// Makes the own database refuse new connections and ends the open ones (`true`), the
    /// way an outage looks to huiwu, or accept them again (`false`).
    pub fn refuse_connections(&self, refuse: bool) {
        let (base, name) = self
            .pg_database
            .as_ref()
            .expect("an own PostgreSQL database");
        let mut conn = admin_connection(base);
        conn.batch_execute(&format!(
            "ALTER DATABASE {name} ALLOW_CONNECTIONS {}",
            !refuse
        ))
        .expect("alter database");
        if refuse {
            conn.batch_execute(&format!(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"
            ))
            .expect("terminate backends");
        }
    }
}

/// A connection of the test's own, made as the app makes its (`prepare_libpq` first).
pub fn pg_connect(url: &str) -> diesel::ConnectionResult<PgConnection> {
    huiwu::db::prepare_libpq();
    PgConnection::establish(url)
}

fn admin_connection(base: &str) -> PgConnection {
    pg_connect(base).unwrap_or_else(|e| {
        panic!("HUIWU_TEST_DATABASE_URL is set but PostgreSQL cannot be reached: {e}")
    })
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Some((base, schema)) = &self.pg_schema {
            if let Ok(mut conn) = pg_connect(base) {
                let _ = conn.batch_execute(&format!("DROP SCHEMA {schema} CASCADE"));
            }
        }
        if let Some((base, name)) = &self.pg_database {
            if let Ok(mut conn) = pg_connect(base) {
                let _ = conn.batch_execute(&format!("DROP DATABASE {name} WITH (FORCE)"));
            }
        }
    }
}

/// Answers text with `echo: <content>`, counting calls, optionally slowly. Made with
/// `in_transaction`, it joins the webhook's transaction where the engine allows (PostgreSQL),
/// leaves an audit row as its effect, and can fail its first calls; a text starting with `查`
/// is a query there, answered from reads alone (counted in `reads`, not `calls`), and one
/// starting with `拒` is refused after writing (its write undone, its reply recorded).
pub struct EchoRouter {
    pub calls: AtomicUsize,
    pub reads: AtomicUsize,
    pub delay: Duration,
    joins: bool,
    failures_left: AtomicUsize,
    /// Once attached, a run on its own (`route`) leaves its audit row too, so that tests count
    /// effects on every engine.
    db: std::sync::OnceLock<Db>,
    /// Told each time a run starts: a test that needs a request in flight waits for this
    /// instead of guessing with a sleep.
    started: tokio::sync::Notify,
}

impl EchoRouter {
    pub fn new(delay: Duration) -> Arc<Self> {
        Arc::new(Self {
            calls: AtomicUsize::new(0),
            reads: AtomicUsize::new(0),
            delay,
            joins: false,
            failures_left: AtomicUsize::new(0),
            db: std::sync::OnceLock::new(),
            started: tokio::sync::Notify::new(),
        })
    }

    pub fn in_transaction(delay: Duration, failures: usize) -> Arc<Self> {
        Arc::new(Self {
            calls: AtomicUsize::new(0),
            reads: AtomicUsize::new(0),
            delay,
            joins: true,
            failures_left: AtomicUsize::new(failures),
            db: std::sync::OnceLock::new(),
            started: tokio::sync::Notify::new(),
        })
    }

    /// Where a run on its own writes its effect.
    pub fn attach(&self, db: Db) {
        let _ = self.db.set(db);
    }

    pub fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }

    pub fn reads(&self) -> usize {
        self.reads.load(Ordering::SeqCst)
    }

    /// Returns once a run has started (at once if one started since the last wait).
    pub async fn started(&self) {
        self.started.notified().await;
    }
}

fn echo(message: &Inbound) -> Option<Reply> {
    match &message.kind {
        InboundKind::Text { content, .. } => Some(Reply::text(format!("echo: {content}"))),
        InboundKind::Event(e) => Some(Reply::text(format!("event: {}", e.name()))),
        _ => None,
    }
}

impl Router for EchoRouter {
    fn route(&self, message: Inbound) -> RouteFuture {
        self.calls.fetch_add(1, Ordering::SeqCst);
        self.started.notify_one();
        let delay = self.delay;
        let db = self.db.get().cloned();
        Box::pin(async move {
            tokio::time::sleep(delay).await;
            if let Some(db) = db {
                let key = message.dedupe_key();
                db.run(move |c| {
                    huiwu::db::audit::append(
                        c,
                        &AuditActor::parse("echo"),
                        AuditAction::parse(&key),
                        None,
                        0,
                    )
                })
                .await
                .expect("the echo router's effect");
            }
            echo(&message)
        })
    }

    fn routes_in_transaction(&self) -> bool {
        self.joins
    }

    fn route_in<'a>(
        &'a self,
        _c: &mut DbConn,
        message: &'a Inbound,
    ) -> Result<Routed<'a>, DbError> {
        // On a blocking thread, holding the connection (or transaction) as a slow command would.
        if matches!(&message.kind, InboundKind::Text { content, .. } if content.starts_with('查'))
        {
            self.reads.fetch_add(1, Ordering::SeqCst);
            self.started.notify_one();
            std::thread::sleep(self.delay);
            return Ok(Routed::Answered(echo(message)));
        }
        Ok(Routed::Changes(Box::new(move |c: &mut DbConn| {
            self.calls.fetch_add(1, Ordering::SeqCst);
            self.started.notify_one();
            std::thread::sleep(self.delay);
            huiwu::db::audit::append(
                c,
                &AuditActor::parse("echo"),
                AuditAction::parse(&message.dedupe_key()),
                None,
                0,
            )?;
            let fail = self
                .failures_left
                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                .is_ok();
            if fail {
                return Err(DbError::Worker("the echo router fails as told".into()).into());
            }
            if matches!(&message.kind, InboundKind::Text { content, .. } if content.starts_with('拒'))
            {
                return Err(Undo::Refused(echo(message)));
            }
            Ok(echo(message))
        })))
    }
}

pub struct TestOptions {
    pub backend: Backend,
    /// false: the Official Account runs in plaintext mode.
    pub oa_encrypted: bool,
    pub wecom: bool,
    pub router: Option<Arc<dyn Router>>,
    pub clock: Option<Arc<dyn huiwu::clock::Clock>>,
    /// Where the outbound API calls go; by default nowhere (connections are refused).
    pub api_base: String,
    pub outbox_worker: bool,
    pub scheduler: bool,
    /// Extra TOML appended to the test config.
    pub extra_config: String,
    /// Extra keys inside the `[wechat]` section.
    pub wechat_extra: String,
    /// Extra keys inside the `[server]` section.
    pub server_extra: String,
    pub reply_deadline: Option<Duration>,
    pub max_body_bytes: usize,
    /// PostgreSQL: a database of the test's own instead of a schema (see `refuse_connections`).
    pub own_database: bool,
}

impl TestOptions {
    pub fn new(backend: Backend) -> Self {
        Self {
            backend,
            oa_encrypted: true,
            wecom: true,
            router: None,
            clock: None,
            api_base: "http://127.0.0.1:1".to_owned(),
            outbox_worker: true,
            scheduler: true,
            extra_config: String::new(),
            wechat_extra: String::new(),
            server_extra: String::new(),
            reply_deadline: None,
            max_body_bytes: 65536,
            own_database: false,
        }
    }
}

pub struct TestApp {
    pub base: String,
    /// The app's clock: callbacks are signed with its time, as WeChat's would match it.
    pub clock: Arc<dyn huiwu::clock::Clock>,
    pub settings: Settings,
    pub db: Db,
    pub client: reqwest::Client,
    pub database: TestDatabase,
}

pub async fn spawn(opts: TestOptions) -> TestApp {
    let database = if opts.own_database {
        TestDatabase::own_postgres_database()
    } else {
        TestDatabase::new(opts.backend)
    };
    let key = if opts.oa_encrypted { OA_KEY } else { "" };
    let mut toml = format!(
        "[server]\nbind = '127.0.0.1:0'\nmax_body_bytes = {}\n{}\n\
         [database]\nurl = '{}'\npool_size = 4\n[admin]\ntoken = '{ADMIN_TOKEN}'\n\
         [wechat]\napp_id = '{APP_ID}'\napp_secret = 's'\ntoken = '{TOKEN}'\nencoding_aes_key = '{key}'\napi_base = '{}'\n{}",
        opts.max_body_bytes, opts.server_extra, database.url, opts.api_base, opts.wechat_extra
    );
    if opts.wecom {
        toml.push_str(&format!(
            "[wecom]\ncorp_id = '{CORP_ID}'\nagent_id = '1000002'\nsecret = 's'\ntoken = '{TOKEN}'\nencoding_aes_key = '{WECOM_KEY}'\napi_base = '{}'\n",
            opts.api_base
        ));
    }
    toml.push_str(&opts.extra_config);
    let mut settings = Settings::from_toml_str(&toml).expect("test settings");
    let mut options = AppOptions {
        router: opts.router,
        outbox_worker: opts.outbox_worker,
        scheduler: opts.scheduler,
        ..AppOptions::default()
    };
    if let Some(clock) = opts.clock {
        options.clock = clock;
    }
    let clock = options.clock.clone();
    if let Some(deadline) = opts.reply_deadline {
        options.reply_deadline = deadline;
    }
    let app = Application::build(&settings, options)
        .await
        .expect("app starts");
    let base = format!("http://{}", app.address());
    settings.server.public_url = base.parse().expect("url");
    let db = app.db().clone();
    tokio::spawn(app.run_until_stopped());
    TestApp {
        base,
        clock,
        settings,
        db,
        client: reqwest::Client::new(),
        database,
    }
}

pub struct Response {
    pub status: u16,
    pub body: String,
}

impl Response {
    async fn of(request: reqwest::RequestBuilder) -> Self {
        let r = request.send().await.expect("request");
        Response {
            status: r.status().as_u16(),
            body: r.text().await.expect("body"),
        }
    }
}

/// A person to add through the admin API, as an admin would: `app.person("E1").named("王主持")
/// .openid("oHost").await` gives the new id. The name is the employee number unless given.
pub struct NewPerson<'a> {
    app: &'a TestApp,
    fields: serde_json::Map<String, serde_json::Value>,
}

impl NewPerson<'_> {
    pub fn named(self, name: &str) -> Self {
        self.with("name", name)
    }

    /// Following the Official Account as `openid`, bound.
    pub fn openid(self, openid: &str) -> Self {
        self.with("openid", openid)
    }

    pub fn wecom(self, userid: &str) -> Self {
        self.with("wecom_userid", userid)
    }

    /// Any other field of `POST /users`.
    pub fn with(mut self, field: &str, value: impl Into<serde_json::Value>) -> Self {
        self.fields.insert(field.to_owned(), value.into());
        self
    }
}

impl<'a> std::future::IntoFuture for NewPerson<'a> {
    type Output = i64;
    type IntoFuture = std::pin::Pin<Box<dyn std::future::Future<Output = i64> + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            let body = serde_json::Value::Object(self.fields);
            let (status, made) = self
                .app
                .admin(reqwest::Method::POST, "/users", Some(body))
                .await;
            assert_eq!(status, 201, "{made}");
            made["id"].as_i64().expect("the new person's id")
        })
    }
}

impl TestApp {
    /// `POST /meetings` as an admin: (status, body).
    pub async fn create_meeting(&self, body: serde_json::Value) -> (u16, serde_json::Value) {
        self.admin(reqwest::Method::POST, "/meetings", Some(body))
            .await
    }

    pub async fn publish(&self, meeting: i64) -> (u16, serde_json::Value) {
        let path = format!("/meetings/{meeting}/publish");
        self.admin(reqwest::Method::POST, &path, None).await
    }

    pub async fn start_meeting(&self, meeting: i64) -> (u16, serde_json::Value) {
        let path = format!("/meetings/{meeting}/start");
        self.admin(reqwest::Method::POST, &path, None).await
    }

    pub async fn end_meeting(&self, meeting: i64) -> (u16, serde_json::Value) {
        let path = format!("/meetings/{meeting}/end");
        self.admin(reqwest::Method::POST, &path, None).await
    }

    /// `PATCH /meetings/{id}` as an admin: (status, body).
    pub async fn update_meeting(
        &self,
        meeting: i64,
        change: serde_json::Value,
    ) -> (u16, serde_json::Value) {
        let path = format!("/meetings/{meeting}");
        self.admin(reqwest::Method::PATCH, &path, Some(change))
            .await
    }

    /// `GET /meetings/{id}/minutes` as an admin: (status, body).
    pub async fn minutes(&self, meeting: i64) -> (u16, serde_json::Value) {
        let path = format!("/meetings/{meeting}/minutes");
        self.admin(reqwest::Method::GET, &path, None).await
    }

    /// `POST /series` as an admin: (status, body).
    pub async fn create_series(&self, body: serde_json::Value) -> (u16, serde_json::Value) {
        self.admin(reqwest::Method::POST, "/series", Some(body))
            .await
    }

    /// `GET /series/{id}` as an admin: (status, body).
    pub async fn read_series(&self, series: i64) -> (u16, serde_json::Value) {
        let path = format!("/series/{series}");
        self.admin(reqwest::Method::GET, &path, None).await
    }

    pub async fn cancel_meeting(&self, meeting: i64, reason: &str) -> (u16, serde_json::Value) {
        let path = format!("/meetings/{meeting}/cancel");
        let body = serde_json::json!({ "reason": reason });
        self.admin(reqwest::Method::POST, &path, Some(body)).await
    }

    /// The admin checks `person` in to `meeting` (代签).
    pub async fn check_in_on_behalf(&self, meeting: i64, person: i64) -> (u16, serde_json::Value) {
        let path = format!("/meetings/{meeting}/participants/{person}/checkin");
        self.admin(reqwest::Method::POST, &path, None).await
    }

    /// `GET /meetings/{id}/checklist` as an admin: (status, body).
    pub async fn checklist(&self, meeting: i64) -> (u16, serde_json::Value) {
        let path = format!("/meetings/{meeting}/checklist");
        self.admin(reqwest::Method::GET, &path, None).await
    }

    /// `GET /meetings/{id}` as an admin: (status, body).
    pub async fn read_meeting(&self, meeting: i64) -> (u16, serde_json::Value) {
        self.admin(reqwest::Method::GET, &format!("/meetings/{meeting}"), None)
            .await
    }

    pub async fn create_room(&self, body: serde_json::Value) -> (u16, serde_json::Value) {
        self.admin(reqwest::Method::POST, "/rooms", Some(body))
            .await
    }

    /// Writes straight to the database, past every rule: how a test damages a row.
    pub async fn write_sql(&self, sql: &str) {
        let sql = sql.to_owned();
        self.db
            .run(move |c| {
                use diesel::connection::SimpleConnection;
                c.batch_execute(&sql)?;
                Ok(())
            })
            .await
            .unwrap()
    }

    /// An admin's step that the test only builds on (`POST`, `PUT`, `PATCH`, `DELETE`): the
    /// body, which must come with a 2xx.
    pub async fn admin_does(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> serde_json::Value {
        let shown = format!("{method} {path}");
        let (status, answer) = self.admin(method, path, body).await;
        assert!((200..300).contains(&status), "{shown}: {status} {answer}");
        answer
    }

    /// `GET path` as an admin, for a test that only looks into the body: a refusal fails it.
    pub async fn admin_read(&self, path: &str) -> serde_json::Value {
        let (status, body) = self.admin(reqwest::Method::GET, path, None).await;
        assert_eq!(status, 200, "GET {path}: {body}");
        body
    }

    /// The audit log as an admin filters it (`query`: `meeting_id=3&action=…`, or empty).
    pub async fn audit_log(&self, query: &str) -> serde_json::Value {
        self.admin_read(&format!("/audit?{query}")).await
    }

    pub async fn read_user(&self, person: i64) -> serde_json::Value {
        self.admin_read(&format!("/users/{person}")).await
    }

    pub async fn read_room(&self, room: i64) -> serde_json::Value {
        self.admin_read(&format!("/rooms/{room}")).await
    }

    /// A meeting's invitees as an admin lists them.
    pub async fn participants(&self, meeting: i64) -> serde_json::Value {
        self.admin_read(&format!("/meetings/{meeting}/participants"))
            .await
    }

    /// One invitee of a meeting (answer, presence), or null when `person` is not invited.
    pub async fn participant(&self, meeting: i64, person: i64) -> serde_json::Value {
        let list = self.participants(meeting).await;
        list.as_array()
            .into_iter()
            .flatten()
            .find(|p| p["person_id"] == person)
            .cloned()
            .unwrap_or_default()
    }

    /// `PATCH /users/{id}` as an admin: (status, body).
    pub async fn update_user(
        &self,
        person: i64,
        change: serde_json::Value,
    ) -> (u16, serde_json::Value) {
        let path = format!("/users/{person}");
        self.admin(reqwest::Method::PATCH, &path, Some(change))
            .await
    }

    /// Who each of a meeting's notices reached, by status.
    pub async fn deliveries(&self, meeting: i64) -> serde_json::Value {
        self.admin_read(&format!("/meetings/{meeting}/deliveries"))
            .await
    }

    /// A meeting's report: `attendance` or `feedback`.
    pub async fn report(&self, meeting: i64, kind: &str) -> serde_json::Value {
        self.admin_read(&format!("/meetings/{meeting}/reports/{kind}"))
            .await
    }

    pub async fn topics(&self, meeting: i64) -> serde_json::Value {
        self.admin_read(&format!("/meetings/{meeting}/topics"))
            .await
    }

    /// Action items as an admin filters them (`query`: `owner_id=2`, or empty).
    pub async fn action_items(&self, query: &str) -> serde_json::Value {
        self.admin_read(&format!("/action-items?{query}")).await
    }

    /// Starts a person to add: see `NewPerson`.
    pub fn person(&self, employee_no: &str) -> NewPerson<'_> {
        NewPerson {
            app: self,
            fields: serde_json::Map::new(),
        }
        .with("employee_no", employee_no)
        .with("name", employee_no)
    }

    pub fn oa(&self) -> Simulator {
        Simulator::from_settings(&self.settings, false).expect("oa sim")
    }

    pub fn wecom(&self) -> Simulator {
        Simulator::from_settings(&self.settings, true).expect("wecom sim")
    }

    pub async fn get(&self, path_and_query: &str) -> Response {
        let request = self.client.get(format!("{}{path_and_query}", self.base));
        Response::of(request).await
    }

    pub async fn post(&self, path: &str, query: &str, body: impl Into<reqwest::Body>) -> Response {
        let request = self
            .client
            .post(format!("{}{path}?{query}", self.base))
            .header("content-type", "text/xml")
            .body(body);
        Response::of(request).await
    }

    /// An admin API call with the admin token; returns status and parsed JSON body.
    pub async fn admin(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> (u16, serde_json::Value) {
        let mut request = self
            .client
            .request(method, format!("{}/api/v1{path}", self.base))
            .bearer_auth(ADMIN_TOKEN);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let r = Response::of(request).await;
        let json = serde_json::from_str(&r.body).unwrap_or(serde_json::Value::Null);
        (r.status, json)
    }

    /// What a follower sends to bind to `employee_no`: `绑定 <工号> <绑定码>`, with a code the
    /// admin API just issued for that person.
    pub async fn bind_text(&self, employee_no: &str) -> String {
        let (_, people) = self
            .admin(
                reqwest::Method::GET,
                &format!("/users?q={employee_no}"),
                None,
            )
            .await;
        let id = people
            .as_array()
            .and_then(|all| all.iter().find(|p| p["employee_no"] == employee_no))
            .unwrap_or_else(|| panic!("no person {employee_no}: {people}"))["id"]
            .as_i64()
            .unwrap();
        let (status, issued) = self
            .admin(
                reqwest::Method::POST,
                &format!("/users/{id}/bind-code"),
                None,
            )
            .await;
        assert_eq!(status, 200, "{issued}");
        format!("绑定 {employee_no} {}", issued["code"].as_str().unwrap())
    }

    pub async fn post_signed(&self, sim: &Simulator, req: &SignedRequest) -> Response {
        self.post(sim.path(), &req.query, req.body.clone()).await
    }

    /// Sends `action` as `from` the way WeChat would and returns the opened reply.
    pub async fn act(&self, sim: &Simulator, from: &str, action: SimAction) -> SimReply {
        let now = self.clock.now().timestamp();
        let xml = sim
            .message_xml(from, &action, now, huiwu::sim::random_msg_id())
            .expect("message");
        let req = sim.sign_post(&xml, now, &huiwu::sim::random_nonce());
        self.deliver(sim, &req).await
    }

    pub async fn deliver(&self, sim: &Simulator, req: &SignedRequest) -> SimReply {
        let r = self.post_signed(sim, req).await;
        assert_eq!(r.status, 200, "callback refused: {}", r.body);
        sim.open_reply(&r.body)
            .expect("reply verifies and decrypts")
    }
}

pub fn reply_content(reply: &SimReply) -> String {
    match reply {
        SimReply::Message(f) => f.string("Content"),
        SimReply::Acknowledged => String::new(),
    }
}

/// An id the test read back from the API (or stored itself), typed for the storage and
/// operations functions it calls directly: `typed(7)` is whichever id the call expects.
pub fn typed<Id>(raw: i64) -> Id
where
    Id: TryFrom<i64>,
    Id::Error: std::fmt::Debug,
{
    Id::try_from(raw).expect("ids the app hands out are positive")
}
