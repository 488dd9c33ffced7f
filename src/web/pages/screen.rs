//! `/rooms/{id}/display?key=…`: the tablet at a room's door. It shows the room's current or
//! next meeting, how many have checked in, and a QR code that changes every 30 seconds; the
//! code opens `/c/{code}`, where WeChat or WeCom says who scanned it. Without the room's
//! current key the screen shows nothing.

use super::error::PageError;
use super::layout;
use super::Pages;
use crate::db::meetings::{self as store, MeetingRecord};
use crate::db::{display_keys, participants, rooms, Db};
use crate::meetings::checkin_code::{check_window, opens_before, ROTATE_SECS};
use crate::meetings::display;
use crate::meetings::RoomId;
use crate::web::rate_limit::{Limits, Secret};
use actix_web::{web, HttpResponse};
use maud::{html, Markup, PreEscaped};
use qrcode::render::svg;
use qrcode::QrCode;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct KeyQuery {
    key: Option<String>,
}

/// The room's meeting to show: the one running, else the next within a day.
struct Showing {
    record: MeetingRecord,
    checked_in: usize,
    invited: usize,
}

fn qr_svg(text: &str) -> Result<String, PageError> {
    let code =
        QrCode::new(text.as_bytes()).map_err(|e| PageError::Upstream(format!("QR code: {e}")))?;
    Ok(code
        .render::<svg::Color>()
        .min_dimensions(240, 240)
        .quiet_zone(true)
        .build())
}

pub async fn show(
    req: actix_web::HttpRequest,
    pages: web::Data<Pages>,
    limits: web::Data<Limits>,
    db: web::Data<Db>,
    id: web::Path<String>,
    query: web::Query<KeyQuery>,
) -> Result<HttpResponse, PageError> {
    if !limits.allow(Secret::ScreenKey, req.peer_addr().map(|a| a.ip())) {
        return Err(PageError::TooManyTries);
    }
    let room_id: RoomId = id.parse().map_err(|_| PageError::ScreenKey)?;
    let key = query.into_inner().key.unwrap_or_default();
    let now = pages.env().now;
    let day_ahead = now.timestamp_millis() + 24 * 3600 * 1000;
    let found = db
        .run(move |c| {
            if key.is_empty() || !display_keys::matches(c, room_id, &key)? {
                return Ok(None);
            }
            let Some(room) = rooms::get(c, room_id)? else {
                return Ok(None);
            };
            let mut bookings = store::room_bookings(c, room_id)?;
            bookings
                .retain(|b| b.span.end() > now && b.span.start().timestamp_millis() < day_ahead);
            bookings.sort_by_key(|b| b.span.start());
            let showing = match bookings.first() {
                Some(b) => match store::get(c, b.meeting)? {
                    Some(record) => {
                        let list = participants::list(c, record.meeting.id)?;
                        Some(Showing {
                            checked_in: list.iter().filter(|p| p.checked_in_at.is_some()).count(),
                            invited: list.len(),
                            record,
                        })
                    }
                    None => None,
                },
                None => None,
            };
            Ok(Some((room.name, showing)))
        })
        .await?;
    let (room, showing) = found.ok_or(PageError::ScreenKey)?;
    let tz = pages.notices.tz;
    let body = match &showing {
        None => html! { section.screen { h1 { (room) } p { "暂无会议" } } },
        Some(s) => screen(&pages, &room, s, tz)?,
    };
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .body(layout::refreshing(&room, 10, body).into_string()))
}

fn screen(pages: &Pages, room: &str, s: &Showing, tz: chrono_tz::Tz) -> Result<Markup, PageError> {
    let m = &s.record.meeting;
    let now = pages.env().now;
    // A screen at the door of a confidential meeting does not name it.
    let title = if m.confidential {
        "保密会议"
    } else {
        m.title.as_str()
    };
    let open = match (
        chrono::DateTime::from_timestamp_millis(m.starts_at),
        chrono::DateTime::from_timestamp_millis(m.ends_at),
    ) {
        (Some(start), Some(end)) => crate::meetings::schedule::TimeRange::new(start, end)
            .ok()
            .map(|span| check_window(&span, now).is_ok()),
        _ => None,
    }
    .unwrap_or(false);
    let qr = if open {
        let id = crate::meetings::MeetingId::new(m.id.get()).map_err(|_| PageError::NotFound)?;
        let url = format!("{}/c/{}", pages.base(), pages.checkin_key.rotating(id, now));
        Some((qr_svg(&url)?, url))
    } else {
        None
    };
    let opens_at = m.starts_at - opens_before().num_milliseconds();
    Ok(html! {
        section.screen {
            h2 { (room) }
            h1 { (title) }
            p { (display::span(m.starts_at, m.ends_at, tz)) }
            p.count { "已签到 " (s.checked_in) " / " (s.invited) }
            @if let Some((svg, url)) = qr {
                // The URL beside its picture: what the QR says, for whoever checks the screen.
                div data-checkin-url=(url) { (PreEscaped(svg)) }
                p.muted { "用微信或企业微信扫码签到 · 二维码每 " (ROTATE_SECS) " 秒更新" }
            } @else {
                p.muted { "签到将于 " (display::clock(opens_at, tz)) " 开放" }
            }
        }
    })
}
