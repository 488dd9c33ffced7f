//! A meeting's reports, for those who prepare it (its hosts and organizers) and admins: the
//! admin API renders them as JSON, the console as tables and CSV.

use super::reading;
use super::{Actor, Env, OpsError};
use crate::db::action_items::{self as items, ActionItemRow};
use crate::db::meetings::MeetingRow;
use crate::db::outbox::{self, OutboxRow};
use crate::db::participants::ParticipantRow;
use crate::db::{feedback as feedback_rows, participants, people, DbConn};
use crate::meetings::action_items::days_overdue;
use crate::meetings::audit_action::Audit;
use crate::meetings::feedback::{summarise, Rating, Summary};
use crate::meetings::participation::{
    attendance as standing, is_over, minutes_late, Attendance, Rsvp, Tally,
};
use crate::meetings::stamp::Stamp;
use crate::meetings::MeetingId;
use crate::meetings::PersonId;

#[derive(Debug, Default)]
pub struct AttendanceReport {
    pub tally: Tally,
    pub people: Vec<PersonAttendance>,
}

#[derive(Debug)]
pub struct PersonAttendance {
    pub person_id: PersonId,
    pub name: String,
    pub employee_no: String,
    pub department: String,
    pub rsvp: Rsvp,
    pub checked_in_at: Option<i64>,
    pub attendance: Attendance,
    /// Minutes after the start, for a late check-in.
    pub minutes_late: Option<i64>,
}

/// Who was invited, what they answered and whether they came, by the one definition of
/// `participation::attendance` (late counts from start + grace).
pub fn attendance(
    c: &mut DbConn,
    env: &Env,
    actor: Actor,
    id: MeetingId,
) -> Result<AttendanceReport, OpsError> {
    let record = reading::managed(c, env, actor, id, Audit::ReadAttendance)?;
    let m = &record.meeting;
    let rows = participants::list(c, m.id)?;
    let ids: Vec<PersonId> = rows.iter().map(|p| p.person_id).collect();
    let named = people::by_ids(c, &ids)?;
    let mut r = AttendanceReport::default();
    for p in rows {
        let (a, minutes_late) = standing_of(env, m, &p);
        r.tally.count(&p.rsvp, a);
        let who = named.get(&p.person_id);
        r.people.push(PersonAttendance {
            person_id: p.person_id,
            name: who.map(|x| x.name.clone()).unwrap_or_default(),
            employee_no: who.map(|x| x.employee_no.clone()).unwrap_or_default(),
            department: who.map(|x| x.department.clone()).unwrap_or_default(),
            rsvp: p.rsvp,
            checked_in_at: p.checked_in_at.map(Stamp::millis),
            attendance: a,
            minutes_late,
        });
    }
    Ok(r)
}

/// Where one participant stands now, and by how many minutes they were late: what the
/// report counts and the staff page shows the reader.
pub fn standing_of(env: &Env, m: &MeetingRow, p: &ParticipantRow) -> (Attendance, Option<i64>) {
    let over = is_over(m.status, m.ends_at.millis(), env.now_ms());
    let a = standing(
        p.rsvp.is_declined(),
        p.checked_in_at.map(Stamp::millis),
        m.starts_at.millis(),
        env.late_grace,
        over,
    );
    let late = p
        .checked_in_at
        .filter(|_| a == Attendance::Late)
        .map(|at| minutes_late(at.millis(), m.starts_at.millis()));
    (a, late)
}

/// The meeting's feedback: ratings summarised, comments as given.
pub struct FeedbackReport {
    pub summary: Summary,
    pub comments: Vec<String>,
}

pub fn feedback(
    c: &mut DbConn,
    env: &Env,
    actor: Actor,
    id: MeetingId,
) -> Result<FeedbackReport, OpsError> {
    reading::managed(c, env, actor, id, Audit::ReadFeedback)?;
    let answers = feedback_rows::for_meeting(c, id)?;
    let ratings: Vec<Rating> = answers
        .iter()
        .filter_map(|(r, _)| u8::try_from(*r).ok().and_then(|r| Rating::try_from(r).ok()))
        .collect();
    Ok(FeedbackReport {
        summary: summarise(&ratings),
        comments: answers
            .into_iter()
            .map(|(_, c)| c)
            .filter(|c| !c.is_empty())
            .collect(),
    })
}

/// Every notice the meeting sent or is sending, oldest first.
pub fn deliveries(
    c: &mut DbConn,
    env: &Env,
    actor: Actor,
    id: MeetingId,
) -> Result<Vec<OutboxRow>, OpsError> {
    reading::managed(c, env, actor, id, Audit::ReadDeliveries)?;
    Ok(outbox::for_meeting(c, id)?)
}

/// An action item as the board shows it.
pub struct TaskLine {
    pub item: ActionItemRow,
    pub owner: String,
    /// Days past due, 0 when not (or finished).
    pub overdue_days: i64,
    /// (author, text, at), oldest first.
    pub progress: Vec<(String, String, i64)>,
}

/// The meeting's action items, overdue first (most overdue first), then by due date.
pub fn tasks(
    c: &mut DbConn,
    env: &Env,
    actor: Actor,
    id: MeetingId,
) -> Result<Vec<TaskLine>, OpsError> {
    reading::managed(c, env, actor, id, Audit::ReadActionItems)?;
    let today = env.now.with_timezone(&env.notices.tz).date_naive();
    let items = items::list(
        c,
        &items::ActionItemFilter {
            meeting_id: Some(id),
            ..Default::default()
        },
    )?;
    let mut logs = Vec::with_capacity(items.len());
    for item in &items {
        logs.push(items::progress(c, item.id)?);
    }
    // Everyone the board names, looked up once.
    let ids: Vec<PersonId> = items
        .iter()
        .map(|i| i.owner_id)
        .chain(logs.iter().flatten().map(|(a, _, _)| *a))
        .collect();
    let named = people::by_ids(c, &ids)?;
    let name = |p: PersonId| named.get(&p).map(|x| x.name.clone()).unwrap_or_default();
    let mut lines: Vec<TaskLine> = items
        .into_iter()
        .zip(logs)
        .map(|(item, log)| TaskLine {
            owner: name(item.owner_id),
            overdue_days: days_overdue(item.due_on, item.status, today),
            progress: log
                .into_iter()
                .map(|(author, text, at)| (name(author), text, at.millis()))
                .collect(),
            item,
        })
        .collect();
    lines.sort_by_key(|l| (std::cmp::Reverse(l.overdue_days), l.item.due_on));
    Ok(lines)
}
