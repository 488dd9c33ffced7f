//! The organizer console over HTTP, as a desktop browser uses it: signing in (a `后台` link or
//! the admin token), preparing a meeting by form, the refusals, reports and the people import.
//! The same flow in a real browser is in tests/browser.rs.

use crate::helpers::*;
use crate::pages::{app_with_platform, csrf, meeting, Browser, WECHAT_UA};
use serde_json::json;

pub(crate) const DESK: &str = "Mozilla/5.0 (Windows NT 10.0) Chrome/120";

/// An organizer (or admin) at their desk, signed in with the link `后台` sent them.
pub(crate) async fn organizer_desk(app: &TestApp, openid: &'static str) -> Browser {
    let reply = reply_content(
        &app.act(
            &app.oa(),
            openid,
            huiwu::sim::SimAction::Text("后台".into()),
        )
        .await,
    );
    let link = reply
        .lines()
        .find(|l| l.contains("/console/login/"))
        .unwrap_or_else(|| panic!("{reply}"))
        .trim()
        .to_owned();
    let mut desk = Browser::new(app, DESK);
    let signed = desk.open_console_link(&link).await;
    assert_eq!(signed.status, 303, "{}", signed.body);
    desk
}

fn form_of(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

async fn post_pairs(
    desk: &mut Browser,
    path: &str,
    pairs: &[(String, String)],
) -> crate::pages::Page {
    let borrowed: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    desk.post(path, &borrowed).await
}

on_both_backends! {
    async fn the_admin_token_signs_in_the_built_in_administrator(backend: Backend) {
        let (app, _platform) = app_with_platform(backend).await;
        let mut desk = Browser::new(&app, DESK);
        assert_eq!(desk.get("/console").await.status, 403);
        let form = desk.get("/console/sign-in").await;
        assert_eq!(form.status, 200);
        assert!(form.body.contains("管理令牌"), "{}", form.body);
        let wrong = desk.post("/console/sign-in", &[("token", "guess")]).await;
        assert_eq!(wrong.status, 401);
        assert!(wrong.body.contains("管理令牌不正确"));
        let right = desk.post("/console/sign-in", &[("token", ADMIN_TOKEN)]).await;
        assert_eq!((right.status, right.location.as_deref()), (303, Some("/console")));
        let home = desk.get("/console").await;
        assert_eq!(home.status, 200, "{}", home.body);
        assert!(home.body.contains("管理员（管理员）") || home.body.contains("（管理员）"), "{}", home.body);

        // A stale form (another session's token) is refused; signing out ends the session.
        let token = csrf(&home.body);
        assert_eq!(desk.post("/console/sign-out", &[("csrf", "forged")]).await.status, 403);
        let out = desk.post("/console/sign-out", &[("csrf", &token)]).await;
        assert_eq!((out.status, out.location.as_deref()), (303, Some("/console/sign-in")));
        assert_eq!(desk.get("/console").await.status, 403);
    }

    async fn an_organizer_prepares_publishes_and_reports_on_a_meeting_by_form(backend: Backend) {
        let (app, _platform) = app_with_platform(backend).await;
        let org = app.person("E6").named("会务小刘").openid("o_org").with("is_organizer", true).await;
        app.person("E1").named("王主持").await;
        app.person("E2").named("李参会").with("department", "产品部").await;
        app.person("E3").named("周参会").await;
        let (_, room) = app
            .create_room(json!({"name": "小会议室", "capacity": 2, "equipment": ["白板"]}))
            .await;
        let room = room["id"].as_i64().unwrap().to_string();
        let mut desk = organizer_desk(&app, "o_org").await;

        let new = desk.get("/console/meetings/new").await;
        assert_eq!(new.status, 200, "{}", new.body);
        assert!(new.body.contains("小会议室") && new.body.contains("2 人") && new.body.contains("白板"), "{}", new.body);
        assert!(new.body.contains("agenda-sum") && new.body.contains("/static/console.js"));
        let token = csrf(&new.body);
        let mut fields = form_of(&[
            ("csrf", &token), ("title", "产品评审会"), ("goal", "定下一季度范围"),
            ("date", "2030-01-07"), ("start", "09:00"), ("end", "10:00"),
            ("room_id", &room), ("equipment", "投影仪，白板"),
            ("role_attendee", "E2, 周参会"), ("role_recorder", "E6"),
            ("agenda_title_0", "需求回顾"), ("agenda_presenter_0", "李参会"), ("agenda_minutes_0", "20"),
            ("agenda_title_1", "排期"), ("agenda_minutes_1", "30"),
            ("material_title_0", "需求清单"), ("material_url_0", "https://docs.example.com/req"),
            ("action", "draft"),
        ]);

        // No host, an unknown person, an agenda longer than the meeting: the form comes back
        // filled in, with what to fix, and nothing is stored.
        let mut bad = fields.clone();
        bad.push(("role_informed".into(), "E404".into()));
        bad.push(("agenda_minutes_2".into(), "20".into()));
        bad.push(("agenda_title_2".into(), "加时".into()));
        let refused = post_pairs(&mut desk, "/console/meetings", &bad).await;
        assert_eq!(refused.status, 422, "{}", refused.body);
        assert!(refused.body.contains("请填写主持人") && refused.body.contains("找不到「E404」"), "{}", refused.body);
        assert!(refused.body.contains("value=\"产品评审会\""), "the form keeps what was typed");
        let none = app.admin_read("/meetings").await;
        assert_eq!(none, json!([]));
        fields.push(("role_host".into(), "王主持".into()));
        let long = [fields.clone(), form_of(&[("agenda_title_2", "加时"), ("agenda_minutes_2", "20")])].concat();
        let refused = post_pairs(&mut desk, "/console/meetings", &long).await;
        assert_eq!(refused.status, 422);
        assert!(refused.body.contains("议程共 70 分钟，超过会议时长 60 分钟"), "in words: {}", refused.body);

        let created = post_pairs(&mut desk, "/console/meetings", &fields).await;
        assert_eq!(created.status, 303, "{}", created.body);
        let at = created.location.unwrap();
        let id: i64 = at.rsplit('/').next().unwrap().parse().unwrap();
        let page = desk.get(&at).await;
        assert_eq!(page.status, 200, "{}", page.body);
        assert!(page.body.contains("会议室只能容纳 2 人，邀请了 4 人"), "{}", page.body);
        assert!(page.body.contains("会议室缺少：投影仪"), "{}", page.body);
        let (_, m) = app.read_meeting(id).await;
        assert_eq!(m["status"], "draft");
        assert_eq!(m["starts_at"], "2030-01-07T01:00:00Z", "09:00 in Asia/Shanghai: {m}");
        assert!(m["roles"].as_array().unwrap().contains(&json!({"person_id": org, "role": "organizer"})),
                "the organizer who made it organizes it: {m}");
        assert_eq!(m["agenda"].as_array().unwrap().len(), 2);
        assert_eq!(m["materials"][0]["title"], "需求清单");

        // Published: the invited are told (the outbox holds their invitations).
        let token = csrf(&page.body);
        let published = desk.post(&format!("/console/meetings/{id}/publish"), &[("csrf", &token)]).await;
        assert_eq!(published.status, 303, "{}", published.body);
        let (_, m) = app.read_meeting(id).await;
        assert_eq!(m["status"], "scheduled");
        let invitations = app
            .db
            .run(move |c| huiwu::db::outbox::for_meeting(c, typed(id)))
            .await
            .unwrap()
            .into_iter()
            .filter(|r| r.kind == huiwu::meetings::notice_kind::NoticeKind::Invitation)
            .count();
        assert_eq!(invitations, 4, "host, two attendees and the recorder");

        // Every change names who made it.
        let log = app.audit_log(&format!("meeting_id={id}")).await;
        let actions: Vec<(&str, &str)> = log.as_array().unwrap().iter()
            .map(|e| (e["actor"].as_str().unwrap(), e["action"].as_str().unwrap())).collect();
        let me = format!("person:{org}");
        assert_eq!(actions, vec![(me.as_str(), "publish_meeting"), (me.as_str(), "create_meeting")]);

        // The attendance report as CSV, for Excel.
        let csv = desk.get(&format!("/console/meetings/{id}/reports/attendance.csv")).await;
        assert_eq!(csv.status, 200);
        assert!(csv.content_type.starts_with("text/csv"), "{}", csv.content_type);
        assert!(csv.bytes.starts_with(b"\xEF\xBB\xBF"), "a BOM first");
        assert!(csv.body.contains("姓名,工号,部门,回复,请假原因,签到时间,出席"));
        assert!(csv.body.contains("李参会,E2,产品部,pending,,,未到"), "expected, not yet absent: {}", csv.body);

        // Cancelling needs a reason.
        let page = desk.get(&at).await;
        let token = csrf(&page.body);
        let no_reason = desk.post(&format!("/console/meetings/{id}/cancel"), &[("csrf", &token), ("reason", " ")]).await;
        assert_eq!(no_reason.status, 422, "{}", no_reason.body);
        let cancelled = desk.post(&format!("/console/meetings/{id}/cancel"), &[("csrf", &token), ("reason", "改期")]).await;
        assert_eq!(cancelled.status, 303);
        let (_, m) = app.read_meeting(id).await;
        assert_eq!(m["status"], "cancelled");
    }

    async fn a_change_after_publishing_tells_the_invited_once_and_a_stale_form_changes_nothing(backend: Backend) {
        let (app, _platform) = app_with_platform(backend).await;
        let org = app.person("E6").named("会务小刘").openid("o_org").with("is_organizer", true).await;
        let host = app.person("E1").named("王主持").await;
        let alice = app.person("E2").named("李参会").await;
        let bob = app.person("E3").named("周参会").await;
        let id = meeting(&app, "周会", false, json!([{"person_id": host, "role": "host"},
            {"person_id": org, "role": "organizer"}, {"person_id": alice, "role": "attendee"}])).await;
        let mut desk = organizer_desk(&app, "o_org").await;
        let edit = desk.get(&format!("/console/meetings/{id}/edit")).await;
        assert_eq!(edit.status, 200, "{}", edit.body);
        // People by name, with their number as the hint that tells two of one name apart.
        for shown in ["value=\"周会\"", "value=\"2030-01-07\"", "value=\"09:00\"", "value=\"王主持（E1）\"", "value=\"进展\""] {
            assert!(edit.body.contains(shown), "{shown}: {}", edit.body);
        }
        let version = edit.body.split("name=\"version\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
        let token = csrf(&edit.body);
        // Bob joins, Alice leaves, the meeting runs half an hour longer.
        let changed = form_of(&[
            ("csrf", &token), ("version", &version), ("title", "周会"), ("goal", "对齐计划"),
            ("date", "2030-01-07"), ("start", "09:00"), ("end", "10:30"), ("place", "3楼"),
            ("role_host", "王主持（E1）"), ("role_organizer", "E6"), ("role_attendee", "周参会(E3)"),
            ("agenda_title_0", "进展"), ("agenda_minutes_0", "20"), ("action", "save"),
        ]);
        let saved = post_pairs(&mut desk, &format!("/console/meetings/{id}"), &changed).await;
        assert_eq!((saved.status, saved.location.as_deref()), (303, Some(format!("/console/meetings/{id}").as_str())), "{}", saved.body);
        let (_, m) = app.read_meeting(id).await;
        assert_eq!(m["ends_at"], "2030-01-07T02:30:00Z");
        let rows = app.db.run(move |c| huiwu::db::outbox::for_meeting(c, typed(id))).await.unwrap();
        let sent = |kind: huiwu::meetings::notice_kind::NoticeKind| {
            let mut to: Vec<i64> = rows.iter().filter(|r| r.kind == kind).filter_map(|r| r.person_id.map(|p| p.get())).collect();
            to.sort();
            to
        };
        use huiwu::meetings::notice_kind::NoticeKind;
        assert_eq!(sent(NoticeKind::Change), {let mut v = vec![host, org]; v.sort(); v}, "one change notice each");
        assert!(sent(NoticeKind::Invitation).contains(&bob));
        assert_eq!(sent(NoticeKind::Uninvited), vec![alice]);

        // The same (now stale) form again: refused, nothing changed.
        let mut stale = changed.clone();
        stale.retain(|(k, _)| k != "end");
        stale.push(("end".into(), "11:00".into()));
        let refused = post_pairs(&mut desk, &format!("/console/meetings/{id}"), &stale).await;
        assert_eq!(refused.status, 409, "{}", refused.body);
        assert!(refused.body.contains("会议在你打开表单之后已被修改"), "{}", refused.body);
        let (_, m) = app.read_meeting(id).await;
        assert_eq!(m["ends_at"], "2030-01-07T02:30:00Z", "not overwritten");

        // The API's way: the version read, sent back as If-Match.
        let version = m["version"].as_str().unwrap().to_owned();
        assert_ne!(version, "", "{m}");
        let patch = |tag: &str, title: &str| {
            app.client
                .patch(format!("{}/api/v1/meetings/{id}", app.base))
                .bearer_auth(ADMIN_TOKEN)
                .header("If-Match", format!("\"{tag}\""))
                .json(&json!({"title": title}))
                .send()
        };
        let stale = patch("0123456789abcdef01234567", "抢先改名").await.unwrap();
        assert_eq!(stale.status().as_u16(), 412);
        let fresh = patch(&version, "周例会").await.unwrap();
        assert_eq!(fresh.status().as_u16(), 200);
        let again = patch(&version, "再改一次").await.unwrap();
        assert_eq!(again.status().as_u16(), 412, "the version moved on");
        // RFC 9110's other forms: `*` (any version), a list, and a weak tag (never a match).
        let raw = |value: String, title: &'static str| {
            app.client
                .patch(format!("{}/api/v1/meetings/{id}", app.base))
                .bearer_auth(ADMIN_TOKEN)
                .header("If-Match", value)
                .json(&json!({"title": title}))
                .send()
        };
        assert_eq!(raw("*".into(), "周例会").await.unwrap().status().as_u16(), 200);
        let (_, m) = app.read_meeting(id).await;
        let current = m["version"].as_str().unwrap().to_owned();
        assert_eq!(raw(format!("W/\"{current}\""), "弱比较").await.unwrap().status().as_u16(), 412);
        assert_eq!(raw(format!("\"{version}\", \"{current}\""), "周例会（改）").await.unwrap().status().as_u16(), 200, "one of the listed versions");
        // What an attacker might send: only an admin may send it at all; bytes that are not
        // text, a thousand tags, empty tags and stray commas name no version (412, never a
        // 5xx); a `*` anywhere in the list is still "any version".
        let anyone = app.client.patch(format!("{}/api/v1/meetings/{id}", app.base))
            .header("If-Match", "*").json(&json!({"title": "冒名"})).send().await.unwrap();
        assert_eq!(anyone.status().as_u16(), 401);
        let bytes = app.client.patch(format!("{}/api/v1/meetings/{id}", app.base)).bearer_auth(ADMIN_TOKEN)
            .header("If-Match", reqwest::header::HeaderValue::from_bytes(b"\"\xff\xfe\"").unwrap())
            .json(&json!({"title": "乱码"})).send().await.unwrap();
        assert_eq!(bytes.status().as_u16(), 412);
        let many = (0..1000).map(|i| format!("\"{i:024x}\"")).collect::<Vec<_>>().join(", ");
        assert_eq!(raw(many, "一千个").await.unwrap().status().as_u16(), 412);
        assert_eq!(raw(",, ,\"\"".into(), "空的").await.unwrap().status().as_u16(), 412);
        assert_eq!(raw("\"stale\", *".into(), "周例会").await.unwrap().status().as_u16(), 200);
        let (_, m) = app.read_meeting(id).await;
        assert_eq!(m["title"], "周例会", "none of the refused ones changed it");
        // A change that could not be made anyway says so, whatever version it names.
        let broken = app
            .client
            .patch(format!("{}/api/v1/meetings/{id}", app.base))
            .bearer_auth(ADMIN_TOKEN)
            .header("If-Match", "Z]")
            .json(&json!({"ends_at": "2024-01-01T12:99:00Z"}))
            .send()
            .await
            .unwrap();
        assert_eq!(broken.status().as_u16(), 422);
    }

    async fn reports_show_feedback_deliveries_and_tasks_each_also_as_csv(backend: Backend) {
        // 08:50 on the meeting's day.
        let clock = std::sync::Arc::new(huiwu::clock::ManualClock::new(
            chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2030, 1, 7, 0, 50, 0).unwrap(),
        ));
        let (app, _platform) = crate::pages::app_at(backend, Some(clock.clone())).await;
        let host = app.person("E1").named("王主持").openid("o_host").await;
        let alice = app.person("E2").named("李参会").openid("o_alice").await;
        let carol = app.person("E4").named("=赵无号").await;
        let id = meeting(&app, "复盘会", false, json!([{"person_id": host, "role": "host"},
            {"person_id": alice, "role": "attendee"}, {"person_id": carol, "role": "attendee"}])).await;
        let say = |from: &'static str, text: String| {
            let app = &app;
            async move { reply_content(&app.act(&app.oa(), from, huiwu::sim::SimAction::Text(text)).await) }
        };
        say("o_host", format!("开始 {id}")).await;
        say("o_host", format!("记录 #{id} 上线延期一周")).await;
        assert!(say("o_host", format!("任务 #{id} E2 2030-01-08 补测试")).await.contains("任务 #"));
        say("o_alice", "进展 1 写了一半".to_owned()).await;
        say("o_host", format!("结束 {id}")).await;
        say("o_alice", format!("反馈 {id} 4 节奏好")).await;
        // Two days on, the task is a day overdue.
        clock.set(chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2030, 1, 9, 2, 0, 0).unwrap());

        let mut desk = Browser::new(&app, DESK);
        desk.post("/console/sign-in", &[("token", ADMIN_TOKEN)]).await;
        let page = desk.get(&format!("/console/meetings/{id}")).await;
        assert!(page.body.contains("上线延期一周") && page.body.contains("/minutes/1"), "{}", page.body);
        let token = csrf(&page.body);
        let fixed = desk.post(&format!("/console/meetings/{id}/minutes/1"), &[("csrf", &token), ("text", "上线延期两周")]).await;
        assert_eq!(fixed.status, 303, "{}", fixed.body);
        assert_eq!(desk.post(&format!("/console/meetings/{id}/minutes/1"), &[("csrf", &token), ("text", " ")]).await.status, 422);

        let reports = desk.get(&format!("/console/meetings/{id}/reports")).await;
        assert_eq!(reports.status, 200, "{}", reports.body);
        assert!(reports.body.contains("1 人评分，平均 4.0 分") && reports.body.contains("节奏好"), "{}", reports.body);
        assert!(reports.body.contains("=赵无号（E4）") && reports.body.contains("无法送达"), "{}", reports.body);
        assert!(reports.body.contains("会议邀请") && reports.body.contains("无渠道"), "kinds and channels in words: {}", reports.body);
        assert!(reports.body.contains("补测试") && reports.body.contains("逾期 1 天") && reports.body.contains("写了一半"), "{}", reports.body);

        let csv = |kind: &str| format!("/console/meetings/{id}/reports/{kind}.csv");
        let tasks = desk.get(&csv("tasks")).await;
        assert!(tasks.bytes.starts_with(b"\xEF\xBB\xBF"));
        assert!(tasks.body.contains("1,补测试,李参会,2030-01-08,进行中,1,"), "{}", tasks.body);
        let deliveries = desk.get(&csv("deliveries")).await;
        assert!(deliveries.body.contains("'=赵无号（E4）"), "a name is never a formula: {}", deliveries.body);
        let feedback = desk.get(&csv("feedback")).await;
        assert!(feedback.body.contains("4 分,1") && feedback.body.contains("意见,节奏好"), "{}", feedback.body);
        assert_eq!(desk.get(&csv("secrets")).await.status, 404);
    }

    async fn admins_manage_people_rooms_and_door_screens(backend: Backend) {
        let (app, _platform) = app_with_platform(backend).await;
        let org = app.person("E6").named("会务小刘").openid("o_org").with("is_organizer", true).await;
        let li = app.person("E2").named("李四").wecom("lisi").await;
        let zhang = app.person("E3").named("张三").await;
        let mut desk = Browser::new(&app, DESK);
        desk.post("/console/sign-in", &[("token", ADMIN_TOKEN)]).await;
        let rooms = desk.get("/console/rooms").await;
        let token = csrf(&rooms.body);
        let bad = desk.post("/console/rooms", &[("csrf", &token), ("name", "大会议室"), ("capacity", "lots")]).await;
        assert_eq!(bad.status, 422);
        assert!(bad.body.contains("容纳人数") && bad.body.contains("value=\"大会议室\""), "{}", bad.body);
        let made = desk.post("/console/rooms", &[("csrf", &token), ("name", "大会议室"), ("capacity", "30"), ("equipment", "投影仪，白板")]).await;
        assert_eq!(made.status, 303, "{}", made.body);
        let at = made.location.unwrap();
        let room: i64 = at.rsplit('/').next().unwrap().parse().unwrap();
        let saved = desk.post(&at, &[("csrf", &token), ("name", "大会议室"), ("capacity", "40"), ("equipment", "投影仪")]).await;
        assert_eq!(saved.status, 303);
        let r = app.read_room(room).await;
        assert_eq!((r["capacity"].clone(), r["equipment"].clone()), (json!(40), json!(["投影仪"])));

        // The door screen: a link shown once, revoked at will.
        let issued = desk.post(&format!("{at}/display-key"), &[("csrf", &token)]).await;
        assert_eq!(issued.status, 200);
        let url = issued.body.split("id=\"screen-url\" href=\"").nth(1).unwrap().split('"').next().unwrap().replace("&amp;", "&");
        let screen = Browser::new(&app, DESK).get(&url).await;
        assert_eq!(screen.status, 200, "{}", screen.body);
        assert_eq!(desk.post(&format!("{at}/display-key/revoke"), &[("csrf", &token)]).await.status, 303);
        assert_eq!(Browser::new(&app, DESK).get(&url).await.status, 404, "revoked");
        assert!(desk.get("/console/rooms?q=%E5%A4%A7").await.body.contains("大会议室"), "found by name");
        assert!(!desk.get("/console/rooms?q=zzz").await.body.contains("大会议室"));
        assert_eq!(desk.post(&format!("{at}/deactivate"), &[("csrf", &token)]).await.status, 303);
        let r = app.read_room(room).await;
        assert_eq!(r["active"], false);

        // People: flags, refusals, deactivation.
        let edit = desk.get(&format!("/console/people/{zhang}")).await;
        assert!(edit.body.contains("value=\"张三\""), "{}", edit.body);
        let taken = desk.post(&format!("/console/people/{zhang}"), &[("csrf", &token), ("name", "张三"), ("wecom_userid", "lisi")]).await;
        assert_eq!(taken.status, 422);
        assert!(taken.body.contains("企业微信已被别人使用"), "in words: {}", taken.body);
        let blank = desk.post(&format!("/console/people/{zhang}"), &[("csrf", &token), ("name", " ")]).await;
        assert_eq!(blank.status, 422);
        let ok = desk.post(&format!("/console/people/{zhang}"), &[("csrf", &token), ("name", "张三丰"), ("department", "行政部"), ("is_organizer", "on")]).await;
        assert_eq!(ok.status, 303, "{}", ok.body);
        let p = app.read_user(zhang).await;
        assert_eq!((p["name"].clone(), p["is_organizer"].clone(), p["is_admin"].clone()), (json!("张三丰"), json!(true), json!(false)));
        assert_eq!(desk.post(&format!("/console/people/{li}/deactivate"), &[("csrf", &token)]).await.status, 303);
        let p = app.read_user(li).await;
        assert_eq!(p["active"], false);
        assert_eq!(desk.get("/console/people/999").await.status, 404);
        let log = app.audit_log("").await;
        let actions: Vec<&str> = log.as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
        for action in [format!("update_person:{zhang}"), format!("deactivate_person:{li}"), format!("issue_display_key:{room}"), format!("create_room:{room}")] {
            assert!(actions.contains(&action.as_str()), "{action}: {actions:?}");
        }

        // An organizer looks at rooms and people but changes neither.
        let mut org_desk = organizer_desk(&app, "o_org").await;
        assert_eq!(org_desk.get("/console/rooms").await.status, 200);
        assert_eq!(org_desk.get(&format!("/console/rooms/{room}")).await.status, 403);
        assert_eq!(org_desk.get(&format!("/console/people/{org}")).await.status, 403);
        // Nor the audit log, whatever it asks for.
        for query in ["", "?who=admin", "?who=E6&action=update_"] {
            assert_eq!(org_desk.get(&format!("/console/audit{query}")).await.status, 403, "{query}");
        }
        let page = org_desk.get("/console/rooms").await;
        let token = csrf(&page.body);
        assert_eq!(org_desk.post("/console/rooms", &[("csrf", &token), ("name", "小屋"), ("capacity", "2")]).await.status, 403);
    }

    async fn organizers_keep_the_checklist_in_the_console(backend: Backend) {
        let (app, _platform) = app_with_platform(backend).await;
        let host = app.person("E1").named("王主持").await;
        let org = app.person("E6").named("会务小刘").openid("o_org").with("is_organizer", true).await;
        let id = meeting(&app, "周会", false, json!([{"person_id": host, "role": "host"}, {"person_id": org, "role": "organizer"}])).await;
        let mut desk = organizer_desk(&app, "o_org").await;
        let page = desk.get(&format!("/console/meetings/{id}")).await;
        assert!(page.body.contains("筹备清单") && page.body.contains("会场布置"), "made at publishing: {}", page.body);
        let token = csrf(&page.body);
        let add = |date: &'static str| [("csrf", token.clone()), ("title", "茶歇".to_owned()), ("owner", "E1".to_owned()), ("date", date.to_owned()), ("time", "08:00".to_owned())];
        let form = add("2030-01-07");
        let added = desk.post(&format!("/console/meetings/{id}/checklist"), &form.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>()).await;
        assert_eq!(added.status, 303, "{}", added.body);
        let after_start = add("2030-01-08");
        let late = desk.post(&format!("/console/meetings/{id}/checklist"), &after_start.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>()).await;
        assert_eq!(late.status, 422, "due after the start: {}", late.body);
        let (_, items) = app.checklist(id).await;
        let tea = items.as_array().unwrap().iter().find(|i| i["title"] == "茶歇").unwrap()["id"].as_i64().unwrap();
        let changed = desk.post(&format!("/console/checklist/{tea}"), &[("csrf", &token), ("title", "茶歇与签到台"), ("owner", "会务小刘"), ("date", "2030-01-07"), ("time", "08:30")]).await;
        assert_eq!(changed.status, 303, "{}", changed.body);
        let (_, items) = app.checklist(id).await;
        let tea_now = items.as_array().unwrap().iter().find(|i| i["id"] == tea).unwrap().clone();
        assert_eq!((tea_now["title"].clone(), tea_now["owner_id"].clone(), tea_now["due_at"].clone()), (json!("茶歇与签到台"), json!(org), json!("2030-01-07T00:30:00Z")));
        assert_eq!(desk.post(&format!("/console/checklist/{tea}/remove"), &[("csrf", &token)]).await.status, 303);
        assert_eq!(desk.post(&format!("/console/checklist/{tea}/remove"), &[("csrf", &token)]).await.status, 404);
    }

    async fn organizers_see_only_their_meetings_and_lose_the_console_with_their_flag(backend: Backend) {
        let (app, _platform) = app_with_platform(backend).await;
        let host = app.person("E1").named("王主持").await;
        let org = app.person("E6").named("会务小刘").openid("o_org").with("is_organizer", true).await;
        let secret = meeting(&app, "保密的会", true, json!([{"person_id": host, "role": "host"}])).await;
        let mine = meeting(&app, "我的会", false, json!([{"person_id": host, "role": "host"}, {"person_id": org, "role": "organizer"}])).await;
        let mut desk = organizer_desk(&app, "o_org").await;
        assert_eq!(desk.get(&format!("/console/meetings/{secret}")).await.status, 404, "reveals nothing");
        assert_eq!(desk.get(&format!("/console/meetings/{secret}/reports/attendance.csv")).await.status, 404);
        assert_eq!(desk.get(&format!("/console/meetings/{mine}/live")).await.status, 200);
        let week = desk.get("/console/week?start=2030-01-07").await;
        assert!(week.body.contains("我的会") && !week.body.contains("保密的会"), "{}", week.body);
        let bad = desk.get("/console?status=sleeping").await;
        assert_eq!(bad.status, 422);

        let (status, _) = app.update_user(org, json!({"is_organizer": false})).await;
        assert_eq!(status, 200);
        let gone = desk.get("/console").await;
        assert_eq!(gone.status, 403, "the flag counts at once: {}", gone.body);
    }

    async fn inside_wechat_the_silent_authorisation_opens_the_console(backend: Backend) {
        let (app, _platform) = app_with_platform(backend).await;
        app.person("E7").named("会务小李").openid("o_alice").with("is_organizer", true).await;
        let mut phone = Browser::new(&app, WECHAT_UA);
        phone.sign_in("/console/week?start=2030-01-07", "CODE_ALICE").await;
        let week = phone.get("/console/week?start=2030-01-07").await;
        assert_eq!(week.status, 200, "{}", week.body);
        assert!(week.body.contains("会务小李（会务组）"), "{}", week.body);
        // On a desktop, without a link: how to sign in, not a redirect.
        let desk = Browser::new(&app, DESK).get("/console").await;
        assert_eq!(desk.status, 403);
        assert!(desk.body.contains("发送「后台」") && desk.body.contains("/console/sign-in"), "{}", desk.body);
    }

    async fn organizers_import_people_from_gbk_csv_with_a_dry_run_first(backend: Backend) {
        let (app, _platform) = app_with_platform(backend).await;
        app.person("E6").named("会务小刘").openid("o_org").with("is_organizer", true).await;
        app.person("E2").named("李四").with("department", "人事部").await;
        let mut desk = organizer_desk(&app, "o_org").await;
        let page = desk.get("/console/people").await;
        assert_eq!(page.status, 200, "{}", page.body);
        let token = csrf(&page.body);
        let upload = |csv: Vec<u8>, dry: bool| {
            let boundary = "XhuiwuX";
            let mut body = Vec::new();
            let mut part = |name: &str, extra: &str, value: &[u8]| {
                body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"{extra}\r\n\r\n").as_bytes());
                body.extend_from_slice(value);
                body.extend_from_slice(b"\r\n");
            };
            part("csrf", "", token.as_bytes());
            if dry {
                part("dry_run", "", b"1");
            }
            part("file", "; filename=\"people.csv\"\r\nContent-Type: text/csv", &csv);
            body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
            reqwest::Client::new()
                .post(format!("{}/console/people/import", app.base))
                .header("content-type", format!("multipart/form-data; boundary={boundary}"))
                .body(body)
        };
        let (gbk, _, _) = encoding_rs::GBK.encode("姓名,工号,部门\r\n李四,E2,行政部\r\n孙七,E7,行政部\r\n");
        let dry = desk.send(upload(gbk.to_vec(), true)).await;
        assert_eq!(dry.status, 200, "{}", dry.body);
        assert!(dry.body.contains("试导入（未保存）：将新增 1 人，更新 1 人"), "{}", dry.body);
        assert!(dry.body.contains("更新：部门"), "{}", dry.body);
        assert!(!dry.body.contains("孙七"), "nothing kept");
        let done = desk.send(upload(gbk.to_vec(), false)).await;
        assert!(done.body.contains("已导入：新增 1 人，更新 1 人"), "{}", done.body);
        assert!(done.body.contains("孙七"), "{}", done.body);

        // An organizer grants no flags; an unreadable file changes nothing.
        let flags = desk.send(upload("姓名,工号,管理员\n赵八,E8,是\n".as_bytes().to_vec(), false)).await;
        assert!(flags.body.contains("失败 1 行") && flags.body.contains("只有管理员能设置管理员或会务组"), "{}", flags.body);
        let junk = desk.send(upload(vec![0xff, 0xfe, 0x00, 0x81], false)).await;
        assert_eq!(junk.status, 422);
        assert!(junk.body.contains("既不是 UTF-8 也不是 GBK"), "{}", junk.body);
        let found = desk.get("/console/people?q=%E8%A1%8C%E6%94%BF").await;
        assert!(found.body.contains("共 2 人"), "{}", found.body);
    }
}

on_both_backends! {
    async fn admins_edit_check_and_push_the_account_menus(backend: Backend) {
        use wiremock::matchers::{method, path, query_param};
        use wiremock::{Mock, MockServer, ResponseTemplate};
        let server = MockServer::start().await;
        Mock::given(method("POST")).and(path("/cgi-bin/stable_token"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"access_token": "T1", "expires_in": 7200})))
            .mount(&server).await;
        Mock::given(method("GET")).and(path("/cgi-bin/token"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"access_token": "T1", "expires_in": 7200})))
            .mount(&server).await;
        Mock::given(method("GET")).and(path("/cgi-bin/gettoken"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"errcode": 0, "access_token": "W1", "expires_in": 7200})))
            .mount(&server).await;
        Mock::given(method("GET")).and(path("/cgi-bin/get_current_selfmenu_info"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"is_menu_open": 1, "selfmenu_info": {"button": [{"name": "线上菜单", "type": "click", "key": "HELP"}]}})))
            .mount(&server).await;
        Mock::given(method("GET")).and(path("/cgi-bin/menu/get")).and(query_param("agentid", "1000002"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"errcode": 46003, "errmsg": "menu no exist"})))
            .mount(&server).await;
        Mock::given(method("POST")).and(path("/cgi-bin/menu/create"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"errcode": 0, "errmsg": "ok"})))
            .mount(&server).await;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("menu.toml");
        std::fs::copy(concat!(env!("CARGO_MANIFEST_DIR"), "/config/menu.toml"), &file).unwrap();
        let mut opts = TestOptions::new(backend);
        opts.api_base = server.uri();
        opts.outbox_worker = false;
        opts.extra_config = format!("[web]\nmenu_file = '{}'\n", file.display());
        let app = spawn(opts).await;

        let mut desk = Browser::new(&app, DESK);
        desk.post("/console/sign-in", &[("token", ADMIN_TOKEN)]).await;
        let page = desk.get("/console/menu").await;
        assert_eq!(page.status, 200, "{}", page.body);
        assert!(page.body.contains("value=\"我的会议\"") && page.body.contains("value=\"MY_MEETINGS\""), "the file's buttons: {}", page.body);
        assert!(page.body.contains("线上菜单"), "the live menu: {}", page.body);
        assert!(page.body.contains("还没有菜单（46003）") && !page.body.contains("menu no exist"), "in words: {}", page.body);
        let token = csrf(&page.body);
        let posted = || async {
            server.received_requests().await.unwrap_or_default().iter()
                .filter(|r| r.url.path() == "/cgi-bin/menu/create")
                .map(|r| (r.url.query().unwrap_or("").to_owned(), serde_json::from_slice::<serde_json::Value>(&r.body).unwrap()))
                .collect::<Vec<_>>()
        };

        let too_long = desk.post("/console/menu", &[("csrf", &token), ("action", "push_oa"),
            ("b0_name", "这是一个很长的菜单名"), ("b0_type", "click"), ("b0_value", "HELP")]).await;
        assert_eq!(too_long.status, 422);
        assert!(too_long.body.contains("30 字节，最多 16 字节"), "{}", too_long.body);
        assert!(posted().await.is_empty(), "nothing pushed");
        let no_key = desk.post("/console/menu", &[("csrf", &token), ("action", "check"), ("b0_name", "帮助"), ("b0_type", "click")]).await;
        assert_eq!(no_key.status, 422);

        let form = [("csrf", token.as_str()), ("b0_name", "会议"), ("b0_s0_name", "我的会议"), ("b0_s0_type", "click"),
            ("b0_s0_value", "MY_MEETINGS"), ("b1_name", "官网"), ("b1_type", "view"), ("b1_value", "https://example.com/")];
        let checked = desk.post("/console/menu", &[&form[..], &[("action", "check")]].concat()).await;
        assert_eq!(checked.status, 200);
        assert!(checked.body.contains("菜单有效：2 个一级菜单"), "{}", checked.body);
        assert!(posted().await.is_empty(), "a check pushes nothing");
        let pushed = desk.post("/console/menu", &[&form[..], &[("action", "push_oa")]].concat()).await;
        assert!(pushed.body.contains("已推送到公众号，并保存到菜单文件"), "{}", pushed.body);
        let saved = huiwu::wechat::menu::Menu::parse(&std::fs::read_to_string(&file).unwrap()).unwrap();
        assert_eq!(saved.button[1].url.as_deref(), Some("https://example.com/"));
        let wecom = desk.post("/console/menu", &[&form[..], &[("action", "push_wecom")]].concat()).await;
        assert!(wecom.body.contains("已推送到企业微信应用"), "{}", wecom.body);
        let sent = posted().await;
        assert_eq!(sent.len(), 2);
        assert_eq!(sent[0].1["button"][0]["sub_button"][0]["key"], "MY_MEETINGS");
        assert!(sent[1].0.contains("agentid=1000002"), "{}", sent[1].0);

        // The audit log shows both pushes, by the built-in administrator.
        let log = desk.get("/console/audit?action=push_").await;
        assert_eq!(log.status, 200, "{}", log.body);
        assert!(log.body.contains("push_oa") && log.body.contains("push_wecom") && log.body.contains("内置管理员"), "{}", log.body);
        assert!(log.body.contains("修改 · 推送公众号菜单"), "in words, the code beside: {}", log.body);
        let narrowed = desk.get("/console/audit?action=push_w").await;
        assert!(!narrowed.body.contains("push_oa"), "{}", narrowed.body);
        assert_eq!(desk.get("/console/audit?meeting=abc").await.status, 422);
        let (status, api) = app.admin(reqwest::Method::GET, "/audit?action=push_oa&actor=admin", None).await;
        assert_eq!((status, api.as_array().map(Vec::len)), (200, Some(1)), "{api}");
        let (status, _) = app.admin(reqwest::Method::GET, "/audit?actor=someone", None).await;
        assert_eq!(status, 422);
        // Who is named is read as a person or the token, never as a pattern: an unknown number,
        // a stored actor of another kind or markup shows nothing and echoes nothing raw.
        for junk in ["person:0", "person:012", "person:1234567890123456789", "openid:o_x", "scheduler", "admin%00"] {
            let (status, _) = app.admin(reqwest::Method::GET, &format!("/audit?actor={junk}"), None).await;
            assert_eq!(status, 422, "{junk}");
        }
        let (status, mine) = app.admin(reqwest::Method::GET, "/audit?actor=person:999", None).await;
        assert_eq!((status, mine.as_array().map(Vec::len)), (200, Some(0)), "{mine}");
        for who in ["E999", "person:1", "%25", "<script>x</script>"] {
            let page = desk.get(&format!("/console/audit?who={who}")).await;
            assert_eq!(page.status, 200, "{who}: {}", page.body);
            assert!(!page.body.contains("push_oa") && !page.body.contains("<script>x"), "{who}: {}", page.body);
        }
        let everyone = desk.get("/console/audit?who=admin").await;
        assert!(everyone.body.contains("push_oa"), "{}", everyone.body);
        // The action filter as an attacker writes it: empty, too long, NUL, a pattern. Refused
        // with a reason, or read as the literal start of a name, on both doors.
        let longest = "审".repeat(64);
        let too_long = format!("{longest}x");
        for bad in ["", too_long.as_str(), "push%00"] {
            let (status, body) = app.admin(reqwest::Method::GET, &format!("/audit?action={bad}"), None).await;
            assert_eq!(status, 422, "{bad}: {body}");
            assert!(body.to_string().contains("1 to 64 characters"), "{body}");
        }
        for (bad, why) in [(too_long.as_str(), "操作名最多 64 个字符"), ("push%00", "不允许的控制字符")] {
            let page = desk.get(&format!("/console/audit?action={bad}")).await;
            assert_eq!(page.status, 422, "{bad}: {}", page.body);
            assert!(page.body.contains(why), "{}", page.body);
        }
        for pattern in ["%25", "_", "%25push", "\\"] {
            let (status, api) = app.admin(reqwest::Method::GET, &format!("/audit?action={pattern}"), None).await;
            assert_eq!((status, api.as_array().map(Vec::len)), (200, Some(0)), "{pattern}: {api}");
            let page = desk.get(&format!("/console/audit?action={pattern}")).await;
            assert!(page.status == 200 && !page.body.contains("push_oa"), "{pattern}: {}", page.body);
        }
        assert_eq!(app.admin(reqwest::Method::GET, &format!("/audit?action={longest}"), None).await.0, 200);
        assert_eq!(app.get("/api/v1/audit?action=push_").await.status, 401, "no token, no log");

        // The same through the admin API.
        let (status, state) = app.admin(reqwest::Method::GET, "/menu", None).await;
        assert_eq!(status, 200);
        assert_eq!(state["file"]["button"][1]["url"], "https://example.com/", "{state}");
        assert_eq!(state["official_account"]["selfmenu_info"]["button"][0]["name"], "线上菜单");
        let bad = json!({"button": [{"name": "这是一个很长的菜单名", "type": "click", "key": "HELP"}]});
        let (status, body) = app.admin(reqwest::Method::POST, "/menu/check", Some(bad.clone())).await;
        assert_eq!(status, 422, "{body}");
        assert!(body["error"]["details"][0]["message"].as_str().unwrap().contains("30 bytes"), "{body}");
        let (status, _) = app.admin(reqwest::Method::PUT, "/menu", Some(bad)).await;
        assert_eq!(status, 422);
        let good = json!({"button": [{"name": "帮助", "type": "click", "key": "HELP"}]});
        let (status, body) = app.admin(reqwest::Method::PUT, "/menu?target=wecom", Some(good.clone())).await;
        assert_eq!((status, body["buttons"].clone()), (200, json!(1)), "{body}");
        let (status, _) = app.admin(reqwest::Method::PUT, "/menu?target=bogus", Some(good)).await;
        assert_eq!(status, 422);
        assert_eq!(posted().await.len(), 3);
    }
}

on_both_backends! {
    async fn the_console_warns_when_a_presenter_declines_without_sending_anyone(backend: Backend) {
        let (app, _platform) = app_with_platform(backend).await;
        let org = app.person("E6").named("会务小刘").openid("o_org").with("is_organizer", true).await;
        let yang = app.person("E7").named("杨帆").openid("o_yang").await;
        let lin = app.person("E8").named("林报告").openid("o_lin").await;
        let (status, m) = app.create_meeting(json!({
            "title": "季度复盘", "place": "3楼", "starts_at": "2030-01-07T09:00:00+08:00", "ends_at": "2030-01-07T10:00:00+08:00",
            "agenda": [{"title": "销售", "presenter_id": yang, "minutes": 20}, {"title": "研发", "presenter_id": lin, "minutes": 20}],
            "roles": [{"person_id": org, "role": "host"}, {"person_id": org, "role": "organizer"},
                      {"person_id": yang, "role": "attendee"}, {"person_id": lin, "role": "attendee"}],
        })).await;
        assert_eq!(status, 201, "{m}");
        let id = m["id"].as_i64().unwrap();
        app.publish(id).await;
        let say = |from: &'static str, text: String| {
            let app = &app;
            async move { reply_content(&app.act(&app.oa(), from, huiwu::sim::SimAction::Text(text)).await) }
        };
        say("o_yang", format!("请假 {id} 出差")).await;
        say("o_lin", format!("请假 {id} 病假")).await;
        say("o_lin", format!("委托 {id} 会务小刘")).await;
        let mut desk = organizer_desk(&app, "o_org").await;
        let page = desk.get(&format!("/console/meetings/{id}")).await;
        assert!(
            page.body.contains("第 1 项「销售」的报告人 杨帆 已请假（出差），没有委托他人"),
            "{}", page.body
        );
        assert!(!page.body.contains("「研发」的报告人"), "a delegate took that item over: {}", page.body);
    }
}

on_both_backends! {
    async fn the_week_is_a_time_grid_per_room_whose_empty_slots_create_and_whose_finder_finds(backend: Backend) {
        let clock = std::sync::Arc::new(huiwu::clock::ManualClock::new(
            chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2030, 1, 7, 0, 0, 0).unwrap(),
        ));
        let (app, _platform) = crate::pages::app_at(backend, Some(clock)).await;
        let org = app.person("E6").named("会务小刘").openid("o_org").with("is_organizer", true).await;
        let host = app.person("E1").named("王主持").await;
        let (_, room) = app.create_room(json!({"name": "3楼大会议室", "capacity": 12})).await;
        let room = room["id"].as_i64().unwrap();
        let (_, other) = app.create_room(json!({"name": "5楼小会议室", "capacity": 4})).await;
        let other = other["id"].as_i64().unwrap();
        let create = |title: &'static str, confidential: bool, start: &'static str, end: &'static str, roles: serde_json::Value| {
            let app = &app;
            async move {
                let (status, m) = app.create_meeting(json!({
                    "title": title, "room_id": room, "confidential": confidential,
                    "starts_at": start, "ends_at": end, "roles": roles,
                })).await;
                assert_eq!(status, 201, "{m}");
                m["id"].as_i64().unwrap()
            }
        };
        let mine = json!([{"person_id": org, "role": "organizer"}, {"person_id": host, "role": "host"}]);
        let published = create("周会", false, "2030-01-07T10:00:00+08:00", "2030-01-07T11:00:00+08:00", mine.clone()).await;
        app.publish(published).await;
        create("预算草稿", false, "2030-01-08T14:00:00+08:00", "2030-01-08T15:30:00+08:00", mine.clone()).await;
        let hidden = create("人事调整", true, "2030-01-09T09:00:00+08:00", "2030-01-09T10:00:00+08:00", json!([{"person_id": host, "role": "host"}])).await;
        app.publish(hidden).await;

        let mut desk = organizer_desk(&app, "o_org").await;
        let week = desk.get(&format!("/console/week?room={room}")).await;
        assert_eq!(week.status, 200, "{}", week.body);
        assert!(week.body.contains("<th class=\"today\">周一<br>1月7日 今天</th>"), "{}", week.body);
        assert!(week.body.contains("rowspan=\"2\"") && week.body.contains(">周会</a>"), "an hour is two rows: {}", week.body);
        assert!(week.body.contains("rowspan=\"3\"") && week.body.contains("预算草稿</a> <span class=\"badge\">草稿"), "{}", week.body);
        assert!(week.body.contains("已占用") && !week.body.contains("人事调整"), "someone else's confidential meeting: taken, not named");
        let slot = format!("/console/meetings/new?date=2030-01-10&amp;start=15:00&amp;room={room}");
        assert!(week.body.contains(&slot), "an empty slot creates: {}", week.body);
        let before = "/console/meetings/new?date=2030-01-07&amp;start=07:30";
        assert!(!week.body.contains(before), "not in the past");
        let other_room = desk.get(&format!("/console/week?room={other}")).await;
        assert!(!other_room.body.contains(">周会</a>"), "one room's grid");

        let new = desk.get(&slot.replace("&amp;", "&")).await;
        assert!(new.body.contains("value=\"2030-01-10\"") && new.body.contains("value=\"15:00\"") && new.body.contains("value=\"16:00\""), "{}", new.body);
        assert!(new.body.contains(&format!("value=\"{room}\" checked")), "{}", new.body);
        let publish_first = new.body.find("保存并发布").unwrap() < new.body.find("保存草稿").unwrap();
        assert!(publish_first && new.body.contains("id=\"save-publish\" name=\"action\" value=\"publish\">"), "保存并发布 is the primary button");

        // The host is busy 10–11 on Monday and the room is taken on Wednesday morning.
        let found = desk.get(&format!("/console/week?room={room}&people=%E7%8E%8B%E4%B8%BB%E6%8C%81&minutes=60")).await;
        let free = found.body.split("id=\"free-times\"").nth(1).unwrap_or_else(|| panic!("{}", found.body));
        assert!(free.contains("周一 1月7日："), "{free}");
        let monday = free.split("周二").next().unwrap();
        assert!(monday.contains(">09:00–10:00<") && monday.contains(">11:00–18:00<"), "{monday}");
        let wednesday = free.split("周三").nth(1).unwrap().split("周四").next().unwrap();
        assert!(wednesday.contains(">10:00–18:00<") && !wednesday.contains(">09:00"), "the room is taken 09–10: {wednesday}");
        let unknown = desk.get(&format!("/console/week?room={room}&people=%E6%97%A0%E5%90%8D")).await;
        assert!(unknown.body.contains("找不到「无名」"), "{}", unknown.body);

        let page = desk.get(&format!("/console/meetings/{published}")).await;
        let notified = page.body.split("id=\"notified\"").nth(1).unwrap().split("</p>").next().unwrap().to_owned();
        assert_eq!(notified, " class=\"warn\">已通知 1 人（1 人无法送达：王主持（未绑定微信或企业微信））");
    }
}

on_both_backends! {
    async fn the_live_board_checks_people_in_and_names_the_absent_the_questions_and_the_votes(backend: Backend) {
        let clock = std::sync::Arc::new(huiwu::clock::ManualClock::new(crate::chat::start()));
        let (app, _platform) = crate::pages::app_at(backend, Some(clock.clone())).await;
        let oa = app.oa();
        let chat = crate::chat::Chat { app, clock, oa };
        let app = &chat.app;
        let org = app.person("E6").named("会务小刘").openid("o_org").with("is_organizer", true).await;
        let host = app.person("E1").named("王主持").openid("o_host").await;
        let ann = app.person("E2").named("安来了").openid("o_ann").await;
        let ben = app.person("E3").named("本没来").openid("o_ben").await;
        let id = chat.meeting(json!([
            {"person_id": org, "role": "organizer"}, {"person_id": host, "role": "host"},
            {"person_id": ann, "role": "attendee"}, {"person_id": ben, "role": "attendee"},
        ]), false, false).await;
        crate::chat::contains(&chat.say("o_host", &format!("开始 {id}")).await, "已开始");
        let mut desk = organizer_desk(app, "o_org").await;
        let live = desk.get(&format!("/console/meetings/{id}/live")).await;
        assert!(live.body.contains("id=\"board\" data-refresh=") && live.body.contains("src=\"/static/meeting.js\""), "{}", live.body);
        assert_eq!(desk.post(&format!("/console/meetings/{id}/checkin"), &[("csrf", &csrf(&live.body))]).await.status, 422, "nobody ticked");
        let ann_box = format!("p{ann}");
        let done = desk.post(&format!("/console/meetings/{id}/checkin"), &[("csrf", &csrf(&live.body)), (&ann_box, "1")]).await;
        assert_eq!(done.status, 303, "{}", done.body);
        let after = desk.get(done.location.as_deref().unwrap()).await;
        assert!(after.body.contains("✓ 已代签。已签到 2/4 人"), "{}", after.body);

        crate::chat::contains(&chat.say("o_ann", "提问 预算何时定稿？").await, "已");
        crate::chat::contains(&chat.say("o_host", "决议 预算上调 5%").await, "决议");
        let entry = app.db.run(move |c| huiwu::db::minutes::list(c, typed(id))).await.unwrap()[0].id;
        crate::chat::contains(&chat.say("o_ann", &format!("异议 {entry} 太多")).await, "异议");
        let board = desk.get(&format!("/console/meetings/{id}/live/board")).await;
        assert!(board.body.starts_with("<div id=\"board\""), "the board alone: {}", board.body);
        assert!(board.body.contains("待答复提问 1 条"), "an organizer sees how many: {}", board.body);
        assert!(board.body.contains("同意 0，异议 1") && board.body.contains("安来了：太多"), "{}", board.body);

        chat.clock.set(crate::chat::start() + chrono::Duration::minutes(40));
        crate::chat::contains(&chat.say("o_host", "结束").await, "已结束");
        let ended = desk.get(&format!("/console/meetings/{id}/live")).await;
        assert!(ended.body.contains("缺席：会务小刘、本没来") || ended.body.contains("缺席：本没来、会务小刘"), "{}", ended.body);
        assert!(!ended.body.contains("console-checkin"), "nothing to check in once over");
    }
}

on_both_backends! {
    async fn a_meeting_that_repeats_is_made_a_series_from_the_form(backend: Backend) {
        let clock = std::sync::Arc::new(huiwu::clock::ManualClock::new(crate::chat::start()));
        let (app, _platform) = crate::pages::app_at(backend, Some(clock)).await;
        app.person("E6").named("会务小刘").openid("o_org").with("is_organizer", true).await;
        app.person("E1").named("王主持").await;
        let mut desk = organizer_desk(&app, "o_org").await;
        let form = desk.get("/console/meetings/new").await;
        assert!(form.body.contains("name=\"repeat\"") && form.body.contains("每两周"), "{}", form.body);
        let token = csrf(&form.body);
        let fields = |action: &'static str, count: &'static str| form_of(&[
            ("csrf", &token), ("title", "周例会"), ("date", "2026-12-08"), ("start", "09:00"), ("end", "10:00"),
            ("place", "3楼"), ("role_host", "王主持（E1）"), ("agenda_title_0", "进展"), ("agenda_minutes_0", "30"),
            ("repeat", "weekly"), ("repeat_count", count), ("action", action),
        ]);
        let draft = post_pairs(&mut desk, "/console/meetings", &fields("draft", "3")).await;
        assert_eq!(draft.status, 422);
        assert!(draft.body.contains("重复：例会保存后即发布各次会议"), "{}", draft.body);
        let open_ended = post_pairs(&mut desk, "/console/meetings", &fields("publish", "")).await;
        assert!(open_ended.body.contains("请填写「直到」的日期或次数") && open_ended.body.contains("value=\"周例会\""), "kept: {}", open_ended.body);
        let made = post_pairs(&mut desk, "/console/meetings", &fields("publish", "3")).await;
        assert_eq!(made.status, 303, "{}", made.body);
        let first = desk.get(made.location.as_deref().unwrap()).await;
        assert!(first.body.contains("例会：每周二 09:00–10:00，共 3 次"), "{}", first.body);
        let series = app.admin_read("/series").await;
        assert_eq!(series[0]["pattern"], "每周二 09:00–10:00，共 3 次", "{series}");
    }
}
