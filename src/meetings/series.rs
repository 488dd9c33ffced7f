//! A recurring meeting (例会): the meeting every occurrence starts from (its template) and
//! when it recurs. An occurrence is an ordinary meeting made from the template on one of the
//! rule's dates, at the template's local time of day.

use super::directory::FieldError;
use super::draft::{AgendaFields, MeetingDraft, MeetingFields, RoleFields};
use super::participation::Role;
use super::recurrence::{Recurrence, RecurrenceFields};
use super::{PersonId, RoomId};
use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

super::stored::named_enum! {
    /// Whether the series still makes occurrences.
    pub enum SeriesStatus ("series status") {
        Active = "active",
        /// Ended: its future occurrences were cancelled.
        Ended = "ended",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgendaTemplate {
    pub title: String,
    pub presenter_id: Option<PersonId>,
    pub minutes: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleTemplate {
    pub person_id: PersonId,
    pub role: Role,
}

impl AgendaTemplate {
    fn fields(&self) -> AgendaFields {
        AgendaFields {
            title: self.title.clone(),
            presenter_id: self.presenter_id.map(PersonId::get),
            minutes: self.minutes,
        }
    }
}

impl RoleTemplate {
    fn fields(&self) -> RoleFields {
        RoleFields {
            person_id: self.person_id.get(),
            role: self.role,
        }
    }
}

/// The room, presenters and people as ids, each a valid one (whether it names a room or a
/// person is the operation's to check).
#[allow(clippy::type_complexity)]
fn typed_references(
    room: Option<i64>,
    agenda: &[AgendaFields],
    roles: &[RoleFields],
) -> Result<(Option<RoomId>, Vec<AgendaTemplate>, Vec<RoleTemplate>), Vec<FieldError>> {
    let mut errors = Vec::new();
    let room = room.and_then(|r| {
        RoomId::new(r)
            .map_err(|_| errors.push(err("room_id", format!("room {r} does not exist"))))
            .ok()
    });
    let mut items = Vec::new();
    for a in agenda {
        let presenter = match a.presenter_id.map(PersonId::new).transpose() {
            Ok(p) => p,
            Err(_) => {
                errors.push(err("agenda", "a presenter_id is not a valid id"));
                None
            }
        };
        items.push(AgendaTemplate {
            title: a.title.clone(),
            presenter_id: presenter,
            minutes: a.minutes,
        });
    }
    let mut people = Vec::new();
    for r in roles {
        match PersonId::new(r.person_id) {
            Ok(person_id) => people.push(RoleTemplate {
                person_id,
                role: r.role,
            }),
            Err(_) => errors.push(err(
                "roles",
                format!("person {} does not exist", r.person_id),
            )),
        }
    }
    if errors.is_empty() {
        Ok((room, items, people))
    } else {
        Err(errors)
    }
}

/// What each occurrence is made from: a meeting without a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeriesTemplate {
    pub title: String,
    pub goal: String,
    pub room_id: Option<RoomId>,
    pub place: String,
    pub online_link: Option<String>,
    pub confidential: bool,
    pub text_checkin: bool,
    pub briefing: String,
    pub equipment_needs: Vec<String>,
    /// Local time of day in the configured zone: a 09:00 meeting stays at 09:00 local.
    pub start_time: NaiveTime,
    pub duration_minutes: u32,
    pub agenda: Vec<AgendaTemplate>,
    pub roles: Vec<RoleTemplate>,
}

/// A series as submitted; on update every field is optional and `None` keeps the current one.
#[derive(Debug, Clone, Default)]
pub struct SeriesFields {
    pub title: Option<String>,
    pub goal: Option<String>,
    pub room_id: Option<Option<i64>>,
    pub place: Option<String>,
    pub online_link: Option<Option<String>>,
    pub confidential: Option<bool>,
    pub text_checkin: Option<bool>,
    pub briefing: Option<String>,
    pub equipment_needs: Option<Vec<String>>,
    /// `HH:MM`, local.
    pub start_time: Option<String>,
    pub duration_minutes: Option<u32>,
    pub agenda: Option<Vec<AgendaFields>>,
    pub roles: Option<Vec<RoleFields>>,
    pub recurrence: Option<RecurrenceFields>,
}

/// One occurrence's time: the instants it starts and ends, and a note when the local time does
/// not exist that day (clocks go forward) and it moved to the first valid instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OccurrenceTime {
    pub date: NaiveDate,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub shifted: Option<String>,
}

fn err(field: &'static str, message: impl Into<String>) -> FieldError {
    FieldError {
        field,
        message: message.into(),
    }
}

impl SeriesTemplate {
    /// The template with `f` laid over `base` (none for a new series), checked: the meeting it
    /// makes must be a valid draft (a host, a place, an agenda within the duration).
    pub fn parse(base: Option<&SeriesTemplate>, f: &SeriesFields) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let start_time = match (f.start_time.as_deref(), base) {
            (Some(raw), _) => NaiveTime::parse_from_str(raw.trim(), "%H:%M")
                .map_err(|_| errors.push(err("start_time", "must be a time of day such as 09:00")))
                .ok(),
            (None, Some(b)) => Some(b.start_time),
            (None, None) => {
                errors.push(err("start_time", "is required (local time such as 09:00)"));
                None
            }
        };
        let duration_minutes = f
            .duration_minutes
            .or(base.map(|b| b.duration_minutes))
            .unwrap_or(0);
        if !(5..=24 * 60).contains(&duration_minutes) {
            errors.push(err("duration_minutes", "must be from 5 to 1440"));
        }
        let pick = |new: &Option<String>, old: Option<&String>| {
            new.clone().or(old.cloned()).unwrap_or_default()
        };
        let room_id = f
            .room_id
            .unwrap_or(base.and_then(|b| b.room_id).map(RoomId::get));
        let agenda = f.agenda.clone().unwrap_or_else(|| {
            base.map(|b| b.agenda.iter().map(AgendaTemplate::fields).collect())
                .unwrap_or_default()
        });
        let roles = f.roles.clone().unwrap_or_else(|| {
            base.map(|b| b.roles.iter().map(RoleTemplate::fields).collect())
                .unwrap_or_default()
        });
        let (room_id, agenda, roles) = match typed_references(room_id, &agenda, &roles) {
            Ok(typed) => typed,
            Err(e) => {
                errors.extend(e);
                (None, Vec::new(), Vec::new())
            }
        };
        let template = SeriesTemplate {
            title: pick(&f.title, base.map(|b| &b.title)).trim().to_owned(),
            goal: pick(&f.goal, base.map(|b| &b.goal)).trim().to_owned(),
            room_id,
            place: pick(&f.place, base.map(|b| &b.place)).trim().to_owned(),
            online_link: f
                .online_link
                .clone()
                .unwrap_or(base.and_then(|b| b.online_link.clone()))
                .filter(|l| !l.is_empty()),
            confidential: f
                .confidential
                .or(base.map(|b| b.confidential))
                .unwrap_or(false),
            text_checkin: f
                .text_checkin
                .or(base.map(|b| b.text_checkin))
                .unwrap_or(false),
            briefing: pick(&f.briefing, base.map(|b| &b.briefing)),
            equipment_needs: f
                .equipment_needs
                .clone()
                .or(base.map(|b| b.equipment_needs.clone()))
                .unwrap_or_default(),
            start_time: start_time.unwrap_or_default(),
            duration_minutes,
            agenda,
            roles,
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        // Any date will do: the template's own rules do not depend on it.
        let probe = Utc
            .with_ymd_and_hms(2026, 1, 5, 1, 0, 0)
            .single()
            .unwrap_or_default();
        let end = probe + chrono::Duration::minutes(i64::from(template.duration_minutes));
        MeetingDraft::parse(template.fields(probe, end)).map_err(|errors| {
            errors
                .into_iter()
                .filter(|e| e.field != "starts_at" && e.field != "ends_at")
                .collect::<Vec<_>>()
        })?;
        Ok(template)
    }

    /// The meeting fields of an occurrence at these instants.
    pub fn fields(&self, starts_at: DateTime<Utc>, ends_at: DateTime<Utc>) -> MeetingFields {
        let secs = chrono::SecondsFormat::Secs;
        MeetingFields {
            title: Some(self.title.clone()),
            goal: Some(self.goal.clone()),
            starts_at: Some(starts_at.to_rfc3339_opts(secs, true)),
            ends_at: Some(ends_at.to_rfc3339_opts(secs, true)),
            room_id: self.room_id.map(RoomId::get),
            place: Some(self.place.clone()),
            online_link: self.online_link.clone(),
            confidential: Some(self.confidential),
            text_checkin: Some(self.text_checkin),
            prep_meeting: Some(false),
            briefing: Some(self.briefing.clone()),
            equipment_needs: Some(self.equipment_needs.clone()),
            agenda: self.agenda.iter().map(AgendaTemplate::fields).collect(),
            roles: self.roles.iter().map(RoleTemplate::fields).collect(),
        }
    }

    /// The occurrence on `date`: its instants in `tz`.
    pub fn time_on<T: TimeZone>(&self, tz: &T, date: NaiveDate) -> OccurrenceTime {
        let wanted = date.and_time(self.start_time);
        let starts_at = crate::clock::local_instant(tz, wanted);
        let actual = starts_at.with_timezone(tz).naive_local();
        let shifted = (actual != wanted).then(|| {
            format!(
                "{} {} 当天不存在（夏令时），改为 {}",
                date.format("%Y-%m-%d"),
                self.start_time.format("%H:%M"),
                actual.format("%H:%M")
            )
        });
        OccurrenceTime {
            date,
            starts_at,
            ends_at: starts_at + chrono::Duration::minutes(i64::from(self.duration_minutes)),
            shifted,
        }
    }

    /// The draft of the occurrence at `time`.
    pub fn draft(&self, time: &OccurrenceTime) -> Result<MeetingDraft, Vec<FieldError>> {
        MeetingDraft::parse(self.fields(time.starts_at, time.ends_at))
    }
}

/// The rule of a new series, or the new rule of a series changed from `from` on: a rule given
/// without a first date starts there.
pub fn parse_rule(
    f: &RecurrenceFields,
    from: Option<NaiveDate>,
) -> Result<Recurrence, Vec<FieldError>> {
    let mut f = f.clone();
    if f.starts_on.is_none() {
        f.starts_on = from.map(|d| d.format("%Y-%m-%d").to_string());
    }
    let rule = Recurrence::parse(&f)?;
    if from.is_some_and(|d| rule.starts_on < d) {
        return Err(vec![err(
            "recurrence.starts_on",
            "cannot be before the first occurrence it changes",
        )]);
    }
    Ok(rule)
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
    pub const ALL: [Scope; 3] = [Scope::This, Scope::Following, Scope::All];

    /// The name a request gives it (`scope=following`).
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::This => "this",
            Scope::Following => "following",
            Scope::All => "all",
        }
    }

    pub fn parse(raw: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|scope| scope.as_str() == raw)
    }
}

/// What a change to the occurrences from a date on does (`Following` or `All`), decided from
/// the series' rule and the dates of its occurrences not yet held: no database here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangePlan {
    /// The first date changed.
    pub from: NaiveDate,
    /// The rule from `from` on: the new one given, or the rest of the old one.
    pub rule: Recurrence,
    /// The rule the earlier part keeps when the series splits at `from` (up to the day
    /// before); none when nothing comes before it and the series changes in place.
    pub kept: Option<Recurrence>,
    /// Occurrences not yet held from `from` on that `rule` no longer names: cancelled.
    pub cancelled: Vec<NaiveDate>,
}

/// Plans a change of scope `Following` (from `date`) or `All` (from the first occurrence not
/// yet held, never before today), with `new_rule` if the rule changes; `current_dates` are the
/// dates the current rule names.
pub fn plan_change(
    current: &Recurrence,
    current_dates: &[NaiveDate],
    scope: Scope,
    date: Option<NaiveDate>,
    new_rule: Option<&RecurrenceFields>,
    today: NaiveDate,
    not_held: &[NaiveDate],
) -> Result<ChangePlan, Vec<FieldError>> {
    let one = |field: &'static str, message: &str| vec![err(field, message)];
    let from = match (scope, date) {
        (Scope::This, _) => return Err(one("scope", "changes one occurrence, not a plan")),
        (Scope::Following, Some(d)) => d,
        (Scope::Following, None) => return Err(one("date", "is required for scope=following")),
        (Scope::All, _) => not_held.iter().copied().min().unwrap_or(today).max(today),
    };
    if from < today {
        return Err(one("date", "is in the past: what happened stands"));
    }
    let rule = match new_rule {
        Some(f) => parse_rule(f, Some(from))?,
        None => {
            let remaining: Vec<NaiveDate> = current_dates
                .iter()
                .copied()
                .filter(|d| *d >= from)
                .collect();
            let Some(starts_on) = remaining.first().copied() else {
                return Err(one(
                    "date",
                    "the series has no occurrence from that date on",
                ));
            };
            Recurrence {
                starts_on,
                end: super::recurrence::End::Count(remaining.len() as u32),
                ..current.clone()
            }
        }
    };
    let dates: BTreeSet<NaiveDate> = rule
        .dates()
        .map_err(|e| vec![err("recurrence", e)])?
        .into_iter()
        .collect();
    let cancelled = not_held
        .iter()
        .copied()
        .filter(|d| *d >= from && !dates.contains(d))
        .collect();
    Ok(ChangePlan {
        from,
        kept: current.ending_before(from),
        rule,
        cancelled,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn weekly() -> SeriesFields {
        SeriesFields {
            title: Some("部门周例会".into()),
            place: Some("3号会议室".into()),
            start_time: Some("09:00".into()),
            duration_minutes: Some(60),
            roles: Some(vec![RoleFields {
                person_id: 1,
                role: Role::Host,
            }]),
            agenda: Some(vec![AgendaFields {
                title: "上周回顾".into(),
                presenter_id: None,
                minutes: 20,
            }]),
            ..Default::default()
        }
    }

    #[test]
    fn a_template_is_a_valid_meeting_without_a_date() {
        let t = SeriesTemplate::parse(None, &weekly()).unwrap();
        let mut f = weekly();
        f.agenda.as_mut().unwrap()[0].minutes = 90;
        f.roles = Some(vec![]);
        let errors = SeriesTemplate::parse(None, &f).unwrap_err();
        let named: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(named, ["agenda", "roles"]);
        // A change keeps what it does not name.
        let changed = SeriesTemplate::parse(
            Some(&t),
            &SeriesFields {
                start_time: Some("10:30".into()),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(changed.title, "部门周例会");
        assert_eq!(
            changed.start_time,
            NaiveTime::from_hms_opt(10, 30, 0).unwrap()
        );
    }

    #[test]
    fn a_local_time_in_the_spring_gap_moves_forward_and_says_so() {
        let mut f = weekly();
        f.start_time = Some("02:30".into());
        let t = SeriesTemplate::parse(None, &f).unwrap();
        let berlin = chrono_tz::Europe::Berlin;
        let day = NaiveDate::from_ymd_opt(2027, 3, 28).unwrap();
        let time = t.time_on(&berlin, day);
        assert_eq!(
            time.starts_at,
            Utc.with_ymd_and_hms(2027, 3, 28, 1, 0, 0).unwrap()
        );
        assert_eq!(
            time.shifted.as_deref(),
            Some("2027-03-28 02:30 当天不存在（夏令时），改为 03:00")
        );
        let next = t.time_on(&berlin, day + chrono::Duration::days(7));
        assert_eq!(next.shifted, None);
        assert_eq!(
            next.starts_at,
            Utc.with_ymd_and_hms(2027, 4, 4, 0, 30, 0).unwrap()
        );
    }

    fn mondays(count: u32, from: &str) -> RecurrenceFields {
        RecurrenceFields {
            frequency: Some("weekly".into()),
            weekdays: vec!["mon".into()],
            starts_on: Some(from.into()),
            count: Some(count),
            ..Default::default()
        }
    }

    fn day(d: &str) -> NaiveDate {
        d.parse().unwrap()
    }

    #[test]
    fn a_change_from_a_date_splits_the_series_and_cancels_what_the_new_rule_leaves_out() {
        // Eight Mondays from 2026-12-07; today is 12-14, three not yet held from 12-21 on.
        let current = parse_rule(&mondays(8, "2026-12-07"), None).unwrap();
        let dates = current.dates().unwrap();
        let not_held = [day("2026-12-21"), day("2026-12-28"), day("2027-01-04")];
        let today = day("2026-12-14");
        let plan = |scope, date: Option<&str>, new_rule| {
            plan_change(
                &current,
                &dates,
                scope,
                date.map(day),
                new_rule,
                today,
                &not_held,
            )
        };

        // The same rule from 12-28: the rest of it, the part before kept up to 12-27.
        let rest = plan(Scope::Following, Some("2026-12-28"), None).unwrap();
        assert_eq!(rest.from, day("2026-12-28"));
        assert_eq!(rest.rule.dates().unwrap().len(), 5);
        assert_eq!(
            rest.kept.unwrap().dates().unwrap().last(),
            Some(&day("2026-12-21"))
        );
        assert!(rest.cancelled.is_empty());

        // Fortnightly from 12-21: 01-04 stays, 12-28 is cancelled.
        let fortnightly = RecurrenceFields {
            interval: Some(2),
            ..mondays(3, "2026-12-21")
        };
        let every_other = plan(Scope::All, None, Some(&fortnightly)).unwrap();
        assert_eq!(every_other.from, day("2026-12-21"));
        assert_eq!(every_other.cancelled, [day("2026-12-28")]);

        // Nothing changes in the past, and `following` needs its date.
        let past = plan(Scope::Following, Some("2026-12-07"), None);
        assert_eq!(past.unwrap_err()[0].field, "date");
        let undated = plan(Scope::Following, None, None);
        assert_eq!(undated.unwrap_err()[0].field, "date");
        let beyond = plan(Scope::Following, Some("2027-03-01"), None);
        assert!(beyond.unwrap_err()[0].message.contains("no occurrence"));
    }
}
