use crate::db::{self, DbPool};
use actix_web::{web, HttpResponse};

/// 200 when the database answers, 503 otherwise: what a load balancer needs to know.
pub async fn healthz(pool: web::Data<DbPool>) -> HttpResponse {
    match db::run(&pool, db::ping).await {
        Ok(()) => HttpResponse::Ok().body("ok"),
        Err(e) => {
            tracing::warn!(error = %e, "health check failed");
            HttpResponse::ServiceUnavailable().body("database unavailable")
        }
    }
}
