//! Meetings in the admin API, one file per action; the shared bodies and views here. Each
//! handler parses, calls the operation (`crate::ops`) and renders the meeting as it is after.

pub mod checkin_code;
pub mod create;
pub mod get;
pub mod list;
pub mod steps;
pub mod update;

use super::agenda::MaterialBody;
use super::error::ApiError;
use super::rfc3339;
use crate::db::meetings::{self as store, MeetingRecord};
use crate::db::{Db, DbConn};
use crate::meetings::draft::{AgendaFields, MeetingFields, RoleFields};
use crate::meetings::lifecycle::MeetingStatus;
use crate::meetings::participation::Role;
use crate::meetings::{PersonId, RoomId};
use crate::notify::Notifier;
use crate::ops::{self, OpsError};
use crate::web::admin::field_rules::{self as field, FieldRules};
use actix_web::HttpResponse;
use serde::{Deserialize, Serialize};

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeetingBody {
    title: Option<String>,
    goal: Option<String>,
    starts_at: Option<String>,
    ends_at: Option<String>,
    room_id: Option<i64>,
    place: Option<String>,
    online_link: Option<String>,
    confidential: Option<bool>,
    text_checkin: Option<bool>,
    /// A preparation meeting (会前准备会) is asked for: the host gets it on the checklist.
    prep_meeting: Option<bool>,
    briefing: Option<String>,
    equipment_needs: Option<Vec<String>>,
    #[serde(default)]
    agenda: Vec<AgendaBody>,
    #[serde(default)]
    roles: Vec<RoleBody>,
    #[serde(default)]
    materials: Vec<MaterialBody>,
}

impl FieldRules for MeetingBody {
    fn field_rules() -> Vec<(&'static str, serde_json::Value)> {
        vec![
            ("title", field::line(1, Some(200))),
            ("place", field::one_line()),
            ("equipment_needs", field::each_one_line()),
            ("starts_at", serde_json::json!({"format": "date-time"})),
            ("ends_at", serde_json::json!({"format": "date-time"})),
            ("room_id", field::id()),
            ("online_link", field::optional_web_link()),
        ]
    }
}

#[derive(Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgendaBody {
    title: String,
    presenter_id: Option<i64>,
    minutes: u32,
}

impl FieldRules for AgendaBody {
    fn field_rules() -> Vec<(&'static str, serde_json::Value)> {
        field::agenda_item()
    }
}

#[derive(Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleBody {
    person_id: i64,
    /// host, organizer, agenda_owner, recorder, follow_up_owner, feedback_owner,
    /// confidentiality_officer, it_support, attendee, optional_attendee, informed
    #[schema(value_type = String)]
    role: Role,
}

impl FieldRules for RoleBody {
    fn field_rules() -> Vec<(&'static str, serde_json::Value)> {
        field::role_assignment()
    }
}

impl From<MeetingBody> for MeetingFields {
    fn from(b: MeetingBody) -> Self {
        MeetingFields {
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
            agenda: b
                .agenda
                .into_iter()
                .map(|a| AgendaFields {
                    title: a.title,
                    presenter_id: a.presenter_id,
                    minutes: a.minutes,
                })
                .collect(),
            roles: b
                .roles
                .into_iter()
                .map(|r| RoleFields {
                    person_id: r.person_id,
                    role: r.role,
                })
                .collect(),
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub(super) struct MeetingView {
    id: i64,
    title: String,
    goal: String,
    starts_at: String,
    ends_at: String,
    room_id: Option<i64>,
    place: String,
    online_link: Option<String>,
    confidential: bool,
    text_checkin: bool,
    prep_meeting: bool,
    briefing: String,
    equipment_needs: Vec<String>,
    #[schema(value_type = String)]
    status: MeetingStatus,
    /// When it actually started and ended (开始 / 结束), against `starts_at` and `ends_at`.
    started_at: Option<String>,
    ended_at: Option<String>,
    sequence: i32,
    cancel_reason: Option<String>,
    agenda: Vec<AgendaBody>,
    roles: Vec<RoleBody>,
    materials: Vec<MaterialLink>,
    /// E.g. a room smaller than the invitation list: worth knowing, not a refusal.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    warnings: Vec<String>,
    /// The preparation checklist: items done, and in all.
    checklist_done: usize,
    checklist_total: usize,
    /// Questions not answered yet and help requests not resolved yet (提问, 求助).
    open_questions: usize,
    open_help_requests: usize,
    /// A fingerprint of everything above that a change may touch: send it back as `If-Match`
    /// on `PATCH` to refuse the change (412) when someone changed the meeting meanwhile.
    version: String,
    /// For an occurrence of a recurring meeting: its series, and the date the rule gave it.
    #[serde(skip_serializing_if = "Option::is_none")]
    series: Option<SeriesLink>,
    /// 上次待办: the action items the previous occurrence of its series left open.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    carried_over: Vec<CarriedItem>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub(super) struct SeriesLink {
    id: i64,
    date: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub(super) struct CarriedItem {
    id: i64,
    title: String,
    owner: String,
    due_on: String,
    status: String,
    /// The latest progress reported.
    progress: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub(super) struct MaterialLink {
    id: i64,
    title: String,
    url: String,
}

/// A meeting with its materials and what an organiser should know about it.
pub(super) struct Checked {
    record: store::MeetingRecord,
    materials: Vec<MaterialLink>,
    warnings: Vec<String>,
    version: String,
    open: crate::ops::live::Open,
    /// Checklist items done and in all.
    readiness: (usize, usize),
    series: Option<SeriesLink>,
    carried_over: Vec<CarriedItem>,
}

/// Looks for what is worth a warning: a room too small for the invited, or without the
/// equipment the meeting needs.
pub(super) fn checked(c: &mut DbConn, record: store::MeetingRecord) -> Result<Checked, OpsError> {
    let warnings = crate::ops::preparation::room_warnings(c, &record)?
        .iter()
        .map(ToString::to_string)
        .collect();
    let materials: Vec<MaterialLink> = crate::db::materials::list(c, record.meeting.id)?
        .into_iter()
        .map(|m| MaterialLink {
            id: m.id.get(),
            title: m.title,
            url: m.url,
        })
        .collect();
    let shown: Vec<(String, String)> = materials
        .iter()
        .map(|m: &MaterialLink| (m.title.clone(), m.url.clone()))
        .collect();
    let version = crate::ops::revision::fingerprint(&record, &shown);
    let open = crate::ops::live::open(c, record.meeting.id)?;
    let readiness =
        crate::ops::checklist::readiness(c, crate::ops::Actor::Admin, record.meeting.id)?;
    let series = crate::db::series::occurrence_of(c, record.meeting.id)?.map(|o| SeriesLink {
        id: o.series_id.get(),
        date: o.date.to_string(),
    });
    let carried_over = crate::ops::series::carried_over(c, record.meeting.id)?
        .into_iter()
        .map(|i| CarriedItem {
            id: i.id.get(),
            title: i.title,
            owner: i.owner,
            due_on: i.due.to_string(),
            status: i.status.as_str().to_owned(),
            progress: i.progress,
        })
        .collect();
    Ok(Checked {
        series,
        carried_over,
        record,
        materials,
        warnings,
        version,
        open,
        readiness,
    })
}

impl From<Checked> for MeetingView {
    fn from(
        Checked {
            record: r,
            materials,
            warnings,
            version,
            open,
            readiness,
            series,
            carried_over,
        }: Checked,
    ) -> Self {
        let m = r.meeting;
        MeetingView {
            id: m.id.get(),
            title: m.title,
            goal: m.goal,
            starts_at: rfc3339(m.starts_at),
            ends_at: rfc3339(m.ends_at),
            room_id: m.room_id.map(RoomId::get),
            place: m.place,
            online_link: m.online_link,
            confidential: m.confidential,
            text_checkin: m.text_checkin,
            prep_meeting: m.prep_meeting,
            briefing: m.briefing,
            equipment_needs: m.equipment_needs.items().to_vec(),
            status: m.status,
            started_at: m.started_at.map(rfc3339),
            ended_at: m.ended_at.map(rfc3339),
            sequence: m.sequence,
            cancel_reason: m.cancel_reason,
            agenda: r
                .agenda
                .into_iter()
                .map(|a| AgendaBody {
                    title: a.title,
                    presenter_id: a.presenter_id.map(PersonId::get),
                    minutes: a.minutes.max(0) as u32,
                })
                .collect(),
            roles: r
                .roles
                .into_iter()
                .map(|(person_id, role)| RoleBody {
                    person_id: person_id.get(),
                    role,
                })
                .collect(),
            materials,
            warnings,
            checklist_done: readiness.0,
            checklist_total: readiness.1,
            open_questions: open.questions,
            open_help_requests: open.help_requests,
            version,
            series,
            carried_over,
        }
    }
}

pub(super) fn view(record: Option<Checked>) -> Result<HttpResponse, ApiError> {
    let record = record.ok_or(ApiError::NotFound("meeting"))?;
    Ok(HttpResponse::Ok().json(MeetingView::from(record)))
}

/// Runs a lifecycle operation and answers with the meeting as it is afterwards.
pub(super) async fn apply<F>(db: &Db, notifier: &Notifier, op: F) -> Result<HttpResponse, ApiError>
where
    F: FnOnce(&mut DbConn) -> Result<MeetingRecord, OpsError> + Send + 'static,
{
    let outcome = ops::run(db, move |c| {
        let record = op(c)?;
        checked(c, record)
    })
    .await;
    notifier.ring();
    Ok(HttpResponse::Ok().json(MeetingView::from(outcome?)))
}
