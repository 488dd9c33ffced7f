//! A meeting's reports in the console: attendance, feedback, the delivery of its notices
//! (failed and unreachable people with the reason) and its action items board (overdue first,
//! with progress logs); each also as CSV, UTF-8 with a BOM so Excel opens it right.

use super::frame;
use super::meeting::{attendance_table, standing_zh};
use super::{Console, Staff};
use crate::db::outbox::OutboxRow;
use crate::db::outbox::OutboxStatus;
use crate::db::questions::HelpRow;
use crate::db::{people, DbConn};
use crate::meetings::audit_action::Audit;
use crate::meetings::display;
use crate::meetings::stamp::Stamp;
use crate::meetings::MeetingId;
use crate::meetings::PersonId;
use crate::ops::reports::{self, AttendanceReport, FeedbackReport, TaskLine};
use crate::ops::{self, live, reading, Env, OpsError};
use crate::web::pages::error::PageError;
use crate::web::pages::Pages;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono_tz::Tz;
use maud::html;
use std::collections::HashMap;

/// A notice that did not reach its person, as the report names it.
struct Problem {
    row: OutboxRow,
    person: String,
}

struct Reports {
    staff: Staff,
    title: String,
    attendance: AttendanceReport,
    feedback: FeedbackReport,
    by_status: Vec<(OutboxStatus, usize)>,
    problems: Vec<Problem>,
    tasks: Vec<TaskLine>,
    /// Help on site: the request and who asked and took it.
    helps: Vec<(HelpRow, String, String)>,
}

fn problems(c: &mut DbConn, rows: Vec<OutboxRow>) -> Result<Vec<Problem>, OpsError> {
    let failed: Vec<OutboxRow> = rows
        .into_iter()
        .filter(|r| matches!(r.status, OutboxStatus::Failed | OutboxStatus::Unreachable))
        .collect();
    let ids: Vec<PersonId> = failed.iter().filter_map(|r| r.person_id).collect();
    let named = people::by_ids(c, &ids)?;
    Ok(failed
        .into_iter()
        .map(|row| Problem {
            person: row
                .person_id
                .and_then(|p| named.get(&p))
                .map(|p| format!("{}（{}）", p.name, p.employee_no))
                .unwrap_or_else(|| row.recipient.clone()),
            row,
        })
        .collect())
}

fn load(
    c: &mut DbConn,
    env: &Env,
    signed: super::Signed,
    id: MeetingId,
) -> Result<Reports, OpsError> {
    let staff = Staff::of(c, &signed)?;
    let record = reading::managed(c, env, staff.actor, id, Audit::ConsoleReports)?;
    let rows = reports::deliveries(c, env, staff.actor, id)?;
    let mut counts: HashMap<OutboxStatus, usize> = HashMap::new();
    for r in &rows {
        *counts.entry(r.status).or_default() += 1;
    }
    let mut by_status: Vec<(OutboxStatus, usize)> = counts.into_iter().collect();
    by_status.sort();
    let help_rows = live::help_requests(c, staff.actor, id)?;
    let ids: Vec<PersonId> = help_rows
        .iter()
        .flat_map(|h| std::iter::once(h.asker_id).chain(h.taken_by))
        .collect();
    let named = people::by_ids(c, &ids)?;
    let name = |p: Option<PersonId>| {
        p.and_then(|p| named.get(&p))
            .map(|x| x.name.clone())
            .unwrap_or_default()
    };
    let helps = help_rows
        .into_iter()
        .map(|h| {
            let (asker, taker) = (name(Some(h.asker_id)), name(h.taken_by));
            (h, asker, taker)
        })
        .collect();
    Ok(Reports {
        helps,
        title: format!("#{} {}", record.meeting.id, record.meeting.title),
        attendance: reports::attendance(c, env, staff.actor, id)?,
        feedback: reports::feedback(c, env, staff.actor, id)?,
        problems: problems(c, rows)?,
        tasks: reports::tasks(c, env, staff.actor, id)?,
        by_status,
        staff,
    })
}

/// How long from `from` to `to`, in words; "未" while it has not happened.
fn took(from: Stamp, to: Option<Stamp>) -> String {
    match to {
        None => "未".to_owned(),
        Some(to) => {
            let secs = (to - from).num_seconds().max(0);
            format!("{} 分 {} 秒", secs / 60, secs % 60)
        }
    }
}

/// Why a notice could not go to someone, in words (the outbox keeps the reason in English, for
/// the logs and the API).
pub(super) fn unreachable_zh(reason: &str) -> &str {
    match reason {
        "unfollowed the Official Account" => "已取消关注公众号",
        "no WeCom userid and no Official Account openid" => "未绑定微信或企业微信",
        "the person's channel is not configured" => "其渠道未配置",
        other => other,
    }
}

fn status_zh(status: OutboxStatus) -> &'static str {
    match status {
        OutboxStatus::Pending => "待发送",
        OutboxStatus::Sending => "发送中",
        OutboxStatus::Sent => "已发送",
        OutboxStatus::Delivered => "已送达",
        OutboxStatus::Failed => "失败",
        OutboxStatus::Unreachable => "无法送达",
    }
}

fn meeting_id(raw: i64) -> Result<MeetingId, PageError> {
    MeetingId::new(raw).map_err(|_| PageError::NotFound)
}

/// `GET /console/meetings/{id}/reports`.
pub async fn show(
    req: HttpRequest,
    console: Console,
    pages: web::Data<Pages>,
    db: web::Data<crate::db::Db>,
    id: web::Path<i64>,
) -> Result<HttpResponse, PageError> {
    let signed = console.entered(&req, &pages, &db).await?;
    let id = meeting_id(id.into_inner())?;
    let env = pages.env();
    let tz = pages.notices.tz;
    let r = ops::run(&db, move |c| load(c, &env, signed, id)).await?;
    let csv = |kind: &str| format!("/console/meetings/{id}/reports/{kind}.csv");
    let f = &r.feedback;
    let body = html! {
        section {
            h1 { "报告：" (r.title) }
            a href={ "/console/meetings/" (id) } { "← 返回会议" }
        }
        section {
            h2 { "出席 " a href=(csv("attendance")) { "CSV" } }
            (attendance_table(&r.attendance, tz))
        }
        section #feedback {
            h2 { "反馈 " a href=(csv("feedback")) { "CSV" } }
            @if f.summary.count == 0 { p.muted { "还没有人反馈。" } }
            @else {
                p { (f.summary.count) " 人评分，平均 " (format!("{:.1}", f.summary.average.unwrap_or_default())) " 分；" (f.summary.distribution_zh()) }
                ul { @for comment in &f.comments { li { (comment) } } }
            }
        }
        section #deliveries {
            h2 { "通知送达 " a href=(csv("deliveries")) { "CSV" } }
            p.row { @for (status, n) in &r.by_status { span.badge { (status_zh(*status)) " " (n) } } }
            @if r.problems.is_empty() { p.muted { "没有失败或无法送达的通知。" } }
            @else {
                table {
                    thead { tr { th { "人员" } th { "通知" } th { "渠道" } th { "状态" } th { "原因" } th { "时间" } } }
                    tbody {
                        @for p in &r.problems {
                            tr {
                                td { (p.person) } td { (p.row.kind.label_zh()) } td { (p.row.channel.label_zh()) }
                                td { (status_zh(p.row.status)) }
                                td { (unreachable_zh(p.row.last_error.as_deref().unwrap_or(""))) }
                                td { (display::when(p.row.updated_at, tz)) }
                            }
                        }
                    }
                }
            }
        }
        section #help {
            h2 { "现场支持" }
            @if r.helps.is_empty() { p.muted { "没有现场求助。" } }
            @else {
                table {
                    thead { tr { th { "#" } th { "内容" } th { "求助人" } th { "接手人" } th { "接手用时" } th { "解决用时" } } }
                    tbody {
                        @for (h, asker, taker) in &r.helps {
                            tr {
                                td { (h.id) } td { (h.body) } td { (asker) } td { (taker) }
                                td { (took(h.asked_at, h.taken_at)) }
                                td { (took(h.asked_at, h.resolved_at)) }
                            }
                        }
                    }
                }
            }
        }
        section #tasks {
            h2 { "待办 " a href=(csv("tasks")) { "CSV" } }
            @if r.tasks.is_empty() { p.muted { "这次会议没有布置待办。" } }
            @else {
                table {
                    thead { tr { th { "#" } th { "事项" } th { "负责人" } th { "截止" } th { "状态" } th { "进展" } } }
                    tbody {
                        @for t in &r.tasks {
                            tr {
                                td { (t.item.id) } td { (t.item.title) } td { (t.owner) }
                                td { (t.item.due_on) @if t.overdue_days > 0 { " " span.badge.late { "逾期 " (t.overdue_days) " 天" } } }
                                td { (t.item.status.label_zh()) }
                                td {
                                    @for (who, text, at) in &t.progress {
                                        div { span.muted { (display::when(*at, tz)) " " (who) "：" } (text) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    let csrf = signed.csrf(&pages.key);
    Ok(frame::page("报告", &r.staff, &csrf, None, body))
}

fn csv(header: &[&str], rows: Vec<Vec<String>>) -> String {
    let rows = rows
        .into_iter()
        .map(|row| row.iter().map(|f| crate::web::csv::text(f)).collect())
        .collect();
    crate::web::csv::document(header, rows)
}

fn local(ms: i64, tz: Tz) -> String {
    display::local(ms, tz)
        .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default()
}

/// `GET /console/meetings/{id}/reports/{kind}.csv`: attendance, feedback, deliveries, tasks.
pub async fn download(
    req: HttpRequest,
    console: Console,
    pages: web::Data<Pages>,
    db: web::Data<crate::db::Db>,
    path: web::Path<(i64, String)>,
) -> Result<HttpResponse, PageError> {
    let signed = console.entered(&req, &pages, &db).await?;
    let (id, file) = path.into_inner();
    let id = meeting_id(id)?;
    let kind = file
        .strip_suffix(".csv")
        .filter(|k| ["attendance", "feedback", "deliveries", "tasks"].contains(k))
        .ok_or(PageError::NotFound)?
        .to_owned();
    let env = pages.env();
    let tz = pages.notices.tz;
    let r = ops::run(&db, move |c| load(c, &env, signed, id)).await?;
    let body = match kind.as_str() {
        "attendance" => csv(
            &[
                "姓名",
                "工号",
                "部门",
                "回复",
                "请假原因",
                "签到时间",
                "出席",
            ],
            r.attendance
                .people
                .iter()
                .map(|p| {
                    vec![
                        p.name.clone(),
                        p.employee_no.clone(),
                        p.department.clone(),
                        p.rsvp.as_str().to_owned(),
                        p.rsvp.reason().unwrap_or_default().to_owned(),
                        p.checked_in_at.map(|at| local(at, tz)).unwrap_or_default(),
                        standing_zh(p).to_owned(),
                    ]
                })
                .collect(),
        ),
        "feedback" => {
            let s = &r.feedback.summary;
            let mut rows: Vec<Vec<String>> = (1..=5)
                .map(|n| vec![format!("{n} 分"), s.distribution[n - 1].to_string()])
                .collect();
            rows.push(vec![
                "平均".into(),
                s.average.map(|a| format!("{a:.2}")).unwrap_or_default(),
            ]);
            rows.extend(
                r.feedback
                    .comments
                    .iter()
                    .map(|c| vec!["意见".into(), c.clone()]),
            );
            csv(&["项目", "内容"], rows)
        }
        "deliveries" => csv(
            &["人员", "通知", "渠道", "状态", "原因", "时间"],
            r.problems
                .iter()
                .map(|p| {
                    vec![
                        p.person.clone(),
                        p.row.kind.label_zh().to_owned(),
                        p.row.channel.label_zh().to_owned(),
                        status_zh(p.row.status).to_owned(),
                        p.row.last_error.clone().unwrap_or_default(),
                        local(p.row.updated_at.millis(), tz),
                    ]
                })
                .collect(),
        ),
        _ => csv(
            &["编号", "事项", "负责人", "截止", "状态", "逾期天数", "进展"],
            r.tasks
                .iter()
                .map(|t| {
                    vec![
                        t.item.id.to_string(),
                        t.item.title.clone(),
                        t.owner.clone(),
                        t.item.due_on.to_string(),
                        t.item.status.label_zh().to_owned(),
                        t.overdue_days.to_string(),
                        t.progress
                            .iter()
                            .map(|(who, text, at)| format!("{} {who}：{text}", local(*at, tz)))
                            .collect::<Vec<_>>()
                            .join("\n"),
                    ]
                })
                .collect(),
        ),
    };
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"meeting-{id}-{kind}.csv\""),
        ))
        .body(body))
}
