//! The staff pages in a real browser (Debian's chromium through chromedriver), at a phone's
//! 375×812, with the mock WeChat API playing the platform's web authorisation. Screenshots of
//! every page go to `target/screenshots/`. Without a chromedriver these tests are compiled as
//! ignored (see build.rs), never passed.

// Test code: a failed unwrap is a failed test, which is what we want.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[allow(dead_code, unused_macros, unused_imports)]
#[path = "api/helpers.rs"]
mod helpers;

use chrono::TimeZone;
use fantoccini::{Client, ClientBuilder, Locator};
use helpers::*;
use reqwest::Method;
use serde_json::json;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// Each browser test on SQLite, and on PostgreSQL when `HUIWU_TEST_DATABASE_URL` was set at
/// build time; without a chromedriver both are reported as ignored.
macro_rules! in_the_browser {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                use super::*;

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                #[cfg_attr(
                    not(huiwu_browser_tests),
                    ignore = "no chromedriver was found when the tests were built"
                )]
                async fn sqlite() {
                    super::$name(Backend::Sqlite).await
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                #[cfg_attr(
                    not(all(huiwu_browser_tests, huiwu_postgres_tests)),
                    ignore = "no chromedriver, or HUIWU_TEST_DATABASE_URL unset, when the tests were built"
                )]
                async fn postgres() {
                    super::$name(Backend::Postgres).await
                }
            }
        )*
    };
}

in_the_browser!(
    a_host_runs_the_meeting_from_the_phone,
    staff_answer_check_in_read_and_give_feedback_in_the_browser,
    an_organizer_prepares_runs_and_follows_up_a_meeting_in_the_console,
    a_new_follower_binds_on_the_page_with_the_code_handed_to_them,
);

const PHONE_UA: &str =
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 \
                        Mobile/15E148 MicroMessenger/8.0.50 NetType/WIFI Language/zh_CN";

/// The platform's authorize endpoint: sends the browser straight back with the code of
/// whoever is "holding the phone" now.
struct Authorize(Arc<Mutex<&'static str>>);

impl Respond for Authorize {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let q: std::collections::HashMap<_, _> = request.url.query_pairs().into_owned().collect();
        let code = *self.0.lock().unwrap();
        ResponseTemplate::new(302).insert_header(
            "Location",
            format!("{}?code={code}&state={}", q["redirect_uri"], q["state"]).as_str(),
        )
    }
}

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn chromedriver() -> String {
    std::env::var("HUIWU_CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into())
}

/// The window a test browses in.
enum Screen {
    /// A phone's viewport (desktop windows have a minimum width) and WeChat's User-Agent.
    Phone,
    /// A desktop browser at 1280×800, as organizers use the console (and a landscape tablet).
    Desktop,
    /// A tablet held upright, 800×1280: the room screen in portrait.
    Portrait,
}

async fn browser(screen: Screen) -> (Client, Driver) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let driver = Driver(
        Command::new(chromedriver())
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts"),
    );
    let mut caps = serde_json::Map::new();
    let args = json!([
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--lang=zh-CN",
        "--window-size=1280,800"
    ]);
    caps.insert(
        "goog:chromeOptions".into(),
        match screen {
            Screen::Phone => json!({"args": args,
               "mobileEmulation": {"deviceMetrics": {"width": 375, "height": 812, "pixelRatio": 2},
                                   "userAgent": PHONE_UA}}),
            // The viewport itself at 1280×800 (a window of that size has less to show).
            Screen::Desktop => json!({"args": args,
               "mobileEmulation": {"deviceMetrics": {"width": 1280, "height": 800, "pixelRatio": 1,
                                                     "mobile": false, "touch": false}}}),
            Screen::Portrait => json!({"args": args,
               "mobileEmulation": {"deviceMetrics": {"width": 800, "height": 1280, "pixelRatio": 1,
                                                     "mobile": false, "touch": true}}}),
        },
    );
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    let mut last = None;
    for _ in 0..50 {
        match ClientBuilder::new(connector.clone())
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(client) => return (client, driver),
            Err(e) => last = Some(e),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("chromedriver did not answer: {last:?}");
}

async fn shot(client: &Client, name: &str) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join(format!("{name}.png")),
        client.screenshot().await.unwrap(),
    )
    .unwrap();
}

/// Clicks and waits until the page the click leads to has loaded (the old one is marked, so
/// its disappearance is the sign).
async fn click_and_load(client: &Client, locator: Locator<'_>) {
    client
        .execute("document.documentElement.dataset.stale = '1'", vec![])
        .await
        .unwrap();
    client.find(locator).await.unwrap().click().await.unwrap();
    for _ in 0..200 {
        let state = client
            .execute(
                "return (document.documentElement.dataset.stale || '') + document.readyState",
                vec![],
            )
            .await;
        if matches!(state, Ok(v) if v == json!("complete")) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the click led nowhere");
}

async fn source(client: &Client) -> String {
    client.source().await.unwrap()
}

async fn staff_answer_check_in_read_and_give_feedback_in_the_browser(backend: Backend) {
    // 08:50 local on the day: ten minutes before the meeting, check-in open.
    let clock = Arc::new(huiwu::clock::ManualClock::new(
        chrono::Utc.with_ymd_and_hms(2030, 1, 7, 0, 50, 0).unwrap(),
    ));
    let platform = MockServer::start().await;
    let holder = Arc::new(Mutex::new("CODE_ALICE"));
    Mock::given(method("GET"))
        .and(path("/connect/oauth2/authorize"))
        .respond_with(Authorize(holder.clone()))
        .mount(&platform)
        .await;
    for (code, openid) in [("CODE_ALICE", "o_alice"), ("CODE_BOB", "o_bob")] {
        Mock::given(method("GET"))
            .and(path("/sns/oauth2/access_token"))
            .and(query_param("code", code))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({"openid": openid, "scope": "snsapi_base"})),
            )
            .mount(&platform)
            .await;
    }
    let mut opts = TestOptions::new(backend);
    opts.api_base = platform.uri();
    opts.outbox_worker = false;
    opts.clock = Some(clock.clone());
    opts.extra_config = format!("[web]\noauth_base = '{}'\n", platform.uri());
    let app = spawn(opts).await;

    let host = app.person("E1").named("王主持").await;
    let alice = app.person("E2").named("李参会").openid("o_alice").await;
    let bob = app.person("E3").named("周出差").openid("o_bob").await;
    let carol = app.person("E4").named("赵同事").await;
    let (_, room) = app
        .create_room(json!({"name": "3楼大会议室", "capacity": 12}))
        .await;
    let room = room["id"].as_i64().unwrap();
    let (status, m) = app.create_meeting(json!({
        "title": "产品周会 <b>不加粗</b>", "goal": "对齐本周上线计划", "room_id": room,
        "briefing": "请提前看一下上线清单",
        "starts_at": "2030-01-07T09:00:00+08:00", "ends_at": "2030-01-07T10:00:00+08:00",
        "agenda": [{"title": "上周进展", "presenter_id": alice, "minutes": 15}, {"title": "本周上线计划", "minutes": 25}],
        "materials": [{"title": "上线清单", "url": "https://docs.example.com/list"}],
        "roles": [{"person_id": host, "role": "host"}, {"person_id": alice, "role": "attendee"},
                  {"person_id": bob, "role": "attendee"}],
    })).await;
    assert_eq!(status, 201, "{m}");
    let id = m["id"].as_i64().unwrap();
    app.publish(id).await;
    let (_, screen) = app
        .admin(Method::POST, &format!("/rooms/{room}/display-key"), None)
        .await;
    let screen_url = screen["url"].as_str().unwrap().to_owned();

    let (client, _driver) = browser(Screen::Phone).await;

    // Alice taps the notice: silent sign-in, the meeting page.
    client.goto(&format!("{}/m/{id}", app.base)).await.unwrap();
    let page = source(&client).await;
    assert!(
        page.contains("产品周会 &lt;b&gt;不加粗&lt;/b&gt;"),
        "escaped: {page}"
    );
    assert!(page.contains("上周进展") && page.contains("上线清单") && page.contains("未回复"));
    shot(&client, "meeting").await;
    click_and_load(&client, Locator::Css("button[value=accepted]")).await;
    assert!(source(&client).await.contains("已确认参加"));
    assert_eq!(app.participant(id, alice).await["rsvp"], "accepted");
    shot(&client, "meeting-accepted").await;

    // The door screen, and Alice scanning its code.
    client.goto(&screen_url).await.unwrap();
    let screen_page = source(&client).await;
    assert!(
        screen_page.contains("已签到 0 / 3") && screen_page.contains("<svg"),
        "{screen_page}"
    );
    shot(&client, "room-screen").await;
    let code_url = screen_page
        .split("data-checkin-url=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    client.goto(&code_url).await.unwrap();
    assert!(source(&client).await.contains("签到成功"));
    shot(&client, "checked-in").await;
    client.goto(&screen_url).await.unwrap();
    let arrived = source(&client).await;
    assert!(arrived.contains("已签到 1 / 3"));
    assert!(
        arrived.contains("<span>李参会</span>"),
        "names as they arrive: {arrived}"
    );
    shot(&client, "room-screen-arrived").await;
    // The tablet at the door, on its side and upright: the QR stays inside its card.
    for (screen, name) in [
        (Screen::Desktop, "room-screen-tablet"),
        (Screen::Portrait, "room-screen-portrait"),
    ] {
        let (tablet, _tablet_driver) = browser(screen).await;
        tablet.goto(&screen_url).await.unwrap();
        let fits: bool = serde_json::from_value(
            tablet
                .execute(
                    "var card = document.querySelector('.card').getBoundingClientRect(); \
                     var qr = document.querySelector('.qr svg').getBoundingClientRect(); \
                     var title = parseFloat(getComputedStyle(document.querySelector('.title')).fontSize); \
                     var room = parseFloat(getComputedStyle(document.querySelector('.room')).fontSize); \
                     return qr.left >= card.left && qr.right <= card.right && card.right <= window.innerWidth \
                       && title >= 48 && room >= 48;",
                    vec![],
                )
                .await
                .unwrap(),
        )
        .unwrap();
        assert!(
            fits,
            "{name}: QR inside its card, room and title at least 48 px"
        );
        shot(&tablet, name).await;
        tablet.close().await.unwrap();
    }
    // The same code a minute later (a photo sent on): refused.
    clock.advance(chrono::Duration::seconds(61));
    client.goto(&code_url).await.unwrap();
    assert!(source(&client).await.contains("二维码已过期"));
    shot(&client, "code-expired").await;

    // Bob, on his phone: declines with a reason, and sends Carol instead.
    client.delete_all_cookies().await.unwrap();
    *holder.lock().unwrap() = "CODE_BOB";
    client.goto(&format!("{}/m/{id}", app.base)).await.unwrap();
    let reason = client
        .find(Locator::Css("input[name=reason]"))
        .await
        .unwrap();
    reason.send_keys("出差").await.unwrap();
    click_and_load(
        &client,
        Locator::XPath("//input[@name='reason']/following-sibling::button"),
    )
    .await;
    let after = source(&client).await;
    assert!(after.contains("已请假（出差）"), "{after}");
    assert_eq!(app.participant(id, bob).await["rsvp"], "declined");
    client
        .find(Locator::Css("input[name=colleague]"))
        .await
        .unwrap()
        .send_keys("E4")
        .await
        .unwrap();
    click_and_load(
        &client,
        Locator::XPath("//input[@name='colleague']/following-sibling::button"),
    )
    .await;
    assert_eq!(
        app.participant(id, carol).await["rsvp"],
        "pending",
        "Carol is invited in Bob's place"
    );
    shot(&client, "meeting-delegated").await;
    client.goto(&format!("{}/me", app.base)).await.unwrap();
    shot(&client, "me").await;

    // After the meeting: Alice reads the minutes (the receipt) and rates it.
    for step in ["start", "end", "close"] {
        let (status, body) = app
            .admin(Method::POST, &format!("/meetings/{id}/{step}"), None)
            .await;
        assert_eq!(status, 200, "{step}: {body}");
    }
    client.delete_all_cookies().await.unwrap();
    *holder.lock().unwrap() = "CODE_ALICE";
    client.goto(&format!("{}/m/{id}", app.base)).await.unwrap();
    assert!(source(&client).await.contains("会议纪要"));
    let (_, minutes) = app
        .admin(Method::GET, &format!("/meetings/{id}/minutes"), None)
        .await;
    assert!(
        minutes["readers"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["person_id"] == alice),
        "{minutes}"
    );
    client
        .find(Locator::Css("input[name=rating][value='5']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    client
        .find(Locator::Css("input[name=comment]"))
        .await
        .unwrap()
        .send_keys("高效")
        .await
        .unwrap();
    shot(&client, "feedback").await;
    click_and_load(
        &client,
        Locator::XPath("//input[@name='comment']/following-sibling::button"),
    )
    .await;
    let given = source(&client).await;
    assert!(
        given.contains("✓ 感谢反馈：5 分") && given.contains("你的反馈：5 分 · 高效"),
        "the feedback shown as given: {given}"
    );
    shot(&client, "feedback-given").await;
    let report = app.report(id, "feedback").await;
    assert_eq!(report["count"], 1, "{report}");

    client.close().await.unwrap();
}

/// Sets a form field as a picker would (date and time inputs take no typed text portably),
/// telling the page's script.
async fn set_value(client: &Client, css: &str, value: &str) {
    let field = client.find(Locator::Css(css)).await.unwrap();
    client
        .execute(
            "arguments[0].value = arguments[1]; \
             arguments[0].dispatchEvent(new Event('input', {bubbles: true}));",
            vec![serde_json::to_value(field).unwrap(), json!(value)],
        )
        .await
        .unwrap();
}

async fn type_into(client: &Client, css: &str, text: &str) {
    client
        .find(Locator::Css(css))
        .await
        .unwrap()
        .send_keys(text)
        .await
        .unwrap();
}

/// Waits (up to 20 s) for the page, reloading itself, to show `text`.
async fn wait_for_text(client: &Client, text: &str) -> String {
    for _ in 0..200 {
        let page = source(client).await;
        if page.contains(text) {
            return page;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the page never showed {text}: {}", source(client).await);
}

async fn an_organizer_prepares_runs_and_follows_up_a_meeting_in_the_console(backend: Backend) {
    // 22:00 local the evening before the meeting (a session lasts 12 hours: into the morning).
    let clock = Arc::new(huiwu::clock::ManualClock::new(
        chrono::Utc.with_ymd_and_hms(2030, 1, 6, 14, 0, 0).unwrap(),
    ));
    let platform = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/cgi-bin/stable_token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token": "T1", "expires_in": 7200})),
        )
        .mount(&platform)
        .await;
    Mock::given(method("POST"))
        .and(path("/cgi-bin/message/custom/send"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"errcode": 0, "errmsg": "ok"})),
        )
        .mount(&platform)
        .await;
    let mut opts = TestOptions::new(backend);
    opts.api_base = platform.uri();
    opts.clock = Some(clock.clone());
    // The organizer comes back to the same sign-in the next morning, 11 hours later: longer
    // than the default 8 idle hours, so this deployment allows 12.
    opts.extra_config = "[web]\nsession_idle_minutes = 720\n".to_owned();
    let app = spawn(opts).await;

    app.person("E6")
        .named("会务小刘")
        .openid("o_org")
        .with("is_organizer", true)
        .await;
    let host = app.person("E1").named("王主持").openid("o_host").await;
    let (_, room) = app
        .create_room(json!({"name": "小会议室", "capacity": 2, "equipment": ["白板"]}))
        .await;
    let room = room["id"].as_i64().unwrap();
    let (status, other) = app
        .create_meeting(json!({
            "title": "别人的评审会", "place": "5楼", "starts_at": "2030-01-08T09:00:00+08:00",
            "ends_at": "2030-01-08T10:00:00+08:00", "roles": [{"person_id": host, "role": "host"}],
        }))
        .await;
    assert_eq!(status, 201, "{other}");
    let other = other["id"].as_i64().unwrap();

    // `后台` in chat: a one-time link, opened on the desktop.
    let reply = reply_content(
        &app.act(
            &app.oa(),
            "o_org",
            huiwu::sim::SimAction::Text("后台".into()),
        )
        .await,
    );
    let link = reply
        .lines()
        .find(|l| l.contains("/console/login/"))
        .unwrap()
        .trim()
        .to_owned();
    let (client, _driver) = browser(Screen::Desktop).await;
    client.goto(&link).await.unwrap();
    let confirm = source(&client).await;
    assert!(
        confirm.contains("你将以") && confirm.contains("会务小刘"),
        "{confirm}"
    );
    shot(&client, "console-link-confirm").await;
    click_and_load(&client, Locator::XPath("//button[text()='确认登录']")).await;
    assert!(source(&client).await.contains("会务小刘（会务组）"));
    shot(&client, "console-meetings").await;

    // The directory from Excel: GBK, Chinese headers.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/tmp");
    std::fs::create_dir_all(&dir).unwrap();
    let csv_path = dir.join("people-gbk.csv");
    let (gbk, _, _) =
        encoding_rs::GBK.encode("姓名,工号,部门\r\n李参会,E2,产品部\r\n周参会,E3,产品部\r\n");
    std::fs::write(&csv_path, &gbk).unwrap();
    client
        .goto(&format!("{}/console/people", app.base))
        .await
        .unwrap();
    type_into(&client, "#csv", csv_path.to_str().unwrap()).await;
    click_and_load(
        &client,
        Locator::XPath("//input[@id='csv']/following::button[1]"),
    )
    .await;
    let imported = source(&client).await;
    assert!(imported.contains("已导入：新增 2 人"), "{imported}");
    assert!(imported.contains("周参会") && imported.contains("产品部"));
    shot(&client, "console-people-import").await;

    // A meeting through the form: a room too small and without a projector.
    client
        .goto(&format!("{}/console/meetings/new", app.base))
        .await
        .unwrap();
    type_into(&client, "#title", "产品评审会").await;
    type_into(&client, "#goal", "定下一季度范围").await;
    set_value(&client, "#date", "2030-01-07").await;
    set_value(&client, "#start", "09:00").await;
    set_value(&client, "#end", "10:00").await;
    client
        .find(Locator::Css(&format!(
            "input[name=room_id][value='{room}']"
        )))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    type_into(&client, "#equipment", "投影仪").await;
    type_into(&client, "#role_host", "E1").await;
    type_into(&client, "#role_attendee", "E2, 周参会").await;
    type_into(&client, "#role_recorder", "E6").await;
    type_into(&client, "input[name=agenda_title_0]", "需求回顾").await;
    type_into(&client, "input[name=agenda_presenter_0]", "E2").await;
    type_into(&client, "input[name=agenda_minutes_0]", "20").await;
    type_into(&client, "input[name=agenda_title_1]", "排期").await;
    type_into(&client, "input[name=agenda_minutes_1]", "30").await;
    type_into(&client, "input[name=material_title_0]", "需求清单").await;
    type_into(
        &client,
        "input[name=material_url_0]",
        "https://docs.example.com/req",
    )
    .await;
    let sum = client
        .find(Locator::Css("#agenda-sum"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(sum, "议程共 50 分钟 / 会议时长 60 分钟");
    // Rows come and go as the agenda needs: one added (its number the next free one), then
    // taken away again.
    client
        .find(Locator::Css("#add-agenda-row"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    type_into(&client, "input[name=agenda_title_8]", "风险").await;
    type_into(&client, "input[name=agenda_minutes_8]", "10").await;
    let agenda_sum = || async {
        client
            .find(Locator::Css("#agenda-sum"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    };
    assert_eq!(agenda_sum().await, "议程共 60 分钟 / 会议时长 60 分钟");
    client
        .find(Locator::XPath(
            "//input[@name='agenda_title_8']/ancestor::tr//button[contains(@class,'remove-row')]",
        ))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    assert_eq!(agenda_sum().await, "议程共 50 分钟 / 会议时长 60 分钟");
    // The form warns before saving: four people named, a room for two, no projector.
    let warned = client
        .find(Locator::Css("#room-warnings"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        warned.contains("会议室只能容纳 2 人，已填 4 人") && warned.contains("会议室缺少：投影仪"),
        "{warned}"
    );
    client
        .execute("window.scrollTo(0, 0)", vec![])
        .await
        .unwrap();
    shot(&client, "console-new-meeting").await;
    click_and_load(&client, Locator::Css("button[value=draft]")).await;
    let draft = source(&client).await;
    assert!(
        draft.contains("会议室只能容纳 2 人，邀请了 4 人") && draft.contains("会议室缺少：投影仪"),
        "{draft}"
    );
    let url = client.current_url().await.unwrap();
    let id: i64 = url.path().rsplit('/').next().unwrap().parse().unwrap();
    shot(&client, "console-meeting-draft").await;

    client
        .goto(&format!("{}/console/meetings/{id}/edit", app.base))
        .await
        .unwrap();
    assert!(source(&client).await.contains("修改会议 #"));
    shot(&client, "console-edit-meeting").await;
    client
        .goto(&format!("{}/console/meetings/{id}", app.base))
        .await
        .unwrap();

    // Published: the mock WeChat API receives the invitations.
    click_and_load(&client, Locator::Css("#publish")).await;
    assert!(source(&client).await.contains("未开始"));
    let mut told = Vec::new();
    for _ in 0..200 {
        told = platform
            .received_requests()
            .await
            .unwrap_or_default()
            .iter()
            .filter(|r| r.url.path() == "/cgi-bin/message/custom/send")
            .map(|r| serde_json::from_slice::<serde_json::Value>(&r.body).unwrap())
            .filter(|b| {
                b["text"]["content"]
                    .as_str()
                    .unwrap_or("")
                    .contains("产品评审会")
            })
            .map(|b| b["touser"].as_str().unwrap().to_owned())
            .collect();
        told.sort();
        told.dedup();
        if told.len() >= 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(told, ["o_host", "o_org"], "the invited with an openid");

    // Someone else's meeting stays closed to this organizer.
    client
        .goto(&format!("{}/console/meetings/{other}", app.base))
        .await
        .unwrap();
    assert!(source(&client)
        .await
        .contains("只有主持人或会务组可以这样做"));
    shot(&client, "console-not-yours").await;

    // On the day: the live view picks up check-ins by itself.
    clock.set(chrono::Utc.with_ymd_and_hms(2030, 1, 7, 0, 50, 0).unwrap());
    client
        .goto(&format!("{}/console/meetings/{id}/live", app.base))
        .await
        .unwrap();
    let live = source(&client).await;
    assert!(live.contains("出席 0"), "{live}");
    let (status, body) = app
        .admin(
            Method::POST,
            &format!("/meetings/{id}/participants/{host}/checkin"),
            None,
        )
        .await;
    assert_eq!(status, 200, "{body}");
    wait_for_text(&client, "出席 1").await;
    let say = |text: String| {
        let app = &app;
        async move {
            reply_content(
                &app.act(&app.oa(), "o_host", huiwu::sim::SimAction::Text(text))
                    .await,
            )
        }
    };
    assert!(say(format!("开始 {id}")).await.contains("需求回顾"));
    say(format!("决议 #{id} 需求冻结，下周开始排期")).await;
    wait_for_text(&client, "需求冻结").await;
    shot(&client, "console-live").await;
    // 代签 from the board, for someone at the door without a phone.
    client
        .find(Locator::XPath(
            "//form[@id='console-checkin']//label[contains(., '周参会')]/input",
        ))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    click_and_load(&client, Locator::Css("#console-checkin-button")).await;
    let proxied = client
        .find(Locator::Css("#done"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(proxied.starts_with("✓ 已代签。已签到 2/4 人"), "{proxied}");
    assert!(say(format!("结束 {id}")).await.contains("结束"));

    // After: the minutes published from the console, the attendance as CSV.
    client
        .goto(&format!("{}/console/meetings/{id}", app.base))
        .await
        .unwrap();
    click_and_load(&client, Locator::Css("#publish-minutes")).await;
    let after = source(&client).await;
    assert!(after.contains("已发布纪要"), "{after}");
    shot(&client, "console-minutes-published").await;
    let csv = client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             fetch(arguments[0]).then(r => r.arrayBuffer()).then(b => {
               const bytes = new Uint8Array(b);
               done([Array.from(bytes.slice(0, 3)), new TextDecoder().decode(bytes)]);
             });",
            vec![json!(format!(
                "/console/meetings/{id}/reports/attendance.csv"
            ))],
        )
        .await
        .unwrap();
    assert_eq!(csv[0], json!([0xEF, 0xBB, 0xBF]), "UTF-8 with a BOM");
    let text = csv[1].as_str().unwrap();
    assert!(
        text.contains("王主持,E1,,pending,,2030-01-07 08:50,出席")
            && text.contains("会务小刘,E6,,pending,,,缺席"),
        "{text}"
    );

    client
        .goto(&format!("{}/console/meetings/{id}/reports", app.base))
        .await
        .unwrap();
    assert!(source(&client).await.contains("通知送达"));
    shot(&client, "console-reports").await;
    client
        .goto(&format!("{}/console/week?start=2030-01-07", app.base))
        .await
        .unwrap();
    assert!(source(&client).await.contains("产品评审会"));
    shot(&client, "console-week").await;
    // An empty slot opens the form there.
    click_and_load(
        &client,
        Locator::Css("a[href*='date=2030-01-08'][href*='start=14:00']"),
    )
    .await;
    let prefilled = source(&client).await;
    assert!(
        prefilled.contains("value=\"2030-01-08\"")
            && prefilled.contains("value=\"14:00\"")
            && prefilled.contains("value=\"15:00\""),
        "{prefilled}"
    );

    // The built-in administrator (the admin token): rooms, screens, the menu, the audit log.
    client.delete_all_cookies().await.unwrap();
    client
        .goto(&format!("{}/console/sign-in", app.base))
        .await
        .unwrap();
    shot(&client, "console-sign-in").await;
    type_into(&client, "#token", ADMIN_TOKEN).await;
    click_and_load(
        &client,
        Locator::XPath("//input[@id='token']/following::button[1]"),
    )
    .await;
    assert!(source(&client).await.contains("管理员（管理员）"));
    client
        .goto(&format!("{}/console/rooms/{room}", app.base))
        .await
        .unwrap();
    click_and_load(&client, Locator::XPath("//button[text()='生成屏幕链接']")).await;
    assert!(source(&client).await.contains("/display?key="));
    shot(&client, "console-room").await;
    client
        .goto(&format!("{}/console/rooms", app.base))
        .await
        .unwrap();
    shot(&client, "console-rooms").await;
    client
        .goto(&format!("{}/console/people/{host}", app.base))
        .await
        .unwrap();
    assert!(source(&client).await.contains("编辑人员：王主持"));
    shot(&client, "console-person").await;
    client
        .goto(&format!("{}/console/menu", app.base))
        .await
        .unwrap();
    assert!(source(&client).await.contains("我的会议"));
    shot(&client, "console-menu").await;
    client
        .goto(&format!("{}/console/audit", app.base))
        .await
        .unwrap();
    let audit = source(&client).await;
    assert!(
        audit.contains("publish_meeting") && audit.contains("会务小刘（E6）"),
        "{audit}"
    );
    shot(&client, "console-audit").await;

    // Every console page on a phone: nothing wider than the screen (wide tables scroll
    // inside themselves), no input past its edge.
    let (phone, _phone_driver) = browser(Screen::Phone).await;
    phone
        .goto(&format!("{}/console/sign-in", app.base))
        .await
        .unwrap();
    type_into(&phone, "#token", ADMIN_TOKEN).await;
    click_and_load(
        &phone,
        Locator::XPath("//input[@id='token']/following::button[1]"),
    )
    .await;
    for (path, name) in [
        ("/console".to_owned(), "phone-console"),
        (
            "/console/week?start=2030-01-07".to_owned(),
            "phone-console-week",
        ),
        ("/console/meetings/new".to_owned(), "phone-console-new"),
        (format!("/console/meetings/{id}"), "phone-console-meeting"),
        (format!("/console/meetings/{id}/live"), "phone-console-live"),
        (
            format!("/console/meetings/{id}/reports"),
            "phone-console-reports",
        ),
        ("/console/people".to_owned(), "phone-console-people"),
        ("/console/rooms".to_owned(), "phone-console-rooms"),
        ("/console/menu".to_owned(), "phone-console-menu"),
        ("/console/audit".to_owned(), "phone-console-audit"),
    ] {
        phone.goto(&format!("{}{path}", app.base)).await.unwrap();
        let overflow = phone
            .execute(
                "var w = window.innerWidth; var out = []; \
                 if (document.documentElement.scrollWidth > w + 1) out.push('page ' + document.documentElement.scrollWidth); \
                 document.querySelectorAll('input, select, textarea, button').forEach(function (e) { \
                   var r = e.getBoundingClientRect(); \
                   var inScroll = e.closest('table, .scroll'); \
                   if (!inScroll && r.width > 0 && r.right > w + 1) out.push((e.name || e.id || e.tagName) + ' ' + r.right); }); \
                 return out;",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(overflow, json!([]), "{path} on a phone");
        shot(&phone, name).await;
    }
    phone.close().await.unwrap();

    // The sign-in link was good once.
    client.delete_all_cookies().await.unwrap();
    client.goto(&link).await.unwrap();
    assert!(source(&client).await.contains("登录已失效"));
    shot(&client, "console-link-used").await;

    client.close().await.unwrap();
}

async fn a_new_follower_binds_on_the_page_with_the_code_handed_to_them(backend: Backend) {
    let platform = MockServer::start().await;
    let holder = Arc::new(Mutex::new("CODE_NEW"));
    Mock::given(method("GET"))
        .and(path("/connect/oauth2/authorize"))
        .respond_with(Authorize(holder.clone()))
        .mount(&platform)
        .await;
    Mock::given(method("GET"))
        .and(path("/sns/oauth2/access_token"))
        .and(query_param("code", "CODE_NEW"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"openid": "o_new"})))
        .mount(&platform)
        .await;
    let mut opts = TestOptions::new(backend);
    opts.api_base = platform.uri();
    opts.outbox_worker = false;
    opts.extra_config = format!("[web]\noauth_base = '{}'\n", platform.uri());
    let app = spawn(opts).await;
    let newcomer = app.person("E5").named("孙新人").await;
    let (status, issued) = app
        .admin(Method::POST, &format!("/users/{newcomer}/bind-code"), None)
        .await;
    assert_eq!(status, 200, "{issued}");
    let code = issued["code"].as_str().unwrap().to_owned();

    let (client, _driver) = browser(Screen::Phone).await;
    client.goto(&format!("{}/me", app.base)).await.unwrap();
    assert!(source(&client).await.contains("绑定码"));
    shot(&client, "bind-form").await;

    // A wrong code first: said next to the form, nothing bound.
    type_into(&client, "#employee_no", "E5").await;
    type_into(&client, "#code", "WRONG234").await;
    click_and_load(&client, Locator::XPath("//button[text()='绑定']")).await;
    let refused = source(&client).await;
    assert!(refused.contains("绑定码不正确"), "{refused}");
    shot(&client, "bind-wrong-code").await;

    let kept = client.find(Locator::Css("#employee_no")).await.unwrap();
    assert_eq!(
        kept.prop("value").await.unwrap().as_deref(),
        Some("E5"),
        "kept as typed"
    );
    type_into(&client, "#code", &code.to_lowercase()).await;
    click_and_load(&client, Locator::XPath("//button[text()='绑定']")).await;
    let done = source(&client).await;
    assert!(done.contains("绑定成功"), "{done}");
    shot(&client, "bind-done").await;
    click_and_load(&client, Locator::Css("#go-on")).await;
    let me = source(&client).await;
    assert!(
        !me.contains("绑定码") && me.contains("我的会议"),
        "signed in and on /me: {me}"
    );
    let bound = app.read_user(newcomer).await;
    assert_eq!(bound["openid"], "o_new");
}

/// The text of the confirmation at the top of the page.
async fn confirmation(client: &Client) -> String {
    client
        .find(Locator::Css("#done"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

async fn a_host_runs_the_meeting_from_the_phone(backend: Backend) {
    // 09:00 local on the day: the meeting's start.
    let clock = Arc::new(huiwu::clock::ManualClock::new(
        chrono::Utc.with_ymd_and_hms(2030, 1, 7, 1, 0, 0).unwrap(),
    ));
    let platform = MockServer::start().await;
    let holder = Arc::new(Mutex::new("CODE_ALICE"));
    Mock::given(method("GET"))
        .and(path("/connect/oauth2/authorize"))
        .respond_with(Authorize(holder.clone()))
        .mount(&platform)
        .await;
    for (code, openid) in [("CODE_ALICE", "o_alice"), ("CODE_BOB", "o_bob")] {
        Mock::given(method("GET"))
            .and(path("/sns/oauth2/access_token"))
            .and(query_param("code", code))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({"openid": openid, "scope": "snsapi_base"})),
            )
            .mount(&platform)
            .await;
    }
    let mut opts = TestOptions::new(backend);
    opts.api_base = platform.uri();
    opts.outbox_worker = false;
    opts.clock = Some(clock.clone());
    opts.extra_config = format!("[web]\noauth_base = '{}'\n", platform.uri());
    let app = spawn(opts).await;
    let host = app.person("E1").named("李主持").openid("o_alice").await;
    let bob = app.person("E2").named("周参会").openid("o_bob").await;
    let dan = app.person("E3").named("孙代签").await;
    let carol = app.person("E4").named("赵缺席").await;
    let (status, m) = app.create_meeting(json!({
        "title": "预算评审会", "place": "3楼", "starts_at": "2030-01-07T09:00:00+08:00", "ends_at": "2030-01-07T10:00:00+08:00",
        "agenda": [{"title": "收入回顾", "minutes": 20}, {"title": "预算讨论", "minutes": 20}],
        "materials": [{"title": "预算表", "url": "https://docs.example.com/budget.xlsx"}],
        "roles": [{"person_id": host, "role": "host"}, {"person_id": bob, "role": "attendee"},
                  {"person_id": dan, "role": "attendee"}, {"person_id": carol, "role": "attendee"}],
    })).await;
    assert_eq!(status, 201, "{m}");
    let id = m["id"].as_i64().unwrap();
    app.publish(id).await;
    let page = format!("{}/m/{id}", app.base);

    let (client, _driver) = browser(Screen::Phone).await;
    client.goto(&page).await.unwrap();
    assert!(
        source(&client)
            .await
            .contains("4 人未打开：李主持、周参会、孙代签、赵缺席"),
        "the host sees who has not read"
    );
    click_and_load(&client, Locator::Css("#run-start")).await;
    assert_eq!(
        confirmation(&client).await,
        "✓ 会议已开始，现在是第 1 项「收入回顾」"
    );
    shot(&client, "run-started").await;
    client
        .find(Locator::Css(&format!("input[name=p{dan}]")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    click_and_load(&client, Locator::Css("#checkin-button")).await;
    assert!(confirmation(&client)
        .await
        .starts_with("✓ 已代签。已签到 2/4 人"));
    shot(&client, "run-checked-in").await;
    client
        .find(Locator::Css("input[name=kind][value=decision]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    type_into(&client, "#minutes-text", "预算上调 5%").await;
    click_and_load(&client, Locator::Css("#minutes-button")).await;
    assert_eq!(
        confirmation(&client).await,
        "✓ 已记下决议，并请在场的人表态：预算上调 5%"
    );

    // Bob, checked in at the door, sees the decision on his phone and agrees.
    app.admin(
        Method::POST,
        &format!("/meetings/{id}/participants/{bob}/checkin"),
        None,
    )
    .await;
    client.delete_all_cookies().await.unwrap();
    *holder.lock().unwrap() = "CODE_BOB";
    client.goto(&page).await.unwrap();
    let seen = source(&client).await;
    assert!(
        !seen.contains("id=\"run-start\"") && !seen.contains("id=\"roster\""),
        "no host controls for Bob"
    );
    click_and_load(&client, Locator::Css("button[name=vote][value=agree]")).await;
    assert_eq!(confirmation(&client).await, "✓ 你已同意决议：预算上调 5%");
    type_into(&client, "#ask-text", "预算何时定稿？").await;
    click_and_load(&client, Locator::Css("#ask-button")).await;
    assert_eq!(confirmation(&client).await, "✓ 提问已发给主持人和记录员");
    shot(&client, "run-participant").await;

    // The host's page takes in the question without a reload (the board refreshes itself).
    client.delete_all_cookies().await.unwrap();
    *holder.lock().unwrap() = "CODE_ALICE";
    client.goto(&page).await.unwrap();
    let board = source(&client).await;
    assert!(
        board.contains("预算何时定稿？") && board.contains("同意 1，异议 0"),
        "{board}"
    );
    clock.advance(chrono::Duration::minutes(3));
    let asked = reply_content(
        &app.act(
            &app.oa(),
            "o_bob",
            huiwu::sim::SimAction::Text("提问 会后发材料吗".into()),
        )
        .await,
    );
    assert!(asked.contains("已"), "{asked}");
    wait_for_text(&client, "会后发材料吗").await;
    shot(&client, "run-board-refreshed").await;
    click_and_load(&client, Locator::Css("#run-next")).await;
    assert_eq!(confirmation(&client).await, "✓ 现在进行第 2 项「预算讨论」");
    click_and_load(&client, Locator::Css("#run-end")).await;
    let ended = confirmation(&client).await;
    assert!(
        ended.contains("会议已结束：已签到 3/4 人") && ended.contains("缺席 1"),
        "{ended}"
    );
    shot(&client, "run-ended").await;
    click_and_load(&client, Locator::Css("#publish-minutes")).await;
    assert_eq!(confirmation(&client).await, "✓ 纪要已发布，已发给参会人");
    shot(&client, "run-published").await;
}
