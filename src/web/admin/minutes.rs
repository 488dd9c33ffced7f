//! A meeting's minutes: read with who has read them, edit an entry before they are published.

use super::auth::Admin;
use super::body::Body;
use super::env::{Now, OpsEnv};
use super::error::{ApiError, ErrorBody};
use super::rfc3339;
use crate::db::{self, meetings as store, minutes as entries, Db};
use crate::meetings::audit_action::Audit;
use crate::meetings::directory::FieldError;
use crate::meetings::minutes::{published, EntryKind};
use crate::meetings::PersonId;
use crate::meetings::{EntryId, MeetingId};
use crate::ops::{self, Actor};
use crate::web::admin::field_rules::{self as field, FieldRules};
use actix_web::{get, patch};
use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = MinutesEntry)]
struct EntryView {
    id: i64,
    agenda_position: Option<i32>,
    kind: String,
    body: String,
    author_id: i64,
    created_at: String,
    updated_at: String,
    /// For a decision: where consensus stands among those present, and how the host closed it.
    #[serde(skip_serializing_if = "Option::is_none")]
    consensus: Option<ConsensusView>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub(super) struct ObjectionView {
    #[schema(value_type = i64, minimum = 1)]
    person_id: PersonId,
    reason: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub(super) struct ConsensusView {
    /// `passed` (通过) or `tabled` (搁置); absent until the host closes the decision.
    outcome: Option<String>,
    /// Those present who agree now.
    #[schema(value_type = Vec<i64>)]
    agreed: Vec<PersonId>,
    /// Those who object now, with their reasons.
    objected: Vec<ObjectionView>,
    /// Present and not answered.
    #[schema(value_type = Vec<i64>)]
    not_answered: Vec<PersonId>,
    /// Objections raised and later replaced by agreement: they stay on the record.
    withdrawn_objections: Vec<ObjectionView>,
}

impl From<crate::ops::consensus::Standing> for ConsensusView {
    fn from(s: crate::ops::consensus::Standing) -> Self {
        let objections = |list: Vec<(PersonId, String)>| {
            list.into_iter()
                .map(|(person_id, reason)| ObjectionView { person_id, reason })
                .collect()
        };
        ConsensusView {
            outcome: s.outcome.map(|o| o.as_str().to_owned()),
            agreed: s.tally.agreed,
            objected: objections(s.tally.objected),
            not_answered: s.tally.silent,
            withdrawn_objections: objections(s.tally.withdrawn),
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
struct ReaderView {
    person_id: i64,
    read_at: String,
}

#[derive(Serialize, utoipa::ToSchema)]
struct MinutesView {
    meeting_id: i64,
    published: bool,
    entries: Vec<EntryView>,
    /// Who has read the published minutes, and when (first read).
    readers: Vec<ReaderView>,
}

fn minutes_view(
    c: &mut db::DbConn,
    id: MeetingId,
    now: Now,
) -> Result<Option<MinutesView>, crate::ops::OpsError> {
    let Some(record) = store::get(c, id)? else {
        return Ok(None);
    };
    crate::ops::reading::by_admin(c, now.ms(), &record.meeting, Audit::ReadMinutes)?;
    let status = record.meeting.status;
    Ok(Some(MinutesView {
        meeting_id: id.get(),
        published: published(status),
        entries: entries::list(c, id)?
            .into_iter()
            .map(|e| {
                let consensus = (e.kind == EntryKind::Decision)
                    .then(|| {
                        crate::ops::consensus::standing(c, crate::ops::Actor::Admin, e.clone())
                    })
                    .transpose()?
                    .map(ConsensusView::from);
                Ok(EntryView {
                    id: e.id.get(),
                    agenda_position: e.agenda_position,
                    kind: e.kind.as_str().to_owned(),
                    body: e.body,
                    author_id: e.author_id.get(),
                    created_at: rfc3339(e.created_at),
                    updated_at: rfc3339(e.updated_at),
                    consensus,
                })
            })
            .collect::<Result<_, crate::ops::OpsError>>()?,
        readers: entries::readers(c, id)?
            .into_iter()
            .map(|(person_id, at)| ReaderView {
                person_id: person_id.get(),
                read_at: rfc3339(at),
            })
            .collect(),
    }))
}

#[utoipa::path(operation_id = "minutes_read", tag = "minutes", params(("id" = i64, Path, description = "meeting id")), responses((status = 200, body = MinutesView), (status = 401, description = "no valid admin token", body = ErrorBody), (status = 404, description = "not found", body = ErrorBody)), security(("bearer" = [])))]
#[get("/meetings/{id}/minutes")]
pub async fn read(
    _: Admin,
    now: Now,
    db: web::Data<Db>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = super::meeting_id(id.into_inner())?;
    let view = crate::ops::run(&db, move |c| minutes_view(c, id, now))
        .await?
        .ok_or(ApiError::NotFound("meeting"))?;
    Ok(HttpResponse::Ok().json(view))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EditBody {
    kind: Option<String>,
    body: String,
}

impl FieldRules for EditBody {
    fn field_rules() -> Vec<(&'static str, serde_json::Value)> {
        vec![
            ("body", field::text(1, None)),
            (
                "kind",
                field::names(field::EntryKind::ALL.map(field::EntryKind::as_str)),
            ),
        ]
    }
}

#[utoipa::path(operation_id = "minutes_edit", tag = "minutes", params(("id" = i64, Path, description = "meeting id"), ("entry_id" = i64, Path)), request_body = EditBody, responses((status = 200, body = MinutesView), (status = 401, description = "no valid admin token", body = ErrorBody), (status = 404, description = "not found", body = ErrorBody), (status = 409, description = "conflict with the current state", body = ErrorBody), (status = 422, description = "invalid input, field by field", body = ErrorBody)), security(("bearer" = [])))]
#[patch("/meetings/{id}/minutes/{entry_id}")]
pub async fn edit(
    _: Admin,
    OpsEnv(env): OpsEnv,
    db: web::Data<Db>,
    path: web::Path<(i64, EntryId)>,
    body: Body<EditBody>,
) -> Result<HttpResponse, ApiError> {
    let (id, entry_id) = path.into_inner();
    let b = body.into_inner();
    let text = b.body.trim().to_owned();
    let mut errors = Vec::new();
    if text.is_empty() {
        errors.push(FieldError {
            field: "body",
            message: "must not be empty".into(),
        });
    }
    let kind = match b.kind.as_deref().map(EntryKind::parse) {
        None => None,
        Some(Some(k)) => Some(k),
        Some(None) => {
            errors.push(FieldError {
                field: "kind",
                message: "must be note or decision".into(),
            });
            None
        }
    };
    if !errors.is_empty() {
        return Err(ApiError::Invalid(errors));
    }
    let meeting = super::meeting_id(id)?;
    let outcome = ops::run(&db, move |c| {
        ops::minutes::edit(c, &env, Actor::Admin, meeting, entry_id, kind, &text)?;
        minutes_view(c, meeting, Now(env.now))
    })
    .await?
    .ok_or(ApiError::NotFound("meeting"))?;
    Ok(HttpResponse::Ok().json(outcome))
}
