//! A meeting as an organiser submits it, checked field by field into a valid draft.

use super::agenda::{check_titles, Agenda, AgendaItem};
use super::directory::FieldError;
use super::ids::{PersonId, RoomId};
use super::participation::{Role, Roster};
use super::schedule::TimeRange;
use super::text;
use super::DomainError;
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, Default)]
pub struct MeetingFields {
    pub title: Option<String>,
    pub goal: Option<String>,
    pub starts_at: Option<String>,
    pub ends_at: Option<String>,
    pub room_id: Option<i64>,
    pub place: Option<String>,
    pub online_link: Option<String>,
    pub confidential: Option<bool>,
    pub text_checkin: Option<bool>,
    pub prep_meeting: Option<bool>,
    pub briefing: Option<String>,
    pub equipment_needs: Option<Vec<String>>,
    pub agenda: Vec<AgendaFields>,
    pub roles: Vec<RoleFields>,
}

#[derive(Debug, Clone)]
pub struct AgendaFields {
    pub title: String,
    pub presenter_id: Option<i64>,
    pub minutes: u32,
}

#[derive(Debug, Clone)]
pub struct RoleFields {
    pub person_id: i64,
    pub role: Role,
}

/// A meeting that may be stored as a draft: every rule that needs no database has passed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingDraft {
    pub title: String,
    pub goal: String,
    pub span: TimeRange,
    pub room: Option<RoomId>,
    pub place: String,
    pub online_link: Option<String>,
    pub confidential: bool,
    /// 签到 by text allowed; by default only the signed QR code proves presence.
    pub text_checkin: bool,
    /// A preparation meeting (会前准备会) is asked for: publishing puts it on the host's checklist.
    pub prep_meeting: bool,
    pub briefing: String,
    pub equipment_needs: Vec<String>,
    pub agenda: Agenda,
    pub roster: Roster,
}

fn err(field: &'static str, message: impl Into<String>) -> FieldError {
    FieldError {
        field,
        message: message.into(),
    }
}

fn time(
    raw: Option<&str>,
    field: &'static str,
    errors: &mut Vec<FieldError>,
) -> Option<DateTime<Utc>> {
    match raw.map(DateTime::parse_from_rfc3339) {
        Some(Ok(t)) => Some(t.with_timezone(&Utc)),
        Some(Err(_)) => {
            errors.push(err(
                field,
                "must be a time such as 2026-12-01T09:30:00+08:00",
            ));
            None
        }
        None => {
            errors.push(err(field, "is required"));
            None
        }
    }
}

impl MeetingDraft {
    pub fn parse(f: MeetingFields) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let title = f.title.unwrap_or_default();
        if !text::is_bounded(&title, 200) {
            errors.push(err(
                "title",
                "must be 1 to 200 characters on one line, not all blank",
            ));
        }
        let title = title.trim().to_owned();
        let start = time(f.starts_at.as_deref(), "starts_at", &mut errors);
        let end = time(f.ends_at.as_deref(), "ends_at", &mut errors);
        let span = match (start, end) {
            (Some(s), Some(e)) => TimeRange::new(s, e)
                .map_err(|e| errors.push(err("ends_at", e.to_string())))
                .ok(),
            _ => None,
        };
        let room = f
            .room_id
            .map(RoomId::new)
            .transpose()
            .map_err(|e| errors.push(err("room_id", e.to_string())))
            .ok()
            .flatten();
        let place = f.place.unwrap_or_default();
        let place_one_line = text::is_one_line(&place);
        let place = place.trim().to_owned();
        if !place_one_line {
            errors.push(err(
                "place",
                "must not contain line breaks or control characters",
            ));
        }
        let equipment_needs = f.equipment_needs.unwrap_or_default();
        if !equipment_needs.iter().all(|e| text::is_one_line(e)) {
            errors.push(err(
                "equipment_needs",
                "must not contain line breaks or control characters",
            ));
        }
        let online_link = f.online_link.filter(|l| !l.is_empty());
        if online_link
            .as_deref()
            .is_some_and(|l| !text::is_web_link(l))
        {
            errors.push(err(
                "online_link",
                "must be an http(s):// link without spaces",
            ));
        }
        if room.is_none() && place.is_empty() && online_link.is_none() {
            errors.push(err(
                "room_id",
                "a room, a place or an online link is required",
            ));
        }
        let mut presenters_ok = true;
        let items: Vec<AgendaItem> = f
            .agenda
            .into_iter()
            .map(|a| AgendaItem {
                title: a.title.trim().to_owned(),
                presenter: a
                    .presenter_id
                    .and_then(|p| PersonId::new(p).map_err(|_| presenters_ok = false).ok()),
                minutes: a.minutes,
                started_at: None,
                ended_at: None,
            })
            .collect();
        if !presenters_ok {
            errors.push(err("agenda", "a presenter_id is not a valid id"));
        }
        // Reported even when the times are wrong, which keep `Agenda::new` from running.
        let titles = check_titles(&items)
            .map_err(|e| errors.push(err("agenda", e.to_string())))
            .is_ok();
        let agenda = span.as_ref().filter(|_| titles).and_then(|span| {
            Agenda::new(items, span)
                .map_err(|e| errors.push(err("agenda", e.to_string())))
                .ok()
        });
        let assignments: Result<Vec<_>, DomainError> = f
            .roles
            .into_iter()
            .map(|r| PersonId::new(r.person_id).map(|p| (p, r.role)))
            .collect();
        let roster = assignments
            .and_then(Roster::new)
            .map_err(|e| errors.push(err("roles", e.to_string())))
            .ok();
        match (span, agenda, roster) {
            (Some(span), Some(agenda), Some(roster)) if errors.is_empty() => Ok(Self {
                title,
                goal: f.goal.unwrap_or_default().trim().to_owned(),
                span,
                room,
                place,
                online_link,
                confidential: f.confidential.unwrap_or(false),
                text_checkin: f.text_checkin.unwrap_or(false),
                prep_meeting: f.prep_meeting.unwrap_or(false),
                briefing: f.briefing.unwrap_or_default(),
                equipment_needs,
                agenda,
                roster,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields() -> MeetingFields {
        MeetingFields {
            title: Some("季度经营分析会".into()),
            starts_at: Some("2026-12-01T09:30:00+08:00".into()),
            ends_at: Some("2026-12-01T10:30:00+08:00".into()),
            place: Some("3号会议室".into()),
            agenda: vec![AgendaFields {
                title: "业绩回顾".into(),
                presenter_id: Some(2),
                minutes: 30,
            }],
            roles: vec![RoleFields {
                person_id: 1,
                role: Role::Host,
            }],
            ..Default::default()
        }
    }

    #[test]
    fn a_complete_meeting_parses() {
        let draft = MeetingDraft::parse(fields()).unwrap();
        assert_eq!(draft.span.minutes(), 60);
        assert_eq!(draft.roster.recorders().len(), 1);
    }

    #[test]
    fn every_problem_is_reported_by_field() {
        let mut f = fields();
        f.title = Some(" ".into());
        f.ends_at = Some("2026-12-01T09:00:00+08:00".into());
        f.roles = vec![];
        f.place = None;
        let errors = MeetingDraft::parse(f).unwrap_err();
        let named: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(named, vec!["title", "ends_at", "room_id", "roles"]);
    }

    #[test]
    fn an_agenda_longer_than_the_meeting_is_refused_with_both_numbers() {
        let mut f = fields();
        f.agenda[0].minutes = 90;
        let errors = MeetingDraft::parse(f).unwrap_err();
        assert_eq!(errors[0].field, "agenda");
        assert_eq!(
            errors[0].message,
            "the agenda needs 90 minutes but the meeting lasts 60"
        );
    }
}
