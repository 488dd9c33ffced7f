//! The staff pages as WeChat's and WeCom's in-app browsers use them: a notice's link, the
//! silent web authorisation (the mock WeChat API plays the platform), then answering by form.

use crate::helpers::*;
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE, USER_AGENT};
use reqwest::Method;
use serde_json::json;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

pub(crate) const WECHAT_UA: &str =
    "Mozilla/5.0 (iPhone) AppleWebKit Mobile MicroMessenger/8.0.50 NetType/WIFI";
const WECOM_UA: &str = "Mozilla/5.0 (iPhone) AppleWebKit Mobile wxwork/4.1.20 MicroMessenger/7.0.1";

pub(crate) struct Browser {
    http: reqwest::Client,
    base: String,
    agent: &'static str,
    /// The cookie jar: name → value.
    cookies: std::collections::BTreeMap<String, String>,
}

pub(crate) struct Page {
    pub status: u16,
    pub location: Option<String>,
    pub content_type: String,
    pub bytes: Vec<u8>,
    pub body: String,
}

impl Browser {
    pub(crate) fn new(app: &TestApp, agent: &'static str) -> Self {
        Browser {
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            base: app.base.clone(),
            agent,
            cookies: Default::default(),
        }
    }

    pub(crate) async fn send(&mut self, request: reqwest::RequestBuilder) -> Page {
        let mut request = request.header(USER_AGENT, self.agent);
        if !self.cookies.is_empty() {
            let jar: Vec<String> = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            request = request.header(COOKIE, jar.join("; "));
        }
        let r = request.send().await.unwrap();
        for set in r.headers().get_all(SET_COOKIE) {
            let set = set.to_str().unwrap().to_owned();
            assert!(
                set.contains("HttpOnly")
                    && (set.contains("SameSite=Lax") || set.contains("SameSite=Strict")),
                "{set}"
            );
            let (name, value) = set.split(';').next().unwrap().split_once('=').unwrap();
            if set.contains("Max-Age=0") {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
        let status = r.status().as_u16();
        let location = r
            .headers()
            .get(LOCATION)
            .map(|l| l.to_str().unwrap().to_owned());
        let content_type = r
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        let bytes = r.bytes().await.unwrap().to_vec();
        Page {
            status,
            location,
            content_type,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes,
        }
    }

    pub(crate) async fn get(&mut self, path: &str) -> Page {
        let url = if path.starts_with("http") {
            path.to_owned()
        } else {
            format!("{}{path}", self.base)
        };
        let request = self.http.get(url);
        self.send(request).await
    }

    pub(crate) async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Page {
        let request = self.http.post(format!("{}{path}", self.base)).form(form);
        self.send(request).await
    }

    /// Opens `path` without a session: the page sends us to the platform, which (here) sends
    /// us straight back with `code`; we land on `path` signed in.
    pub(crate) async fn sign_in(&mut self, path: &str, code: &str) -> String {
        let first = self.get(path).await;
        assert_eq!(first.status, 302, "{}", first.body);
        let authorize = url::Url::parse(
            first
                .location
                .as_deref()
                .unwrap()
                .trim_end_matches("#wechat_redirect"),
        )
        .unwrap();
        let q: std::collections::HashMap<_, _> = authorize.query_pairs().into_owned().collect();
        assert_eq!(q["scope"], "snsapi_base");
        let back = format!("{}?code={code}&state={}", q["redirect_uri"], q["state"]);
        let landed = self.get(&back).await;
        assert_eq!(
            (landed.status, landed.location.as_deref()),
            (303, Some(path)),
            "{}",
            landed.body
        );
        back
    }
}

impl Browser {
    /// The browser's cookies, to be copied into another (a stolen or kept copy).
    pub(crate) fn cookies(&self) -> std::collections::BTreeMap<String, String> {
        self.cookies.clone()
    }

    pub(crate) fn with_cookies(
        mut self,
        cookies: std::collections::BTreeMap<String, String>,
    ) -> Self {
        self.cookies = cookies;
        self
    }

    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.http
    }

    /// Opens a console link `后台` sent: the page asks to confirm whose console it is; the
    /// confirmation, from this browser, signs in.
    pub(crate) async fn open_console_link(&mut self, link: &str) -> Page {
        let asked = self.get(link).await;
        assert_eq!(asked.status, 200, "{}", asked.body);
        assert!(asked.body.contains("确认登录"), "{}", asked.body);
        let proof = asked
            .body
            .split("name=\"proof\" value=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_owned();
        let request = self.http.post(link).form(&[("proof", proof.as_str())]);
        self.send(request).await
    }
}

pub(crate) fn csrf(page: &str) -> String {
    page.split("name=\"csrf\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned()
}

async fn mock_platform(server: &MockServer) {
    Mock::given(method("GET")).and(path("/sns/oauth2/access_token")).and(query_param("code", "CODE_ALICE"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": "web-token", "expires_in": 7200, "openid": "o_alice", "scope": "snsapi_base"})))
        .mount(server).await;
    Mock::given(method("GET"))
        .and(path("/sns/oauth2/access_token"))
        .and(query_param("code", "CODE_STRANGER"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"openid": "o_nobody"})))
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path("/cgi-bin/gettoken"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"errcode": 0, "access_token": "T", "expires_in": 7200})),
        )
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path("/cgi-bin/auth/getuserinfo"))
        .and(query_param("code", "CODE_BOB"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"errcode": 0, "userid": "bob"})),
        )
        .mount(server)
        .await;
}

pub(crate) async fn app_with_platform(backend: Backend) -> (TestApp, MockServer) {
    app_at(backend, None).await
}

pub(crate) async fn app_at(
    backend: Backend,
    clock: Option<std::sync::Arc<dyn huiwu::clock::Clock>>,
) -> (TestApp, MockServer) {
    let server = MockServer::start().await;
    mock_platform(&server).await;
    let mut opts = TestOptions::new(backend);
    opts.clock = clock;
    opts.api_base = server.uri();
    opts.outbox_worker = false;
    opts.extra_config = format!("[web]\noauth_base = '{}'\n", server.uri());
    (spawn(opts).await, server)
}

pub(crate) async fn meeting(
    app: &TestApp,
    title: &str,
    confidential: bool,
    roles: serde_json::Value,
) -> i64 {
    let (status, m) = app
        .create_meeting(json!({
            "title": title, "goal": "对齐计划", "place": "3楼",
            "starts_at": "2030-01-07T09:00:00+08:00", "ends_at": "2030-01-07T10:00:00+08:00",
            "confidential": confidential,
            "agenda": [{"title": "进展", "minutes": 20}],
            "roles": roles,
        }))
        .await;
    assert_eq!(status, 201, "{m}");
    let id = m["id"].as_i64().unwrap();
    let (status, body) = app.publish(id).await;
    assert_eq!(status, 200, "{body}");
    id
}

on_both_backends! {
    async fn a_notice_link_signs_in_silently_and_the_page_answers(backend: Backend) {
        let (app, _platform) = app_with_platform(backend).await;
        let host = app.person("E1").named("王主持").await;
        let alice = app.person("E2").named("李参会").openid("o_alice").await;
        let carol = app.person("E3").named("赵同事").await;
        let id = meeting(&app, "<script>alert(1)</script>周会", false, json!([
            {"person_id": host, "role": "host"}, {"person_id": alice, "role": "attendee"}])).await;

        let mut phone = Browser::new(&app, WECHAT_UA);
        let back = phone.sign_in(&format!("/m/{id}"), "CODE_ALICE").await;
        let page = phone.get(&format!("/m/{id}")).await;
        assert_eq!(page.status, 200, "{}", page.body);
        assert!(page.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;周会"), "escaped title");
        assert!(!page.body.contains("<script>alert"), "never raw");
        assert!(page.body.contains("王主持") && page.body.contains("进展") && page.body.contains("未回复"));

        // A login state is good once.
        assert_eq!(Browser::new(&app, WECHAT_UA).get(&back).await.status, 400);

        let token = csrf(&page.body);
        let done = phone.post(&format!("/m/{id}/answer"), &[("csrf", &token), ("answer", "accepted")]).await;
        assert_eq!((done.status, done.location.as_deref()), (303, Some(format!("/m/{id}?done=answer").as_str())));
        // The page says what was done, on its first screen, with the chosen answer marked.
        let after = phone.get(done.location.as_deref().unwrap()).await;
        assert!(after.body.contains(&format!("✓ 已确认参加 #{id} ")), "{}", after.body);
        assert!(after.body.contains("aria-pressed=\"true\">✓ 确认参加"), "{}", after.body);
        assert!(after.body.contains("筹备中"), "the meeting's state: {}", after.body);
        let first_screen = after.body.split("id=\"my-answer\"").next().unwrap();
        assert!(!first_screen.contains("<h2>议程</h2>"), "the answer comes before the agenda");
        assert!(!after.body.contains(" required"), "our messages, not the browser's popups");
        // A topic proposed on the page reaches the host (no agenda owner here).
        let proposed = phone.post(&format!("/m/{id}/topic"), &[("csrf", &token), ("text", "年度预算")]).await;
        assert_eq!(proposed.status, 303, "{}", proposed.body);
        let topics = app.topics(id).await;
        assert_eq!((topics[0]["text"].as_str(), topics[0]["proposer_id"].as_i64()), (Some("年度预算"), Some(alice)));
        assert!(phone.get(&format!("/m/{id}")).await.body.contains("年度预算 · 李参会 · 待定"));
        assert_eq!(app.participant(id, alice).await["rsvp"], "accepted");

        let refused = phone.post(&format!("/m/{id}/answer"), &[("csrf", &token), ("answer", "declined"), ("reason", "  ")]).await;
        assert_eq!(refused.status, 422);
        assert!(refused.body.contains("id=\"reason-error\" role=\"alert\">请假需要填写原因"), "next to the field: {}", refused.body);
        let unknown = phone.post(&format!("/m/{id}/delegate"), &[("csrf", &token), ("colleague", "不存在的人")]).await;
        assert_eq!(unknown.status, 422);
        assert!(unknown.body.contains("colleague-error") && unknown.body.contains("value=\"不存在的人\""), "kept as typed: {}", unknown.body);
        let forged = phone.post(&format!("/m/{id}/answer"), &[("csrf", "x"), ("answer", "tentative")]).await;
        assert_eq!(forged.status, 403);
        assert_eq!(app.participant(id, alice).await["rsvp"], "accepted", "nothing changed");

        let declined = phone.post(&format!("/m/{id}/answer"), &[("csrf", &token), ("answer", "declined"), ("reason", "出差")]).await;
        assert_eq!(declined.status, 303);
        assert_eq!(app.participant(id, alice).await["rsvp"], "declined");

        let delegated = phone.post(&format!("/m/{id}/delegate"), &[("csrf", &token), ("colleague", "赵同事")]).await;
        assert_eq!(delegated.status, 303, "{}", delegated.body);
        let said = phone.get(delegated.location.as_deref().unwrap()).await;
        assert!(said.body.contains("✓ 已委托 赵同事 代你参加"), "{}", said.body);
        assert_eq!(app.participant(id, carol).await["rsvp"], "pending", "the colleague is invited");

        let me = phone.get("/me").await;
        assert_eq!(me.status, 200);
        assert!(me.body.contains(&format!("/m/{id}")), "{}", me.body);

        // Deactivated: out at once, as in chat, not when the cookie expires: the session has
        // ended, so the page asks the platform again, which names nobody active.
        app.admin_does(Method::POST, &format!("/users/{alice}/deactivate"), None).await;
        let out = phone.get(&format!("/m/{id}")).await;
        assert_eq!(out.status, 302, "{}", out.body);
        let post = phone.post(&format!("/m/{id}/answer"), &[("csrf", &token), ("answer", "accepted")]).await;
        assert_eq!(post.status, 403);
    }

    async fn what_a_reader_may_not_see_is_not_found_and_strangers_are_told_to_bind(backend: Backend) {
        let (app, _platform) = app_with_platform(backend).await;
        let host = app.person("E1").named("王主持").await;
        let alice = app.person("E2").named("李参会").openid("o_alice").await;
        let secret = meeting(&app, "人事调整", true, json!([{"person_id": host, "role": "host"}])).await;
        let mut phone = Browser::new(&app, WECHAT_UA);
        phone.sign_in("/me", "CODE_ALICE").await;
        let hidden = phone.get(&format!("/m/{secret}")).await;
        let unknown = phone.get("/m/999999").await;
        assert_eq!((hidden.status, unknown.status), (404, 404));
        assert_eq!(hidden.body, unknown.body, "a confidential meeting reads like none");
        assert!(!hidden.body.contains("人事调整"));
        let _ = alice;

        let mut stranger = Browser::new(&app, WECHAT_UA);
        let first = stranger.get("/me").await;
        let authorize = url::Url::parse(first.location.as_deref().unwrap().trim_end_matches("#wechat_redirect")).unwrap();
        let q: std::collections::HashMap<_, _> = authorize.query_pairs().into_owned().collect();
        // A follower nobody is bound to: the bind form, as 绑定 in chat.
        let form = stranger.get(&format!("{}?code=CODE_STRANGER&state={}", q["redirect_uri"], q["state"])).await;
        assert_eq!(form.status, 200);
        assert!(form.body.contains("绑定工号"), "{}", form.body);
        let field = |name: &str| form.body.split(&format!("name=\"{name}\" value=\"")).nth(1).unwrap().split('"').next().unwrap().to_owned();
        let (openid, next, expires, proof) = (field("openid"), field("next"), field("expires"), field("proof"));
        assert_eq!((openid.as_str(), next.as_str()), ("o_nobody", "/me"));
        let with_code = |employee_no: &str, code: &str, proof: String| {
            vec![("openid", openid.clone()), ("next", next.clone()), ("expires", expires.clone()),
                 ("proof", proof), ("employee_no", employee_no.to_owned()), ("code", code.to_owned())]
        };
        let fields = |employee_no: &'static str, proof: String| with_code(employee_no, "", proof);
        let wrong = stranger.send(stranger.http.post(format!("{}/auth/bind", app.base)).form(&fields("E404", proof.clone()))).await;
        assert_eq!(wrong.status, 422);
        assert!(wrong.body.contains("找不到这个工号"));
        let forged = stranger.send(stranger.http.post(format!("{}/auth/bind", app.base)).form(&fields("E3", "x".into()))).await;
        assert_eq!(forged.status, 400);
        let taken = stranger.send(stranger.http.post(format!("{}/auth/bind", app.base)).form(&fields("E2", proof.clone()))).await;
        assert_eq!(taken.status, 409, "alice's number: {}", taken.body);
        assert!(taken.body.contains("已经绑定"), "alice's number: {}", taken.body);
        app.person("E3").named("孙新人").await;
        // The number alone is a request waiting for an admin; the code binds.
        let asked = stranger.send(stranger.http.post(format!("{}/auth/bind", app.base)).form(&fields("E3", proof.clone()))).await;
        assert_eq!(asked.status, 202, "{}", asked.body);
        assert!(asked.body.contains("已提交绑定申请"), "{}", asked.body);
        let bind_text = app.bind_text("E3").await;
        let code = bind_text.rsplit(' ').next().unwrap().to_lowercase();
        let bound = stranger.send(stranger.http.post(format!("{}/auth/bind", app.base)).form(&with_code("E3", &code, proof))).await;
        assert_eq!(bound.status, 200, "{}", bound.body);
        assert!(bound.body.contains("✓ 绑定成功，孙新人") && bound.body.contains("href=\"/me\""), "said, then on: {}", bound.body);
        assert_eq!(stranger.get("/me").await.status, 200, "signed in once bound");

        let desktop = Browser::new(&app, "Mozilla/5.0 (X11; Linux x86_64) Chrome/120").get("/me").await;
        assert_eq!(desktop.status, 401);
        assert!(desktop.body.contains("微信"));
        let forged_state = Browser::new(&app, WECHAT_UA).get("/auth/oa?code=CODE_ALICE&state=0123456789abcdef0123456789abcdef").await;
        assert_eq!(forged_state.status, 400);
    }

    async fn wecom_readers_sign_in_with_the_app_and_their_userid(backend: Backend) {
        let (app, _platform) = app_with_platform(backend).await;
        let bob = app.person("E5").named("周企微").wecom("bob").await;
        let id = meeting(&app, "周会", false, json!([{"person_id": bob, "role": "host"}])).await;
        // The invitation card opens huiwu's own meeting page when tapped.
        let rows = app.db.run(huiwu::db::outbox::all).await.unwrap();
        let card = rows.iter().find(|r| r.channel.as_str() == "wecom" && r.payload.contains("button_interaction")).unwrap();
        let payload: serde_json::Value = serde_json::from_str(&card.payload).unwrap();
        assert_eq!(payload["template_card"]["card_action"]["url"], format!("{}/m/{id}", app.base));
        let mut phone = Browser::new(&app, WECOM_UA);
        let first = phone.get(&format!("/m/{id}")).await;
        let location = first.location.unwrap();
        assert!(location.contains(&format!("appid={CORP_ID}")) && location.contains("agentid=1000002"), "{location}");
        phone.sign_in(&format!("/m/{id}"), "CODE_BOB").await;
        let page = phone.get(&format!("/m/{id}")).await;
        assert_eq!(page.status, 200);
        assert!(page.body.contains("主持人"), "my role shown");
    }
}

on_both_backends! {
    async fn a_mangled_login_state_is_refused_not_crashed_on(backend: Backend) {
        let (app, _platform) = app_with_platform(backend).await;
        for state in ["短", "一二三四五六七八九十一", "0123456789abcdef0123456789abcdeg", "0123456789abcdéf0123456789abcde"] {
            let page = Browser::new(&app, WECHAT_UA).get(&format!("/auth/oa?code=C&state={}", urlencode(state))).await;
            assert_eq!(page.status, 400, "{state}");
        }
        assert_eq!(Browser::new(&app, WECHAT_UA).get("/auth/oa").await.status, 400);
        assert_eq!(Browser::new(&app, WECHAT_UA).get("/auth/elsewhere?code=C&state=0123456789abcdef0123456789abcdef").await.status, 400);
    }
}

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

on_both_backends! {
    async fn the_room_screen_checks_in_whoever_scans_its_current_code(backend: Backend) {
        use chrono::TimeZone;
        // 08:50 local, ten minutes before the meeting: check-in is open.
        let clock = std::sync::Arc::new(huiwu::clock::ManualClock::new(
            chrono::Utc.with_ymd_and_hms(2030, 1, 7, 0, 50, 0).unwrap(),
        ));
        let (app, _platform) = app_at(backend, Some(clock.clone())).await;
        let host = app.person("E1").named("王主持").await;
        let alice = app.person("E2").named("李参会").openid("o_alice").await;
        let (_, room) = app.create_room(json!({"name": "3楼大会议室", "capacity": 10})).await;
        let room = room["id"].as_i64().unwrap();
        let (status, m) = app.create_meeting(json!({
            "title": "周会", "room_id": room,
            "starts_at": "2030-01-07T09:00:00+08:00", "ends_at": "2030-01-07T10:00:00+08:00",
            "roles": [{"person_id": host, "role": "host"}, {"person_id": alice, "role": "attendee"}],
        })).await;
        assert_eq!(status, 201, "{m}");
        let id = m["id"].as_i64().unwrap();
        app.publish(id).await;

        let mut tablet = Browser::new(&app, "Mozilla/5.0 (Linux; Android 13) Chrome/120 Safari/537.36");
        assert_eq!(tablet.get(&format!("/rooms/{room}/display")).await.status, 404, "no key, no screen");
        let (status, issued) = app.admin(Method::POST, &format!("/rooms/{room}/display-key"), None).await;
        assert_eq!(status, 200, "{issued}");
        let screen_url = issued["url"].as_str().unwrap().to_owned();
        assert!(screen_url.starts_with(&format!("{}/rooms/{room}/display?key=", app.base)), "{screen_url}");
        let screen = tablet.get(&screen_url).await;
        assert_eq!(screen.status, 200, "{}", screen.body);
        assert!(screen.body.contains("周会") && screen.body.contains("已签到 0 / 2"), "{}", screen.body);
        assert!(screen.body.contains("<svg"), "a QR code drawn by huiwu");
        // The scan: the QR's URL carries the current code; WeChat says who scanned.
        let code = screen.body.split(&format!("data-checkin-url=\"{}/c/", app.base)).nth(1).unwrap()
            .split('"').next().unwrap().to_owned();
        assert!(code.starts_with(&format!("r{id}-")), "{code}");
        let mut phone = Browser::new(&app, WECHAT_UA);
        phone.sign_in(&format!("/c/{code}"), "CODE_ALICE").await;
        let done = phone.get(&format!("/c/{code}")).await;
        assert_eq!(done.status, 200, "{}", done.body);
        assert!(done.body.contains("签到成功"), "{}", done.body);
        let again = phone.get(&format!("/c/{code}")).await;
        assert!(again.body.contains("签到过"), "{}", again.body);
        assert!(tablet.get(&screen_url).await.body.contains("已签到 1 / 2"));

        // Someone not invited scans the same screen: refused, nothing recorded.
        app.person("E9").named("路人").openid("o_nobody").await;
        let mut stranger = Browser::new(&app, WECHAT_UA);
        let first = stranger.get(&format!("/c/{code}")).await;
        let authorize = url::Url::parse(first.location.as_deref().unwrap().trim_end_matches("#wechat_redirect")).unwrap();
        let q: std::collections::HashMap<_, _> = authorize.query_pairs().into_owned().collect();
        stranger.get(&format!("{}?code=CODE_STRANGER&state={}", q["redirect_uri"], q["state"])).await;
        let refused = stranger.get(&format!("/c/{code}")).await;
        assert_eq!(refused.status, 409, "{}", refused.body);
        assert!(refused.body.contains("不在这次会议的邀请名单中"), "{}", refused.body);
        assert!(tablet.get(&screen_url).await.body.contains("已签到 1 / 2"));

        // A login left half-way for more than ten minutes is stale.
        let mut slow = Browser::new(&app, WECHAT_UA);
        let first = slow.get("/me").await;
        let authorize = url::Url::parse(first.location.as_deref().unwrap().trim_end_matches("#wechat_redirect")).unwrap();
        let q: std::collections::HashMap<_, _> = authorize.query_pairs().into_owned().collect();
        clock.advance(chrono::Duration::minutes(11));
        let stale = slow.get(&format!("{}?code=CODE_ALICE&state={}", q["redirect_uri"], q["state"])).await;
        assert_eq!(stale.status, 400);
        clock.advance(chrono::Duration::minutes(-11));

        // A photo of the screen sent on: a minute later the code is refused.
        clock.advance(chrono::Duration::seconds(61));
        let late = phone.get(&format!("/c/{code}")).await;
        assert_eq!(late.status, 410, "{}", late.body);
        assert!(late.body.contains("二维码已过期"));
        assert_eq!(phone.get("/c/r1-123-forged").await.status, 400);

        let (status, _) = app.admin(Method::DELETE, &format!("/rooms/{room}/display-key"), None).await;
        assert_eq!(status, 204);
        assert_eq!(tablet.get(&screen_url).await.status, 404, "revoked");
        assert_eq!(app.admin(Method::DELETE, &format!("/rooms/{room}/display-key"), None).await.0, 204, "idempotent");
        assert_eq!(app.admin(Method::DELETE, "/rooms/999/display-key", None).await.0, 404);
    }
}

on_both_backends! {
    async fn after_the_meeting_the_page_has_the_minutes_and_takes_feedback(backend: Backend) {
        use chrono::TimeZone;
        let clock = std::sync::Arc::new(huiwu::clock::ManualClock::new(
            chrono::Utc.with_ymd_and_hms(2030, 1, 7, 0, 50, 0).unwrap(),
        ));
        let (app, _platform) = app_at(backend, Some(clock.clone())).await;
        let host = app.person("E1").named("王主持").openid("o_host").await;
        let alice = app.person("E2").named("李参会").openid("o_alice").await;
        let id = meeting(&app, "周会", false, json!([
            {"person_id": host, "role": "host"}, {"person_id": alice, "role": "attendee"}])).await;
        let mut phone = Browser::new(&app, WECHAT_UA);
        phone.sign_in(&format!("/m/{id}"), "CODE_ALICE").await;

        clock.advance(chrono::Duration::minutes(15));
        for step in ["start", "end"] {
            let (status, body) = app.admin(Method::POST, &format!("/meetings/{id}/{step}"), None).await;
            assert_eq!(status, 200, "{step}: {body}");
        }
        // The host records a decision and gives Alice a task, by chat.
        let said = reply_content(&app.act(&app.oa(), "o_host", huiwu::sim::SimAction::Text(format!("决议 #{id} 下周上线"))).await);
        assert!(said.contains("已记入"), "{said}");
        let said = reply_content(&app.act(&app.oa(), "o_host", huiwu::sim::SimAction::Text(format!("任务 #{id} E2 2030-01-10 写上线总结"))).await);
        assert!(said.contains("写上线总结"), "{said}");
        let page = phone.get(&format!("/m/{id}")).await;
        assert!(page.body.contains("纪要尚未发布"), "{}", page.body);
        assert!(page.body.contains("写上线总结"), "my task from it: {}", page.body);
        assert!(!page.body.contains("确认参加"), "no answering once it has run");
        let late = phone.post(&format!("/m/{id}/answer"), &[("csrf", &csrf(&page.body)), ("answer", "accepted")]).await;
        assert_eq!(late.status, 409, "{}", late.body);

        let (status, body) = app.admin(Method::POST, &format!("/meetings/{id}/close"), None).await;
        assert_eq!(status, 200, "{body}");
        let page = phone.get(&format!("/m/{id}")).await;
        assert!(page.body.contains("会议纪要") && page.body.contains("提交反馈"), "{}", page.body);
        let (_, minutes) = app.minutes(id).await;
        assert_eq!(minutes["readers"][0]["person_id"], alice, "opening the page is the read receipt: {minutes}");

        let token = csrf(&page.body);
        let bad = phone.post(&format!("/m/{id}/feedback"), &[("csrf", &token), ("rating", "9")]).await;
        assert_eq!(bad.status, 422);
        let sent = phone.post(&format!("/m/{id}/feedback"), &[("csrf", &token), ("rating", "5"), ("comment", "高效")]).await;
        assert_eq!(sent.status, 303, "{}", sent.body);
        let report = app.report(id, "feedback").await;
        assert_eq!(report["count"], 1, "{report}");
        assert!(page.body.contains("下周上线"), "the decision in the minutes");

        // My tasks, overdue first, with progress and done.
        let me = phone.get("/me").await;
        assert!(me.body.contains("写上线总结"), "{}", me.body);
        let task = me.body.split("action=\"/tasks/").nth(1).unwrap().split('/').next().unwrap().to_owned();
        let token = csrf(&me.body);
        let empty = phone.post(&format!("/tasks/{task}/progress"), &[("csrf", &token), ("text", " ")]).await;
        assert_eq!(empty.status, 422);
        let reported = phone.post(&format!("/tasks/{task}/progress"), &[("csrf", &token), ("text", "初稿已完成")]).await;
        let back = format!("/me?done=progress&task={task}");
        assert_eq!((reported.status, reported.location.as_deref()), (303, Some(back.as_str())), "{}", reported.body);
        let said = phone.get(&back).await;
        assert!(said.body.contains("✓ 已汇报进展「写上线总结」 · 进行中"), "{}", said.body);
        assert!(said.body.contains("我的进展：初稿已完成"), "the progress I reported: {}", said.body);
        let finished = phone.post(&format!("/tasks/{task}/done"), &[("csrf", &token)]).await;
        assert_eq!(finished.status, 303, "{}", finished.body);
        let said = phone.get(finished.location.as_deref().unwrap()).await;
        assert!(said.body.contains("✓ 已完成「写上线总结」"), "{}", said.body);
        let items = app.action_items(&format!("owner_id={alice}")).await;
        assert_eq!(items[0]["status"], "done", "{items}");
        assert!(!phone.get("/me").await.body.contains("写上线总结"), "done tasks leave the list");
        assert_eq!(phone.post("/tasks/999999/done", &[("csrf", &token)]).await.status, 404);
    }
}

on_both_backends! {
    async fn organizers_sign_in_to_the_console_with_a_one_time_link(backend: Backend) {
        let (app, _platform) = app_with_platform(backend).await;
        let host = app.person("E1").named("王主持").await;
        let org = app.person("E6").named("会务小刘").openid("o_org").with("is_organizer", true).await;
        app.person("E2").named("李参会").openid("o_alice").await;
        let mine = meeting(&app, "我负责的周会", false, json!([{"person_id": host, "role": "host"}, {"person_id": org, "role": "organizer"}])).await;
        let other = meeting(&app, "别人的评审会", false, json!([{"person_id": host, "role": "host"}])).await;
        let say = |from: &'static str, text: &'static str| {
            let app = &app;
            async move { reply_content(&app.act(&app.oa(), from, huiwu::sim::SimAction::Text(text.into())).await) }
        };
        assert!(say("o_alice", "后台").await.contains("只对管理员和会务组开放"));
        assert!(!say("o_alice", "帮助").await.contains("后台"), "not offered to staff");
        assert!(say("o_org", "帮助").await.contains("后台"), "offered to organizers");
        let reply = say("o_org", "后台").await;
        let link = reply.lines().find(|l| l.contains("/console/login/")).unwrap().trim().to_owned();
        assert!(link.starts_with(&format!("{}/console/login/", app.base)), "{link}");
        let issued = app.audit_log("action=issue_console_link").await;
        assert_eq!(issued.as_array().map(Vec::len), Some(1), "only the organizer's: {issued}");
        assert_eq!(issued[0]["actor"], format!("person:{org}"));

        // Opened in a desktop browser: signed in at once.
        let mut desk = Browser::new(&app, "Mozilla/5.0 (Windows NT 10.0) Chrome/120");
        assert_eq!(desk.get("/console").await.status, 403, "not before signing in");
        let signed = desk.open_console_link(&link).await;
        assert_eq!((signed.status, signed.location.as_deref()), (303, Some("/console")), "{}", signed.body);
        let console = desk.get("/console").await;
        assert_eq!(console.status, 200, "{}", console.body);
        assert!(console.body.contains("我负责的周会") && console.body.contains(&format!("/console/meetings/{mine}")), "{}", console.body);
        assert!(!console.body.contains("别人的评审会"), "an organizer sees the meetings they organize");
        assert_eq!(desk.get(&format!("/console/meetings/{mine}")).await.status, 200);
        let theirs = desk.get(&format!("/console/meetings/{other}")).await;
        assert_eq!(theirs.status, 403, "{}", theirs.body);
        assert!(theirs.body.contains("只有主持人或会务组可以这样做"), "{}", theirs.body);

        let again = Browser::new(&app, "Mozilla/5.0 (Windows NT 10.0) Chrome/120").get(&link).await;
        assert_eq!(again.status, 400, "a link is good once");
        assert_eq!(Browser::new(&app, "Mozilla/5.0").get("/console/login/0123").await.status, 400);
    }
}

on_both_backends! {
    async fn the_help_page_lists_every_command_with_its_example_and_a_readers_own(backend: Backend) {
        let (app, _platform) = app_with_platform(backend).await;
        app.person("E2").named("李参会").openid("o_alice").await;
        let mut anyone = Browser::new(&app, "Mozilla/5.0 (X11; Linux x86_64) Chrome/120");
        let all = anyone.get("/help").await;
        assert_eq!(all.status, 200, "{}", all.body);
        for command in huiwu::bot::command::COMMANDS {
            let example = command.example.replace('<', "&lt;").replace('>', "&gt;");
            assert!(all.body.contains(&example), "{} missing: {}", command.example, all.body);
        }
        assert!(all.body.contains("主持人"), "who may use it: {}", all.body);
        let mut phone = Browser::new(&app, WECHAT_UA);
        phone.sign_in("/me", "CODE_ALICE").await;
        let mine = phone.get("/help").await;
        assert!(mine.body.contains("你现在可以使用") && mine.body.contains("我的会议"), "{}", mine.body);
        assert!(!mine.body.contains("下一项") && !mine.body.contains("绑定 &lt;工号&gt;"), "{}", mine.body);
    }
}

on_both_backends! {
    async fn a_delegate_takes_over_the_presenters_item_and_preparation_and_is_told(backend: Backend) {
        let (app, _platform) = app_with_platform(backend).await;
        let host = app.person("E1").named("王主持").await;
        let bob = app.person("E3").named("杨帆").openid("o_bob").await;
        let alice = app.person("E2").named("李参会").openid("o_alice").await;
        let (status, m) = app.create_meeting(json!({
            "title": "季度复盘", "place": "3楼", "starts_at": "2030-01-07T09:00:00+08:00",
            "ends_at": "2030-01-07T10:00:00+08:00",
            "agenda": [{"title": "销售数据", "minutes": 20, "presenter_id": bob}, {"title": "讨论", "minutes": 20}],
            "roles": [{"person_id": host, "role": "host"}, {"person_id": bob, "role": "attendee"}],
        })).await;
        assert_eq!(status, 201, "{m}");
        let id = m["id"].as_i64().unwrap();
        app.publish(id).await;
        let (_, before) = app.checklist(id).await;
        let bobs: Vec<_> = before.as_array().unwrap().iter().filter(|i| i["owner_id"] == bob).cloned().collect();
        assert!(!bobs.is_empty(), "the presenter prepares something: {before}");

        let reply = reply_content(&app.act(&app.oa(), "o_bob", huiwu::sim::SimAction::Text(format!("委托 {id} 李参会"))).await);
        assert!(reply.contains("已委托 李参会"), "{reply}");
        let (_, meeting) = app.read_meeting(id).await;
        assert_eq!(meeting["agenda"][0]["presenter_id"], alice, "{meeting}");
        let (_, after) = app.checklist(id).await;
        for item in &bobs {
            let now = after.as_array().unwrap().iter().find(|i| i["id"] == item["id"]).unwrap();
            assert_eq!(now["owner_id"], alice, "{after}");
        }
        let told = app.db.run(huiwu::db::outbox::all).await.unwrap();
        let told: Vec<_> = told.iter().filter(|r| r.person_id == Some(typed(alice))).collect();
        assert!(told.iter().any(|r| r.payload.contains("你代替 杨帆 参加") && r.payload.contains("你的议程：第 1 项「销售数据」")), "{told:?}");

        let mut phone = Browser::new(&app, WECHAT_UA);
        phone.sign_in(&format!("/m/{id}"), "CODE_ALICE").await;
        let page = phone.get(&format!("/m/{id}")).await;
        assert!(page.body.contains("你代替 杨帆 参加，并报告第 1 项。"), "{}", page.body);
    }
}
