//! One meeting in the console: its details and warnings, what may be done with it now
//! (publish, cancel with a reason, publish the minutes), a live view while it runs
//! (attendance, the agenda item and its time, the minutes as written), and the attendance
//! report as CSV.

use super::frame::{self, see_other};
use super::{Console, CsrfForm, Signed, Staff};
use crate::db::checklist::ChecklistRow;
use crate::db::meetings::MeetingRecord;
use crate::db::minutes::EntryRow;
use crate::db::{materials, minutes as entries, people, DbConn};
use crate::meetings::audit_action::Audit;
use crate::meetings::display;
use crate::meetings::lifecycle::Action;
use crate::meetings::minutes::may_write;
use crate::meetings::notice_kind::NoticeKind;
use crate::meetings::participation::{Attendance, Role};
use crate::meetings::permissions::Duty;
use crate::meetings::window::Window;
use crate::meetings::ChecklistItemId;
use crate::meetings::MeetingId;
use crate::meetings::{EntryId, PersonId};
use crate::ops::reports::{AttendanceReport, PersonAttendance};
use crate::ops::{self, lifecycle, preparation, reading, reports, Env, OpsError};
use crate::web::pages::error::PageError;
use crate::web::pages::meeting::answer_zh;
use crate::web::pages::Pages;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono_tz::Tz;
use maud::{html, Markup};
use serde::Deserialize;
use std::collections::HashMap;

/// What the meeting's console page shows.
pub(super) struct View {
    pub(super) staff: Staff,
    pub(super) record: MeetingRecord,
    pub(super) warnings: Vec<String>,
    pub(super) names: HashMap<PersonId, String>,
    pub(super) materials: Vec<(String, String)>,
    pub(super) attendance: AttendanceReport,
    pub(super) minutes: Vec<EntryRow>,
    /// Whether the reader may publish the minutes (recorders and hosts; admins).
    records: bool,
    /// The preparation checklist, with each owner's name.
    checklist: Vec<(ChecklistRow, String)>,
    /// Once announced: how many were sent the invitation, and who could not be (name, why).
    invited: Option<(usize, Vec<(String, String)>)>,
    /// The series this meeting is a date of, as its pattern.
    series: Option<String>,
}

pub(super) fn meeting_id(raw: i64) -> Result<MeetingId, PageError> {
    MeetingId::new(raw).map_err(|_| PageError::NotFound)
}

pub(super) fn load(
    c: &mut DbConn,
    env: &Env,
    signed: Signed,
    id: MeetingId,
) -> Result<View, OpsError> {
    let staff = Staff::of(c, &signed)?;
    let record = reading::managed(c, env, staff.actor, id, Audit::ConsoleRead)?;
    let warnings = preparation::room_warnings(c, &record)?
        .iter()
        .map(|w| w.zh())
        .collect();
    let ids: Vec<PersonId> = record
        .roles
        .iter()
        .map(|(p, _)| *p)
        .chain(record.agenda.iter().filter_map(|a| a.presenter_id))
        .collect();
    let names: HashMap<PersonId, String> = people::by_ids(c, &ids)?
        .into_iter()
        .map(|(id, p)| (id, p.name))
        .collect();
    let mut warnings: Vec<String> = warnings;
    for away in preparation::presenters_away(c, &record)? {
        let name = names.get(&away.presenter).map_or("", String::as_str);
        warnings.push(format!(
            "第 {} 项「{}」的报告人 {name} 已请假（{}），没有委托他人：请另找报告人或调整议程",
            away.position, away.title, away.reason
        ));
    }
    let materials = materials::list(c, id)?
        .into_iter()
        .map(|m| (m.title, m.url))
        .collect();
    let attendance = reports::attendance(c, env, staff.actor, id)?;
    let invited = if record.meeting.status.announced() {
        let invitations: Vec<_> = crate::db::outbox::for_meeting(c, id)?
            .into_iter()
            .filter(|r| {
                matches!(
                    r.kind,
                    NoticeKind::Invitation | NoticeKind::SeriesInvitation
                )
            })
            .collect();
        let (missed, sent): (Vec<_>, Vec<_>) = invitations
            .into_iter()
            .partition(|r| r.status == crate::db::outbox::OutboxStatus::Unreachable);
        let who: Vec<PersonId> = missed.iter().filter_map(|r| r.person_id).collect();
        let named = people::by_ids(c, &who)?;
        let missed = missed
            .iter()
            .map(|r| {
                let name = r
                    .person_id
                    .and_then(|p| named.get(&p))
                    .map(|p| p.name.clone())
                    .unwrap_or_default();
                let why = super::reports::unreachable_zh(r.last_error.as_deref().unwrap_or(""));
                (name, why.to_owned())
            })
            .collect();
        Some((sent.len(), missed))
    } else {
        None
    };
    let minutes = entries::list(c, id)?;
    let items = crate::db::checklist::for_meeting(c, id)?;
    let owners = people::by_ids(c, &items.iter().map(|i| i.owner_id).collect::<Vec<_>>())?;
    let checklist = items
        .into_iter()
        .map(|i| {
            let name = owners
                .get(&i.owner_id)
                .map(|p| p.name.clone())
                .unwrap_or_default();
            (i, name)
        })
        .collect();
    let records = staff.actor.carries(Duty::Record, &record);
    Ok(View {
        staff,
        record,
        warnings,
        names,
        materials,
        attendance,
        minutes,
        records,
        checklist,
        invited,
        series: ops::series::of_meeting(c, id)?.map(|(s, _)| ops::series::pattern(&s)),
    })
}

/// Where someone stands on the day, in words (the late with their minutes).
pub(super) fn standing_zh(p: &PersonAttendance) -> String {
    match p.attendance {
        Attendance::OnTime => "出席".into(),
        Attendance::Late => format!("迟到 {} 分钟", p.minutes_late.unwrap_or_default()),
        Attendance::Absent => "缺席".into(),
        Attendance::Expected => "未到".into(),
        Attendance::Declined => "请假".into(),
    }
}

pub(super) fn attendance_table(r: &AttendanceReport, tz: Tz) -> Markup {
    html! {
        p.row #attendance-counts {
            span.badge { "邀请 " (r.tally.invited) }
            span.badge { "确认 " (r.tally.accepted) }
            span.badge #count-present { "出席 " (r.tally.present) }
            span.badge.late #count-late { "迟到 " (r.tally.late) }
            span.badge.late #count-absent { "缺席 " (r.tally.absent) }
            span.badge #count-excused { "请假 " (r.tally.excused) }
            @if r.tally.expected > 0 { span.badge { "未到 " (r.tally.expected) } }
            span.badge { "未回复 " (r.tally.pending) }
        }
        table #attendance {
            thead { tr { th { "姓名" } th { "工号" } th { "部门" } th { "回复" } th { "签到" } th { "出席" } } }
            tbody {
                @for p in &r.people {
                    tr {
                        td { (p.name) } td { (p.employee_no) } td { (p.department) }
                        td { (answer_zh(&p.rsvp)) }
                        td { @if let Some(at) = p.checked_in_at { (display::clock(at, tz)) } }
                        td { (standing_zh(p)) }
                    }
                }
            }
        }
    }
}

/// The minutes as written; those who record may correct an entry until they are published.
pub(super) fn minutes_list(v: &View, tz: Tz, csrf: Option<&str>) -> Markup {
    let id = v.record.meeting.id;
    let editable = v.records && may_write(v.record.meeting.status).is_ok();
    html! {
        @if v.minutes.is_empty() { p.muted { "还没有记录。" } }
        ol #minutes {
            @for e in &v.minutes {
                li {
                    @if e.kind == crate::meetings::minutes::EntryKind::Decision { span.badge { "决议" } " " }
                    (e.body)
                    span.muted { " · " (v.names.get(&e.author_id).map(String::as_str).unwrap_or("")) " " (display::clock(e.created_at, tz)) }
                    @if let (true, Some(csrf)) = (editable, csrf) {
                        form.row method="post" action={ "/console/meetings/" (id) "/minutes/" (e.id) } {
                            input type="hidden" name="csrf" value=(csrf);
                            input type="text" name="text" value=(e.body) aria-label="修改记录" required;
                            button.plain { "保存" }
                        }
                    }
                }
            }
        }
    }
}

pub(super) fn agenda_list(v: &View, tz: Tz, now_ms: i64) -> Markup {
    html! {
        ol {
            @for a in &v.record.agenda {
                @let running = a.started_at.is_some() && a.ended_at.is_none();
                @let class = if running { Some("now") } else { a.ended_at.map(|_| "done") };
                li class=[class] {
                    (a.title) " · " (a.minutes) " 分钟"
                    @if let Some(p) = a.presenter_id { " · " (v.names.get(&p).map(String::as_str).unwrap_or("")) }
                    @if let (true, Some(s)) = (running, a.started_at) {
                        @let used = (now_ms - s.millis()) / 60_000;
                        " · 已进行 " (used) " 分钟"
                        @if used > i64::from(a.minutes) { " " span.badge.late { "超时 " (used - i64::from(a.minutes)) " 分钟" } }
                        " （" (display::clock(s, tz)) " 开始）"
                    }
                }
            }
        }
    }
}

fn render(v: &View, csrf: &str, tz: Tz, now_ms: i64) -> Markup {
    let m = &v.record.meeting;
    let id = m.id;
    let status = m.status;
    html! {
        section {
            h1 { "#" (id) " " (m.title) @if m.confidential { " " span.badge { "保密" } } }
            p { span.badge { (status.label_zh()) } " " (display::span(m.starts_at, m.ends_at, tz)) }
            @if let Some(reason) = &m.cancel_reason { p.muted { "取消原因：" (reason) } }
            @if !m.goal.is_empty() { p { "目标：" (m.goal) } }
            @if let Some(pattern) = &v.series { p #series { "例会：" (pattern) } }
            @if let Some((sent, missed)) = &v.invited {
                p #notified class=(if missed.is_empty() { "ok" } else { "warn" }) {
                    "已通知 " (sent) " 人"
                    @if !missed.is_empty() {
                        "（" (missed.len()) " 人无法送达："
                        (missed.iter().map(|(n, why)| format!("{n}（{why}）")).collect::<Vec<_>>().join("、"))
                        "）"
                    }
                }
            }
            @for w in &v.warnings { p.warn { "⚠ " (w) } }
            div.row {
                @if status.allows(Action::Publish) {
                    form method="post" action={ "/console/meetings/" (id) "/publish" } {
                        input type="hidden" name="csrf" value=(csrf);
                        button #publish { "发布并通知参会人" }
                    }
                }
                @if Window::Preparation.admits(status) {
                    a #edit href={ "/console/meetings/" (id) "/edit" } { "修改会议" }
                }
                @if Window::CheckIn.admits(status) {
                    a href={ "/console/meetings/" (id) "/live" } { "现场看板 →" }
                }
                @if Window::Publishing.admits(status) && v.records {
                    form method="post" action={ "/console/meetings/" (id) "/minutes" } {
                        input type="hidden" name="csrf" value=(csrf);
                        button #publish-minutes { "发布纪要" }
                    }
                }
                a href={ "/console/meetings/" (id) "/reports" } { "报告（出席、反馈、送达、待办）" }
                a href={ "/console/meetings/" (id) "/reports/attendance.csv" } { "下载出席表（CSV）" }
            }
            @if status.allows(Action::Cancel) {
                form.row method="post" action={ "/console/meetings/" (id) "/cancel" } {
                    input type="hidden" name="csrf" value=(csrf);
                    input type="text" name="reason" placeholder="取消原因（必填，会告知参会人）" required class="grow";
                    button.plain { "取消会议" }
                }
            }
        }
        section {
            h2 { "角色" }
            dl {
                @for role in Role::ALL {
                    @let holders = v.record.holders(&[role]);
                    @if !holders.is_empty() {
                        dt { (role.label_zh()) }
                        dd { @for p in holders { (v.names.get(&p).map(String::as_str).unwrap_or("")) " " } }
                    }
                }
            }
        }
        section #checklist {
            h2 { "筹备清单" }
            @let open = Window::Preparation.admits(status);
            @if v.checklist.is_empty() { p.muted { "发布时按角色生成：报告人「材料上传」、信息技术支持「设备调试」、会务组「会场布置」；也可在下面添加。" } }
            @else {
                table {
                    thead { tr { th { "#" } th { "事项" } th { "负责人" } th { "截止" } th { "状态" } @if open { th {} } } }
                    tbody {
                        @for (item, owner) in &v.checklist {
                            tr {
                                td { (item.id) } td { (item.title) } td { (owner) }
                                td { (display::when(item.due_at, tz)) }
                                td {
                                    @if let Some(at) = item.done_at { "已完成 " (display::clock(at, tz)) }
                                    @else if open && item.due_at.millis() < now_ms { span.badge.late { "已逾期" } }
                                    @else { "未完成" }
                                }
                                @if open {
                                    td {
                                        details {
                                            summary { "修改" }
                                            form method="post" action={ "/console/checklist/" (item.id) } {
                                                input type="hidden" name="csrf" value=(csrf);
                                                input type="text" name="title" value=(item.title) aria-label="事项" required;
                                                input type="text" name="owner" value=(owner) aria-label="负责人" required;
                                                @let due = display::local(item.due_at, tz);
                                                input type="date" name="date" value=(due.map(|t| t.date_naive().to_string()).unwrap_or_default()) aria-label="截止日期" required;
                                                input type="time" name="time" value=(due.map(|t| t.format("%H:%M").to_string()).unwrap_or_default()) aria-label="截止时间" required;
                                                button { "保存" }
                                            }
                                        }
                                        form method="post" action={ "/console/checklist/" (item.id) "/remove" } {
                                            input type="hidden" name="csrf" value=(csrf);
                                            button.plain { "删除" }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @if open {
                form.row method="post" action={ "/console/meetings/" (id) "/checklist" } {
                    input type="hidden" name="csrf" value=(csrf);
                    input type="text" name="title" placeholder="事项，如：茶歇准备" aria-label="事项" required;
                    input type="text" name="owner" placeholder="负责人工号或姓名" aria-label="负责人" required;
                    input type="date" name="date" aria-label="截止日期" required;
                    input type="time" name="time" aria-label="截止时间" required;
                    button { "添加" }
                }
            }
        }
        section { h2 { "议程" } (agenda_list(v, tz, now_ms)) }
        @if !v.materials.is_empty() {
            section {
                h2 { "材料" }
                ul { @for (title, url) in &v.materials { li { a href=(url) rel="noopener" { (title) } } } }
            }
        }
        section { h2 { "出席" } (attendance_table(&v.attendance, tz)) }
        section { h2 { "纪要" } (minutes_list(v, tz, Some(csrf))) }
    }
}

/// `GET /console/meetings/{id}`.
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
    let now = env.now_ms();
    let view = ops::run(&db, move |c| load(c, &env, signed, id)).await?;
    let csrf = signed.csrf(&pages.key);
    let title = format!("#{} {}", view.record.meeting.id, view.record.meeting.title);
    let body = render(&view, &csrf, pages.notices.tz, now);
    Ok(frame::page(&title, &view.staff, &csrf, None, body))
}

#[derive(Deserialize)]
pub struct CancelForm {
    csrf: String,
    #[serde(default)]
    reason: String,
}

/// Runs one step on the meeting as the signed-in staff member, then shows the meeting.
async fn step<F>(
    pages: &Pages,
    db: &crate::db::Db,
    signed: Signed,
    id: i64,
    op: F,
) -> Result<HttpResponse, PageError>
where
    F: FnOnce(&mut DbConn, &Env, ops::Actor, MeetingId) -> Result<(), OpsError> + Send + 'static,
{
    let id = meeting_id(id)?;
    let env = pages.env();
    ops::run(db, move |c| {
        let staff = Staff::of(c, &signed)?;
        // Someone else's confidential meeting reads as unknown here too.
        reading::managed(c, &env, staff.actor, id, Audit::ConsoleRead)?;
        op(c, &env, staff.actor, id)
    })
    .await?;
    Ok(see_other(&format!("/console/meetings/{id}")))
}

/// `POST /console/meetings/{id}/publish`: the invited are told.
pub async fn publish(
    console: Console,
    pages: web::Data<Pages>,
    db: web::Data<crate::db::Db>,
    id: web::Path<i64>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, PageError> {
    let signed = console.posting(&pages, &db, &form.csrf).await?;
    step(&pages, &db, signed, id.into_inner(), |c, env, actor, id| {
        lifecycle::publish(c, env, actor, id).map(drop)
    })
    .await
}

/// `POST /console/meetings/{id}/cancel`: with a reason the invited are told.
pub async fn cancel(
    console: Console,
    pages: web::Data<Pages>,
    db: web::Data<crate::db::Db>,
    id: web::Path<i64>,
    form: web::Form<CancelForm>,
) -> Result<HttpResponse, PageError> {
    let signed = console.posting(&pages, &db, &form.csrf).await?;
    let reason = form.into_inner().reason;
    step(
        &pages,
        &db,
        signed,
        id.into_inner(),
        move |c, env, actor, id| lifecycle::cancel(c, env, actor, id, &reason).map(drop),
    )
    .await
}

/// `POST /console/meetings/{id}/minutes`: publishes the minutes (the meeting is closed).
pub async fn publish_minutes(
    console: Console,
    pages: web::Data<Pages>,
    db: web::Data<crate::db::Db>,
    id: web::Path<i64>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, PageError> {
    let signed = console.posting(&pages, &db, &form.csrf).await?;
    step(&pages, &db, signed, id.into_inner(), |c, env, actor, id| {
        lifecycle::close(c, env, actor, id).map(drop)
    })
    .await
}

#[derive(Deserialize)]
pub struct EntryForm {
    csrf: String,
    #[serde(default)]
    text: String,
}

/// `POST /console/meetings/{id}/minutes/{entry}`: corrects an entry before publishing.
pub async fn edit_entry(
    console: Console,
    pages: web::Data<Pages>,
    db: web::Data<crate::db::Db>,
    path: web::Path<(i64, EntryId)>,
    form: web::Form<EntryForm>,
) -> Result<HttpResponse, PageError> {
    let signed = console.posting(&pages, &db, &form.csrf).await?;
    let (id, entry) = path.into_inner();
    let text = form.into_inner().text.trim().to_owned();
    if text.is_empty() {
        return Err(PageError::BadInput("记录内容不能为空。".into()));
    }
    step(&pages, &db, signed, id, move |c, env, actor, id| {
        ops::minutes::edit(c, env, actor, id, entry, None, &text)
    })
    .await
}

#[derive(Deserialize)]
pub struct ItemForm {
    csrf: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    owner: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    time: String,
}

/// The due time a checklist form names, in the configured time zone.
fn local_due(tz: Tz, date: &str, time: &str) -> Result<chrono::DateTime<chrono::Utc>, PageError> {
    use chrono::TimeZone;
    chrono::NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d")
        .ok()
        .zip(chrono::NaiveTime::parse_from_str(time.trim(), "%H:%M").ok())
        .and_then(|(d, t)| tz.from_local_datetime(&d.and_time(t)).earliest())
        .map(|t| t.with_timezone(&chrono::Utc))
        .ok_or_else(|| PageError::BadInput("请填写截止日期和时间。".into()))
}

/// The person a form names: an employee number, or a name only one active person has.
fn named(c: &mut DbConn, said: &str) -> Result<PersonId, OpsError> {
    super::editor::person(c, said)?
        .map(|p| p.id)
        .map_err(|message| {
            OpsError::Invalid(vec![crate::meetings::directory::FieldError {
                field: "owner_id",
                message,
            }])
        })
}

/// `POST /console/meetings/{id}/checklist`: an item added by someone who prepares the meeting.
pub async fn add_item(
    console: Console,
    pages: web::Data<Pages>,
    db: web::Data<crate::db::Db>,
    id: web::Path<i64>,
    form: web::Form<ItemForm>,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    let signed = console.posting(&pages, &db, &form.csrf).await?;
    let due = local_due(pages.notices.tz, &form.date, &form.time)?;
    let owner = form.owner.trim().to_owned();
    step(
        &pages,
        &db,
        signed,
        id.into_inner(),
        move |c, env, actor, id| {
            let owner = named(c, &owner)?;
            ops::checklist::add(c, env, actor, id, &form.title, owner, due).map(drop)
        },
    )
    .await
}

/// `POST /console/checklist/{item}`: its title, owner or due time changed.
pub async fn change_item(
    console: Console,
    pages: web::Data<Pages>,
    db: web::Data<crate::db::Db>,
    item: web::Path<ChecklistItemId>,
    form: web::Form<ItemForm>,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    let signed = console.posting(&pages, &db, &form.csrf).await?;
    let due = local_due(pages.notices.tz, &form.date, &form.time)?;
    let item = item.into_inner();
    let env = pages.env();
    let owner = form.owner.trim().to_owned();
    let meeting = signed
        .act(&db, move |c, actor| {
            let owner = named(c, &owner)?;
            let row = ops::checklist::change(
                c,
                &env,
                actor,
                item,
                Some(&form.title),
                Some(owner),
                Some(due),
            )?;
            Ok(row.meeting_id)
        })
        .await?;
    Ok(see_other(&format!("/console/meetings/{meeting}")))
}

/// `POST /console/checklist/{item}/remove`.
pub async fn remove_item(
    console: Console,
    pages: web::Data<Pages>,
    db: web::Data<crate::db::Db>,
    item: web::Path<ChecklistItemId>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, PageError> {
    let signed = console.posting(&pages, &db, &form.csrf).await?;
    let item = item.into_inner();
    let env = pages.env();
    let meeting = signed
        .act(&db, move |c, actor| {
            let row =
                crate::db::checklist::get(c, item)?.ok_or(OpsError::ChecklistNotFound(item))?;
            ops::checklist::remove(c, &env, actor, item)?;
            Ok(row.meeting_id)
        })
        .await?;
    Ok(see_other(&format!("/console/meetings/{meeting}")))
}
