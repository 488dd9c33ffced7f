//! `GET /materials/<material>-<person>-<expires>-<tag>`: a material's link as notices and chat
//! give it to one person, for 30 days. The read is recorded (participants only) and the
//! browser goes on to the material; a link that is not one huiwu made, or for someone no
//! longer invited, is a 404; an expired one a 410.

use crate::db::Db;
use crate::meetings::calendar_feed::{FeedLinks, MaterialLink};
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
    let (material, person) = match links.key.material_reader(&token, notifier.clock.now()) {
        Some(MaterialLink::Valid(material, person)) => (material, person),
        Some(MaterialLink::Expired) => return HttpResponse::Gone()
            .content_type("text/html; charset=utf-8")
            .body(
                crate::web::pages::message_page(
                    "链接已过期",
                    "这个材料链接已过期：请在会议页面或向会务助手发送「会议 会议号」获取新的链接。",
                )
                .into_string(),
            ),
        None => return not_found(),
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
