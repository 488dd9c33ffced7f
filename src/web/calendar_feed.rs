//! `GET /calendar/{token}.ics`: a person's meetings for calendar apps (Outlook, Apple
//! Calendar, the WeCom calendar), which subscribe with a bare URL and no credentials. The
//! token is the credential (`meetings::calendar_feed`); a wrong, revoked or malformed one is a
//! plain 404 that says nothing about whether the person exists. Confidential meetings show
//! their time only: subscribed feeds are copied to the calendar provider's servers.

use crate::db::{calendar_feeds, Db};
use crate::meetings::calendar_feed::{FeedLinks, FeedToken};
use crate::web::admin::{feed_name, person_events, CalendarDomain};
use crate::web::ics;
use actix_web::{web, HttpResponse};

pub async fn feed(
    db: web::Data<Db>,
    links: web::Data<FeedLinks>,
    domain: web::Data<CalendarDomain>,
    file: web::Path<String>,
) -> HttpResponse {
    let not_found = || HttpResponse::NotFound().body("no such calendar");
    let Some(token) = file.strip_suffix(".ics").and_then(FeedToken::parse) else {
        return not_found();
    };
    let key = links.key.clone();
    let (tz, domain) = (domain.1, domain.0.clone());
    let found = db
        .run(move |c| {
            let generation = calendar_feeds::generation(c, token.person_id)?;
            if !key.verify(&token, generation) {
                return Ok(None);
            }
            person_events(c, &domain, tz, token.person_id, None, |_, _| Ok(()))
        })
        .await;
    match found {
        Ok(Some((person, events))) if person.active => {
            ics::response(ics::calendar("PUBLISH", Some(&feed_name(&person)), events))
        }
        Ok(_) => not_found(),
        Err(e) => {
            tracing::warn!(error = %e, "calendar feed not read");
            HttpResponse::ServiceUnavailable().body("database unavailable")
        }
    }
}
