//! The facts the continuous-improvement report is computed from, read in a few bulk queries
//! (one per kind of fact, in chunks of meetings) rather than per meeting.

use super::schema::{
    action_items::dsl as ai, agenda_items::dsl as a, audit_log::dsl as l,
    decision_outcomes::dsl as o, decision_votes::dsl as v, feedback::dsl as f,
    meeting_roles::dsl as mr, meetings::dsl as m, minutes_entries::dsl as me,
    participants::dsl as pt, series::dsl as s, series_occurrences::dsl as so,
};
use super::{on_backend, people, DbConn, DbError};
use crate::meetings::action_items::TaskStatus;
use crate::meetings::improvement::{
    DecisionFacts, GroupBy, MeetingFacts, ParticipantFacts, TaskFacts,
};
use crate::meetings::lifecycle::MeetingStatus;
use crate::meetings::participation::Role;
use crate::meetings::PersonId;
use chrono_tz::Tz;
use diesel::prelude::*;
use std::collections::HashMap;

/// Bound parameters per query stay well below SQLite's limit.
const CHUNK: usize = 5_000;

fn chunked<T>(
    ids: &[i64],
    mut load: impl FnMut(&[i64]) -> Result<Vec<T>, DbError>,
) -> Result<Vec<T>, DbError> {
    let mut out = Vec::new();
    for part in ids.chunks(CHUNK) {
        out.extend(load(part)?);
    }
    Ok(out)
}

/// The meetings held (ended, or their minutes published) whose planned start is in
/// `[from_ms, until_ms)`, with every fact the report reads, each in the groups of `by`.
pub fn facts(
    conn: &mut DbConn,
    from_ms: i64,
    until_ms: i64,
    by: GroupBy,
    tz: Tz,
) -> Result<Vec<MeetingFacts>, DbError> {
    let held = [
        MeetingStatus::Ended.as_str(),
        MeetingStatus::Closed.as_str(),
    ];
    type Row = (i64, i64, i64, Option<i64>);
    let rows: Vec<Row> = on_backend!(conn, |c| m::meetings
        .filter(m::starts_at.ge(from_ms))
        .filter(m::starts_at.lt(until_ms))
        .filter(m::status.eq_any(held))
        .select((m::id, m::starts_at, m::ends_at, m::started_at))
        .order(m::id)
        .load(c))?;
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let mut facts: HashMap<i64, MeetingFacts> = rows
        .into_iter()
        .map(|(id, starts_at, ends_at, started_at)| {
            (
                id,
                MeetingFacts {
                    id,
                    groups: Vec::new(),
                    starts_at,
                    ends_at,
                    started_at,
                    agenda: Vec::new(),
                    participants: Vec::new(),
                    decisions: Vec::new(),
                    tasks: Vec::new(),
                    ratings: Vec::new(),
                    minutes_published_at: None,
                },
            )
        })
        .collect();

    // Groups.
    match by {
        GroupBy::Host | GroupBy::Department => {
            let hosts: Vec<(i64, PersonId)> = chunked(&ids, |part| {
                Ok(on_backend!(conn, |c| mr::meeting_roles
                    .filter(mr::meeting_id.eq_any(part))
                    .filter(mr::role.eq(Role::Host.as_str()))
                    .select((mr::meeting_id, mr::person_id))
                    .load(c))?)
            })?;
            let mut person_ids: Vec<PersonId> = hosts.iter().map(|h| h.1).collect();
            person_ids.sort_unstable();
            person_ids.dedup();
            let found = people::by_ids(conn, &person_ids)?;
            for (meeting, host) in hosts {
                let Some(p) = found.get(&host) else { continue };
                let group = match by {
                    GroupBy::Host => (format!("person:{host}"), p.name.clone()),
                    _ => {
                        let department = if p.department.is_empty() {
                            "（未填部门）".to_owned()
                        } else {
                            p.department.clone()
                        };
                        (department.clone(), department)
                    }
                };
                if let Some(f) = facts.get_mut(&meeting) {
                    if !f.groups.contains(&group) {
                        f.groups.push(group);
                    }
                }
            }
        }
        GroupBy::Series => {
            let links: Vec<(i64, i64)> = chunked(&ids, |part| {
                Ok(on_backend!(conn, |c| so::series_occurrences
                    .filter(so::meeting_id.eq_any(part))
                    .select((so::meeting_id, so::series_id))
                    .load(c))?)
            })?;
            let titles: HashMap<i64, String> =
                on_backend!(conn, |c| s::series.select((s::id, s::title)).load(c))?
                    .into_iter()
                    .collect();
            for (meeting, series) in links {
                // Series are never deleted: an occurrence of none is a damaged row, not a
                // group without a name.
                let label = titles.get(&series).cloned().ok_or_else(|| {
                    DbError::Corrupt(format!(
                        "meeting {meeting} is an occurrence of series {series}, which does not exist"
                    ))
                })?;
                if let Some(f) = facts.get_mut(&meeting) {
                    f.groups.push((format!("series:{series}"), label));
                }
            }
        }
    }

    let agenda: Vec<(i64, i32, Option<i64>, Option<i64>)> = chunked(&ids, |part| {
        Ok(on_backend!(conn, |c| a::agenda_items
            .filter(a::meeting_id.eq_any(part))
            .select((a::meeting_id, a::minutes, a::started_at, a::ended_at))
            .load(c))?)
    })?;
    for (meeting, minutes, started, ended) in agenda {
        if let Some(f) = facts.get_mut(&meeting) {
            f.agenda.push((minutes, started, ended));
        }
    }

    type Participant = (i64, String, Option<i64>, Option<i64>);
    let invited: Vec<Participant> = chunked(&ids, |part| {
        Ok(on_backend!(conn, |c| pt::participants
            .filter(pt::meeting_id.eq_any(part))
            .select((pt::meeting_id, pt::rsvp, pt::delegate_id, pt::checked_in_at))
            .load(c))?)
    })?;
    for (meeting, rsvp, delegate, checked_in_at) in invited {
        if let Some(f) = facts.get_mut(&meeting) {
            f.participants.push(ParticipantFacts {
                checked_in_at,
                declined: rsvp == "declined",
                delegated: delegate.is_some(),
            });
        }
    }

    let decisions: Vec<(i64, i64)> = chunked(&ids, |part| {
        Ok(on_backend!(conn, |c| me::minutes_entries
            .filter(me::meeting_id.eq_any(part))
            .filter(me::kind.eq("decision"))
            .select((me::id, me::meeting_id))
            .load(c))?)
    })?;
    let entry_ids: Vec<i64> = decisions.iter().map(|d| d.0).collect();
    let outcomes: HashMap<i64, String> = chunked(&entry_ids, |part| {
        Ok(on_backend!(conn, |c| o::decision_outcomes
            .filter(o::entry_id.eq_any(part))
            .select((o::entry_id, o::outcome))
            .load::<(i64, String)>(c))?)
    })?
    .into_iter()
    .collect();
    let objected: Vec<i64> = chunked(&entry_ids, |part| {
        Ok(on_backend!(conn, |c| v::decision_votes
            .filter(v::entry_id.eq_any(part))
            .filter(v::vote.eq("object"))
            .select(v::entry_id)
            .load(c))?)
    })?;
    for (entry, meeting) in decisions {
        if let Some(f) = facts.get_mut(&meeting) {
            f.decisions.push(DecisionFacts {
                passed: outcomes.get(&entry).map(|o| o == "passed"),
                objected: objected.contains(&entry),
            });
        }
    }

    type Task = (i64, String, String, i64);
    let tasks: Vec<Task> = chunked(&ids, |part| {
        Ok(on_backend!(conn, |c| ai::action_items
            .filter(ai::meeting_id.eq_any(part))
            .filter(ai::status.ne(TaskStatus::Cancelled.as_str()))
            .select((ai::meeting_id, ai::due_on, ai::status, ai::updated_at))
            .load(c))?)
    })?;
    for (meeting, due_on, status, updated_at) in tasks {
        let Ok(due) = due_on.parse() else {
            return Err(DbError::Corrupt(format!(
                "an action item of meeting {meeting} has the due date {due_on:?}"
            )));
        };
        // A done item is not changed after: its last change is when it was marked done.
        let done_on = (status == TaskStatus::Done.as_str())
            .then(|| crate::meetings::display::local(updated_at, tz).map(|t| t.date_naive()))
            .flatten();
        if let Some(f) = facts.get_mut(&meeting) {
            f.tasks.push(TaskFacts { due, done_on });
        }
    }

    let ratings: Vec<(i64, i32)> = chunked(&ids, |part| {
        Ok(on_backend!(conn, |c| f::feedback
            .filter(f::meeting_id.eq_any(part))
            .select((f::meeting_id, f::rating))
            .load(c))?)
    })?;
    for (meeting, rating) in ratings {
        if let Some(f) = facts.get_mut(&meeting) {
            f.ratings.push(rating);
        }
    }

    let closes: Vec<(Option<i64>, i64)> = chunked(&ids, |part| {
        Ok(on_backend!(conn, |c| l::audit_log
            .filter(l::meeting_id.eq_any(part))
            .filter(l::action.eq("close_meeting"))
            .select((l::meeting_id, l::at))
            .load(c))?)
    })?;
    for (meeting, at) in closes {
        if let Some(f) = meeting.and_then(|id| facts.get_mut(&id)) {
            f.minutes_published_at = Some(f.minutes_published_at.map_or(at, |p| p.min(at)));
        }
    }

    let mut out: Vec<MeetingFacts> = facts.into_values().collect();
    out.sort_by_key(|f| f.id);
    Ok(out)
}
