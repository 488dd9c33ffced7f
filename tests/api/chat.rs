//! Meetings run by chat alone: every command through the real webhook, encrypted, as WeChat
//! and WeCom would send it, with the clock moved by the test.

use crate::helpers::*;
use chrono::{DateTime, Duration, TimeZone, Utc};
use huiwu::clock::ManualClock;
use huiwu::sim::{SimAction, Simulator};
use reqwest::Method;
use serde_json::{json, Value};
use std::sync::Arc;

/// 2026-12-01 09:30 in Shanghai.
pub(crate) fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 1, 30, 0).unwrap()
}

pub(crate) struct Chat {
    pub(crate) app: TestApp,
    pub(crate) clock: Arc<ManualClock>,
    pub(crate) oa: Simulator,
}

impl Chat {
    pub(crate) async fn new(backend: Backend) -> Self {
        let clock = Arc::new(ManualClock::new(start() - Duration::days(1)));
        let mut opts = TestOptions::new(backend);
        opts.clock = Some(clock.clone());
        let app = spawn(opts).await;
        let oa = app.oa();
        Self { app, clock, oa }
    }

    pub(crate) async fn say(&self, from: &str, text: &str) -> String {
        reply_content(
            &self
                .app
                .act(&self.oa, from, SimAction::Text(text.into()))
                .await,
        )
    }

    /// An event; `nth` makes its CreateTime distinct, since WeChat identifies an event (for
    /// duplicate suppression) by sender and CreateTime.
    pub(crate) async fn event(&self, from: &str, action: SimAction, nth: i64) -> String {
        self.event_on(&self.oa, from, action, nth).await
    }

    pub(crate) async fn event_on(
        &self,
        sim: &Simulator,
        from: &str,
        action: SimAction,
        nth: i64,
    ) -> String {
        let now = self.app.clock.now().timestamp();
        let xml = sim
            .message_xml(from, &action, now + nth, huiwu::sim::random_msg_id())
            .unwrap();
        let req = sim.sign_post(&xml, now, &huiwu::sim::random_nonce());
        reply_content(&self.app.deliver(sim, &req).await)
    }

    /// A published meeting 09:30–10:30 on 2026-12-01 with two 20-minute agenda items.
    pub(crate) async fn meeting(
        &self,
        roles: Value,
        confidential: bool,
        text_checkin: bool,
    ) -> i64 {
        let body = json!({
            "title": "预算评审会",
            "goal": "定下明年预算",
            "starts_at": "2026-12-01T09:30:00+08:00",
            "ends_at": "2026-12-01T10:30:00+08:00",
            "place": "3楼大会议室",
            "confidential": confidential,
            "text_checkin": text_checkin,
            "agenda": [
                {"title": "收入回顾", "minutes": 20},
                {"title": "预算讨论", "minutes": 20},
            ],
            "roles": roles,
        });
        let (status, created) = self.app.create_meeting(body).await;
        assert_eq!(status, 201, "{created}");
        let id = created["id"].as_i64().unwrap();
        let (status, published) = self.app.publish(id).await;
        assert_eq!(status, 200, "{published}");
        id
    }

    pub(crate) async fn checkin_code(&self, id: i64) -> String {
        let (status, body) = self
            .app
            .admin(Method::GET, &format!("/meetings/{id}/checkin-code"), None)
            .await;
        assert_eq!(status, 200, "{body}");
        body["code"].as_str().unwrap().to_owned()
    }
}

pub(crate) fn contains(reply: &str, want: &str) {
    assert!(reply.contains(want), "expected {want:?} in:\n{reply}");
}

on_both_backends! {
    async fn a_whole_meeting_from_notice_to_minutes_by_chat(backend: Backend) {
        let chat = Chat::new(backend).await;
        let host = chat.app.person("E1").named("王主持").await;
        let alice = chat.app.person("E2").named("李参会").await;
        let rec = chat.app.person("E3").named("赵记录").await;
        let id = chat.meeting(json!([
            {"person_id": host, "role": "host"},
            {"person_id": alice, "role": "attendee"},
            {"person_id": rec, "role": "recorder"},
        ]), false, false).await;

        contains(&chat.say("oHost", &chat.app.bind_text("E1").await).await, "绑定成功，王主持");
        contains(&chat.say("oAlice", &chat.app.bind_text("E2").await.replace("绑定 E2", "ｂｉｎｄ　Ｅ２")).await, "绑定成功，李参会");
        contains(&chat.say("oRec", &chat.app.bind_text("E3").await).await, "绑定成功");

        let mine = chat.say("oAlice", "我的会议").await;
        contains(&mine, &format!("#{id}"));
        contains(&mine, "12月1日(周二) 09:30–10:30 预算评审会");
        contains(&mine, "未回复");
        contains(&chat.say("oAlice", "待定").await, "待定");
        contains(&chat.say("oAlice", "confirm").await, "没有听懂");
        contains(&chat.say("oAlice", "accept").await, "已确认");
        let details = chat.say("oAlice", &format!("会议 {id}")).await;
        contains(&details, "主持人：王主持");
        contains(&details, "目标：定下明年预算");
        contains(&details, "我的状态：已确认");
        contains(&chat.say("oAlice", "议程").await, "2. 预算讨论（20 分钟）");

        // Text check-in is off for this meeting: the QR code proves presence.
        chat.clock.set(start() - Duration::minutes(5));
        contains(&chat.say("oAlice", "签到").await, "只接受扫码签到");
        let code = chat.checkin_code(id).await;
        contains(&chat.event("oAlice", SimAction::Scan(code.clone()), 1).await, "签到成功：");
        contains(&chat.event("oAlice", SimAction::Scan(code.clone()), 2).await, "已于 09:25 签到过");

        chat.clock.set(start());
        let started = chat.say("oHost", "开始").await;
        contains(&started, "已开始");
        contains(&started, "当前议程：1. 收入回顾");
        contains(&chat.say("oAlice", "议程").await, "▶ 1. 收入回顾");
        contains(&chat.say("oAlice", "记录 我也想记").await, "只有记录员或主持人");
        contains(&chat.say("oRec", "记录 收入同比增长 10%").await, "第 1 项「收入回顾」");
        chat.clock.set(start() + Duration::minutes(25));
        contains(&chat.say("oHost", "下一项").await, "用时 25 分钟，超时 5 分钟");
        contains(&chat.say("oRec", "决议：通过明年预算").await, "第 2 项「预算讨论」的决议");
        let task = chat.say("oRec", "任务 E2 12月5日 提交部门预算表").await;
        contains(&task, "任务 #");
        contains(&task, "李参会（E2），截止 12月5日");
        chat.clock.set(start() + Duration::minutes(40));
        contains(&chat.say("oHost", "next").await, "议程已全部完成");
        let ended = chat.say("oHost", "结束").await;
        contains(&ended, "已结束");
        // Alice checked in, and the host who started it is there too; the recorder never
        // answered and never came: absent, as every door counts it.
        contains(&ended, "出席 2 人（迟到 0 人）");
        contains(&ended, "缺席 1 人：赵记录");

        contains(&chat.say("oAlice", "纪要").await, "尚未发布");
        contains(&chat.say("oRec", "纪要").await, "草稿");
        contains(&chat.say("oRec", "发布纪要").await, "纪要已发布");
        contains(&chat.say("oRec", "记录 晚了").await, "没有可用于此命令的会议");
        let minutes = chat.say("oAlice", &format!("纪要 {id}")).await;
        contains(&minutes, "【1. 收入回顾】\n· 收入同比增长 10%");
        contains(&minutes, "：通过明年预算【待定论");
        contains(&minutes, "提交部门预算表（李参会，12月5日 截止，未开始）");

        let todo = chat.say("oAlice", "待办").await;
        contains(&todo, "提交部门预算表");
        let task_id: String = todo.split('#').nth(1).unwrap().chars().take_while(char::is_ascii_digit).collect();
        // Someone else's task reads as an unknown one, whoever asks.
        contains(&chat.say("oHost", &format!("进展 {task_id} 看看")).await, &format!("找不到任务 #{task_id}"));
        contains(&chat.say("oRec", &format!("完成 {task_id}")).await, &format!("找不到任务 #{task_id}"));
        contains(&chat.say("oAlice", &format!("进展 {task_id} 初稿已完成")).await, "状态：进行中");
        contains(&chat.say("oAlice", &format!("完成 {task_id}")).await, "已完成");
        contains(&chat.say("oAlice", &format!("完成 {task_id}")).await, "该任务已完成。");
        contains(&chat.say("oAlice", "待办").await, "没有未完成的任务");
        contains(&chat.say("oAlice", "反馈 5 很高效").await, "5 分");
        contains(&chat.say("oAlice", "反馈 9").await, "用法");

        let (readers, feedback) = {
            let db = chat.app.db.clone();
            db.run(move |c| {
                Ok((
                    huiwu::db::minutes::readers(c, typed(id))?,
                    huiwu::db::feedback::for_meeting(c, typed(id))?,
                ))
            })
            .await
            .unwrap()
        };
        assert_eq!(readers.iter().map(|r| r.0.get()).collect::<Vec<_>>(), vec![alice]);
        assert_eq!(feedback, vec![(5, "很高效".to_owned())]);
    }
}

on_both_backends! {
    async fn strangers_wrong_ids_and_missing_arguments_get_useful_answers(backend: Backend) {
        let chat = Chat::new(backend).await;
        let host = chat.app.person("E1").named("王主持").await;
        let bob = chat.app.person("E2").named("钱同事").await;
        let id = chat.meeting(json!([{"person_id": host, "role": "host"}]), false, false).await;

        contains(&chat.say("oStranger", "我的会议").await, "请先绑定工号");
        let help = chat.say("oStranger", "帮助").await;
        contains(&help, "现在常用：\n绑定 <工号> [绑定码]（bind）");
        contains(&help, "/help");
        assert!(!help.contains("下一项"), "{help}");
        contains(&chat.say("oStranger", "绑定 E404").await, "找不到「E404」");
        // A number alone only asks; a wrong code binds nobody.
        contains(&chat.say("oThief", "绑定 E1").await, "已收到绑定申请");
        contains(&chat.say("oThief", "绑定 E1 WRONG234").await, "绑定码不正确");
        contains(&chat.say("oThief", "我的会议").await, "请先绑定工号");
        contains(&chat.say("oHost", &chat.app.bind_text("E1").await).await, "绑定成功");
        contains(&chat.say("oThief", "绑定 E1 ABCDEFGH").await, "该工号已绑定其他微信");
        contains(&chat.say("oHost", "绑定 E1").await, "你已绑定为 王主持");
        contains(&chat.say("oBob", &chat.app.bind_text("E2").await).await, "绑定成功");

        // The host's day: the overview names the groups and what running a meeting needs; the
        // group lists every command of it, in one bubble.
        let help = chat.say("oHost", "help").await;
        contains(&help, "【会中】");
        contains(&help, "开始、下一项、结束");
        assert!(!help.contains("bind"), "{help}");
        let day_before = huiwu::clock::Clock::now(chat.clock.as_ref());
        chat.clock.set(start() - Duration::hours(1));
        contains(&chat.say("oHost", "帮助").await, "现在常用：\n开始 [id]（start）");
        chat.clock.set(day_before);
        let running = chat.say("oHost", "帮助 主持").await;
        for command in ["开始 [id]（start）", "下一项（next）", "结束（end）", "代签 [id] <工号>"] {
            contains(&running, command);
        }
        assert!(running.len() <= 2048 && !running.ends_with('…'), "{running}");
        let bobs = chat.say("oBob", "帮助").await;
        assert!(!bobs.contains("下一项"), "a plain attendee does not see host commands: {bobs}");
        contains(&bobs, "现在常用：\n我的会议");

        contains(&chat.say("oBob", "会议 999").await, "找不到会议 #999");
        contains(&chat.say("oBob", &format!("会议 {id}")).await, &format!("你不是会议 #{id} 的参会人"));
        contains(&chat.say("oBob", "确认").await, "没有可用于此命令的会议");
        contains(&chat.say("oBob", "开始").await, "没有可用于此命令的会议");
        let unknown = chat.say("oBob", "今天天气不错").await;
        contains(&unknown, "没有听懂「今天天气不错」");
        contains(&unknown, "发送「帮助」");
        let usage = chat.say("oHost", "请假").await;
        contains(&usage, "请说明请假原因。用法：请假 [id] [全部|月-日] <原因>");
        contains(&chat.say("oHost", "任务 E2 有空 写报告").await, "截止日期看不懂");
        contains(&chat.say("oHost", "进展 42 好了").await, "找不到任务 #42");

        // A second meeting makes the id necessary.
        let other = chat.meeting(json!([{"person_id": host, "role": "host"}, {"person_id": bob, "role": "attendee"}]), false, false).await;
        let third = chat.meeting(json!([{"person_id": host, "role": "host"}]), false, false).await;
        let choose = chat.say("oHost", "确认").await;
        contains(&choose, "你有多个会议，请带上编号");
        contains(&choose, &format!("#{other}"));
        contains(&choose, &format!("#{third}"));
        contains(&chat.say("oBob", "开始").await, "只有主持人可以这样做");
        contains(&chat.say("oBob", &format!("开始 {other}")).await, "只有主持人可以这样做");

        // The same message delivered twice (a WeChat retry) is handled once, answered alike.
        let now = chat.app.clock.now().timestamp();
        let xml = chat.oa.message_xml("oBob", &SimAction::Text("请假 出差".into()), now, 77).unwrap();
        let first = chat.app.deliver(&chat.oa, &chat.oa.sign_post(&xml, now, "n1")).await;
        let again = chat.app.deliver(&chat.oa, &chat.oa.sign_post(&xml, now, "n2")).await;
        contains(&reply_content(&first), "已请假（出差）");
        assert_eq!(reply_content(&first), reply_content(&again));
    }

    async fn without_an_id_the_list_starts_with_the_meetings_nearest_to_now(backend: Backend) {
        let chat = Chat::new(backend).await;
        let host = chat.app.person("E1").named("王主持").await;
        contains(&chat.say("oHost", &chat.app.bind_text("E1").await).await, "绑定成功");
        let mut held = Vec::new();
        for day in 1..=3 {
            let body = json!({
                "title": format!("周例会 {day}"),
                "starts_at": format!("2026-12-0{day}T09:30:00+08:00"),
                "ends_at": format!("2026-12-0{day}T10:00:00+08:00"),
                "place": "3楼小会议室",
                "roles": [{"person_id": host, "role": "host"}],
            });
            let (status, created) = chat.app.create_meeting(body).await;
            assert_eq!(status, 201, "{created}");
            let id = created["id"].as_i64().unwrap();
            let (status, _) = chat.app.publish(id).await;
            assert_eq!(status, 200);
            chat.clock.set(start() + Duration::days(day - 1));
            contains(&chat.say("oHost", &format!("开始 {id}")).await, "已开始");
            contains(&chat.say("oHost", &format!("结束 {id}")).await, "已结束");
            held.push(id);
        }

        // Past meetings: the latest first, not the oldest.
        let choose = chat.say("oHost", "纪要").await;
        contains(&choose, "你有多个会议，请带上编号");
        let at = |id: i64| choose.find(&format!("#{id} ")).unwrap_or_else(|| panic!("#{id} missing in:\n{choose}"));
        assert!(at(held[2]) < at(held[1]) && at(held[1]) < at(held[0]), "{choose}");
        contains(&chat.say("oHost", &format!("纪要 {}", held[1])).await, "周例会 2");
    }

    async fn confidential_meetings_do_not_exist_for_outsiders(backend: Backend) {
        let chat = Chat::new(backend).await;
        let host = chat.app.person("E1").named("王主持").await;
        chat.app.person("E2").named("钱同事").await;
        let id = chat.meeting(json!([{"person_id": host, "role": "host"}]), true, false).await;
        contains(&chat.say("oHost", &chat.app.bind_text("E1").await).await, "绑定成功");
        contains(&chat.say("oBob", &chat.app.bind_text("E2").await).await, "绑定成功");

        let missing = chat.say("oBob", "会议 99").await.replace("99", "ID");
        for command in ["会议", "议程", "确认", "纪要", "请假"] {
            let text = format!("{command} {id}{}", if command == "请假" { " 有事" } else { "" });
            let reply = chat.say("oBob", &text).await.replace(&id.to_string(), "ID");
            assert_eq!(reply, missing, "{command} reveals the meeting");
        }
        contains(&chat.say("oHost", &format!("会议 {id}")).await, "预算评审会");
        let db = chat.app.db.clone();
        let audit = db.run(|c| huiwu::db::audit::list(c, None, 100)).await.unwrap();
        let host_reads: Vec<_> = audit.iter().filter(|e| e.actor.to_string() == format!("person:{host}")).collect();
        assert_eq!(host_reads.len(), 1, "{audit:?}");
        assert_eq!(host_reads[0].action.to_string(), "chat_会议");

        // An admin reading its action items reads confidential content: audited too.
        chat.say("oHost", &format!("开始 {id}")).await;
        contains(&chat.say("oHost", "任务 E1 12-05 准备材料").await, "任务 #");
        let (status, items) = chat.app.admin(reqwest::Method::GET, "/action-items", None).await;
        assert_eq!((status, items.as_array().map(Vec::len)), (200, Some(1)));
        let audit = db.run(|c| huiwu::db::audit::list(c, None, 100)).await.unwrap();
        assert!(audit.iter().any(|e| e.action.to_string() == "read_action_items" && e.meeting_id == Some(typed(id))), "{audit:?}");
    }

    async fn scans_check_in_with_a_signed_code_in_its_window_only(backend: Backend) {
        let chat = Chat::new(backend).await;
        let host = chat.app.person("E1").named("王主持").await;
        let alice = chat.app.person("E2").named("李参会").await;
        let carol = chat.app.person("E3").named("孙同事").await;
        let id = chat.meeting(json!([
            {"person_id": host, "role": "host"},
            {"person_id": alice, "role": "attendee"},
            {"person_id": carol, "role": "attendee"},
        ]), false, true).await;
        let code = chat.checkin_code(id).await;
        contains(&chat.say("oHost", &chat.app.bind_text("E1").await).await, "绑定成功");
        contains(&chat.say("oCarol", &chat.app.bind_text("E3").await).await, "绑定成功");

        contains(&chat.event("oHost", SimAction::Scan(code.clone()), 1).await, "签到尚未开始，12月1日(周二) 09:00 开放");
        chat.clock.set(start() + Duration::minutes(10));
        let forged = code.replacen(&format!("ci-{id}-"), "ci-999-", 1);
        contains(&chat.event("oHost", SimAction::Scan(forged), 2).await, "不是有效的签到码");
        contains(&chat.event("oHost", SimAction::Scan("hello".into()), 3).await, "不是有效的签到码");

        // A new follower who scans is welcomed, asked to bind, and checked in once bound.
        let welcome = chat.event("oAlice", SimAction::Subscribe { scene: Some(code.clone()) }, 4).await;
        contains(&welcome, "请先绑定工号");
        contains(&welcome, "绑定后将自动为你签到");
        let bound = chat.say("oAlice", &chat.app.bind_text("E2").await).await;
        contains(&bound, "绑定成功");
        contains(&bound, "签到成功（迟到 5 分钟）");

        // Text check-in is allowed for this meeting; the host can check someone in.
        contains(&chat.say("oCarol", "签到").await, "签到成功（迟到 5 分钟）");
        contains(&chat.say("oCarol", "签到").await, "已于 09:40 签到过");
        contains(&chat.say("oCarol", "代签 E1").await, "只有主持人或会务组");
        contains(&chat.say("oHost", "代签 E404").await, "找不到「E404」");
        contains(&chat.say("oHost", "代签 E3").await, "孙同事 已于 09:40 签到过");

        chat.clock.set(start() + Duration::hours(1));
        contains(&chat.say("oHost", "签到").await, "签到已关闭");

        // Unfollowing marks the person unreachable on the Official Account.
        assert_eq!(chat.event("oCarol", SimAction::Unsubscribe, 5).await, "");
        let db = chat.app.db.clone();
        let carol_row = db.run(move |c| huiwu::db::people::get(c, typed(carol))).await.unwrap().unwrap();
        assert!(carol_row.oa_unfollowed_at.is_some());
    }

    async fn wecom_users_answer_by_card_button_without_binding(backend: Backend) {
        let chat = Chat::new(backend).await;
        let host = chat.app.person("E1").named("王主持").wecom("wang").await;
        let alice = chat.app.person("E2").named("李参会").wecom("li").await;
        let id = chat.meeting(json!([
            {"person_id": host, "role": "host"},
            {"person_id": alice, "role": "attendee"},
            {"person_id": alice, "role": "organizer"},
        ]), false, false).await;
        let wecom = chat.app.wecom();

        contains(&chat.event_on(&wecom, "nobody", SimAction::Text("我的会议".into()), 1).await, "还没有登记");
        contains(&chat.event_on(&wecom, "li", SimAction::Text("我的会议".into()), 2).await, "未回复");
        contains(&chat.event_on(&wecom, "li", SimAction::CardClick(format!("rsvp:maybe:{id}")), 3).await, "待定");
        contains(&chat.event_on(&wecom, "li", SimAction::CardClick(format!("rsvp:accept:{id}")), 4).await, "已确认");
        contains(&chat.event_on(&wecom, "li", SimAction::CardClick(format!("rsvp:decline:{id}")), 5).await, &format!("请假 {id} 出差"));
        // Each answered card is queued for an update that shows the choice.
        let db = chat.app.db.clone();
        let updates: Vec<_> = db.run(huiwu::db::outbox::all).await.unwrap()
            .into_iter().filter(|r| r.kind == huiwu::outbox::NoticeKind::CardUpdate).collect();
        assert_eq!(updates.len(), 2, "{updates:?}");
        assert!(updates[1].payload.contains("已确认参加") && updates[1].api_path == "/cgi-bin/message/update_template_card");
        contains(&chat.event_on(&wecom, "li", SimAction::Text("绑定 E2".into()), 6).await, "你已绑定为 李参会");
        // A colleague by name as on the page; a near miss offers the nearest names.
        contains(&chat.event_on(&wecom, "li", SimAction::Text("委托 王主时".into()), 12).await, "你是不是要找：王主持（E1）？");
        contains(&chat.event_on(&wecom, "li", SimAction::Text("委托 王主持".into()), 7).await, "已委托 王主持");
        contains(&chat.event_on(&wecom, "li", SimAction::Text("委托 E2".into()), 8).await, "不能委托给自己");
        contains(&chat.event_on(&wecom, "wang", SimAction::Text("我的会议".into()), 9).await, &format!("#{id}"));
        chat.clock.set(start() - Duration::minutes(10));
        let code = chat.checkin_code(id).await;
        contains(&chat.event_on(&wecom, "wang", SimAction::Scan(code), 10).await, "签到成功：");
    }
}
