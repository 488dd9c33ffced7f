//! `GET /metrics` in Prometheus' text format, behind `server.metrics_token` when it is set.

use crate::db::{self, Db};
use crate::notify::Notifier;
use crate::telemetry::metrics::{StoredWork, METRICS};
use actix_web::{web, HttpRequest, HttpResponse};
use secrecy::SecretString;

/// The configured scrape token, if any.
pub struct MetricsToken(pub Option<SecretString>);

pub async fn metrics(
    req: HttpRequest,
    token: web::Data<MetricsToken>,
    db: web::Data<Db>,
    notifier: web::Data<Notifier>,
) -> HttpResponse {
    if let Some(expected) = &token.0 {
        if !super::bearer::presents(&req, expected) {
            return HttpResponse::Unauthorized()
                .insert_header(("WWW-Authenticate", "Bearer"))
                .body("metrics need server.metrics_token as a Bearer token");
        }
    }
    let now = notifier.clock.now().timestamp_millis();
    // Counters are still worth scraping while the database is away; the stored-work gauges
    // then read zero and the outage shows in the callback and send counters.
    let stored = match db.run(move |c| stored_work(c, now)).await {
        Ok(stored) => stored,
        Err(e) => {
            tracing::warn!(error = %e, "metrics: stored work not read");
            StoredWork::default()
        }
    };
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(METRICS.render(stored))
}

fn stored_work(c: &mut db::DbConn, now: i64) -> Result<StoredWork, db::DbError> {
    let (outbox_backlog, oldest) = db::outbox::backlog(c, now)?;
    let overdue_job = db::jobs::oldest_overdue(c, now)?;
    Ok(StoredWork {
        outbox_backlog,
        outbox_oldest_due_ms: oldest.map_or(0, |due| now - due),
        scheduler_lag_ms: overdue_job.map_or(0, |due| now - due),
    })
}
