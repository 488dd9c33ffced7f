//! The OpenAPI document of the admin API: the paths and schemas collected from the handlers
//! the admin scope serves (their annotations), with the title and the bearer scheme added
//! here. Built once at startup; it cannot drift from the routes.

use actix_web::{web, App, HttpResponse};
use utoipa::openapi::path::ParameterIn;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::openapi::OpenApi as Document;
use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut Document) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
    }
}

/// The answers every operation can give, documented once here instead of on each handler:
/// 401 (every route wants the token), 422 where there is a body or a query string to refuse,
/// 500 (a bug, with an error id) and 503 (storage unavailable).
struct StandardResponses;

impl Modify for StandardResponses {
    fn modify(&self, openapi: &mut Document) {
        let error = |description: &str| {
            ResponseBuilder::new()
                .description(description)
                .content(
                    "application/json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("ErrorBody")))
                        .build(),
                )
                .build()
        };
        for item in openapi.paths.paths.values_mut() {
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ];
            for op in operations.into_iter().flatten() {
                let has_query = op
                    .parameters
                    .iter()
                    .flatten()
                    .any(|p| p.parameter_in == ParameterIn::Query);
                let mut standard = vec![
                    ("401", "no valid admin token"),
                    (
                        "500",
                        "a bug: the message names the error id the log repeats",
                    ),
                    ("503", "storage unavailable: retry"),
                ];
                if has_query || op.request_body.is_some() {
                    standard.push(("422", "invalid input, field by field"));
                }
                for (status, description) in standard {
                    if !op.responses.responses.contains_key(status) {
                        op.responses
                            .responses
                            .insert(status.to_owned(), error(description).into());
                    }
                }
            }
        }
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "huiwu admin API",
        description = "People, rooms and meetings: their whole life, reports and audit. \
                       Every request needs `Authorization: Bearer <admin.token>`."
    ),
    modifiers(&BearerAuth)
)]
struct ApiDoc;

/// The OpenAPI document as served.
pub struct OpenApiJson(pub serde_json::Value);

impl OpenApiJson {
    /// The methods the document gives the path (`/api/v1/users/7` matches `/users/{id}`),
    /// `None` when no documented path matches.
    pub fn methods_of(&self, path: &str) -> Option<Vec<String>> {
        let wanted: Vec<&str> = path.trim_end_matches('/').split('/').collect();
        // `/users/import` is its own path, not `/users/{id}`: the match with the fewest
        // placeholders wins, as it does in the router.
        let (_, item) = self.0["paths"]
            .as_object()?
            .iter()
            .filter_map(|(template, item)| {
                let parts: Vec<&str> = template.split('/').collect();
                let placeholder = |t: &str| t.starts_with('{') && t.ends_with('}');
                let matches = parts.len() == wanted.len()
                    && parts
                        .iter()
                        .zip(&wanted)
                        .all(|(t, w)| (placeholder(t) && !w.is_empty()) || t == w);
                matches.then(|| (parts.iter().filter(|t| placeholder(t)).count(), item))
            })
            .min_by_key(|(placeholders, _)| *placeholders)?;
        Some(
            item.as_object()
                .into_iter()
                .flat_map(|ops| ops.keys())
                .map(|m| m.to_ascii_uppercase())
                .collect(),
        )
    }
}

/// The document for the routes `super::configure` serves, as JSON with the field rules added.
pub fn build() -> OpenApiJson {
    let (_, mut document) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(super::configure)
        .split_for_parts();
    // After the paths are collected: the derive's modifiers run before there are any.
    StandardResponses.modify(&mut document);
    let mut json = serde_json::to_value(&document)
        .unwrap_or_else(|e| unreachable!("an OpenAPI document is always JSON: {e}"));
    let missing = rules::apply(&mut json);
    if !missing.is_empty() {
        tracing::error!(?missing, "OpenAPI field rules name parts of no document");
    }
    OpenApiJson(json)
}

/// `GET /api/v1/docs/`: Swagger UI over the document, served from files inside the binary.
pub fn docs_page() -> utoipa_swagger_ui::SwaggerUi {
    utoipa_swagger_ui::SwaggerUi::new("/api/v1/docs/{_:.*}")
        .config(utoipa_swagger_ui::Config::new(["/api/v1/openapi.json"]))
}

/// `GET /api/v1/docs` → `/api/v1/docs/`, where the page's relative links resolve.
pub async fn docs_redirect() -> HttpResponse {
    HttpResponse::PermanentRedirect()
        .insert_header(("Location", "/api/v1/docs/"))
        .finish()
}

/// `GET /api/v1/openapi.json`: public, it holds no data.
pub async fn document(doc: web::Data<OpenApiJson>) -> HttpResponse {
    HttpResponse::Ok().json(&doc.0)
}

/// The request bodies' field rules (each stated beside its body, `field_rules`) and the query
/// parameters' rules, merged into the document.
mod rules {
    use super::super::field_rules::{names, no_nul, time_of_day, FieldRules, Role, TaskStatus};
    use crate::meetings::lifecycle::MeetingStatus;
    use crate::meetings::series::Scope;
    use serde_json::{json, Map, Value};

    /// One body's own rules, by its schema name.
    fn add<T: FieldRules>(all: &mut Vec<(String, &'static str, Value)>) {
        let schema = T::name().into_owned();
        all.extend(
            T::field_rules()
                .into_iter()
                .map(|(field, rule)| (schema.clone(), field, rule)),
        );
    }

    /// The bodies that state their own rules (`field_rules::FieldRules`): every body's rules
    /// by schema name, and (for the test that finds each `impl FieldRules` in the source) the
    /// types listed.
    macro_rules! bodies_with_rules {
        ($($body:ty),* $(,)?) => {
            fn properties() -> Vec<(String, &'static str, Value)> {
                let mut all = Vec::new();
                $(add::<$body>(&mut all);)*
                all
            }

            #[cfg(test)]
            pub(super) fn listed() -> Vec<&'static str> {
                vec![$(std::any::type_name::<$body>()),*]
            }
        };
    }

    use super::super::{
        action_items, agenda, checklist, decisions, meetings, menu, minutes, participants, rooms,
        series, topics, users,
    };
    bodies_with_rules![
        checklist::NewItemBody,
        checklist::ItemChangeBody,
        users::PersonBody,
        rooms::RoomBody,
        agenda::ItemBody,
        meetings::AgendaBody,
        meetings::RoleBody,
        participants::AddBody,
        meetings::steps::CancelBody,
        agenda::MaterialBody,
        minutes::EditBody,
        participants::RsvpBody,
        action_items::UpdateBody,
        series::SeriesAgendaItem,
        series::SeriesRole,
        series::ReasonBody,
        topics::ProposeBody,
        topics::AcceptBody,
        topics::DeclineBody,
        decisions::CloseBody,
        decisions::MilestoneBody,
        series::RecurrenceBody,
        series::SeriesBody,
        series::SeriesUpdate,
        meetings::MeetingBody,
        meetings::update::UpdateBody,
        menu::MenuBody,
        menu::ButtonBody,
        menu::SubButtonBody,
    ];

    /// (path, method, parameter, what to add) for query parameters.
    fn parameters() -> Vec<(&'static str, &'static str, &'static str, Value)> {
        let time = || json!({"format": "date-time"});
        let date = || json!({"format": "date"});
        vec![
            (
                "/api/v1/audit",
                "get",
                "actor",
                json!({"pattern": "^(admin|person:[1-9][0-9]{0,17})$"}),
            ),
            (
                "/api/v1/audit",
                "get",
                "action",
                json!({"minLength": 1, "maxLength": 64, "pattern": "^[^\\x00]+$"}),
            ),
            (
                "/api/v1/menu",
                "put",
                "target",
                names(["official_account", "wecom"]),
            ),
            ("/api/v1/reports/improvement", "get", "from", date()),
            ("/api/v1/reports/improvement", "get", "until", date()),
            (
                "/api/v1/reports/improvement",
                "get",
                "group_by",
                names(["host", "department", "series"]),
            ),
            ("/api/v1/meetings", "get", "from", time()),
            ("/api/v1/meetings", "get", "until", time()),
            (
                "/api/v1/meetings",
                "get",
                "status",
                names(MeetingStatus::ALL.map(MeetingStatus::as_str)),
            ),
            (
                "/api/v1/action-items",
                "get",
                "status",
                names(TaskStatus::ALL.map(TaskStatus::as_str)),
            ),
            ("/api/v1/rooms/{id}/free", "get", "date", date()),
            ("/api/v1/rooms/{id}/free", "get", "from", time_of_day()),
            ("/api/v1/rooms/{id}/free", "get", "until", time_of_day()),
            (
                "/api/v1/meetings/{id}/participants/{person_id}",
                "delete",
                "role",
                names(Role::ALL.map(Role::as_str)),
            ),
            (
                "/api/v1/series/{id}",
                "patch",
                "scope",
                names(Scope::ALL.map(Scope::as_str)),
            ),
            ("/api/v1/series/{id}", "patch", "date", date()),
            (
                "/api/v1/series/{id}/occurrences/{date}/cancel",
                "post",
                "date",
                date(),
            ),
        ]
    }

    /// Create bodies share their schema with updates, where nothing is required; creating
    /// needs these (`directory::NewPerson::parse`, `NewRoom::parse`,
    /// `draft::MeetingDraft::parse`). Each gets a schema of its own, `New<Name>`.
    const CREATE: [(&str, &str, &str, &[&str]); 3] = [
        (
            "/api/v1/users",
            "PersonBody",
            "NewPerson",
            &["name", "employee_no"],
        ),
        (
            "/api/v1/rooms",
            "RoomBody",
            "NewRoom",
            &["name", "capacity"],
        ),
        (
            "/api/v1/meetings",
            "MeetingBody",
            "NewMeeting",
            &["title", "starts_at", "ends_at"],
        ),
    ];

    fn merge(target: &mut Value, add: &Value) {
        if let (Some(target), Some(add)) = (target.as_object_mut(), add.as_object()) {
            for (k, v) in add {
                target.insert(k.clone(), v.clone());
            }
        }
    }

    /// Every string gets `no_nul` unless a rule gave it a pattern or an enum; every integer
    /// gets the bounds of its format, which the handlers' types enforce.
    fn defaults(schema: &mut Value) {
        let Some(object) = schema.as_object_mut() else {
            return;
        };
        let types: Vec<String> = match object.get("type") {
            Some(Value::String(t)) => vec![t.clone()],
            Some(Value::Array(ts)) => ts
                .iter()
                .filter_map(|t| t.as_str().map(str::to_owned))
                .collect(),
            _ => Vec::new(),
        };
        if types.iter().any(|t| t == "string")
            && !object.contains_key("pattern")
            && !object.contains_key("enum")
            && !object.contains_key("format")
        {
            object.insert("pattern".into(), Value::String(no_nul()));
        }
        if types.iter().any(|t| t == "integer") {
            let (min, max) = match object.get("format").and_then(Value::as_str) {
                Some("int32") => (i64::from(i32::MIN), i64::from(i32::MAX)),
                _ => (i64::MIN, i64::MAX),
            };
            object.entry("minimum").or_insert(json!(min));
            object.entry("maximum").or_insert(json!(max));
        }
        if let Some(items) = object.get_mut("items") {
            defaults(items);
        }
        if let Some(Value::Object(props)) = object.get_mut("properties") {
            props.values_mut().for_each(defaults);
        }
    }

    /// Enums also list `null` when the field may be null.
    fn nullable_enum(schema: &mut Value) {
        let nullable = schema["type"]
            .as_array()
            .is_some_and(|ts| ts.iter().any(|t| t == "null"));
        let values = schema.get_mut("enum").and_then(Value::as_array_mut);
        if let (true, Some(values)) = (nullable, values) {
            if !values.contains(&Value::Null) {
                values.push(Value::Null);
            }
        }
    }

    /// The names of the schemas request bodies use, and the schemas those use in turn.
    fn requested(doc: &Value) -> std::collections::BTreeSet<String> {
        fn refs(value: &Value, out: &mut Vec<String>) {
            match value {
                Value::Object(map) => {
                    if let Some(name) = map
                        .get("$ref")
                        .and_then(Value::as_str)
                        .and_then(|r| r.strip_prefix("#/components/schemas/"))
                    {
                        out.push(name.to_owned());
                    }
                    map.values().for_each(|v| refs(v, out));
                }
                Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
                _ => {}
            }
        }
        let mut pending = Vec::new();
        for op in doc["paths"]
            .as_object()
            .into_iter()
            .flat_map(Map::values)
            .filter_map(Value::as_object)
            .flat_map(Map::values)
        {
            refs(&op["requestBody"], &mut pending);
        }
        let mut found = std::collections::BTreeSet::new();
        while let Some(name) = pending.pop() {
            if found.insert(name.clone()) {
                refs(&doc["components"]["schemas"][&name], &mut pending);
            }
        }
        found
    }

    /// A JSON pointer to `parts` (escaping `/` in path names).
    fn pointer(parts: &[&str]) -> String {
        parts
            .iter()
            .map(|p| format!("/{}", p.replace('~', "~0").replace('/', "~1")))
            .collect()
    }

    /// Applies every rule; returns the rules whose target the document does not have (a
    /// renamed schema or field), which the test below refuses.
    pub fn apply(doc: &mut Value) -> Vec<String> {
        let mut missing = Vec::new();
        let mut at = |doc: &mut Value, parts: &[&str], change: &dyn Fn(&mut Value)| match doc
            .pointer_mut(&pointer(parts))
        {
            Some(target) => change(target),
            None => missing.push(parts.join(" ")),
        };
        for (schema, property, add) in properties() {
            at(
                doc,
                &["components", "schemas", &schema, "properties", property],
                &|t| {
                    merge(t, &add);
                    nullable_enum(t);
                },
            );
        }
        // Every schema a request sends, not only the bodies with rules of their own: a body
        // without them still holds integers of a format (`ReorderBody`'s int32 positions).
        // Answers are left alone: an error may quote what was sent, NUL and all.
        let sent = requested(doc);
        at(doc, &["components", "schemas"], &|schemas| {
            for (name, schema) in schemas.as_object_mut().into_iter().flatten() {
                if sent.contains(name) {
                    defaults(schema);
                }
            }
        });
        for (path, method, name, add) in parameters() {
            at(doc, &["paths", path, method, "parameters"], &|params| {
                for p in params.as_array_mut().into_iter().flatten() {
                    if p.get("name").and_then(Value::as_str) == Some(name) {
                        if let Some(schema) = p.get_mut("schema") {
                            merge(schema, &add);
                            nullable_enum(schema);
                        }
                    }
                }
            });
        }
        for item in doc
            .get_mut("paths")
            .and_then(Value::as_object_mut)
            .into_iter()
            .flat_map(Map::values_mut)
        {
            for op in item.as_object_mut().into_iter().flat_map(Map::values_mut) {
                let params = op.get_mut("parameters").and_then(Value::as_array_mut);
                for p in params.into_iter().flatten() {
                    if let Some(schema) = p.get_mut("schema") {
                        defaults(schema);
                    }
                }
            }
        }
        for (path, shared, own, required) in CREATE {
            let Some(mut schema) = doc
                .pointer(&pointer(&["components", "schemas", shared]))
                .cloned()
            else {
                at(doc, &["components", "schemas", shared], &|_| {});
                continue;
            };
            schema["required"] = json!(required);
            for field in required {
                if let Some(p) = schema.pointer_mut(&pointer(&["properties", field])) {
                    if let Some(types) = p.get_mut("type").and_then(Value::as_array_mut) {
                        types.retain(|t| t != "null");
                    }
                    if let Some(values) = p.get_mut("enum").and_then(Value::as_array_mut) {
                        values.retain(|v| !v.is_null());
                    }
                }
            }
            at(doc, &["components", "schemas"], &|schemas| {
                if let Some(schemas) = schemas.as_object_mut() {
                    schemas.insert(own.to_owned(), schema.clone());
                }
            });
            let body = [
                "paths",
                path,
                "post",
                "requestBody",
                "content",
                "application/json",
            ];
            at(doc, &body, &|content| {
                content["schema"] = json!({"$ref": format!("#/components/schemas/{own}")});
            });
        }
        let csv = [
            "paths",
            "/api/v1/users/import",
            "post",
            "requestBody",
            "content",
            "text/csv",
            "schema",
        ];
        at(doc, &csv, &|schema| merge(schema, &json!({"minLength": 1})));
        missing
    }
}

#[cfg(test)]
mod tests {
    use super::super::field_rules::no_nul;
    use super::*;

    #[test]
    fn every_field_rule_finds_its_target() {
        let (_, document) = App::new()
            .into_utoipa_app()
            .openapi(ApiDoc::openapi())
            .configure(super::super::configure)
            .split_for_parts();
        let mut json = serde_json::to_value(&document).unwrap_or_default();
        assert_eq!(rules::apply(&mut json), Vec::<String>::new());
    }

    /// A body whose rules are not listed would get none in the document, silently.
    #[test]
    fn every_body_with_field_rules_is_listed() {
        fn find(dir: &std::path::Path, module: &str, out: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
                if path.is_dir() {
                    find(&path, &format!("{module}::{stem}"), out);
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                let here = if stem == "mod" {
                    module.to_owned()
                } else {
                    format!("{module}::{stem}")
                };
                for (at, _) in text.match_indices("impl FieldRules for ") {
                    let name: String = text[at + "impl FieldRules for ".len()..]
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    // This test's own text names the phrase without a type.
                    if !name.is_empty() {
                        out.push(format!("{here}::{name}"));
                    }
                }
            }
        }
        let admin = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/web/admin");
        let mut implemented = Vec::new();
        find(&admin, "huiwu::web::admin", &mut implemented);
        let mut listed: Vec<String> = rules::listed().into_iter().map(str::to_owned).collect();
        implemented.sort();
        listed.sort();
        assert!(implemented.len() > 20, "{implemented:?}");
        assert_eq!(implemented, listed);
    }

    /// A query or path parameter the handler parses (a scope, a date) but the document calls
    /// any string sends generated requests to a refusal instead of the rules behind it: every
    /// string parameter has an enum, a format or a pattern of its own, but the free-text ones.
    #[test]
    fn every_parsed_parameter_says_what_it_accepts() {
        let doc = build();
        let free_text = [
            ("/api/v1/rooms", "q"),
            ("/api/v1/users", "q"),
            ("/api/v1/audit", "action"),
        ];
        let mut unruled = Vec::new();
        for (path, item) in doc.0["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                for p in op["parameters"].as_array().into_iter().flatten() {
                    let name = p["name"].as_str().unwrap();
                    let schema = &p["schema"];
                    let string = schema["type"] == "string"
                        || schema["type"]
                            .as_array()
                            .is_some_and(|ts| ts.iter().any(|t| t == "string"));
                    let ruled = schema.get("enum").is_some()
                        || schema.get("format").is_some()
                        || schema["pattern"].as_str().is_some_and(|p| p != no_nul());
                    if p["in"] != "header"
                        && string
                        && !ruled
                        && !free_text.contains(&(path.as_str(), name))
                    {
                        unruled.push(format!("{method} {path} {name}"));
                    }
                }
            }
        }
        assert_eq!(unruled, Vec::<String>::new());
    }

    /// What a request may send is bounded in every body, rules of its own or not; what an
    /// answer says is not (an error quotes the field name it could not read, NUL and all).
    #[test]
    fn request_bodies_get_the_bounds_of_their_types_and_answers_are_left_alone() {
        let doc = build();
        let schemas = &doc.0["components"]["schemas"];
        assert_eq!(
            schemas["ReorderBody"]["properties"]["order"]["items"]["maximum"],
            i32::MAX
        );
        assert_eq!(
            schemas["SubButtonBody"]["properties"]["url"]["pattern"],
            no_nul()
        );
        assert!(schemas["ErrorDetail"]["properties"]["field"]
            .get("pattern")
            .is_none());
    }

    #[test]
    fn paths_are_matched_to_their_methods() {
        let doc = build();
        assert_eq!(
            doc.methods_of("/api/v1/users/7"),
            Some(vec!["GET".into(), "PATCH".into()])
        );
        assert_eq!(
            doc.methods_of("/api/v1/users/import"),
            Some(vec!["POST".into()])
        );
        assert_eq!(doc.methods_of("/api/v1/nothing"), None);
    }
}
