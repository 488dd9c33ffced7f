//! Calendar files calendar apps treat as invitations (ORGANIZER, ATTENDEE with PARTSTAT and
//! ROLE, huiwu's PRODID), read back with an iCalendar parser; the secret per-person feed.

use crate::helpers::*;
use huiwu::sim::SimAction;
use icalendar::parser::{read_calendar, unfold, Property};
use reqwest::Method;
use serde_json::{json, Value};

async fn get(app: &TestApp, url: &str, token: Option<&str>) -> (u16, String) {
    let mut request = app.client.get(url);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let r = request.send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

/// A property as read back: name, value and its parameters.
type Prop = (String, String, Vec<(String, String)>);

/// The calendar's own (name, value) properties and the first VEVENT's properties.
fn parse(ics: &str) -> (Vec<(String, String)>, Vec<Prop>) {
    let unfolded = unfold(ics);
    let calendar = read_calendar(&unfolded).unwrap_or_else(|e| panic!("{e}\n{ics}"));
    let owned = |p: &Property| {
        let params = p
            .params
            .iter()
            .map(|q| {
                let val = q
                    .val
                    .as_ref()
                    .map(|v| v.as_str().to_owned())
                    .unwrap_or_default();
                (q.key.as_str().to_owned(), val)
            })
            .collect();
        (
            p.name.as_str().to_owned(),
            p.val.as_str().to_owned(),
            params,
        )
    };
    let head = calendar
        .properties
        .iter()
        .map(|p| (p.name.as_str().to_owned(), p.val.as_str().to_owned()))
        .collect();
    let event = calendar
        .components
        .iter()
        .find(|c| c.name.as_str() == "VEVENT")
        .unwrap();
    (head, event.properties.iter().map(owned).collect())
}

fn param<'a>(params: &'a [(String, String)], key: &str) -> &'a str {
    params
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

on_both_backends! {
    async fn an_invitation_names_its_organizer_and_each_attendee_with_their_answer(backend: Backend) {
        let app = spawn(TestOptions::new(backend)).await;
        let host = app.person("E1").named("王主持").await;
        let yes = app.person("E2").named("李参会").await;
        let no = app.person("E3").named("赵可选").await;
        let cc = app.person("E4").named("钱抄送").await;
        let (status, created) = app.create_meeting(json!({
            "title": "季度经营分析会",
            "goal": "",
            "starts_at": "2026-12-20T09:30:00+08:00",
            "ends_at": "2026-12-20T10:30:00+08:00",
            "place": "3楼大会议室",
            "roles": [
                {"person_id": host, "role": "host"},
                {"person_id": yes, "role": "attendee"},
                {"person_id": no, "role": "optional_attendee"},
                {"person_id": cc, "role": "informed"},
            ],
        })).await;
        assert_eq!(status, 201, "{created}");
        let id = created["id"].as_i64().unwrap();
        app.publish(id).await;
        for (who, answer) in [(yes, json!({"answer": "accepted"})), (no, json!({"answer": "declined", "reason": "出差"}))] {
            let (status, body) = app.admin(Method::PUT, &format!("/meetings/{id}/participants/{who}/rsvp"), Some(answer)).await;
            assert_eq!(status, 200, "{body}");
        }

        let (status, body) = get(&app, &format!("{}/api/v1/meetings/{id}/ics", app.base), Some(ADMIN_TOKEN)).await;
        assert_eq!(status, 200, "{body}");
        let (head, event) = parse(&body);
        assert!(head.contains(&("METHOD".into(), "REQUEST".into())), "{head:?}");
        let prodid = &head.iter().find(|(k, _)| k == "PRODID").unwrap().1;
        assert!(prodid.starts_with("-//huiwu//huiwu "), "{prodid}");
        assert!(event.iter().all(|(_, value, _)| !value.is_empty()), "no empty property: {event:?}");
        assert!(!event.iter().any(|(k, _, _)| k == "DESCRIPTION"), "an empty goal and agenda leave no DESCRIPTION");

        let organizer: Vec<_> = event.iter().filter(|(k, _, _)| k == "ORGANIZER").collect();
        assert_eq!(organizer.len(), 1);
        assert_eq!(organizer[0].1, "urn:huiwu:employee:E1");
        assert_eq!(param(&organizer[0].2, "CN"), "王主持");

        let attendees: Vec<(&str, &str, &str, &str)> = event
            .iter()
            .filter(|(k, _, _)| k == "ATTENDEE")
            .map(|(_, v, p)| (v.as_str(), param(p, "CN"), param(p, "ROLE"), param(p, "PARTSTAT")))
            .collect();
        let expected = [
            ("urn:huiwu:employee:E1", "王主持", "CHAIR", "NEEDS-ACTION"),
            ("urn:huiwu:employee:E2", "李参会", "REQ-PARTICIPANT", "ACCEPTED"),
            ("urn:huiwu:employee:E3", "赵可选", "OPT-PARTICIPANT", "DECLINED"),
            ("urn:huiwu:employee:E4", "钱抄送", "NON-PARTICIPANT", "NEEDS-ACTION"),
        ];
        for a in expected {
            assert!(attendees.contains(&a), "{a:?} missing from {attendees:?}");
        }
        assert_eq!(attendees.len(), 4);
    }

    async fn a_secret_feed_needs_no_token_hides_confidential_details_and_can_be_revoked(backend: Backend) {
        let app = spawn(TestOptions::new(backend)).await;
        let host = app.person("E1").named("王主持").await;
        let mut ids = Vec::new();
        for (title, confidential, day) in [("周例会", false, 20), ("人事调整会", true, 21)] {
            let (status, created) = app.create_meeting(json!({
                "title": title,
                "goal": "",
                "starts_at": format!("2026-12-{day}T09:30:00+08:00"),
                "ends_at": format!("2026-12-{day}T10:30:00+08:00"),
                "place": "3楼",
                "confidential": confidential,
                "roles": [{"person_id": host, "role": "host"}],
            })).await;
            assert_eq!(status, 201, "{created}");
            let id = created["id"].as_i64().unwrap();
            app.publish(id).await;
            ids.push(id);
        }

        let view = app.admin_read(&format!("/users/{host}/calendar-feed")).await;
        let url = view["url"].as_str().unwrap().to_owned();
        assert!(url.starts_with(&format!("{}/calendar/{host}-", app.settings.server.public_url.as_str().trim_end_matches('/'))), "{url}");
        let (status, feed) = get(&app, &url, None).await;
        assert_eq!(status, 200, "{feed}");
        assert!(feed.contains("METHOD:PUBLISH") && feed.contains("SUMMARY:周例会"), "{feed}");
        assert!(feed.contains(&format!("huiwu-meeting-{}@", ids[1])), "the confidential meeting is there");
        assert!(!feed.contains("人事调整会") && feed.contains("保密会议"), "but shows its time only: {feed}");

        // Chat shows the same URL; the bound person sees it with `日历`.
        app.update_user(host, json!({"openid": "oHostFeed"})).await;
        let reply = reply_content(&app.act(&app.oa(), "oHostFeed", SimAction::Text("日历".into())).await);
        assert!(reply.contains(&url), "{reply}");

        let tampered = format!("{}x.ics", url.trim_end_matches(".ics"));
        assert_eq!(get(&app, &tampered, None).await.0, 404);
        assert_eq!(get(&app, &format!("{}/calendar/{}.ics", app.base, 999), None).await.0, 404);

        let (status, fresh): (u16, Value) = app.admin(Method::POST, &format!("/users/{host}/calendar-feed/revoke"), None).await;
        assert_eq!(status, 200, "{fresh}");
        assert_ne!(fresh["url"], json!(url));
        assert_eq!(get(&app, &url, None).await.0, 404, "the revoked URL stops working");
        assert_eq!(get(&app, fresh["url"].as_str().unwrap(), None).await.0, 200);

        let reply = reply_content(&app.act(&app.oa(), "oHostFeed", SimAction::Text("日历 重置".into())).await);
        assert!(reply.contains("旧地址已失效"), "{reply}");
        assert_eq!(get(&app, fresh["url"].as_str().unwrap(), None).await.0, 404, "chat revokes too");
        assert_eq!(app.admin(Method::GET, "/users/999/calendar-feed", None).await.0, 404);
        // Both revocations are on the record, each with who asked for it.
        let log = app.audit_log(&format!("action=revoke_calendar_feed:{host}")).await;
        let actors: Vec<&str> = log.as_array().unwrap().iter().map(|e| e["actor"].as_str().unwrap()).collect();
        assert_eq!(actors.len(), 2, "{log}");
        assert!(actors.contains(&"admin") && actors.contains(&format!("person:{host}").as_str()), "{log}");
    }
}
