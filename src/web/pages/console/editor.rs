//! The "new meeting" form: local date and times in the configured time zone, a room picker
//! showing each room's capacity, equipment and bookings that day, people named by employee
//! number or name (a list of everyone helps the browser suggest), all eleven roles, an agenda
//! whose time boxes are summed against the meeting's length, materials. Saved as a draft or
//! published at once; a refused form comes back filled in, with what to fix.

use super::frame::{self, see_other};
use super::{Console, Staff};
use crate::db::meetings as store;
use crate::db::meetings::MeetingRecord;
use crate::db::people::{self, Person};
use crate::db::rooms::{self, Room};
use crate::db::DbConn;
use crate::meetings::audit_action::Audit;
use crate::meetings::directory::FieldError;
use crate::meetings::display;
use crate::meetings::draft::{AgendaFields, MeetingDraft, MeetingFields, RoleFields};
use crate::meetings::participation::Role;
use crate::meetings::DomainError;
use crate::meetings::{text, MeetingId};
use crate::meetings::{PersonId, RoomId};
use crate::ops::{self, lifecycle, preparation, reading, revision, OpsError};
use crate::web::pages::error::{refusal_zh, PageError};
use crate::web::pages::Pages;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{NaiveDate, NaiveTime, TimeZone};
use chrono_tz::Tz;
use maud::{html, Markup};

/// Empty rows the form offers beyond those in use.
const AGENDA_ROWS: usize = 8;
const MATERIAL_ROWS: usize = 3;
/// No meeting has more agenda items or materials than this on one form.
const MAX_ROWS: usize = 100;

/// The form as posted: every field as typed, so a refused form is shown again unchanged.
#[derive(Debug, Clone, Default)]
pub struct MeetingForm {
    title: String,
    goal: String,
    date: String,
    start: String,
    end: String,
    room_id: String,
    place: String,
    online_link: String,
    equipment: String,
    confidential: bool,
    text_checkin: bool,
    prep_meeting: bool,
    briefing: String,
    /// People per role, as typed (employee numbers or names, separated by commas or spaces).
    roles: Vec<(Role, String)>,
    /// Title, presenter, minutes.
    agenda: Vec<(String, String, String)>,
    /// Title, link.
    materials: Vec<(String, String)>,
    publish: bool,
    /// A new meeting that repeats: `weekly`, `biweekly` or `monthly` (empty: once), until a
    /// date or for a number of times.
    repeat: String,
    repeat_until: String,
    repeat_count: String,
    csrf: String,
    /// The meeting's version when an edit form was opened.
    version: String,
}

impl MeetingForm {
    fn from_pairs(pairs: Vec<(String, String)>) -> MeetingForm {
        let mut f = MeetingForm {
            roles: Role::ALL.iter().map(|r| (*r, String::new())).collect(),
            agenda: vec![Default::default(); AGENDA_ROWS],
            materials: vec![Default::default(); MATERIAL_ROWS],
            ..Default::default()
        };
        for (key, value) in pairs {
            let indexed = |prefix: &str| {
                key.strip_prefix(prefix)
                    .and_then(|i| i.parse::<usize>().ok())
                    .filter(|i| *i < MAX_ROWS)
            };
            match key.as_str() {
                "title" => f.title = value,
                "goal" => f.goal = value,
                "date" => f.date = value,
                "start" => f.start = value,
                "end" => f.end = value,
                "room_id" => f.room_id = value,
                "place" => f.place = value,
                "online_link" => f.online_link = value,
                "equipment" => f.equipment = value,
                "confidential" => f.confidential = true,
                "text_checkin" => f.text_checkin = true,
                "prep_meeting" => f.prep_meeting = true,
                "briefing" => f.briefing = value,
                "action" => f.publish = value == "publish",
                "repeat" => f.repeat = value,
                "repeat_until" => f.repeat_until = value,
                "repeat_count" => f.repeat_count = value,
                "csrf" => f.csrf = value,
                "version" => f.version = value,
                _ => {
                    if let Some(role) = key.strip_prefix("role_").and_then(Role::parse) {
                        if let Some(slot) = f.roles.iter_mut().find(|(r, _)| *r == role) {
                            slot.1 = value;
                        }
                    } else if let Some(i) = indexed("agenda_title_") {
                        row(&mut f.agenda, i).0 = value;
                    } else if let Some(i) = indexed("agenda_presenter_") {
                        row(&mut f.agenda, i).1 = value;
                    } else if let Some(i) = indexed("agenda_minutes_") {
                        row(&mut f.agenda, i).2 = value;
                    } else if let Some(i) = indexed("material_title_") {
                        row(&mut f.materials, i).0 = value;
                    } else if let Some(i) = indexed("material_url_") {
                        row(&mut f.materials, i).1 = value;
                    }
                }
            }
        }
        f
    }

    fn blank(date: NaiveDate) -> MeetingForm {
        let mut f = MeetingForm::from_pairs(Vec::new());
        f.date = date.to_string();
        f.start = "09:00".into();
        f.end = "10:00".into();
        f
    }
}

/// Row `i` of a growing list of rows.
fn row<T: Default>(rows: &mut Vec<T>, i: usize) -> &mut T {
    if rows.len() <= i {
        rows.resize_with(i + 1, T::default);
    }
    &mut rows[i]
}

fn err(field: &'static str, message: impl Into<String>) -> FieldError {
    FieldError {
        field,
        message: message.into(),
    }
}

/// What a field is called on the form.
fn label(field: &str) -> &'static str {
    match field {
        "title" => "会议主题",
        "goal" => "会议目标",
        "starts_at" | "date" | "start" => "开始时间",
        "ends_at" | "end" => "结束时间",
        "room_id" => "会议室 / 地点",
        "online_link" => "线上会议链接",
        "agenda" => "议程",
        "roles" => "角色",
        "materials" => "材料",
        "equipment_needs" => "所需设备",
        "start_time" | "duration_minutes" => "时间",
        f if f.starts_with("recurrence") || f == "repeat" => "重复",
        _ => "表单",
    }
}

/// A refusal of the meeting's or the series' rules in words (their messages are English, for
/// the API); ours, already Chinese, pass through.
fn message_zh(message: &str) -> String {
    if !message.is_ascii() {
        return message.to_owned();
    }
    let numbers: Vec<&str> = message
        .split(|c: char| !c.is_ascii_digit())
        .filter(|n| !n.is_empty())
        .collect();
    let said = match message {
        "is required" => "必填",
        "a room, a place or an online link is required" => "请选择会议室，或填写地点或线上会议链接",
        "every item needs a title" => "每项议程都要有议题",
        "must be 1 to 200 characters on one line, not all blank" => "1 到 200 个字，不能换行",
        "must not contain line breaks or control characters"
        | "an item's title must not contain line breaks or control characters" => {
            "不能换行或含控制字符"
        }
        "give either until (a last date) or count (how many times)" => "结束日期和次数只填一个",
        "is before starts_on" => "早于第一次的日期",
        "the rule yields no date between its start and its end" => "按这个规则，结束前没有任何一次",
        "the meeting must end after it starts" => "结束时间要晚于开始时间",
        "a meeting needs a host" => "请填写主持人",
        m if m.starts_with("agenda item") && m.contains("no time box") && !numbers.is_empty() => {
            return format!("第 {} 项的时长至少 1 分钟", numbers[0])
        }
        m if m.starts_with("the agenda needs") && numbers.len() == 2 => {
            return format!(
                "议程共 {} 分钟，超过会议时长 {} 分钟",
                numbers[0], numbers[1]
            )
        }
        m if m.starts_with("the rule yields more than") && !numbers.is_empty() => {
            return format!("重复超过 {} 次，请缩短", numbers[0])
        }
        m if m.starts_with("must be from") && numbers.len() == 2 => {
            return format!("须在 {} 到 {} 之间", numbers[0], numbers[1])
        }
        m if m.starts_with("must be an http") => "须以 http:// 或 https:// 开头",
        other => return format!("填写有误（{other}）"),
    };
    said.to_owned()
}

/// How the form shows a person, and what the browser suggests: 姓名（工号）, read back as the
/// employee number, so two people of one name stay apart.
pub(super) fn shown(p: &Person) -> String {
    format!("{}（{}）", p.name, p.employee_no)
}

/// The employee number in "姓名（工号）" (or "姓名(工号)"), else what was typed.
fn said_number(said: &str) -> &str {
    let said = said.trim();
    let Some(inner) = said.strip_suffix('）').or_else(|| said.strip_suffix(')')) else {
        return said;
    };
    match inner.rfind(['（', '(']) {
        Some(open) => {
            let number = &inner[open..];
            number.trim_start_matches(['（', '(']).trim()
        }
        None => said,
    }
}

/// One person named on the form: 姓名（工号）, an employee number, or a name only one active
/// person has.
pub(super) fn person(c: &mut DbConn, said: &str) -> Result<Result<Person, String>, OpsError> {
    match ops::directory::find_person(c, said_number(said)) {
        Ok(p) => Ok(Ok(p)),
        Err(e @ (OpsError::PersonUnknown { .. } | OpsError::PersonAmbiguous(_))) => {
            Ok(Err(crate::web::pages::error::refusal_zh(&e)))
        }
        Err(e) => Err(e),
    }
}

pub(super) fn names(raw: &str) -> impl Iterator<Item = &str> {
    raw.split(|ch: char| ch == ',' || ch == '，' || ch == '、' || ch == ';' || ch.is_whitespace())
        .filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::{names, said_number};

    #[test]
    fn people_are_read_back_from_how_the_form_shows_them() {
        assert_eq!(said_number("王主持（E1002）"), "E1002");
        assert_eq!(said_number("王主持(E1002)"), "E1002");
        assert_eq!(said_number(" E1002 "), "E1002");
        assert_eq!(said_number("王主持"), "王主持");
        assert_eq!(said_number("（）"), "");
        let list: Vec<&str> = names("王主持（E1）, 李参会（E2）、E3")
            .map(said_number)
            .collect();
        assert_eq!(list, ["E1", "E2", "E3"]);
    }
}

/// The local date and time on the form as an instant, or why not (a time that a daylight
/// saving change skips does not exist).
fn instant(date: &str, time: &str, tz: Tz) -> Result<String, String> {
    let day =
        NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d").map_err(|_| "请选择日期".to_owned())?;
    let at = NaiveTime::parse_from_str(time.trim(), "%H:%M")
        .map_err(|_| "请填写时间，例如 09:30".to_owned())?;
    tz.from_local_datetime(&day.and_time(at))
        .earliest()
        .map(|t| t.to_rfc3339())
        .ok_or_else(|| format!("{date} {time} 因夏令时调整不存在，请换一个时间"))
}

/// A meeting's fields and its materials (title, link).
type Parsed = (MeetingFields, Vec<(String, String)>);

/// The form as the fields a draft is parsed from, people and rooms looked up.
fn fields(
    c: &mut DbConn,
    f: &MeetingForm,
    tz: Tz,
) -> Result<Result<Parsed, Vec<FieldError>>, OpsError> {
    let mut errors = Vec::new();
    let starts_at = instant(&f.date, &f.start, tz)
        .map_err(|e| errors.push(err("starts_at", e)))
        .ok();
    let ends_at = instant(&f.date, &f.end, tz)
        .map_err(|e| errors.push(err("ends_at", e)))
        .ok();
    let room_id = match f.room_id.trim() {
        "" => None,
        raw => match raw
            .parse::<RoomId>()
            .ok()
            .map(|id| rooms::get(c, id))
            .transpose()?
        {
            Some(Some(room)) if room.active => Some(room.id),
            _ => {
                errors.push(err("room_id", "这个会议室不存在或已停用"));
                None
            }
        },
    };
    let mut roles = Vec::new();
    for (role, said) in &f.roles {
        for one in names(said) {
            match person(c, one)? {
                Ok(p) => roles.push(RoleFields {
                    person_id: p.id.get(),
                    role: *role,
                }),
                Err(e) => errors.push(err("roles", format!("{}：{e}", role.label_zh()))),
            }
        }
    }
    if !roles.iter().any(|r| r.role == Role::Host) {
        errors.push(err("roles", "请填写主持人"));
    }
    let mut agenda = Vec::new();
    for (i, (title, presenter, minutes)) in f.agenda.iter().enumerate() {
        if title.trim().is_empty() && presenter.trim().is_empty() && minutes.trim().is_empty() {
            continue;
        }
        let row = i + 1;
        let presenter_id = match presenter.trim() {
            "" => None,
            said => match person(c, said)? {
                Ok(p) => Some(p.id),
                Err(e) => {
                    errors.push(err("agenda", format!("第 {row} 项的报告人：{e}")));
                    None
                }
            },
        };
        // The number is the form's to read; whether it fits the meeting is the agenda's rule.
        let minutes = match minutes.trim().parse::<u32>() {
            Ok(m) => m,
            Err(_) => {
                errors.push(err("agenda", format!("第 {row} 项的时长请填分钟数")));
                0
            }
        };
        agenda.push(AgendaFields {
            title: title.clone(),
            presenter_id: presenter_id.map(PersonId::get),
            minutes,
        });
    }
    let mut materials = Vec::new();
    for (title, url) in &f.materials {
        if title.trim().is_empty() && url.trim().is_empty() {
            continue;
        }
        if !text::is_bounded(title, 200) || !text::is_web_link(url.trim()) {
            errors.push(err(
                "materials",
                "每份材料要有标题（200 字以内）和以 http:// 或 https:// 开头的链接",
            ));
            continue;
        }
        materials.push((title.trim().to_owned(), url.trim().to_owned()));
    }
    let equipment_needs: Vec<String> = f
        .equipment
        .split([',', '，', '、'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    Ok(Ok((
        MeetingFields {
            title: Some(f.title.clone()),
            goal: Some(f.goal.clone()),
            starts_at,
            ends_at,
            room_id: room_id.map(RoomId::get),
            place: Some(f.place.clone()),
            online_link: Some(f.online_link.trim().to_owned()).filter(|l| !l.is_empty()),
            confidential: Some(f.confidential),
            text_checkin: Some(f.text_checkin),
            prep_meeting: Some(f.prep_meeting),
            briefing: Some(f.briefing.clone()),
            equipment_needs: Some(equipment_needs),
            agenda,
            roles,
        },
        materials,
    )))
}

/// What the form's pickers offer: active rooms with their bookings on the form's day, and
/// active people.
struct Choices {
    rooms: Vec<(Room, Vec<(i64, i64)>)>,
    people: Vec<Person>,
}

fn choices(c: &mut DbConn, day: Option<NaiveDate>, tz: Tz) -> Result<Choices, OpsError> {
    let mut list = Vec::new();
    for room in rooms::list(c, Some(true))? {
        let booked = store::room_bookings(c, room.id)?
            .into_iter()
            .filter(|b| {
                day.is_some_and(|d| {
                    display::local(b.span.start().timestamp_millis(), tz)
                        .is_some_and(|t| t.date_naive() == d)
                })
            })
            .map(|b| {
                (
                    b.span.start().timestamp_millis(),
                    b.span.end().timestamp_millis(),
                )
            })
            .collect();
        list.push((room, booked));
    }
    Ok(Choices {
        rooms: list,
        people: people::list(c, Some(true))?,
    })
}

/// A room's bookings on the form's day, in words.
fn busy_text(booked: &[(i64, i64)], tz: Tz) -> String {
    if booked.is_empty() {
        return "全天空闲".to_owned();
    }
    booked
        .iter()
        .map(|(s, e)| format!("{}–{}", display::clock(*s, tz), display::clock(*e, tz)))
        .collect::<Vec<_>>()
        .join(" ")
}

#[derive(serde::Deserialize)]
pub struct BusyQuery {
    date: String,
}

/// `GET /console/rooms/busy?date=YYYY-MM-DD`: each active room's bookings that day, for the
/// form's room picker when the date changes (`{"<room id>": "09:00–10:00 …"}`).
pub async fn busy(
    req: HttpRequest,
    console: Console,
    pages: web::Data<Pages>,
    db: web::Data<crate::db::Db>,
    query: web::Query<BusyQuery>,
) -> Result<HttpResponse, PageError> {
    let signed = console.entered(&req, &pages, &db).await?;
    let day = NaiveDate::parse_from_str(query.date.trim(), "%Y-%m-%d")
        .map_err(|_| PageError::BadInput("日期应写作 2026-12-01。".into()))?;
    let tz = pages.notices.tz;
    let rooms = ops::run(&db, move |c| {
        Staff::of(c, &signed)?;
        Ok(choices(c, Some(day), tz)?.rooms)
    })
    .await?;
    let busy: serde_json::Map<String, serde_json::Value> = rooms
        .iter()
        .map(|(room, booked)| (room.id.to_string(), busy_text(booked, tz).into()))
        .collect();
    Ok(HttpResponse::Ok().json(busy))
}

fn render(
    target: Target,
    form: &MeetingForm,
    errors: &[FieldError],
    choices: &Choices,
    csrf: &str,
    tz: Tz,
) -> Markup {
    let selected_room: Option<i64> = form.room_id.trim().parse().ok();
    html! {
        section {
            @match target {
                Target::New => h1 { "新建会议" },
                Target::Edit(id) => {
                    h1 { "修改会议 #" (id) }
                    p.muted { "发布后修改，参会人会收到变更通知；新加入的人收到邀请，被移出的人收到告知。" }
                }
            }
            @if !errors.is_empty() {
                div.error role="alert" {
                    "请修改后再保存："
                    ul { @for e in errors { li { (label(e.field)) "：" (message_zh(&e.message)) } } }
                }
            }
            @let action = match target {
                Target::New => "/console/meetings".to_owned(),
                Target::Edit(id) => format!("/console/meetings/{id}"),
            };
            form #meeting-form method="post" action=(action) {
                input type="hidden" name="csrf" value=(csrf);
                input type="hidden" name="version" value=(form.version);
                div.grid {
                    div { label for="title" { "会议主题" } input #title type="text" name="title" value=(form.title) required maxlength="200"; }
                    div { label for="goal" { "会议目标" } input #goal type="text" name="goal" value=(form.goal); }
                    div { label for="date" { "日期（" (tz.name()) "）" } input #date type="date" name="date" value=(form.date) required; }
                    div.row {
                        div { label for="start" { "开始" } input #start type="time" name="start" value=(form.start) required; }
                        div { label for="end" { "结束" } input #end type="time" name="end" value=(form.end) required; }
                    }
                }
                h2 { "会议室" }
                table #rooms {
                    thead { tr { th {} th { "会议室" } th { "容纳" } th { "设备" } th { "当日已占用" } } }
                    tbody {
                        tr {
                            td { input type="radio" name="room_id" value="" checked[selected_room.is_none()] aria-label="不用会议室"; }
                            td { "不用会议室（填写地点或线上链接）" } td {} td {} td {}
                        }
                        @for (room, booked) in &choices.rooms {
                            tr {
                                td { input type="radio" name="room_id" value=(room.id) checked[selected_room == Some(room.id.get())] aria-label=(room.name)
                                     data-capacity=(room.capacity) data-equipment=(room.equipment_list().join("\n")); }
                                td { (room.name) @if !room.location.is_empty() { span.muted { " " (room.location) } } }
                                td { (room.capacity) " 人" }
                                td { (room.equipment_list().join("、")) }
                                td.busy data-room=(room.id) { (busy_text(booked, tz)) }
                            }
                        }
                    }
                }
                div #room-warnings {}
                div.grid {
                    div { label for="place" { "其他地点" } input #place type="text" name="place" value=(form.place); }
                    div { label for="online_link" { "线上会议链接" } input #online_link type="text" name="online_link" value=(form.online_link) placeholder="https://"; }
                    div { label for="equipment" { "所需设备（逗号分隔）" } input #equipment type="text" name="equipment" value=(form.equipment) placeholder="投影仪，视频会议"; }
                }
                p.row {
                    label { input type="checkbox" name="confidential" checked[form.confidential]; " 保密会议" }
                    label { input type="checkbox" name="text_checkin" checked[form.text_checkin]; " 允许文字签到" }
                    label { input type="checkbox" name="prep_meeting" checked[form.prep_meeting]; " 需要会前准备会（列入主持人的筹备清单）" }
                }
                h2 { "人员与角色" }
                p.muted { "输入姓名或工号，从提示中选择（显示为 姓名（工号）），多人用逗号分隔。" }
                datalist #people {
                    @for p in &choices.people {
                        option value=(shown(p)) { (p.department) }
                    }
                }
                div.grid {
                    @for (role, said) in &form.roles {
                        div {
                            label for={ "role_" (role.as_str()) } { (role.label_zh()) @if *role == Role::Host { "（必填）" } }
                            input.role id={ "role_" (role.as_str()) } type="text" name={ "role_" (role.as_str()) } value=(said) list="people" data-invited=[role.participates().then_some("1")];
                        }
                    }
                }
                h2 { "议程" }
                table #agenda {
                    thead { tr { th { "#" } th { "议题" } th { "报告人" } th { "分钟" } th {} } }
                    tbody {
                        @for (i, (title, presenter, minutes)) in form.agenda.iter().enumerate() {
                            tr.agenda-row {
                                td.n { (i + 1) }
                                td { input type="text" name={ "agenda_title_" (i) } value=(title) aria-label="议题"; }
                                td { input type="text" name={ "agenda_presenter_" (i) } value=(presenter) list="people" aria-label="报告人"; }
                                td { input.minutes type="number" min="1" max="1440" name={ "agenda_minutes_" (i) } value=(minutes) aria-label="分钟"; }
                                td { button.plain.remove-row type="button" hidden aria-label="删除这一项" { "删除" } }
                            }
                        }
                    }
                }
                button.plain #add-agenda-row type="button" hidden { "＋ 添加议程" }
                p #agenda-sum .muted {}
                h2 { "材料" }
                @for (i, (title, url)) in form.materials.iter().enumerate() {
                    div.row {
                        input type="text" name={ "material_title_" (i) } value=(title) placeholder="标题" aria-label="材料标题";
                        input type="text" name={ "material_url_" (i) } value=(url) placeholder="https://" aria-label="材料链接";
                    }
                }
                h2 { "会前说明" }
                textarea name="briefing" aria-label="会前说明" { (form.briefing) }
                @if matches!(target, Target::New) {
                    h2 { "重复" }
                    div.row #repeat-row {
                        select #repeat name="repeat" aria-label="重复" {
                            @for (value, label) in [("", "不重复"), ("weekly", "每周（同一星期几）"), ("biweekly", "每两周"), ("monthly", "每月（同一日期）")] {
                                option value=(value) selected[form.repeat == value] { (label) }
                            }
                        }
                        label.inline for="repeat_until" { "直到" }
                        input #repeat_until type="date" name="repeat_until" value=(form.repeat_until) aria-label="直到";
                        label.inline for="repeat_count" { "或共" }
                        input #repeat_count type="number" min="1" max="500" name="repeat_count" value=(form.repeat_count) aria-label="次数";
                        span { "次" }
                    }
                    p.muted { "例会保存后即发布：按规则排出近期的各次会议，邀请一次发给所有人；材料请在各次会议中添加。" }
                }
                p.row {
                    @match target {
                        Target::New => {
                            button #save-publish name="action" value="publish" { "保存并发布" }
                            button.plain #save-draft name="action" value="draft" { "保存草稿" }
                        }
                        Target::Edit(_) => button name="action" value="save" { "保存修改" },
                    }
                }
            }
        }
        script src="/static/console.js" {}
    }
}

#[derive(serde::Deserialize)]
pub struct NewQuery {
    /// A slot picked in the week view: its day, start and room.
    date: Option<String>,
    start: Option<String>,
    room: Option<String>,
}

/// `GET /console/meetings/new[?date=&start=&room=]`: tomorrow 09:00–10:00, or the slot picked
/// in the week view (an hour from its start).
pub async fn new_form(
    req: HttpRequest,
    console: Console,
    pages: web::Data<Pages>,
    db: web::Data<crate::db::Db>,
    query: web::Query<NewQuery>,
) -> Result<HttpResponse, PageError> {
    let signed = console.entered(&req, &pages, &db).await?;
    let tz = pages.notices.tz;
    let tomorrow = (pages.env().now.with_timezone(&tz) + chrono::Duration::days(1)).date_naive();
    let q = query.into_inner();
    let day = q
        .date
        .as_deref()
        .and_then(|d| NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").ok())
        .unwrap_or(tomorrow);
    let (staff, choices) = ops::run(&db, move |c| {
        Ok((Staff::of(c, &signed)?, choices(c, Some(day), tz)?))
    })
    .await?;
    let csrf = signed.csrf(&pages.key);
    let mut form = MeetingForm::blank(day);
    if let Some(start) = q
        .start
        .as_deref()
        .and_then(|t| NaiveTime::parse_from_str(t.trim(), "%H:%M").ok())
    {
        let end = start + chrono::Duration::hours(1);
        form.start = start.format("%H:%M").to_string();
        form.end = if end > start {
            end
        } else {
            NaiveTime::from_hms_opt(23, 59, 0).unwrap_or(start)
        }
        .format("%H:%M")
        .to_string();
    }
    if let Some(room) = q.room.as_deref().and_then(|r| r.parse::<RoomId>().ok()) {
        if choices.rooms.iter().any(|(r, _)| r.id == room) {
            form.room_id = room.to_string();
        }
    }
    let body = render(Target::New, &form, &[], &choices, &csrf, tz);
    Ok(frame::page("新建会议", &staff, &csrf, None, body))
}

/// The edit form of a meeting as stored: people as 姓名（工号）, times local.
fn from_record(c: &mut DbConn, record: &MeetingRecord, tz: Tz) -> Result<MeetingForm, OpsError> {
    let m = &record.meeting;
    let ids: Vec<PersonId> = record
        .roles
        .iter()
        .map(|(p, _)| *p)
        .chain(record.agenda.iter().filter_map(|a| a.presenter_id))
        .collect();
    let named = people::by_ids(c, &ids)?;
    let number = |id: PersonId| named.get(&id).map(shown).unwrap_or_default();
    let start = display::local(m.starts_at, tz);
    let end = display::local(m.ends_at, tz);
    let mut form = MeetingForm::from_pairs(Vec::new());
    form.title = m.title.clone();
    form.goal = m.goal.clone();
    form.date = start
        .map(|t| t.date_naive().to_string())
        .unwrap_or_default();
    form.start = start
        .map(|t| t.format("%H:%M").to_string())
        .unwrap_or_default();
    form.end = end
        .map(|t| t.format("%H:%M").to_string())
        .unwrap_or_default();
    form.room_id = m.room_id.map(|r| r.to_string()).unwrap_or_default();
    form.place = m.place.clone();
    form.online_link = m.online_link.clone().unwrap_or_default();
    form.equipment = m.equipment_needs.items().join("，");
    form.confidential = m.confidential;
    form.text_checkin = m.text_checkin;
    form.prep_meeting = m.prep_meeting;
    form.briefing = m.briefing.clone();
    for (role, said) in &mut form.roles {
        *said = record
            .holders(&[*role])
            .into_iter()
            .map(number)
            .collect::<Vec<_>>()
            .join(", ");
    }
    let agenda: Vec<(String, String, String)> = record
        .agenda
        .iter()
        .map(|a| {
            (
                a.title.clone(),
                a.presenter_id.map(number).unwrap_or_default(),
                a.minutes.to_string(),
            )
        })
        .collect();
    let shown = agenda.len() + 3;
    form.agenda = agenda;
    form.agenda
        .resize_with(shown.max(AGENDA_ROWS), Default::default);
    let materials: Vec<(String, String)> = crate::db::materials::list(c, m.id)?
        .into_iter()
        .map(|x| (x.title, x.url))
        .collect();
    let shown = materials.len() + 2;
    form.materials = materials;
    form.materials
        .resize_with(shown.max(MATERIAL_ROWS), Default::default);
    form.version = revision::version(c, record)?;
    Ok(form)
}

/// `GET /console/meetings/{id}/edit`.
pub async fn edit_form(
    req: HttpRequest,
    console: Console,
    pages: web::Data<Pages>,
    db: web::Data<crate::db::Db>,
    id: web::Path<i64>,
) -> Result<HttpResponse, PageError> {
    let signed = console.entered(&req, &pages, &db).await?;
    let id = MeetingId::new(id.into_inner()).map_err(|_| PageError::NotFound)?;
    let tz = pages.notices.tz;
    let env = pages.env();
    let (staff, form, choices) = ops::run(&db, move |c| {
        let staff = Staff::of(c, &signed)?;
        let record = reading::managed(c, &env, staff.actor, id, Audit::ConsoleRead)?;
        let form = from_record(c, &record, tz)?;
        let day = NaiveDate::parse_from_str(&form.date, "%Y-%m-%d").ok();
        Ok((staff, form, choices(c, day, tz)?))
    })
    .await?;
    let csrf = signed.csrf(&pages.key);
    let body = render(Target::Edit(id), &form, &[], &choices, &csrf, tz);
    Ok(frame::page("修改会议", &staff, &csrf, None, body))
}

/// Which form: a new meeting, or changes to one.
#[derive(Clone, Copy)]
enum Target {
    New,
    Edit(MeetingId),
}

enum Saved {
    Done(MeetingId),
    /// A series was made: its first meeting, if the first dates are within the horizon.
    Series(Option<MeetingId>),
    Refused(Staff, Vec<FieldError>, Choices),
}

/// `POST /console/meetings`: a draft, published too when asked; a series when it repeats.
pub async fn create(
    console: Console,
    pages: web::Data<Pages>,
    db: web::Data<crate::db::Db>,
    settings: web::Data<crate::config::MeetingSettings>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let horizon = settings.series_horizon_days;
    save(console, pages, db, form.into_inner(), Target::New, horizon).await
}

/// `POST /console/meetings/{id}`: the edit form, saved unless the meeting changed meanwhile.
pub async fn update(
    console: Console,
    pages: web::Data<Pages>,
    db: web::Data<crate::db::Db>,
    id: web::Path<i64>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let id = MeetingId::new(id.into_inner()).map_err(|_| PageError::NotFound)?;
    save(console, pages, db, form.into_inner(), Target::Edit(id), 0).await
}

async fn save(
    console: Console,
    pages: web::Data<Pages>,
    db: web::Data<crate::db::Db>,
    pairs: Vec<(String, String)>,
    target: Target,
    horizon_days: u32,
) -> Result<HttpResponse, PageError> {
    let form = MeetingForm::from_pairs(pairs);
    let signed = console.posting(&pages, &db, &form.csrf).await?;
    let tz = pages.notices.tz;
    let env = pages.env();
    let posted = form.clone();
    let saved = ops::run(&db, move |c| {
        let staff = Staff::of(c, &signed)?;
        let day = NaiveDate::parse_from_str(posted.date.trim(), "%Y-%m-%d").ok();
        let refused = |c: &mut DbConn, staff: Staff, errors| {
            Ok(Saved::Refused(staff, errors, choices(c, day, tz)?))
        };
        let (fields, materials) = match fields(c, &posted, tz)? {
            Ok(parsed) => parsed,
            Err(errors) => return refused(c, staff, errors),
        };
        if matches!(target, Target::New) && !posted.repeat.is_empty() {
            let repeat = super::repeat::Repeat {
                how: &posted.repeat,
                date: &posted.date,
                start: &posted.start,
                end: &posted.end,
                until: &posted.repeat_until,
                count: &posted.repeat_count,
                publish: posted.publish,
                has_materials: !materials.is_empty(),
            };
            let (template, rule) = match super::repeat::series(&repeat, &fields) {
                Ok(series) => series,
                Err(errors) => return refused(c, staff, errors),
            };
            let made = ops::series::create(c, &env, staff.actor, template, rule, horizon_days)?;
            return Ok(Saved::Series(made.made.first().map(|m| m.meeting_id)));
        }
        let draft = match MeetingDraft::parse(fields) {
            Ok(draft) => draft,
            Err(errors) => return refused(c, staff, errors),
        };
        let id = match target {
            Target::New => {
                let record = preparation::create(c, &env, staff.actor, &draft, &materials)?;
                let id = record.meeting.id;
                if posted.publish {
                    lifecycle::publish(c, &env, staff.actor, id)?;
                }
                id
            }
            Target::Edit(id) => {
                let seen = posted.version.clone();
                revision::revise(c, &env, staff.actor, id, &seen, &draft, &materials)?;
                id
            }
        };
        Ok(Saved::Done(id))
    })
    .await;
    let title = match target {
        Target::New => "新建会议",
        Target::Edit(_) => "修改会议",
    };
    let (status, staff, errors, choices) = match saved {
        Ok(Saved::Done(id)) => return Ok(see_other(&format!("/console/meetings/{id}"))),
        Ok(Saved::Series(Some(first))) => {
            return Ok(see_other(&format!("/console/meetings/{first}")))
        }
        Ok(Saved::Series(None)) => {
            let first = form.date.trim();
            return Ok(see_other(&format!("/console/week?start={first}")));
        }
        Ok(Saved::Refused(staff, errors, choices)) => {
            (StatusCode::UNPROCESSABLE_ENTITY, staff, errors, choices)
        }
        // Refused as a whole (the room taken meanwhile, the meeting changed since the form was
        // opened): nothing was stored; the form again, as typed.
        Err(
            refusal @ (OpsError::Stale
            | OpsError::Frozen { .. }
            | OpsError::Rule(
                DomainError::RoomConflict(_) | DomainError::IllegalTransition { .. },
            )),
        ) => {
            let day = NaiveDate::parse_from_str(form.date.trim(), "%Y-%m-%d").ok();
            let (staff, choices) = ops::run(&db, move |c| {
                Ok((Staff::of(c, &signed)?, choices(c, day, tz)?))
            })
            .await?;
            let errors = vec![err("form", refusal_zh(&refusal))];
            (StatusCode::CONFLICT, staff, errors, choices)
        }
        Err(e) => return Err(e.into()),
    };
    let csrf = signed.csrf(&pages.key);
    let body = render(target, &form, &errors, &choices, &csrf, tz);
    let mut response = frame::page(title, &staff, &csrf, None, body);
    *response.status_mut() = status;
    Ok(response)
}
