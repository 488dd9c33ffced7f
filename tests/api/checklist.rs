//! The preparation checklist: made from the roles at publishing, ticked by chat (and by a
//! presenter's material), chased once when overdue, summed up for the host and organizers
//! before the start; changed through the admin API.

use crate::helpers::*;
use chrono::{DateTime, TimeZone, Utc};
use huiwu::clock::{Clock, ManualClock};
use huiwu::meetings::notice_kind::NoticeKind;
use huiwu::notify::scheduler::Scheduler;
use huiwu::sim::SimAction;
use reqwest::Method;
use serde_json::json;
use std::sync::Arc;

fn local(d: u32, h: u32, m: u32) -> DateTime<Utc> {
    chrono_tz::Asia::Shanghai
        .with_ymd_and_hms(2026, if d == 30 { 11 } else { 12 }, d, h, m, 0)
        .unwrap()
        .with_timezone(&Utc)
}

on_both_backends! {
    async fn the_checklist_is_made_at_publishing_ticked_by_chat_chased_once_and_summed_up(backend: Backend) {
        let clock = Arc::new(ManualClock::new(local(30, 9, 0)));
        let mut opts = TestOptions::new(backend);
        opts.clock = Some(clock.clone());
        opts.outbox_worker = false;
        opts.scheduler = false;
        let app = spawn(opts).await;
        let say = |from: &'static str, text: String| {
            let app = &app;
            async move { reply_content(&app.act(&app.oa(), from, SimAction::Text(text)).await) }
        };
        let mut ids = Vec::new();
        for (name, no, openid) in [("王主持", "E1", "oHost"), ("李报告", "E2", "oAlice"), ("钱技术", "E5", ""), ("孙会务", "E6", "oOrg")] {
            // 钱技术 works in WeCom; the others follow the Official Account.
            let person = app.person(no).named(name);
            ids.push(if openid.is_empty() { person.wecom("qian").await } else { person.await });
            if !openid.is_empty() {
                assert!(say(openid, app.bind_text(no).await).await.contains("绑定成功"));
            }
        }
        let (host, alice, it, org) = (ids[0], ids[1], ids[2], ids[3]);
        let (status, m) = app.create_meeting(json!({
            "title": "预算评审会", "place": "3楼大会议室", "equipment_needs": ["投影仪"], "prep_meeting": true,
            "starts_at": "2026-12-01T09:30:00+08:00", "ends_at": "2026-12-01T10:30:00+08:00",
            "agenda": [{"title": "预算说明", "presenter_id": alice, "minutes": 30}],
            "roles": [{"person_id": host, "role": "host"}, {"person_id": alice, "role": "attendee"},
                      {"person_id": it, "role": "it_support"}, {"person_id": org, "role": "organizer"}],
        })).await;
        assert_eq!(status, 201, "{m}");
        let id = m["id"].as_i64().unwrap();
        let (_, empty) = app.checklist(id).await;
        assert_eq!(empty, json!([]), "a draft has none yet");
        app.publish(id).await;

        let (_, items) = app.checklist(id).await;
        let made: Vec<(&str, i64, &str, &str)> = items.as_array().unwrap().iter()
            .map(|i| (i["title"].as_str().unwrap(), i["owner_id"].as_i64().unwrap(), i["kind"].as_str().unwrap(), i["due_at"].as_str().unwrap()))
            .collect();
        assert_eq!(made, vec![
            ("材料上传", alice, "materials", "2026-11-30T01:30:00Z"),
            ("会前准备会", host, "prep_meeting", "2026-11-30T01:30:00Z"),
            ("设备调试：投影仪", it, "equipment", "2026-11-30T23:30:00Z"),
            ("会场布置", org, "setup", "2026-12-01T00:30:00Z"),
        ]);
        let item = |n: usize| items[n]["id"].as_i64().unwrap();

        // Ticked by chat: a presenter's material ticks theirs.
        assert!(say("oAlice", "清单".into()).await.contains("材料上传"));
        let added = say("oAlice", format!("材料 #{id} 预算表 https://docs.example.com/budget")).await;
        assert!(added.contains("已为 #1 添加材料「预算表」") && added.contains("筹备进度 1/4"), "{added}");
        assert!(say("oAlice", "清单".into()).await.contains("都完成了"));
        assert!(say("oAlice", format!("完成清单 {}", item(3))).await.contains(&format!("找不到清单项 #{}", item(3))), "someone else's");
        // Each owner was told; on WeCom with a card whose 完成 button ticks the item off.
        let told = app.db.run(move |c| huiwu::db::outbox::for_meeting(c, typed(id))).await.unwrap();
        let cards: Vec<_> = told.iter().filter(|r| r.kind == NoticeKind::ChecklistAssigned).collect();
        let mut owners: Vec<i64> = cards.iter().map(|r| r.person_id.unwrap().get()).collect();
        owners.sort_unstable();
        assert_eq!(owners, vec![host, alice, it, org]);
        let card = cards.iter().find(|r| r.person_id == Some(typed(it))).unwrap();
        let key = format!("checklist:done:{}", item(2));
        assert!(card.payload.contains("template_card") && card.payload.contains(&key), "{}", card.payload);
        let click = |n: i64| {
            let app = &app;
            let key = key.clone();
            async move {
                let now = app.clock.now().timestamp();
                let sim = app.wecom();
                let xml = sim.message_xml("qian", &SimAction::CardClick(key), now + n, huiwu::sim::random_msg_id()).unwrap();
                reply_content(&app.deliver(&sim, &sim.sign_post(&xml, now, &huiwu::sim::random_nonce())).await)
            }
        };
        let ticked = click(1).await;
        assert!(ticked.contains("筹备进度 2/4"), "{ticked}");
        assert!(click(2).await.contains("已经完成了"));
        assert!(say("oHost", format!("会议 {id}")).await.contains("筹备：2/4 项完成"));
        let (_, m) = app.read_meeting(id).await;
        assert_eq!((m["checklist_done"].clone(), m["checklist_total"].clone()), (json!(2), json!(4)));

        // 08:31 on the day: the late item is chased (once), the host and organizers get the state.
        clock.set(local(1, 8, 31));
        let dyn_clock: Arc<dyn Clock> = clock.clone();
        let (_, notices) = huiwu::startup::outbound(&app.settings, &app.db, &dyn_clock).unwrap();
        let scheduler = Scheduler::new(app.db.clone(), dyn_clock, Arc::new(notices), Arc::new(tokio::sync::Notify::new()));
        scheduler.tick().await.unwrap();
        scheduler.tick().await.unwrap();
        let rows = app.db.run(huiwu::db::outbox::all).await.unwrap();
        let of = |kind: NoticeKind| rows.iter().filter(move |r| r.kind == kind).collect::<Vec<_>>();
        let chased = of(NoticeKind::ChecklistOverdue);
        let mut chased_to: Vec<i64> = chased.iter().map(|r| r.person_id.unwrap().get()).collect();
        chased_to.sort_unstable();
        assert_eq!(chased_to, vec![host, org], "once each, to the owners");
        assert!(chased.iter().any(|r| r.payload.contains("会场布置")) && chased.iter().any(|r| r.payload.contains("会前准备会")));
        let summaries = of(NoticeKind::Readiness);
        let mut to: Vec<i64> = summaries.iter().map(|r| r.person_id.unwrap().get()).collect();
        to.sort_unstable();
        assert_eq!(to, vec![host, org]);
        assert!(summaries[0].payload.contains("筹备清单 2/4 已完成；未完成：会前准备会（王主持）、会场布置（孙会务）"), "{}", summaries[0].payload);

        // The admin API: add (due no later than the start), tick, remove.
        let late = app.admin(Method::POST, &format!("/meetings/{id}/checklist"),
            Some(json!({"title": "茶歇", "owner_id": org, "due_at": "2026-12-01T10:00:00+08:00"}))).await;
        assert_eq!(late.0, 422, "{}", late.1);
        let (status, refused) = app.admin(Method::POST, &format!("/meetings/{id}/checklist"),
            Some(json!({"title": "茶歇\u{7}", "owner_id": org, "due_at": "2026-12-01T09:00:00+08:00"}))).await;
        assert_eq!((status, refused["error"]["details"][0]["message"].as_str()), (422, Some("must be 1 to 100 characters on one line")), "a title stays on one line: {refused}");
        let (status, tea) = app.admin(Method::POST, &format!("/meetings/{id}/checklist"),
            Some(json!({"title": "茶歇", "owner_id": org, "due_at": "2026-12-01T09:00:00+08:00"}))).await;
        assert_eq!(status, 201, "{tea}");
        let tea = tea["id"].as_i64().unwrap();
        let (status, done) = app.admin(Method::PATCH, &format!("/checklist/{tea}"), Some(json!({"done": true}))).await;
        assert_eq!((status, done["done_by"].clone()), (200, json!(org)), "{done}");
        assert_eq!(app.admin(Method::PATCH, &format!("/checklist/{tea}"), Some(json!({"done": true}))).await.0, 409);
        assert_eq!(app.admin(Method::DELETE, &format!("/checklist/{tea}"), None).await.0, 204);
        assert_eq!(app.admin(Method::DELETE, &format!("/checklist/{tea}"), None).await.0, 404);
    }
}
