//! The lifecycle steps: publish, start, next agenda item, end, close (publish the minutes),
//! reopen and cancel, each the operation of the same name.

use super::super::auth::Admin;
use super::super::body::Body;
use super::super::env::OpsEnv;
use super::super::error::{ApiError, ErrorBody};
use super::super::meeting_id;
use super::{apply, MeetingView};
use crate::db::meetings::MeetingRecord;
use crate::db::{Db, DbConn};
use crate::meetings::MeetingId;
use crate::notify::Notifier;
use crate::ops::{lifecycle, Actor, Env, OpsError};
use crate::web::admin::field_rules::{self as field, FieldRules};
use actix_web::post;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

type Step = fn(&mut DbConn, &Env, MeetingId) -> Result<MeetingRecord, OpsError>;

/// A lifecycle step: its documented, routed handler calling `$op` as the admin.
macro_rules! step {
    ($(#[$doc:meta])* $name:ident, $path:literal, $op:expr) => {
        $(#[$doc])*
        #[utoipa::path(operation_id = concat!("meetings_", stringify!($name)), tag = "meetings", params(("id" = i64, Path, description = "meeting id")), responses((status = 200, body = MeetingView), (status = 401, description = "no valid admin token", body = ErrorBody), (status = 404, description = "not found", body = ErrorBody), (status = 409, description = "conflict with the current state", body = ErrorBody)), security(("bearer" = [])))]
        #[post($path)]
        pub async fn $name(
            _: Admin,
            OpsEnv(env): OpsEnv,
            db: web::Data<Db>,
            notifier: web::Data<Notifier>,
            id: web::Path<i64>,
        ) -> Result<HttpResponse, ApiError> {
            let id = meeting_id(id.into_inner())?;
            let op: Step = $op;
            apply(&db, &notifier, move |c| op(c, &env, id)).await
        }
    };
}

step!(
    /// Publishes a draft: the invited are told; 409 when the room is taken.
    publish,
    "/meetings/{id}/publish",
    |c, env, id| lifecycle::publish(c, env, Actor::Admin, id)
);
step!(
    /// Starts the meeting and its first agenda item (whose time box is watched from now).
    start,
    "/meetings/{id}/start",
    |c, env, id| Ok(lifecycle::start(c, env, Actor::Admin, id)?.record)
);
step!(
    /// Ends the running agenda item and starts the next one not yet started.
    next,
    "/meetings/{id}/next",
    |c, env, id| Ok(lifecycle::next_item(c, env, Actor::Admin, id)?.record)
);
step!(
    /// Ends the meeting and the agenda item still running.
    end,
    "/meetings/{id}/end",
    |c, env, id| Ok(lifecycle::end(c, env, Actor::Admin, id)?.record)
);
step!(
    /// Publishes the minutes: the meeting is closed and its readers are told.
    close,
    "/meetings/{id}/close",
    |c, env, id| Ok(lifecycle::close(c, env, Actor::Admin, id)?.record)
);
step!(
    /// Opens published minutes for correction again.
    reopen,
    "/meetings/{id}/reopen",
    |c, env, id| lifecycle::reopen(c, env, Actor::Admin, id)
);

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelBody {
    reason: String,
}

impl FieldRules for CancelBody {
    fn field_rules() -> Vec<(&'static str, serde_json::Value)> {
        field::reason()
    }
}

#[utoipa::path(operation_id = "meetings_cancel", tag = "meetings", params(("id" = i64, Path, description = "meeting id")), request_body = CancelBody, responses((status = 200, body = MeetingView), (status = 401, description = "no valid admin token", body = ErrorBody), (status = 404, description = "not found", body = ErrorBody), (status = 409, description = "conflict with the current state", body = ErrorBody), (status = 422, description = "invalid input, field by field", body = ErrorBody)), security(("bearer" = [])))]
#[post("/meetings/{id}/cancel")]
pub async fn cancel(
    _: Admin,
    OpsEnv(env): OpsEnv,
    db: web::Data<Db>,
    notifier: web::Data<Notifier>,
    id: web::Path<i64>,
    body: Body<CancelBody>,
) -> Result<HttpResponse, ApiError> {
    let id = meeting_id(id.into_inner())?;
    let reason = body.into_inner().reason;
    apply(&db, &notifier, move |c| {
        lifecycle::cancel(c, &env, Actor::Admin, id, &reason)
    })
    .await
}
