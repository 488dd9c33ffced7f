//! Cancelling one occurrence, and ending the series with one message to everyone it
//! invited.

use super::*;
use crate::meetings::audit_action::Audit;

/// Cancels one occurrence: its invitees are told, the other occurrences go on.
pub fn cancel_occurrence(
    c: &mut DbConn,
    env: &Env,
    actor: Actor,
    series_id: SeriesId,
    date: NaiveDate,
    reason: &str,
) -> Result<MeetingRecord, OpsError> {
    let series = load(c, series_id)?;
    require(actor, &series.template)?;
    let s = occurrence_on(c, env, &actor.audit_name(), &series, date)?;
    let record = lifecycle::cancel(c, env, Actor::Admin, s.id(), reason)?;
    audit_series(
        c,
        env,
        &actor.audit_name(),
        Audit::CancelOccurrence,
        series_id,
    )?;
    Ok(record)
}

/// What ending a series did.
pub struct Ended {
    pub series: SeriesRow,
    /// Occurrences cancelled (those not yet held).
    pub cancelled: Vec<MeetingId>,
    /// People told, once each.
    pub told: usize,
}

/// Ends the series: the occurrences not yet held are cancelled, and everyone invited to any of
/// them is told once, with the dates, in one message.
pub fn end(
    c: &mut DbConn,
    env: &Env,
    actor: Actor,
    series_id: SeriesId,
    reason: &str,
) -> Result<Ended, OpsError> {
    let reason = match Rsvp::decline(reason)? {
        Rsvp::Declined { reason } => reason,
        _ => return Err(DomainError::ReasonRequired.into()),
    };
    let series = load(c, series_id)?;
    require(actor, &series.template)?;
    if series.status == SeriesStatus::Ended {
        return Err(OpsError::SeriesEnded);
    }
    let mut cancelled = Vec::new();
    let mut dates = Vec::new();
    let mut told: BTreeSet<PersonId> = BTreeSet::new();
    let mut first_future: Option<NaiveDate> = None;
    for o in db::occurrences(c, series_id)? {
        let mut s = Subject::load(c, o.meeting_id)?;
        if !matches!(s.status, MeetingStatus::Draft | MeetingStatus::Scheduled) {
            continue;
        }
        first_future = first_future.or(Some(o.date));
        if s.status.announced() {
            told.extend(notices::invitees(c, s.id())?);
            told.extend(notices::informed(c, s.id())?);
            dates.push(crate::meetings::display::day(o.date));
        }
        s.transition(
            c,
            env,
            crate::meetings::lifecycle::Action::Cancel,
            Some(&reason),
        )?;
        planner::drop_meeting(c, s.id(), "the series ended", env.now_ms())?;
        s.audit(c, env, actor, Audit::CancelMeeting)?;
        cancelled.push(s.id());
    }
    // The rule keeps the dates held, so calendars keep them and drop the rest.
    let today = env.now.with_timezone(&env.notices.tz).date_naive();
    let cut = first_future.unwrap_or(today).max(series.rule.starts_on);
    let rule = series
        .rule
        .ending_before(cut)
        .unwrap_or(series.rule.clone());
    db::save(c, series_id, &series.template, &rule, env.now_ms())?;
    db::end(c, series_id, &reason, env.now_ms())?;
    let told: Vec<PersonId> = told.into_iter().collect();
    if let Some(&about) = cancelled.first() {
        let notice = Notice::SeriesEnded { reason, dates };
        notices::queue(c, &env.notices, about, &notice, &told, env.now_ms())?;
    }
    audit_series(c, env, &actor.audit_name(), Audit::EndSeries, series_id)?;
    Ok(Ended {
        series: load(c, series_id)?,
        cancelled,
        told: told.len(),
    })
}
