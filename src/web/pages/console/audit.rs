//! The audit log in the console (admins): who changed or read what, newest first, narrowed by
//! meeting, person, action and date.

use super::frame;
use super::{Console, Staff};
use crate::db::audit::AuditFilter;
use crate::db::people;
use crate::meetings::audit_action::{ActionPrefix, AuditActor};
use crate::meetings::{audit_trail, display};
use crate::meetings::{MeetingId, PersonId};
use crate::ops;
use crate::web::pages::error::PageError;
use crate::web::pages::Pages;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{NaiveDate, TimeZone};
use maud::html;
use serde::Deserialize;

const SHOWN: i64 = 200;

#[derive(Deserialize, Default)]
pub struct AuditQuery {
    #[serde(default)]
    meeting: String,
    /// An employee number, or `admin`.
    #[serde(default)]
    who: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    since: String,
}

/// `GET /console/audit`.
pub async fn show(
    req: HttpRequest,
    console: Console,
    pages: web::Data<Pages>,
    db: web::Data<crate::db::Db>,
    query: web::Query<AuditQuery>,
) -> Result<HttpResponse, PageError> {
    let signed = console.entered(&req, &pages, &db).await?;
    let q = query.into_inner();
    let tz = pages.notices.tz;
    let meeting_id = match q.meeting.trim().trim_start_matches('#') {
        "" => None,
        raw => Some(
            raw.parse::<MeetingId>()
                .map_err(|_| PageError::BadInput(format!("会议编号「{raw}」应是数字。")))?,
        ),
    };
    let since = match q.since.trim() {
        "" => None,
        raw => {
            let day = NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                .map_err(|_| PageError::BadInput(format!("日期「{raw}」应写作 2026-12-01。")))?;
            tz.from_local_datetime(&day.and_hms_opt(0, 0, 0).unwrap_or_default())
                .earliest()
                .map(|t| t.timestamp_millis())
        }
    };
    let who = q.who.trim().to_owned();
    let action = match q.action.trim() {
        "" => None,
        typed => Some(
            ActionPrefix::parse(typed)
                .ok_or_else(|| PageError::BadInput("操作名最多 64 个字符。".into()))?,
        ),
    };
    let (staff, entries, names) = ops::run(&db, move |c| {
        let staff = Staff::of(c, &signed)?;
        staff.actor.administers()?;
        // An employee number nobody has names nobody: nothing to show, not everything.
        let actor = match who.as_str() {
            "" => None,
            "admin" | "管理员" => Some(Some(AuditActor::Admin)),
            number => Some(people::by_employee_no(c, number)?.map(|p| AuditActor::Person(p.id))),
        };
        let Some(actor) = actor.map_or(Some(None), |known| known.map(Some)) else {
            return Ok((staff, Vec::new(), Default::default()));
        };
        let filter = AuditFilter {
            meeting_id,
            actor,
            action,
            since,
        };
        let entries = ops::oversight::search(c, staff.actor, &filter, SHOWN)?;
        let ids: Vec<PersonId> = entries.iter().filter_map(|e| e.actor.person()).collect();
        Ok((staff, entries, people::by_ids(c, &ids)?))
    })
    .await?;
    let actor_name = |actor: &AuditActor| match actor {
        AuditActor::Person(id) => names
            .get(id)
            .map(|p| format!("{}（{}）", p.name, p.employee_no))
            .unwrap_or_else(|| actor.to_string()),
        AuditActor::Admin => "内置管理员（令牌）".to_owned(),
        other => other.to_string(),
    };
    let body = html! {
        section {
            h1 { "审计日志" }
            form.row method="get" action="/console/audit" {
                input type="text" name="meeting" value=(q.meeting) placeholder="会议编号" aria-label="会议编号";
                input type="text" name="who" value=(q.who) placeholder="工号或 admin" aria-label="操作人";
                input type="text" name="action" value=(q.action) placeholder="操作（前缀，如 update_）" aria-label="操作";
                input type="date" name="since" value=(q.since) aria-label="起始日期";
                button { "筛选" }
            }
            p.muted { "最新的 " (SHOWN) " 条；记录只增不改。同一人一分钟内重复查看同一会议，合为一行。" }
            table #audit {
                thead { tr { th { "时间" } th { "操作人" } th { "操作" } th { "会议" } } }
                tbody {
                    @for (e, times) in audit_trail::fold_repeated_reads(&entries, |e| (&e.actor, &e.action, e.meeting_id.map(|m| m.get()), e.at.millis())) {
                        tr {
                            td { (display::when(e.at, tz)) @if times > 1 { br; span.muted { "一分钟内 " (times) " 次" } } }
                            td { (actor_name(&e.actor)) }
                            td {
                                (e.action.door_zh(e.actor.is_admin())) " · " (e.action.what_zh())
                                br; span.muted { code { (e.action.to_string()) } }
                            }
                            td { @if let Some(m) = e.meeting_id { a href={ "/console/meetings/" (m) } { "#" (m) } } }
                        }
                    }
                }
            }
        }
    };
    let csrf = signed.csrf(&pages.key);
    Ok(frame::page("审计日志", &staff, &csrf, None, body))
}
