//! The agenda: ordered items with presenters and time boxes that must fit the meeting.

use super::ids::PersonId;
use super::schedule::TimeRange;
use super::text;
use super::DomainError;
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgendaItem {
    pub title: String,
    pub presenter: Option<PersonId>,
    pub minutes: u32,
    pub started_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
}

/// Items in order whose time boxes fit the meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agenda(Vec<AgendaItem>);

impl Agenda {
    pub fn new(items: Vec<AgendaItem>, meeting: &TimeRange) -> Result<Self, DomainError> {
        check_titles(&items)?;
        if let Some(position) = items.iter().position(|i| i.minutes == 0) {
            return Err(DomainError::EmptyTimeBox {
                position: position + 1,
            });
        }
        let agenda_minutes: i64 = items.iter().map(|i| i64::from(i.minutes)).sum();
        let meeting_minutes = meeting.minutes();
        if agenda_minutes > meeting_minutes {
            return Err(DomainError::AgendaTooLong {
                agenda_minutes,
                meeting_minutes,
            });
        }
        Ok(Self(items))
    }

    pub fn items(&self) -> &[AgendaItem] {
        &self.0
    }

    /// The item running now: started and not yet ended.
    pub fn current(&self) -> Option<usize> {
        self.0
            .iter()
            .position(|i| i.started_at.is_some() && i.ended_at.is_none())
    }
}

/// Every item has a title, on one line: titles end up in notices, calendar feeds and on the
/// room screen, one line each.
pub fn check_titles(items: &[AgendaItem]) -> Result<(), DomainError> {
    match items
        .iter()
        .position(|i| text::is_blank(&i.title) || !text::is_one_line(&i.title))
    {
        Some(position) => Err(DomainError::AgendaTitle {
            position: position + 1,
        }),
        None => Ok(()),
    }
}

/// How far an item is past (positive) or within (negative) its time box, in minutes.
pub fn overrun_minutes(item: &AgendaItem, now: DateTime<Utc>) -> Option<i64> {
    let started = item.started_at?;
    let until = item.ended_at.unwrap_or(now);
    Some((until - started).num_minutes() - i64::from(item.minutes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn item(minutes: u32) -> AgendaItem {
        AgendaItem {
            title: "议题".into(),
            presenter: None,
            minutes,
            started_at: None,
            ended_at: None,
        }
    }

    fn hour() -> TimeRange {
        let start = Utc.with_ymd_and_hms(2026, 12, 1, 1, 0, 0).unwrap();
        TimeRange::new(start, start + Duration::minutes(60)).unwrap()
    }

    #[test]
    fn time_boxes_must_fit_the_meeting() {
        assert!(Agenda::new(vec![item(30), item(30)], &hour()).is_ok());
        let err = Agenda::new(vec![item(30), item(40)], &hour()).unwrap_err();
        assert_eq!(
            err,
            DomainError::AgendaTooLong {
                agenda_minutes: 70,
                meeting_minutes: 60
            }
        );
        assert_eq!(
            err.to_string(),
            "the agenda needs 70 minutes but the meeting lasts 60"
        );
        assert_eq!(
            Agenda::new(vec![item(10), item(0)], &hour()),
            Err(DomainError::EmptyTimeBox { position: 2 })
        );
    }

    #[test]
    fn every_item_has_a_title_on_one_line() {
        let titled = |title: &str| AgendaItem {
            title: title.into(),
            ..item(10)
        };
        for bad in ["", " \u{3000}", "预算\n审议", "预算\u{b}", "预算\u{85}"] {
            assert_eq!(
                Agenda::new(vec![item(10), titled(bad)], &hour()),
                Err(DomainError::AgendaTitle { position: 2 }),
                "{bad:?}"
            );
        }
        assert!(Agenda::new(vec![titled("预算 审议")], &hour()).is_ok());
    }

    #[test]
    fn current_item_and_overrun() {
        let start = hour().start();
        let mut first = item(10);
        first.started_at = Some(start);
        first.ended_at = Some(start + Duration::minutes(12));
        let mut second = item(20);
        second.started_at = Some(start + Duration::minutes(12));
        let agenda = Agenda::new(vec![first.clone(), second.clone(), item(5)], &hour()).unwrap();
        assert_eq!(agenda.current(), Some(1));
        assert_eq!(overrun_minutes(&first, start), Some(2));
        assert_eq!(
            overrun_minutes(&second, start + Duration::minutes(22)),
            Some(-10)
        );
        assert_eq!(overrun_minutes(&item(5), start), None);
    }
}
