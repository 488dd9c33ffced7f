//! The continuous-improvement report over 10,000 meetings held in a year (each with its
//! agenda, invitees, decisions, action items and ratings), on SQLite: the time to read the
//! facts and compute the report grouped by host, department and series.
//!
//! cargo bench --bench improvement [-- MEETINGS]

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use huiwu::config::Settings;
use huiwu::db::{action_items, decisions, feedback, meetings, minutes, participants, DbConn};
use huiwu::meetings::action_items::TaskStatus;
use huiwu::meetings::consensus::{Outcome, Vote};
use huiwu::meetings::draft::{AgendaFields, MeetingDraft, MeetingFields, RoleFields};
use huiwu::meetings::improvement::{report, GroupBy, Rules};
use huiwu::meetings::lifecycle::MeetingStatus;
use huiwu::meetings::minutes::EntryKind;
use huiwu::meetings::participation::Role;
use huiwu::meetings::PersonId;
use std::time::Instant;

const MINUTE: i64 = 60_000;

fn local(d: NaiveDate, h: u32) -> i64 {
    chrono_tz::Asia::Shanghai
        .from_local_datetime(&d.and_hms_opt(h, 0, 0).unwrap())
        .unwrap()
        .timestamp_millis()
}

/// `count` meetings held across 2026 among 60 people in 6 departments.
fn generate(c: &mut DbConn, count: i64, people: &[PersonId]) {
    let first = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    let now = local(first, 8);
    for i in 0..count {
        let day = first + Duration::days(i * 365 / count);
        let start = local(day, 9 + (i % 9) as u32);
        let at = |ms: i64| Utc.timestamp_millis_opt(ms).unwrap().to_rfc3339();
        let host = people[(i as usize * 7) % 6];
        let attendees: Vec<PersonId> = (0..8)
            .map(|k| people[6 + ((i as usize + k * 5) % 54)])
            .collect();
        let mut roles = vec![RoleFields {
            person_id: host.get(),
            role: Role::Host,
        }];
        roles.extend(attendees.iter().map(|&p| RoleFields {
            person_id: p.get(),
            role: Role::Attendee,
        }));
        let draft = MeetingDraft::parse(MeetingFields {
            title: Some(format!("会议{i}")),
            starts_at: Some(at(start)),
            ends_at: Some(at(start + 60 * MINUTE)),
            place: Some("会议室".into()),
            agenda: (0..3)
                .map(|k| AgendaFields {
                    title: format!("议程{k}"),
                    presenter_id: None,
                    minutes: 15,
                })
                .collect(),
            roles,
            ..Default::default()
        })
        .unwrap();
        let id = meetings::insert_draft(c, &draft, now).unwrap();
        meetings::set_status(
            c,
            id,
            MeetingStatus::Draft,
            MeetingStatus::InProgress,
            None,
            now,
        )
        .unwrap();
        meetings::set_started(c, id, start + (i % 11) * MINUTE).unwrap();
        for k in 0..3 {
            let s = start + k * 16 * MINUTE;
            meetings::set_agenda_times(
                c,
                id,
                k as i32 + 1,
                Some(s),
                Some(s + (12 + (i + k) % 8) * MINUTE),
            )
            .unwrap();
        }
        for (k, &p) in attendees.iter().enumerate() {
            if !(i as usize + k).is_multiple_of(4) {
                participants::check_in(c, id, p, None, start + ((k as i64 % 9) - 2) * MINUTE)
                    .unwrap();
            }
        }
        let entry = minutes::append(c, id, None, EntryKind::Decision, "决议", host, now).unwrap();
        if i % 3 == 0 {
            decisions::vote(c, entry, host, Vote::Object, Some("理由"), now).unwrap();
        }
        decisions::close(
            c,
            entry,
            if i % 4 == 0 {
                Outcome::Tabled
            } else {
                Outcome::Passed
            },
            Some(host),
            now,
        )
        .unwrap();
        let item = action_items::insert(
            c,
            &action_items::NewActionItem {
                meeting_id: id,
                decision_id: Some(entry),
                title: "任务",
                owner_id: host,
                due_on: day + Duration::days(7),
                created_by: host,
            },
            now,
        )
        .unwrap();
        if i % 2 == 0 {
            action_items::set_status(
                c,
                item,
                TaskStatus::Open,
                TaskStatus::Done,
                start + (5 + i % 5) * 24 * 60 * MINUTE,
            )
            .unwrap();
        }
        feedback::upsert(c, id, attendees[0], (1 + i % 5) as u8, "", now).unwrap();
        meetings::set_status(
            c,
            id,
            MeetingStatus::InProgress,
            MeetingStatus::Ended,
            None,
            now,
        )
        .unwrap();
    }
}

#[tokio::main]
async fn main() {
    let count: i64 = std::env::args()
        .filter_map(|a| a.parse().ok())
        .next()
        .unwrap_or(10_000);
    let dir = tempfile::tempdir().unwrap();
    let settings = Settings::from_toml_str(&format!(
        "[database]\nurl = 'sqlite://{}/bench.db'\n",
        dir.path().display()
    ))
    .unwrap();
    let db = huiwu::startup::open_database(&settings).await.unwrap();
    let made = Instant::now();
    db.run(move |c| {
        use diesel::Connection;
        c.transaction(|c| {
            let mut people = Vec::new();
            for i in 0..60 {
                let new = huiwu::meetings::directory::NewPerson {
                    name: format!("员工{i}"),
                    employee_no: format!("E{i}"),
                    department: format!("部门{}", i % 6),
                    openid: None,
                    wecom_userid: None,
                    is_admin: false,
                    is_organizer: false,
                };
                people.push(huiwu::db::people::insert(c, &new, 0)?.id);
            }
            generate(c, count, &people);
            Ok(())
        })
    })
    .await
    .unwrap();
    println!("generated {count} meetings held in {:.1?}", made.elapsed());
    let tz = chrono_tz::Asia::Shanghai;
    let from = local(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(), 0);
    let until = local(NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(), 0);
    for by in [GroupBy::Host, GroupBy::Department, GroupBy::Series] {
        let mut times = Vec::new();
        for _ in 0..5 {
            let started = Instant::now();
            let groups = db
                .run(move |c| {
                    let facts = huiwu::db::improvement::facts(c, from, until, by, tz)?;
                    let rules = Rules {
                        late_grace_ms: 5 * MINUTE,
                        minutes_window_ms: 24 * 60 * MINUTE,
                        today: NaiveDate::from_ymd_opt(2027, 1, 10).unwrap(),
                        midpoint_ms: from + (until - from) / 2,
                    };
                    Ok(report(&facts, &rules).len())
                })
                .await
                .unwrap();
            times.push((started.elapsed(), groups));
        }
        times.sort();
        let (median, groups) = times[times.len() / 2];
        println!(
            "report by {by}: {groups} groups, median {:.0?} (min {:.0?}, max {:.0?}) over 5 runs",
            median,
            times[0].0,
            times[times.len() - 1].0
        );
    }
}
