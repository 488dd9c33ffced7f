//! Topics (议题) through the admin API: a meeting's topics, proposing one for a participant,
//! accepting one into the agenda with a time box, declining one with a reason.

use super::auth::Admin;
use super::body::Body;
use super::env::OpsEnv;
use super::error::{ApiError, ErrorBody};
use super::{meeting_id, rfc3339};
use crate::db::topics::TopicRow;
use crate::db::Db;
use crate::meetings::audit_action::Audit;
use crate::meetings::PersonId;
use crate::meetings::TopicId;
use crate::notify::Notifier;
use crate::ops::{self, topics, Actor};
use crate::web::admin::field_rules::{self as field, FieldRules};
use actix_web::{get, post, web, HttpResponse};
use serde::{Deserialize, Serialize};

#[derive(Serialize, utoipa::ToSchema)]
pub struct TopicView {
    id: i64,
    meeting_id: i64,
    proposer_id: i64,
    text: String,
    /// `proposed`, `accepted` or `declined`.
    status: String,
    /// The time box it was accepted with.
    minutes: Option<i32>,
    /// Why it was declined.
    reason: Option<String>,
    proposed_at: String,
    decided_at: Option<String>,
}

impl From<TopicRow> for TopicView {
    fn from(t: TopicRow) -> Self {
        TopicView {
            id: t.id.get(),
            meeting_id: t.meeting_id.get(),
            proposer_id: t.proposer_id.get(),
            text: t.body,
            status: t.status.as_str().to_owned(),
            minutes: t.minutes,
            reason: t.reason,
            proposed_at: rfc3339(t.proposed_at),
            decided_at: t.decided_at.map(rfc3339),
        }
    }
}

#[utoipa::path(operation_id = "topics_list", tag = "meetings", params(("id" = i64, Path, description = "meeting id")), responses((status = 200, body = Vec<TopicView>), (status = 404, description = "not found", body = ErrorBody)), security(("bearer" = [])))]
#[get("/meetings/{id}/topics")]
pub async fn list(
    _: Admin,
    OpsEnv(env): OpsEnv,
    db: web::Data<Db>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = meeting_id(id.into_inner())?;
    let rows = ops::run(&db, move |c| {
        ops::reading::managed(c, &env, Actor::Admin, id, Audit::ReadTopics)?;
        topics::list(c, Actor::Admin, id)
    })
    .await?;
    let shown: Vec<TopicView> = rows.into_iter().map(|(t, _)| t.into()).collect();
    Ok(HttpResponse::Ok().json(shown))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProposeBody {
    /// The participant proposing it.
    #[schema(value_type = i64, minimum = 1)]
    person_id: PersonId,
    text: String,
}

impl FieldRules for ProposeBody {
    fn field_rules() -> Vec<(&'static str, serde_json::Value)> {
        vec![
            ("person_id", field::id()),
            ("text", field::line(1, Some(100))),
        ]
    }
}

/// Proposes a topic for a participant; the agenda owners (or the hosts) are told.
#[utoipa::path(operation_id = "topics_propose", tag = "meetings", params(("id" = i64, Path, description = "meeting id")), request_body = ProposeBody, responses((status = 201, body = TopicView), (status = 404, description = "meeting, person or participant not found", body = ErrorBody), (status = 409, description = "the meeting is past preparing", body = ErrorBody), (status = 422, description = "text of 1 to 100 characters on one line", body = ErrorBody)), security(("bearer" = [])))]
#[post("/meetings/{id}/topics")]
pub async fn propose(
    _: Admin,
    OpsEnv(env): OpsEnv,
    db: web::Data<Db>,
    notifier: web::Data<Notifier>,
    id: web::Path<i64>,
    body: Body<ProposeBody>,
) -> Result<HttpResponse, ApiError> {
    let id = meeting_id(id.into_inner())?;
    let ProposeBody { person_id, text } = body.into_inner();
    let topic = ops::run(&db, move |c| {
        Ok(topics::propose(c, &env, Actor::Admin, id, person_id, &text)?.topic)
    })
    .await?;
    notifier.ring();
    Ok(HttpResponse::Created().json(TopicView::from(topic)))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptBody {
    /// The time box it gets on the agenda.
    minutes: u32,
}

impl FieldRules for AcceptBody {
    fn field_rules() -> Vec<(&'static str, serde_json::Value)> {
        vec![("minutes", serde_json::json!({"minimum": 1, "maximum": 600}))]
    }
}

/// Accepts a topic as the agenda's last item, presented by its proposer; 422 `agenda` when the
/// agenda would no longer fit the meeting (nothing changes).
#[utoipa::path(operation_id = "topics_accept", tag = "meetings", params(("id" = i64, Path, description = "topic id")), request_body = AcceptBody, responses((status = 200, body = TopicView), (status = 404, description = "not found", body = ErrorBody), (status = 409, description = "decided already, or the meeting is past preparing", body = ErrorBody), (status = 422, description = "minutes from 1 to 600, and the agenda still within the meeting", body = ErrorBody)), security(("bearer" = [])))]
#[post("/topics/{id}/accept")]
pub async fn accept(
    _: Admin,
    OpsEnv(env): OpsEnv,
    db: web::Data<Db>,
    notifier: web::Data<Notifier>,
    id: web::Path<TopicId>,
    body: Body<AcceptBody>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let minutes = body.into_inner().minutes;
    let topic = ops::run(&db, move |c| {
        Ok(topics::accept(c, &env, Actor::Admin, id, minutes)?.0)
    })
    .await?;
    notifier.ring();
    Ok(HttpResponse::Ok().json(TopicView::from(topic)))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeclineBody {
    reason: String,
}

impl FieldRules for DeclineBody {
    fn field_rules() -> Vec<(&'static str, serde_json::Value)> {
        field::reason()
    }
}

/// Declines a topic; the proposer is told the reason.
#[utoipa::path(operation_id = "topics_decline", tag = "meetings", params(("id" = i64, Path, description = "topic id")), request_body = DeclineBody, responses((status = 200, body = TopicView), (status = 404, description = "not found", body = ErrorBody), (status = 409, description = "decided already, or the meeting is past preparing", body = ErrorBody)), security(("bearer" = [])))]
#[post("/topics/{id}/decline")]
pub async fn decline(
    _: Admin,
    OpsEnv(env): OpsEnv,
    db: web::Data<Db>,
    notifier: web::Data<Notifier>,
    id: web::Path<TopicId>,
    body: Body<DeclineBody>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let reason = body.into_inner().reason;
    let topic = ops::run(&db, move |c| {
        topics::decline(c, &env, Actor::Admin, id, &reason)
    })
    .await?;
    notifier.ring();
    Ok(HttpResponse::Ok().json(TopicView::from(topic)))
}
