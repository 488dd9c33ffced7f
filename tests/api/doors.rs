//! One implementation behind every door: each meeting operation is driven through the admin
//! API, chat, the staff pages and the console, in apps set up alike on the same clock, and the stored
//! effects (meeting, agenda, answers, check-ins, outbox rows, scheduler jobs) must be the same
//! after every step.

use crate::console::DESK;
use crate::helpers::*;
use crate::pages::{csrf, Browser, WECHAT_UA};
use chrono::{DateTime, Duration, TimeZone, Utc};
use huiwu::clock::ManualClock;
use huiwu::sim::{SimAction, Simulator};
use reqwest::Method;
use serde_json::json;
use std::collections::HashMap;
use std::sync::Arc;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// 2026-12-01 09:30 in Shanghai.
fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 1, 30, 0).unwrap()
}

/// How a step is taken: the admin token, a chat message, or a staff page behind a notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Via {
    Admin,
    Chat,
    Page,
    /// The console signed in with the admin token; the steps it has no form for go through
    /// the admin API.
    Console,
}

struct Door {
    via: Via,
    app: TestApp,
    oa: Simulator,
    meeting: i64,
    /// The OAuth platform the pages sign people in through: `CODE_<openid>` is that follower.
    _platform: MockServer,
    phones: tokio::sync::Mutex<HashMap<&'static str, Browser>>,
}

/// One thing a person does, the same through every door.
#[derive(Debug, Clone, Copy)]
enum Step {
    AliceAccepts,
    BobDeclines,
    HostChecksAliceIn,
    Start,
    Next,
    End,
    PublishMinutes,
    AliceProposesTopic,
    AliceAsks,
    HostAnswers,
    AliceAsksForHelp,
    RecorderDecides,
    AliceObjects,
    RecorderAssignsAlice,
    AddChecklistItem,
    RecorderTicksItemOff,
    HostTablesDecision,
    AddMaterial,
    Cancel,
}

/// People: 1 host (oHost), 2 alice, 3 bob (attendees), 4 recorder.
const PEOPLE: [(&str, &str, &str); 4] = [
    ("E1", "王主持", "oHost"),
    ("E2", "李参会", "oAlice"),
    ("E3", "张参会", "oBob"),
    ("E4", "赵记录", "oRec"),
];

impl Door {
    async fn new(via: Via, backend: Backend, clock: Arc<ManualClock>) -> Self {
        let platform = MockServer::start().await;
        for (_, _, openid) in PEOPLE {
            Mock::given(method("GET"))
                .and(path("/sns/oauth2/access_token"))
                .and(query_param("code", format!("CODE_{openid}")))
                .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                    "access_token": "web-token", "expires_in": 7200,
                    "openid": openid, "scope": "snsapi_base"})))
                .mount(&platform)
                .await;
        }
        let mut opts = TestOptions::new(backend);
        opts.clock = Some(clock);
        opts.api_base = platform.uri();
        opts.extra_config = format!("[web]\noauth_base = '{}'\n", platform.uri());
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
        let door = Door {
            via,
            app,
            oa,
            meeting,
            _platform: platform,
            phones: Default::default(),
        };
        if via == Via::Console {
            door.console("publish", &[]).await;
        } else {
            let (status, body) = door.app.publish(meeting).await;
            assert_eq!(status, 200, "{body}");
        }
        door
    }

    /// Posts a form of the console's meeting page, signed in with the admin token.
    async fn console(&self, action: &str, form: &[(&str, &str)]) {
        let page = format!("/console/meetings/{}", self.meeting);
        self.desk(&page, &format!("{page}/{action}"), form).await
    }

    /// Posts the console's new-meeting form, signed in with the admin token.
    async fn console_new(&self, form: &[(&str, &str)]) {
        self.desk("/console/meetings/new", "/console/meetings", form)
            .await
    }

    /// Opens the console's `page` (signing in with the admin token when asked to) and posts
    /// its form to `to` with the page's CSRF token; the console answers by sending it on.
    async fn desk(&self, page: &str, to: &str, form: &[(&str, &str)]) {
        let mut phones = self.phones.lock().await;
        let desk = phones
            .entry("console")
            .or_insert_with(|| Browser::new(&self.app, DESK));
        let mut shown = desk.get(page).await;
        if shown.status != 200 {
            let signed = desk
                .post("/console/sign-in", &[("token", ADMIN_TOKEN)])
                .await;
            assert_eq!(signed.status, 303, "{}", signed.body);
            shown = desk.get(page).await;
        }
        let token = csrf(&shown.body);
        let mut fields = vec![("csrf", token.as_str())];
        fields.extend_from_slice(form);
        let posted = desk.post(to, &fields).await;
        assert_eq!(posted.status, 303, "{to} in the console: {}", posted.body);
    }

    /// Every meeting and series in the database with what they wrote: for steps that make
    /// meetings of their own.
    async fn everything(&self) -> String {
        self.app
            .db
            .run(move |c| {
                let mut meetings = Vec::new();
                for id in 1..=12 {
                    if let Some(m) = huiwu::db::meetings::get(c, typed(id))? {
                        let participants = huiwu::db::participants::list(c, m.meeting.id)?;
                        meetings.push((m, participants));
                    }
                }
                let mut series = Vec::new();
                for id in 1..=3 {
                    if let Some(s) = huiwu::db::series::get(c, typed(id))? {
                        series.push(s);
                    }
                }
                let outbox: Vec<_> = huiwu::db::outbox::all(c)?
                    .into_iter()
                    .map(|r| (r.dedupe_key, r.kind, r.meeting_id, r.person_id, r.payload))
                    .collect();
                let jobs: Vec<_> = huiwu::db::jobs::all(c)?
                    .into_iter()
                    .map(|j| (j.dedupe_key, j.job, j.meeting_id, j.due_at, j.status))
                    .collect();
                Ok(format!(
                    "{meetings:#?}\n{series:#?}\n{outbox:#?}\n{jobs:#?}"
                ))
            })
            .await
            .unwrap()
    }

    /// Takes `step` the way this door does.
    async fn take(&self, step: Step) {
        let (alice, bob) = (2, 3);
        match (self.via, step) {
            (Via::Console, Step::HostChecksAliceIn) => {
                self.console("checkin", &[(&format!("p{alice}"), "1")])
                    .await
            }
            (Via::Console, Step::PublishMinutes) => self.console("minutes", &[]).await,
            (Via::Admin | Via::Console, Step::AliceAccepts) => {
                let rsvp = format!("/meetings/{{id}}/participants/{alice}/rsvp");
                self.admin(Method::PUT, &rsvp, Some(json!({"answer": "accepted"})))
                    .await
            }
            (Via::Admin | Via::Console, Step::BobDeclines) => {
                let rsvp = format!("/meetings/{{id}}/participants/{bob}/rsvp");
                let body = json!({"answer": "declined", "reason": "出差"});
                self.admin(Method::PUT, &rsvp, Some(body)).await
            }
            (Via::Admin, Step::HostChecksAliceIn) => {
                let path = format!("/meetings/{{id}}/participants/{alice}/checkin");
                self.admin(Method::POST, &path, None).await
            }
            (Via::Admin | Via::Console, Step::Start) => {
                self.admin(Method::POST, "/meetings/{id}/start", None).await
            }
            (Via::Admin | Via::Console, Step::Next) => {
                self.admin(Method::POST, "/meetings/{id}/next", None).await
            }
            (Via::Admin | Via::Console, Step::End) => {
                self.admin(Method::POST, "/meetings/{id}/end", None).await
            }
            (Via::Admin, Step::PublishMinutes) => {
                self.admin(Method::POST, "/meetings/{id}/close", None).await
            }
            (Via::Chat, Step::AliceAccepts) => self.say("oAlice", "确认", "已确认").await,
            (Via::Chat, Step::BobDeclines) => self.say("oBob", "请假 出差", "请假").await,
            (Via::Chat, Step::HostChecksAliceIn) => {
                self.say("oHost", "代签 E2", "李参会 签到成功").await
            }
            (Via::Chat, Step::Start) => self.say("oHost", "开始", "已开始").await,
            (Via::Chat, Step::Next) => self.say("oHost", "下一项", "超时 5 分钟").await,
            (Via::Chat, Step::End) => self.say("oHost", "结束", "已结束").await,
            (Via::Chat, Step::PublishMinutes) => self.say("oRec", "发布纪要", "纪要已发布").await,
            (Via::Page, Step::AliceAccepts) => {
                self.page("oAlice", "answer", &[("answer", "accepted")])
                    .await
            }
            (Via::Page, Step::BobDeclines) => {
                let form = [("answer", "declined"), ("reason", "出差")];
                self.page("oBob", "answer", &form).await
            }
            (Via::Page, Step::HostChecksAliceIn) => {
                self.page("oHost", "checkin", &[(&format!("p{alice}"), "1")])
                    .await
            }
            (Via::Page, Step::Start) => self.page("oHost", "run", &[("step", "start")]).await,
            (Via::Page, Step::Next) => self.page("oHost", "run", &[("step", "next")]).await,
            (Via::Page, Step::End) => self.page("oHost", "run", &[("step", "end")]).await,
            (Via::Page, Step::PublishMinutes) => self.page("oRec", "minutes/publish", &[]).await,
            (Via::Chat | Via::Page, Step::AddChecklistItem | Step::Cancel)
            | (Via::Page | Via::Console, Step::AddMaterial | Step::HostTablesDecision)
            | (Via::Console, Step::RecorderTicksItemOff) => {
                panic!("{step:?} has no form through {:?}", self.via)
            }
            (Via::Chat, Step::AliceProposesTopic) => {
                let text = format!("议题 #{} 下季度招聘", self.meeting);
                self.say("oAlice", &text, "已提交议题").await
            }
            (Via::Page, Step::AliceProposesTopic) => {
                self.page("oAlice", "topic", &[("text", "下季度招聘")])
                    .await
            }
            (Via::Chat, Step::AliceAsks) => self.say("oAlice", "提问 预算是多少", "已发给").await,
            (Via::Page, Step::AliceAsks) => {
                self.page("oAlice", "ask", &[("text", "预算是多少")]).await
            }
            (Via::Chat, Step::HostAnswers) => self.say("oHost", "答复 1 十万", "已答复").await,
            (Via::Page, Step::HostAnswers) => {
                self.page("oHost", "questions/1/answer", &[("text", "十万")])
                    .await
            }
            (Via::Chat, Step::AliceAsksForHelp) => {
                self.say("oAlice", "求助 投影仪没有信号", "已发给").await
            }
            (Via::Page, Step::AliceAsksForHelp) => {
                self.page("oAlice", "help", &[("text", "投影仪没有信号")])
                    .await
            }
            (Via::Chat, Step::RecorderDecides) => self.say("oRec", "决议 预算通过", "决议").await,
            (Via::Page, Step::RecorderDecides) => {
                let form = [("kind", "decision"), ("text", "预算通过")];
                self.page("oRec", "minutes", &form).await
            }
            (Via::Chat, Step::AliceObjects) => {
                let text = format!("异议 {} 太多", self.decision().await);
                self.say("oAlice", &text, "异议").await
            }
            (Via::Page, Step::AliceObjects) => {
                let vote = format!("decisions/{}/vote", self.decision().await);
                self.page("oAlice", &vote, &[("vote", "object"), ("reason", "太多")])
                    .await
            }
            (Via::Chat, Step::RecorderAssignsAlice) => {
                self.say("oRec", "任务 E2 2026-12-05 写预算", "写预算")
                    .await
            }
            (Via::Page, Step::RecorderAssignsAlice) => {
                let form = [
                    ("kind", "task"),
                    ("owner", "2"),
                    ("due", "2026-12-05"),
                    ("text", "写预算"),
                ];
                self.page("oRec", "minutes", &form).await
            }
            (Via::Admin, Step::AddChecklistItem) => self.add_item_through_the_api().await,
            (Via::Console, Step::AddChecklistItem) => {
                let form = [
                    ("title", "借投影仪"),
                    ("owner", "E4"),
                    ("date", "2026-12-01"),
                    ("time", "09:00"),
                ];
                self.console("checklist", &form).await
            }
            (Via::Admin, Step::RecorderTicksItemOff) => {
                let path = format!("/checklist/{}", self.checklist_item().await);
                self.admin(Method::PATCH, &path, Some(json!({"done": true})))
                    .await
            }
            (Via::Chat, Step::RecorderTicksItemOff) => {
                let text = format!("完成清单 {}", self.checklist_item().await);
                self.say("oRec", &text, "筹备进度 1/").await
            }
            (Via::Page, Step::RecorderTicksItemOff) => {
                let done = format!("/checklist/{}/done", self.checklist_item().await);
                self.post_from_page("oRec", &done, &[]).await
            }
            (Via::Admin, Step::HostTablesDecision) => {
                let path = format!("/decisions/{}/close", self.decision().await);
                self.admin(Method::POST, &path, Some(json!({"outcome": "tabled"})))
                    .await
            }
            (Via::Chat, Step::HostTablesDecision) => {
                let text = format!("搁置 {}", self.decision().await);
                self.say("oHost", &text, "搁置").await
            }
            (Via::Admin, Step::AddMaterial) => {
                let body = json!({"title": "预算表", "url": "https://docs.example.com/b"});
                let path = format!("/meetings/{}/materials", self.meeting);
                let (status, answer) = self.app.admin(Method::POST, &path, Some(body)).await;
                assert_eq!(status, 201, "{answer}");
            }
            (Via::Chat, Step::AddMaterial) => {
                let text = format!("材料 #{} 预算表 https://docs.example.com/b", self.meeting);
                self.say("oHost", &text, "已为").await
            }
            (Via::Admin, Step::Cancel) => {
                let body = json!({"reason": "预算冻结"});
                self.admin(Method::POST, "/meetings/{id}/cancel", Some(body))
                    .await
            }
            (Via::Console, Step::Cancel) => self.console("cancel", &[("reason", "预算冻结")]).await,
            (Via::Admin | Via::Console, _) => panic!("{step:?} is not the admin token's"),
        }
    }

    /// The decision recorded last.
    async fn decision(&self) -> i64 {
        let id = self.meeting;
        self.app
            .db
            .run(move |c| huiwu::db::minutes::latest_decision(c, typed(id)))
            .await
            .unwrap()
            .expect("a decision")
            .0
            .get()
    }

    /// The recorder's item «借投影仪», due half an hour before the start.
    async fn add_item_through_the_api(&self) {
        let body = json!({"title": "借投影仪", "owner_id": 4,
                          "due_at": "2026-12-01T09:00:00+08:00"});
        let path = format!("/meetings/{}/checklist", self.meeting);
        let (status, answer) = self.app.admin(Method::POST, &path, Some(body)).await;
        assert_eq!(status, 201, "{answer}");
    }

    /// The item «借投影仪» (publishing adds items of its own).
    async fn checklist_item(&self) -> i64 {
        let id = self.meeting;
        let items = self
            .app
            .db
            .run(move |c| huiwu::db::checklist::for_meeting(c, typed(id)))
            .await
            .unwrap();
        let item = items.iter().find(|i| i.title == "借投影仪");
        item.expect("the item «借投影仪»").id.get()
    }

    /// Posts a form of the meeting's page as the follower `openid`, signed in through the
    /// platform on first use; the page answers by sending them back to it.
    async fn page(&self, openid: &'static str, action: &str, form: &[(&str, &str)]) {
        let action = format!("/m/{}/{action}", self.meeting);
        self.post_from_page(openid, &action, form).await
    }

    /// Posts to `action` what a form on the meeting's page sends there.
    async fn post_from_page(&self, openid: &'static str, action: &str, form: &[(&str, &str)]) {
        let mut phones = self.phones.lock().await;
        let page = format!("/m/{}", self.meeting);
        if !phones.contains_key(openid) {
            let mut phone = Browser::new(&self.app, WECHAT_UA);
            phone.sign_in(&page, &format!("CODE_{openid}")).await;
            phones.insert(openid, phone);
        }
        let phone = phones.get_mut(openid).expect("signed in");
        let mut shown = phone.get(&page).await;
        if shown.status == 302 {
            // The session ran out while the clock moved on: signed in again, as on a phone.
            phone.sign_in(&page, &format!("CODE_{openid}")).await;
            shown = phone.get(&page).await;
        }
        let token = csrf(&shown.body);
        let mut fields = vec![("csrf", token.as_str())];
        fields.extend_from_slice(form);
        let posted = phone.post(action, &fields).await;
        assert_eq!(posted.status, 303, "{action} by {openid}: {}", posted.body);
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
                let meeting = typed(id);
                let entries = huiwu::db::minutes::list(c, meeting)?;
                let mut casts = Vec::new();
                for e in &entries {
                    casts.push((
                        huiwu::db::decisions::casts(c, e.id)?,
                        huiwu::db::decisions::outcome_of(c, e.id)?,
                    ));
                }
                let prepared = (
                    huiwu::db::materials::list(c, meeting)?,
                    huiwu::db::checklist::for_meeting(c, meeting)?,
                );
                let live = (
                    huiwu::db::topics::for_meeting(c, meeting)?,
                    huiwu::db::questions::questions(c, meeting)?,
                    huiwu::db::questions::helps(c, meeting)?,
                    entries,
                    casts,
                );
                let tasks = huiwu::db::action_items::list(
                    c,
                    &huiwu::db::action_items::ActionItemFilter {
                        meeting_id: Some(meeting),
                        ..Default::default()
                    },
                )?;
                Ok(format!(
                    "{record:#?}\n{participants:#?}\n{outbox:#?}\n{jobs:#?}\n{prepared:#?}\n{live:#?}\n{tasks:#?}"
                ))
            })
            .await
            .unwrap()
    }
}

async fn same(doors: &[Door], step: &str) {
    let first = doors[0].effects().await;
    for other in &doors[1..] {
        let theirs = other.effects().await;
        if first != theirs {
            let diff: Vec<String> = first
                .lines()
                .zip(theirs.lines())
                .filter(|(x, y)| x != y)
                .map(|(x, y)| format!("{:?}: {x}\n{:?}: {y}", doors[0].via, other.via))
                .take(10)
                .collect();
            panic!(
                "after {step} the doors differ ({} vs {} lines):\n{}",
                first.lines().count(),
                theirs.lines().count(),
                diff.join("\n")
            );
        }
    }
}

on_both_backends! {
    async fn every_operation_has_the_same_effects_through_every_door(backend: Backend) {
        let clock = Arc::new(ManualClock::new(start() - Duration::days(1)));
        let mut doors = Vec::new();
        for via in [Via::Admin, Via::Chat, Via::Page, Via::Console] {
            doors.push(Door::new(via, backend, clock.clone()).await);
        }
        same(&doors, "publishing").await;
        let steps = [
            (None, Step::AliceAccepts, "accepting"),
            (None, Step::BobDeclines, "declining"),
            (Some(start() - Duration::minutes(5)), Step::HostChecksAliceIn, "checking in on behalf"),
            (Some(start()), Step::Start, "starting"),
            (Some(start() + Duration::minutes(25)), Step::Next, "the next agenda item"),
            (Some(start() + Duration::minutes(40)), Step::End, "ending"),
            (Some(start() + Duration::minutes(50)), Step::PublishMinutes, "publishing the minutes"),
        ];
        for (at, step, name) in steps {
            if let Some(at) = at {
                clock.set(at);
            }
            for door in &doors {
                door.take(step).await;
            }
            if matches!(step, Step::HostChecksAliceIn) {
                // Who checked someone in on their behalf is the one effect that differs by
                // door: the admin token (API and console) is nobody in the directory; chat and
                // the page name the host.
                let mut by = Vec::new();
                for door in &doors {
                    let (db, id) = (door.app.db.clone(), door.meeting);
                    let row = db
                        .run(move |c| huiwu::db::participants::get(c, typed(id), typed(2)))
                        .await
                        .unwrap()
                        .unwrap();
                    by.push(row.checked_in_by);
                }
                assert_eq!(by, [None, Some(typed(1)), Some(typed(1)), None]);
            }
            same(&doors, name).await;
        }
    }

    async fn what_participants_do_in_a_meeting_has_the_same_effects_in_chat_and_on_the_page(backend: Backend) {
        let clock = Arc::new(ManualClock::new(start() - Duration::days(1)));
        let mut doors = Vec::new();
        for via in [Via::Chat, Via::Page] {
            doors.push(Door::new(via, backend, clock.clone()).await);
        }
        let steps = [
            (None, Step::AliceProposesTopic, "proposing a topic"),
            (Some(start() - Duration::minutes(5)), Step::HostChecksAliceIn, "checking in"),
            (Some(start()), Step::Start, "starting"),
            (Some(start() + Duration::minutes(3)), Step::AliceAsks, "asking"),
            (Some(start() + Duration::minutes(4)), Step::HostAnswers, "answering"),
            (Some(start() + Duration::minutes(5)), Step::AliceAsksForHelp, "asking for help"),
            (Some(start() + Duration::minutes(6)), Step::RecorderDecides, "recording a decision"),
            (Some(start() + Duration::minutes(7)), Step::AliceObjects, "objecting"),
            (Some(start() + Duration::minutes(8)), Step::RecorderAssignsAlice, "assigning a task"),
        ];
        for (at, step, name) in steps {
            if let Some(at) = at {
                clock.set(at);
            }
            for door in &doors {
                door.take(step).await;
            }
            same(&doors, name).await;
        }
        // Every step wrote what it says (the same on both doors, compared above).
        let written = doors[1].effects().await;
        for text in ["下季度招聘", "预算是多少", "十万", "投影仪没有信号", "预算通过", "太多", "写预算"] {
            assert!(written.contains(text), "{text} is nowhere in {written}");
        }
    }

    async fn preparing_a_meeting_has_the_same_effects_through_each_door_that_can(backend: Backend) {
        let clock = Arc::new(ManualClock::new(start() - Duration::days(1)));
        // The console and the admin API: a checklist item, then the meeting cancelled.
        let mut desks = Vec::new();
        for via in [Via::Admin, Via::Console] {
            desks.push(Door::new(via, backend, clock.clone()).await);
        }
        for (step, name) in [(Step::AddChecklistItem, "adding a checklist item"), (Step::Cancel, "cancelling")] {
            for door in &desks {
                door.take(step).await;
            }
            same(&desks, name).await;
        }
        // Chat and the admin API: a material.
        let mut doors = Vec::new();
        for via in [Via::Admin, Via::Chat] {
            doors.push(Door::new(via, backend, clock.clone()).await);
        }
        for door in &doors {
            door.take(Step::AddMaterial).await;
        }
        same(&doors, "adding a material").await;
        let written = doors[0].effects().await;
        for text in ["预算表", "新增材料"] {
            assert!(written.contains(text), "{text} is nowhere in {written}");
        }
        let cancelled = desks[0].effects().await;
        assert!(cancelled.contains("借投影仪") && cancelled.contains("预算冻结"), "{cancelled}");
    }

    async fn ticking_an_item_off_and_closing_a_decision_have_the_same_effects_through_each_door(backend: Backend) {
        let clock = Arc::new(ManualClock::new(start() - Duration::days(1)));
        let mut doors = Vec::new();
        for via in [Via::Admin, Via::Chat, Via::Page] {
            let door = Door::new(via, backend, clock.clone()).await;
            // The same item on every door, through the one door all of them have.
            door.add_item_through_the_api().await;
            doors.push(door);
        }
        for door in &doors {
            door.take(Step::RecorderTicksItemOff).await;
        }
        same(&doors, "ticking an item off").await;
        let ticked = doors[0].effects().await;
        assert!(ticked.contains("done_by: Some("), "{ticked}");
        // A decision put to those present and objected to, the same on every door; the host
        // tables it through the admin API and in chat.
        clock.set(start() - Duration::minutes(5));
        for door in &doors {
            let checkin = "/meetings/{id}/participants/2/checkin";
            door.admin(Method::POST, checkin, None).await;
        }
        clock.set(start());
        for door in &doors {
            let (status, body) = door.app.start_meeting(door.meeting).await;
            assert_eq!(status, 200, "{body}");
            door.say("oRec", "决议 预算通过", "决议").await;
            let objection = format!("异议 {} 太多", door.decision().await);
            door.say("oAlice", &objection, "异议").await;
        }
        same(&doors, "recording a decision").await;
        let desks = [doors.remove(0), doors.remove(0)];
        for door in &desks {
            door.take(Step::HostTablesDecision).await;
        }
        same(&desks, "tabling a decision").await;
        let tabled = desks[0].effects().await;
        assert!(tabled.contains("Tabled"), "{tabled}");
    }

    async fn a_series_made_through_the_admin_api_or_the_console_is_the_same(backend: Backend) {
        let clock = Arc::new(ManualClock::new(start() - Duration::days(1)));
        let admin = Door::new(Via::Admin, backend, clock.clone()).await;
        let console = Door::new(Via::Console, backend, clock.clone()).await;
        // Four Tuesdays from 2026-12-01, 09:30–10:30, as each door asks for it.
        let body = json!({
            "title": "周例会", "place": "3楼大会议室", "start_time": "09:30", "duration_minutes": 60,
            "agenda": [{"title": "收入回顾", "minutes": 20, "presenter_id": 2},
                       {"title": "预算讨论", "minutes": 20}],
            "roles": [{"person_id": 1, "role": "host"}, {"person_id": 4, "role": "recorder"},
                      {"person_id": 2, "role": "attendee"}, {"person_id": 3, "role": "attendee"}],
            "recurrence": {"frequency": "weekly", "interval": 1, "weekdays": ["tue"],
                           "starts_on": "2026-12-01", "count": 4},
        });
        let (status, made) = admin.app.create_series(body).await;
        assert_eq!(status, 201, "{made}");
        console.console_new(&[
            ("title", "周例会"), ("place", "3楼大会议室"), ("date", "2026-12-01"),
            ("start", "09:30"), ("end", "10:30"),
            ("role_host", "E1"), ("role_recorder", "E4"), ("role_attendee", "E2, E3"),
            ("agenda_title_0", "收入回顾"), ("agenda_presenter_0", "E2"), ("agenda_minutes_0", "20"),
            ("agenda_title_1", "预算讨论"), ("agenda_minutes_1", "20"),
            ("repeat", "weekly"), ("repeat_count", "4"), ("action", "publish"),
        ]).await;
        let (a, c) = (admin.everything().await, console.everything().await);
        let occurrences = a.matches("title: \"周例会\"").count();
        assert!(occurrences >= 4, "{occurrences} meetings of the series: {a}");
        if a != c {
            let diff: Vec<String> = a
                .lines()
                .zip(c.lines())
                .filter(|(x, y)| x != y)
                .map(|(x, y)| format!("admin: {x}\nconsole: {y}"))
                .take(10)
                .collect();
            panic!("the series differ ({} vs {} lines):\n{}", a.lines().count(), c.lines().count(), diff.join("\n"));
        }
    }
}
