//! `POST /meetings`: a draft with its agenda, roles and materials.

use super::super::agenda::MaterialBody;
use super::super::auth::Admin;
use super::super::body::Body;
use super::super::env::OpsEnv;
use super::super::error::{ApiError, ErrorBody};
use super::{checked, MeetingBody, MeetingView};
use crate::db::Db;
use crate::meetings::draft::MeetingDraft;
use crate::ops::{self, preparation, Actor};
use actix_web::post;
use actix_web::{web, HttpResponse};

#[utoipa::path(operation_id = "meetings_create", tag = "meetings", request_body = MeetingBody, responses((status = 201, body = MeetingView), (status = 401, description = "no valid admin token", body = ErrorBody), (status = 422, description = "invalid input, field by field; beyond each field's schema: ends_at after starts_at, a host among the roles, a room, a place or an online link, the agenda's time boxes within the meeting, every person and room referred to existing", body = ErrorBody)), security(("bearer" = [])))]
#[post("/meetings")]
pub async fn create(
    _: Admin,
    OpsEnv(env): OpsEnv,
    db: web::Data<Db>,
    body: Body<MeetingBody>,
) -> Result<HttpResponse, ApiError> {
    let mut body = body.into_inner();
    let materials = std::mem::take(&mut body.materials)
        .into_iter()
        .map(MaterialBody::check)
        .collect::<Result<Vec<_>, _>>()?;
    let draft = MeetingDraft::parse(body.into()).map_err(ApiError::Invalid)?;
    let record = ops::run(&db, move |c| {
        let record = preparation::create(c, &env, Actor::Admin, &draft, &materials)?;
        checked(c, record)
    })
    .await?;
    Ok(HttpResponse::Created().json(MeetingView::from(record)))
}
