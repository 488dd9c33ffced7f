//! Making a series and its occurrences as the horizon moves (on creation and by the
//! scheduler's upkeep), and the series' one invitation.

use super::*;
use crate::meetings::audit_action::Audit;
use diesel::Connection;

/// Makes a series and its occurrences up to `horizon_days` ahead, each published unless its
/// room is taken then; the invited get one invitation for the series.
pub fn create(
    c: &mut DbConn,
    env: &Env,
    actor: Actor,
    mut template: SeriesTemplate,
    rule: Recurrence,
    horizon_days: u32,
) -> Result<Outcome, OpsError> {
    if let Actor::Staff {
        person,
        admin: false,
    } = actor
    {
        // The organizer who makes it organizes it, as with a single meeting.
        let holds = template
            .roles
            .iter()
            .any(|r| r.person_id == person && matches!(r.role, Role::Host | Role::Organizer));
        if !holds {
            template.roles.push(crate::meetings::series::RoleTemplate {
                person_id: person,
                role: Role::Organizer,
            });
        }
    }
    require(actor, &template)?;
    references(c, &template)?;
    let id = db::insert(c, &template, &rule, None, env.now_ms())?;
    audit_series(c, env, &actor.audit_name(), Audit::CreateSeries, id)?;
    let made = extend(c, env, &actor.audit_name(), id, horizon_days)?;
    let series = load(c, id)?;
    Ok(Outcome { series, made })
}

/// The series' local dates from `today` to `horizon_days` ahead that have no occurrence yet.
pub(super) fn missing(
    c: &mut DbConn,
    env: &Env,
    series: &SeriesRow,
    horizon_days: u32,
) -> Result<Vec<NaiveDate>, OpsError> {
    if series.status != SeriesStatus::Active {
        return Ok(Vec::new());
    }
    let today = env.now.with_timezone(&env.notices.tz).date_naive();
    let last = today + chrono::Duration::days(i64::from(horizon_days));
    let have: BTreeSet<NaiveDate> = db::occurrences(c, series.id)?
        .into_iter()
        .map(|o| o.date)
        .collect();
    let dates = series.rule.dates().map_err(|e| {
        DbError::Corrupt(format!(
            "series {} has a rule without dates: {e}",
            series.id
        ))
    })?;
    Ok(dates
        .into_iter()
        .filter(|d| *d >= today && *d <= last && !have.contains(d))
        .collect())
}

/// Makes the series' missing occurrences up to `horizon_days` ahead. Run on creation and by the
/// scheduler as days pass; a date is made once (the series is locked meanwhile).
pub fn extend(
    c: &mut DbConn,
    env: &Env,
    who: &AuditActor,
    series_id: SeriesId,
    horizon_days: u32,
) -> Result<Vec<Made>, OpsError> {
    let series = load(c, series_id)?;
    let mut made = Vec::new();
    for date in missing(c, env, &series, horizon_days)? {
        let time = series.template.time_on(&env.notices.tz, date);
        if time.starts_at <= env.now {
            continue;
        }
        made.push(make_occurrence(c, env, who, &series, &time)?);
    }
    let first = made.iter().find(|m| m.published).map(|m| m.meeting_id);
    if let (false, Some(first)) = (series.announced, first) {
        announce(c, env, &series, first)?;
    }
    if *who == SCHEDULER {
        // Nobody is waiting for an answer: the hosts and organizers hear of a date held back.
        for m in made.iter().filter(|m| !m.published) {
            let record = store::referenced(c, m.meeting_id)?;
            let notice = Notice::OccurrenceHeld {
                date: crate::meetings::display::day(m.date),
                problem: m.problem.clone().unwrap_or_default(),
            };
            let people = record.holders(&[Role::Host, Role::Organizer]);
            notices::queue(
                c,
                &env.notices,
                m.meeting_id,
                &notice,
                &people,
                env.now_ms(),
            )?;
        }
    }
    Ok(made)
}

/// How the scheduler is named in the audit log when it makes occurrences.
pub(super) const SCHEDULER: AuditActor = AuditActor::Scheduler;

pub(super) fn make_occurrence(
    c: &mut DbConn,
    env: &Env,
    who: &AuditActor,
    series: &SeriesRow,
    time: &crate::meetings::series::OccurrenceTime,
) -> Result<Made, OpsError> {
    let draft = series.template.draft(time).map_err(OpsError::Invalid)?;
    let id = store::insert_draft(c, &draft, env.now_ms())?;
    db::add_occurrence(c, series.id, id, time.date)?;
    audit::append(c, who, Audit::CreateMeeting, Some(id), env.now_ms())?;
    let mut s = Subject::load(c, id)?;
    let problem = match lifecycle::put_on_schedule(c, env, &mut s, false) {
        Ok(()) => None,
        Err(OpsError::Rule(e)) => Some(e.to_string()),
        Err(e) => return Err(e),
    };
    if problem.is_none() {
        for (person, answer) in db::answers(c, series.id)? {
            if participants::get(c, id, person)?.is_some() {
                participants::set_rsvp(c, id, person, &answer, None, env.now_ms())?;
            }
        }
    }
    Ok(Made {
        date: time.date,
        meeting_id: id,
        published: problem.is_none(),
        problem,
        note: time.shifted.clone(),
    })
}

/// The series' one invitation (about its first published occurrence, whose RSVP card it
/// carries), and the informed and preparers told once.
pub(super) fn announce(
    c: &mut DbConn,
    env: &Env,
    series: &SeriesRow,
    first: MeetingId,
) -> Result<(), OpsError> {
    let now = env.now_ms();
    let pattern = pattern(series);
    let invitees = notices::invitees(c, first)?;
    let notice = Notice::SeriesInvitation { pattern };
    notices::queue(c, &env.notices, first, &notice, &invitees, now)?;
    let informed = notices::informed(c, first)?;
    notices::queue(c, &env.notices, first, &Notice::Informed, &informed, now)?;
    let preparers = notices::preparers(c, first)?;
    notices::queue(
        c,
        &env.notices,
        first,
        &Notice::Preparation,
        &preparers,
        now,
    )?;
    db::mark_announced(c, series.id)?;
    Ok(())
}

/// What one round of upkeep did: occurrences made, and the series it could not extend because
/// a row they need is damaged (each with the error), left for the next round.
#[derive(Debug, Default)]
pub struct Upkeep {
    pub made: usize,
    pub damaged: Vec<(SeriesId, String)>,
}

/// Every active series, extended to the horizon: the scheduler's upkeep. Each series runs in
/// its own savepoint, so a damaged one is undone and named in `Upkeep::damaged` while the
/// others still grow; the scheduler decides how loudly to say so.
pub fn extend_all(c: &mut DbConn, env: &Env, horizon_days: u32) -> Result<Upkeep, OpsError> {
    let mut upkeep = Upkeep::default();
    for id in db::active_ids(c)? {
        let extended = c.transaction(|c| {
            // Most ticks find nothing to make: look before taking the lock.
            let Some(series) = db::get(c, id)? else {
                return Ok(0);
            };
            if missing(c, env, &series, horizon_days)?.is_empty() {
                return Ok(0);
            }
            Ok(extend(c, env, &SCHEDULER, id, horizon_days)?.len())
        });
        match extended {
            Ok(n) => upkeep.made += n,
            Err(OpsError::Db(DbError::Corrupt(error))) => upkeep.damaged.push((id, error)),
            Err(e) => return Err(e),
        }
    }
    Ok(upkeep)
}
