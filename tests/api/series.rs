//! Recurring meetings (例会) over eight weeks with the fake clock: one invitation for the
//! series, a room clash held back on its date only, one date cancelled, one moved, answers for
//! all and for one day, an open action item carried to the next agenda, the horizon moving,
//! a split at week 5, the calendar feed parsed and expanded, and the end told once per person.

use crate::helpers::*;
use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};
use huiwu::clock::{Clock, ManualClock};
use huiwu::meetings::job::Job;
use huiwu::meetings::notice_kind::NoticeKind;
use huiwu::notify::scheduler::Scheduler;
use huiwu::sim::SimAction;
use icalendar::{Calendar, CalendarComponent, Component};
use reqwest::Method;
use serde_json::{json, Value};
use std::sync::Arc;

fn local(y: i32, mo: u32, d: u32, h: u32, m: u32) -> DateTime<Utc> {
    chrono_tz::Asia::Shanghai
        .with_ymd_and_hms(y, mo, d, h, m, 0)
        .unwrap()
        .with_timezone(&Utc)
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// Every outbox row of `kind`, as (person, meeting).
async fn sent(app: &TestApp, kind: NoticeKind) -> Vec<(i64, i64)> {
    let rows = app.db.run(huiwu::db::outbox::all).await.unwrap();
    rows.iter()
        .filter(|r| r.kind == kind)
        .map(|r| {
            (
                r.person_id.map_or(0, |p| p.get()),
                r.meeting_id.map_or(0, |m| m.get()),
            )
        })
        .collect()
}

/// A scheduler that keeps series `horizon_days` ahead, on the test's clock.
fn series_scheduler(app: &TestApp, clock: &Arc<ManualClock>, horizon_days: u32) -> Arc<Scheduler> {
    let clock: Arc<dyn Clock> = clock.clone();
    let (_, notices) = huiwu::startup::outbound(&app.settings, &app.db, &clock).unwrap();
    let upkeep = huiwu::notify::scheduler::SeriesUpkeep {
        booking_buffer: Duration::zero(),
        late_grace: Duration::minutes(5),
        horizon_days,
    };
    Scheduler::with_series(
        app.db.clone(),
        clock,
        Arc::new(notices),
        Arc::new(tokio::sync::Notify::new()),
        upkeep,
    )
}

/// An app on `clock` with nothing running by itself, whose series reach a week ahead.
async fn week_ahead_app(backend: Backend, clock: &Arc<ManualClock>) -> TestApp {
    let mut opts = TestOptions::new(backend);
    opts.clock = Some(clock.clone());
    opts.outbox_worker = false;
    opts.scheduler = false;
    opts.extra_config = "[meetings]\nseries_horizon_days = 7\n".into();
    spawn(opts).await
}

fn occurrence(series: &Value, date: &str) -> Value {
    series["occurrences"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["date"] == date)
        .cloned()
        .unwrap_or(Value::Null)
}

/// The dates a weekly VEVENT stands for: DTSTART + 7 days × COUNT, less its EXDATEs (written
/// here from RFC 5545, not by the code under test).
fn expand_weekly(event: &icalendar::Event) -> Vec<NaiveDateTime> {
    let fmt = "%Y%m%dT%H%M%S";
    let start =
        NaiveDateTime::parse_from_str(event.property_value("DTSTART").unwrap(), fmt).unwrap();
    let rule = event.property_value("RRULE").unwrap();
    assert!(rule.starts_with("FREQ=WEEKLY;BYDAY=MO;"), "{rule}");
    let count: i64 = rule.split("COUNT=").nth(1).unwrap().parse().unwrap();
    let excluded: Vec<NaiveDateTime> = event
        .multi_properties()
        .get("EXDATE")
        .map(|all| {
            all.iter()
                .map(|p| {
                    assert_eq!(p.params().get("TZID").unwrap().value(), "Asia/Shanghai");
                    NaiveDateTime::parse_from_str(p.value(), fmt).unwrap()
                })
                .collect()
        })
        .unwrap_or_default();
    (0..count)
        .map(|k| start + Duration::weeks(k))
        .filter(|d| !excluded.contains(d))
        .collect()
}

on_both_backends! {
    async fn a_weekly_series_over_eight_weeks(backend: Backend) {
        let clock = Arc::new(ManualClock::new(local(2026, 12, 1, 9, 0)));
        let mut opts = TestOptions::new(backend);
        opts.clock = Some(clock.clone());
        opts.outbox_worker = false;
        opts.scheduler = false;
        let app = spawn(opts).await;
        let say = |from: &'static str, text: String| {
            let app = &app;
            async move { reply_content(&app.act(&app.oa(), from, SimAction::Text(text)).await) }
        };
        let mut ids = Vec::new();
        for (name, no, openid) in [("王主持", "E1", "oHost"), ("李参会", "E2", "oAlice"), ("赵参会", "E3", "oBob")] {
            ids.push(app.person(no).named(name).await);
            assert!(say(openid, app.bind_text(no).await).await.contains("绑定成功"));
        }
        let (host, alice, bob) = (ids[0], ids[1], ids[2]);
        let (_, room) = app.create_room(json!({"name": "3号会议室", "capacity": 10})).await;
        let room = room["id"].as_i64().unwrap();
        // Someone else holds the room on the fourth Monday.
        let (_, other) = app.create_meeting(json!({
            "title": "培训", "room_id": room,
            "starts_at": "2026-12-28T09:00:00+08:00", "ends_at": "2026-12-28T11:00:00+08:00",
            "roles": [{"person_id": bob, "role": "host"}],
        })).await;
        app.publish(other["id"].as_i64().unwrap()).await;

        // Bad rules are refused naming the field, and nothing is created.
        let template = json!({
            "title": "部门周例会", "room_id": room, "start_time": "09:00", "duration_minutes": 60,
            "agenda": [{"title": "上周回顾", "minutes": 20}, {"title": "本周计划", "minutes": 30}],
            "roles": [{"person_id": host, "role": "host"}, {"person_id": alice, "role": "attendee"},
                      {"person_id": bob, "role": "attendee"}],
        });
        let with = |recurrence: Value| {
            let mut body = template.clone();
            body["recurrence"] = recurrence;
            body
        };
        for (recurrence, field) in [
            (json!({"frequency": "weekly", "starts_on": "2026-12-07", "count": 8}), "recurrence.weekdays"),
            (json!({"frequency": "weekly", "weekdays": ["mon"], "starts_on": "2026-12-07", "until": "2026-12-01"}), "recurrence.until"),
            (json!({"frequency": "weekly", "weekdays": ["mon"], "starts_on": "2026-12-07", "count": 501}), "recurrence.count"),
            (json!({"frequency": "weekly", "weekdays": ["mon"], "starts_on": "2026-12-07", "until": "2040-01-01"}), "recurrence"),
            (json!({"frequency": "monthly", "month_day": 30, "interval": 12, "starts_on": "2027-02-01", "count": 2}), "recurrence"),
        ] {
            let (status, body) = app.create_series(with(recurrence)).await;
            assert_eq!(status, 422, "{body}");
            assert_eq!(body["error"]["details"][0]["field"], field, "{body}");
        }
        let none = app.admin_read("/series").await;
        assert_eq!(none, json!([]));

        // Every Monday 09:00 for eight weeks: the first four (the 28-day horizon) are made now.
        let (status, series) = app.admin(Method::POST, "/series", Some(with(json!({
            "frequency": "weekly", "weekdays": ["mon"], "starts_on": "2026-12-07", "count": 8,
        })))).await;
        assert_eq!(status, 201, "{series}");
        let sid = series["id"].as_i64().unwrap();
        assert_eq!(series["pattern"], "每周一 09:00–10:00，共 8 次");
        let made: Vec<(&str, bool)> = series["made"].as_array().unwrap().iter()
            .map(|m| (m["date"].as_str().unwrap(), m["published"].as_bool().unwrap())).collect();
        assert_eq!(made, [("2026-12-07", true), ("2026-12-14", true), ("2026-12-21", true), ("2026-12-28", false)]);
        assert!(series["made"][3]["problem"].as_str().unwrap().contains("already booked"), "{series}");
        let week = |n: &str| occurrence(&series, n)["meeting_id"].as_i64().unwrap();
        let (w1, w2, w3) = (week("2026-12-07"), week("2026-12-14"), week("2026-12-21"));
        assert_eq!(occurrence(&series, "2026-12-07")["starts_at"], "2026-12-07T01:00:00Z");

        // One invitation for the series per person, none per occurrence.
        let mut invited = sent(&app, NoticeKind::SeriesInvitation).await;
        invited.sort_unstable();
        assert_eq!(invited, [(host, w1), (alice, w1), (bob, w1)]);
        assert!(sent(&app, NoticeKind::Invitation).await.iter().all(|(_, m)| *m == other["id"].as_i64().unwrap()));
        // Exactly one set of reminders per occurrence.
        let jobs = app.db.run(huiwu::db::jobs::all).await.unwrap();
        for w in [w1, w2, w3] {
            let mine: Vec<Job> = jobs.iter().filter(|j| j.meeting_id == Some(typed(w))).map(|j| j.job).collect();
            assert_eq!(mine.iter().filter(|j| **j == Job::ReminderFirst).count(), 1, "{mine:?}");
            let mut unique = mine.clone();
            unique.dedup();
            assert_eq!(unique.len(), mine.len(), "{mine:?}");
        }
        let details = say("oAlice", format!("会议 {w2}")).await;
        assert!(details.contains("例会：每周一 09:00–10:00，共 8 次"), "{details}");

        // Answers: all of it, then one day off.
        let all = say("oAlice", format!("确认 {w1} 全部")).await;
        assert!(all.contains("3 次") && all.contains("已确认"), "{all}");
        let off = say("oAlice", "请假 12-14 出差".into()).await;
        assert!(off.contains(&format!("#{w2}")) && off.contains("请假"), "{off}");
        let answers = app.db.run(move |c| huiwu::db::participants::get(c, typed(w2), typed(alice))).await.unwrap().unwrap();
        assert_eq!(answers.rsvp.as_str(), "declined");

        // One date cancelled: its invitees are told, the others untouched.
        let (status, after) = app.admin(Method::POST, &format!("/series/{sid}/occurrences/2026-12-21/cancel"), Some(json!({"reason": "公司年会"}))).await;
        assert_eq!(status, 200, "{after}");
        assert_eq!(occurrence(&after, "2026-12-21")["status"], "cancelled");
        let cancelled = sent(&app, NoticeKind::Cancellation).await;
        assert_eq!(cancelled.len(), 3);
        assert!(cancelled.iter().all(|(_, m)| *m == w3));

        // One occurrence moved to 10:00; it is detached from the series.
        let (status, moved) = app.admin(Method::PATCH, &format!("/series/{sid}?scope=this&date=2026-12-14"), Some(json!({"start_time": "10:00"}))).await;
        assert_eq!(status, 200, "{moved}");
        let o = occurrence(&moved, "2026-12-14");
        assert_eq!((o["starts_at"].as_str(), o["detached"].as_bool()), (Some("2026-12-14T02:00:00Z"), Some(true)));
        // A past date cannot change.
        let (status, past) = app.admin(Method::PATCH, &format!("/series/{sid}?scope=this&date=2026-11-30"), Some(json!({"start_time": "10:00"}))).await;
        assert_eq!((status, past["error"]["details"][0]["field"].as_str()), (422, Some("date")), "{past}");

        // The horizon moves: the scheduler makes 2027-01-04 once it is within 28 days.
        clock.set(local(2026, 12, 6, 9, 0));
        let scheduler = series_scheduler(&app, &clock, 28);
        scheduler.tick().await.unwrap();
        let (_, now) = app.read_series(sid).await;
        assert_eq!(now["occurrences"].as_array().unwrap().len(), 4, "{now}");
        clock.set(local(2026, 12, 7, 8, 0));
        scheduler.tick().await.unwrap();
        scheduler.tick().await.unwrap();
        let (_, now) = app.read_series(sid).await;
        assert_eq!(now["occurrences"].as_array().unwrap().len(), 5, "{now}");
        let w5 = occurrence(&now, "2027-01-04")["meeting_id"].as_i64().unwrap();
        let w5_answer = app.db.run(move |c| huiwu::db::participants::get(c, typed(w5), typed(alice))).await.unwrap().unwrap();
        assert_eq!(w5_answer.rsvp.as_str(), "accepted", "确认 全部 covers occurrences made later");
        assert_eq!(sent(&app, NoticeKind::SeriesInvitation).await.len(), 3, "no new invitation");

        // Week 1 is held; an action item stays open and opens week 2's agenda.
        // Week 1 gets a topic of its own, which it will not reach.
        let (status, agenda) = app.admin(Method::PUT, &format!("/meetings/{w1}/agenda"), Some(json!([
            {"title": "上周回顾", "minutes": 20}, {"title": "本周计划", "minutes": 30}, {"title": "预算追加", "minutes": 5},
        ]))).await;
        assert_eq!(status, 200, "{agenda}");
        clock.set(local(2026, 12, 7, 9, 0));
        assert_eq!(app.start_meeting(w1).await.0, 200);
        let task = say("oHost", format!("任务 #{w1} E2 12-18 提交预算表")).await;
        assert!(task.contains("提交预算表"), "{task}");
        assert_eq!(app.end_meeting(w1).await.0, 200);
        // 预算追加 was never reached (本周计划 neither, but it is on every agenda): week 2's
        // agenda owner (its host) is offered it.
        let offered = sent(&app, NoticeKind::Unreached).await;
        assert_eq!(offered, [(host, w2)]);
        let agenda = say("oBob", format!("议程 {w2}")).await;
        assert!(agenda.contains("上次待办") && agenda.contains("提交预算表") && agenda.contains("李参会"), "{agenda}");
        let (_, shown) = app.read_meeting(w2).await;
        assert_eq!(shown["series"], json!({"id": sid, "date": "2026-12-14"}));
        assert_eq!(shown["carried_over"][0]["title"], "提交预算表", "{shown}");
        assert_eq!(shown["carried_over"][0]["owner"], "李参会");
        // 顺延: the host takes it into week 2, where it still fits; once is enough.
        let carried = say("oHost", format!("顺延 {w2}")).await;
        assert!(carried.contains("已顺延") && carried.contains("3. 预算追加（5 分钟）"), "{carried}");
        assert!(say("oHost", format!("顺延 {w2}")).await.contains("没有未讨论的议题"));
        assert!(say("oBob", format!("顺延 {w2}")).await.contains("议程"), "only the agenda's owners");

        // Split at week 5: from 2027-01-04 on, 14:00.
        let (status, split) = app.admin(Method::PATCH, &format!("/series/{sid}?scope=following&date=2027-01-04"), Some(json!({"start_time": "14:00"}))).await;
        assert_eq!(status, 200, "{split}");
        let new_sid = split["id"].as_i64().unwrap();
        assert_ne!(new_sid, sid);
        assert_eq!(split["split_from"], sid);
        assert_eq!(split["rrule"], "FREQ=WEEKLY;BYDAY=MO;WKST=MO;COUNT=4");
        assert_eq!(occurrence(&split, "2027-01-04")["starts_at"], "2027-01-04T06:00:00Z");
        let (_, old) = app.read_series(sid).await;
        assert_eq!(old["rrule"], "FREQ=WEEKLY;BYDAY=MO;WKST=MO;COUNT=4");
        let changed = sent(&app, NoticeKind::Change).await;
        assert!(changed.iter().filter(|(p, _)| *p == alice).count() >= 1);

        // The calendar: one VEVENT per series with RRULE, EXDATE for the cancelled and the held
        // back dates, and the moved occurrence with RECURRENCE-ID.
        let ics = app.client.get(format!("{}/api/v1/users/{alice}/calendar.ics", app.base))
            .bearer_auth(ADMIN_TOKEN).send().await.unwrap().text().await.unwrap();
        let calendar: Calendar = ics.parse().expect("the feed parses");
        assert_eq!(ics.matches("BEGIN:VTIMEZONE").count(), 1, "the TZID is defined: {ics}");
        assert!(ics.contains("TZID:Asia/Shanghai\r\nBEGIN:STANDARD"), "{ics}");
        let events: Vec<&icalendar::Event> = calendar.components.iter().filter_map(|c| match c {
            CalendarComponent::Event(e) => Some(e),
            _ => None,
        }).collect();
        let uid = |s: i64| format!("huiwu-series-{s}@127.0.0.1");
        let first = events.iter().find(|e| e.get_uid() == Some(&uid(sid)) && e.property_value("RECURRENCE-ID").is_none()).expect("the series");
        let at = |d: &str, h: u32| day(d).and_hms_opt(h, 0, 0).unwrap();
        assert_eq!(expand_weekly(first), [at("2026-12-07", 9), at("2026-12-14", 9)]);
        let moved = events.iter().find(|e| e.get_uid() == Some(&uid(sid)) && e.property_value("RECURRENCE-ID").is_some()).expect("the moved one");
        assert_eq!(moved.property_value("RECURRENCE-ID"), Some("20261214T090000"));
        assert_eq!(moved.property_value("DTSTART"), Some("20261214T020000Z"));
        let second = events.iter().find(|e| e.get_uid() == Some(&uid(new_sid))).expect("the split-off series");
        assert_eq!(expand_weekly(second), [at("2027-01-04", 14), at("2027-01-11", 14), at("2027-01-18", 14), at("2027-01-25", 14)]);
        assert!(!events.iter().any(|e| e.get_uid() == Some(&format!("huiwu-meeting-{w1}@127.0.0.1"))), "occurrences show as their series");

        // Ending the series: what is left is cancelled and told once per person.
        let before = sent(&app, NoticeKind::Cancellation).await.len();
        let (status, ended) = app.admin(Method::POST, &format!("/series/{new_sid}/end"), Some(json!({"reason": "项目结束"}))).await;
        assert_eq!(status, 200, "{ended}");
        assert_eq!(ended["status"], "ended");
        assert!(ended["occurrences"].as_array().unwrap().iter().all(|o| o["status"] == "cancelled"));
        let mut told: Vec<i64> = sent(&app, NoticeKind::SeriesEnded).await.into_iter().map(|(p, _)| p).collect();
        told.sort_unstable();
        assert_eq!(told, [host, alice, bob]);
        assert_eq!(sent(&app, NoticeKind::Cancellation).await.len(), before, "no notice per occurrence");
        let (status, again) = app.admin(Method::POST, &format!("/series/{new_sid}/end"), Some(json!({"reason": "再次"}))).await;
        assert_eq!(status, 409, "{again}");
    }
}

on_both_backends! {
    async fn a_damaged_series_does_not_stop_the_others_and_grows_again_once_repaired(backend: Backend) {
        let clock = Arc::new(ManualClock::new(local(2026, 12, 1, 9, 0)));
        let app = week_ahead_app(backend, &clock).await;
        let host = app.person("E1").named("王主持").await;
        let mut ids = Vec::new();
        for title in ["周例会", "周复盘"] {
            let (status, series) = app.create_series(json!({
                "title": title, "place": "3楼", "start_time": "09:00", "duration_minutes": 60,
                "roles": [{"person_id": host, "role": "host"}],
                "recurrence": {"frequency": "weekly", "weekdays": ["mon"], "starts_on": "2026-12-07", "count": 3},
            })).await;
            assert_eq!(status, 201, "{series}");
            ids.push(series["id"].as_i64().unwrap());
        }
        let (damaged, healthy) = (ids[0], ids[1]);
        app.write_sql(&format!("UPDATE series SET rule = 'nonsense' WHERE id = {damaged}")).await;
        clock.set(local(2026, 12, 8, 9, 0));
        let scheduler = series_scheduler(&app, &clock, 7);
        scheduler.tick().await.unwrap();
        let (_, now) = app.read_series(healthy).await;
        assert_eq!(occurrence(&now, "2026-12-14")["status"], "scheduled", "the healthy series grew: {now}");
        let (status, _) = app.read_series(damaged).await;
        assert_eq!(status, 500, "the damaged one is an error, not a guess");
        // Skipped, not given up: once repaired, the next tick extends it too.
        scheduler.tick().await.unwrap();
        app.write_sql(&format!(
            "UPDATE series SET rule = (SELECT rule FROM series WHERE id = {healthy}) WHERE id = {damaged}"
        )).await;
        scheduler.tick().await.unwrap();
        let (status, repaired) = app.read_series(damaged).await;
        assert_eq!(status, 200, "{repaired}");
        assert_eq!(occurrence(&repaired, "2026-12-14")["status"], "scheduled", "{repaired}");
    }

    async fn a_date_the_scheduler_cannot_book_is_held_and_the_hosts_are_told(backend: Backend) {
        let clock = Arc::new(ManualClock::new(local(2026, 12, 1, 9, 0)));
        let app = week_ahead_app(backend, &clock).await;
        let host = app.person("E1").named("王主持").await;
        let (_, room) = app.create_room(json!({"name": "3号会议室", "capacity": 10})).await;
        let room = room["id"].as_i64().unwrap();
        let (status, series) = app.admin(Method::POST, "/series", Some(json!({
            "title": "周例会", "room_id": room, "start_time": "09:00", "duration_minutes": 60,
            "roles": [{"person_id": host, "role": "host"}],
            "recurrence": {"frequency": "weekly", "weekdays": ["mon"], "starts_on": "2026-12-07", "count": 2},
        }))).await;
        assert_eq!(status, 201, "{series}");
        assert_eq!(series["made"].as_array().unwrap().len(), 1, "only the first week is within 7 days");
        assert_eq!(series["notes"], json!([]));
        // The second Monday's room is taken before the horizon reaches it.
        let (_, other) = app.create_meeting(json!({
            "title": "培训", "room_id": room,
            "starts_at": "2026-12-14T08:30:00+08:00", "ends_at": "2026-12-14T09:30:00+08:00",
            "roles": [{"person_id": host, "role": "host"}],
        })).await;
        assert_eq!(app.publish(other["id"].as_i64().unwrap()).await.0, 200);
        clock.set(local(2026, 12, 8, 9, 0));
        let scheduler = series_scheduler(&app, &clock, 7);
        scheduler.tick().await.unwrap();
        let (_, now) = app.read_series(series["id"].as_i64().unwrap()).await;
        let held = occurrence(&now, "2026-12-14");
        assert_eq!(held["status"], "draft", "{now}");
        let told = sent(&app, NoticeKind::OccurrenceHeld).await;
        assert_eq!(told, [(host, held["meeting_id"].as_i64().unwrap())]);
        // The next tick makes nothing twice and tells nobody again.
        scheduler.tick().await.unwrap();
        assert_eq!(sent(&app, NoticeKind::OccurrenceHeld).await.len(), 1);
    }
}
