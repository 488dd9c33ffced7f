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
fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 1, 30, 0).unwrap()
}

struct Chat {
    app: TestApp,
    clock: Arc<ManualClock>,
    oa: Simulator,
}

impl Chat {
    async fn new(backend: Backend) -> Self {
        let clock = Arc::new(ManualClock::new(start() - Duration::days(1)));
        let mut opts = TestOptions::new(backend);
        opts.clock = Some(clock.clone());
        let app = spawn(opts).await;
        let oa = app.oa();
        Self { app, clock, oa }
    }

    async fn say(&self, from: &str, text: &str) -> String {
        reply_content(
            &self
                .app
                .act(&self.oa, from, SimAction::Text(text.into()))
                .await,
        )
    }

    /// An event; `nth` makes its CreateTime distinct, since WeChat identifies an event (for
    /// duplicate suppression) by sender and CreateTime.
    async fn event(&self, from: &str, action: SimAction, nth: i64) -> String {
        let now = Utc::now().timestamp();
        let xml = self
            .oa
            .message_xml(from, &action, now + nth, huiwu::sim::random_msg_id())
            .unwrap();
        let req = self.oa.sign_post(&xml, now, &huiwu::sim::random_nonce());
        reply_content(&self.app.deliver(&self.oa, &req).await)
    }

    async fn person(&self, no: &str, name: &str, wecom: Option<&str>) -> i64 {
        let (status, body) = self
            .app
            .admin(
                Method::POST,
                "/users",
                Some(json!({"name": name, "employee_no": no, "wecom_userid": wecom})),
            )
            .await;
        assert_eq!(status, 201, "{body}");
        body["id"].as_i64().unwrap()
    }

    /// A published meeting 09:30–10:30 on 2026-12-01 with two 20-minute agenda items.
    async fn meeting(&self, roles: Value, confidential: bool, text_checkin: bool) -> i64 {
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
        let (status, created) = self.app.admin(Method::POST, "/meetings", Some(body)).await;
        assert_eq!(status, 201, "{created}");
        let id = created["id"].as_i64().unwrap();
        let (status, published) = self
            .app
            .admin(Method::POST, &format!("/meetings/{id}/publish"), None)
            .await;
        assert_eq!(status, 200, "{published}");
        id
    }

    async fn checkin_code(&self, id: i64) -> String {
        let (status, body) = self
            .app
            .admin(Method::GET, &format!("/meetings/{id}/checkin-code"), None)
            .await;
        assert_eq!(status, 200, "{body}");
        body["code"].as_str().unwrap().to_owned()
    }
}

fn contains(reply: &str, want: &str) {
    assert!(reply.contains(want), "expected {want:?} in:\n{reply}");
}

on_both_backends! {
    async fn a_whole_meeting_from_notice_to_minutes_by_chat(backend: Backend) {
        let chat = Chat::new(backend).await;
        let host = chat.person("E1", "王主持", None).await;
        let alice = chat.person("E2", "李参会", None).await;
        let rec = chat.person("E3", "赵记录", None).await;
        let id = chat.meeting(json!([
            {"person_id": host, "role": "host"},
            {"person_id": alice, "role": "attendee"},
            {"person_id": rec, "role": "recorder"},
        ]), false, false).await;

        contains(&chat.say("oHost", "绑定 E1").await, "绑定成功，王主持");
        contains(&chat.say("oAlice", "ｂｉｎｄ　Ｅ２").await, "绑定成功，李参会");
        contains(&chat.say("oRec", "绑定 E3").await, "绑定成功");

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
        contains(&ended, "出席 1 人（迟到 0 人）");
        contains(&ended, "缺席 0 人");

        contains(&chat.say("oAlice", "纪要").await, "尚未发布");
        contains(&chat.say("oRec", "纪要").await, "草稿");
        contains(&chat.say("oRec", "发布纪要").await, "纪要已发布");
        contains(&chat.say("oRec", "记录 晚了").await, "没有可用于此命令的会议");
        let minutes = chat.say("oAlice", &format!("纪要 {id}")).await;
        contains(&minutes, "【1. 收入回顾】\n· 收入同比增长 10%");
        contains(&minutes, "决议：通过明年预算");
        contains(&minutes, "提交部门预算表（李参会，12月5日 截止，未开始）");

        let todo = chat.say("oAlice", "待办").await;
        contains(&todo, "提交部门预算表");
        let task_id: String = todo.split('#').nth(1).unwrap().chars().take_while(char::is_ascii_digit).collect();
        contains(&chat.say("oHost", &format!("进展 {task_id} 看看")).await, "只有任务负责人");
        contains(&chat.say("oAlice", &format!("进展 {task_id} 初稿已完成")).await, "状态：进行中");
        contains(&chat.say("oAlice", &format!("完成 {task_id}")).await, "已完成");
        contains(&chat.say("oAlice", &format!("完成 {task_id}")).await, "该任务已已完成");
        contains(&chat.say("oAlice", "待办").await, "没有未完成的任务");
        contains(&chat.say("oAlice", "反馈 5 很高效").await, "5 分");
        contains(&chat.say("oAlice", "反馈 9").await, "用法");

        let (readers, feedback) = {
            let db = chat.app.db.clone();
            db.run(move |c| {
                Ok((
                    huiwu::db::minutes::readers(c, id)?,
                    huiwu::db::feedback::for_meeting(c, id)?,
                ))
            })
            .await
            .unwrap()
        };
        assert_eq!(readers.iter().map(|r| r.0).collect::<Vec<_>>(), vec![alice]);
        assert_eq!(feedback, vec![(5, "很高效".to_owned())]);
    }
}
