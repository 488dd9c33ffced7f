//! Nobody acts as someone else: each test is one way an attacker got in before (issue 26),
//! tried again the way they tried it: the organizer's import, the typed employee number, the
//! kept cookie, the slipped login link, the name with a line break, the client input that
//! made a 5xx, the missing headers, the unlimited guesses, the forwarded material link.

use crate::console::organizer_desk;
use crate::helpers::*;
use crate::pages::{app_at, app_with_platform, csrf, meeting, Browser, WECHAT_UA};
use huiwu::clock::ManualClock;
use huiwu::sim::SimAction;
use reqwest::Method;
use serde_json::json;
use std::sync::Arc;

const DESK: &str = "Mozilla/5.0 (Windows NT 10.0) Chrome/120";

fn a_monday_morning() -> chrono::DateTime<chrono::Utc> {
    chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 11, 30, 1, 0, 0).unwrap()
}

async fn say(app: &TestApp, from: &str, text: &str) -> String {
    reply_content(&app.act(&app.oa(), from, SimAction::Text(text.into())).await)
}

/// The console's people import, as the page's form sends it.
async fn import(app: &TestApp, desk: &mut Browser, csv: &str) -> crate::pages::Page {
    let page = desk.get("/console/people").await;
    assert_eq!(page.status, 200, "{}", page.body);
    let token = csrf(&page.body);
    let boundary = "XhuiwuX";
    let mut body = Vec::new();
    for (name, extra, value) in [
        ("csrf", "", token.as_bytes()),
        (
            "file",
            "; filename=\"p.csv\"\r\nContent-Type: text/csv",
            csv.as_bytes(),
        ),
    ] {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"{extra}\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(value);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    let request = desk
        .http()
        .post(format!("{}/console/people/import", app.base))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body);
    desk.send(request).await
}

async fn audit_actions(app: &TestApp) -> Vec<(String, String)> {
    app.audit_log("")
        .await
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["actor"].as_str().unwrap().to_owned(),
                e["action"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

on_both_backends! {
    async fn an_organizers_import_changes_no_binding_flag_or_staff_record(backend: Backend) {
        let (app, _platform) = app_with_platform(backend).await;
        let admin = app.person("E9").named("管理员老王").openid("o_admin").with("is_admin", true).await;
        app.person("E6").named("会务小刘").openid("o_org").with("is_organizer", true).await;
        let staff = app.person("E2").named("李四").openid("o_li").await;
        let mut desk = organizer_desk(&app, "o_org").await;

        // The attack as it was: the admin's number with the attacker's openid.
        let refused = import(&app, &mut desk, "name,employee_no,openid\r\n管理员老王,E9,o_attacker\r\n").await;
        assert_eq!(refused.status, 200, "{}", refused.body);
        assert!(refused.body.contains("失败 1 行"), "{}", refused.body);
        assert!(refused.body.contains("只有管理员能修改微信绑定"), "{}", refused.body);
        assert!(refused.body.contains("这是管理员或会务组成员，只有管理员能修改"), "{}", refused.body);
        assert_eq!(app.read_user(admin).await["openid"], "o_admin");
        assert!(say(&app, "o_attacker", "后台").await.contains("请先绑定工号"), "the attacker is nobody");

        // Nor a staff member's binding, nor the admin's name alone.
        let refused = import(&app, &mut desk, "姓名,工号,企业微信\r\n李四,E2,li.attacker\r\n").await;
        assert!(refused.body.contains("只有管理员能修改企业微信账号"), "{}", refused.body);
        assert_eq!(app.read_user(staff).await["wecom_userid"], serde_json::Value::Null);
        let refused = import(&app, &mut desk, "姓名,工号\r\n老王改名,E9\r\n").await;
        assert!(refused.body.contains("失败 1 行"), "{}", refused.body);
        assert_eq!(app.read_user(admin).await["name"], "管理员老王");
        // What organizers may do still works: a name and a department of staff.
        let fine = import(&app, &mut desk, "姓名,工号,部门\r\n李四,E2,行政部\r\n").await;
        assert!(fine.body.contains("更新 1 人"), "{}", fine.body);
    }

    async fn a_binding_changed_by_an_admin_is_audited_and_ends_the_persons_sessions(backend: Backend) {
        let (app, _platform) = app_with_platform(backend).await;
        let alice = app.person("E2").named("李参会").openid("o_alice").await;
        let mut phone = Browser::new(&app, WECHAT_UA);
        phone.sign_in("/me", "CODE_ALICE").await;
        assert_eq!(phone.get("/me").await.status, 200);

        let (status, body) = app.update_user(alice, json!({"openid": "o_alice_new"})).await;
        assert_eq!(status, 200, "{body}");
        let kept = phone.get("/me").await;
        assert_eq!(kept.status, 302, "the old session ended: {}", kept.body);
        assert!(audit_actions(&app).await.contains(&("admin".to_owned(), format!("change_binding:{alice}"))));
    }

    async fn a_typed_employee_number_binds_nobody_without_the_persons_code(backend: Backend) {
        let (app, _platform) = app_with_platform(backend).await;
        let admin = app.person("E9").named("新管理员").with("is_admin", true).await;
        app.person("E6").named("会务小刘").openid("o_org").with("is_organizer", true).await;
        let staff = app.person("E2").named("李四").await;

        // A stranger who follows the account and types the admin's number: only a request.
        let asked = say(&app, "o_stranger", "绑定 E9").await;
        assert!(asked.contains("已收到绑定申请"), "{asked}");
        assert!(say(&app, "o_stranger", "后台").await.contains("请先绑定工号"));
        assert_eq!(app.read_user(admin).await["openid"], serde_json::Value::Null);

        // An admin cannot approve it: admins and organizers bind with their code only.
        let (status, _) = app.admin(Method::POST, "/users", Some(json!({"name": "首席", "employee_no": "E1", "openid": "o_chief", "is_admin": true}))).await;
        assert_eq!(status, 201);
        let mut chief = organizer_desk(&app, "o_chief").await;
        let pending = chief.get("/console/bind-requests").await;
        assert_eq!(pending.status, 200, "{}", pending.body);
        assert!(pending.body.contains("o_stranger") && pending.body.contains("需绑定码"), "{}", pending.body);
        let token = csrf(&pending.body);
        let refused = chief.post("/console/bind-requests/approve", &[("csrf", &token), ("openid", "o_stranger")]).await;
        assert_eq!(refused.status, 409, "{}", refused.body);
        assert_eq!(app.read_user(admin).await["openid"], serde_json::Value::Null);

        // Guessing codes: five wrong from one follower, then even the right one waits.
        for _ in 0..5 {
            assert!(say(&app, "o_stranger", "绑定 E9 ZZZZ2345").await.contains("绑定码不正确"));
        }
        let code = app.bind_text("E9").await;
        assert!(say(&app, "o_stranger", &code).await.contains("输错次数过多"));
        assert_eq!(app.read_user(admin).await["openid"], serde_json::Value::Null);

        // The real admin binds with the code handed to them; a code works once.
        let bound = say(&app, "o_real_admin", &code).await;
        assert!(bound.contains("绑定成功，新管理员"), "{bound}");
        let (status, _) = app.update_user(admin, json!({"openid": ""})).await;
        assert_eq!(status, 200);
        assert!(say(&app, "o_real_admin", &code).await.contains("绑定码不正确"), "single use");

        // A plain staff member's request an admin may approve; organizers issue staff codes
        // (never an admin's), and export codes for everyone unbound they may hand out.
        assert!(say(&app, "o_li", "绑定 E2").await.contains("已收到绑定申请"));
        let pending = chief.get("/console/bind-requests").await;
        let approved = chief.post("/console/bind-requests/approve", &[("csrf", &csrf(&pending.body)), ("openid", "o_li")]).await;
        assert_eq!(approved.status, 303, "{}", approved.body);
        assert_eq!(app.read_user(staff).await["openid"], "o_li");
        let others = app.person("E3").named("王五").await;
        let mut desk = organizer_desk(&app, "o_org").await;
        let people = desk.get("/console/people").await;
        let token = csrf(&people.body);
        let offered = |id: i64| people.body.contains(&format!("/console/people/{id}/bind-code\""));
        assert!(offered(others) && !offered(admin), "the list offers a code where ops gives one: {}", people.body);
        let issued = desk.post(&format!("/console/people/{others}/bind-code"), &[("csrf", &token)]).await;
        assert_eq!(issued.status, 200, "{}", issued.body);
        assert!(issued.body.contains("id=\"bind-code\""), "{}", issued.body);
        let for_admin = desk.post(&format!("/console/people/{admin}/bind-code"), &[("csrf", &token)]).await;
        assert_eq!(for_admin.status, 403, "{}", for_admin.body);
        let export = desk.post("/console/people/bind-codes.csv", &[("csrf", &token)]).await;
        assert_eq!(export.status, 200);
        assert!(export.body.contains("王五,E3") && !export.body.contains("新管理员"), "{}", export.body);

        let actions = audit_actions(&app).await;
        for action in [format!("bind_request:{admin}"), format!("bind_code_wrong:{admin}"), format!("bind:{admin}"), format!("bind:{staff}")] {
            assert!(actions.iter().any(|(_, a)| *a == action), "{action} in {actions:?}");
        }
    }

    async fn a_wecom_member_is_who_wecom_says_never_a_typed_number(backend: Backend) {
        let (app, _platform) = app_with_platform(backend).await;
        app.person("E2").named("李参会").await;
        let reply = reply_content(&app.act(&app.wecom(), "li.attacker", SimAction::Text("绑定 E2".into())).await);
        assert!(!reply.contains("绑定成功") && !reply.contains("绑定申请"), "{reply}");
        let people = app.admin_read("/users?q=E2").await;
        assert_eq!(people[0]["wecom_userid"], serde_json::Value::Null);
    }

    async fn signing_out_ends_the_session_wherever_its_cookie_is_kept(backend: Backend) {
        let clock = Arc::new(ManualClock::new(a_monday_morning()));
        let (app, _platform) = app_at(backend, Some(clock.clone())).await;
        let mut desk = Browser::new(&app, DESK);
        let signed = desk.post("/console/sign-in", &[("token", ADMIN_TOKEN)]).await;
        assert_eq!(signed.status, 303);
        let kept = desk.cookies();
        let home = desk.get("/console").await;
        assert_eq!(home.status, 200);
        let out = desk.post("/console/sign-out", &[("csrf", &csrf(&home.body))]).await;
        assert_eq!(out.status, 303);
        let mut thief = Browser::new(&app, DESK).with_cookies(kept);
        assert_eq!(thief.get("/console").await.status, 403, "the kept cookie opens nothing");

        // Idle for longer than web.session_idle_minutes (8 h): signed out.
        let mut desk = Browser::new(&app, DESK);
        desk.post("/console/sign-in", &[("token", ADMIN_TOKEN)]).await;
        clock.advance(chrono::Duration::hours(7));
        assert_eq!(desk.get("/console").await.status, 200, "in use");
        clock.advance(chrono::Duration::hours(8) + chrono::Duration::minutes(1));
        assert_eq!(desk.get("/console").await.status, 403, "idle too long");

        // A person's sessions end when their flags change.
        app.person("E6").named("会务小刘").openid("o_org").with("is_organizer", true).await;
        let mut org = organizer_desk(&app, "o_org").await;
        assert_eq!(org.get("/console").await.status, 200);
        let people = app.admin_read("/users?q=E6").await;
        let id = people[0]["id"].as_i64().unwrap();
        app.update_user(id, json!({"is_admin": true})).await;
        assert_eq!(org.get("/console").await.status, 403, "signed in as what they were");
    }

    async fn a_login_is_finished_only_in_the_browser_that_started_it(backend: Backend) {
        let (app, _platform) = app_with_platform(backend).await;
        app.person("E2").named("李参会").openid("o_alice").await;
        app.person("E6").named("会务小刘").openid("o_org").with("is_organizer", true).await;

        // The attacker starts a login and sends the victim the return link.
        let mut attacker = Browser::new(&app, WECHAT_UA);
        let back = attacker.sign_in("/me", "CODE_ALICE").await;
        let mut victim = Browser::new(&app, WECHAT_UA);
        let fixated = victim.get(&back).await;
        assert_eq!(fixated.status, 400, "{}", fixated.body);
        assert!(!victim.cookies().contains_key("huiwu_session"));

        // A console link opened in another browser asks first and cannot be confirmed there
        // with the proof of the browser that opened it.
        let reply = say(&app, "o_org", "后台").await;
        let link = reply.lines().find(|l| l.contains("/console/login/")).unwrap().trim().to_owned();
        let mut opener = Browser::new(&app, DESK);
        let asked = opener.get(&link).await;
        assert!(asked.body.contains("你将以") && asked.body.contains("会务小刘"), "{}", asked.body);
        let proof = asked.body.split("name=\"proof\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
        let mut other = Browser::new(&app, DESK);
        let request = other.http().post(&link).form(&[("proof", proof.as_str())]);
        assert_eq!(other.send(request).await.status, 403);
        assert_eq!(opener.open_console_link(&link).await.status, 303, "the link was not spent");
    }

    async fn a_name_with_a_line_break_is_refused_and_never_breaks_a_calendar(backend: Backend) {
        let (app, _platform) = app_with_platform(backend).await;
        let (status, body) = app.admin(Method::POST, "/users", Some(json!({"name": "张三\r\nBEGIN:VEVENT", "employee_no": "E5"}))).await;
        assert_eq!(status, 422, "{body}");
        assert!(body.to_string().contains("\"name\""), "{body}");
        let (status, body) = app.create_room(json!({"name": "A", "capacity": 4, "location": "3楼\n会议室"})).await;
        assert_eq!((status, body["error"]["details"][0]["field"].as_str()), (422, Some("location")), "{body}");

        // A row stored before the rule (written straight to the database) still cannot add
        // an event or a parameter to anyone's feed.
        let host = app.person("E1").named("王主持").await;
        let injected = "张三\"\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:假会议";
        let stored = huiwu::meetings::directory::NewPerson {
            name: injected.to_owned(),
            employee_no: "E7".to_owned(),
            department: String::new(),
            openid: None,
            wecom_userid: None,
            is_admin: false,
            is_organizer: false,
        };
        let guest = app.db.run(move |c| huiwu::db::people::insert(c, &stored, 0)).await.unwrap().id.get();
        meeting(&app, "周例会", false, json!([{"person_id": host, "role": "host"}, {"person_id": guest, "role": "attendee"}])).await;
        let view = app.admin_read(&format!("/users/{host}/calendar-feed")).await;
        let feed = app.client.get(view["url"].as_str().unwrap()).send().await.unwrap().text().await.unwrap();
        let lines_are = |what: &str| feed.lines().filter(|l| l.trim_end() == what).count();
        assert_eq!((lines_are("BEGIN:VEVENT"), lines_are("END:VEVENT")), (1, 1), "{feed}");
        assert!(!feed.lines().any(|l| l.starts_with("SUMMARY:假会议")), "{feed}");
        assert!(feed.contains("CN=\"张三'  END:VEVENT"), "quoted, the quote replaced: {feed}");
        let unfolded = icalendar::parser::unfold(&feed);
        let calendar = icalendar::parser::read_calendar(&unfolded).unwrap();
        assert_eq!(calendar.components.iter().filter(|c| c.name == "VEVENT").count(), 1);
    }

    async fn client_input_is_refused_with_a_chinese_page_never_a_5xx(backend: Backend) {
        let (app, platform) = app_with_platform(backend).await;
        wiremock::Mock::given(wiremock::matchers::path("/sns/oauth2/access_token"))
            .and(wiremock::matchers::query_param("code", "FORGED"))
            .respond_with(wiremock::ResponseTemplate::new(200).set_body_json(json!({"errcode": 40029, "errmsg": "invalid code"})))
            .mount(&platform)
            .await;
        let alice = app.person("E2").named("李参会").openid("o_alice").await;
        let mut desk = Browser::new(&app, DESK);
        desk.post("/console/sign-in", &[("token", ADMIN_TOKEN)]).await;
        let home = desk.get("/console").await;
        let token = csrf(&home.body);

        // NUL in a form field and in a query: a Chinese page naming the field.
        let nul = desk.post(&format!("/console/people/{alice}"), &[("csrf", &token), ("name", "李\0参会"), ("department", "")]).await;
        assert_eq!(nul.status, 422, "{}", nul.body);
        assert!(nul.body.contains("「name」") && nul.body.contains("控制字符"), "{}", nul.body);
        let query = desk.get("/console?q=%00").await;
        assert_eq!(query.status, 422, "{}", query.body);
        let forged_line = desk.get("/console/audit?action=x%0d%0aINFO%20forged").await;
        assert_eq!(forged_line.status, 422, "{}", forged_line.body);

        // A return path with a line break is carried percent-encoded.
        let mut phone = Browser::new(&app, WECHAT_UA);
        let first = phone.get("/c/x%0d%0aSet-Cookie:%20a=b").await;
        assert_eq!(first.status, 302, "{}", first.body);
        let authorize = url::Url::parse(first.location.as_deref().unwrap().trim_end_matches("#wechat_redirect")).unwrap();
        let q: std::collections::HashMap<_, _> = authorize.query_pairs().into_owned().collect();
        let back = phone.get(&format!("{}?code=CODE_ALICE&state={}", q["redirect_uri"], q["state"])).await;
        assert_eq!((back.status, back.location.as_deref()), (303, Some("/c/x%0d%0aSet-Cookie:%20a=b")), "{}", back.body);

        // A forged or foreign code is the reader's mistake, not WeChat's failure.
        let mut other = Browser::new(&app, WECHAT_UA);
        let first = other.get("/me").await;
        let authorize = url::Url::parse(first.location.as_deref().unwrap().trim_end_matches("#wechat_redirect")).unwrap();
        let q: std::collections::HashMap<_, _> = authorize.query_pairs().into_owned().collect();
        let forged = other.get(&format!("{}?code=FORGED&state={}", q["redirect_uri"], q["state"])).await;
        assert_eq!(forged.status, 400, "{}", forged.body);

        // The bind form replayed for a second employee: a conflict, not a storage failure.
        app.person("E3").named("孙新人").await;
        app.person("E4").named("周新人").await;
        let mut stranger = Browser::new(&app, WECHAT_UA);
        let first = stranger.get("/me").await;
        let authorize = url::Url::parse(first.location.as_deref().unwrap().trim_end_matches("#wechat_redirect")).unwrap();
        let q: std::collections::HashMap<_, _> = authorize.query_pairs().into_owned().collect();
        let form = stranger.get(&format!("{}?code=CODE_STRANGER&state={}", q["redirect_uri"], q["state"])).await;
        let field = |name: &str| form.body.split(&format!("name=\"{name}\" value=\"")).nth(1).unwrap().split('"').next().unwrap().to_owned();
        let fields = |no: &str, code: &str| vec![
            ("openid", field("openid")), ("next", field("next")), ("expires", field("expires")),
            ("proof", field("proof")), ("employee_no", no.to_owned()), ("code", code.to_owned()),
        ];
        let code = |text: String| text.rsplit(' ').next().unwrap().to_owned();
        let first_code = code(app.bind_text("E3").await);
        // The form posted from another browser (a page elsewhere making a victim's send it):
        // refused, and the code is not spent.
        let mut elsewhere = Browser::new(&app, WECHAT_UA);
        let request = elsewhere.http().post(format!("{}/auth/bind", app.base)).form(&fields("E3", &first_code));
        assert_eq!(elsewhere.send(request).await.status, 400);
        let kept = stranger.cookies();
        let bound = stranger.send(stranger.http().post(format!("{}/auth/bind", app.base)).form(&fields("E3", &first_code))).await;
        assert_eq!(bound.status, 200, "{}", bound.body);
        assert!(bound.body.contains("绑定成功"), "{}", bound.body);
        // Replayed for a second employee: the login is spent (400); with its cookie kept, the
        // openid is bound already (409); never a storage failure.
        let second_code = code(app.bind_text("E4").await);
        let replayed = stranger.send(stranger.http().post(format!("{}/auth/bind", app.base)).form(&fields("E4", &second_code))).await;
        assert_eq!(replayed.status, 400, "{}", replayed.body);
        let mut keeper = Browser::new(&app, WECHAT_UA).with_cookies(kept);
        let request = keeper.http().post(format!("{}/auth/bind", app.base)).form(&fields("E4", &second_code));
        let replayed = keeper.send(request).await;
        assert_eq!(replayed.status, 409, "{}", replayed.body);
        assert!(replayed.body.contains("已经绑定"), "{}", replayed.body);
    }

    async fn every_page_carries_the_headers_that_keep_it_ours(backend: Backend) {
        let (app, _platform) = app_with_platform(backend).await;
        let mut desk = Browser::new(&app, DESK);
        let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        for path in ["/console/sign-in", "/console", "/m/1"] {
            let r = http.get(format!("{}{path}", app.base)).send().await.unwrap();
            let h = r.headers();
            let csp = h["content-security-policy"].to_str().unwrap();
            assert!(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"), "{path}: {csp}");
            assert_eq!(h["referrer-policy"], "no-referrer", "{path}");
            assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
            assert_eq!(h["cache-control"], "no-store", "{path}");
        }
        let page = desk.get("/console/sign-in").await;
        assert!(!page.body.contains("<style") && !page.body.contains("style=") && page.body.contains("/static/huiwu.css"));
        let css = desk.get("/static/huiwu.css").await;
        assert_eq!((css.status, css.content_type.as_str()), (200, "text/css; charset=utf-8"));

        // A form posted from another site is refused before it is read.
        let cross = http.post(format!("{}/console/sign-in", app.base)).header("Origin", "https://evil.example").form(&[("token", ADMIN_TOKEN)]).send().await.unwrap();
        assert_eq!(cross.status(), 403);
        let same = http.post(format!("{}/console/sign-in", app.base)).header("Origin", app.base.as_str()).form(&[("token", ADMIN_TOKEN)]).send().await.unwrap();
        assert_eq!(same.status(), 303);

        // A missing CSRF token is 403, in Chinese, as a wrong one; no framework text anywhere.
        let missing = desk.post("/console/sign-out", &[]).await;
        assert_eq!(missing.status, 403, "{}", missing.body);
        assert!(missing.body.contains("页面已过期") && !missing.body.contains("missing field"), "{}", missing.body);
        desk.post("/console/sign-in", &[("token", ADMIN_TOKEN)]).await;
        let bad_query = desk.get("/console/people?page=abc").await;
        assert_eq!(bad_query.status, 422, "{}", bad_query.body);
        assert!(!bad_query.body.contains("deserialize"), "{}", bad_query.body);
    }

    async fn guessing_the_admin_token_or_a_screen_key_is_slowed_to_a_few_tries_a_second(backend: Backend) {
        let (app, _platform) = app_with_platform(backend).await;
        let (_, room) = app.create_room(json!({"name": "A", "capacity": 4})).await;
        let room = room["id"].as_i64().unwrap();
        let mut desk = Browser::new(&app, DESK);
        let mut statuses = Vec::new();
        for _ in 0..50 {
            statuses.push(desk.post("/console/sign-in", &[("token", "guess")]).await.status);
        }
        assert_eq!(statuses[0], 401);
        assert!(statuses.iter().filter(|s| **s == 429).count() >= 40, "{statuses:?}");
        let mut statuses = Vec::new();
        for guess in 0..300 {
            statuses.push(desk.get(&format!("/rooms/{room}/display?key=guess{guess}")).await.status);
        }
        assert_eq!(statuses[0], 404);
        assert!(statuses.iter().filter(|s| **s == 429).count() >= 250, "{statuses:?}");
    }

    async fn a_forwarded_material_link_stops_naming_its_reader_after_thirty_days(backend: Backend) {
        let clock = Arc::new(ManualClock::new(a_monday_morning()));
        let (app, _platform) = app_at(backend, Some(clock.clone())).await;
        let alice = app.person("E2").named("李参会").openid("o_alice").await;
        let id = meeting(&app, "周例会", false, json!([{"person_id": alice, "role": "host"}])).await;
        let (status, body) = app.admin(Method::POST, &format!("/meetings/{id}/materials"), Some(json!({"title": "预算表", "url": "https://docs.example.com/b"}))).await;
        assert!(status == 200 || status == 201, "{body}");
        let details = say(&app, "o_alice", &format!("会议 {id}")).await;
        let link = details.split_whitespace().find(|w| w.contains("/materials/")).unwrap_or_else(|| panic!("{details}")).to_owned();
        let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        assert_eq!(http.get(&link).send().await.unwrap().status(), 302);
        clock.advance(chrono::Duration::days(31));
        let late = http.get(&link).send().await.unwrap();
        assert_eq!(late.status(), 410);
        assert!(late.text().await.unwrap().contains("链接已过期"));
    }
}

on_both_backends! {
    async fn the_new_doors_refuse_whoever_may_not_use_them(backend: Backend) {
        let (app, _platform) = app_with_platform(backend).await;
        let alice = app.person("E2").named("李参会").openid("o_alice").await;
        let bob = app.person("E3").named("周同事").openid("o_bob").await;
        app.person("E6").named("会务小刘").openid("o_org").with("is_organizer", true).await;

        // The admin API's bind codes want the admin token.
        let anonymous = app.client.post(format!("{}/api/v1/users/{alice}/bind-code", app.base)).send().await.unwrap();
        assert_eq!(anonymous.status(), 401);
        let forged = app.client.post(format!("{}/api/v1/users/bind-codes", app.base)).bearer_auth("guess-guess-guess-1").send().await.unwrap();
        assert_eq!(forged.status(), 401);

        // Staff have no console; an organizer may not decide bind requests; a forged form is 403.
        let mut staff = Browser::new(&app, WECHAT_UA);
        staff.sign_in("/me", "CODE_ALICE").await;
        assert_eq!(staff.get("/console/bind-requests").await.status, 403);
        assert!(say(&app, "o_stranger", "绑定 E2").await.contains("该工号已绑定"), "Alice is bound");
        app.person("E4").named("新同事").await;
        assert!(say(&app, "o_stranger", "绑定 E4").await.contains("已收到绑定申请"));
        let mut org = organizer_desk(&app, "o_org").await;
        assert_eq!(org.get("/console/bind-requests").await.status, 403);
        let people = org.get("/console/people").await;
        let token = csrf(&people.body);
        let approve = org.post("/console/bind-requests/approve", &[("csrf", &token), ("openid", "o_stranger")]).await;
        assert_eq!(approve.status, 403, "{}", approve.body);
        assert_eq!(org.post("/console/bind-requests/approve", &[("csrf", "forged"), ("openid", "o_stranger")]).await.status, 403);
        assert_eq!(org.post(&format!("/console/people/{bob}/bind-code"), &[("csrf", "forged")]).await.status, 403);
        assert_eq!(org.post("/console/bind-requests/delete", &[("csrf", &token), ("openid", "o_stranger")]).await.status, 404);

        // `?done=` words only what is true: another's task, or an answer never given, says nothing.
        let (_, m) = app.create_meeting(json!({
            "title": "周会", "place": "3楼", "starts_at": "2030-01-07T09:00:00+08:00",
            "ends_at": "2030-01-07T10:00:00+08:00",
            "roles": [{"person_id": bob, "role": "host"}, {"person_id": alice, "role": "attendee"}],
        })).await;
        let id = m["id"].as_i64().unwrap();
        app.publish(id).await;
        let page = staff.get(&format!("/m/{id}?done=answer")).await;
        assert_eq!(page.status, 200);
        assert!(!page.body.contains("id=\"done\""), "no answer given, nothing said: {}", page.body);
        let page = staff.get(&format!("/m/{id}?done=%3Cscript%3E")).await;
        assert!(!page.body.contains("<script>"), "{}", page.body);
        let me = staff.get("/me?done=done&task=999999").await;
        assert_eq!(me.status, 200);
        assert!(!me.body.contains("id=\"done\""), "{}", me.body);
        assert_eq!(staff.get("/me?task=abc").await.status, 422, "a task id that is no number");

        // Help: any group name, any length, in one bubble.
        for text in ["帮助 <script>", "帮助 会中 会中 会中", &format!("帮助 {}", "长".repeat(500))] {
            let reply = say(&app, "o_alice", text).await;
            assert!(reply.len() <= 2048 && !reply.ends_with('…'), "{reply}");
        }
    }
}
