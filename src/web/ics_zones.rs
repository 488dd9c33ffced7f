//! VTIMEZONE components (RFC 5545 §3.6.5) for the zones a calendar object names with TZID:
//! recurring meetings recur in local time, and a TZID must be defined in the object itself
//! for clients that do not know IANA names. The definitions come from chrono-tz's tables:
//! one STANDARD for a zone without daylight saving, otherwise one STANDARD or DAYLIGHT per
//! transition over the years the object spans (and ten after, for the occurrences the rules
//! expand to).

use chrono::{DateTime, Duration, NaiveDate, Offset, TimeZone, Utc};
use chrono_tz::{OffsetComponents, Tz};
use std::collections::BTreeMap;

/// Years after the last date seen that transitions are written for: a series has at most 500
/// occurrences, under ten years weekly.
const YEARS_AHEAD: i32 = 10;

fn total_offset(tz: Tz, at: DateTime<Utc>) -> i32 {
    tz.offset_from_utc_datetime(&at.naive_utc())
        .fix()
        .local_minus_utc()
}

fn is_daylight(tz: Tz, at: DateTime<Utc>) -> bool {
    !tz.offset_from_utc_datetime(&at.naive_utc())
        .dst_offset()
        .is_zero()
}

fn hhmm(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.abs() / 60;
    format!("{sign}{:02}{:02}", minutes / 60, minutes % 60)
}

/// The instants in `[from, until)` where the zone's offset changes, each found to the minute.
fn transitions(tz: Tz, from: DateTime<Utc>, until: DateTime<Utc>) -> Vec<DateTime<Utc>> {
    let mut out = Vec::new();
    let mut day = from;
    while day < until {
        let next = day + Duration::days(1);
        if total_offset(tz, day) != total_offset(tz, next) {
            // In whole minutes from midnight UTC: the first minute with the new offset.
            let at = |minutes: i64| day + Duration::minutes(minutes);
            let (mut lo, mut hi) = (0, 24 * 60);
            while hi - lo > 1 {
                let mid = (lo + hi) / 2;
                if total_offset(tz, at(mid)) == total_offset(tz, day) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            out.push(at(hi));
        }
        day = next;
    }
    out
}

/// One zone's VTIMEZONE for the years `first..=last`.
pub fn vtimezone(tz: Tz, first: i32, last: i32) -> String {
    let start = |year: i32| {
        NaiveDate::from_ymd_opt(year, 1, 1)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|t| Utc.from_utc_datetime(&t))
    };
    let (Some(from), Some(until)) = (start(first), start(last + 1)) else {
        return String::new();
    };
    let mut lines = vec!["BEGIN:VTIMEZONE".to_owned(), format!("TZID:{}", tz.name())];
    let changes = transitions(tz, from, until);
    if changes.is_empty() {
        let offset = hhmm(total_offset(tz, from));
        lines.extend([
            "BEGIN:STANDARD".to_owned(),
            "DTSTART:19700101T000000".to_owned(),
            format!("TZOFFSETFROM:{offset}"),
            format!("TZOFFSETTO:{offset}"),
            "END:STANDARD".to_owned(),
        ]);
    }
    for at in changes {
        let before = total_offset(tz, at - Duration::minutes(1));
        let after = total_offset(tz, at);
        let kind = if is_daylight(tz, at) {
            "DAYLIGHT"
        } else {
            "STANDARD"
        };
        // DTSTART is the transition's local time in the offset in force before it.
        let local = at.naive_utc() + Duration::seconds(i64::from(before));
        lines.extend([
            format!("BEGIN:{kind}"),
            format!("DTSTART:{}", local.format("%Y%m%dT%H%M%S")),
            format!("TZOFFSETFROM:{}", hhmm(before)),
            format!("TZOFFSETTO:{}", hhmm(after)),
            format!("END:{kind}"),
        ]);
    }
    lines.push("END:VTIMEZONE".to_owned());
    lines.join("\r\n") + "\r\n"
}

/// The zones `text` (a rendered calendar object) names with `TZID=`, with the first and last
/// year of the local times given in them.
fn zones_named(text: &str) -> BTreeMap<String, (i32, i32)> {
    let mut zones: BTreeMap<String, (i32, i32)> = BTreeMap::new();
    for line in text.lines() {
        let Some(at) = line.find(";TZID=") else {
            continue;
        };
        let rest = &line[at + ";TZID=".len()..];
        let Some(end) = rest.find([':', ';']) else {
            continue;
        };
        let name = rest[..end].trim_matches('"').to_owned();
        let year = line
            .rsplit(':')
            .next()
            .and_then(|v| v.get(..4))
            .and_then(|y| y.parse::<i32>().ok());
        if let Some(year) = year {
            let span = zones.entry(name).or_insert((year, year));
            span.0 = span.0.min(year);
            span.1 = span.1.max(year);
        }
    }
    zones
}

/// `text` with a VTIMEZONE for every zone it names, before its END:VCALENDAR.
pub fn with_zones(text: String) -> String {
    let zones = zones_named(&text);
    if zones.is_empty() {
        return text;
    }
    let mut defined = String::new();
    for (name, (first, last)) in zones {
        if let Ok(tz) = name.parse::<Tz>() {
            defined.push_str(&vtimezone(tz, first, last + YEARS_AHEAD));
        }
    }
    match text.rfind("END:VCALENDAR") {
        Some(at) => format!("{}{defined}{}", &text[..at], &text[at..]),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_zone_without_daylight_saving_has_one_standard_offset() {
        let z = vtimezone(chrono_tz::Asia::Shanghai, 2026, 2027);
        assert_eq!(
            z,
            "BEGIN:VTIMEZONE\r\nTZID:Asia/Shanghai\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\n\
             TZOFFSETFROM:+0800\r\nTZOFFSETTO:+0800\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
        );
    }

    #[test]
    fn a_zone_with_daylight_saving_lists_each_transition_in_local_time() {
        let z = vtimezone(chrono_tz::Europe::Berlin, 2027, 2027);
        assert!(z.contains(
            "BEGIN:DAYLIGHT\r\nDTSTART:20270328T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nEND:DAYLIGHT"
        ), "{z}");
        assert!(z.contains(
            "BEGIN:STANDARD\r\nDTSTART:20271031T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD"
        ), "{z}");
    }

    #[test]
    fn every_zone_named_is_defined_once_before_the_end() {
        let text =
            "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;TZID=Asia/Shanghai:20261207T090000\r\n\
                    EXDATE;TZID=Asia/Shanghai:20271214T090000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        let out = with_zones(text.to_owned());
        assert_eq!(out.matches("BEGIN:VTIMEZONE").count(), 1);
        assert!(out.ends_with("END:VTIMEZONE\r\nEND:VCALENDAR\r\n"), "{out}");
        assert_eq!(
            with_zones("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n".into())
                .matches("VTIMEZONE")
                .count(),
            0
        );
    }
}
