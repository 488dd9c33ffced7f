use crate::db::{self, Db};
use actix_web::{web, HttpResponse};

/// 200 when the database answers, 503 otherwise: what a load balancer needs to know.
pub async fn healthz(db: web::Data<Db>) -> HttpResponse {
    match db.run(db::ping).await {
        Ok(()) => HttpResponse::Ok().body("ok"),
        Err(e) => {
            tracing::warn!(error = %e, "health check failed");
            HttpResponse::ServiceUnavailable().body("database unavailable")
        }
    }
}
