use super::error::ApiError;
use crate::config::MeetingSettings;
use crate::notify::Notifier;
use crate::ops::Env;
use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};
use std::future::{ready, Ready};

/// What an operation needs, taken from the app's settings and clock when the request arrives.
pub struct OpsEnv(pub Env);

impl FromRequest for OpsEnv {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let notifier = req.app_data::<web::Data<Notifier>>();
        let meetings = req.app_data::<web::Data<MeetingSettings>>();
        ready(match (notifier, meetings) {
            (Some(n), Some(m)) => Ok(OpsEnv(Env {
                notices: n.settings.clone(),
                booking_buffer: m.booking_buffer,
                late_grace: m.late_grace,
                now: n.clock.now(),
            })),
            _ => Err(ApiError::Storage(crate::db::DbError::Worker(
                "the app was built without its notifier or meeting settings".into(),
            ))),
        })
    }
}

/// The moment the request arrived, from the app's clock (tests move it).
#[derive(Clone, Copy)]
pub struct Now(pub chrono::DateTime<chrono::Utc>);

impl Now {
    pub fn ms(self) -> i64 {
        self.0.timestamp_millis()
    }
}

impl FromRequest for Now {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(
            req.app_data::<web::Data<Notifier>>()
                .map(|n| Now(n.clock.now()))
                .ok_or_else(|| {
                    ApiError::Storage(crate::db::DbError::Worker(
                        "the app was built without its clock".into(),
                    ))
                }),
        )
    }
}
