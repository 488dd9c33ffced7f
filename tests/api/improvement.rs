//! The continuous-improvement report over a generated quarter of meetings (fixed seed): the
//! API's numbers against a computation written here from the same raw facts, as the README
//! defines them.

use crate::helpers::*;
use chrono::{Duration, NaiveDate, TimeZone, Utc};
use huiwu::clock::ManualClock;
use huiwu::db::DbConn;
use huiwu::meetings::action_items::TaskStatus;
use huiwu::meetings::consensus::{Outcome, Vote};
use huiwu::meetings::draft::{AgendaFields, MeetingDraft, MeetingFields, RoleFields};
use huiwu::meetings::lifecycle::MeetingStatus;
use huiwu::meetings::minutes::EntryKind;
use huiwu::meetings::participation::{Role, Rsvp};
use rand::{Rng, SeedableRng};
use reqwest::Method;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::Arc;

const MINUTE: i64 = 60_000;
const GRACE: i64 = 5 * MINUTE;
const WINDOW: i64 = 24 * 60 * MINUTE;

fn shanghai(d: NaiveDate, h: u32, m: u32) -> i64 {
    chrono_tz::Asia::Shanghai
        .from_local_datetime(&d.and_hms_opt(h, m, 0).unwrap())
        .unwrap()
        .timestamp_millis()
}

/// (checked in at, not coming, delegated)
type Invited = (Option<i64>, bool, bool);

/// What was generated for one meeting held.
#[derive(Default, Clone)]
struct Held {
    host: i64,
    starts_at: i64,
    ends_at: i64,
    started_at: i64,
    /// (box, started, ended) of items that ran.
    timed: Vec<(i64, i64, i64)>,
    people: Vec<Invited>,
    /// (outcome: Some(passed?), objected)
    decisions: Vec<(Option<bool>, bool)>,
    /// (due, done on)
    tasks: Vec<(NaiveDate, Option<NaiveDate>)>,
    ratings: Vec<i32>,
    published_at: Option<i64>,
    series: Option<i64>,
}

fn rate(n: usize, d: usize) -> Value {
    if d == 0 {
        Value::Null
    } else {
        json!(huiwu::meetings::improvement::round(n as f64 / d as f64))
    }
}

fn avg(v: &[f64]) -> Value {
    if v.is_empty() {
        Value::Null
    } else {
        json!(huiwu::meetings::improvement::round(
            v.iter().sum::<f64>() / v.len() as f64
        ))
    }
}

/// The numbers of `meetings`, written from the README's definitions.
fn expected(meetings: &[&Held], today: NaiveDate, midpoint: i64) -> BTreeMap<&'static str, Value> {
    let n = meetings.len();
    let on_time = meetings
        .iter()
        .filter(|m| m.started_at <= m.starts_at + GRACE)
        .count();
    let delays: Vec<f64> = meetings
        .iter()
        .map(|m| (m.started_at - m.starts_at).max(0) as f64 / MINUTE as f64)
        .collect();
    let timed: Vec<&(i64, i64, i64)> = meetings.iter().flat_map(|m| m.timed.iter()).collect();
    let over: Vec<f64> = timed
        .iter()
        .map(|(b, s, e)| (e - s) as f64 / MINUTE as f64 - *b as f64)
        .filter(|o| *o > 0.0)
        .collect();
    let people: Vec<(&Held, &Invited)> = meetings
        .iter()
        .flat_map(|m| m.people.iter().map(move |p| (*m, p)))
        .collect();
    let came: Vec<_> = people.iter().filter(|(_, p)| p.0.is_some()).collect();
    let late = came
        .iter()
        .filter(|(m, p)| p.0.unwrap() > m.starts_at + GRACE)
        .count();
    let absent = people.iter().filter(|(_, p)| p.0.is_none() && !p.1).count();
    let decisions: Vec<&(Option<bool>, bool)> =
        meetings.iter().flat_map(|m| m.decisions.iter()).collect();
    let tasks: Vec<&(NaiveDate, Option<NaiveDate>)> =
        meetings.iter().flat_map(|m| m.tasks.iter()).collect();
    let overdue: Vec<f64> = tasks
        .iter()
        .filter_map(|(due, done)| {
            let until = done.unwrap_or(today);
            (until > *due).then(|| (until - *due).num_days() as f64)
        })
        .collect();
    let ratings: Vec<f64> = meetings
        .iter()
        .flat_map(|m| m.ratings.iter().map(|r| *r as f64))
        .collect();
    let half = |first: bool| -> Vec<f64> {
        meetings
            .iter()
            .filter(|m| (m.starts_at < midpoint) == first)
            .flat_map(|m| m.ratings.iter().map(|r| *r as f64))
            .collect()
    };
    let trend = match (avg(&half(false)), avg(&half(true))) {
        (Value::Number(a), Value::Number(b)) => json!(huiwu::meetings::improvement::round(
            a.as_f64().unwrap() - b.as_f64().unwrap()
        )),
        _ => Value::Null,
    };
    BTreeMap::from([
        ("meetings", json!(n)),
        ("on_time_start_rate", rate(on_time, n)),
        ("average_start_delay_minutes", avg(&delays)),
        ("agenda_items_timed", json!(timed.len())),
        ("agenda_items_over", json!(over.len())),
        ("average_overrun_minutes", avg(&over)),
        ("invited", json!(people.len())),
        ("attendance_rate", rate(came.len(), people.len())),
        ("late_rate", rate(late, came.len())),
        ("absent_rate", rate(absent, people.len())),
        (
            "delegations",
            json!(people.iter().filter(|(_, p)| p.2).count()),
        ),
        ("decisions", json!(decisions.len())),
        ("decisions_per_meeting", rate(decisions.len(), n)),
        (
            "decisions_passed",
            json!(decisions.iter().filter(|d| d.0 == Some(true)).count()),
        ),
        (
            "decisions_tabled",
            json!(decisions.iter().filter(|d| d.0 == Some(false)).count()),
        ),
        (
            "decisions_with_objections",
            json!(decisions.iter().filter(|d| d.1).count()),
        ),
        ("action_items", json!(tasks.len())),
        (
            "action_items_on_time_rate",
            rate(
                tasks
                    .iter()
                    .filter(|(due, done)| done.is_some_and(|d| d <= *due))
                    .count(),
                tasks.len(),
            ),
        ),
        ("average_days_overdue", avg(&overdue)),
        ("feedback_count", json!(ratings.len())),
        ("feedback_average", avg(&ratings)),
        ("feedback_trend", trend),
        (
            "minutes_on_time_rate",
            rate(
                meetings
                    .iter()
                    .filter(|m| m.published_at.is_some_and(|p| p <= m.ends_at + WINDOW))
                    .count(),
                n,
            ),
        ),
    ])
}

fn draft(title: &str, start: i64, host: i64, attendees: &[i64], agenda: &[u32]) -> MeetingDraft {
    let at = |ms: i64| Utc.timestamp_millis_opt(ms).unwrap().to_rfc3339();
    let mut roles = vec![RoleFields {
        person_id: host,
        role: Role::Host,
    }];
    roles.extend(attendees.iter().map(|&p| RoleFields {
        person_id: p,
        role: Role::Attendee,
    }));
    MeetingDraft::parse(MeetingFields {
        title: Some(title.into()),
        starts_at: Some(at(start)),
        ends_at: Some(at(start + 60 * MINUTE)),
        place: Some("会议室".into()),
        agenda: agenda
            .iter()
            .enumerate()
            .map(|(i, m)| AgendaFields {
                title: format!("议程{i}"),
                presenter_id: None,
                minutes: *m,
            })
            .collect(),
        roles,
        ..Default::default()
    })
    .unwrap()
}

/// A quarter of meetings (and some that must not count), every fact written as the app
/// would; returns what was generated for the meetings held, by meeting id.
fn generate(c: &mut DbConn, hosts: &[i64], staff: &[i64], now: i64) -> (BTreeMap<i64, Held>, i64) {
    use huiwu::db::{action_items, audit, decisions, feedback, meetings, minutes, participants};
    let mut rng = rand::rngs::StdRng::seed_from_u64(20261201);
    let first = NaiveDate::from_ymd_opt(2026, 10, 1).unwrap();
    let mut held = BTreeMap::new();
    // Every fourth meeting held is an occurrence of one recurring series.
    let template = huiwu::meetings::series::SeriesTemplate::parse(
        None,
        &huiwu::meetings::series::SeriesFields {
            title: Some("周例会".into()),
            place: Some("会议室".into()),
            start_time: Some("09:00".into()),
            duration_minutes: Some(60),
            roles: Some(vec![huiwu::meetings::draft::RoleFields {
                person_id: hosts[0],
                role: Role::Host,
            }]),
            ..Default::default()
        },
    )
    .unwrap();
    let rule = huiwu::meetings::recurrence::Recurrence::parse(
        &huiwu::meetings::recurrence::RecurrenceFields {
            frequency: Some("weekly".into()),
            weekdays: vec!["mon".into()],
            starts_on: Some("2026-10-05".into()),
            count: Some(13),
            ..Default::default()
        },
    )
    .unwrap();
    let series = huiwu::db::series::insert(c, &template, &rule, None, now).unwrap();
    for i in 0..320 {
        let day = first + Duration::days(i * 92 / 320);
        let start = shanghai(day, 9 + (i % 8) as u32, 0);
        let host = hosts[rng.random_range(0..hosts.len())];
        let attendees: Vec<i64> = staff
            .iter()
            .copied()
            .filter(|_| rng.random_bool(0.3))
            .collect();
        let agenda: Vec<u32> = (0..rng.random_range(1..4))
            .map(|_| rng.random_range(10..20))
            .collect();
        let d = draft(&format!("会议{i}"), start, host, &attendees, &agenda);
        let id = meetings::insert_draft(c, &d, now).unwrap();
        meetings::set_status(
            c,
            id,
            MeetingStatus::Draft,
            MeetingStatus::Scheduled,
            None,
            now,
        )
        .unwrap();
        if i % 16 == 5 {
            // Cancelled, or never held: not counted.
            let to = if i % 32 == 5 {
                MeetingStatus::Cancelled
            } else {
                MeetingStatus::Scheduled
            };
            if to == MeetingStatus::Cancelled {
                meetings::set_status(c, id, MeetingStatus::Scheduled, to, Some("取消"), now)
                    .unwrap();
            }
            continue;
        }
        let mut h = Held {
            host,
            starts_at: start,
            ends_at: start + 60 * MINUTE,
            ..Default::default()
        };
        h.started_at = start + rng.random_range(-2..15) * MINUTE + rng.random_range(0..60) * 1000;
        meetings::set_status(
            c,
            id,
            MeetingStatus::Scheduled,
            MeetingStatus::InProgress,
            None,
            now,
        )
        .unwrap();
        meetings::set_started(c, id, h.started_at).unwrap();
        let mut at = h.started_at;
        for (p, minutes) in agenda.iter().enumerate() {
            if rng.random_bool(0.2) {
                continue; // never reached
            }
            let used = (*minutes as i64 + rng.random_range(-5..8)) * MINUTE;
            meetings::set_agenda_times(c, id, p as i32 + 1, Some(at), Some(at + used)).unwrap();
            h.timed.push((*minutes as i64, at, at + used));
            at += used;
        }
        for &p in &attendees {
            let declined = rng.random_bool(0.1);
            let delegated = !declined && rng.random_bool(0.05);
            if declined || delegated {
                let rsvp = Rsvp::Declined {
                    reason: "出差".into(),
                };
                let delegate = delegated.then_some(hosts[0]);
                participants::set_rsvp(c, id, typed(p), &rsvp, delegate.map(typed), now).unwrap();
            }
            // Someone who sent a delegate declined in person.
            let not_coming = declined || delegated;
            let came = (!not_coming && rng.random_bool(0.75))
                .then(|| start + rng.random_range(-10..15) * MINUTE);
            if let Some(t) = came {
                participants::check_in(c, id, typed(p), None, t).unwrap();
            }
            h.people.push((came, not_coming, delegated));
        }
        // The host's own row (a participant too), checked in at the start.
        participants::check_in(c, id, typed(host), None, h.started_at).unwrap();
        h.people.push((Some(h.started_at), false, false));
        for _ in 0..rng.random_range(0..3) {
            let entry = minutes::append(c, id, None, EntryKind::Decision, "决议", typed(host), now)
                .unwrap();
            let objected = rng.random_bool(0.3);
            if objected {
                decisions::vote(c, entry, typed(host), Vote::Object, Some("理由"), now).unwrap();
            }
            let outcome = match rng.random_range(0..3) {
                0 => None,
                1 => Some(Outcome::Passed),
                _ => Some(Outcome::Tabled),
            };
            if let Some(o) = outcome {
                decisions::close(c, entry, o, Some(typed(host)), now).unwrap();
            }
            h.decisions
                .push((outcome.map(|o| o == Outcome::Passed), objected));
        }
        for _ in 0..rng.random_range(0..3) {
            let due = day + Duration::days(7);
            let item = action_items::insert(
                c,
                &action_items::NewActionItem {
                    meeting_id: id,
                    decision_id: None,
                    title: "任务",
                    owner_id: typed(host),
                    due_on: due,
                    created_by: typed(host),
                },
                now,
            )
            .unwrap();
            if rng.random_bool(0.05) {
                action_items::set_status(c, item, TaskStatus::Open, TaskStatus::Cancelled, now)
                    .unwrap();
                continue;
            }
            let done = rng
                .random_bool(0.6)
                .then(|| due + Duration::days(rng.random_range(-5..6)));
            if let Some(d) = done {
                action_items::set_status(
                    c,
                    item,
                    TaskStatus::Open,
                    TaskStatus::Done,
                    shanghai(d, 15, 0),
                )
                .unwrap();
            }
            h.tasks.push((due, done));
        }
        for (k, &p) in attendees.iter().enumerate().take(rng.random_range(0..4)) {
            let r = rng.random_range(1..6);
            feedback::upsert(c, id, typed(p), r as u8, "", now + k as i64).unwrap();
            h.ratings.push(r);
        }
        meetings::set_status(
            c,
            id,
            MeetingStatus::InProgress,
            MeetingStatus::Ended,
            None,
            now,
        )
        .unwrap();
        if rng.random_bool(0.7) {
            let published = h.ends_at + rng.random_range(1..48) * 60 * MINUTE;
            meetings::set_status(
                c,
                id,
                MeetingStatus::Ended,
                MeetingStatus::Closed,
                None,
                now,
            )
            .unwrap();
            audit::append(
                c,
                &huiwu::meetings::audit_action::AuditActor::Admin,
                huiwu::meetings::audit_action::Audit::CloseMeeting,
                Some(id),
                published,
            )
            .unwrap();
            h.published_at = Some(published);
        }
        if held.len().is_multiple_of(4) {
            huiwu::db::series::add_occurrence(c, series, id, first + Duration::days(i)).unwrap();
            h.series = Some(series.get());
        }
        held.insert(id.get(), h);
    }
    (held, series.get())
}

on_both_backends! {
    async fn the_report_over_a_generated_quarter_matches_the_raw_facts(backend: Backend) {
        let now = shanghai(NaiveDate::from_ymd_opt(2027, 1, 10).unwrap(), 9, 0);
        let clock = Arc::new(ManualClock::new(Utc.timestamp_millis_opt(now).unwrap()));
        let mut opts = TestOptions::new(backend);
        opts.clock = Some(clock.clone());
        opts.outbox_worker = false;
        opts.scheduler = false;
        let app = spawn(opts).await;
        let mut hosts = Vec::new();
        let mut staff = Vec::new();
        for i in 0..26 {
            let department = ["财务部", "人事部", "技术部"][i % 3];
            let id = app.person(&format!("E{i}")).named(&format!("员工{i}")).with("department", department).await;
            if i < 6 { hosts.push(id) } else { staff.push(id) }
        }
        let (h2, s2) = (hosts.clone(), staff.clone());
        let (held, series) = app.db.run(move |c| Ok(generate(c, &h2, &s2, now))).await.unwrap();
        assert!(held.len() > 250, "a few hundred meetings held: {}", held.len());

        let report = app.admin_read("/reports/improvement?from=2026-10-01&until=2026-12-31&group_by=host").await;
        let today = NaiveDate::from_ymd_opt(2027, 1, 10).unwrap();
        let from = shanghai(NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(), 0, 0);
        let until = shanghai(NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(), 0, 0);
        let midpoint = from + (until - from) / 2;
        let groups = report["groups"].as_array().unwrap();
        assert_eq!(groups.len(), hosts.len());
        for g in groups {
            let host: i64 = g["key"].as_str().unwrap().trim_start_matches("person:").parse().unwrap();
            let mine: Vec<&Held> = held.values().filter(|h| h.host == host).collect();
            for (field, want) in expected(&mine, today, midpoint) {
                assert_eq!(g[field], want, "{field} of host {host}");
            }
        }
        // By department: the hosts' departments, every held meeting counted once.
        let by_department = app.admin_read("/reports/improvement?from=2026-10-01&until=2026-12-31&group_by=department").await;
        let counted: i64 = by_department["groups"].as_array().unwrap().iter().map(|g| g["meetings"].as_i64().unwrap()).sum();
        assert_eq!(counted as usize, held.len());
        // By series: the occurrences only, every number as by host.
        let by_series = app.admin_read("/reports/improvement?from=2026-10-01&until=2026-12-31&group_by=series").await;
        let groups = by_series["groups"].as_array().unwrap();
        assert_eq!(groups.len(), 1, "{by_series}");
        assert_eq!((groups[0]["key"].clone(), groups[0]["label"].clone()), (json!(format!("series:{series}")), json!("周例会")));
        let occurrences: Vec<&Held> = held.values().filter(|h| h.series == Some(series)).collect();
        assert!(occurrences.len() > 60);
        for (field, want) in expected(&occurrences, today, midpoint) {
            assert_eq!(groups[0][field], want, "{field} of the series");
        }
        // CSV, for a spreadsheet.
        let csv = app.client.get(format!("{}/api/v1/reports/improvement?from=2026-10-01&until=2026-12-31&group_by=host", app.base))
            .bearer_auth(ADMIN_TOKEN).header("accept", "text/csv").send().await.unwrap();
        assert!(csv.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
        let text = csv.text().await.unwrap();
        assert!(text.starts_with("\u{feff}key,label,meetings,on_time_start_rate"), "{text}");
        assert_eq!(text.lines().count(), hosts.len() + 1);
        // The first working day of January: December's summary to the admins, once.
        let admin = app.person("A1").named("管理员甲").openid("oAdmin").with("is_admin", true).await;
        let dynamic: Arc<dyn huiwu::clock::Clock> = clock.clone();
        let (_, notices) = huiwu::startup::outbound(&app.settings, &app.db, &dynamic).unwrap();
        let scheduler = huiwu::notify::scheduler::Scheduler::new(app.db.clone(), dynamic, Arc::new(notices), Arc::new(tokio::sync::Notify::new()));
        clock.set(Utc.timestamp_millis_opt(shanghai(NaiveDate::from_ymd_opt(2026, 12, 20).unwrap(), 12, 0)).unwrap());
        scheduler.tick().await.unwrap();
        clock.set(Utc.timestamp_millis_opt(shanghai(NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(), 9, 1)).unwrap());
        scheduler.tick().await.unwrap();
        scheduler.tick().await.unwrap();
        let december = shanghai(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(), 0, 0);
        let held_in_december = held.values().filter(|h| h.starts_at >= december).count();
        let rows = app.db.run(huiwu::db::outbox::all).await.unwrap();
        let monthly: Vec<_> = rows.iter().filter(|r| r.kind == huiwu::meetings::notice_kind::NoticeKind::MonthlyReport).collect();
        assert_eq!(monthly.len(), 1, "once, to the one admin");
        assert_eq!(monthly[0].person_id, Some(typed(admin)));
        assert!(monthly[0].payload.contains(&format!("全部：会议 {held_in_december} 场")), "{}", monthly[0].payload);
        assert!(monthly[0].payload.contains("2026-12-01 至 2026-12-31"), "{}", monthly[0].payload);
        // Bad periods are refused, naming the field.
        for (query, field) in [
            ("from=2026-12-31&until=2026-10-01&group_by=host", "until"),
            ("from=2024-01-01&until=2026-12-31&group_by=host", "until"),
            ("from=2026-10-01&until=2026-12-31&group_by=room", "group_by"),
        ] {
            let (status, body) = app.admin(Method::GET, &format!("/reports/improvement?{query}"), None).await;
            assert_eq!((status, body["error"]["details"][0]["field"].as_str()), (422, Some(field)), "{body}");
        }
    }
}
