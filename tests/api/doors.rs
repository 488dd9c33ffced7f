//! One implementation behind every door: each meeting operation is driven once through the
//! admin API and once through chat, in two apps set up alike on the same clock, and the
//! stored effects (meeting, agenda, answers, check-ins, outbox rows, scheduler jobs) must be
//! the same after every step.

use crate::helpers::*;
use chrono::{DateTime, Duration, TimeZone, Utc};
use huiwu::clock::ManualClock;
use huiwu::sim::{SimAction, Simulator};
use reqwest::Method;
use serde_json::json;
use std::sync::Arc;

/// 2026-12-01 09:30 in Shanghai.
fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 1, 30, 0).unwrap()
}

struct Door {
    app: TestApp,
    oa: Simulator,
    meeting: i64,
}

/// People: 1 host (oHost), 2 alice, 3 bob (attendees), 4 recorder.
const PEOPLE: [(&str, &str, &str); 4] = [
    ("E1", "王主持", "oHost"),
    ("E2", "李参会", "oAlice"),
    ("E3", "张参会", "oBob"),
    ("E4", "赵记录", "oRec"),
];

impl Door {
    async fn new(backend: Backend, clock: Arc<ManualClock>) -> Self {
        let mut opts = TestOptions::new(backend);
        opts.clock = Some(clock);
        // Nothing is sent or run: the rows the operations wrote stay to be compared.
        opts.outbox_worker = false;
        opts.scheduler = false;
        let app = spawn(opts).await;
        let oa = app.oa();
        let mut ids = Vec::new();
        for (no, name, openid) in PEOPLE {
            let (status, body) = app
                .admin(
                    Method::POST,
                    "/users",
                    Some(json!({"name": name, "employee_no": no})),
                )
                .await;
            assert_eq!(status, 201, "{body}");
            ids.push(body["id"].as_i64().unwrap());
            let bound = reply_content(
                &app.act(&oa, openid, SimAction::Text(app.bind_text(no).await))
                    .await,
            );
            assert!(bound.contains("绑定成功"), "{bound}");
        }
        let body = json!({
            "title": "预算评审会",
            "starts_at": "2026-12-01T09:30:00+08:00",
            "ends_at": "2026-12-01T10:30:00+08:00",
            "place": "3楼大会议室",
            "agenda": [
                {"title": "收入回顾", "minutes": 20, "presenter_id": ids[1]},
                {"title": "预算讨论", "minutes": 20},
            ],
            "roles": [
                {"person_id": ids[0], "role": "host"},
                {"person_id": ids[1], "role": "attendee"},
                {"person_id": ids[2], "role": "attendee"},
                {"person_id": ids[3], "role": "recorder"},
            ],
        });
        let (status, created) = app.create_meeting(body).await;
        assert_eq!(status, 201, "{created}");
        let meeting = created["id"].as_i64().unwrap();
        let (status, body) = app.publish(meeting).await;
        assert_eq!(status, 200, "{body}");
        Door { app, oa, meeting }
    }

    async fn admin(&self, method: Method, path: &str, body: Option<serde_json::Value>) {
        let path = path.replace("{id}", &self.meeting.to_string());
        let (status, answer) = self.app.admin(method, &path, body).await;
        assert_eq!(status, 200, "{path}: {answer}");
    }

    async fn say(&self, from: &str, text: &str, expect: &str) {
        let reply = reply_content(
            &self
                .app
                .act(&self.oa, from, SimAction::Text(text.to_owned()))
                .await,
        );
        assert!(
            reply.contains(expect),
            "{text}: expected {expect:?} in {reply}"
        );
    }

    /// Everything an operation may have written, without row ids.
    async fn effects(&self) -> String {
        let id = self.meeting;
        self.app
            .db
            .run(move |c| {
                let record = huiwu::db::meetings::get(c, typed(id))?;
                // Who checked someone in on their behalf is the one effect that differs by
                // door (the admin is nobody in the directory); compared on its own.
                let participants: Vec<_> = huiwu::db::participants::list(c, typed(id))?
                    .into_iter()
                    .map(|p| {
                        (
                            p.person_id,
                            p.rsvp,
                            p.rsvp_at,
                            p.delegate_id,
                            p.checked_in_at,
                        )
                    })
                    .collect();
                let outbox: Vec<_> = huiwu::db::outbox::all(c)?
                    .into_iter()
                    .map(|r| {
                        (
                            r.dedupe_key,
                            r.channel,
                            r.kind,
                            r.meeting_id,
                            r.person_id,
                            r.recipient,
                            r.payload,
                            r.status,
                            r.next_attempt_at,
                        )
                    })
                    .collect();
                let jobs: Vec<_> = huiwu::db::jobs::all(c)?
                    .into_iter()
                    .map(|j| {
                        (
                            j.dedupe_key,
                            j.job,
                            j.meeting_id,
                            j.due_at,
                            j.status,
                            j.note,
                        )
                    })
                    .collect();
                Ok(format!(
                    "{record:#?}\n{participants:#?}\n{outbox:#?}\n{jobs:#?}"
                ))
            })
            .await
            .unwrap()
    }
}

async fn same(admin: &Door, chat: &Door, step: &str) {
    let (a, c) = (admin.effects().await, chat.effects().await);
    if a != c {
        let diff: Vec<String> = a
            .lines()
            .zip(c.lines())
            .filter(|(x, y)| x != y)
            .map(|(x, y)| format!("admin: {x}\n chat: {y}"))
            .take(10)
            .collect();
        panic!(
            "after {step} the doors differ ({} vs {} lines):\n{}",
            a.lines().count(),
            c.lines().count(),
            diff.join("\n")
        );
    }
}

on_both_backends! {
    async fn every_operation_has_the_same_effects_through_the_admin_api_and_chat(backend: Backend) {
        let clock = Arc::new(ManualClock::new(start() - Duration::days(1)));
        let admin = Door::new(backend, clock.clone()).await;
        let chat = Door::new(backend, clock.clone()).await;
        let (alice, bob) = (2, 3);
        same(&admin, &chat, "publishing").await;

        admin.admin(Method::PUT, &format!("/meetings/{{id}}/participants/{alice}/rsvp"),
            Some(json!({"answer": "accepted"}))).await;
        chat.say("oAlice", "确认", "已确认").await;
        same(&admin, &chat, "accepting").await;

        admin.admin(Method::PUT, &format!("/meetings/{{id}}/participants/{bob}/rsvp"),
            Some(json!({"answer": "declined", "reason": "出差"}))).await;
        chat.say("oBob", "请假 出差", "请假").await;
        same(&admin, &chat, "declining").await;

        clock.set(start() - Duration::minutes(5));
        admin.admin(Method::POST, &format!("/meetings/{{id}}/participants/{alice}/checkin"), None)
            .await;
        chat.say("oHost", "代签 E2", "李参会 签到成功").await;
        let by = |door: &Door| {
            let db = door.app.db.clone();
            let id = door.meeting;
            async move {
                db.run(move |c| huiwu::db::participants::get(c, typed(id), typed(alice))).await.unwrap()
                    .unwrap().checked_in_by
            }
        };
        assert_eq!(by(&admin).await, None);
        assert_eq!(by(&chat).await, Some(typed(1)));
        same(&admin, &chat, "checking in on behalf").await;

        clock.set(start());
        admin.admin(Method::POST, "/meetings/{id}/start", None).await;
        chat.say("oHost", "开始", "已开始").await;
        same(&admin, &chat, "starting").await;

        clock.set(start() + Duration::minutes(25));
        admin.admin(Method::POST, "/meetings/{id}/next", None).await;
        chat.say("oHost", "下一项", "超时 5 分钟").await;
        same(&admin, &chat, "the next agenda item").await;

        clock.set(start() + Duration::minutes(40));
        admin.admin(Method::POST, "/meetings/{id}/end", None).await;
        chat.say("oHost", "结束", "已结束").await;
        same(&admin, &chat, "ending").await;

        clock.set(start() + Duration::minutes(50));
        admin.admin(Method::POST, "/meetings/{id}/close", None).await;
        chat.say("oRec", "发布纪要", "纪要已发布").await;
        same(&admin, &chat, "publishing the minutes").await;
    }
}
