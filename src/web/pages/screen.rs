//! `/rooms/{id}/display?key=…`: the tablet at a room's door, read from across the room. It
//! shows the room and the clock, the current or next meeting (or "空闲至 15:00"), the one
//! after it, how many have checked in and their names as they come, and a QR code that
//! changes every 30 seconds; the code opens `/c/{code}`, where WeChat or WeCom says who
//! scanned it. Without the room's current key the screen shows nothing.

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
    /// Who has checked in, in the order they came (not for a confidential meeting).
    names: Vec<String>,
    /// The booking after it: start and title (a confidential one unnamed).
    then: Option<(i64, String)>,
}

fn shown_title(m: &crate::db::meetings::MeetingRow) -> &str {
    // A screen at the door of a confidential meeting does not name it.
    if m.confidential {
        "保密会议"
    } else {
        m.title.as_str()
    }
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
                        let mut list = participants::list(c, record.meeting.id)?;
                        let invited = list.len();
                        list.retain(|p| p.checked_in_at.is_some());
                        list.sort_by_key(|p| p.checked_in_at);
                        let names = if record.meeting.confidential {
                            Vec::new()
                        } else {
                            let ids: Vec<_> = list.iter().map(|p| p.person_id).collect();
                            let named = crate::db::people::by_ids(c, &ids)?;
                            ids.iter()
                                .filter_map(|id| named.get(id).map(|p| p.name.clone()))
                                .collect()
                        };
                        let then = match bookings.get(1) {
                            Some(next) => store::get(c, next.meeting)?.map(|r| {
                                (
                                    r.meeting.starts_at.millis(),
                                    shown_title(&r.meeting).to_owned(),
                                )
                            }),
                            None => None,
                        };
                        Some(Showing {
                            checked_in: list.len(),
                            invited,
                            names,
                            then,
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
    let now_ms = now.timestamp_millis();
    let body = html! {
        div.top {
            div.room { (room) }
            div.clock { (display::clock(now_ms, tz)) }
        }
        @match &showing {
            None => { p.idle { "今日空闲" } }
            Some(s) => { (screen(&pages, s, tz)?) }
        }
    };
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .body(layout::door(&room, 10, body).into_string()))
}

fn screen(pages: &Pages, s: &Showing, tz: chrono_tz::Tz) -> Result<Markup, PageError> {
    let m = &s.record.meeting;
    let now = pages.env().now;
    let title = shown_title(m);
    // A meeting whose end is not after its start has no check-in window.
    let open = crate::meetings::schedule::TimeRange::new(m.starts_at.utc(), m.ends_at.utc())
        .is_ok_and(|span| check_window(&span, now).is_ok());
    let qr = if open {
        let id = crate::meetings::MeetingId::new(m.id.get()).map_err(|_| PageError::NotFound)?;
        let url = format!("{}/c/{}", pages.base(), pages.checkin_key.rotating(id, now));
        Some((qr_svg(&url)?, url))
    } else {
        None
    };
    let opens_at = m.starts_at.millis() - opens_before().num_milliseconds();
    let running = m.starts_at.utc() <= now;
    Ok(html! {
        @if !running { p.idle { "空闲至 " (display::clock(m.starts_at, tz)) } }
        div.split {
            div {
                p.label { @if running { "进行中" } @else { "下一场" } }
                h1.title { (title) }
                p.big { (display::span(m.starts_at, m.ends_at, tz)) }
                p.count { "已签到 " (s.checked_in) " / " (s.invited) }
                @if !s.names.is_empty() {
                    div.names #arrived { @for n in &s.names { span { (n) } } }
                }
                @if let Some((at, next)) = &s.then {
                    p.then { "之后：" (display::clock(*at, tz)) " " (next) }
                }
            }
            div.card {
                @if let Some((svg, url)) = qr {
                    // The URL beside its picture: what the QR says, for whoever checks the screen.
                    div.qr data-checkin-url=(url) { (PreEscaped(svg)) }
                    p { "用微信或企业微信扫码签到" }
                    p.muted { "二维码每 " (ROTATE_SECS) " 秒更新" }
                } @else {
                    p.big { "签到将于 " (display::clock(opens_at, tz)) " 开放" }
                }
            }
        }
    })
}
