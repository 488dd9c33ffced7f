//! Attendance counted one way everywhere: one meeting with someone on time, someone late,
//! people who never came (one without answering, one tentative), one who declined, one who
//! sent a colleague, the colleague, and one who came without answering; then the five doors
//! that show its numbers (chat `结束`, the console's live board and reports, the staff page,
//! the admin API's report and the improvement report) must agree.

use crate::chat::{contains, start, Chat};
use crate::console::DESK;
use crate::helpers::*;
use crate::pages::{app_at, Browser, WECHAT_UA};
use chrono::Duration;
use huiwu::clock::ManualClock;
use reqwest::Method;
use serde_json::json;
use std::sync::Arc;

fn badge(page: &str, id: &str) -> String {
    page.split(&format!("id=\"{id}\">"))
        .nth(1)
        .unwrap_or_else(|| panic!("no {id} in {page}"))
        .split('<')
        .next()
        .unwrap()
        .to_owned()
}

on_both_backends! {
    async fn every_door_counts_the_same_people_present_late_absent_and_excused(backend: Backend) {
        let clock = Arc::new(ManualClock::new(start() - Duration::days(1)));
        let (app, _platform) = app_at(backend, Some(clock.clone())).await;
        let oa = app.oa();
        let chat = Chat { app, clock, oa };
        let app = &chat.app;
        let mut ids = std::collections::HashMap::new();
        for (no, name, openid) in [
            ("E1", "王主持", "o_host"), ("E2", "准时到", "o_a"), ("E3", "李参会", "o_alice"),
            ("E4", "没回复", "o_c"), ("E5", "说待定", "o_d"), ("E6", "请了假", "o_e"),
            ("E7", "委托人", "o_f"), ("E8", "代参会", "o_g"), ("E9", "没回复却来了", "o_w"),
        ] {
            ids.insert(no, app.person(no).named(name).openid(openid).await);
        }
        let role = |no: &str, role: &str| json!({"person_id": ids[no], "role": role});
        let id = chat.meeting(json!([
            role("E1", "host"), role("E2", "attendee"), role("E3", "attendee"), role("E4", "attendee"),
            role("E5", "attendee"), role("E6", "attendee"), role("E7", "attendee"), role("E9", "attendee"),
        ]), false, false).await;

        contains(&chat.say("o_a", &format!("确认 {id}")).await, "已确认");
        contains(&chat.say("o_alice", &format!("确认 {id}")).await, "已确认");
        contains(&chat.say("o_d", &format!("待定 {id}")).await, "待定");
        contains(&chat.say("o_e", &format!("请假 {id} 出差")).await, "请假");
        contains(&chat.say("o_f", &format!("委托 {id} E8")).await, "代参会");

        // On the day: the host starts on time; people check in as they arrive.
        let check_in = |no: &'static str| {
            let path = format!("/meetings/{id}/participants/{}/checkin", ids[no]);
            async move {
                let (status, body) = app.admin(Method::POST, &path, None).await;
                assert_eq!(status, 200, "{body}");
            }
        };
        chat.clock.set(start() - Duration::minutes(10));
        check_in("E2").await;
        check_in("E8").await;
        check_in("E9").await;
        chat.clock.set(start());
        contains(&chat.say("o_host", &format!("开始 {id}")).await, "已开始");
        chat.clock.set(start() + Duration::minutes(26));
        check_in("E3").await;

        // The live board while it runs: the two not yet there are expected, not absent.
        let mut desk = Browser::new(app, DESK);
        assert_eq!(desk.post("/console/sign-in", &[("token", ADMIN_TOKEN)]).await.status, 303);
        let live = desk.get(&format!("/console/meetings/{id}/live")).await;
        assert_eq!(live.status, 200, "{}", live.body);
        assert_eq!(badge(&live.body, "count-absent"), "缺席 0");
        assert!(live.body.contains("未到 2"), "{}", live.body);

        // Door 1: chat `结束`.
        chat.clock.set(start() + Duration::minutes(50));
        let ended = chat.say("o_host", &format!("结束 {id}")).await;
        contains(&ended, "出席 5 人（迟到 1 人），请假 2 人，缺席 2 人：");
        contains(&ended, "没回复");
        contains(&ended, "说待定");

        // Door 2: the console's live board and reports.
        for page in [format!("/console/meetings/{id}/live"), format!("/console/meetings/{id}/reports")] {
            let page = desk.get(&page).await;
            assert_eq!(page.status, 200, "{}", page.body);
            assert_eq!(
                [badge(&page.body, "count-present"), badge(&page.body, "count-late"),
                 badge(&page.body, "count-absent"), badge(&page.body, "count-excused")],
                ["出席 5", "迟到 1", "缺席 2", "请假 2"],
            );
            assert!(page.body.contains("迟到 26 分钟"), "{}", page.body);
        }

        // Door 3: the staff page, for the one who came late.
        let mut phone = Browser::new(app, WECHAT_UA);
        phone.sign_in(&format!("/m/{id}"), "CODE_ALICE").await;
        let mine = phone.get(&format!("/m/{id}")).await;
        assert!(mine.body.contains("已签到 09:56（迟到 26 分钟）"), "{}", mine.body);
        assert!(!mine.body.contains("未回复"), "{}", mine.body);

        // Door 4: the admin API's report.
        let r = app.report(id, "attendance").await;
        assert_eq!(
            (r["invited"].as_u64(), r["checked_in"].as_u64(), r["late"].as_u64(), r["absent"].as_u64(), r["excused"].as_u64()),
            (Some(9), Some(5), Some(1), Some(2), Some(2)),
            "{r}"
        );
        let of = |no: &str| r["people"].as_array().unwrap().iter().find(|p| p["person_id"] == ids[no]).unwrap().clone();
        assert_eq!((of("E3")["attendance"].as_str(), of("E3")["minutes_late"].as_i64()), (Some("late"), Some(26)));
        assert_eq!(of("E4")["attendance"], "absent", "no answer, never came");
        assert_eq!(of("E5")["attendance"], "absent", "tentative, never came");
        assert_eq!(of("E6")["attendance"], "declined");
        assert_eq!(of("E7")["attendance"], "declined", "sent someone instead");
        assert_eq!((of("E9")["rsvp"].as_str(), of("E9")["attendance"].as_str()), (Some("pending"), Some("on_time")));

        // Door 5: the improvement report over the day.
        let report = app.admin_read("/reports/improvement?from=2026-12-01&until=2026-12-01&group_by=host").await;
        let g = &report["groups"][0];
        assert_eq!(g["invited"], 9, "{report}");
        assert_eq!(g["attendance_rate"], json!(0.5556), "5 of 9: {report}");
        assert_eq!(g["late_rate"], json!(0.2), "1 of 5: {report}");
        assert_eq!(g["absent_rate"], json!(0.2222), "2 of 9: {report}");
    }
}
