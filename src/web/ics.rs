//! iCalendar as calendar apps read invitations (RFC 5545, RFC 5546): a stable UID per meeting
//! with its SEQUENCE, the host as ORGANIZER, one ATTENDEE per invited person with their answer
//! (PARTSTAT) and part (ROLE), and huiwu's own PRODID. People have no e-mail address in huiwu,
//! so their calendar address is a URN naming their employee number, with the name as CN.

use crate::db::meetings::{self as store, MeetingRecord};
use crate::db::{participants, people, DbConn, DbError};
use crate::meetings::lifecycle::MeetingStatus;
use crate::meetings::participation::{Role, Rsvp};
use crate::meetings::PersonId;
use icalendar::{Calendar, Component, Event, EventLike, EventStatus, Property};

const PRODID: &str = concat!("-//huiwu//huiwu ", env!("CARGO_PKG_VERSION"), "//ZH");

/// How much of a meeting an entry shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    Full,
    /// A confidential meeting in a feed that leaves huiwu (calendar apps sync it to their own
    /// servers): the time only, like its notices.
    TimeOnly,
}

impl Detail {
    pub fn for_feed(record: &MeetingRecord) -> Self {
        if record.meeting.confidential {
            Detail::TimeOnly
        } else {
            Detail::Full
        }
    }
}

fn address(key: &str, person: &people::Person) -> Property {
    let mut p = Property::new(key, format!("urn:huiwu:employee:{}", person.employee_no));
    p.add_parameter("CN", &param_value(&person.name));
    p
}

/// A parameter value as RFC 5545 allows one: no control characters and no DQUOTE (which a
/// quoted value cannot hold); the calendar crate quotes it when it holds `:`, `;` or `,`. Stored
/// text is refused with control characters at the edge; this holds even for older rows.
fn param_value(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() {
                ' '
            } else if c == '"' {
                '\''
            } else {
                c
            }
        })
        .collect()
}

/// A text value: line breaks as `\n` (the crate escapes LF, not CR) and no other control
/// character, so nothing in it can start a line of its own.
fn text_value(s: &str) -> String {
    s.replace("\r\n", "\n")
        .chars()
        .filter_map(|c| match c {
            '\r' | '\n' => Some('\n'),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

/// What part a person takes, by their strongest role.
fn part(roles: &[Role]) -> &'static str {
    if roles.contains(&Role::Host) {
        "CHAIR"
    } else if roles.iter().all(|r| *r == Role::Informed) {
        "NON-PARTICIPANT"
    } else if roles
        .iter()
        .all(|r| matches!(r, Role::OptionalAttendee | Role::Informed))
    {
        "OPT-PARTICIPANT"
    } else {
        "REQ-PARTICIPANT"
    }
}

fn partstat(rsvp: Option<&Rsvp>) -> &'static str {
    match rsvp {
        Some(Rsvp::Accepted) => "ACCEPTED",
        Some(Rsvp::Tentative) => "TENTATIVE",
        Some(Rsvp::Declined { .. }) => "DECLINED",
        Some(Rsvp::Pending) | None => "NEEDS-ACTION",
    }
}

/// The meeting as one VEVENT.
/// A stored revision counter, only ever bumped from 0: a negative one is damage.
fn revision(sequence: i32, what: &str, id: i64) -> Result<u32, DbError> {
    u32::try_from(sequence)
        .map_err(|_| DbError::Corrupt(format!("{what} {id} has the sequence {sequence}")))
}

pub fn event(
    c: &mut DbConn,
    domain: &str,
    r: &MeetingRecord,
    detail: Detail,
) -> Result<Event, DbError> {
    let m = &r.meeting;
    let mut e = Event::new();
    e.uid(&format!("huiwu-meeting-{}@{domain}", m.id))
        .sequence(revision(m.sequence, "meeting", m.id.get())?)
        .status(if m.status == MeetingStatus::Cancelled {
            EventStatus::Cancelled
        } else {
            EventStatus::Confirmed
        });
    e.starts(m.starts_at.utc())
        .ends(m.ends_at.utc())
        .timestamp(m.updated_at.utc());
    if detail == Detail::TimeOnly {
        e.summary("保密会议（详情请在会务助手中查看）");
        return Ok(e.done());
    }
    e.summary(&text_value(&m.title));
    let mut description = m.goal.clone();
    for a in &r.agenda {
        description.push_str(&format!(
            "\n{}. {}（{} 分钟）",
            a.position, a.title, a.minutes
        ));
    }
    let description = description.trim();
    if !description.is_empty() {
        e.description(&text_value(description));
    }
    let place = store::place_description(c, m)?;
    if !place.is_empty() {
        e.location(&text_value(&place));
    }
    let answers = participants::list(c, m.id)?;
    let mut invited: Vec<PersonId> = answers.iter().map(|p| p.person_id).collect();
    invited.extend(r.roles.iter().map(|(p, _)| *p));
    invited.sort_unstable();
    invited.dedup();
    let found = people::by_ids(c, &invited)?;
    for id in invited {
        let Some(person) = found.get(&id) else {
            continue;
        };
        let roles = r.roles_of(id);
        if roles.contains(&Role::Host) {
            e.append_property(address("ORGANIZER", person));
        }
        let answer = answers.iter().find(|p| p.person_id == id).map(|p| &p.rsvp);
        let mut attendee = address("ATTENDEE", person);
        attendee.add_parameter("ROLE", part(&roles));
        attendee.add_parameter("PARTSTAT", partstat(answer));
        attendee.add_parameter("CUTYPE", "INDIVIDUAL");
        e.append_multi_property(attendee);
    }
    Ok(e.done())
}

/// A recurring meeting as calendar apps expect it: one VEVENT with the rule (RRULE, from a
/// local DTSTART in the configured zone, so a 09:00 meeting stays at 09:00 across daylight
/// saving), EXDATE for each date cancelled or held back, and a VEVENT with RECURRENCE-ID for
/// each occurrence changed on its own. `held` are the occurrences made so far, with their
/// meetings; the dates beyond the horizon come from the rule.
pub fn series_events(
    c: &mut DbConn,
    domain: &str,
    tz: chrono_tz::Tz,
    series: &crate::db::series::SeriesRow,
    held: &[(crate::db::series::Occurrence, MeetingRecord)],
    detail: Option<Detail>,
) -> Result<Vec<Event>, DbError> {
    use icalendar::CalendarDateTime;
    let Ok(dates) = series.rule.dates() else {
        return Ok(Vec::new());
    };
    let Some(sample) = held
        .iter()
        .find(|(_, r)| r.meeting.status != MeetingStatus::Cancelled)
        .or(held.first())
    else {
        return Ok(Vec::new());
    };
    let local = |date: chrono::NaiveDate| CalendarDateTime::WithTimezone {
        date_time: date.and_time(series.template.start_time),
        tzid: tz.name().to_owned(),
    };
    // EXDATE and RECURRENCE-ID name an occurrence by its local start as the rule gave it.
    let at_local = |key: &str, date: chrono::NaiveDate| {
        let mut p = Property::new(
            key,
            date.and_time(series.template.start_time)
                .format("%Y%m%dT%H%M%S")
                .to_string(),
        );
        p.add_parameter("TZID", tz.name());
        p
    };
    let uid = format!("huiwu-series-{}@{domain}", series.id);
    let detail = detail.unwrap_or_else(|| Detail::for_feed(&sample.1));
    let mut master = event(c, domain, &sample.1, detail)?;
    let first = dates[0];
    let length = chrono::Duration::minutes(i64::from(series.template.duration_minutes));
    master
        .uid(&uid)
        .sequence(revision(series.sequence, "series", series.id.get())?)
        .status(EventStatus::Confirmed)
        .starts(local(first))
        .ends(CalendarDateTime::WithTimezone {
            date_time: first.and_time(series.template.start_time) + length,
            tzid: tz.name().to_owned(),
        })
        .add_property("RRULE", series.rule.rrule(dates.len()));
    let earliest = held.iter().map(|(o, _)| o.date).min();
    let mut extra = Vec::new();
    for date in &dates {
        let made = held.iter().find(|(o, _)| o.date == *date);
        let skipped = match made {
            Some((_, r)) => {
                !r.meeting.status.announced() || r.meeting.status == MeetingStatus::Cancelled
            }
            // Before the first occurrence made: a date the series never had.
            None => earliest.is_some_and(|e| *date < e),
        };
        if skipped {
            master.append_multi_property(at_local("EXDATE", *date));
            continue;
        }
        if let Some((o, r)) = made.filter(|(o, _)| o.detached) {
            let mut moved = event(c, domain, r, detail)?;
            moved
                .uid(&uid)
                .append_property(at_local("RECURRENCE-ID", o.date));
            extra.push(moved.done());
        }
    }
    let mut out = vec![master.done()];
    out.extend(extra);
    Ok(out)
}

/// A calendar object of `events` with `METHOD` (REQUEST, CANCEL or PUBLISH).
pub fn calendar(method: &str, name: Option<&str>, events: Vec<Event>) -> String {
    let mut calendar = Calendar::empty();
    calendar
        .append_property(("VERSION", "2.0"))
        .append_property(("PRODID", PRODID))
        .append_property(("CALSCALE", "GREGORIAN"))
        .append_property(("METHOD", method));
    if let Some(name) = name {
        calendar.name(name);
    }
    for e in events {
        calendar.push(e);
    }
    super::ics_zones::with_zones(calendar.done().to_string())
}

pub fn response(body: String) -> actix_web::HttpResponse {
    actix_web::HttpResponse::Ok()
        .content_type("text/calendar; charset=utf-8")
        .body(body)
}
