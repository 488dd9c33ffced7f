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

async fn browser() -> (Client, Driver) {
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
    caps.insert(
        "goog:chromeOptions".into(),
        // A phone's viewport (desktop windows have a minimum width) and WeChat's User-Agent.
        json!({"args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--lang=zh-CN"],
               "mobileEmulation": {"deviceMetrics": {"width": 375, "height": 812, "pixelRatio": 2},
                                   "userAgent": PHONE_UA}}),
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

async fn person(app: &TestApp, body: serde_json::Value) -> i64 {
    let (status, p) = app.admin(Method::POST, "/users", Some(body)).await;
    assert_eq!(status, 201, "{p}");
    p["id"].as_i64().unwrap()
}

async fn rsvp_of(app: &TestApp, meeting: i64, person: i64) -> serde_json::Value {
    let (_, list) = app
        .admin(
            Method::GET,
            &format!("/meetings/{meeting}/participants"),
            None,
        )
        .await;
    list.as_array()
        .unwrap()
        .iter()
        .find(|p| p["person_id"] == person)
        .map(|p| p["rsvp"].clone())
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(huiwu_browser_tests),
    ignore = "no chromedriver was found when the tests were built"
)]
async fn staff_answer_check_in_read_and_give_feedback_in_the_browser() {
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
    let mut opts = TestOptions::new(Backend::Sqlite);
    opts.api_base = platform.uri();
    opts.outbox_worker = false;
    opts.clock = Some(clock.clone());
    opts.extra_config = format!("[web]\noauth_base = '{}'\n", platform.uri());
    let app = spawn(opts).await;

    let host = person(&app, json!({"name": "王主持", "employee_no": "E1"})).await;
    let alice = person(
        &app,
        json!({"name": "李参会", "employee_no": "E2", "openid": "o_alice"}),
    )
    .await;
    let bob = person(
        &app,
        json!({"name": "周出差", "employee_no": "E3", "openid": "o_bob"}),
    )
    .await;
    let carol = person(&app, json!({"name": "赵同事", "employee_no": "E4"})).await;
    let (_, room) = app
        .admin(
            Method::POST,
            "/rooms",
            Some(json!({"name": "3楼大会议室", "capacity": 12})),
        )
        .await;
    let room = room["id"].as_i64().unwrap();
    let (status, m) = app.admin(Method::POST, "/meetings", Some(json!({
        "title": "产品周会 <b>不加粗</b>", "goal": "对齐本周上线计划", "room_id": room,
        "briefing": "请提前看一下上线清单",
        "starts_at": "2030-01-07T09:00:00+08:00", "ends_at": "2030-01-07T10:00:00+08:00",
        "agenda": [{"title": "上周进展", "presenter_id": alice, "minutes": 15}, {"title": "本周上线计划", "minutes": 25}],
        "materials": [{"title": "上线清单", "url": "https://docs.example.com/list"}],
        "roles": [{"person_id": host, "role": "host"}, {"person_id": alice, "role": "attendee"},
                  {"person_id": bob, "role": "attendee"}],
    }))).await;
    assert_eq!(status, 201, "{m}");
    let id = m["id"].as_i64().unwrap();
    app.admin(Method::POST, &format!("/meetings/{id}/publish"), None)
        .await;
    let (_, screen) = app
        .admin(Method::POST, &format!("/rooms/{room}/display-key"), None)
        .await;
    let screen_url = screen["url"].as_str().unwrap().to_owned();

    let (client, _driver) = browser().await;

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
    assert_eq!(rsvp_of(&app, id, alice).await, "accepted");
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
    assert!(source(&client).await.contains("已签到 1 / 3"));
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
    assert_eq!(rsvp_of(&app, id, bob).await, "declined");
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
        rsvp_of(&app, id, carol).await,
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
    let (_, report) = app
        .admin(
            Method::GET,
            &format!("/meetings/{id}/reports/feedback"),
            None,
        )
        .await;
    assert_eq!(report["count"], 1, "{report}");

    client.close().await.unwrap();
}
