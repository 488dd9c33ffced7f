//! The admin API: people and rooms, its token, and its JSON errors.

use crate::helpers::*;
use reqwest::Method;
use serde_json::json;

on_both_backends! {
    async fn the_admin_api_needs_the_token(backend: Backend) {
        let app = spawn(TestOptions::new(backend)).await;
        for auth in [None, Some("wrong"), Some("test-admin-token-012345678")] {
            let mut request = app.client.get(format!("{}/api/v1/users", app.base));
            if let Some(token) = auth {
                request = request.bearer_auth(token);
            }
            let r = request.send().await.unwrap();
            assert_eq!(r.status().as_u16(), 401);
            let body: serde_json::Value = r.json().await.unwrap();
            assert_eq!(body["error"]["code"], "unauthorized");
        }
        let _ = app.admin_read("/users").await;
    }

    async fn people_are_created_read_updated_and_deactivated(backend: Backend) {
        let app = spawn(TestOptions::new(backend)).await;
        let (status, alice) = app
            .admin(Method::POST, "/users", Some(json!({
                "name": "张三", "employee_no": "E1001", "department": "财务部", "openid": "oAlice"
            })))
            .await;
        assert_eq!(status, 201, "{alice}");
        assert_eq!(alice["name"], "张三");
        assert_eq!(alice["active"], true);
        let id = alice["id"].as_i64().unwrap();

        let (status, got) = app.admin(Method::GET, &format!("/users/{id}"), None).await;
        assert_eq!((status, &got["employee_no"]), (200, &json!("E1001")));

        let (status, updated) = app
            .admin(Method::PATCH, &format!("/users/{id}"), Some(json!({"department": "人事部", "openid": ""})))
            .await;
        assert_eq!(status, 200, "{updated}");
        assert_eq!(updated["department"], "人事部");
        assert_eq!(updated["openid"], serde_json::Value::Null);
        assert_eq!(updated["name"], "张三", "fields not given stay");

        let (status, gone) = app.admin(Method::POST, &format!("/users/{id}/deactivate"), None).await;
        assert_eq!((status, &gone["active"]), (200, &json!(false)));
        let active = app.admin_read("/users?active=true").await;
        assert_eq!(active, json!([]));
        let all = app.admin_read("/users").await;
        assert_eq!(all.as_array().unwrap().len(), 1);
    }

    async fn bad_people_input_is_refused_field_by_field(backend: Backend) {
        let app = spawn(TestOptions::new(backend)).await;
        let (status, body) = app
            .admin(Method::POST, "/users", Some(json!({"employee_no": "has space"})))
            .await;
        assert_eq!(status, 422);
        assert_eq!(body["error"]["code"], "invalid_fields");
        let fields: Vec<&str> = body["error"]["details"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["field"].as_str().unwrap())
            .collect();
        assert_eq!(fields, vec!["name", "employee_no"]);

        let (status, body) = app
            .admin(Method::POST, "/users", Some(json!({"name": "x", "employee_no": "E1", "colour": "red"})))
            .await;
        assert_eq!((status, &body["error"]["code"]), (422, &json!("bad_json")));

        app.admin_does(Method::POST, "/users", Some(json!({"name": "甲", "employee_no": "E7", "openid": "o7"}))).await;
        let (status, body) = app
            .admin(Method::POST, "/users", Some(json!({"name": "乙", "employee_no": "E7"})))
            .await;
        assert_eq!(status, 409, "{body}");
        assert!(body["error"]["message"].as_str().unwrap().contains("employee_no"), "{body}");
        let (status, body) = app
            .admin(Method::POST, "/users", Some(json!({"name": "丙", "employee_no": "E8", "openid": "o7"})))
            .await;
        assert_eq!(status, 409);
        assert!(body["error"]["message"].as_str().unwrap().contains("openid"), "{body}");

        for path in ["/users/999", "/users/abc", "/nothing-here"] {
            let (status, body) = app.admin(Method::GET, path, None).await;
            assert_eq!((status, &body["error"]["code"]), (404, &json!("not_found")), "{path}");
        }
    }

    async fn rooms_are_managed_and_validated(backend: Backend) {
        let app = spawn(TestOptions::new(backend)).await;
        let (status, room) = app
            .create_room(json!({
                "name": "3号会议室", "location": "A座3楼", "capacity": 12, "equipment": ["投影仪", "视频会议"]
            }))
            .await;
        assert_eq!(status, 201, "{room}");
        assert_eq!(room["equipment"], json!(["投影仪", "视频会议"]));
        let id = room["id"].as_i64().unwrap();

        let (status, body) = app.create_room(json!({"name": "3号会议室", "capacity": 4})).await;
        assert_eq!(status, 409, "{body}");
        let (status, body) = app.create_room(json!({"name": "小间", "capacity": 0})).await;
        assert_eq!((status, &body["error"]["details"][0]["field"]), (422, &json!("capacity")));

        let (status, room) = app.admin(Method::PATCH, &format!("/rooms/{id}"), Some(json!({"capacity": 20}))).await;
        assert_eq!((status, &room["capacity"]), (200, &json!(20)));
        let (status, room) = app.admin(Method::POST, &format!("/rooms/{id}/deactivate"), None).await;
        assert_eq!((status, &room["active"]), (200, &json!(false)));
        let active = app.admin_read("/rooms?active=true").await;
        assert_eq!(active, json!([]));
    }

    async fn people_import_from_csv_with_a_report_per_row(backend: Backend) {
        let app = spawn(TestOptions::new(backend)).await;
        app.admin_does(Method::POST, "/users", Some(json!({"name": "旧人", "employee_no": "E1"}))).await;
        let csv = "name,employee_no,department,openid,wecom_userid,is_admin\n\
                   张三,E2,财务部,oZhang,,false\n\
                   李四,E1,人事部,,,\n\
                   ,E3,,,,\n\
                   王五,E4,,,wangwu,是\n\
                   赵六,E5,,,,maybe\n";
        let r = app
            .client
            .post(format!("{}/api/v1/users/import", app.base))
            .bearer_auth(ADMIN_TOKEN)
            .header("content-type", "text/csv")
            .body(csv)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 200);
        let report: serde_json::Value = r.json().await.unwrap();
        assert_eq!(report["created"], 2, "{report}");
        assert_eq!(report["updated"], 1, "{report}");
        assert_eq!(report["failed"], 2, "{report}");
        let statuses: Vec<(i64, &str)> = report["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (r["row"].as_i64().unwrap(), r["status"].as_str().unwrap()))
            .collect();
        assert_eq!(
            statuses,
            vec![(2, "created"), (3, "updated"), (4, "invalid"), (5, "created"), (6, "invalid")]
        );
        assert_eq!(report["rows"][1]["changed"], json!(["name", "department"]), "{report}");
        let all = app.admin_read("/users").await;
        let wangwu = all.as_array().unwrap().iter().find(|p| p["employee_no"] == "E4").unwrap();
        assert_eq!(wangwu["is_admin"], true);
        let e1 = all.as_array().unwrap().iter().find(|p| p["employee_no"] == "E1").unwrap();
        // Searched by employee number, name or department, and paged.
        let found = app.admin_read("/users?q=e4").await;
        assert_eq!(found.as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect::<Vec<_>>(), ["王五"]);
        let page = app.admin_read("/users?q=%E9%83%A8&offset=1&limit=1").await;
        assert_eq!(page.as_array().unwrap().len(), 1, "two people in a 部, the second: {page}");
        let (status, _) = app.admin(Method::GET, "/users?limit=0", None).await;
        assert_eq!(status, 422);
        assert_eq!((&e1["name"], &e1["department"]), (&json!("李四"), &json!("人事部")));

        // GBK with Chinese headers, as Excel saves it; a dry run changes nothing.
        let (gbk, _, _) = encoding_rs::GBK.encode("姓名,工号,部门\r\n李四,E1,行政部\r\n孙七,E7,行政部\r\n");
        let import = |body: Vec<u8>, dry: bool| {
            app.client
                .post(format!("{}/api/v1/users/import{}", app.base, if dry { "?dry_run=true" } else { "" }))
                .bearer_auth(ADMIN_TOKEN)
                .body(body)
                .send()
        };
        let dry: serde_json::Value = import(gbk.to_vec(), true).await.unwrap().json().await.unwrap();
        assert_eq!((dry["dry_run"].clone(), dry["created"].clone(), dry["updated"].clone()), (json!(true), json!(1), json!(1)), "{dry}");
        assert!(dry["rows"][1].get("id").is_none(), "a dry run names no new id: {dry}");
        let all = app.admin_read("/users").await;
        assert!(!all.as_array().unwrap().iter().any(|p| p["employee_no"] == "E7"), "nothing kept");
        let done: serde_json::Value = import(gbk.to_vec(), false).await.unwrap().json().await.unwrap();
        assert_eq!((done["created"].clone(), done["updated"].clone()), (json!(1), json!(1)), "{done}");
        let again: serde_json::Value = import(gbk.to_vec(), false).await.unwrap().json().await.unwrap();
        assert_eq!(again["unchanged"], 2, "{again}");
        let r = import(vec![0xff, 0xfe, 0x00, 0x81], false).await.unwrap();
        assert_eq!(r.status().as_u16(), 422);

        let r = app
            .client
            .post(format!("{}/api/v1/users/import", app.base))
            .bearer_auth(ADMIN_TOKEN)
            .body("name,employee_no\n\"unclosed,E9\n")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 422);
    }
}

on_both_backends! {
    async fn the_openapi_document_describes_every_route(backend: Backend) {
        let app = spawn(TestOptions::new(backend)).await;
        let r = app.get("/api/v1/openapi.json").await;
        assert_eq!(r.status, 200);
        let doc: serde_json::Value = serde_json::from_str(&r.body).unwrap();
        assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
        assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
        for schema in ["MeetingView", "MeetingBody", "ErrorBody", "ParticipantView", "AttendanceReport"] {
            assert!(doc["components"]["schemas"][schema].is_object(), "{schema} missing");
        }
        // The document is built from the served handlers; each handler annotated with an
        // actix method macro in src/web/admin must be served (and so documented).
        let paths = doc["paths"].as_object().unwrap();
        let mut files = vec![std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/src/web/admin"))];
        let mut sources = Vec::new();
        while let Some(path) = files.pop() {
            if path.is_dir() {
                files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            } else {
                sources.push(path);
            }
        }
        let mut annotated = 0;
        for file in sources {
            let text = std::fs::read_to_string(file).unwrap();
            for method in ["get", "post", "put", "patch", "delete"] {
                for piece in text.split(&format!("#[{method}(\"")).skip(1) {
                    let path = piece.split('"').next().unwrap();
                    annotated += 1;
                    let full = format!("/api/v1{path}");
                    assert!(paths[&full][method].is_object(), "{method} {full} is not served");
                }
            }
        }
        assert!(annotated > 25, "{annotated}");
        // The directory routes and the lifecycle steps come from macros (crud::routes!,
        // step!), not literal annotations.
        let mut generated = vec![("/api/v1/users/{id}/deactivate", "post"), ("/api/v1/rooms/{id}/deactivate", "post"),
                                 ("/api/v1/users", "get"), ("/api/v1/rooms/{id}", "patch")];
        let steps = ["/api/v1/meetings/{id}/publish", "/api/v1/meetings/{id}/start", "/api/v1/meetings/{id}/next",
                     "/api/v1/meetings/{id}/end", "/api/v1/meetings/{id}/close", "/api/v1/meetings/{id}/reopen"];
        generated.extend(steps.iter().map(|p| (*p, "post")));
        for (path, method) in generated {
            assert!(paths[path][method].is_object(), "{method} {path}");
        }
        // operationIds name each operation once (OpenAPI requires it; clients use them).
        let mut ids = std::collections::BTreeSet::new();
        let mut operations = 0;
        for item in paths.values() {
            for op in item.as_object().unwrap().values() {
                operations += 1;
                let id = op["operationId"].as_str().unwrap().to_owned();
                assert!(ids.insert(id.clone()), "operationId {id} is used twice");
            }
        }
        assert!(operations >= annotated, "{operations} operations, {annotated} annotated");
        let create = &doc["paths"]["/api/v1/meetings"]["post"];
        assert!(create["responses"]["422"].is_object() && create["requestBody"].is_object(), "{create}");
    }

    async fn the_api_docs_page_is_served_from_the_binary(backend: Backend) {
        let app = spawn(TestOptions::new(backend)).await;
        let no_redirects = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let r = no_redirects.get(format!("{}/api/v1/docs", app.base)).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 308);
        assert_eq!(r.headers()["location"], "/api/v1/docs/");
        let page = app.get("/api/v1/docs/").await;
        assert_eq!(page.status, 200);
        assert!(page.body.contains("swagger-ui-bundle.js"), "{}", page.body);
        assert!(!page.body.contains("http://") && !page.body.contains("https://"), "no CDN: {}", page.body);
        let init = app.get("/api/v1/docs/swagger-initializer.js").await;
        assert!(init.body.contains("/api/v1/openapi.json"), "{}", init.body);
        for file in ["swagger-ui-bundle.js", "swagger-ui.css"] {
            let r = app.get(&format!("/api/v1/docs/{file}")).await;
            assert_eq!(r.status, 200, "{file}");
            assert!(r.body.len() > 10_000, "{file} is the real thing");
        }
    }
}

on_both_backends! {
    async fn a_corrupt_row_is_an_internal_error_not_a_guess(backend: Backend) {
        let app = spawn(TestOptions::new(backend)).await;
        let (_, host) = app
            .admin(Method::POST, "/users", Some(json!({"name": "王", "employee_no": "E1"})))
            .await;
        let body = json!({
            "title": "周会", "place": "A",
            "starts_at": "2027-01-04T09:00:00+08:00", "ends_at": "2027-01-04T10:00:00+08:00",
            "roles": [{"person_id": host["id"], "role": "host"}],
        });
        let (status, m) = app.create_meeting(body).await;
        assert_eq!(status, 201, "{m}");
        let id = m["id"].as_i64().unwrap();
        let sql = |q: String| {
            let db = app.db.clone();
            async move {
                db.run(move |c| {
                    use diesel::connection::SimpleConnection;
                    c.batch_execute(&q)?;
                    Ok(())
                }).await.unwrap()
            }
        };
        // A stored name huiwu does not know is a bug or damage: 500 with an error id, never
        // 503 (an outage) and never a silent default.
        let refused = |(status, body): (u16, serde_json::Value)| {
            assert_eq!(status, 500, "{body}");
            assert_eq!(body["error"]["code"], "internal_error");
        };
        sql(format!("UPDATE meetings SET status = 'postponed' WHERE id = {id}")).await;
        refused(app.read_meeting(id).await);
        sql(format!("UPDATE meetings SET status = 'draft' WHERE id = {id}")).await;
        let (status, _) = app.read_meeting(id).await;
        assert_eq!(status, 200);
        // A planned time no date can carry: once shown as an empty string, and reminders
        // planned as if the meeting started now.
        sql(format!("UPDATE meetings SET starts_at = {} WHERE id = {id}", i64::MAX)).await;
        refused(app.read_meeting(id).await);
        refused(app.admin(Method::GET, "/meetings", None).await);
        sql(format!("UPDATE meetings SET starts_at = 1798419600000 WHERE id = {id}")).await;
        let (status, _) = app.read_meeting(id).await;
        assert_eq!(status, 200);
        // A booking whose time cannot be read is damage, not a free room: the room is not
        // booked twice over it.
        let (_, room) = app.create_room(json!({"name": "3号会议室", "capacity": 10})).await;
        let in_room = |title: &str, host: i64| json!({
            "title": title, "place": "A", "room_id": room["id"],
            "starts_at": "2027-01-05T09:00:00+08:00", "ends_at": "2027-01-05T10:00:00+08:00",
            "roles": [{"person_id": host, "role": "host"}],
        });
        // Hosted by someone else, so that only the room's bookings read it.
        let other_host = app.person("E2").named("李").await;
        let (_, booked) = app.create_meeting(in_room("早会", other_host)).await;
        let booked = booked["id"].as_i64().unwrap();
        assert_eq!(app.publish(booked).await.0, 200);
        let (_, other) = app.create_meeting(in_room("晚到的会", host["id"].as_i64().unwrap())).await;
        sql(format!("UPDATE meetings SET ends_at = {} WHERE id = {booked}", i64::MAX)).await;
        refused(app.publish(other["id"].as_i64().unwrap()).await);
        sql(format!("UPDATE participants SET rsvp = 'maybe' WHERE meeting_id = {id}")).await;
        refused(app.admin(Method::GET, &format!("/meetings/{id}/participants"), None).await);
        // An action item's status likewise: once it read as "open".
        let owner = host["id"].as_i64().unwrap();
        sql(format!("INSERT INTO action_items (meeting_id, title, owner_id, due_on, status, created_by, created_at, updated_at) \
                     VALUES ({id}, 'x', {owner}, '2027-01-05', 'someday', {owner}, 0, 0)")).await;
        refused(app.admin(Method::GET, "/action-items", None).await);
        // Every stored instant is read as one: a person's creation time no date can carry was
        // an empty string in the directory.
        let _ = app.admin_read("/users").await;
        sql(format!("UPDATE people SET created_at = {} WHERE id = {other_host}", i64::MIN)).await;
        refused(app.admin(Method::GET, "/users", None).await);
    }
}

on_both_backends! {
    async fn text_no_database_can_store_is_refused_at_the_edge(backend: Backend) {
        let app = spawn(TestOptions::new(backend)).await;
        let (status, body) = app
            .admin(Method::POST, "/users", Some(json!({"name": "a\u{0}b", "employee_no": "E9"})))
            .await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(body["error"]["code"], "invalid_fields");
        assert_eq!(body["error"]["details"][0]["field"], "name");
        let host = app.admin_does(Method::POST, "/users", Some(json!({"name": "王", "employee_no": "E1"}))).await;
        let (status, body) = app.create_meeting(json!({
            "title": "周会", "place": "A",
            "starts_at": "2027-01-04T09:00:00+08:00", "ends_at": "2027-01-04T10:00:00+08:00",
            "agenda": [{"title": "ok", "minutes": 10}, {"title": "b\u{0}", "minutes": 10}],
            "roles": [{"person_id": host["id"], "role": "host"}],
        })).await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(body["error"]["details"][0]["field"], "agenda[1].title");
        let r = app.client.post(format!("{}/api/v1/users/import", app.base))
            .bearer_auth(crate::helpers::ADMIN_TOKEN)
            .body("name,employee_no\n张\u{0}三,E5\n")
            .send().await.unwrap();
        assert_eq!(r.status().as_u16(), 422);
        assert!(r.text().await.unwrap().contains("row 2 contains a NUL character"));
        let people = app.admin_read("/users").await;
        assert_eq!(people.as_array().unwrap().len(), 1, "nothing half stored");
    }
}

on_both_backends! {
    async fn the_admin_api_answers_as_its_document_says(backend: Backend) {
        let app = spawn(TestOptions::new(backend)).await;
        // A documented path asked with a method it lacks: 405 naming the methods it has.
        let r = app.client.request(Method::PUT, format!("{}/api/v1/users/import", app.base))
            .bearer_auth(ADMIN_TOKEN).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 405);
        assert_eq!(r.headers()["allow"], "POST");
        let (status, body) = app.admin(Method::PATCH, "/users/import", Some(json!({}))).await;
        assert_eq!((status, &body["error"]["code"]), (405, &json!("method_not_allowed")), "{body}");
        assert_eq!(app.admin(Method::GET, "/nothing/here", None).await.0, 404);

        // Query strings are not bodies; errors that are not about fields carry no details.
        let (status, body) = app.admin(Method::GET, "/users?active=maybe", None).await;
        assert_eq!((status, &body["error"]["code"]), (422, &json!("bad_query")), "{body}");
        assert!(body["error"].get("details").is_none(), "{body}");
        let (status, body) = app.admin(Method::GET, "/meetings?status=someday", None).await;
        assert_eq!((status, &body["error"]["details"][0]["field"]), (422, &json!("status")), "{body}");

        // JSON has one kind of number: 12.0 is the integer 12.
        let (status, room) = app.create_room(json!({"name": "大间", "capacity": 12.0})).await;
        assert_eq!((status, &room["capacity"]), (201, &json!(12)), "{room}");
        let (status, _) = app.create_room(json!({"name": "半间", "capacity": 12.5})).await;
        assert_eq!(status, 422);

        // Lengths count what was sent; blank is blank whatever the space.
        let long = format!(" {} ", "名".repeat(64));
        let (status, body) = app.admin(Method::POST, "/users", Some(json!({"name": long, "employee_no": "E9"}))).await;
        assert_eq!((status, &body["error"]["details"][0]["field"]), (422, &json!("name")), "{body}");
        let (status, _) = app.admin(Method::POST, "/users", Some(json!({"name": "\u{3000}", "employee_no": "E9"}))).await;
        assert_eq!(status, 422);
        let (status, body) = app.admin(Method::POST, "/users", Some(json!({"name": "王", "employee_no": " E9"}))).await;
        assert_eq!((status, &body["error"]["details"][0]["field"]), (422, &json!("employee_no")), "{body}");

        // A CSV without the columns it needs is refused as a whole, not imported as nothing.
        let r = app.client.post(format!("{}/api/v1/users/import", app.base)).bearer_auth(ADMIN_TOKEN)
            .header("content-type", "text/csv").body("0").send().await.unwrap();
        assert_eq!(r.status().as_u16(), 422);
        assert!(r.text().await.unwrap().contains("no name column"));
    }
}

on_both_backends! {
    async fn organizers_are_flagged_by_the_api_and_the_import(backend: Backend) {
        let app = spawn(TestOptions::new(backend)).await;
        let (status, p) = app.admin(Method::POST, "/users", Some(json!({"name": "会务", "employee_no": "E7", "is_organizer": true}))).await;
        assert_eq!((status, &p["is_organizer"], &p["is_admin"]), (201, &json!(true), &json!(false)), "{p}");
        let id = p["id"].as_i64().unwrap();
        let p = app.admin_does(Method::PATCH, &format!("/users/{id}"), Some(json!({"is_organizer": false}))).await;
        assert_eq!(p["is_organizer"], false);
        let r = app.client.post(format!("{}/api/v1/users/import", app.base)).bearer_auth(ADMIN_TOKEN)
            .header("content-type", "text/csv").body("name,employee_no,is_organizer\n小会,E8,是\n").send().await.unwrap();
        assert_eq!(r.status().as_u16(), 200);
        let all = app.admin_read("/users").await;
        let e8 = all.as_array().unwrap().iter().find(|p| p["employee_no"] == "E8").cloned().unwrap();
        assert_eq!(e8["is_organizer"], true, "{e8}");
    }
}
