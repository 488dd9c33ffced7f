//! The meeting form's 重复 choice: a new meeting that repeats becomes a series (例会) made from
//! the same fields, every week on the form's weekday, every two weeks, or every month on the
//! form's day of the month, until a date or for a number of times.

use crate::meetings::directory::FieldError;
use crate::meetings::draft::MeetingFields;
use crate::meetings::draft::{AgendaFields, RoleFields};
use crate::meetings::recurrence::{Recurrence, RecurrenceFields};
use crate::meetings::series::{parse_rule, SeriesFields, SeriesTemplate};
use chrono::{Datelike, NaiveDate, NaiveTime, Weekday};

/// What the form said about repeating.
pub struct Repeat<'a> {
    /// `weekly`, `biweekly` or `monthly`.
    pub how: &'a str,
    pub date: &'a str,
    pub start: &'a str,
    pub end: &'a str,
    pub until: &'a str,
    pub count: &'a str,
    pub publish: bool,
    pub has_materials: bool,
}

fn err(field: &'static str, message: &str) -> FieldError {
    FieldError {
        field,
        message: message.to_owned(),
    }
}

fn weekday_code(d: Weekday) -> &'static str {
    match d {
        Weekday::Mon => "mon",
        Weekday::Tue => "tue",
        Weekday::Wed => "wed",
        Weekday::Thu => "thu",
        Weekday::Fri => "fri",
        Weekday::Sat => "sat",
        Weekday::Sun => "sun",
    }
}

/// The series the form describes, or what to fix (the series' own rules included).
pub fn series(
    r: &Repeat,
    m: &MeetingFields,
) -> Result<(SeriesTemplate, Recurrence), Vec<FieldError>> {
    let mut errors = Vec::new();
    if !r.publish {
        errors.push(err(
            "repeat",
            "例会保存后即发布各次会议：请点「保存并发布」",
        ));
    }
    if r.has_materials {
        errors.push(err("materials", "例会的材料请在各次会议中添加"));
    }
    let day = NaiveDate::parse_from_str(r.date.trim(), "%Y-%m-%d").ok();
    let start = NaiveTime::parse_from_str(r.start.trim(), "%H:%M").ok();
    let end = NaiveTime::parse_from_str(r.end.trim(), "%H:%M").ok();
    let duration = match (start, end) {
        (Some(s), Some(e)) if e > s => u32::try_from((e - s).num_minutes()).ok(),
        _ => {
            errors.push(err("end", "结束时间要晚于开始时间"));
            None
        }
    };
    let (frequency, interval) = match r.how {
        "weekly" => ("weekly", 1),
        "biweekly" => ("weekly", 2),
        "monthly" => ("monthly", 1),
        _ => {
            errors.push(err("repeat", "请选择每周、每两周或每月"));
            ("weekly", 1)
        }
    };
    let until = Some(r.until.trim())
        .filter(|u| !u.is_empty())
        .map(str::to_owned);
    let count = match r.count.trim() {
        "" => None,
        raw => match raw.parse::<u32>() {
            Ok(n) => Some(n),
            Err(_) => {
                errors.push(err("repeat", "次数请填整数"));
                None
            }
        },
    };
    if until.is_none() && count.is_none() {
        errors.push(err("repeat", "请填写「直到」的日期或次数"));
    }
    let rule = RecurrenceFields {
        frequency: Some(frequency.to_owned()),
        interval: Some(interval),
        weekdays: match (frequency, day) {
            ("weekly", Some(d)) => vec![weekday_code(d.weekday()).to_owned()],
            _ => Vec::new(),
        },
        month_day: (frequency == "monthly")
            .then(|| day.map(|d| d.day()))
            .flatten(),
        nth: None,
        weekday: None,
        starts_on: day.map(|d| d.format("%Y-%m-%d").to_string()),
        until,
        count,
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let fields = SeriesFields {
        title: m.title.clone(),
        goal: m.goal.clone(),
        room_id: Some(m.room_id),
        place: m.place.clone(),
        online_link: Some(m.online_link.clone()),
        confidential: m.confidential,
        text_checkin: m.text_checkin,
        briefing: m.briefing.clone(),
        equipment_needs: m.equipment_needs.clone(),
        start_time: Some(r.start.trim().to_owned()),
        duration_minutes: duration,
        agenda: Some(
            m.agenda
                .iter()
                .map(|a| AgendaFields {
                    title: a.title.clone(),
                    presenter_id: a.presenter_id,
                    minutes: a.minutes,
                })
                .collect(),
        ),
        roles: Some(
            m.roles
                .iter()
                .map(|r| RoleFields {
                    person_id: r.person_id,
                    role: r.role,
                })
                .collect(),
        ),
        recurrence: Some(rule.clone()),
    };
    let template = SeriesTemplate::parse(None, &fields);
    let rule = parse_rule(&rule, None);
    match (template, rule) {
        (Ok(t), Ok(r)) => Ok((t, r)),
        (t, r) => Err(t
            .err()
            .into_iter()
            .flatten()
            .chain(r.err().into_iter().flatten())
            .collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields() -> MeetingFields {
        MeetingFields {
            title: Some("周例会".into()),
            place: Some("3楼".into()),
            roles: vec![crate::meetings::draft::RoleFields {
                person_id: 1,
                role: crate::meetings::participation::Role::Host,
            }],
            ..Default::default()
        }
    }

    fn repeat<'a>(how: &'a str, until: &'a str, count: &'a str) -> Repeat<'a> {
        Repeat {
            how,
            date: "2030-01-08",
            start: "09:00",
            end: "10:30",
            until,
            count,
            publish: true,
            has_materials: false,
        }
    }

    #[test]
    fn a_weekly_form_repeats_on_its_own_weekday_for_its_length() {
        let (template, rule) = series(&repeat("biweekly", "", "4"), &fields()).unwrap();
        assert_eq!(template.duration_minutes, 90);
        assert_eq!(
            rule.dates().unwrap(),
            ["2030-01-08", "2030-01-22", "2030-02-05", "2030-02-19"]
                .map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap())
        );
    }

    #[test]
    fn it_says_what_is_missing_in_words() {
        let errors = series(&repeat("weekly", "", ""), &fields()).unwrap_err();
        assert_eq!(errors[0].message, "请填写「直到」的日期或次数");
        let mut draft = repeat("monthly", "2030-06-30", "");
        draft.publish = false;
        let errors = series(&draft, &fields()).unwrap_err();
        assert!(errors[0].message.contains("保存并发布"));
    }
}
