//! `PATCH /meetings/{id}`: a meeting's details.

use super::super::auth::Admin;
use super::super::body::Body;
use super::super::env::OpsEnv;
use super::super::error::{ApiError, ErrorBody};
use super::super::meeting_id;
use super::{apply, MeetingView};
use crate::db::Db;
use crate::meetings::RoomId;
use crate::notify::Notifier;
use crate::ops::preparation::{self, MeetingPatch};
use crate::ops::Actor;
use crate::web::admin::field_rules::FieldRules;
use actix_web::patch;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = MeetingUpdate)]
pub struct UpdateBody {
    title: Option<String>,
    goal: Option<String>,
    starts_at: Option<String>,
    ends_at: Option<String>,
    #[serde(default, deserialize_with = "crate::web::admin::body::nullable")]
    #[schema(value_type = Option<i64>, minimum = 1)]
    room_id: Option<Option<RoomId>>,
    place: Option<String>,
    #[serde(default, deserialize_with = "crate::web::admin::body::nullable")]
    #[schema(value_type = Option<String>)]
    online_link: Option<Option<String>>,
    confidential: Option<bool>,
    text_checkin: Option<bool>,
    prep_meeting: Option<bool>,
    briefing: Option<String>,
    equipment_needs: Option<Vec<String>>,
}

impl FieldRules for UpdateBody {
    fn field_rules() -> Vec<(&'static str, serde_json::Value)> {
        // The same fields as a new meeting, each optional.
        super::MeetingBody::field_rules()
    }
}

impl From<UpdateBody> for MeetingPatch {
    fn from(b: UpdateBody) -> Self {
        MeetingPatch {
            title: b.title,
            goal: b.goal,
            starts_at: b.starts_at,
            ends_at: b.ends_at,
            room_id: b.room_id,
            place: b.place,
            online_link: b.online_link,
            confidential: b.confidential,
            text_checkin: b.text_checkin,
            prep_meeting: b.prep_meeting,
            briefing: b.briefing,
            equipment_needs: b.equipment_needs,
        }
    }
}

/// Changes a draft or scheduled meeting's details. Every rule of creation applies again (the
/// agenda must still fit, the room must be free); after publishing, `sequence` goes up and
/// the invited are told what changed.
#[utoipa::path(operation_id = "meetings_update", tag = "meetings", params(("id" = i64, Path, description = "meeting id"), ("If-Match" = Option<String>, Header, description = "the meeting's `version` as last read, quoted (or several, comma-separated; `*` for any): the change is refused with 412 if the meeting changed since; a weak tag (`W/…`) never matches")), request_body = UpdateBody, responses((status = 200, body = MeetingView), (status = 401, description = "no valid admin token", body = ErrorBody), (status = 404, description = "not found", body = ErrorBody), (status = 409, description = "conflict with the current state", body = ErrorBody), (status = 412, description = "If-Match names another version: the meeting changed since it was read", body = ErrorBody), (status = 422, description = "invalid input, field by field; beyond each field's schema, the meeting as changed must keep: ends_at after starts_at, a room, a place or an online link, the agenda within the meeting, an existing room", body = ErrorBody)), security(("bearer" = [])))]
#[patch("/meetings/{id}")]
pub async fn update(
    _: Admin,
    req: actix_web::HttpRequest,
    OpsEnv(env): OpsEnv,
    db: web::Data<Db>,
    notifier: web::Data<Notifier>,
    id: web::Path<i64>,
    body: Body<UpdateBody>,
) -> Result<HttpResponse, ApiError> {
    let id = meeting_id(id.into_inner())?;
    let patch = MeetingPatch::from(body.into_inner());
    let accepted = accepted_versions(&req);
    apply(&db, &notifier, move |c| {
        preparation::update(c, &env, Actor::Admin, id, patch, accepted.as_deref())
    })
    .await
}

/// The versions an `If-Match` accepts (RFC 9110 §13.1.1): `None` without one, or for `*` (any
/// version: the meeting only has to exist); otherwise the entity tags it lists, over every
/// `If-Match` line. A weak tag (`W/"…"`) never passes the strong comparison If-Match asks for,
/// and a value that is not text names no version, so both leave nothing to match.
fn accepted_versions(req: &actix_web::HttpRequest) -> Option<Vec<String>> {
    let lines: Vec<_> = req
        .headers()
        .get_all(actix_web::http::header::IF_MATCH)
        .collect();
    if lines.is_empty() {
        return None;
    }
    let mut tags = Vec::new();
    for line in lines {
        let Ok(text) = line.to_str() else { continue };
        for tag in text.split(',').map(str::trim) {
            if tag == "*" {
                return None;
            }
            if !tag.starts_with("W/") {
                tags.push(tag.trim_matches('"').to_owned());
            }
        }
    }
    Some(tags)
}
