//! `GET /materials/<material>-<person>-<tag>`: a material's link as notices and chat give it to
//! one person. The read is recorded (participants only) and the browser goes on to the
//! material; a link that is not one huiwu made, or for someone no longer invited, is a 404.

use crate::db::Db;
use crate::meetings::calendar_feed::FeedLinks;
use crate::notify::Notifier;
use actix_web::{web, HttpResponse};

pub async fn open(
    db: web::Data<Db>,
    links: web::Data<FeedLinks>,
    notifier: web::Data<Notifier>,
    settings: web::Data<crate::config::MeetingSettings>,
    token: web::Path<String>,
) -> HttpResponse {
    let not_found = || HttpResponse::NotFound().body("no such material");
    let Some((material, person)) = links.key.material_reader(&token) else {
        return not_found();
    };
    let env = crate::ops::Env {
        notices: notifier.settings.clone(),
        booking_buffer: settings.booking_buffer,
        late_grace: settings.late_grace,
        now: notifier.clock.now(),
    };
    let opened = crate::ops::run(&db, move |c| {
        crate::ops::reading::open_material(c, &env, person, material)
    })
    .await;
    match opened {
        Ok(url) => HttpResponse::Found()
            .insert_header(("Location", url))
            .finish(),
        Err(crate::ops::OpsError::Db(e)) => {
            tracing::warn!(error = %e, %material, "material read not recorded");
            HttpResponse::ServiceUnavailable().body("database unavailable")
        }
        Err(_) => not_found(),
    }
}
