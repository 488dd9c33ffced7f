//! Whole timelines with a moved clock: publish → reminders → chasers → summary → check-in
//! list → minutes reminder; action items through due, overdue and escalation; reschedule and
//! cancel mid-way; a restart in the middle; two schedulers producing each message once.

use crate::helpers::*;
use chrono::{DateTime, TimeZone, Utc};
use huiwu::clock::{Clock, ManualClock};
use huiwu::db::outbox::OutboxRow;
use huiwu::notify::scheduler::Scheduler;
use huiwu::sim::SimAction;
use reqwest::Method;
use serde_json::json;
use std::sync::Arc;

fn utc(d: u32, h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(
        2026,
        if d > 30 { 12 } else { 11 },
        if d > 30 { d - 30 } else { d },
        h,
        m,
        0,
    )
    .unwrap()
}

struct Timeline {
    app: TestApp,
    clock: Arc<ManualClock>,
}

impl Timeline {
    async fn new(backend: Backend) -> Self {
        // 2026-11-30 09:00 in Shanghai.
        let clock = Arc::new(ManualClock::new(utc(30, 1, 0)));
        let mut opts = TestOptions::new(backend);
        opts.clock = Some(clock.clone());
        opts.outbox_worker = false;
        opts.scheduler = false;
        let app = spawn(opts).await;
        Self { app, clock }
    }

    fn scheduler(&self) -> Arc<Scheduler> {
        let clock: Arc<dyn Clock> = self.clock.clone();
        let (_, notices) =
            huiwu::startup::outbound(&self.app.settings, &self.app.db, &clock).unwrap();
        Scheduler::new(
            self.app.db.clone(),
            clock,
            Arc::new(notices),
            Arc::new(tokio::sync::Notify::new()),
        )
    }

    async fn say(&self, from: &str, text: &str) -> String {
        reply_content(
            &self
                .app
                .act(&self.app.oa(), from, SimAction::Text(text.into()))
                .await,
        )
    }

    /// Messages queued since the last call, as (kind, recipient openid, text).
    async fn messages(&self, seen: &mut usize) -> Vec<(String, String, String)> {
        let rows: Vec<OutboxRow> = self.app.db.run(huiwu::db::outbox::all).await.unwrap();
        let new: Vec<_> = rows[*seen..]
            .iter()
            .map(|r| {
                let body: serde_json::Value = serde_json::from_str(&r.payload).unwrap();
                (
                    r.kind.to_string(),
                    r.recipient.clone(),
                    body["text"]["content"]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned(),
                )
            })
            .collect();
        *seen = rows.len();
        new
    }
}

fn to(messages: &[(String, String, String)], kind: &str) -> Vec<String> {
    let mut who: Vec<String> = messages
        .iter()
        .filter(|m| m.0 == kind)
        .map(|m| m.1.clone())
        .collect();
    who.sort();
    who
}

fn text_for<'a>(messages: &'a [(String, String, String)], kind: &str, openid: &str) -> &'a str {
    &messages
        .iter()
        .find(|m| m.0 == kind && m.1 == openid)
        .unwrap_or_else(|| panic!("no {kind} to {openid}: {messages:?}"))
        .2
}

on_both_backends! {
    async fn a_meeting_timeline_from_publish_to_minutes_reminder(backend: Backend) {
        let t = Timeline::new(backend).await;
        let host = t.app.person("E1").openid("oHost").await;
        let alice = t.app.person("E2").openid("oAlice").await;
        let bob = t.app.person("E3").openid("oBob").await;
        let carol = t.app.person("E4").openid("oCarol").await;
        let (_, m) = t.app.create_meeting(json!({
            "title": "预算评审会", "place": "3楼",
            "starts_at": "2026-12-01T09:30:00+08:00", "ends_at": "2026-12-01T10:30:00+08:00",
            "briefing": "请带上部门预算表",
            "text_checkin": true,
            "agenda": [{"title": "收入回顾", "presenter_id": alice, "minutes": 20}],
            "roles": [{"person_id": host, "role": "host"}, {"person_id": alice, "role": "attendee"},
                      {"person_id": bob, "role": "attendee"}, {"person_id": carol, "role": "attendee"}],
        })).await;
        let id = m["id"].as_i64().unwrap();
        t.app.publish(id).await;
        let mut seen = 0;
        t.messages(&mut seen).await;
        t.say("oAlice", "确认").await;
        t.say("oBob", "请假 出差").await;

        let s = t.scheduler();
        assert_eq!(s.tick().await.unwrap(), 0, "nothing due yet");
        t.clock.set(utc(30, 1, 31));
        s.tick().await.unwrap();
        let sent = t.messages(&mut seen).await;
        assert_eq!(to(&sent, "reminder"), ["oAlice", "oCarol", "oHost"], "the declined get none: {sent:?}");
        let alice_text = text_for(&sent, "reminder", "oAlice");
        assert!(alice_text.contains("会前须知：请带上部门预算表") && alice_text.contains("你的议程：第 1 项「收入回顾」，20 分钟"), "{alice_text}");
        assert!(text_for(&sent, "reminder", "oHost").contains("你尚未回复"));
        assert_eq!(to(&sent, "rsvp_chase"), ["oCarol", "oHost"]);

        // Rescheduled to 14:00: the old jobs go, the new ones come.
        let (status, _) = t.app.admin(Method::PATCH, &format!("/meetings/{id}"), Some(json!({
            "starts_at": "2026-12-01T14:00:00+08:00", "ends_at": "2026-12-01T15:00:00+08:00"}))).await;
        assert_eq!(status, 200);
        t.messages(&mut seen).await;
        t.clock.set(utc(31, 1, 20));
        s.tick().await.unwrap();
        let sent = t.messages(&mut seen).await;
        assert!(!sent.is_empty(), "24 h before the new time, the first reminder again");
        for (_, _, text) in &sent {
            assert!(text.contains("14:00") && !text.contains("09:30"), "only the new time: {text}");
        }

        // A restart: a new scheduler picks up where the old one stopped.
        let s = t.scheduler();
        t.clock.set(utc(31, 5, 0));
        s.tick().await.unwrap();
        let sent = t.messages(&mut seen).await;
        assert_eq!(to(&sent, "attendance_summary"), ["oHost"]);
        let summary = text_for(&sent, "attendance_summary", "oHost");
        assert!(summary.contains("确认 1，待定 0，请假 1：E3（出差），未回复 2：E1、E4"), "{summary}");
        t.clock.set(utc(31, 5, 45));
        s.tick().await.unwrap();
        assert_eq!(to(&t.messages(&mut seen).await, "reminder"), ["oAlice", "oCarol", "oHost"]);

        t.clock.set(utc(31, 6, 6));
        s.tick().await.unwrap();
        let sent = t.messages(&mut seen).await;
        assert!(text_for(&sent, "checkin_missing", "oHost").contains("已确认但未签到（1 人）：E2"));

        assert!(t.say("oAlice", "签到").await.contains("签到成功"));
        t.say("oHost", "开始").await;
        t.clock.set(utc(31, 6, 27));
        s.tick().await.unwrap();
        let sent = t.messages(&mut seen).await;
        assert!(text_for(&sent, "time_control", "oHost").contains("第 1 项「收入回顾」已到时间（20 分钟）"), "{sent:?}");
        t.clock.set(utc(31, 6, 31));
        s.tick().await.unwrap();
        let sent = t.messages(&mut seen).await;
        assert!(text_for(&sent, "time_control", "oHost").contains("已超时 5 分钟"), "{sent:?}");
        t.clock.set(utc(31, 7, 0));
        s.tick().await.unwrap();
        let sent = t.messages(&mut seen).await;
        assert!(text_for(&sent, "time_control", "oHost").contains("超过计划结束时间"), "{sent:?}");
        assert!(to(&sent, "feedback_request").is_empty(), "asked only once the meeting has ended");
        t.say("oHost", "结束").await;
        t.clock.set(utc(31, 7, 11));
        s.tick().await.unwrap();
        let sent = t.messages(&mut seen).await;
        // The host started the meeting, so was there too.
        assert_eq!(to(&sent, "feedback_request"), ["oAlice", "oHost"], "those who were there: {sent:?}");
        assert!(t.say("oAlice", "反馈 5 很好").await.contains("5 分"));
        t.clock.set(utc(32, 7, 1));
        s.tick().await.unwrap();
        let sent = t.messages(&mut seen).await;
        assert!(text_for(&sent, "minutes_due", "oHost").contains(&format!("发布纪要 {id}")));
        t.clock.set(utc(33, 7, 1));
        s.tick().await.unwrap();
        let sent = t.messages(&mut seen).await;
        let report = text_for(&sent, "feedback_report", "oHost");
        assert!(report.contains("反馈汇总：1 份，平均 5.0 分；5分 1人") && report.contains("很好"), "{report}");
        t.clock.set(utc(40, 7, 1));
        s.tick().await.unwrap();
        assert!(t.messages(&mut seen).await.is_empty(), "every meeting job ran once");
    }

    async fn action_items_through_due_overdue_and_escalation(backend: Backend) {
        let t = Timeline::new(backend).await;
        let host = t.app.person("E1").openid("oHost").await;
        let alice = t.app.person("E2").openid("oAlice").await;
        let follow = t.app.person("E3").openid("oFollow").await;
        let (_, m) = t.app.create_meeting(json!({
            "title": "周会", "place": "A",
            "starts_at": "2026-11-30T10:00:00+08:00", "ends_at": "2026-11-30T11:00:00+08:00",
            "roles": [{"person_id": host, "role": "host"}, {"person_id": alice, "role": "attendee"},
                      {"person_id": follow, "role": "follow_up_owner"}],
        })).await;
        let id = m["id"].as_i64().unwrap();
        t.app.publish(id).await;
        t.clock.set(utc(30, 2, 0));
        t.say("oHost", "开始").await;
        let task = t.say("oHost", "任务 E2 12-02 写周报").await;
        let task_id: String = task.split('#').nth(1).unwrap().chars().take_while(char::is_ascii_digit).collect();
        t.say("oHost", "结束").await;
        let s = t.scheduler();
        let mut seen = 0;
        let assigned = t.messages(&mut seen).await;
        assert!(text_for(&assigned, "task_assigned", "oAlice").contains("任务 #1「写周报」：E1 在会上布置给你"), "{assigned:?}");
        s.tick().await.unwrap();
        t.messages(&mut seen).await;

        for (day, kind, want) in [(31, "task_reminder", "明天截止"), (32, "task_reminder", "今天截止"), (33, "task_reminder", "已逾期 1 天"), (34, "task_reminder", "已逾期 2 天")] {
            t.clock.set(utc(day, 1, 1));
            s.tick().await.unwrap();
            let sent = t.messages(&mut seen).await;
            assert!(text_for(&sent, kind, "oAlice").contains(want), "day {day}: {sent:?}");
            if day == 34 {
                assert_eq!(to(&sent, "task_escalation"), ["oFollow", "oHost"]);
                assert!(text_for(&sent, "task_escalation", "oHost").contains("逾期 2 天未完成，负责人 E2"));
            }
        }
        // Monday 2026-12-07 09:00: the follow-up owner's weekly digest.
        t.clock.set(utc(37, 1, 1));
        s.tick().await.unwrap();
        let sent = t.messages(&mut seen).await;
        let digest = text_for(&sent, "weekly_digest", "oFollow");
        assert!(digest.contains("写周报") && digest.contains("逾期 5 天"), "{digest}");
        assert!(t.say("oAlice", &format!("完成 {task_id}")).await.contains("已完成"));
        t.clock.set(utc(38, 1, 1));
        s.tick().await.unwrap();
        assert!(t.messages(&mut seen).await.is_empty(), "finishing stops the reminders");
    }

    async fn a_damaged_job_or_meeting_is_set_aside_and_the_other_meetings_get_their_reminders(backend: Backend) {
        let t = Timeline::new(backend).await;
        let mut meetings = Vec::new();
        for (no, openid) in [("E1", "oA"), ("E2", "oB"), ("E3", "oC")] {
            let host = t.app.person(no).openid(openid).await;
            let (_, m) = t.app.create_meeting(json!({
                "title": format!("{no} 的会"), "place": "A",
                "starts_at": "2026-12-01T09:30:00+08:00", "ends_at": "2026-12-01T10:30:00+08:00",
                "roles": [{"person_id": host, "role": "host"}],
            })).await;
            let id = m["id"].as_i64().unwrap();
            t.app.publish(id).await;
            meetings.push(id);
        }
        let (a, b, c) = (meetings[0], meetings[1], meetings[2]);
        let mut seen = 0;
        t.messages(&mut seen).await;
        // A's jobs cannot be read (a kind huiwu does not have); B's meeting cannot be (a start no
        // date can carry). Either would fail the whole batch on every round, as the oldest due.
        let planned = t.app.db.run(huiwu::db::jobs::all).await.unwrap();
        let kinds: Vec<(String, &str)> = planned.iter().filter(|j| j.meeting_id == Some(typed(a)))
            .map(|j| (j.id.to_string(), j.job.name())).collect();
        t.app.write_sql(&format!("UPDATE jobs SET kind = 'nonsense' WHERE meeting_id = {a}")).await;
        let start = t.app.db.run(move |db| huiwu::db::meetings::get(db, typed(b))).await.unwrap().unwrap().meeting.starts_at.millis();
        t.app.write_sql(&format!("UPDATE meetings SET starts_at = {} WHERE id = {b}", i64::MAX)).await;

        t.clock.set(utc(30, 1, 31));
        let s = t.scheduler();
        let set_aside = || huiwu::telemetry::metrics::METRICS.set_aside.with_label_values(&["jobs"]).get();
        let before = set_aside();
        let ran = s.tick().await.expect("one damaged row does not stop the scheduler");
        assert!(set_aside() > before, "counted for the operator's alert");
        let sent = t.messages(&mut seen).await;
        assert!(!sent.is_empty() && sent.iter().all(|(_, to, _)| to == "oC"), "C's reminders, only C's: {sent:?}");
        assert_eq!(s.tick().await.unwrap(), 0, "what was set aside is not claimed again");

        for (id, kind) in &kinds {
            t.app.write_sql(&format!("UPDATE jobs SET kind = '{kind}' WHERE id = {id}")).await;
        }
        t.app.write_sql(&format!("UPDATE meetings SET starts_at = {start} WHERE id = {b}")).await;
        let now = utc(30, 1, 31).timestamp_millis();
        let due: Vec<_> = t.app.db.run(huiwu::db::jobs::all).await.unwrap().into_iter()
            .filter(|j| j.due_at.millis() <= now).collect();
        assert_eq!(due.len(), ran, "{due:?}");
        for j in &due {
            let meeting = j.meeting_id.map(|m| m.get());
            let failed = j.status.as_str() == "failed";
            let note = j.note.clone().unwrap_or_default();
            match meeting {
                Some(m) if m == a => assert!(failed && note.contains("nonsense"), "{j:?}"),
                Some(m) if m == b => assert!(failed && note.contains("starts_at"), "{j:?}"),
                Some(m) if m == c => assert_eq!(j.status.as_str(), "done", "{j:?}"),
                _ => {}
            }
        }
        for m in [a, b, c] {
            assert!(due.iter().any(|j| j.meeting_id.map(|x| x.get()) == Some(m)), "meeting {m} had a job due: {due:?}");
        }
    }

    async fn cancelled_meetings_and_missed_jobs_send_nothing_and_two_schedulers_send_once(backend: Backend) {
        let t = Timeline::new(backend).await;
        let host = t.app.person("E1").openid("oHost").await;
        let make = |start: &str, end: &str| json!({
            "title": "会", "place": "A", "starts_at": start, "ends_at": end,
            "roles": [{"person_id": host, "role": "host"}],
        });
        let (_, a) = t.app.create_meeting(make("2026-12-01T09:30:00+08:00", "2026-12-01T10:30:00+08:00")).await;
        let (_, b) = t.app.create_meeting(make("2026-12-02T09:30:00+08:00", "2026-12-02T10:30:00+08:00")).await;
        let (a, b) = (a["id"].as_i64().unwrap(), b["id"].as_i64().unwrap());
        for id in [a, b] {
            t.app.publish(id).await;
        }
        t.app.cancel_meeting(a, "改期").await;
        let mut seen = 0;
        t.messages(&mut seen).await;

        // Down from before meeting b's reminders until after it started: nothing stale goes out.
        t.clock.set(utc(32, 3, 0));
        let (one, two) = (t.scheduler(), t.scheduler());
        let (x, y) = tokio::join!(one.tick(), two.tick());
        assert!(x.unwrap() + y.unwrap() > 0);
        let sent = t.messages(&mut seen).await;
        assert!(to(&sent, "reminder").is_empty() && to(&sent, "rsvp_chase").is_empty(), "{sent:?}");
        let jobs = t.app.db.run(huiwu::db::jobs::all).await.unwrap();
        assert!(jobs.iter().filter(|j| j.meeting_id == Some(typed(a))).all(|j| j.status == huiwu::db::jobs::JobStatus::Dropped), "{jobs:?}");
        assert!(jobs.iter().all(|j| j.status != huiwu::db::jobs::JobStatus::Running), "{jobs:?}");

        // Two schedulers on one database: each due message exactly once.
        let (_, c) = t.app.create_meeting(make("2026-12-05T09:30:00+08:00", "2026-12-05T10:30:00+08:00")).await;
        let c = c["id"].as_i64().unwrap();
        t.app.publish(c).await;
        t.messages(&mut seen).await;
        t.clock.set(utc(34, 1, 31));
        let (x, y) = tokio::join!(one.tick(), two.tick());
        x.unwrap();
        y.unwrap();
        let sent = t.messages(&mut seen).await;
        assert_eq!(to(&sent, "reminder"), ["oHost"]);
        assert_eq!(sent.iter().filter(|m| m.0 == "reminder").count(), 1);
        assert_eq!(sent.iter().filter(|m| m.0 == "rsvp_chase").count(), 1);
    }
}
