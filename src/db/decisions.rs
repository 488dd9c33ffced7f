//! Votes on decisions and how each was closed.

use super::schema::{decision_outcomes::dsl as o, decision_votes::dsl as v};
use super::{on_backend, DbConn, DbError};
use crate::meetings::consensus::{Cast, Outcome, Vote};
use crate::meetings::{EntryId, PersonId};
use diesel::prelude::*;

pub fn vote(
    conn: &mut DbConn,
    entry_id: EntryId,
    person_id: PersonId,
    vote: Vote,
    reason: Option<&str>,
    now_ms: i64,
) -> Result<(), DbError> {
    on_backend!(conn, |c| diesel::insert_into(v::decision_votes)
        .values((
            v::entry_id.eq(entry_id),
            v::person_id.eq(person_id),
            v::vote.eq(vote.as_str()),
            v::reason.eq(reason),
            v::voted_at.eq(now_ms),
        ))
        .execute(c))?;
    Ok(())
}

/// Every vote on the decision, oldest first.
pub fn casts(conn: &mut DbConn, entry_id: EntryId) -> Result<Vec<Cast>, DbError> {
    let rows: Vec<(PersonId, String, Option<String>)> = on_backend!(conn, |c| v::decision_votes
        .filter(v::entry_id.eq(entry_id))
        .order(v::id)
        .select((v::person_id, v::vote, v::reason))
        .load(c))?;
    rows.into_iter()
        .map(|(person, vote, reason)| {
            let vote = Vote::try_from(vote).map_err(|e| DbError::Corrupt(e.to_string()))?;
            Ok(Cast {
                person,
                vote,
                reason,
            })
        })
        .collect()
}

/// Closes the decision unless it is closed already; whether this call did.
pub fn close(
    conn: &mut DbConn,
    entry_id: EntryId,
    outcome: Outcome,
    by: Option<PersonId>,
    now_ms: i64,
) -> Result<bool, DbError> {
    let by = by.map(PersonId::get);
    if outcome_of(conn, entry_id)?.is_some() {
        return Ok(false);
    }
    on_backend!(conn, |c| diesel::insert_into(o::decision_outcomes)
        .values((
            o::entry_id.eq(entry_id),
            o::outcome.eq(outcome.as_str()),
            o::closed_by.eq(by),
            o::closed_at.eq(now_ms),
        ))
        .execute(c))?;
    Ok(true)
}

pub fn outcome_of(conn: &mut DbConn, entry_id: EntryId) -> Result<Option<Outcome>, DbError> {
    let row: Option<String> = on_backend!(conn, |c| o::decision_outcomes
        .find(entry_id)
        .select(o::outcome)
        .first(c)
        .optional())?;
    row.map(|name| Outcome::try_from(name).map_err(|e| DbError::Corrupt(e.to_string())))
        .transpose()
}
