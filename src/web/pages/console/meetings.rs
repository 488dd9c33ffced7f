//! The meetings an admin or organizer looks after: a list filtered by status, host and dates
//! (the week by room is `week`). Organizers see the meetings they host or organize; admins all.

use super::frame;
use super::{Console, Staff};
use crate::db::meetings::{MeetingFilter, MeetingRow};
use crate::db::{people, DbConn};
use crate::meetings::display;
use crate::meetings::lifecycle::MeetingStatus;
use crate::meetings::PersonId;
use crate::ops::{self, Env, OpsError};
use crate::web::pages::error::PageError;
use crate::web::pages::Pages;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{Days, NaiveDate, TimeZone};
use chrono_tz::Tz;
use maud::html;
use serde::Deserialize;

/// The meetings `filter` finds that `staff` looks after (`ops::reading::looked_after`).
pub(super) fn looked_after(
    c: &mut DbConn,
    env: &Env,
    staff: &Staff,
    filter: MeetingFilter,
) -> Result<Vec<(MeetingRow, Vec<PersonId>)>, OpsError> {
    ops::reading::looked_after(c, env, staff.actor, filter)
}

/// Midnight of `day` in `tz`, in milliseconds (the first valid instant on a day that starts
/// in a gap).
pub(super) fn day_start(day: NaiveDate, tz: Tz) -> i64 {
    let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    tz.from_local_datetime(&midnight)
        .earliest()
        .or_else(|| {
            tz.from_local_datetime(&(midnight + chrono::Duration::hours(1)))
                .earliest()
        })
        .map(|t| t.timestamp_millis())
        .unwrap_or_default()
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    status: String,
    #[serde(default)]
    host: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    until: String,
}

pub(super) fn date(raw: &str) -> Result<Option<NaiveDate>, PageError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| PageError::BadInput(format!("日期「{raw}」应写作 2026-12-01。")))
}

/// `GET /console`: the meetings the reader looks after, soonest first.
pub async fn list(
    req: HttpRequest,
    console: Console,
    pages: web::Data<Pages>,
    db: web::Data<crate::db::Db>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, PageError> {
    let signed = console.entered(&req, &pages, &db).await?;
    let tz = pages.notices.tz;
    let env = pages.env();
    let q = query.into_inner();
    let status = match q.status.as_str() {
        "" => None,
        s => Some(
            MeetingStatus::parse(s)
                .ok_or_else(|| PageError::BadInput(format!("没有「{s}」这个会议状态。")))?,
        ),
    };
    let today = env.now.with_timezone(&tz).date_naive();
    let from = date(&q.from)?;
    let until = date(&q.until)?;
    let filter = MeetingFilter {
        from: Some(day_start(from.unwrap_or(today - Days::new(7)), tz)),
        until: until.map(|d| day_start(d + Days::new(1), tz)),
        status,
        ..Default::default()
    };
    let host = q.host.trim().to_owned();
    let (staff, rows, names) = ops::run(&db, move |c| {
        let staff = Staff::of(c, &signed)?;
        let mut rows = looked_after(c, &env, &staff, filter)?;
        if !host.is_empty() {
            let hosts: Vec<PersonId> = people::by_employee_no(c, &host)?
                .into_iter()
                .chain(people::by_name(c, &host)?)
                .map(|p| p.id)
                .collect();
            rows.retain(|(_, h)| h.iter().any(|id| hosts.contains(id)));
        }
        let ids: Vec<PersonId> = rows.iter().flat_map(|(_, h)| h.clone()).collect();
        let names = people::by_ids(c, &ids)?;
        Ok((staff, rows, names))
    })
    .await?;
    let body = html! {
        section {
            h1 { "会议" }
            form.row method="get" action="/console" {
                select name="status" aria-label="状态" {
                    option value="" { "全部状态" }
                    @for s in MeetingStatus::ALL {
                        option value=(s.as_str()) selected[status == Some(s)] { (s.label_zh()) }
                    }
                }
                input type="text" name="host" placeholder="主持人姓名或工号" value=(q.host);
                input type="date" name="from" aria-label="从" value=(from.map(|d| d.to_string()).unwrap_or_default());
                input type="date" name="until" aria-label="到" value=(until.map(|d| d.to_string()).unwrap_or_default());
                button { "筛选" }
                a href="/console/meetings/new" { "＋ 新建会议" }
            }
        }
        section {
            @if rows.is_empty() { p.muted { "没有符合条件的会议。" } }
            @else {
                table {
                    thead { tr { th { "编号" } th { "会议" } th { "时间" } th { "主持人" } th { "状态" } } }
                    tbody {
                        @for (m, hosts) in &rows {
                            tr {
                                td { "#" (m.id) }
                                td { a href={ "/console/meetings/" (m.id) } { (m.title) }
                                     @if m.confidential { " " span.badge { "保密" } } }
                                td { (display::span(m.starts_at, m.ends_at, tz)) }
                                td { @for h in hosts { (names.get(h).map(|p| p.name.as_str()).unwrap_or("")) " " } }
                                td { (m.status.label_zh()) }
                            }
                        }
                    }
                }
            }
        }
    };
    let csrf = signed.csrf(&pages.key);
    Ok(frame::page("会务后台", &staff, &csrf, None, body))
}
