//! The admin API over what meetings produce: participants and answers, minutes, action items,
//! attendance and feedback reports.

use crate::helpers::*;
use huiwu::sim::SimAction;
use reqwest::Method;
use serde_json::{json, Value};

async fn say(app: &TestApp, from: &str, text: &str) -> String {
    reply_content(&app.act(&app.oa(), from, SimAction::Text(text.into())).await)
}

async fn kinds_for(app: &TestApp, person: i64) -> Vec<String> {
    app.db
        .run(huiwu::db::outbox::all)
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.person_id == Some(typed(person)))
        .map(|r| r.kind.to_string())
        .collect()
}

on_both_backends! {
    async fn participants_answers_minutes_tasks_and_reports(backend: Backend) {
        let app = spawn(TestOptions::new(backend)).await;
        let host = app.person("E1").openid("oHost").await;
        let alice = app.person("E2").openid("oAlice").await;
        let bob = app.person("E3").openid("oBob").await;
        let starts = app.clock.now() + chrono::Duration::hours(1);
        let (_, m) = app.create_meeting(json!({
            "title": "周会", "place": "A",
            "starts_at": starts.to_rfc3339(),
            "ends_at": (starts + chrono::Duration::hours(1)).to_rfc3339(),
            "agenda": [{"title": "进度", "minutes": 30}],
            "roles": [{"person_id": host, "role": "host"}, {"person_id": alice, "role": "attendee"}],
        })).await;
        let id = m["id"].as_i64().unwrap();
        let base = format!("/meetings/{id}");
        app.admin_does(Method::POST, &format!("{base}/publish"), None).await;

        // Roster: adding after publishing invites, removing tells, the last host stays.
        let (status, list) = app.admin(Method::POST, &format!("{base}/participants"), Some(json!({"person_id": bob, "role": "attendee"}))).await;
        assert_eq!(status, 200, "{list}");
        assert_eq!(list.as_array().unwrap().len(), 3);
        assert_eq!(kinds_for(&app, bob).await, ["invitation"]);
        let (status, _) = app.admin(Method::POST, &format!("{base}/participants"), Some(json!({"person_id": 999, "role": "attendee"}))).await;
        assert_eq!(status, 404);
        let (status, body) = app.admin(Method::DELETE, &format!("{base}/participants/{host}"), None).await;
        assert_eq!((status, body["error"]["message"].as_str()), (409, Some("a meeting needs a host")));
        let (status, _) = app.admin(Method::DELETE, &format!("{base}/participants/{bob}"), None).await;
        assert_eq!(status, 200);
        assert_eq!(kinds_for(&app, bob).await, ["invitation", "uninvited"]);

        // Answers on someone's behalf.
        let (status, body) = app.admin(Method::PUT, &format!("{base}/participants/{alice}/rsvp"), Some(json!({"answer": "declined"}))).await;
        assert_eq!((status, &body["error"]["details"][0]["field"]), (422, &json!("reason")));
        let (status, list) = app.admin(Method::PUT, &format!("{base}/participants/{alice}/rsvp"), Some(json!({"answer": "declined", "reason": "出差"}))).await;
        assert_eq!(status, 200);
        let row = list.as_array().unwrap().iter().find(|p| p["person_id"] == alice).unwrap().clone();
        assert_eq!((&row["rsvp"], &row["rsvp_reason"]), (&json!("declined"), &json!("出差")));
        app.admin_does(Method::PUT, &format!("{base}/participants/{alice}/rsvp"), Some(json!({"answer": "accepted"}))).await;

        // The meeting, run by chat.
        assert!(say(&app, "oHost", "开始").await.contains("已开始"));
        assert!(say(&app, "oHost", "记录 进度正常").await.contains("已记入"));
        assert!(say(&app, "oHost", "任务 E2 明天 写周报").await.contains("任务 #"));
        assert!(say(&app, "oHost", "结束").await.contains("已结束"));
        assert!(say(&app, "oAlice", "反馈 4 不错").await.contains("4 分"));

        let minutes = app.admin_read(&format!("{base}/minutes")).await;
        assert_eq!(minutes["published"], false);
        let entry = minutes["entries"][0]["id"].as_i64().unwrap();
        let (status, edited) = app.admin(Method::PATCH, &format!("{base}/minutes/{entry}"), Some(json!({"body": "进度正常，无风险", "kind": "decision"}))).await;
        assert_eq!(status, 200, "{edited}");
        assert_eq!(edited["entries"][0]["kind"], "decision");
        let (status, _) = app.admin(Method::PATCH, &format!("{base}/minutes/{entry}"), Some(json!({"body": ""}))).await;
        assert_eq!(status, 422);
        app.admin_does(Method::POST, &format!("{base}/close"), None).await;
        let (status, _) = app.admin(Method::PATCH, &format!("{base}/minutes/{entry}"), Some(json!({"body": "改"}))).await;
        assert_eq!(status, 409, "published minutes are read-only");
        assert!(say(&app, "oAlice", &format!("纪要 {id}")).await.contains("进度正常，无风险"));
        let minutes = app.admin_read(&format!("{base}/minutes")).await;
        assert_eq!(minutes["readers"][0]["person_id"], alice);

        let tasks = app.admin_read(&format!("/action-items?owner_id={alice}")).await;
        assert_eq!(tasks.as_array().unwrap().len(), 1, "{tasks}");
        let task = tasks[0]["id"].as_i64().unwrap();
        let (status, _) = app.admin(Method::PATCH, &format!("/action-items/{task}"), Some(json!({"status": "later"}))).await;
        assert_eq!(status, 422);
        // A title as recorded in chat: 1 to 2000 characters, trimmed.
        for title in [" ".to_owned(), "长".repeat(2001)] {
            let (status, refused) = app.admin(Method::PATCH, &format!("/action-items/{task}"), Some(json!({"title": title}))).await;
            assert_eq!((status, refused["error"]["details"][0]["field"].as_str()), (422, Some("title")), "{refused}");
        }
        let (status, renamed) = app.admin(Method::PATCH, &format!("/action-items/{task}"), Some(json!({"title": " 提交预算表 "}))).await;
        assert_eq!((status, renamed["title"].as_str()), (200, Some("提交预算表")), "{renamed}");
        let (status, done) = app.admin(Method::PATCH, &format!("/action-items/{task}"), Some(json!({"status": "done", "due_on": "2026-12-31"}))).await;
        assert_eq!((status, &done["status"], &done["due_on"]), (200, &json!("done"), &json!("2026-12-31")));
        // A done item stays done: the status moves by the items' own rule, not any string.
        let (status, refused) = app.admin(Method::PATCH, &format!("/action-items/{task}"), Some(json!({"status": "open"}))).await;
        assert_eq!(status, 409, "{refused}");
        let overdue = app.admin_read("/action-items?overdue=true").await;
        assert_eq!(overdue, json!([]));
        let (status, one) = app.admin(Method::GET, &format!("/action-items/{task}"), None).await;
        assert_eq!((status, one["progress"].clone()), (200, json!([])));

        let attendance = app.admin_read(&format!("{base}/reports/attendance")).await;
        assert_eq!((attendance["invited"].clone(), attendance["accepted"].clone()), (json!(2), json!(1)));
        assert_eq!(attendance["absent"], 1, "accepted, never checked in, meeting over: {attendance}");
        let alice_row = attendance["people"].as_array().unwrap().iter().find(|p| p["person_id"] == alice).unwrap().clone();
        assert_eq!(alice_row["attendance"], "absent");
        let (status, feedback): (u16, Value) = app.admin(Method::GET, &format!("{base}/reports/feedback"), None).await;
        assert_eq!(status, 200);
        assert_eq!((feedback["count"].clone(), feedback["average"].clone()), (json!(1), json!(4.0)));
        assert_eq!(feedback["distribution"], json!([0, 0, 0, 1, 0]));
        assert_eq!(feedback["comments"], json!(["不错"]));
        let (status, _) = app.admin(Method::GET, "/meetings/999/reports/feedback", None).await;
        assert_eq!(status, 404);
    }
}
