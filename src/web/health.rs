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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::DatabaseUrl;
    use crate::db::DbManager;
    use actix_web::{test, App};
    use diesel::r2d2::Pool;
    use std::time::Duration;

    #[actix_web::test]
    async fn answers_503_when_the_database_does_not() {
        let url = DatabaseUrl::parse("postgres://nobody@127.0.0.1:9/none?connect_timeout=1")
            .expect("url");
        let pool = Pool::builder()
            .connection_timeout(Duration::from_millis(300))
            .build_unchecked(DbManager::new(url.clone()));
        let db = Db::new(pool, &url).expect("no connection needed yet");
        let app = test::init_service(
            App::new()
                .app_data(web::Data::new(db))
                .route("/healthz", web::get().to(healthz)),
        )
        .await;
        let response =
            test::call_service(&app, test::TestRequest::get().uri("/healthz").to_request()).await;
        assert_eq!(response.status(), 503);
    }
}
