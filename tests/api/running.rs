//! A meeting run from its page, as the host and a participant would on their phones: start,
//! 代签, a question and its answer, a decision put to the vote, more time, an action item,
//! next items, end, minutes published; every step says what it did, and whoever may not do
//! a step does not see it and cannot post it.

use crate::chat::{start, Chat};
use crate::helpers::*;
use crate::pages::{app_at, csrf, Browser, Page, WECHAT_UA};
use chrono::Duration;
use huiwu::clock::ManualClock;
use reqwest::Method;
use serde_json::json;
use std::sync::Arc;

const WECOM_UA: &str = "Mozilla/5.0 (iPhone) AppleWebKit Mobile wxwork/4.1.20 MicroMessenger/7.0.1";

/// Posts a form of the meeting page and follows the redirect: the page that says what was
/// done (or the refusal, when there was no redirect).
async fn step(phone: &mut Browser, path: &str, form: &[(&str, &str)]) -> Page {
    let meeting: String = path.split('/').take(3).collect::<Vec<_>>().join("/");
    let page = phone.get(&meeting).await;
    let token = csrf(&page.body);
    let mut fields = vec![("csrf", token.as_str())];
    fields.extend_from_slice(form);
    let posted = phone.post(path, &fields).await;
    match posted.location.clone() {
        Some(to) if posted.status == 303 => phone.get(&to).await,
        _ => posted,
    }
}

/// Posts `extra` with the session's CSRF token, as a crafted request would.
async fn send(phone: &mut Browser, path: &str, token: &str, extra: &[(&str, String)]) -> Page {
    let mut fields: Vec<(&str, &str)> = vec![("csrf", token)];
    fields.extend(extra.iter().map(|(k, v)| (*k, v.as_str())));
    phone.post(path, &fields).await
}

fn said(page: &Page) -> String {
    page.body
        .split("id=\"done\" role=\"status\">✓ ")
        .nth(1)
        .unwrap_or_else(|| panic!("no confirmation in {}", page.body))
        .split('<')
        .next()
        .unwrap()
        .to_owned()
}

on_both_backends! {
    async fn a_host_runs_the_whole_meeting_from_the_page(backend: Backend) {
        let clock = Arc::new(ManualClock::new(start() - Duration::minutes(10)));
        let (app, _platform) = app_at(backend, Some(clock.clone())).await;
        let oa = app.oa();
        let chat = Chat { app, clock, oa };
        let app = &chat.app;
        let host = app.person("E1").named("李主持").openid("o_alice").await;
        let bob = app.person("E2").named("周企微").wecom("bob").await;
        let carol = app.person("E3").named("赵缺席").await;
        let dan = app.person("E4").named("孙代签").await;
        let id = chat.meeting(json!([
            {"person_id": host, "role": "host"}, {"person_id": bob, "role": "attendee"},
            {"person_id": carol, "role": "attendee"}, {"person_id": dan, "role": "attendee"},
        ]), false, false).await;
        let page = format!("/m/{id}");
        let at = |rest: &str| format!("/m/{id}/{rest}");

        let mut host_phone = Browser::new(app, WECHAT_UA);
        host_phone.sign_in(&page, "CODE_ALICE").await;
        let mut bob_phone = Browser::new(app, WECOM_UA);
        bob_phone.sign_in(&page, "CODE_BOB").await;

        let before = host_phone.get(&page).await;
        assert!(before.body.contains("id=\"run-start\""), "{}", before.body);
        assert!(before.body.contains("src=\"/static/meeting.js\""));
        let guest = bob_phone.get(&page).await;
        assert!(!guest.body.contains("id=\"run") && !guest.body.contains("id=\"roster\""), "a participant has no host controls");
        // Whoever may not run it cannot post it either.
        let refused = step(&mut bob_phone, &at("run"), &[("step", "start")]).await;
        assert_eq!(refused.status, 403, "{}", refused.body);
        assert!(refused.body.contains("只有主持人可以这样做"), "{}", refused.body);

        chat.clock.set(start());
        let started = step(&mut host_phone, &at("run"), &[("step", "start")]).await;
        assert_eq!(said(&started), "会议已开始，现在是第 1 项「收入回顾」");
        assert!(started.body.contains("已用 0 分钟，剩余 20 分钟"), "{}", started.body);

        let none = step(&mut host_phone, &at("checkin"), &[]).await;
        assert_eq!(none.status, 422);
        assert!(none.body.contains("id=\"checkin-error\" role=\"alert\">请先勾选要代签的人"), "{}", none.body);
        let dan_box = format!("p{dan}");
        let proxied = step(&mut host_phone, &at("checkin"), &[(dan_box.as_str(), "1")]).await;
        assert_eq!(said(&proxied), "已代签。已签到 2/4 人（迟到 0），请假 0，未回复 4，缺席 0");

        // Bob arrives late, asks (anonymously) and is answered.
        chat.clock.set(start() + Duration::minutes(12));
        let (status, body) = app.check_in_on_behalf(id, bob).await;
        assert_eq!(status, 200, "{body}");
        let empty = step(&mut bob_phone, &at("ask"), &[("text", "  ")]).await;
        assert_eq!(empty.status, 422);
        assert!(empty.body.contains("id=\"question-error\""), "{}", empty.body);
        let asked = step(&mut bob_phone, &at("ask"), &[("text", "预算何时定稿？"), ("anonymous", "1")]).await;
        assert_eq!(said(&asked), "提问已发给主持人和记录员");
        let board = host_phone.get(&at("board")).await;
        assert_eq!(board.status, 200);
        assert!(board.body.starts_with("<section id=\"board\""), "the board alone: {}", board.body);
        assert!(board.body.contains("预算何时定稿？<span class=\"muted\">（匿名）"), "{}", board.body);
        assert!(board.body.contains("周企微") && board.body.contains("迟到 12 分钟"), "{}", board.body);
        let question = board.body.split("/questions/").nth(1).unwrap().split('/').next().unwrap().to_owned();
        let answered = step(&mut host_phone, &at(&format!("questions/{question}/answer")), &[("text", "下周五")]).await;
        assert_eq!(said(&answered), "已答复提问");

        // A decision is put to those present; an objection needs a reason.
        let decided = step(&mut host_phone, &at("minutes"), &[("kind", "decision"), ("text", "预算上调 5%")]).await;
        assert_eq!(said(&decided), "已记下决议，并请在场的人表态：预算上调 5%");
        let ballot = bob_phone.get(&page).await;
        let entry = ballot.body.split("/decisions/").nth(1).unwrap().split('/').next().unwrap().to_owned();
        let bare = step(&mut bob_phone, &at(&format!("decisions/{entry}/vote")), &[("vote", "object")]).await;
        assert_eq!(bare.status, 422);
        assert!(bare.body.contains("id=\"vote-error\" role=\"alert\">异议需要说明理由"), "{}", bare.body);
        let agreed = step(&mut bob_phone, &at(&format!("decisions/{entry}/vote")), &[("vote", "agree")]).await;
        assert_eq!(said(&agreed), "你已同意决议：预算上调 5%");
        assert!(host_phone.get(&page).await.body.contains("同意 1，异议 0，未表态 2"));

        let too_much = step(&mut host_phone, &at("run"), &[("step", "extend"), ("minutes", "0")]).await;
        assert_eq!(too_much.status, 422);
        assert!(too_much.body.contains("id=\"minutes-error\" role=\"alert\">每次延长 1 到 60 分钟"), "{}", too_much.body);
        let extended = step(&mut host_phone, &at("run"), &[("step", "extend"), ("minutes", "10")]).await;
        assert_eq!(said(&extended), "第 1 项「收入回顾」现为 30 分钟");
        assert!(extended.body.contains("已用 12 分钟，剩余 18 分钟"), "{}", extended.body);

        let bob_id = bob.to_string();
        let no_owner = step(&mut host_phone, &at("minutes"), &[("kind", "task"), ("text", "整理预算表"), ("due", "2026-12-08")]).await;
        assert_eq!(no_owner.status, 422);
        assert!(no_owner.body.contains("请选择任务负责人") && no_owner.body.contains("value=\"整理预算表\""), "kept: {}", no_owner.body);
        assert!(no_owner.body.contains("value=\"task\" checked"), "the kind kept: {}", no_owner.body);
        let assigned = step(&mut host_phone, &at("minutes"), &[("kind", "task"), ("text", "整理预算表"), ("owner", &bob_id), ("due", "2026-12-08")]).await;
        assert_eq!(said(&assigned), "已布置任务「整理预算表」给 周企微，2026-12-08 截止，已通知 周企微");

        let next = step(&mut host_phone, &at("run"), &[("step", "next")]).await;
        assert_eq!(said(&next), "现在进行第 2 项「预算讨论」");
        let helped = step(&mut bob_phone, &at("help"), &[("text", "投影没有信号")]).await;
        assert_eq!(said(&helped), "求助已发出，会务组和信息技术支持会尽快联系你");
        let last = step(&mut host_phone, &at("run"), &[("step", "next")]).await;
        assert_eq!(said(&last), "议程已全部完成，结束时点「结束会议」");
        chat.clock.set(start() + Duration::minutes(50));
        let ended = step(&mut host_phone, &at("run"), &[("step", "end")]).await;
        assert_eq!(said(&ended), "会议已结束：已签到 3/4 人（迟到 1），请假 0，未回复 4，缺席 1");
        assert!(!ended.body.contains("id=\"run\"") && !ended.body.contains("id=\"extend\""), "no step of running it is left to offer: {}", ended.body);
        assert!(ended.body.contains("id=\"publish-minutes\""), "publishing is: {}", ended.body);
        let report = app.report(id, "attendance").await;
        assert_eq!((report["checked_in"].as_u64(), report["late"].as_u64(), report["absent"].as_u64()), (Some(3), Some(1), Some(1)), "the API counts the same: {report}");
        let again = step(&mut host_phone, &at("run"), &[("step", "end")]).await;
        assert_eq!(again.status, 409, "ended once: {}", again.body);

        let published = step(&mut host_phone, &at("minutes/publish"), &[]).await;
        assert_eq!(said(&published), "纪要已发布，已发给参会人");
        let minutes = bob_phone.get(&page).await;
        assert!(minutes.body.contains("预算上调 5%") && minutes.body.contains("下周五"), "{}", minutes.body);
        assert_eq!(bob_phone.get(&at("board")).await.status, 204, "nothing left to run");
        // A confirmation is worded from the state: a crafted link says nothing untrue.
        let crafted = bob_phone.get(&format!("{page}?done=started")).await;
        assert!(!crafted.body.contains("id=\"done\""), "{}", crafted.body);
    }
}

on_both_backends! {
    async fn home_lists_a_series_once_and_the_last_30_days_and_the_door_names_arrivals(backend: Backend) {
        let clock = Arc::new(ManualClock::new(start() - Duration::minutes(10)));
        let (app, _platform) = app_at(backend, Some(clock.clone())).await;
        let oa = app.oa();
        let chat = Chat { app, clock, oa };
        let app = &chat.app;
        let alice = app.person("E1").named("李主持").openid("o_alice").await;
        let bob = app.person("E2").named("周到场").await;
        let (_, room) = app.create_room(json!({"name": "3楼大会议室", "capacity": 12})).await;
        let room = room["id"].as_i64().unwrap();
        let (status, series) = app.admin(Method::POST, "/series", Some(json!({
            "title": "周例会", "room_id": room, "start_time": "14:00", "duration_minutes": 60,
            "roles": [{"person_id": alice, "role": "host"}],
            "recurrence": {"frequency": "weekly", "weekdays": ["tue", "thu"], "starts_on": "2026-12-01", "count": 4},
        }))).await;
        assert_eq!(status, 201, "{series}");
        let id = chat.meeting(json!([{"person_id": alice, "role": "host"}, {"person_id": bob, "role": "attendee"}]), false, false).await;
        let key = app.admin_does(Method::POST, &format!("/rooms/{room}/display-key"), None).await;
        let door = key["url"].as_str().unwrap().to_owned();

        let mut phone = Browser::new(app, WECHAT_UA);
        phone.sign_in("/me", "CODE_ALICE").await;
        let home = phone.get("/me").await;
        assert_eq!(home.body.matches("周例会").count(), 1, "a series once: {}", home.body);
        assert!(home.body.contains("之后还有"), "{}", home.body);
        // A series date is answered for itself or for every date from it on.
        let first = series["made"][0]["meeting_id"].as_i64().unwrap();
        let date_page = phone.get(&format!("/m/{first}")).await;
        assert!(date_page.body.contains("确认参加本次") && date_page.body.contains("确认全部") && date_page.body.contains("全部请假"), "{}", date_page.body);
        let all = step(&mut phone, &format!("/m/{first}/answer-all"), &[("answer", "accepted")]).await;
        assert_eq!(said(&all), "已确认参加这个例会以后的每一次");
        let list = app.participants(series["made"][1]["meeting_id"].as_i64().unwrap()).await;
        assert_eq!(list[0]["rsvp"], "accepted", "the next date too: {list}");

        // The door before the series' first date: idle until it, and who comes next.
        let mut tablet = Browser::new(app, WECHAT_UA);
        let idle = tablet.get(&door).await;
        assert!(idle.body.contains("空闲至 14:00") && idle.body.contains("周例会"), "{}", idle.body);

        chat.clock.set(start());
        step(&mut phone, &format!("/m/{id}/run"), &[("step", "start")]).await;
        let running = phone.get("/me").await;
        assert!(running.body.contains("预算评审会</a> <span class=\"badge\">进行中"), "{}", running.body);
        let (status, _) = app.check_in_on_behalf(id, bob).await;
        assert_eq!(status, 200);
        step(&mut phone, &format!("/m/{id}/run"), &[("step", "end")]).await;

        // Days later, signed in again (a session lasts hours).
        chat.clock.set(start() + Duration::days(10));
        let mut phone = Browser::new(app, WECHAT_UA);
        phone.sign_in("/me", "CODE_ALICE").await;
        let later = phone.get("/me").await;
        let recent = later.body.split("id=\"recent\"").nth(1).unwrap_or_else(|| panic!("{}", later.body));
        assert!(recent.contains("预算评审会") && recent.contains("纪要整理中") && recent.contains("未反馈"), "{recent}");
        chat.clock.set(start() + Duration::days(31));
        let mut phone = Browser::new(app, WECHAT_UA);
        phone.sign_in("/me", "CODE_ALICE").await;
        assert!(!phone.get("/me").await.body.contains("预算评审会"), "older than 30 days");
    }
}

on_both_backends! {
    async fn the_running_and_console_doors_refuse_what_an_attacker_would_send(backend: Backend) {
        let clock = Arc::new(ManualClock::new(start()));
        let (app, _platform) = app_at(backend, Some(clock.clone())).await;
        let oa = app.oa();
        let chat = Chat { app, clock, oa };
        let app = &chat.app;
        let host = app.person("E1").named("李主持").openid("o_host").await;
        let alice = app.person("E2").named("李参会").openid("o_alice").await;
        let other_host = app.person("E3").named("别人").openid("o_other").await;
        let mine = chat.meeting(json!([{"person_id": host, "role": "host"}, {"person_id": alice, "role": "attendee"}]), false, false).await;
        let theirs = chat.meeting(json!([{"person_id": other_host, "role": "host"}]), true, false).await;
        crate::chat::contains(&chat.say("o_other", &format!("开始 {theirs}")).await, "已开始");
        crate::chat::contains(&chat.say("o_other", &format!("决议 #{theirs} 保密决议")).await, "决议");
        crate::chat::contains(&chat.say("o_host", &format!("开始 {mine}")).await, "已开始");
        let secret_entry = app.db.run(move |c| huiwu::db::minutes::list(c, typed(theirs))).await.unwrap()[0].id;

        let mut phone = Browser::new(app, WECHAT_UA);
        phone.sign_in(&format!("/m/{mine}"), "CODE_ALICE").await;
        let page = phone.get(&format!("/m/{mine}")).await;
        let token = csrf(&page.body);
        // A participant may not run, record or check others in: refused, nothing changed.
        for (path, extra) in [
            (format!("/m/{mine}/run"), vec![("step", "end".to_owned())]),
            (format!("/m/{mine}/run"), vec![("step", "extend".to_owned()), ("minutes", "5".to_owned())]),
            (format!("/m/{mine}/checkin"), vec![("p1", "1".to_owned())]),
            (format!("/m/{mine}/minutes"), vec![("kind", "decision".to_owned()), ("text", "伪造决议".to_owned())]),
            (format!("/m/{mine}/minutes/publish"), vec![]),
        ] {
            let refused = send(&mut phone, &path, &token, &extra).await;
            assert_eq!(refused.status, 403, "{path}: {}", refused.body);
        }
        let (_, m) = app.read_meeting(mine).await;
        assert_eq!(m["status"], "in_progress", "still running");
        // Another meeting's decision or question, named through this meeting's path, or a
        // confidential meeting's page: not found, and the secret decision gets no vote.
        let agree = [("vote", "agree".to_owned())];
        let vote = send(&mut phone, &format!("/m/{mine}/decisions/{secret_entry}/vote"), &token, &agree).await;
        assert_eq!(vote.status, 409, "{}", vote.body);
        assert!(vote.body.contains("找不到这条决议"), "{}", vote.body);
        let vote_there = send(&mut phone, &format!("/m/{theirs}/decisions/{secret_entry}/vote"), &token, &agree).await;
        assert_eq!(vote_there.status, 404, "a confidential meeting reads like none");
        assert_eq!(phone.get(&format!("/m/{theirs}/board")).await.status, 404);
        let answer = send(&mut phone, &format!("/m/{mine}/questions/999/answer"), &token, &[("text", "x".to_owned())]).await;
        assert_eq!(answer.status, 409, "{}", answer.body);
        // Junk in every field: a refusal in words, never a 5xx.
        for (path, extra) in [
            (format!("/m/{mine}/run"), vec![("step", "drop-table".to_owned())]),
            (format!("/m/{mine}/decisions/abc/vote"), vec![("vote", "agree".to_owned())]),
            (format!("/m/{mine}/decisions/1/vote"), vec![("vote", "maybe".to_owned())]),
            (format!("/m/{mine}/ask"), vec![("text", "问".repeat(600))]),
            (format!("/m/{mine}/help"), vec![("text", String::new())]),
            (format!("/m/{mine}/answer-all"), vec![("answer", "accepted".to_owned())]),
            (format!("/m/{mine}/answer"), vec![("answer", "<script>".to_owned())]),
        ] {
            let refused = send(&mut phone, &path, &token, &extra).await;
            assert!((400..500).contains(&refused.status), "{path}: {} {}", refused.status, refused.body);
            assert!(!refused.body.contains("<script>"), "{path}: never echoed raw");
        }
        // Forged or missing CSRF: 403 before anything runs.
        assert_eq!(phone.post(&format!("/m/{mine}/ask"), &[("csrf", "forged"), ("text", "x")]).await.status, 403);
        assert_eq!(phone.post(&format!("/m/{mine}/checkin"), &[("p1", "1")]).await.status, 403);
        // A crafted confirmation says nothing untrue.
        for crafted in ["?done=ended", "?done=written&ref=1", "?done=voted&ref=abc", "?done=assigned&ref=-1", "?done=answer-all"] {
            let shown = phone.get(&format!("/m/{mine}{crafted}")).await;
            assert_eq!(shown.status, 200, "{crafted}");
            assert!(!shown.body.contains("id=\"done\""), "{crafted}: {}", shown.body);
        }

        // The console's new query parameters: staff only; junk refused in words.
        let stranger = Browser::new(app, "Mozilla/5.0 (Windows NT 10.0) Chrome/120").get("/console/week").await;
        assert_eq!(stranger.status, 403);
        let mut desk = Browser::new(app, "Mozilla/5.0 (Windows NT 10.0) Chrome/120");
        desk.post("/console/sign-in", &[("token", ADMIN_TOKEN)]).await;
        let bad_minutes = desk.get("/console/week?minutes=abc&people=E1").await;
        assert_eq!(bad_minutes.status, 422, "{}", bad_minutes.body);
        assert!(bad_minutes.body.contains("时长请填 15 到 480 分钟"));
        assert_eq!(desk.get("/console/week?start=2026-13-45").await.status, 422);
        let unknown_room = desk.get("/console/week?room=99999").await;
        assert_eq!(unknown_room.status, 200, "an unknown room is the lane without a room");
        let people = desk.get(&format!("/console/week?people={}", "%3Cb%3E".repeat(50))).await;
        assert_eq!(people.status, 200);
        assert!(!people.body.contains("<b>"), "escaped: {}", people.body);
        let form = desk.get("/console/meetings/new?date=junk&start=25:99&room=abc").await;
        assert_eq!(form.status, 200, "junk prefill is ignored: {}", form.body);
        let live = desk.get(&format!("/console/meetings/{mine}/live")).await;
        let checkin = desk.post(&format!("/console/meetings/{mine}/checkin"), &[("csrf", &csrf(&live.body)), ("p999999", "1")]).await;
        assert!((400..500).contains(&checkin.status), "someone not invited: {} {}", checkin.status, checkin.body);
        assert_eq!(desk.post(&format!("/console/meetings/{mine}/checkin"), &[("csrf", "forged"), ("p1", "1")]).await.status, 403);
        // An organizer of nothing here may not check anyone in to this meeting.
        app.person("E6").named("会务小刘").openid("o_org").with("is_organizer", true).await;
        let mut org = crate::console::organizer_desk(app, "o_org").await;
        let theirs_live = org.get(&format!("/console/meetings/{mine}/live")).await;
        assert_eq!(theirs_live.status, 403, "{}", theirs_live.body);
    }
}
