//! The meeting form as posted, and the fields a draft is parsed from: no database here; the
//! people and room it names are looked up first (`lookup`).

use crate::meetings::directory::FieldError;
use crate::meetings::draft::{AgendaFields, MeetingFields, RoleFields};
use crate::meetings::material::Material;
use crate::meetings::participation::Role;
use crate::meetings::{PersonId, RoomId};
use chrono::{NaiveDate, NaiveTime, TimeZone};
use chrono_tz::Tz;
use std::collections::HashMap;

/// Empty rows the form offers beyond those in use.
pub(super) const AGENDA_ROWS: usize = 8;

pub(super) const MATERIAL_ROWS: usize = 3;

/// No meeting has more agenda items or materials than this on one form.
pub(super) const MAX_ROWS: usize = 100;

/// The form as posted: every field as typed, so a refused form is shown again unchanged.
#[derive(Debug, Clone, Default)]
pub struct MeetingForm {
    pub(super) title: String,
    pub(super) goal: String,
    pub(super) date: String,
    pub(super) start: String,
    pub(super) end: String,
    pub(super) room_id: String,
    pub(super) place: String,
    pub(super) online_link: String,
    pub(super) equipment: String,
    pub(super) confidential: bool,
    pub(super) text_checkin: bool,
    pub(super) prep_meeting: bool,
    pub(super) briefing: String,
    /// People per role, as typed (employee numbers or names, separated by commas or spaces).
    pub(super) roles: Vec<(Role, String)>,
    /// Title, presenter, minutes.
    pub(super) agenda: Vec<(String, String, String)>,
    /// Title, link.
    pub(super) materials: Vec<(String, String)>,
    pub(super) publish: bool,
    /// A new meeting that repeats: `weekly`, `biweekly` or `monthly` (empty: once), until a
    /// date or for a number of times.
    pub(super) repeat: String,
    pub(super) repeat_until: String,
    pub(super) repeat_count: String,
    pub(super) csrf: String,
    /// The meeting's version when an edit form was opened.
    pub(super) version: String,
}

impl MeetingForm {
    pub(super) fn from_pairs(pairs: Vec<(String, String)>) -> MeetingForm {
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

    pub(super) fn blank(date: NaiveDate) -> MeetingForm {
        let mut f = MeetingForm::from_pairs(Vec::new());
        f.date = date.to_string();
        f.start = "09:00".into();
        f.end = "10:00".into();
        f
    }
}

/// Row `i` of a growing list of rows.
pub(super) fn row<T: Default>(rows: &mut Vec<T>, i: usize) -> &mut T {
    if rows.len() <= i {
        rows.resize_with(i + 1, T::default);
    }
    &mut rows[i]
}

pub(super) fn err(field: &'static str, message: impl Into<String>) -> FieldError {
    FieldError {
        field,
        message: message.into(),
    }
}

/// What a field is called on the form.
pub(super) fn label(field: &str) -> &'static str {
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
pub(super) fn message_zh(message: &str) -> String {
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
        "must be 1 to 200 characters on one line, not all blank" => "1 到 200 个字，不能换行",
        "must not contain line breaks or control characters" => "不能换行或含控制字符",
        "give either until (a last date) or count (how many times)" => "结束日期和次数只填一个",
        "is before starts_on" => "早于第一次的日期",
        "the rule yields no date between its start and its end" => "按这个规则，结束前没有任何一次",
        "the meeting must end after it starts" => "结束时间要晚于开始时间",
        "a meeting needs a host" => "请填写主持人",
        m if m.starts_with("agenda item") && m.contains("title") && !numbers.is_empty() => {
            return format!("第 {} 项议程要有议题，且不能换行", numbers[0])
        }
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

/// The employee number in "姓名（工号）" (or "姓名(工号)"), else what was typed.
pub(super) fn said_number(said: &str) -> &str {
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

pub(in crate::web::pages::console) fn names(raw: &str) -> impl Iterator<Item = &str> {
    raw.split(|ch: char| ch == ',' || ch == '，' || ch == '、' || ch == ';' || ch.is_whitespace())
        .filter(|s| !s.is_empty())
}

/// The local date and time on the form as an instant, or why not (a time that a daylight
/// saving change skips does not exist).
pub(super) fn instant(date: &str, time: &str, tz: Tz) -> Result<String, String> {
    let day =
        NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d").map_err(|_| "请选择日期".to_owned())?;
    let at = NaiveTime::parse_from_str(time.trim(), "%H:%M")
        .map_err(|_| "请填写时间，例如 09:30".to_owned())?;
    tz.from_local_datetime(&day.and_time(at))
        .earliest()
        .map(|t| t.to_rfc3339())
        .ok_or_else(|| format!("{date} {time} 因夏令时调整不存在，请换一个时间"))
}

/// A meeting's fields and its materials.
pub(super) type Parsed = (MeetingFields, Vec<Material>);

/// What the form names, looked up before it is read (`lookup::named`).
#[derive(Debug, Default)]
pub(super) struct Named {
    /// Each person as typed: who it is, or why not (in words).
    pub(super) people: HashMap<String, Result<PersonId, String>>,
    /// The room the form picks, when it is one huiwu has and still uses.
    pub(super) room: Option<RoomId>,
}

impl MeetingForm {
    /// Everyone the form names, as typed: the people of each role and the presenters.
    pub(super) fn people_named(&self) -> Vec<&str> {
        let in_roles = self.roles.iter().flat_map(|(_, said)| names(said));
        let presenters = self.agenda.iter().map(|(_, p, _)| p.trim());
        in_roles
            .chain(presenters)
            .filter(|s| !s.is_empty())
            .collect()
    }
}

/// The form as the fields a draft is parsed from, with what it names looked up.
pub(super) fn fields(f: &MeetingForm, tz: Tz, named: &Named) -> Result<Parsed, Vec<FieldError>> {
    let person = |said: &str| {
        named
            .people
            .get(said)
            .cloned()
            .unwrap_or_else(|| Err(format!("没有找到「{said}」")))
    };
    let mut errors = Vec::new();
    let starts_at = instant(&f.date, &f.start, tz)
        .map_err(|e| errors.push(err("starts_at", e)))
        .ok();
    let ends_at = instant(&f.date, &f.end, tz)
        .map_err(|e| errors.push(err("ends_at", e)))
        .ok();
    let room_id = match (f.room_id.trim(), named.room) {
        ("", _) => None,
        (_, Some(room)) => Some(room),
        (_, None) => {
            errors.push(err("room_id", "这个会议室不存在或已停用"));
            None
        }
    };
    let mut roles = Vec::new();
    for (role, said) in &f.roles {
        for one in names(said) {
            match person(one) {
                Ok(p) => roles.push(RoleFields {
                    person_id: p.get(),
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
            said => match person(said) {
                Ok(p) => Some(p),
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
        match Material::parse(title, url.trim()) {
            Ok(m) => materials.push(m),
            Err(_) => errors.push(err(
                "materials",
                "每份材料要有标题（200 字以内）和以 http:// 或 https:// 开头的链接",
            )),
        }
    }
    let equipment_needs: Vec<String> = f
        .equipment
        .split([',', '，', '、'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok((
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
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

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

    fn posted(pairs: &[(&str, &str)]) -> MeetingForm {
        MeetingForm::from_pairs(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    #[test]
    fn the_form_is_read_with_what_it_names_looked_up_beforehand() {
        let f = posted(&[
            ("title", "周会"),
            ("date", "2026-12-08"),
            ("start", "09:00"),
            ("end", "10:00"),
            ("place", "3楼"),
            ("room_id", "4"),
            ("role_host", "王主持（E1）"),
            ("role_attendee", "E2, 路人"),
            ("agenda_title_0", "回顾"),
            ("agenda_presenter_0", "E2"),
            ("agenda_minutes_0", "20"),
        ]);
        assert_eq!(f.people_named(), ["王主持（E1）", "E2", "路人", "E2"]);
        let mut named = Named::default();
        named
            .people
            .insert("王主持（E1）".into(), Ok(PersonId::new(1).unwrap()));
        named
            .people
            .insert("E2".into(), Ok(PersonId::new(2).unwrap()));
        named.people.insert("路人".into(), Err("没有这个人".into()));
        let tz: Tz = "Asia/Shanghai".parse().unwrap();
        let refused = fields(&f, tz, &named).unwrap_err();
        let fields_named: Vec<&str> = refused.iter().map(|e| e.field).collect();
        assert_eq!(fields_named, ["room_id", "roles"], "{refused:?}");
        assert!(refused[1].message.contains("没有这个人"));

        named
            .people
            .insert("路人".into(), Ok(PersonId::new(3).unwrap()));
        named.room = Some(RoomId::new(4).unwrap());
        let (read, materials) = fields(&f, tz, &named).unwrap();
        assert_eq!(read.room_id, Some(4));
        assert_eq!(read.starts_at.as_deref(), Some("2026-12-08T09:00:00+08:00"));
        assert_eq!(read.agenda[0].presenter_id, Some(2));
        assert_eq!(read.roles.len(), 3);
        assert!(materials.is_empty());
    }
}
