//! Recurring meetings (例会): making a series, its occurrences as the horizon moves, changing
//! one occurrence or this and all following ones (the series splits there), cancelling one,
//! ending the series, answering for all of it, and what carries over from the last occurrence.
//! Occurrences are ordinary meetings; the series tells people once where a meeting would tell
//! them each time.

use super::subject::Subject;
use super::{lifecycle, revision, Actor, Env, OpsError};
use crate::db::meetings::{self as store, MeetingRecord};
use crate::db::series::{self as db, Occurrence, SeriesRow};
use crate::db::{action_items, audit, participants, people, DbConn, DbError};
use crate::meetings::action_items::TaskStatus;
use crate::meetings::directory::FieldError;
use crate::meetings::lifecycle::MeetingStatus;
use crate::meetings::participation::{Role, Rsvp};
use crate::meetings::permissions::Duty;
use crate::meetings::recurrence::Recurrence;
use crate::meetings::series::{SeriesStatus, SeriesTemplate};
use crate::meetings::ActionItemId;
use crate::meetings::RoomId;
use crate::meetings::{DomainError, MeetingId};
use crate::meetings::{PersonId, SeriesId};
use crate::notify::{notices, scheduler, Notice};
use chrono::NaiveDate;
use std::collections::BTreeSet;

/// What became of one date of the series in this step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Made {
    pub date: NaiveDate,
    pub meeting_id: MeetingId,
    pub published: bool,
    /// Why it stays a draft (its room is taken then): that date only, the others go ahead.
    pub problem: Option<String>,
    /// The local time did not exist that day (clocks went forward) and moved.
    pub note: Option<String>,
}

/// A series and what this step made of its dates.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub series: SeriesRow,
    pub made: Vec<Made>,
}

fn invalid(field: &'static str, message: impl Into<String>) -> OpsError {
    OpsError::Invalid(vec![FieldError {
        field,
        message: message.into(),
    }])
}

/// Admins change any series; an organizer one where the template makes them host or
/// organizer; nobody else.
fn require(actor: Actor, template: &SeriesTemplate) -> Result<(), OpsError> {
    match actor {
        Actor::Admin | Actor::Staff { admin: true, .. } => Ok(()),
        Actor::Staff { person, .. } => {
            let holds = template.roles.iter().any(|r| {
                r.person_id == person.get() && matches!(r.role, Role::Host | Role::Organizer)
            });
            if holds {
                Ok(())
            } else {
                Err(DomainError::NotAllowed(Duty::Prepare).into())
            }
        }
        Actor::Person(_) => Err(DomainError::NotAllowed(Duty::Administer).into()),
    }
}

/// Every person and room the template names exists: occurrences are made from it for months,
/// long after the request that could have been refused.
fn references(c: &mut DbConn, t: &SeriesTemplate) -> Result<(), OpsError> {
    if let Some(room) = t.room_id {
        let known = match RoomId::new(room) {
            Ok(room) => crate::db::rooms::get(c, room)?.is_some(),
            Err(_) => false,
        };
        if !known {
            return Err(invalid("room_id", format!("room {room} does not exist")));
        }
    }
    let named = t.roles.iter().map(|r| ("roles", r.person_id)).chain(
        t.agenda
            .iter()
            .filter_map(|a| a.presenter_id.map(|p| ("agenda", p))),
    );
    for (field, person) in named {
        let known = match PersonId::new(person) {
            Ok(person) => people::get(c, person)?.is_some(),
            Err(_) => false,
        };
        if !known {
            return Err(invalid(field, format!("person {person} does not exist")));
        }
    }
    Ok(())
}

fn load(c: &mut DbConn, id: SeriesId) -> Result<SeriesRow, OpsError> {
    db::lock(c, id)?.ok_or(OpsError::SeriesNotFound)
}

fn audit_series(
    c: &mut DbConn,
    env: &Env,
    who: &str,
    action: &str,
    series: SeriesId,
) -> Result<(), OpsError> {
    tracing::info!(actor = who, action, %series, "series changed");
    audit::append(c, who, &format!("{action}:{series}"), None, env.now_ms())?;
    Ok(())
}

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
            .any(|r| r.person_id == person.get() && matches!(r.role, Role::Host | Role::Organizer));
        if !holds {
            template.roles.push(crate::meetings::series::RoleTemplate {
                person_id: person.get(),
                role: Role::Organizer,
            });
        }
    }
    require(actor, &template)?;
    references(c, &template)?;
    let id = db::insert(c, &template, &rule, None, env.now_ms())?;
    audit_series(c, env, &actor.audit_name(), "create_series", id)?;
    let made = extend(c, env, &actor.audit_name(), id, horizon_days)?;
    let series = load(c, id)?;
    Ok(Outcome { series, made })
}

/// The series' local dates from `today` to `horizon_days` ahead that have no occurrence yet.
fn missing(
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
    who: &str,
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
    if who == SCHEDULER {
        // Nobody is waiting for an answer: the hosts and organizers hear of a date held back.
        for m in made.iter().filter(|m| !m.published) {
            let Some(record) = store::get(c, m.meeting_id)? else {
                continue;
            };
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
const SCHEDULER: &str = "scheduler";

fn make_occurrence(
    c: &mut DbConn,
    env: &Env,
    who: &str,
    series: &SeriesRow,
    time: &crate::meetings::series::OccurrenceTime,
) -> Result<Made, OpsError> {
    let draft = series.template.draft(time).map_err(OpsError::Invalid)?;
    let id = store::insert_draft(c, &draft, env.now_ms())?;
    db::add_occurrence(c, series.id, id, time.date)?;
    audit::append(c, who, "create_meeting", Some(id), env.now_ms())?;
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
fn announce(
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

/// "每周一 09:00–10:00，共 8 次".
pub fn pattern(series: &SeriesRow) -> String {
    let t = &series.template;
    let end = t.start_time + chrono::Duration::minutes(i64::from(t.duration_minutes));
    let count = series.rule.dates().map(|d| d.len()).unwrap_or(0);
    format!(
        "{} {}–{}，共 {count} 次",
        series.rule.describe_zh(),
        t.start_time.format("%H:%M"),
        end.format("%H:%M")
    )
}

/// Every active series, extended to the horizon: the scheduler's upkeep.
pub fn extend_all(c: &mut DbConn, env: &Env, horizon_days: u32) -> Result<usize, OpsError> {
    let mut made = 0;
    for id in db::active_ids(c)? {
        // Most ticks find nothing to make: look before taking the lock.
        let Some(series) = db::get(c, id)? else {
            continue;
        };
        if missing(c, env, &series, horizon_days)?.is_empty() {
            continue;
        }
        made += extend(c, env, SCHEDULER, id, horizon_days)?.len();
    }
    Ok(made)
}

/// The scheduler's upkeep: every active series extended to `horizon_days` ahead, as of the
/// tick's time. A series that cannot be extended is logged and the error returned.
pub fn upkeep(
    notices: std::sync::Arc<crate::notify::NoticeSettings>,
    booking_buffer: chrono::Duration,
    late_grace: chrono::Duration,
    horizon_days: u32,
) -> scheduler::Upkeep {
    std::sync::Arc::new(move |c, now| {
        let env = Env {
            notices: notices.clone(),
            booking_buffer,
            late_grace,
            now,
        };
        extend_all(c, &env, horizon_days).map_err(|e| match e {
            OpsError::Db(e) => e,
            e => DbError::Worker(format!("recurring meetings not extended: {e}")),
        })
    })
}

/// The occurrence of `series` on `date`, which must not have started: made now when the
/// horizon has not reached it yet (as a draft: it is about to be changed or cancelled).
fn occurrence_on(
    c: &mut DbConn,
    env: &Env,
    who: &str,
    series: &SeriesRow,
    date: NaiveDate,
) -> Result<Subject, OpsError> {
    let today = env.now.with_timezone(&env.notices.tz).date_naive();
    if date < today {
        return Err(invalid("date", "is in the past: what happened stands"));
    }
    let existing = db::occurrences(c, series.id)?
        .into_iter()
        .find(|o| o.date == date);
    let id = match existing {
        Some(o) => o.meeting_id,
        None => {
            let dates = series.rule.dates().unwrap_or_default();
            if !dates.contains(&date) || series.status != SeriesStatus::Active {
                return Err(invalid(
                    "date",
                    format!("the series has no occurrence on {date}"),
                ));
            }
            let time = series.template.time_on(&env.notices.tz, date);
            let draft = series.template.draft(&time).map_err(OpsError::Invalid)?;
            let id = store::insert_draft(c, &draft, env.now_ms())?;
            db::add_occurrence(c, series.id, id, date)?;
            audit::append(c, who, "create_meeting", Some(id), env.now_ms())?;
            id
        }
    };
    let s = Subject::load(c, id)?;
    if !matches!(s.status, MeetingStatus::Draft | MeetingStatus::Scheduled) {
        return Err(invalid(
            "date",
            format!("the occurrence on {date} is {}: it cannot change", s.status),
        ));
    }
    Ok(s)
}

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
    audit_series(c, env, &actor.audit_name(), "cancel_occurrence", series_id)?;
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
        scheduler::drop_meeting(c, s.id(), "the series ended", env.now_ms())?;
        s.audit(c, env, actor, "cancel_meeting")?;
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
    audit_series(c, env, &actor.audit_name(), "end_series", series_id)?;
    Ok(Ended {
        series: load(c, series_id)?,
        cancelled,
        told: told.len(),
    })
}

/// Which occurrences a change applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The occurrence on the date only.
    This,
    /// The occurrence on the date and every later one: the series splits there.
    Following,
    /// Every occurrence not yet held.
    All,
}

impl Scope {
    pub fn parse(raw: &str) -> Option<Scope> {
        match raw {
            "this" => Some(Scope::This),
            "following" => Some(Scope::Following),
            "all" => Some(Scope::All),
            _ => None,
        }
    }
}

/// A change to a series: the template (what is not given stays), and for `following`/`all`
/// optionally a new rule.
pub struct Change {
    pub scope: Scope,
    /// The occurrence changed (as the rule dated it); for `All`, the first not yet held.
    pub date: Option<NaiveDate>,
    pub template: crate::meetings::series::SeriesFields,
}

/// Changes one occurrence (`This`: its time, room, agenda, …; it is then detached, and later
/// series changes leave it alone), or the occurrences from `date` on (`Following`: the series
/// splits at `date`, the earlier part keeping its rule up to the day before), or all those not
/// yet held (`All`). People are told once per person, not once per occurrence.
pub fn update(
    c: &mut DbConn,
    env: &Env,
    actor: Actor,
    series_id: SeriesId,
    change: Change,
    horizon_days: u32,
) -> Result<Outcome, OpsError> {
    let (scope, date) = (change.scope, change.date);
    let series = load(c, series_id)?;
    require(actor, &series.template)?;
    if series.status == SeriesStatus::Ended {
        return Err(OpsError::SeriesEnded);
    }
    let who = actor.audit_name();
    let template = SeriesTemplate::parse(Some(&series.template), &change.template)
        .map_err(OpsError::Invalid)?;
    require(actor, &template)?;
    references(c, &template)?;
    if scope == Scope::This {
        let date = date.ok_or_else(|| invalid("date", "is required for scope=this"))?;
        if change.template.recurrence.is_some() {
            return Err(invalid(
                "recurrence",
                "changes the series: use scope=following or all",
            ));
        }
        let s = occurrence_on(c, env, &who, &series, date)?;
        let time = template.time_on(&env.notices.tz, date);
        let draft = template.draft(&time).map_err(OpsError::Invalid)?;
        let applied = revision::apply(c, env, &s, &draft, None)?;
        tell(c, env, s.id(), s.status.announced(), &applied, &[])?;
        db::set_detached(c, s.id())?;
        s.audit(c, env, actor, "update_meeting")?;
        audit_series(c, env, &who, "update_occurrence", series_id)?;
        return Ok(Outcome {
            series: load(c, series_id)?,
            made: Vec::new(),
        });
    }
    let today = env.now.with_timezone(&env.notices.tz).date_naive();
    let not_held: Vec<(Occurrence, MeetingStatus)> = db::occurrences(c, series_id)?
        .into_iter()
        .map(|o| {
            let status = store::get(c, o.meeting_id)?
                .map(|r| r.meeting.status)
                .ok_or(OpsError::MeetingNotFound)?;
            Ok((o, status))
        })
        .collect::<Result<Vec<_>, OpsError>>()?
        .into_iter()
        .filter(|(_, s)| matches!(s, MeetingStatus::Draft | MeetingStatus::Scheduled))
        .collect();
    let from = match (scope, date) {
        (Scope::Following, Some(d)) => d,
        (Scope::Following, None) => return Err(invalid("date", "is required for scope=following")),
        (_, _) => not_held
            .iter()
            .map(|(o, _)| o.date)
            .min()
            .unwrap_or(today)
            .max(today),
    };
    if from < today {
        return Err(invalid("date", "is in the past: what happened stands"));
    }
    let rule = match &change.template.recurrence {
        Some(f) => crate::meetings::series::parse_rule(f, Some(from)).map_err(OpsError::Invalid)?,
        None => {
            // The rest of the same rule, from `from` on.
            let remaining = series.rule.dates().unwrap_or_default();
            let left = remaining.iter().filter(|d| **d >= from).count();
            if left == 0 {
                return Err(invalid(
                    "date",
                    "the series has no occurrence from that date on",
                ));
            }
            let starts_on = remaining
                .iter()
                .find(|d| **d >= from)
                .copied()
                .unwrap_or(from);
            Recurrence {
                starts_on,
                end: crate::meetings::recurrence::End::Count(left as u32),
                ..series.rule.clone()
            }
        }
    };
    // Split: the part before `from` keeps its rule up to the day before; nothing before it
    // means the whole series changes in place.
    let target = match series.rule.ending_before(from) {
        Some(kept) => {
            db::save(c, series_id, &series.template, &kept, env.now_ms())?;
            let new_id = db::insert(c, &template, &rule, Some(series_id), env.now_ms())?;
            db::mark_announced(c, new_id)?;
            for (person, answer) in db::answers(c, series_id)? {
                db::set_answer(c, new_id, person, &answer, env.now_ms())?;
            }
            audit_series(c, env, &who, "split_series", series_id)?;
            new_id
        }
        None => {
            db::save(c, series_id, &template, &rule, env.now_ms())?;
            series_id
        }
    };
    let new_dates: BTreeSet<NaiveDate> = rule.dates().unwrap_or_default().into_iter().collect();
    let since = format!("自 {} 起", crate::meetings::display::day(from));
    let mut newcomers = BTreeSet::new();
    let mut gone = BTreeSet::new();
    let mut stayed = BTreeSet::new();
    let mut changes: Vec<String> = Vec::new();
    let mut about = None;
    if series.rule.describe_zh() != rule.describe_zh() {
        changes.push(format!(
            "规则：{} → {}",
            series.rule.describe_zh(),
            rule.describe_zh()
        ));
    }
    for (o, _) in not_held.iter().filter(|(o, _)| o.date >= from) {
        if target != series_id {
            db::move_occurrence(c, o.meeting_id, target)?;
        }
        let s = Subject::load(c, o.meeting_id)?;
        if !new_dates.contains(&o.date) {
            // The new rule no longer names this date.
            let mut s = s;
            if s.status.announced() {
                gone.extend(notices::invitees(c, s.id())?);
            }
            s.transition(
                c,
                env,
                crate::meetings::lifecycle::Action::Cancel,
                Some("例会规则已调整"),
            )?;
            scheduler::drop_meeting(c, s.id(), "the series' rule changed", env.now_ms())?;
            continue;
        }
        if o.detached {
            continue;
        }
        let time = template.time_on(&env.notices.tz, o.date);
        let draft = template.draft(&time).map_err(OpsError::Invalid)?;
        let applied = revision::apply(c, env, &s, &draft, None)?;
        s.audit(c, env, actor, "update_meeting")?;
        if s.status.announced() {
            about.get_or_insert(s.id());
            newcomers.extend(applied.newcomers.iter().copied());
            gone.extend(applied.gone.iter().copied());
            stayed.extend(applied.stayed.iter().copied());
            for line in applied.changes {
                if !changes.contains(&line) && !line.starts_with("时间") {
                    changes.push(line);
                }
            }
        }
    }
    if series.template.start_time != template.start_time
        || series.template.duration_minutes != template.duration_minutes
    {
        changes.push(format!(
            "时间：{} → {}",
            span_of(&series.template),
            span_of(&template)
        ));
    }
    audit_series(c, env, &who, "update_series", target)?;
    let made = extend(c, env, &who, target, horizon_days)?;
    if let Some(about) = about.or(made.iter().find(|m| m.published).map(|m| m.meeting_id)) {
        let now = env.now_ms();
        let newcomers: Vec<PersonId> = newcomers.into_iter().collect();
        let pattern = pattern(&load(c, target)?);
        let invitation = Notice::SeriesInvitation { pattern };
        notices::queue(c, &env.notices, about, &invitation, &newcomers, now)?;
        let gone: Vec<PersonId> = gone.difference(&stayed).copied().collect();
        notices::queue(c, &env.notices, about, &Notice::Uninvited, &gone, now)?;
        if !changes.is_empty() {
            let stayed: Vec<PersonId> = stayed.into_iter().collect();
            let lines = changes.iter().map(|l| format!("{since}：{l}")).collect();
            let notice = Notice::Change { changes: lines };
            notices::queue(c, &env.notices, about, &notice, &stayed, now)?;
        }
    }
    Ok(Outcome {
        series: load(c, target)?,
        made,
    })
}

fn span_of(t: &SeriesTemplate) -> String {
    let end = t.start_time + chrono::Duration::minutes(i64::from(t.duration_minutes));
    format!("{}–{}", t.start_time.format("%H:%M"), end.format("%H:%M"))
}

/// One meeting's notices after a change of it alone.
fn tell(
    c: &mut DbConn,
    env: &Env,
    id: MeetingId,
    announced: bool,
    applied: &revision::Applied,
    extra: &[String],
) -> Result<(), OpsError> {
    if !announced {
        return Ok(());
    }
    let now = env.now_ms();
    notices::queue(
        c,
        &env.notices,
        id,
        &Notice::Invitation,
        &applied.newcomers,
        now,
    )?;
    notices::queue(c, &env.notices, id, &Notice::Uninvited, &applied.gone, now)?;
    let mut changes = applied.changes.clone();
    changes.extend(extra.iter().cloned());
    if !changes.is_empty() {
        let notice = Notice::Change { changes };
        notices::queue(c, &env.notices, id, &notice, &applied.stayed, now)?;
    }
    Ok(())
}

/// Answers every occurrence of the series `meeting` belongs to, from that one on, and those
/// to come; the occurrences held already keep what happened. Returns how many were answered.
pub fn answer_all(
    c: &mut DbConn,
    env: &Env,
    actor: Actor,
    meeting: MeetingId,
    person: PersonId,
    rsvp: &Rsvp,
) -> Result<usize, OpsError> {
    let Some(occurrence) = db::occurrence_of(c, meeting)? else {
        return Err(OpsError::NotASeries);
    };
    let mut answered = 0;
    for o in db::occurrences(c, occurrence.series_id)? {
        if o.date < occurrence.date {
            continue;
        }
        let status = store::get(c, o.meeting_id)?.map(|r| r.meeting.status);
        if status == Some(MeetingStatus::Scheduled)
            && participants::get(c, o.meeting_id, person)?.is_some()
        {
            super::attendance::answer(c, env, actor, o.meeting_id, person, rsvp)?;
            answered += 1;
        }
    }
    if answered == 0 {
        return Err(OpsError::NotInvited(
            people::get(c, person)?.map(|p| p.name).unwrap_or_default(),
        ));
    }
    db::set_answer(c, occurrence.series_id, person, rsvp, env.now_ms())?;
    Ok(answered)
}

/// The series a meeting is an occurrence of, and the date the rule gave it.
pub fn of_meeting(
    c: &mut DbConn,
    meeting: MeetingId,
) -> Result<Option<(SeriesRow, Occurrence)>, DbError> {
    let Some(o) = db::occurrence_of(c, meeting)? else {
        return Ok(None);
    };
    let series = db::get(c, o.series_id)?.ok_or_else(|| {
        DbError::Corrupt(format!("meeting {meeting} belongs to a missing series"))
    })?;
    Ok(Some((series, o)))
}

/// The occurrence held before `meeting` in its series (across a split), if any: not cancelled.
fn previous(c: &mut DbConn, meeting: MeetingId) -> Result<Option<MeetingRecord>, DbError> {
    let Some((series, me)) = of_meeting(c, meeting)? else {
        return Ok(None);
    };
    let mut chain = vec![series.id];
    if let Some(parent) = series.split_from {
        chain.push(parent);
    }
    let mut best: Option<(NaiveDate, MeetingId)> = None;
    for id in chain {
        for o in db::occurrences(c, id)? {
            if o.date < me.date && best.is_none_or(|(d, _)| o.date > d) {
                let status = store::get(c, o.meeting_id)?.map(|r| r.meeting.status);
                if status
                    .is_some_and(|s| s != MeetingStatus::Cancelled && s != MeetingStatus::Draft)
                {
                    best = Some((o.date, o.meeting_id));
                }
            }
        }
    }
    match best {
        Some((_, id)) => Ok(store::get(c, id)?),
        None => Ok(None),
    }
}

/// An action item from the previous occurrence, still open: 上次待办.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CarriedItem {
    pub id: ActionItemId,
    pub title: String,
    pub owner: String,
    pub due: String,
    pub status: TaskStatus,
    /// The latest progress reported, if any.
    pub progress: Option<String>,
}

/// 上次待办: the previous occurrence's action items still open, which the next occurrence's
/// agenda starts with (read when shown, so progress is current).
pub fn carried_over(c: &mut DbConn, meeting: MeetingId) -> Result<Vec<CarriedItem>, DbError> {
    let Some(prev) = previous(c, meeting)? else {
        return Ok(Vec::new());
    };
    let open = action_items::list(
        c,
        &action_items::ActionItemFilter {
            meeting_id: Some(prev.meeting.id),
            statuses: Some(vec![TaskStatus::Open, TaskStatus::InProgress]),
            ..Default::default()
        },
    )?;
    let mut out = Vec::new();
    for item in open {
        let owner = people::get(c, item.owner_id)?
            .map(|p| p.name)
            .unwrap_or_default();
        let progress = action_items::progress(c, item.id)?
            .into_iter()
            .last()
            .map(|(_, text, _)| text);
        out.push(CarriedItem {
            id: item.id,
            title: item.title,
            owner,
            due: item.due_on,
            status: item.status,
            progress,
        });
    }
    Ok(out)
}

/// Topics of the previous occurrence never reached (agenda items never started), to offer the
/// agenda owners of `meeting` to carry over.
pub fn unreached(c: &mut DbConn, meeting: MeetingId) -> Result<Vec<store::AgendaRow>, DbError> {
    Ok(previous(c, meeting)?
        .map(|p| {
            p.agenda
                .into_iter()
                .filter(|a| a.started_at.is_none() && p.meeting.status != MeetingStatus::Scheduled)
                .collect()
        })
        .unwrap_or_default())
}

/// Adds the topics the previous occurrence never reached to the end of this one's agenda
/// (顺延), if they still fit the meeting.
pub fn carry_topics(
    c: &mut DbConn,
    env: &Env,
    actor: Actor,
    meeting: MeetingId,
) -> Result<Vec<store::AgendaRow>, OpsError> {
    let topics = unreached(c, meeting)?;
    if topics.is_empty() {
        return Err(OpsError::NothingToCarry);
    }
    let s = Subject::load(c, meeting)?;
    let mut items: Vec<crate::meetings::agenda::AgendaItem> =
        s.record.agenda.iter().map(store::AgendaRow::item).collect();
    let before = items.len();
    for t in topics {
        if !items.iter().any(|i| i.title == t.title) {
            items.push(t.item());
        }
    }
    // Topics of the series' own agenda come back every time; only the others carry over.
    if items.len() == before {
        return Err(OpsError::NothingToCarry);
    }
    super::preparation::replace_agenda(c, env, actor, meeting, items)
}

/// After an occurrence ends: the agenda owners of the next one (or its hosts) are offered the
/// topics it never reached.
pub(super) fn offer_unreached(
    c: &mut DbConn,
    env: &Env,
    ended: &MeetingRecord,
) -> Result<(), OpsError> {
    let Some((series, me)) = of_meeting(c, ended.meeting.id)? else {
        return Ok(());
    };
    let topics: Vec<&store::AgendaRow> = ended
        .agenda
        .iter()
        .filter(|a| a.started_at.is_none())
        .collect();
    if topics.is_empty() {
        return Ok(());
    }
    let mut next = None;
    for o in db::occurrences(c, series.id)? {
        if o.date <= me.date {
            continue;
        }
        let record = store::get(c, o.meeting_id)?;
        if let Some(r) = record.filter(|r| r.meeting.status == MeetingStatus::Scheduled) {
            next = Some(r);
            break;
        }
    }
    let Some(next) = next else {
        return Ok(());
    };
    let titles: Vec<String> = topics
        .iter()
        .filter(|a| !next.agenda.iter().any(|n| n.title == a.title))
        .map(|a| format!("「{}」{} 分钟", a.title, a.minutes))
        .collect();
    if titles.is_empty() {
        return Ok(());
    }
    let mut owners = next.holders(&[Role::AgendaOwner]);
    if owners.is_empty() {
        owners = next.holders(&[Role::Host]);
    }
    let notice = Notice::Unreached { topics: titles };
    notices::queue(
        c,
        &env.notices,
        next.meeting.id,
        &notice,
        &owners,
        env.now_ms(),
    )?;
    Ok(())
}
