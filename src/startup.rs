//! Builds the running service from settings: database, endpoints, HTTP server, housekeeping.

use crate::bot::MeetingRouter;
use crate::clock::{Clock, SystemClock};
use crate::config::Settings;
use crate::db::{self, Db};
use crate::meetings::calendar_feed::{FeedKey, FeedLinks};
use crate::meetings::checkin_code::CheckinKey;
use crate::notify::scheduler::{Scheduler, SeriesUpkeep};
use crate::notify::worker::{Channels, OutboxWorker};
use crate::notify::Notifier;
use crate::outbox::{NoticeSettings, OaTemplates};
use crate::web;
use crate::wechat::api::{ApiClient, Credentials, TokenSource};
use crate::wechat::callback::{self, CallbackState};
use crate::wechat::dispatch::{Dispatcher, DEFAULT_REPLY_DEADLINE};
use crate::wechat::envelope::Endpoint;
use crate::wechat::router::Router;
use actix_web::{App, HttpServer};
use anyhow::Context;
use secrecy::ExposeSecret;
use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;
use utoipa_actix_web::AppExt;

/// Receipts older than this are pruned: WeChat's retries end within a minute.
const RECEIPT_RETENTION: Duration = Duration::from_secs(3600);
const PRUNE_EVERY: Duration = Duration::from_secs(60);
const DB_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// What tests and embedders may swap: the router (default: the meeting commands), the clock,
/// and how long the webhook waits for the router.
pub struct AppOptions {
    pub router: Option<Arc<dyn Router>>,
    pub clock: Arc<dyn Clock>,
    pub reply_deadline: Duration,
    /// Whether the app sends its outbox itself (tests may drive the worker by hand).
    pub outbox_worker: bool,
    /// Whether the app runs due scheduler jobs itself (tests may drive it by hand).
    pub scheduler: bool,
}

impl Default for AppOptions {
    fn default() -> Self {
        Self {
            router: None,
            clock: Arc::new(SystemClock),
            reply_deadline: DEFAULT_REPLY_DEADLINE,
            outbox_worker: true,
            scheduler: true,
        }
    }
}

/// The outbound API clients, sharing one HTTP connection pool, and the notice settings.
pub fn outbound(
    settings: &Settings,
    db: &Db,
    clock: &Arc<dyn Clock>,
) -> anyhow::Result<(Channels, NoticeSettings)> {
    let http = reqwest::Client::builder()
        .timeout(settings.outbound.request_timeout)
        .build()
        .context("cannot build the HTTP client")?;
    // Names this instance as a token-fetch lease holder.
    let owner = hex::encode(rand::random::<[u8; 8]>());
    let ahead = settings.outbound.token_refresh_ahead;
    let client = |app: String, credentials: Credentials, base: &url::Url| {
        let tokens = TokenSource::new(
            app,
            credentials,
            http.clone(),
            base.clone(),
            db.clone(),
            clock.clone(),
            ahead,
            owner.clone(),
        );
        Arc::new(ApiClient::new(http.clone(), base.clone(), Arc::new(tokens)))
    };
    let oa = settings.wechat.as_ref().map(|w| {
        client(
            format!("oa:{}", w.app_id),
            Credentials::OfficialAccount {
                app_id: w.app_id.clone(),
                secret: w.app_secret.clone(),
                stable: w.stable_token,
            },
            &w.api_base,
        )
    });
    let wecom = settings.wecom.as_ref().map(|w| {
        client(
            format!("wecom:{}:{}", w.corp_id, w.agent_id),
            Credentials::WeCom {
                corp_id: w.corp_id.clone(),
                secret: w.secret.clone(),
            },
            &w.api_base,
        )
    });
    let wecom_agent_id = settings.wecom.as_ref().map(|w| w.agent_id.clone());
    let notices = NoticeSettings {
        tz: settings.timezone,
        oa_templates: settings
            .wechat
            .as_ref()
            .map(|w| OaTemplates::parse(&w.templates))
            .transpose()?,
        // huiwu's own meeting page unless the organisation names another.
        meeting_url: Some(
            settings
                .wechat
                .as_ref()
                .and_then(|w| w.meeting_url.clone())
                .unwrap_or_else(|| {
                    let base = settings.server.public_url.as_str().trim_end_matches('/');
                    format!("{base}/m/{{id}}")
                }),
        ),
        wecom_agent_id: wecom_agent_id.clone(),
        plan: settings.scheduler.clone(),
        material_links: None,
    };
    Ok((
        Channels {
            oa,
            wecom,
            wecom_agent_id,
        },
        notices,
    ))
}

/// The check-in signing key: from config, or made once and kept in the database so every
/// instance and every restart signs alike.
pub async fn checkin_key(settings: &Settings, db: &Db) -> anyhow::Result<CheckinKey> {
    if let Some(secret) = &settings.meetings.checkin_secret {
        return Ok(CheckinKey::new(secret.expose_secret().as_bytes()));
    }
    let fresh = hex::encode(rand::random::<[u8; 32]>());
    let secret = db
        .run(move |c| db::secrets::get_or_create(c, "checkin_key", &fresh))
        .await?;
    Ok(CheckinKey::new(secret.as_bytes()))
}

/// `server.public_url`, with the port the listener got when it names port 0 (`bind` on port 0
/// and no public URL of its own).
fn public_url(settings: &Settings, bound: SocketAddr) -> url::Url {
    let mut url = settings.server.public_url.clone();
    if url.port() == Some(0) {
        let _ = url.set_port(Some(bound.port()));
    }
    url
}

/// Signs calendar feed URLs and material links with a secret kept in the database (the same for
/// every instance).
pub async fn feed_links(public_url: &url::Url, db: &Db) -> anyhow::Result<FeedLinks> {
    let fresh = hex::encode(rand::random::<[u8; 32]>());
    let secret = db
        .run(move |c| db::secrets::get_or_create(c, "calendar_feed_key", &fresh))
        .await?;
    Ok(FeedLinks {
        key: FeedKey::new(secret.as_bytes()),
        base: public_url.as_str().trim_end_matches('/').to_owned(),
    })
}

/// The staff pages' settings, login channels and signing key (kept in the database, the
/// same for every instance).
async fn pages(
    settings: &Settings,
    db: &Db,
    checkin_key: &CheckinKey,
    channels: &Channels,
    notifier: &Notifier,
    clock: &Arc<dyn Clock>,
) -> anyhow::Result<web::pages::Pages> {
    let fresh = hex::encode(rand::random::<[u8; 32]>());
    let secret = db
        .run(move |c| db::secrets::get_or_create(c, "page_key", &fresh))
        .await?;
    let public_url = settings.server.public_url.clone();
    Ok(web::pages::Pages {
        key: web::pages::session::PageKey::new(secret.as_bytes()),
        secure_cookies: public_url.scheme() == "https",
        public_url,
        oauth_base: settings.web.oauth_base.clone(),
        oa: settings.wechat.as_ref().map(|w| web::pages::OaLogin {
            app_id: w.app_id.clone(),
            secret: w.app_secret.clone(),
            api_base: w.api_base.clone(),
        }),
        wecom: settings
            .wecom
            .as_ref()
            .zip(channels.wecom.clone())
            .map(|(w, client)| web::pages::WecomLogin {
                corp_id: w.corp_id.clone(),
                agent_id: w.agent_id.clone(),
                client,
            }),
        http: reqwest::Client::builder()
            .timeout(settings.outbound.request_timeout)
            .build()
            .context("cannot build the HTTP client")?,
        clock: clock.clone(),
        notices: notifier.settings.clone(),
        booking_buffer: settings.meetings.booking_buffer,
        late_grace: settings.meetings.late_grace,
        checkin_key: checkin_key.clone(),
        oa_api: channels.oa.clone(),
        menu_file: settings.web.menu_file.clone(),
        screen_frame_ancestors: settings.web.screen_frame_ancestors.clone(),
        session_rules: crate::ops::account::SessionRules {
            lifetime_ms: web::pages::session::LIFETIME_MS,
            idle_ms: settings.web.session_idle.num_milliseconds(),
        },
    })
}

pub struct Application {
    address: SocketAddr,
    db: Db,
    server: actix_web::dev::Server,
    worker: Option<Arc<OutboxWorker>>,
    scheduler: Option<Arc<Scheduler>>,
    channels: Channels,
    clock: Arc<dyn Clock>,
}

/// Connects and applies pending migrations, off the async executor.
pub async fn open_database(settings: &Settings) -> anyhow::Result<Db> {
    let url = settings.database.url.clone();
    let pool_size = settings.database.pool_size;
    tokio::task::spawn_blocking(move || {
        let pool = db::connect(&url, pool_size, DB_CONNECT_TIMEOUT)?;
        let mut conn = pool
            .get()
            .with_context(|| format!("cannot connect to {url:?}"))?;
        let applied = db::migrate(&mut conn)?;
        for version in applied {
            tracing::info!(version, "applied migration");
        }
        if !db::keeps_statements_prepared(&mut conn)? {
            tracing::warn!(
                "SQLite was built without SQLITE_ENABLE_QPSG (see .cargo/config.toml): \
                 statements with a bound LIMIT are parsed again on every run, which costs throughput"
            );
        }
        drop(conn);
        Ok(Db::new(pool, &url)?)
    })
    .await?
}

impl Application {
    pub async fn build(settings: &Settings, options: AppOptions) -> anyhow::Result<Self> {
        let listener = TcpListener::bind(settings.server.bind)
            .with_context(|| format!("cannot listen on {}", settings.server.bind))?;
        let address = listener.local_addr()?;
        // Links in notices, feeds and logins name the port the listener actually got.
        let mut bound = settings.clone();
        bound.server.public_url = public_url(settings, address);
        let settings = &bound;
        let db = open_database(settings).await?;
        let checkin_key = checkin_key(settings, &db).await?;
        let feed_links = feed_links(&settings.server.public_url, &db).await?;
        let (channels, mut notice_settings) = outbound(settings, &db, &options.clock)?;
        notice_settings.material_links = Some(feed_links.clone());
        let notifier = Notifier {
            settings: Arc::new(notice_settings),
            wake: Arc::new(Notify::new()),
            clock: options.clock.clone(),
        };
        let worker = options.outbox_worker.then(|| {
            OutboxWorker::new(
                db.background(),
                channels.clone(),
                options.clock.clone(),
                settings.outbound,
                settings.timezone,
                notifier.wake.clone(),
            )
        });
        let scheduler = options.scheduler.then(|| {
            let series = SeriesUpkeep {
                booking_buffer: settings.meetings.booking_buffer,
                late_grace: settings.meetings.late_grace,
                horizon_days: settings.meetings.series_horizon_days,
            };
            Scheduler::with_series(
                db.background(),
                options.clock.clone(),
                notifier.settings.clone(),
                notifier.wake.clone(),
                series,
            )
        });
        let router = options.router.unwrap_or_else(|| {
            Arc::new(MeetingRouter::new(
                db.clone(),
                options.clock.clone(),
                settings.timezone,
                &settings.meetings,
                checkin_key.clone(),
                feed_links.clone(),
                notifier.clone(),
            ))
        });
        let window = settings.server.timestamp_window_secs;
        let state = actix_web::web::Data::new(CallbackState {
            official_account: settings
                .wechat
                .as_ref()
                .map(|s| Endpoint::of_official_account(s, window)),
            wecom: settings
                .wecom
                .as_ref()
                .map(|s| Endpoint::of_wecom(s, window)),
            dispatcher: Dispatcher::new(
                db.clone(),
                router,
                options.reply_deadline,
                options.clock.clone(),
            ),
            max_body_bytes: settings.server.max_body_bytes,
            clock: options.clock.clone(),
        });
        if state.official_account.is_none() && state.wecom.is_none() {
            tracing::warn!("neither [wechat] nor [wecom] is configured: callbacks answer 404");
        }
        let db_data = actix_web::web::Data::new(db.clone());
        let meeting_settings = actix_web::web::Data::new(settings.meetings.clone());
        let timezone = actix_web::web::Data::new(settings.timezone);
        let checkin_key = actix_web::web::Data::new(checkin_key);
        let feed_links = actix_web::web::Data::new(feed_links);
        let notifier_data = actix_web::web::Data::new(notifier.clone());
        let calendar_domain = actix_web::web::Data::new(web::admin::CalendarDomain(
            settings
                .server
                .public_url
                .host_str()
                .unwrap_or("huiwu")
                .to_owned(),
            settings.timezone,
        ));
        let admin_token = actix_web::web::Data::new(web::admin::AdminToken(
            settings.admin.as_ref().map(|a| a.token.clone()),
        ));
        let openapi = actix_web::web::Data::new(web::admin::openapi_document());
        let limits = actix_web::web::Data::new(web::rate_limit::Limits::default());
        let pages = actix_web::web::Data::new(
            pages(
                settings,
                &db,
                &checkin_key,
                &channels,
                &notifier,
                &options.clock,
            )
            .await?,
        );
        let metrics_token = actix_web::web::Data::new(web::metrics::MetricsToken(
            settings.server.metrics_token.clone(),
        ));
        let server = HttpServer::new(move || {
            App::new()
                // Before the admin scope, which would otherwise answer 404 for its paths.
                .service(web::admin::docs_page())
                .route(
                    "/api/v1/docs",
                    actix_web::web::get().to(web::admin::docs_redirect),
                )
                .into_utoipa_app()
                .app_data(openapi.clone())
                .app_data(state.clone())
                .app_data(db_data.clone())
                .app_data(admin_token.clone())
                .app_data(meeting_settings.clone())
                .app_data(timezone.clone())
                .app_data(checkin_key.clone())
                .app_data(feed_links.clone())
                .app_data(notifier_data.clone())
                .app_data(calendar_domain.clone())
                .app_data(metrics_token.clone())
                .app_data(pages.clone())
                .app_data(limits.clone())
                .configure(web::admin::configure)
                .into_app()
                .configure(callback::configure)
                // Load balancers probe with HEAD as often as with GET.
                .route("/healthz", actix_web::web::get().to(web::health::healthz))
                .route("/healthz", actix_web::web::head().to(web::health::healthz))
                .route("/metrics", actix_web::web::get().to(web::metrics::metrics))
                .configure(web::pages::configure)
                .route(
                    "/calendar/{file}",
                    actix_web::web::get().to(web::calendar_feed::feed),
                )
                .route(
                    "/materials/{token}",
                    actix_web::web::get().to(web::material_link::open),
                )
                .wrap(actix_web::middleware::from_fn(web::guard::middleware))
                .wrap(actix_web::middleware::from_fn(
                    crate::telemetry::request_id::middleware,
                ))
        })
        .shutdown_timeout(30)
        .listen(listener)?
        .run();
        Ok(Self {
            address,
            db,
            server,
            worker,
            scheduler,
            channels,
            clock: options.clock,
        })
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    pub fn port(&self) -> u16 {
        self.address.port()
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    /// The outbound API clients (the CLI's menu and QR code commands use them too).
    pub fn channels(&self) -> &Channels {
        &self.channels
    }

    /// Serves until SIGTERM / SIGINT, which drain in-flight requests first.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let housekeeping = tokio::spawn(prune_receipts(self.db.background(), self.clock.clone()));
        let sender = self.worker.map(|w| tokio::spawn(w.run()));
        let scheduler = self.scheduler.map(|s| tokio::spawn(s.run()));
        let result = self.server.await;
        housekeeping.abort();
        // Rows being sent and jobs being run keep their lease and are picked up again after a
        // restart.
        for task in [sender, scheduler].into_iter().flatten() {
            task.abort();
        }
        result
    }
}

async fn prune_receipts(db: Db, clock: Arc<dyn Clock>) {
    let mut every = tokio::time::interval(PRUNE_EVERY);
    loop {
        every.tick().await;
        let now = clock.now().timestamp_millis();
        let before = now - RECEIPT_RETENTION.as_millis() as i64;
        match db
            .run(move |c| {
                Ok(db::callback_receipts::prune(c, before)?
                    + db::deferred_replies::prune(c, before)?
                    + db::oauth_states::prune(c, now)?
                    + db::console_links::prune(c, now)?
                    + db::sessions::prune(c, now)?)
            })
            .await
        {
            Ok(0) => {}
            Ok(n) => tracing::debug!(
                pruned = n,
                "pruned old callback receipts, late replies and web logins"
            ),
            Err(e) => tracing::warn!(error = %e, "could not prune old callback receipts"),
        }
    }
}
