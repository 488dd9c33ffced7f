//! Meetings through the admin API: drafts, publishing with room conflicts, cancelling.

use crate::helpers::*;
use reqwest::Method;
use serde_json::{json, Value};

async fn room(app: &TestApp, name: &str) -> i64 {
    let (status, body) = app.create_room(json!({"name": name, "capacity": 10})).await;
    assert_eq!(status, 201, "{body}");
    body["id"].as_i64().unwrap()
}

fn meeting(host: i64, room: Option<i64>, from: &str, until: &str) -> Value {
    json!({
        "title": "季度经营分析会",
        "goal": "确定下季度预算",
        "starts_at": format!("2026-12-01T{from}:00+08:00"),
        "ends_at": format!("2026-12-01T{until}:00+08:00"),
        "room_id": room,
        "place": if room.is_none() { "线上" } else { "" },
        "agenda": [{"title": "业绩回顾", "presenter_id": host, "minutes": 20}],
        "roles": [{"person_id": host, "role": "host"}],
    })
}

on_both_backends! {
    async fn a_draft_is_created_read_and_published(backend: Backend) {
        let app = spawn(TestOptions::new(backend)).await;
        let host = app.person("E1").await;
        let r = room(&app, "1号").await;
        let (status, created) = app.create_meeting(meeting(host, Some(r), "09:30", "10:30")).await;
        assert_eq!(status, 201, "{created}");
        assert_eq!(created["status"], "draft");
        assert_eq!(created["starts_at"], "2026-12-01T01:30:00Z");
        assert_eq!(created["agenda"][0]["minutes"], 20);
        assert_eq!(created["roles"], json!([{"person_id": host, "role": "host"}]));
        let id = created["id"].as_i64().unwrap();

        let (status, published) = app.publish(id).await;
        assert_eq!((status, &published["status"]), (200, &json!("scheduled")), "{published}");
        let (status, again) = app.publish(id).await;
        assert_eq!(status, 409, "{again}");
        assert_eq!(again["error"]["message"], "cannot publish a meeting that is scheduled");
    }

    async fn bad_meetings_are_refused_field_by_field(backend: Backend) {
        let app = spawn(TestOptions::new(backend)).await;
        let host = app.person("E1").await;
        let mut too_long = meeting(host, None, "09:30", "10:00");
        too_long["agenda"][0]["minutes"] = json!(45);
        let (status, body) = app.create_meeting(too_long).await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(body["error"]["details"][0]["message"], "the agenda needs 45 minutes but the meeting lasts 30");

        let mut no_host = meeting(host, None, "09:30", "10:00");
        no_host["roles"] = json!([{"person_id": host, "role": "attendee"}]);
        let (status, body) = app.create_meeting(no_host).await;
        assert_eq!((status, &body["error"]["details"][0]["field"]), (422, &json!("roles")));

        let ghost = meeting(9999, None, "09:30", "10:00");
        let (status, body) = app.create_meeting(ghost).await;
        assert_eq!((status, &body["error"]["details"][0]["field"]), (422, &json!("references")), "{body}");

        let mut bad_role = meeting(host, None, "09:30", "10:00");
        bad_role["roles"] = json!([{"person_id": host, "role": "emperor"}]);
        let (status, body) = app.create_meeting(bad_role).await;
        assert_eq!((status, &body["error"]["code"]), (422, &json!("bad_json")));
    }

    async fn overlapping_publications_of_one_room_name_the_conflict(backend: Backend) {
        let app = spawn(TestOptions::new(backend)).await;
        let host = app.person("E1").await;
        let r = room(&app, "2号").await;
        let ids = {
            let mut ids = Vec::new();
            for (from, until) in [("09:00", "10:00"), ("09:30", "10:30"), ("10:00", "11:00")] {
                let (_, m) = app.create_meeting(meeting(host, Some(r), from, until)).await;
                ids.push(m["id"].as_i64().unwrap());
            }
            ids
        };
        let (status, _) = app.publish(ids[0]).await;
        assert_eq!(status, 200);
        let (status, body) = app.publish(ids[1]).await;
        assert_eq!(status, 409);
        assert_eq!(
            body["error"]["message"],
            format!("the room is already booked by meeting {} at that time", ids[0])
        );
        let (status, _) = app.publish(ids[2]).await;
        assert_eq!(status, 200, "back to back is fine with no buffer");

        // Cancelling frees the room.
        let (status, body) = app.cancel_meeting(ids[0], " ").await;
        assert_eq!((status, &body["error"]["details"][0]["field"]), (422, &json!("reason")));
        let (status, body) = app.cancel_meeting(ids[0], "改期").await;
        assert_eq!((status, &body["status"], &body["cancel_reason"]), (200, &json!("cancelled"), &json!("改期")));
        assert_eq!(body["sequence"], 1, "a change after publishing bumps the sequence");
        // 9:30-10:30 still overlaps the 10:00 meeting; once that goes too, the room is free.
        let (status, body) = app.publish(ids[1]).await;
        assert_eq!(status, 409);
        assert!(body["error"]["message"].as_str().unwrap().contains(&format!("meeting {}", ids[2])));
        app.cancel_meeting(ids[2], "合并").await;
        let (status, _) = app.publish(ids[1]).await;
        assert_eq!(status, 200);
    }

    async fn concurrent_publications_cannot_both_take_the_room(backend: Backend) {
        let app = spawn(TestOptions::new(backend)).await;
        let host = app.person("E1").await;
        let r = room(&app, "3号").await;
        for round in 0..5 {
            let mut ids = Vec::new();
            for _ in 0..4 {
                let hour = format!("{:02}", 8 + round * 2);
                let (_, m) = app
                    .create_meeting(meeting(host, Some(r), &format!("{hour}:00"), &format!("{hour}:45")))
                    .await;
                ids.push(m["id"].as_i64().unwrap());
            }
            let paths: Vec<String> = ids.iter().map(|id| format!("/meetings/{id}/publish")).collect();
            let results = futures_util::future::join_all(
                paths.iter().map(|path| app.admin(Method::POST, path, None)),
            )
            .await;
            let won = results.iter().filter(|(s, _)| *s == 200).count();
            let refused = results.iter().filter(|(s, _)| *s == 409).count();
            assert_eq!((won, refused), (1, 3), "round {round}: {results:?}");
        }
    }

    async fn unknown_meetings_are_not_found(backend: Backend) {
        let app = spawn(TestOptions::new(backend)).await;
        let (status, _) = app.admin(Method::GET, "/meetings/424242", None).await;
        assert_eq!(status, 404);
        let (status, _) = app.admin(Method::POST, "/meetings/424242/publish", None).await;
        assert_eq!(status, 404);
    }

    async fn free_slots_of_a_room_skip_its_published_meetings(backend: Backend) {
        let app = spawn(TestOptions::new(backend)).await;
        let host = app.person("E1").await;
        let r = room(&app, "4号").await;
        for (from, until, publish) in [("10:00", "11:00", true), ("14:00", "15:30", true), ("16:00", "17:00", false)] {
            let (_, m) = app.create_meeting(meeting(host, Some(r), from, until)).await;
            if publish {
                app.publish(m["id"].as_i64().unwrap()).await;
            }
        }
        let slots = app.admin_read(&format!("/rooms/{r}/free?date=2026-12-01")).await;
        assert_eq!(
            slots,
            json!([
                {"starts_at": "2026-12-01T09:00:00+08:00", "ends_at": "2026-12-01T10:00:00+08:00"},
                {"starts_at": "2026-12-01T11:00:00+08:00", "ends_at": "2026-12-01T14:00:00+08:00"},
                {"starts_at": "2026-12-01T15:30:00+08:00", "ends_at": "2026-12-01T18:00:00+08:00"},
            ])
        );
        let (status, body) = app.admin(Method::GET, &format!("/rooms/{r}/free?date=12/01&from=25:00"), None).await;
        assert_eq!(status, 422);
        let fields: Vec<&str> = body["error"]["details"].as_array().unwrap().iter().map(|d| d["field"].as_str().unwrap()).collect();
        assert_eq!(fields, vec!["date", "from"]);
        let (status, _) = app.admin(Method::GET, "/rooms/999/free?date=2026-12-01", None).await;
        assert_eq!(status, 404);
    }

    async fn a_meeting_runs_its_whole_course(backend: Backend) {
        let app = spawn(TestOptions::new(backend)).await;
        let host = app.person("E1").await;
        let (_, m) = app.create_meeting(meeting(host, None, "09:00", "10:00")).await;
        let id = m["id"].as_i64().unwrap();
        let (status, body) = app.start_meeting(id).await;
        assert_eq!(status, 409, "a draft cannot start: {body}");
        for (step, status_after) in [
            ("publish", "scheduled"),
            ("start", "in_progress"),
            ("end", "ended"),
            ("close", "closed"),
            ("reopen", "ended"),
            ("close", "closed"),
        ] {
            let (status, body) = app.admin(Method::POST, &format!("/meetings/{id}/{step}"), None).await;
            assert_eq!((status, body["status"].as_str()), (200, Some(status_after)), "{step}: {body}");
        }
        let (status, body) = app
            .cancel_meeting(id, "晚了")
            .await;
        assert_eq!(status, 409, "{body}");
        let (status, _) = app.admin(Method::POST, &format!("/meetings/{id}/explode"), None).await;
        assert_eq!(status, 404);
    }

    async fn admin_reads_of_confidential_meetings_land_in_the_audit_log(backend: Backend) {
        let app = spawn(TestOptions::new(backend)).await;
        let host = app.person("E1").await;
        let mut secret = meeting(host, None, "09:00", "10:00");
        secret["confidential"] = json!(true);
        let (_, secret) = app.create_meeting(secret).await;
        let (_, open) = app.create_meeting(meeting(host, None, "11:00", "12:00")).await;
        let (secret, open) = (secret["id"].as_i64().unwrap(), open["id"].as_i64().unwrap());

        app.read_meeting(secret).await;
        app.read_meeting(open).await;
        app.publish(secret).await;

        let log = app.audit_log(&format!("meeting_id={secret}")).await;
        let entries: Vec<(i64, &str)> = log
            .as_array()
            .unwrap()
            .iter()
            .map(|e| (e["meeting_id"].as_i64().unwrap(), e["action"].as_str().unwrap()))
            .collect();
        assert_eq!(
            entries,
            vec![(secret, "publish_meeting"), (secret, "read_meeting"), (secret, "create_meeting")]
        );
        // An open meeting's reads are not audited; its changes are, as every meeting's.
        let only = app.audit_log(&format!("meeting_id={open}")).await;
        let only: Vec<(&str, &str)> = only
            .as_array()
            .unwrap()
            .iter()
            .map(|e| (e["actor"].as_str().unwrap(), e["action"].as_str().unwrap()))
            .collect();
        assert_eq!(only, vec![("admin", "create_meeting")]);

        // Append-only in the database itself, whatever code asks.
        let tampered = app
            .db
            .run(|c| {
                use diesel::connection::SimpleConnection;
                c.batch_execute("UPDATE audit_log SET actor = 'nobody'")?;
                Ok(())
            })
            .await;
        assert!(tampered.is_err());
        let deleted = app
            .db
            .run(|c| {
                use diesel::connection::SimpleConnection;
                c.batch_execute("DELETE FROM audit_log")?;
                Ok(())
            })
            .await;
        assert!(deleted.is_err());
        let log = app.audit_log(&format!("meeting_id={secret}")).await;
        assert_eq!(log.as_array().unwrap().len(), 3);
    }

    async fn meetings_are_listed_by_time_status_room_and_person(backend: Backend) {
        let app = spawn(TestOptions::new(backend)).await;
        let alice = app.person("E1").await;
        let bob = app.person("E2").await;
        let r = room(&app, "5号").await;
        let (_, m1) = app.create_meeting(meeting(alice, Some(r), "09:00", "10:00")).await;
        let (_, m2) = app.create_meeting(meeting(bob, None, "13:00", "14:00")).await;
        let mut secret = meeting(bob, None, "15:00", "16:00");
        secret["confidential"] = json!(true);
        let (_, m3) = app.create_meeting(secret).await;
        let (m1, m2, m3) = (m1["id"].as_i64().unwrap(), m2["id"].as_i64().unwrap(), m3["id"].as_i64().unwrap());
        app.publish(m1).await;

        let ids = |v: &Value| v.as_array().unwrap().iter().map(|m| m["id"].as_i64().unwrap()).collect::<Vec<_>>();
        let (status, all) = app.admin(Method::GET, "/meetings", None).await;
        assert_eq!((status, ids(&all)), (200, vec![m1, m2, m3]));
        let l = app.admin_read("/meetings?status=scheduled").await;
        assert_eq!(ids(&l), vec![m1]);
        let l = app.admin_read(&format!("/meetings?room_id={r}")).await;
        assert_eq!(ids(&l), vec![m1]);
        let l = app.admin_read(&format!("/meetings?person_id={bob}")).await;
        assert_eq!(ids(&l), vec![m2, m3]);
        let (_, l) = app
            .admin(Method::GET, "/meetings?from=2026-12-01T09:30:00%2B08:00&until=2026-12-01T13:30:00%2B08:00", None)
            .await;
        assert_eq!(ids(&l), vec![m1, m2]);
        let (status, body) = app.admin(Method::GET, "/meetings?status=sleeping&from=yesterday", None).await;
        assert_eq!(status, 422);
        assert_eq!(body["error"]["details"].as_array().unwrap().len(), 2);

        // The confidential title went out twice (the full list, bob's list): audited each time,
        // after its creation.
        let log = app.audit_log(&format!("meeting_id={m3}")).await;
        let actions: Vec<&str> = log.as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
        assert_eq!(actions, vec!["list_meetings", "list_meetings", "create_meeting"]);
    }
}

on_both_backends! {
    async fn updates_recheck_the_rules_and_tell_the_invited_what_changed(backend: Backend) {
        let app = spawn(TestOptions::new(backend)).await;
        let host = app.person("E1").await;
        let r1 = room(&app, "1号").await;
        let r2 = room(&app, "2号").await;
        let (_, a) = app.create_meeting(meeting(host, Some(r1), "09:30", "10:30")).await;
        let id = a["id"].as_i64().unwrap();
        let (_, b) = app.create_meeting(meeting(host, Some(r2), "11:00", "12:00")).await;
        let other = b["id"].as_i64().unwrap();
        app.publish(other).await;

        let (status, draft) = app.update_meeting(id, json!({"title": "经营会"})).await;
        assert_eq!((status, &draft["title"], &draft["sequence"]), (200, &json!("经营会"), &json!(0)), "{draft}");
        app.publish(id).await;

        let (status, body) = app.update_meeting(id, json!({"ends_at": "2026-12-01T09:40:00+08:00"})).await;
        assert_eq!(status, 422, "the 20-minute agenda no longer fits: {body}");
        let (status, body) = app.update_meeting(id, json!({"room_id": r2, "starts_at": "2026-12-01T11:30:00+08:00", "ends_at": "2026-12-01T12:30:00+08:00"})).await;
        assert_eq!(status, 409, "{body}");
        assert!(body["error"]["message"].as_str().unwrap().contains(&other.to_string()));
        let (status, body) = app.update_meeting(id, json!({"bogus": 1})).await;
        assert_eq!(status, 422, "{body}");

        let (status, moved) = app.update_meeting(id, json!({"starts_at": "2026-12-01T14:00:00+08:00", "ends_at": "2026-12-01T15:00:00+08:00", "room_id": null, "place": "线上"})).await;
        assert_eq!(status, 200, "{moved}");
        assert_eq!((&moved["sequence"], &moved["room_id"]), (&json!(1), &json!(null)));
        let notice = app.db.run(huiwu::db::outbox::all).await.unwrap()
            .into_iter().find(|r| r.kind == huiwu::outbox::NoticeKind::Change).expect("a change notice");
        assert!(notice.payload.contains("时间：12月1日(周二) 09:30–10:30 → 12月1日(周二) 14:00–15:00"), "{}", notice.payload);
        assert!(notice.payload.contains("地点：1号 → 线上"), "{}", notice.payload);

        app.start_meeting(id).await;
        let (status, _) = app.update_meeting(id, json!({"title": "x"})).await;
        assert_eq!(status, 409);
        let (status, _) = app.admin(Method::PATCH, "/meetings/999", Some(json!({"title": "x"}))).await;
        assert_eq!(status, 404);
    }
}

async fn ics(app: &TestApp, path: &str) -> (u16, String) {
    let r = app
        .client
        .get(format!("{}/api/v1{path}", app.base))
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    if status == 200 {
        assert_eq!(r.headers()["content-type"], "text/calendar; charset=utf-8");
    }
    (status, r.text().await.unwrap())
}

on_both_backends! {
    async fn meetings_export_to_icalendar_with_stable_uids_and_sequences(backend: Backend) {
        let app = spawn(TestOptions::new(backend)).await;
        let host = app.person("E1").await;
        let (_, a) = app.create_meeting(meeting(host, None, "09:30", "10:30")).await;
        let id = a["id"].as_i64().unwrap();
        let (status, _) = ics(&app, &format!("/meetings/{id}/ics")).await;
        assert_eq!(status, 409, "drafts have no calendar entry");
        app.publish(id).await;
        let (status, body) = ics(&app, &format!("/meetings/{id}/ics")).await;
        assert_eq!(status, 200);
        let uid = format!("UID:huiwu-meeting-{id}@127.0.0.1");
        for line in ["METHOD:REQUEST", &uid, "SEQUENCE:0", "SUMMARY:季度经营分析会", "DTSTART:20261201T013000Z", "STATUS:CONFIRMED"] {
            assert!(body.contains(line), "{line} missing in\n{body}");
        }
        app.update_meeting(id, json!({"starts_at": "2026-12-01T10:00:00+08:00", "ends_at": "2026-12-01T11:00:00+08:00"})).await;
        app.cancel_meeting(id, "改期").await;
        let (_, body) = ics(&app, &format!("/meetings/{id}/ics")).await;
        for line in ["METHOD:CANCEL", &uid, "SEQUENCE:2", "STATUS:CANCELLED", "DTSTART:20261201T020000Z"] {
            assert!(body.contains(line), "{line} missing in\n{body}");
        }
        let (_, b) = app.create_meeting(meeting(host, None, "14:00", "15:00")).await;
        let other = b["id"].as_i64().unwrap();
        app.publish(other).await;
        let (status, feed) = ics(&app, &format!("/users/{host}/calendar.ics")).await;
        assert_eq!(status, 200);
        assert!(feed.contains("METHOD:PUBLISH") && feed.contains(&uid) && feed.contains(&format!("huiwu-meeting-{other}@")), "{feed}");
        assert_eq!(ics(&app, "/users/999/calendar.ics").await.0, 404);
        assert_eq!(ics(&app, "/meetings/999/ics").await.0, 404);
        // A revision counter below zero is damage, not revision 0 (which calendars would take
        // as older than what they hold).
        app.db
            .run(move |c| {
                use diesel::connection::SimpleConnection;
                c.batch_execute(&format!("UPDATE meetings SET sequence = -1 WHERE id = {other}"))?;
                Ok(())
            })
            .await
            .unwrap();
        assert_eq!(ics(&app, &format!("/meetings/{other}/ics")).await.0, 500);
    }
}

on_both_backends! {
    async fn agendas_are_replaced_and_reordered_and_materials_kept(backend: Backend) {
        let app = spawn(TestOptions::new(backend)).await;
        let host = app.person("E1").await;
        let mut body = meeting(host, None, "09:30", "10:30");
        body["materials"] = json!([{"title": "上季度报告", "url": "https://pan.example.com/q3.pdf"}]);
        let (_, a) = app.create_meeting(body).await;
        let id = a["id"].as_i64().unwrap();
        let created_with = app.admin_read(&format!("/meetings/{id}/materials")).await;
        assert_eq!(created_with[0]["title"], "上季度报告");
        let (_, full) = app.read_meeting(id).await;
        assert_eq!(full["materials"][0]["url"], "https://pan.example.com/q3.pdf", "get shows everything");
        let mut bad = meeting(host, None, "09:30", "10:30");
        bad["materials"] = json!([{"title": "", "url": "https://x"}]);
        assert_eq!(app.create_meeting(bad).await.0, 422);
        let mut bad = meeting(host, None, "09:30", "10:30");
        bad["equipment_needs"] = json!(["投影仪\n白板"]);
        let (status, body) = app.create_meeting(bad).await;
        assert_eq!((status, body["error"]["details"][0]["field"].as_str()), (422, Some("equipment_needs")), "one line each, as a room's equipment: {body}");
        let items = json!([
            {"title": "回顾", "presenter_id": host, "minutes": 20},
            {"title": "计划", "minutes": 30},
        ]);
        let (status, agenda) = app.admin(Method::PUT, &format!("/meetings/{id}/agenda"), Some(items)).await;
        assert_eq!(status, 200, "{agenda}");
        assert_eq!(agenda[1]["title"], "计划");
        let (status, body) = app.admin(Method::PUT, &format!("/meetings/{id}/agenda"), Some(json!([{"title": "太长", "minutes": 90}]))).await;
        assert_eq!(status, 422);
        assert_eq!(body["error"]["details"][0]["message"], "the agenda needs 90 minutes but the meeting lasts 60");
        for title in ["  ", "回顾\n计划", "回顾\u{b}计划", "回顾\u{85}计划"] {
            let (status, body) = app.admin(Method::PUT, &format!("/meetings/{id}/agenda"), Some(json!([{"title": "回顾", "minutes": 10}, {"title": title, "minutes": 10}]))).await;
            assert_eq!(status, 422, "{title:?}: {body}");
            assert_eq!(body["error"]["details"][0]["message"], "agenda item 2 needs a title on one line (no line breaks or control characters)");
        }
        app.publish(id).await;
        let (status, agenda) = app.admin(Method::POST, &format!("/meetings/{id}/agenda/reorder"), Some(json!({"order": [2, 1]}))).await;
        assert_eq!(status, 200, "{agenda}");
        assert_eq!((agenda[0]["title"].clone(), agenda[1]["presenter_id"].clone()), (json!("计划"), json!(host)));
        let (status, _) = app.admin(Method::POST, &format!("/meetings/{id}/agenda/reorder"), Some(json!({"order": [1, 1]}))).await;
        assert_eq!(status, 422);

        let (status, list) = app.admin(Method::POST, &format!("/meetings/{id}/materials"), Some(json!({"title": "预算表", "url": "https://pan.example.com/budget.xlsx"}))).await;
        assert_eq!(status, 201, "{list}");
        let material = list[1]["id"].as_i64().unwrap();
        // One material rule for every door: what the document's pattern refuses is refused.
        for (title, url) in [("x", "ftp://x"), ("x", " https://x"), ("x", "https://a b"), ("x", "javascript:alert(1)"),
                             ("x", "https://x\u{88}"), ("x", "https://x\u{7}y"), ("  ", "https://x"), (&*"长".repeat(201), "https://x"), ("a\u{0}b", "https://x")] {
            let (status, body) = app.admin(Method::POST, &format!("/meetings/{id}/materials"), Some(json!({"title": title, "url": url}))).await;
            assert!(matches!(status, 400 | 422), "{title:?} {url:?}: {status} {body}");
        }
        let (_, m) = app.read_meeting(id).await;
        assert_eq!(m["sequence"], 2, "reorder and a new material are changes after publishing");
        let changes: Vec<_> = app.db.run(huiwu::db::outbox::all).await.unwrap().into_iter()
            .filter(|r| r.kind == huiwu::outbox::NoticeKind::Change).map(|r| r.payload).collect();
        assert!(changes.iter().any(|p| p.contains("议程顺序已调整")) && changes.iter().any(|p| p.contains("新增材料「预算表」")), "{changes:?}");
        let (status, list) = app.admin(Method::DELETE, &format!("/meetings/{id}/materials/{material}"), None).await;
        assert_eq!((status, list.as_array().unwrap().len()), (200, 1));
        let (status, _) = app.admin(Method::DELETE, &format!("/meetings/{id}/materials/{material}"), None).await;
        assert_eq!(status, 404);
    }
}

on_both_backends! {
    async fn a_room_too_small_is_a_warning_not_a_refusal(backend: Backend) {
        let app = spawn(TestOptions::new(backend)).await;
        let host = app.person("E1").await;
        let guest = app.person("E2").await;
        let (_, small) = app.create_room(json!({"name": "电话间", "capacity": 1})).await;
        let mut body = meeting(host, small["id"].as_i64(), "09:30", "10:30");
        body["roles"] = json!([{"person_id": host, "role": "host"}, {"person_id": guest, "role": "attendee"}]);
        let (status, created) = app.create_meeting(body).await;
        assert_eq!(status, 201);
        assert_eq!(created["warnings"], json!(["the room holds 1 people but 2 are invited"]));
        let id = created["id"].as_i64().unwrap();
        let (status, published) = app.publish(id).await;
        assert_eq!((status, published["warnings"].as_array().map(Vec::len)), (200, Some(1)));
        let (_, roomy) = app.create_meeting(meeting(host, None, "11:00", "12:00")).await;
        assert!(roomy.get("warnings").is_none(), "{roomy}");
    }
}
