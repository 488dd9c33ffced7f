//! Around a running meeting, by chat as WeChat delivers it (signed, encrypted callbacks):
//! questions to the host and recorders, anonymous ones included, and help on site.

use crate::chat::{contains, Chat};
use crate::helpers::*;
use huiwu::meetings::notice_kind::NoticeKind;
use serde_json::json;

/// Who got messages of `kind` about meeting `id` (person ids, sorted), and their payloads.
async fn sent(chat: &Chat, id: i64, kind: NoticeKind) -> (Vec<i64>, Vec<String>) {
    let rows = chat
        .app
        .db
        .run(move |c| huiwu::db::outbox::for_meeting(c, typed(id)))
        .await
        .unwrap();
    let mine: Vec<_> = rows.into_iter().filter(|r| r.kind == kind).collect();
    let mut to: Vec<i64> = mine
        .iter()
        .filter_map(|r| r.person_id.map(|p| p.get()))
        .collect();
    to.sort_unstable();
    (to, mine.into_iter().map(|r| r.payload).collect())
}

fn sorted(mut ids: Vec<i64>) -> Vec<i64> {
    ids.sort_unstable();
    ids
}

on_both_backends! {
    async fn questions_reach_host_and_recorder_and_answers_reach_the_asker(backend: Backend) {
        let chat = Chat::new(backend).await;
        let host = chat.app.person("E1").named("王主持").await;
        let alice = chat.app.person("E2").named("李参会").await;
        let rec = chat.app.person("E3").named("赵记录").await;
        let bob = chat.app.person("E4").named("周匿名").await;
        let officer = chat.app.person("E7").named("吴保密").await;
        let id = chat.meeting(json!([
            {"person_id": host, "role": "host"}, {"person_id": alice, "role": "attendee"},
            {"person_id": rec, "role": "recorder"}, {"person_id": bob, "role": "attendee"},
            {"person_id": officer, "role": "confidentiality_officer"},
        ]), false, false).await;
        for (openid, no) in [("oHost", "E1"), ("oAlice", "E2"), ("oRec", "E3"), ("oBob", "E4"), ("oSec", "E7")] {
            contains(&chat.say(openid, &chat.app.bind_text(no).await).await, "绑定成功");
        }
        // Before the meeting runs: why not.
        contains(&chat.say("oAlice", "提问 预算包含外包吗").await, "提问只能在会议进行中使用：你现在没有进行中的会议");
        contains(&chat.say("oAlice", &format!("提问 #{id} 预算包含外包吗")).await, "未开始：提问只能在会议进行中使用");

        chat.clock.set(crate::chat::start());
        contains(&chat.say("oHost", &format!("开始 {id}")).await, "收入回顾");
        contains(&chat.say("oAlice", "提问 预算包含外包吗").await, "提问 #1 已发给");
        contains(&chat.say("oBob", "匿名提问 能否延期一周").await, "不显示你的名字");
        let (to, payloads) = sent(&chat, id, NoticeKind::Question).await;
        assert_eq!(to, sorted(vec![host, rec, host, rec]), "each question to host and recorder");
        assert!(payloads.iter().any(|p| p.contains("李参会") && p.contains("预算包含外包吗")), "{payloads:?}");
        assert!(payloads.iter().any(|p| p.contains("匿名") && p.contains("能否延期一周")));
        assert!(!payloads.iter().any(|p| p.contains("周匿名")), "an anonymous question names no one");
        let long = "问".repeat(501);
        contains(&chat.say("oAlice", &format!("提问 {long}")).await, "最多 500 字");

        let queue = chat.say("oRec", "问题").await;
        contains(&queue, "2 条未答复");
        contains(&queue, "#1 【未答复】李参会：预算包含外包吗");
        contains(&queue, "#2 【未答复】匿名：能否延期一周");
        assert!(!queue.contains("周匿名"), "{queue}");
        contains(&chat.say("oAlice", "问题").await, "只有记录员或主持人");
        // Who asked anonymously: the confidentiality officer may look, and the look is audited.
        contains(&chat.say("oSec", "谁提问 2").await, "匿名提问 #2「能否延期一周」由 周匿名（E4）提出");
        contains(&chat.say("oHost", "谁提问 2").await, "找不到提问 #2");
        contains(&chat.say("oAlice", "答复 1 自问自答").await, "找不到提问 #1");

        contains(&chat.say("oHost", "答复 1 包含，已列入").await, "答复已发给提问人");
        contains(&chat.say("oRec", "答复 1 再答一次").await, "已经答复过了");
        contains(&chat.say("oHost", "答复 2").await, "已答复提问 #2，并记入纪要");
        let (to, payloads) = sent(&chat, id, NoticeKind::QuestionAnswered).await;
        assert_eq!(to, vec![alice], "only a written answer goes back");
        assert!(payloads[0].contains("包含，已列入"));
        let meeting = chat.say("oHost", &format!("会议 {id}")).await;
        contains(&meeting, "会中：未答复提问 0 条");
        contains(&chat.say("oAlice", "提问 还有时间讨论风险吗").await, "提问 #3");
        contains(&chat.say("oHost", "结束").await, "结束");
        contains(&chat.say("oHost", &format!("发布纪要 {id}")).await, "纪要");

        // Into the minutes, under the item that was running; the anonymous asker unnamed.
        let (_, minutes) = chat.app.minutes(id).await;
        let text = minutes.to_string();
        assert!(text.contains("问答：李参会 提问「预算包含外包吗」；王主持 答复：包含，已列入"), "{text}");
        assert!(text.contains("问答：匿名提问「能否延期一周」；已当场答复（王主持）"), "{text}");
        assert!(!text.contains("周匿名"), "{text}");
        assert!(text.contains("问答：李参会 提问「还有时间讨论风险吗」；会上未答复"), "unanswered ones too: {text}");
        let listed = chat.app.admin_read(&format!("/meetings/{id}/questions")).await;
        assert_eq!(listed[1]["asker_id"], serde_json::Value::Null, "{listed}");
        assert_eq!(listed[0]["asker_id"], alice);
        // Who asked stays in the audit log.
        let log = chat.app.audit_log(&format!("meeting_id={id}&action=ask_question")).await;
        let askers: Vec<&str> = log.as_array().unwrap().iter().map(|e| e["actor"].as_str().unwrap()).collect();
        assert!(askers.contains(&format!("person:{bob}").as_str()), "{log}");
        let looked = chat.app.audit_log(&format!("meeting_id={id}&action=reveal_asker")).await;
        assert_eq!(looked[0]["actor"], format!("person:{officer}"), "{looked}");
    }

    async fn help_on_site_reaches_support_at_once_and_is_taken_once(backend: Backend) {
        let chat = Chat::new(backend).await;
        let host = chat.app.person("E1").named("王主持").await;
        let alice = chat.app.person("E2").named("李参会").await;
        let it = chat.app.person("E5").named("钱技术").await;
        let org = chat.app.person("E6").named("孙会务").await;
        // 07:45 local, inside quiet hours (22:00–08:00) for the first quarter of an hour.
        let (status, m) = chat.app.create_meeting(json!({
            "title": "早会", "place": "3楼大会议室",
            "starts_at": "2026-12-02T07:45:00+08:00", "ends_at": "2026-12-02T08:45:00+08:00",
            "roles": [{"person_id": host, "role": "host"}, {"person_id": alice, "role": "attendee"},
                      {"person_id": it, "role": "it_support"}, {"person_id": org, "role": "organizer"}],
        })).await;
        assert_eq!(status, 201, "{m}");
        let id = m["id"].as_i64().unwrap();
        chat.app.publish(id).await;
        for (openid, no) in [("oAlice", "E2"), ("oIT", "E5"), ("oOrg", "E6")] {
            contains(&chat.say(openid, &chat.app.bind_text(no).await).await, "绑定成功");
        }
        let at = |h: u32, m: u32| chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 12, 1, h, m, 0).unwrap();
        chat.clock.set(at(23, 0)); // 07:00 local: too early
        contains(&chat.say("oAlice", "求助 投影仪没有信号").await, "求助在会前 30 分钟到会议结束之间可用");
        chat.clock.set(at(23, 20)); // 07:20 local, quiet hours
        contains(&chat.say("oAlice", &format!("求助 {}", "修".repeat(501))).await, "最多 500 字");
        let asked = chat.say("oAlice", "求助 投影仪没有信号").await;
        contains(&asked, "求助 #1 已发给");
        contains(&asked, "钱技术");
        let (to, payloads) = sent(&chat, id, NoticeKind::HelpRequest).await;
        assert_eq!(to, sorted(vec![it, org]));
        assert!(payloads.iter().all(|p| p.contains("投影仪没有信号") && p.contains("李参会") && p.contains("3楼大会议室")), "{payloads:?}");
        let rows = chat.app.db.run(move |c| huiwu::db::outbox::for_meeting(c, typed(id))).await.unwrap();
        // Quiet hours would hold them until 08:00; a failed first attempt's backoff (the mock
        // API is unreachable here) is milliseconds and does not count.
        let morning = huiwu::clock::Clock::now(&*chat.clock).timestamp_millis() + 60_000;
        let held: Vec<_> = rows.iter().filter(|r| r.kind == NoticeKind::HelpRequest && r.next_attempt_at.millis() > morning).collect();
        assert!(held.is_empty(), "quiet hours hold nothing back: {held:?}");

        contains(&chat.say("oAlice", "处理 1").await, "找不到求助 #1");
        contains(&chat.say("oIT", "已解决 1").await, "还没有人接手");
        // Both answer at the same moment: one takes it, the other hears who did.
        let (a, b) = tokio::join!(chat.say("oIT", "处理 1"), chat.say("oOrg", "处理 1"));
        let took: Vec<&String> = [&a, &b].into_iter().filter(|r| r.contains("你已接手求助 #1")).collect();
        assert_eq!(took.len(), 1, "{a}\n{b}");
        let (winner, loser, winner_name, winner_id) = if a.contains("你已接手") { ("oIT", &b, "钱技术", it) } else { ("oOrg", &a, "孙会务", org) };
        contains(loser, &format!("求助 #1 已由 {winner_name} 接手处理"));
        let (to, _) = sent(&chat, id, NoticeKind::HelpTaken).await;
        let mut told = vec![host, alice, it, org];
        told.retain(|p| *p != winner_id);
        assert_eq!(to, sorted(told), "the others and the asker hear who took it");

        chat.clock.set(at(23, 25));
        contains(&chat.say(winner, "已解决 1").await, "求助 #1 已解决，已告知 李参会");
        contains(&chat.say(winner, "已解决 1").await, "已经解决");
        let (to, payloads) = sent(&chat, id, NoticeKind::HelpResolved).await;
        assert_eq!(to, vec![alice]);
        assert!(payloads[0].contains("已解决"));
        let helps = chat.app.admin_read(&format!("/meetings/{id}/help-requests")).await;
        assert_eq!((helps[0]["seconds_to_take"].clone(), helps[0]["seconds_to_resolve"].clone()), (json!(0), json!(300)), "{helps}");
    }
}
