//! What an operator sees: request ids echoed on every answer, Prometheus metrics.

use crate::helpers::*;
use huiwu::sim::SimAction;

const METRICS_TOKEN: &str = "scrape-token-0123456789";

on_both_backends! {
    async fn metrics_count_callbacks_and_read_stored_work(backend: Backend) {
        let mut opts = TestOptions::new(backend);
        opts.server_extra = format!("metrics_token = '{METRICS_TOKEN}'");
        opts.outbox_worker = false;
        let app = spawn(opts).await;
        app.act(&app.oa(), "o_metrics", SimAction::Text("帮助".into())).await;

        let anonymous = app.get("/metrics").await;
        assert_eq!(anonymous.status, 401, "{}", anonymous.body);
        let scraped = app
            .client
            .get(format!("{}/metrics", app.base))
            .bearer_auth(METRICS_TOKEN)
            .send()
            .await
            .unwrap();
        assert_eq!(scraped.status(), 200);
        assert!(scraped.headers().contains_key("x-request-id"));
        let text = scraped.text().await.unwrap();
        for expected in [
            "huiwu_callbacks_total{channel=\"oa\",outcome=\"replied\"}",
            "huiwu_callback_duration_seconds_bucket{channel=\"oa\"",
            "huiwu_db_wait_seconds_count",
            "huiwu_outbox_backlog 0",
            "huiwu_outbox_oldest_due_seconds 0",
            "huiwu_scheduler_lag_seconds 0",
        ] {
            assert!(text.contains(expected), "{expected} missing from\n{text}");
        }
    }
}
