//! Recurring meetings: the series, which meeting is which date of it, and answers given for the
//! whole series.

use super::schema::{series::dsl as s, series_answers::dsl as sa, series_occurrences::dsl as so};
use super::{on_backend, DbConn, DbError};
use crate::meetings::participation::Rsvp;
use crate::meetings::recurrence::Recurrence;
use crate::meetings::series::{SeriesStatus, SeriesTemplate};
use crate::meetings::stamp::Stamp;
use crate::meetings::{MeetingId, PersonId, SeriesId};
use chrono::NaiveDate;
use diesel::prelude::*;

/// A series as stored, its JSON parsed once here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesRow {
    pub id: SeriesId,
    pub template: SeriesTemplate,
    pub rule: Recurrence,
    pub status: SeriesStatus,
    /// Raised on every change, for calendars (SEQUENCE).
    pub sequence: i32,
    pub split_from: Option<SeriesId>,
    /// Whether its invitation went out (it does with the first published occurrence).
    pub announced: bool,
    pub end_reason: Option<String>,
    pub created_at: Stamp,
    pub updated_at: Stamp,
}

impl SeriesRow {
    /// Every date of the series' rule. The rule was checked before it was stored, so one that
    /// gives no dates now is corrupt, never "no occurrences".
    pub fn dates(&self) -> Result<Vec<NaiveDate>, DbError> {
        self.rule
            .dates()
            .map_err(|e| DbError::Corrupt(format!("series {} has a rule that fails: {e}", self.id)))
    }
}

#[derive(Queryable)]
struct Stored {
    id: SeriesId,
    // The title is a column of its own for listing; the template holds it too.
    _title: String,
    template: String,
    rule: String,
    status: String,
    sequence: i32,
    split_from: Option<SeriesId>,
    announced: bool,
    end_reason: Option<String>,
    created_at: Stamp,
    updated_at: Stamp,
}

impl TryFrom<Stored> for SeriesRow {
    type Error = DbError;

    fn try_from(r: Stored) -> Result<Self, DbError> {
        let corrupt = |what: &str, e: &dyn std::fmt::Display| {
            DbError::Corrupt(format!("series {} has a corrupt {what}: {e}", r.id))
        };
        Ok(SeriesRow {
            id: r.id,
            template: serde_json::from_str(&r.template).map_err(|e| corrupt("template", &e))?,
            rule: serde_json::from_str(&r.rule).map_err(|e| corrupt("rule", &e))?,
            status: SeriesStatus::try_from(r.status.clone()).map_err(|e| corrupt("status", &e))?,
            sequence: r.sequence,
            split_from: r.split_from,
            announced: r.announced,
            end_reason: r.end_reason,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

pub fn insert(
    conn: &mut DbConn,
    template: &SeriesTemplate,
    rule: &Recurrence,
    split_from: Option<SeriesId>,
    now_ms: i64,
) -> Result<SeriesId, DbError> {
    let split_from = split_from.map(SeriesId::get);
    let row = (
        s::title.eq(&template.title),
        s::template.eq(json(template)),
        s::rule.eq(json(rule)),
        s::status.eq(SeriesStatus::Active.as_str()),
        s::split_from.eq(split_from),
        s::created_at.eq(now_ms),
        s::updated_at.eq(now_ms),
    );
    Ok(on_backend!(conn, |c| diesel::insert_into(s::series)
        .values(row)
        .returning(s::id)
        .get_result(c))?)
}

pub fn get(conn: &mut DbConn, id: SeriesId) -> Result<Option<SeriesRow>, DbError> {
    let row: Option<Stored> = on_backend!(conn, |c| s::series.find(id).first(c).optional())?;
    row.map(SeriesRow::try_from).transpose()
}

/// Takes the series for this transaction (PostgreSQL), so two instances extending or changing
/// it at once queue; SQLite has one writer anyway.
pub fn lock(conn: &mut DbConn, id: SeriesId) -> Result<Option<SeriesRow>, DbError> {
    if let DbConn::Pg(c) = conn {
        s::series
            .find(id)
            .select(s::id)
            .for_update()
            .first::<i64>(c)
            .optional()?;
    }
    get(conn, id)
}

pub fn list(conn: &mut DbConn) -> Result<Vec<SeriesRow>, DbError> {
    let rows: Vec<Stored> = on_backend!(conn, |c| s::series.order(s::id).load(c))?;
    rows.into_iter().map(SeriesRow::try_from).collect()
}

/// Active series: the ones whose horizon moves.
pub fn active_ids(conn: &mut DbConn) -> Result<Vec<SeriesId>, DbError> {
    Ok(on_backend!(conn, |c| s::series
        .filter(s::status.eq(SeriesStatus::Active.as_str()))
        .select(s::id)
        .order(s::id)
        .load(c))?)
}

pub fn save(
    conn: &mut DbConn,
    id: SeriesId,
    template: &SeriesTemplate,
    rule: &Recurrence,
    now_ms: i64,
) -> Result<(), DbError> {
    on_backend!(conn, |c| diesel::update(s::series.find(id))
        .set((
            s::title.eq(&template.title),
            s::template.eq(json(template)),
            s::rule.eq(json(rule)),
            s::sequence.eq(s::sequence + 1),
            s::updated_at.eq(now_ms),
        ))
        .execute(c))?;
    Ok(())
}

pub fn mark_announced(conn: &mut DbConn, id: SeriesId) -> Result<(), DbError> {
    on_backend!(conn, |c| diesel::update(s::series.find(id))
        .set(s::announced.eq(true))
        .execute(c))?;
    Ok(())
}

pub fn end(conn: &mut DbConn, id: SeriesId, reason: &str, now_ms: i64) -> Result<(), DbError> {
    on_backend!(conn, |c| diesel::update(s::series.find(id))
        .set((
            s::status.eq(SeriesStatus::Ended.as_str()),
            s::end_reason.eq(reason),
            s::sequence.eq(s::sequence + 1),
            s::updated_at.eq(now_ms),
        ))
        .execute(c))?;
    Ok(())
}

/// One meeting of a series.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    pub meeting_id: MeetingId,
    pub series_id: SeriesId,
    /// The date the rule gave it, even when it was moved.
    pub date: NaiveDate,
    pub detached: bool,
}

fn occurrence(
    (meeting_id, series_id, date, detached): (MeetingId, SeriesId, String, bool),
) -> Result<Occurrence, DbError> {
    let date = NaiveDate::parse_from_str(&date, "%Y-%m-%d").map_err(|e| {
        DbError::Corrupt(format!("occurrence {meeting_id} has a corrupt date: {e}"))
    })?;
    Ok(Occurrence {
        meeting_id,
        series_id,
        date,
        detached,
    })
}

pub fn add_occurrence(
    conn: &mut DbConn,
    series_id: SeriesId,
    meeting_id: MeetingId,
    date: NaiveDate,
) -> Result<(), DbError> {
    on_backend!(conn, |c| diesel::insert_into(so::series_occurrences)
        .values((
            so::meeting_id.eq(meeting_id),
            so::series_id.eq(series_id),
            so::occurrence_date.eq(date.format("%Y-%m-%d").to_string()),
        ))
        .execute(c))?;
    Ok(())
}

/// A series' occurrences by date.
pub fn occurrences(conn: &mut DbConn, series_id: SeriesId) -> Result<Vec<Occurrence>, DbError> {
    let rows: Vec<(MeetingId, SeriesId, String, bool)> =
        on_backend!(conn, |c| so::series_occurrences
            .filter(so::series_id.eq(series_id))
            .order(so::occurrence_date)
            .load(c))?;
    rows.into_iter().map(occurrence).collect()
}

/// The series a meeting belongs to, if any.
pub fn occurrence_of(
    conn: &mut DbConn,
    meeting_id: MeetingId,
) -> Result<Option<Occurrence>, DbError> {
    let row: Option<(MeetingId, SeriesId, String, bool)> =
        on_backend!(conn, |c| so::series_occurrences
            .find(meeting_id)
            .first(c)
            .optional())?;
    row.map(occurrence).transpose()
}

/// The occurrences among `meeting_ids`, by meeting.
pub fn occurrences_among(
    conn: &mut DbConn,
    meeting_ids: &[MeetingId],
) -> Result<Vec<Occurrence>, DbError> {
    let meeting_ids: Vec<i64> = meeting_ids.iter().map(|m| m.get()).collect();
    let rows: Vec<(MeetingId, SeriesId, String, bool)> =
        on_backend!(conn, |c| so::series_occurrences
            .filter(so::meeting_id.eq_any(&meeting_ids))
            .load(c))?;
    rows.into_iter().map(occurrence).collect()
}

pub fn set_detached(conn: &mut DbConn, meeting_id: MeetingId) -> Result<(), DbError> {
    on_backend!(conn, |c| diesel::update(
        so::series_occurrences.find(meeting_id)
    )
    .set(so::detached.eq(true))
    .execute(c))?;
    Ok(())
}

/// Moves an occurrence to the series split off from its own.
pub fn move_occurrence(
    conn: &mut DbConn,
    meeting_id: MeetingId,
    series_id: SeriesId,
) -> Result<(), DbError> {
    on_backend!(conn, |c| diesel::update(
        so::series_occurrences.find(meeting_id)
    )
    .set(so::series_id.eq(series_id))
    .execute(c))?;
    Ok(())
}

/// Records `person`'s answer for every occurrence of the series, those to come included.
pub fn set_answer(
    conn: &mut DbConn,
    series_id: SeriesId,
    person_id: PersonId,
    rsvp: &Rsvp,
    now_ms: i64,
) -> Result<(), DbError> {
    on_backend!(conn, |c| {
        diesel::delete(sa::series_answers.find((series_id, person_id))).execute(c)?;
        diesel::insert_into(sa::series_answers)
            .values((
                sa::series_id.eq(series_id),
                sa::person_id.eq(person_id),
                sa::rsvp.eq(rsvp.as_str()),
                sa::reason.eq(rsvp.reason()),
                sa::answered_at.eq(now_ms),
            ))
            .execute(c)
    })?;
    Ok(())
}

/// Answers given for the whole series, by person.
pub fn answers(conn: &mut DbConn, series_id: SeriesId) -> Result<Vec<(PersonId, Rsvp)>, DbError> {
    let rows: Vec<(PersonId, String, Option<String>)> = on_backend!(conn, |c| sa::series_answers
        .filter(sa::series_id.eq(series_id))
        .select((sa::person_id, sa::rsvp, sa::reason))
        .load(c))?;
    rows.into_iter()
        .map(|(p, name, reason)| {
            Rsvp::from_stored(&name, reason)
                .map(|r| (p, r))
                .map_err(|e| DbError::Corrupt(e.to_string()))
        })
        .collect()
}
