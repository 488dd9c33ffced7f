//! What a staff member typing as they would runs into: which number is what, commands that
//! must name one of several meetings, help by duty, and what notices say.

use crate::chat::{contains, start, Chat};
use crate::helpers::*;
use chrono::Duration;
use huiwu::outbox::NoticeKind;
use reqwest::Method;
use serde_json::{json, Value};

/// Outbox texts of one kind, as "recipient: text".
async fn notices(chat: &Chat, kind: NoticeKind) -> Vec<String> {
    let rows = chat.app.db.run(huiwu::db::outbox::all).await.unwrap();
    rows.into_iter()
        .filter(|r| r.kind == kind)
        .map(|r| {
            let body: Value = serde_json::from_str(&r.payload).unwrap();
            format!(
                "{}: {}",
                r.recipient,
                body["text"]["content"].as_str().unwrap_or_default()
            )
        })
        .collect()
}

async fn bind(chat: &Chat, people: &[(&str, &str, &str)]) -> Vec<i64> {
    let mut ids = Vec::new();
    for (no, name, openid) in people {
        ids.push(chat.app.person(no).named(name).await);
        contains(
            &chat.say(openid, &chat.app.bind_text(no).await).await,
            "绑定成功",
        );
    }
    ids
}

on_both_backends! {
    async fn a_number_is_a_meeting_only_where_no_other_number_is_meant(backend: Backend) {
        let chat = Chat::new(backend).await;
        // An all-digit employee number, as many organisations use.
        let ids = bind(&chat, &[("100015", "王主持", "oHost"), ("100016", "李参会", "oAlice"),
                                ("100017", "赵代理", "oDeputy")]).await;
        let roles = json!([{"person_id": ids[0], "role": "host"}, {"person_id": ids[1], "role": "attendee"}]);
        let first = chat.meeting(roles.clone(), false, true).await;
        let second = chat.meeting(roles, false, true).await;
        assert_eq!((first, second), (1, 2), "meetings #1–#5 are every deployment's first");

        // 委托 with an all-digit employee number and no meeting: the number is the person.
        let answer = chat.say("oAlice", "委托 100017").await;
        contains(&answer, "你有多个会议");
        contains(&answer, "例如：委托 #1 <工号或姓名>");
        contains(&chat.say("oAlice", "委托 #2 100017").await, "已委托 赵代理（100017）代你参加 #2");
        contains(&chat.say("oAlice", "委托 1 100017").await, "已委托 赵代理（100017）代你参加 #1");

        // 代签 names its meeting; the example in the list works as written.
        chat.clock.set(start() - Duration::minutes(5));
        let answer = chat.say("oHost", "代签 100017").await;
        contains(&answer, "例如：代签 #1 <工号>");
        contains(&chat.say("oHost", "代签 #2 100017").await, "赵代理 签到成功");

        // 反馈 <id> <1-5>: meeting 2 rated 5, not 2 stars with the comment "5 很高效".
        for id in [first, second] {
            chat.app.start_meeting(id).await;
            chat.app.end_meeting(id).await;
        }
        contains(&chat.say("oAlice", "反馈 2 5 很高效").await, "#2 预算评审会，5 分");
        contains(&chat.say("oAlice", "反馈 #1 4").await, "#1 预算评审会，4 分");
        let answer = chat.say("oAlice", "反馈 3 有点长").await;
        contains(&answer, "你有多个会议");
        contains(&answer, "例如：反馈 #1 <1-5> [意见]");
        let feedback = chat.app.db.run(move |c| {
            Ok((huiwu::db::feedback::for_meeting(c, typed(1))?, huiwu::db::feedback::for_meeting(c, typed(2))?))
        }).await.unwrap();
        assert_eq!(feedback, (vec![(4, String::new())], vec![(5, "很高效".to_owned())]));
        // 任务 with an all-digit employee number: the host records by default.
        contains(&chat.say("oHost", "任务 #2 100016 明天 交总结").await, "已布置给 李参会（100016）");
    }

    async fn recorders_name_their_meeting_and_help_lists_what_each_may_run(backend: Backend) {
        let chat = Chat::new(backend).await;
        let ids = bind(&chat, &[("E1", "王主持", "oHost"), ("E2", "赵记录", "oRec"),
                                ("E3", "李会务", "oOrg")]).await;
        let roles = json!([{"person_id": ids[0], "role": "host"}, {"person_id": ids[1], "role": "recorder"},
                           {"person_id": ids[2], "role": "organizer"}]);
        let first = chat.meeting(roles.clone(), false, false).await;
        let second = chat.meeting(roles, false, false).await;

        let help = chat.say("oOrg", "帮助 会中").await;
        contains(&help, "代签 [id] <工号>");
        assert!(!help.contains("开始") && !help.contains("下一项") && !help.contains("记录"), "{help}");
        let help = chat.say("oRec", "帮助 记录").await;
        contains(&help, "记录 [#id] <内容>");
        assert!(!help.contains("开始 [id]") && !help.contains("代签"), "{help}");
        let help = chat.say("oHost", "帮助 会中").await;
        contains(&help, "开始 [id]");
        contains(&help, "#12 在任何命令里都指会议 12");

        chat.clock.set(start());
        for id in [first, second] {
            chat.app.start_meeting(id).await;
            chat.app.end_meeting(id).await;
        }
        let answer = chat.say("oRec", "记录 3 个问题待定").await;
        contains(&answer, &format!("例如：记录 #{first} <内容>"));
        contains(&chat.say("oRec", &format!("记录 #{second} 3 个问题待定")).await, &format!("已记入 #{second}"));
        contains(&chat.say("oRec", &format!("决议 #{first} 通过")).await, &format!("已记入 #{first}"));
        contains(&chat.say("oRec", &format!("任务 #{first} E3 明天 订会议室")).await, "任务 #1 已布置给 李会务");
        let entries = chat.app.db.run(move |c| huiwu::db::minutes::list(c, typed(second))).await.unwrap();
        assert_eq!(entries[0].body, "3 个问题待定", "the number stays in the text");
        // The task's notice names the task, its due date, the meeting and the decision.
        let task = notices(&chat, NoticeKind::TaskAssigned).await;
        assert_eq!(task.len(), 1);
        contains(&task[0], "任务 #1「订会议室」：赵记录 在会上布置给你；依据决议：通过。");
        contains(&task[0], "会议：预算评审会");
        contains(&task[0], "时间：12月2日 截止");
    }

    async fn notices_say_what_happened_to_whom(backend: Backend) {
        let chat = Chat::new(backend).await;
        let ids = bind(&chat, &[("E1", "王主持", "oHost"), ("E2", "李参会", "oAlice"),
                                ("E3", "钱抄送", "oCc"), ("E4", "孙离开", "oGone")]).await;
        let (_, room) = chat.app.create_room(json!({
            "name": "小会议室", "capacity": 2, "equipment": ["白板"]})).await;
        // Published 40 minutes before it starts.
        chat.clock.set(start() - Duration::minutes(40));
        let body = json!({
            "title": "周会", "goal": "对齐本周重点", "briefing": "请带上周报",
            "starts_at": "2026-12-01T09:30:00+08:00", "ends_at": "2026-12-01T10:30:00+08:00",
            "room_id": room["id"], "equipment_needs": ["投影仪", "白板"],
            "materials": [{"title": "上周纪要", "url": "https://intra.example.com/m/1"}],
            "agenda": [{"title": "本周重点", "minutes": 20, "presenter_id": ids[1]}],
            "roles": [{"person_id": ids[0], "role": "host"}, {"person_id": ids[1], "role": "attendee"},
                      {"person_id": ids[2], "role": "informed"}, {"person_id": ids[3], "role": "attendee"}],
        });
        let (_, m) = chat.app.create_meeting(body).await;
        let id = m["id"].as_i64().unwrap();
        // A room without what the meeting needs is worth a warning, like a small one.
        let warnings = m["warnings"].to_string();
        assert!(warnings.contains("the room lacks 投影仪") && warnings.contains("holds 2 people"), "{warnings}");
        chat.app.publish(id).await;

        let invitation = notices(&chat, NoticeKind::Invitation).await;
        let alice = invitation.iter().find(|n| n.starts_with("oAlice")).unwrap();
        // A presenter learns their own item first, so they can prepare it.
        contains(alice, "oAlice: 你的议程：第 1 项「本周重点」，20 分钟。会议通知（40 分钟后开始）。目标：对齐本周重点。");
        let host = invitation.iter().find(|n| n.starts_with("oHost")).unwrap();
        contains(host, "oHost: 会议通知（40 分钟后开始）。目标：对齐本周重点。议程 1 项：本周重点。");
        contains(alice, "会前材料：上周纪要。会前须知：请带上周报");
        assert!(!invitation.iter().any(|n| n.starts_with("oCc")), "the informed are not invited");
        let fyi = notices(&chat, NoticeKind::Informed).await;
        assert_eq!(fyi.len(), 1);
        contains(&fyi[0], "oCc: 抄送：会议已安排（40 分钟后开始），无需回复。");
        // Reminders and chasers whose time had passed at publishing are not sent at once.
        let jobs = chat.app.db.run(huiwu::db::jobs::all).await.unwrap();
        assert!(!jobs.iter().any(|j| matches!(
            j.job,
            huiwu::meetings::job::Job::ReminderFirst | huiwu::meetings::job::Job::RsvpChase
        )), "{jobs:?}");

        chat.app.admin_does(Method::DELETE, &format!("/meetings/{id}/participants/{}", ids[3]), None).await;
        let gone = notices(&chat, NoticeKind::Uninvited).await;
        assert_eq!(gone.len(), 1);
        contains(&gone[0], "oGone: 你已不在本次会议的参会名单中，无需参加；会议照常进行。");
        assert!(notices(&chat, NoticeKind::Cancellation).await.is_empty());

        chat.app.cancel_meeting(id, "改期").await;
        let cancelled = notices(&chat, NoticeKind::Cancellation).await;
        assert!(cancelled.iter().any(|n| n.starts_with("oCc: 会议已取消：改期")), "{cancelled:?}");
        assert!(cancelled.iter().any(|n| n.starts_with("oAlice: 会议已取消：改期")), "{cancelled:?}");
    }

    async fn a_command_without_an_id_never_offers_a_draft(backend: Backend) {
        let chat = Chat::new(backend).await;
        let ids = bind(&chat, &[("E1", "王主持", "oHost"), ("E2", "李参会", "oAlice")]).await;
        let body = json!({
            "title": "预算预审", "place": "3楼",
            "starts_at": "2026-12-01T09:30:00+08:00", "ends_at": "2026-12-01T10:30:00+08:00",
            "roles": [{"person_id": ids[0], "role": "host"}, {"person_id": ids[1], "role": "attendee"}],
        });
        let (status, draft) = chat.app.create_meeting(body).await;
        assert_eq!(status, 201, "{draft}");
        // Topics are proposed while a meeting is prepared (a draft too, in the console), but in
        // chat a draft does not exist yet, for its host as for anyone.
        for who in ["oHost", "oAlice"] {
            contains(&chat.say(who, "议题 预算口径").await, "没有可用于此命令的会议");
        }
        assert_eq!(chat.app.publish(1).await.0, 200);
        contains(&chat.say("oAlice", "议题 预算口径").await, "已提交议题");
    }
}
