//! Changing one occurrence, this and the following ones (the series splits there), or all
//! of them, telling each person once.

use super::*;
use crate::meetings::audit_action::Audit;

pub use crate::meetings::series::Scope;
use crate::meetings::series::{plan_change, ChangePlan};

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
        s.audit(c, env, actor, Audit::UpdateMeeting)?;
        audit_series(c, env, &who, Audit::UpdateOccurrence, series_id)?;
        return Ok(Outcome {
            series: load(c, series_id)?,
            made: Vec::new(),
        });
    }
    let today = env.now.with_timezone(&env.notices.tz).date_naive();
    let not_held: Vec<(Occurrence, MeetingStatus)> = db::occurrences(c, series_id)?
        .into_iter()
        .map(|o| {
            let status = store::referenced(c, o.meeting_id)?.meeting.status;
            Ok((o, status))
        })
        .collect::<Result<Vec<_>, OpsError>>()?
        .into_iter()
        .filter(|(_, s)| matches!(s, MeetingStatus::Draft | MeetingStatus::Scheduled))
        .collect();
    let not_held_dates: Vec<NaiveDate> = not_held.iter().map(|(o, _)| o.date).collect();
    let plan = plan_change(
        &series.rule,
        &series.dates()?,
        scope,
        date,
        change.template.recurrence.as_ref(),
        today,
        &not_held_dates,
    )
    .map_err(OpsError::Invalid)?;
    apply_plan(
        c,
        env,
        actor,
        &series,
        &template,
        plan,
        &not_held,
        horizon_days,
    )
}

/// Carries out a plan: the split (or the change in place), the occurrences cancelled and
/// revised, and who is told what, once per person.
#[allow(clippy::too_many_arguments)]
fn apply_plan(
    c: &mut DbConn,
    env: &Env,
    actor: Actor,
    series: &SeriesRow,
    template: &SeriesTemplate,
    plan: ChangePlan,
    not_held: &[(Occurrence, MeetingStatus)],
    horizon_days: u32,
) -> Result<Outcome, OpsError> {
    let (series_id, who) = (series.id, actor.audit_name());
    let ChangePlan {
        from,
        rule,
        kept,
        cancelled,
    } = plan;
    let target = match kept {
        Some(kept) => {
            db::save(c, series_id, &series.template, &kept, env.now_ms())?;
            let new_id = db::insert(c, template, &rule, Some(series_id), env.now_ms())?;
            db::mark_announced(c, new_id)?;
            for (person, answer) in db::answers(c, series_id)? {
                db::set_answer(c, new_id, person, &answer, env.now_ms())?;
            }
            audit_series(c, env, &who, Audit::SplitSeries, series_id)?;
            new_id
        }
        None => {
            db::save(c, series_id, template, &rule, env.now_ms())?;
            series_id
        }
    };
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
        if cancelled.contains(&o.date) {
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
            planner::drop_meeting(c, s.id(), "the series' rule changed", env.now_ms())?;
            continue;
        }
        if o.detached {
            continue;
        }
        let time = template.time_on(&env.notices.tz, o.date);
        let draft = template.draft(&time).map_err(OpsError::Invalid)?;
        let applied = revision::apply(c, env, &s, &draft, None)?;
        s.audit(c, env, actor, Audit::UpdateMeeting)?;
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
            span_of(template)
        ));
    }
    audit_series(c, env, &who, Audit::UpdateSeries, target)?;
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

pub(super) fn span_of(t: &SeriesTemplate) -> String {
    let end = t.start_time + chrono::Duration::minutes(i64::from(t.duration_minutes));
    format!("{}–{}", t.start_time.format("%H:%M"), end.format("%H:%M"))
}

/// One meeting's notices after a change of it alone.
pub(super) fn tell(
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
