//! The meeting policy's duties beyond the lifecycle, with the fake clock and the scheduler run
//! by hand: on-time start, the room's equipment, the confidentiality officer's view.

use crate::helpers::*;
use chrono::{DateTime, TimeZone, Utc};
use huiwu::clock::{Clock, ManualClock};
use huiwu::meetings::notice_kind::NoticeKind;
use huiwu::notify::scheduler::Scheduler;
use huiwu::sim::SimAction;
use reqwest::Method;
use serde_json::{json, Value};
use std::sync::Arc;

pub(crate) fn local(d: u32, h: u32, m: u32) -> DateTime<Utc> {
    chrono_tz::Asia::Shanghai
        .with_ymd_and_hms(2026, 12, d, h, m, 0)
        .unwrap()
        .with_timezone(&Utc)
}

pub(crate) struct Policy {
    pub app: TestApp,
    pub clock: Arc<ManualClock>,
    scheduler: Arc<Scheduler>,
}

impl Policy {
    pub(crate) async fn new(backend: Backend) -> Self {
        let clock = Arc::new(ManualClock::new(local(1, 9, 0)));
        let mut opts = TestOptions::new(backend);
        opts.clock = Some(clock.clone());
        opts.outbox_worker = false;
        opts.scheduler = false;
        let app = spawn(opts).await;
        let dynamic: Arc<dyn Clock> = clock.clone();
        let (_, mut notices) = huiwu::startup::outbound(&app.settings, &app.db, &dynamic).unwrap();
        notices.material_links = Some(
            huiwu::startup::feed_links(&app.settings.server.public_url, &app.db)
                .await
                .unwrap(),
        );
        let scheduler = Scheduler::new(
            app.db.clone(),
            dynamic,
            Arc::new(notices),
            Arc::new(tokio::sync::Notify::new()),
        );
        Self {
            app,
            clock,
            scheduler,
        }
    }

    pub(crate) async fn tick(&self) {
        self.scheduler.tick().await.unwrap();
    }

    pub(crate) async fn say(&self, from: &str, text: &str) -> String {
        reply_content(
            &self
                .app
                .act(&self.app.oa(), from, SimAction::Text(text.into()))
                .await,
        )
    }

    /// A published meeting from `body` (times, roles, …).
    pub(crate) async fn meeting(&self, body: Value) -> (i64, Value) {
        let (status, m) = self.app.create_meeting(body).await;
        assert_eq!(status, 201, "{m}");
        let id = m["id"].as_i64().unwrap();
        let (status, m) = self.app.publish(id).await;
        assert_eq!(status, 200, "{m}");
        (id, m)
    }

    /// Every outbox row of `kind` about meeting `id`: (person, text).
    pub(crate) async fn sent(&self, id: i64, kind: NoticeKind) -> Vec<(i64, String)> {
        let rows = self
            .app
            .db
            .run(move |c| huiwu::db::outbox::for_meeting(c, typed(id)))
            .await
            .unwrap();
        rows.into_iter()
            .filter(|r| r.kind == kind)
            .map(|r| (r.person_id.map_or(0, |p| p.get()), r.payload))
            .collect()
    }
}

on_both_backends! {
    async fn a_late_start_is_told_once_and_the_actual_times_are_kept(backend: Backend) {
        let t = Policy::new(backend).await;
        let host = t.app.person("E1").named("王主持").openid("oHost").await;
        let org = t.app.person("E2").named("孙会务").openid("oOrg").await;
        let it = t.app.person("E3").named("钱技术").openid("oIT").await;
        let (_, room) = t.app.create_room(json!({"name": "3号会议室", "capacity": 10, "equipment": ["白板"]})).await;
        let (id, shown) = t.meeting(json!({
            "title": "预算评审会", "room_id": room["id"], "equipment_needs": ["投影仪", "白板"],
            "starts_at": "2026-12-01T09:30:00+08:00", "ends_at": "2026-12-01T10:30:00+08:00",
            "roles": [{"person_id": host, "role": "host"}, {"person_id": org, "role": "organizer"},
                      {"person_id": it, "role": "it_support"}],
        })).await;
        assert!(shown["warnings"].as_array().unwrap().iter().any(|w| w.as_str().unwrap().contains("lacks 投影仪")), "{shown}");
        // Logistics and IT hear what the room lacks.
        let prep = t.sent(id, NoticeKind::Preparation).await;
        let mut to: Vec<i64> = prep.iter().map(|(p, _)| *p).collect();
        to.sort_unstable();
        assert_eq!(to, [org, it]);
        assert!(prep.iter().all(|(_, text)| text.contains("会议室缺少：投影仪")), "{prep:?}");

        // Start + grace (5 minutes) passes: the host and the organizers are told, once.
        t.clock.set(local(1, 9, 36));
        t.tick().await;
        let late = t.sent(id, NoticeKind::LateStart).await;
        let mut to: Vec<i64> = late.iter().map(|(p, _)| *p).collect();
        to.sort_unstable();
        assert_eq!(to, [host, org]);
        assert!(late[0].1.contains("会议未准时开始") && late[0].1.contains("09:30"), "{late:?}");
        t.tick().await;
        assert_eq!(t.sent(id, NoticeKind::LateStart).await.len(), 2);

        // The actual start and end are kept against the planned ones.
        t.clock.set(local(1, 9, 37));
        t.say("oHost", &format!("开始 {id}")).await;
        let details = t.say("oHost", &format!("会议 {id}")).await;
        assert!(details.contains("实际开始：09:37（晚 7 分钟）"), "{details}");
        t.clock.set(local(1, 10, 20));
        t.say("oHost", &format!("结束 {id}")).await;
        let (_, after) = t.app.read_meeting(id).await;
        assert_eq!(after["started_at"], "2026-12-01T01:37:00Z");
        assert_eq!(after["ended_at"], "2026-12-01T02:20:00Z");

        // A meeting started on time tells no one.
        let (on_time, _) = t.meeting(json!({
            "title": "晨会", "place": "茶水间",
            "starts_at": "2026-12-02T09:00:00+08:00", "ends_at": "2026-12-02T09:15:00+08:00",
            "roles": [{"person_id": host, "role": "host"}],
        })).await;
        t.clock.set(local(2, 9, 1));
        t.say("oHost", &format!("开始 {on_time}")).await;
        t.clock.set(local(2, 9, 10));
        t.tick().await;
        assert_eq!(t.sent(on_time, NoticeKind::LateStart).await.len(), 0);
    }

    async fn the_confidentiality_officer_sees_every_read_and_gets_a_digest(backend: Backend) {
        let t = Policy::new(backend).await;
        let host = t.app.person("E1").named("王主持").openid("oHost").await;
        let alice = t.app.person("E2").named("李参会").openid("oAlice").await;
        let officer = t.app.person("E7").named("吴保密").openid("oSec").await;
        let (id, _) = t.meeting(json!({
            "title": "并购评估", "place": "董事会议室", "confidential": true,
            "starts_at": "2026-12-01T14:00:00+08:00", "ends_at": "2026-12-01T15:00:00+08:00",
            "roles": [{"person_id": host, "role": "host"}, {"person_id": alice, "role": "attendee"},
                      {"person_id": officer, "role": "confidentiality_officer"}],
        })).await;
        t.say("oAlice", &format!("会议 {id}")).await;
        assert_eq!(t.app.read_meeting(id).await.0, 200);
        // A read in the console is a read too, counted in the digest (not a change).
        let mut desk = crate::pages::Browser::new(&t.app, "Mozilla/5.0 (Windows NT 10.0) Chrome/120");
        desk.post("/console/sign-in", &[("token", ADMIN_TOKEN)]).await;
        assert_eq!(desk.get(&format!("/console/meetings/{id}")).await.status, 200);

        let refused = t.say("oAlice", &format!("审计 {id}")).await;
        assert!(refused.contains("保密管理组"), "{refused}");
        let trail = t.say("oSec", &format!("审计 {id}")).await;
        assert!(trail.contains("李参会 · 聊天 · 「会议」"), "{trail}");
        assert!(trail.contains("管理员 · 管理接口 · 会议详情"), "{trail}");
        assert!(trail.contains("管理员 · 修改 · 发布会议"), "{trail}");
        let again = t.say("oSec", &format!("审计 {id}")).await;
        assert!(again.contains("吴保密 · 聊天 · 「审计」"), "reading the trail is recorded: {again}");

        // After the meeting (and the minutes window), the officer gets every read at once.
        t.app.start_meeting(id).await;
        t.app.end_meeting(id).await;
        t.clock.set(local(2, 15, 1));
        t.tick().await;
        let digest = t.sent(id, NoticeKind::ReadDigest).await;
        assert_eq!(digest.len(), 1, "{digest:?}");
        assert_eq!(digest[0].0, officer);
        assert!(digest[0].1.contains("李参会（聊天）1 次") && digest[0].1.contains("管理员（管理接口）2 次"), "the API read, and the console page's attendance table (read_attendance: the built-in admin is told apart from the API by no field yet): {digest:?}");
        assert!(digest[0].1.contains("管理员（后台）1 次"), "the console read: {digest:?}");
    }

    async fn topics_are_proposed_by_participants_and_decided_by_the_agenda_owners(backend: Backend) {
        let t = Policy::new(backend).await;
        let host = t.app.person("E1").named("王主持").openid("oHost").await;
        let alice = t.app.person("E2").named("李参会").openid("oAlice").await;
        let owner = t.app.person("E3").named("赵议程").openid("oOwner").await;
        t.app.person("E4").named("钱路人").openid("oCarol").await;
        let (id, _) = t.meeting(json!({
            "title": "季度会", "place": "3楼",
            "starts_at": "2026-12-02T09:00:00+08:00", "ends_at": "2026-12-02T10:00:00+08:00",
            "agenda": [{"title": "回顾", "minutes": 40}],
            "roles": [{"person_id": host, "role": "host"}, {"person_id": alice, "role": "attendee"},
                      {"person_id": owner, "role": "agenda_owner"}],
        })).await;
        let proposed = t.say("oAlice", &format!("议题 #{id} 下季度招聘计划")).await;
        assert!(proposed.contains("已提交议题 #1「下季度招聘计划」") && proposed.contains("（1 人）"), "{proposed}");
        let told = t.sent(id, NoticeKind::TopicProposed).await;
        assert_eq!(told.iter().map(|(p, _)| *p).collect::<Vec<_>>(), [owner]);
        assert!(told[0].1.contains("采纳 1 分钟") && told[0].1.contains("李参会"), "{told:?}");
        assert!(t.say("oCarol", &format!("议题 #{id} 我也想说")).await.contains("不是"), "not a participant");

        // Only the agenda owners decide; an agenda that would not fit is refused, nothing changes.
        assert!(t.say("oAlice", "采纳 1 10").await.contains("议程组"), "not hers to decide");
        let too_long = t.say("oOwner", "采纳 1 30").await;
        assert!(too_long.contains("70") && too_long.contains("60"), "{too_long}");
        let topics = t.app.topics(id).await;
        assert_eq!(topics[0]["status"], "proposed");
        let accepted = t.say("oOwner", "采纳 1 15").await;
        assert!(accepted.contains("议程第 2 项，15 分钟"), "{accepted}");
        let (_, m) = t.app.read_meeting(id).await;
        assert_eq!(m["agenda"][1], json!({"title": "下季度招聘计划", "presenter_id": alice, "minutes": 15}));
        let decided = t.sent(id, NoticeKind::TopicDecided).await;
        assert_eq!(decided.len(), 1);
        assert!(decided[0].1.contains("已采纳：议程第 2 项，15 分钟"), "{decided:?}");
        assert!(t.say("oOwner", "采纳 1 5").await.contains("已经处理过了"));

        // Through the admin API: proposed for a participant, declined with a reason.
        let (status, topic) = t.app.admin(Method::POST, &format!("/meetings/{id}/topics"), Some(json!({"person_id": alice, "text": "团建预算"}))).await;
        assert_eq!(status, 201, "{topic}");
        let tid = topic["id"].as_i64().unwrap();
        let (status, declined) = t.app.admin(Method::POST, &format!("/topics/{tid}/decline"), Some(json!({"reason": "下月专题会讨论"}))).await;
        assert_eq!((status, declined["status"].as_str()), (200, Some("declined")), "{declined}");
        assert!(t.sent(id, NoticeKind::TopicDecided).await.iter().any(|(p, text)| *p == alice && text.contains("未采纳：下月专题会讨论")));
        assert_eq!(t.app.admin(Method::POST, &format!("/topics/{tid}/decline"), Some(json!({"reason": "再次"}))).await.0, 409);
        assert_eq!(t.app.admin(Method::POST, "/topics/999/accept", Some(json!({"minutes": 5}))).await.0, 404);

        // An accepted topic is an agenda item's title, so it is proposed on one line, at every door.
        let (status, refused) = t.app.admin(Method::POST, &format!("/meetings/{id}/topics"), Some(json!({"person_id": alice, "text": "团建\n预算"}))).await;
        assert_eq!(status, 422, "{refused}");
        assert_eq!(refused["error"]["details"][0]["message"], "must be 1 to 100 characters on one line");
        let said = t.say("oAlice", &format!("议题 #{id} 团建\n预算")).await;
        assert!(said.contains("输入有误") && said.contains("one line"), "{said}");
        assert_eq!(t.app.topics(id).await.as_array().unwrap().len(), 2, "nothing stored");
        let list = t.say("oAlice", &format!("议题 #{id}")).await;
        assert!(list.contains("下季度招聘计划") && list.contains("已采纳，15 分钟") && list.contains("未采纳：下月专题会讨论"), "{list}");
    }

    async fn decisions_are_put_to_those_present_and_closed_by_the_host(backend: Backend) {
        let t = Policy::new(backend).await;
        let host = t.app.person("E1").named("王主持").openid("oHost").await;
        let alice = t.app.person("E2").named("李参会").openid("oAlice").await;
        let bob = t.app.person("E3").named("赵参会").openid("oBob").await;
        let carol = t.app.person("E4").named("钱缺席").openid("oCarol").await;
        let (id, _) = t.meeting(json!({
            "title": "预算会", "place": "3楼",
            "starts_at": "2026-12-01T09:00:00+08:00", "ends_at": "2026-12-01T10:00:00+08:00",
            "roles": [{"person_id": host, "role": "host"}, {"person_id": alice, "role": "attendee"},
                      {"person_id": bob, "role": "attendee"}, {"person_id": carol, "role": "attendee"}],
        })).await;
        t.say("oHost", &format!("开始 {id}")).await;
        for p in [alice, bob] {
            assert_eq!(t.app.check_in_on_behalf(id, p).await.0, 200);
        }
        let recorded = t.say("oHost", "决议 通过明年预算方案").await;
        assert!(recorded.contains("决议 #1 已请在场 3 人表态"), "{recorded}");
        let asked = t.sent(id, NoticeKind::DecisionVote).await;
        let mut to: Vec<i64> = asked.iter().map(|(p, _)| *p).collect();
        to.sort_unstable();
        assert_eq!(to, [host, alice, bob], "those present, not the absent");
        assert!(asked[0].1.contains("同意 1") && asked[0].1.contains("异议 1 理由"), "{asked:?}");

        assert!(t.say("oCarol", "同意 1").await.contains("只有签到在场的人"), "absent");
        assert!(t.say("oAlice", "异议 1").await.contains("理由"), "an objection needs a reason");
        let objected = t.say("oAlice", "异议 1 缺少风险准备金").await;
        assert!(objected.contains("同意 0，异议 1（李参会：缺少风险准备金），未表态 2"), "{objected}");
        t.say("oBob", "异议 1 时间太紧").await;
        let changed = t.say("oBob", "同意 1").await;
        assert!(changed.contains("同意 1，异议 1（李参会：缺少风险准备金），未表态 1；曾有异议后同意：赵参会：时间太紧"), "{changed}");
        assert!(t.say("oAlice", "通过 1").await.contains("主持人"), "only the host closes");
        let closed = t.say("oHost", "通过 1").await;
        assert!(closed.contains("通过（同意 1，异议 1"), "{closed}");
        assert!(t.say("oHost", "搁置 1").await.contains("已由主持人定论"));
        assert!(t.say("oAlice", "同意 1").await.contains("已由主持人定论"), "no vote after closing");

        // The minutes keep the outcome, the count and every objection.
        let minutes = t.say("oHost", &format!("纪要 {id}")).await;
        assert!(minutes.contains("决议 #1：通过明年预算方案【通过｜同意 1，异议 1（李参会：缺少风险准备金），未表态 1；曾有异议后同意：赵参会：时间太紧】"), "{minutes}");
        let (_, api) = t.app.minutes(id).await;
        assert_eq!(api["entries"][0]["consensus"], json!({
            "outcome": "passed", "agreed": [bob], "objected": [{"person_id": alice, "reason": "缺少风险准备金"}],
            "not_answered": [host], "withdrawn_objections": [{"person_id": bob, "reason": "时间太紧"}],
        }));
        // A WeCom user answers by the card's buttons.
        let zhou = t.app.person("E5").named("周企微").wecom("zhou").await;
        t.app.admin_does(Method::POST, &format!("/meetings/{id}/participants"), Some(json!({"person_id": zhou, "role": "attendee"}))).await;
        assert_eq!(t.app.check_in_on_behalf(id, zhou).await.0, 200);
        // Through the admin API: a second decision, tabled.
        t.say("oHost", "决议 下周再议招聘").await;
        let card = t.sent(id, NoticeKind::DecisionVote).await.into_iter().find(|(p, _)| *p == zhou).expect("a card for the WeCom user");
        assert!(card.1.contains("vote:agree:2") && card.1.contains("vote:object:2"), "{card:?}");
        let wecom = t.app.wecom();
        let clicked = reply_content(&t.app.act(&wecom, "zhou", SimAction::CardClick("vote:agree:2".into())).await);
        assert!(clicked.contains("同意"), "{clicked}");
        let asked = reply_content(&t.app.act(&wecom, "zhou", SimAction::CardClick("vote:object:2".into())).await);
        assert!(asked.contains("异议 2"), "{asked}");
        let standing = t.app.admin_read("/decisions/2").await;
        assert_eq!(standing["agreed"], json!([zhou]), "{standing}");
        let (status, tabled) = t.app.admin(Method::POST, "/decisions/2/close", Some(json!({"outcome": "tabled"}))).await;
        assert_eq!((status, tabled["outcome"].as_str()), (200, Some("tabled")), "{tabled}");
        assert_eq!(t.app.admin(Method::POST, "/decisions/2/close", Some(json!({"outcome": "passed"}))).await.0, 409);
        assert_eq!(t.app.admin(Method::GET, "/decisions/99", None).await.0, 404);
    }

    async fn materials_opened_through_huiwu_are_counted_and_the_last_reminder_asks_the_rest(backend: Backend) {
        let t = Policy::new(backend).await;
        let host = t.app.person("E1").named("王主持").openid("oHost").await;
        let alice = t.app.person("E2").named("李参会").openid("oAlice").await;
        let bob = t.app.person("E3").named("赵参会").openid("oBob").await;
        let (id, _) = t.meeting(json!({
            "title": "预算会", "place": "3楼",
            "starts_at": "2026-12-02T09:00:00+08:00", "ends_at": "2026-12-02T10:00:00+08:00",
            "roles": [{"person_id": host, "role": "host"}, {"person_id": alice, "role": "attendee"},
                      {"person_id": bob, "role": "attendee"}],
        })).await;
        let (status, added) = t.app.admin(Method::POST, &format!("/meetings/{id}/materials"), Some(json!({"title": "预算表", "url": "https://docs.example.com/budget"}))).await;
        assert_eq!(status, 201, "{added}");
        let material = added["id"].as_i64().unwrap_or_else(|| added[0]["id"].as_i64().unwrap());

        // Alice's copy of the link names her; opening it records the read and goes on.
        let details = t.say("oAlice", &format!("会议 {id}")).await;
        let link = details.split_whitespace().find(|w| w.contains("/materials/")).unwrap_or_else(|| panic!("{details}")).to_owned();
        assert!(link.contains(&format!("/materials/{material}-{alice}-")), "{link}");
        let no_redirects = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let opened = no_redirects.get(&link).send().await.unwrap();
        assert_eq!(opened.status(), 302);
        assert_eq!(opened.headers()["location"], "https://docs.example.com/budget");
        let forged = link.replace(&format!("-{alice}-"), &format!("-{bob}-"));
        assert_eq!(no_redirects.get(&forged).send().await.unwrap().status(), 404);

        // The host sees who has not opened it; so does the admin API.
        let hosts_view = t.say("oHost", &format!("会议 {id}")).await;
        assert!(hosts_view.contains("未查看「预算表」：王主持、赵参会"), "{hosts_view}");
        let listed = t.app.admin_read(&format!("/meetings/{id}/materials")).await;
        assert_eq!(listed[0]["not_opened_by"], json!([host, bob]));

        // The last reminder (15 minutes before) asks those who have not opened it.
        t.clock.set(local(2, 8, 46));
        t.tick().await;
        let reminders = t.sent(id, NoticeKind::Reminder).await;
        let to = |who: i64| reminders.iter().filter(|(p, _)| *p == who).map(|(_, text)| text.clone()).collect::<Vec<_>>().join("\n");
        assert!(to(bob).contains("你还没有查看会前材料「预算表」") && to(bob).contains(&format!("/materials/{material}-{bob}-")), "{reminders:?}");
        assert!(!to(alice).contains("你还没有查看会前材料"), "{reminders:?}");
    }

    async fn a_decision_is_carried_out_by_a_plan_of_action_items_and_milestones(backend: Backend) {
        let t = Policy::new(backend).await;
        let host = t.app.person("E1").named("王主持").openid("oHost").await;
        let alice = t.app.person("E2").named("李参会").openid("oAlice").await;
        let follow = t.app.person("E3").named("赵跟踪").openid("oFollow").await;
        t.app.person("E4").named("钱路人").openid("oBob").await;
        let (id, _) = t.meeting(json!({
            "title": "系统上线会", "place": "3楼",
            "starts_at": "2026-12-01T09:30:00+08:00", "ends_at": "2026-12-01T10:30:00+08:00",
            "roles": [{"person_id": host, "role": "host"}, {"person_id": alice, "role": "attendee"},
                      {"person_id": follow, "role": "follow_up_owner"}],
        })).await;
        t.clock.set(local(1, 9, 30));
        t.say("oHost", &format!("开始 {id}")).await;
        t.say("oHost", "决议 下月上线新系统").await;
        let task = t.say("oHost", &format!("任务 #{id} E2 12-20 完成数据迁移")).await;
        assert!(task.contains("任务 #1"), "{task}");

        // Milestones: not after the item's due date; by the owner or those who plan.
        let late = t.say("oFollow", "里程碑 1 12-25 验收").await;
        assert!(!late.contains("已为任务"), "{late}");
        assert!(t.say("oFollow", "里程碑 1 12-10 完成迁移脚本").await.contains("里程碑 #1「完成迁移脚本」"));
        assert!(t.say("oAlice", "里程碑 1 12-15 完成试迁移").await.contains("里程碑 #2"));
        assert!(!t.say("oBob", "里程碑 1 12-12 插一脚").await.contains("已为任务"), "not his");
        assert!(t.say("oAlice", "达成 1").await.contains("已达成"));
        let plan = t.say("oFollow", "计划 1").await;
        assert!(plan.contains("完成 0/1，逾期 0 项") && plan.contains("完成迁移脚本（12月10日") && plan.contains("已达成") && plan.contains("未达成"), "{plan}");
        let api = t.app.admin_read("/decisions/1/plan").await;
        assert_eq!((api["total"].as_i64(), api["items"][0]["milestones"].as_array().map(Vec::len)), (Some(1), Some(2)), "{api}");
        let (status, refused) = t.app.admin(Method::POST, "/action-items/1/milestones", Some(json!({"title": "验收", "due_on": "2026-12-30"}))).await;
        assert_eq!((status, refused["error"]["details"][0]["field"].as_str()), (422, Some("due_on")), "{refused}");
        let (status, refused) = t.app.admin(Method::POST, "/action-items/1/milestones", Some(json!({"title": "验收\n上线", "due_on": "2026-12-12"}))).await;
        assert_eq!((status, refused["error"]["details"][0]["message"].as_str()), (422, Some("must be 1 to 100 characters on one line")), "a title stays on one line: {refused}");

        // The weekly digest groups the follow-up owner's items by decision.
        t.tick().await; // plans Monday's digest
        t.clock.set(local(7, 9, 1));
        t.tick().await;
        let digest = t.app.db.run(huiwu::db::outbox::all).await.unwrap();
        let digest: Vec<_> = digest.iter().filter(|r| r.kind == NoticeKind::WeeklyDigest && r.person_id == Some(typed(follow))).collect();
        assert!(digest[0].payload.contains("【决议 #1：下月上线新系统】"), "{:?}", digest[0].payload);

        // A milestone is reminded like a due date: the day, then overdue.
        t.clock.set(local(15, 9, 1));
        t.tick().await;
        let reminded = |text: &'static str| {
            let t = &t;
            async move {
                t.sent(id, NoticeKind::TaskReminder).await.iter().any(|(p, body)| *p == alice && body.contains(text))
            }
        };
        assert!(reminded("里程碑 #2「完成试迁移」今天到期").await);
        assert!(!reminded("里程碑 #1").await, "a milestone reached is not reminded");
        t.clock.set(local(16, 9, 1));
        t.tick().await;
        assert!(reminded("里程碑 #2「完成试迁移」已逾期 1 天").await);
        let plan = t.say("oFollow", "计划 1").await;
        assert!(plan.contains("逾期 1 项"), "{plan}");
    }
}
