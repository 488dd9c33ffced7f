//! What every command handler works with: the settings, the time, who is asking, and which
//! meeting a command applies to (with or without an id, respecting confidentiality).

use super::error::BotError;
use super::format;
use crate::db::meetings::{self as store, MeetingRecord, MeetingRow};
use crate::db::people::Person;
use crate::db::{participants, DbConn};
use crate::meetings::checkin_code::CheckinKey;
use crate::meetings::lifecycle::MeetingStatus;
use crate::meetings::participation::Role;
use crate::meetings::permissions::{self, Duty};
use crate::meetings::visibility;
use crate::meetings::window::Window;
use crate::meetings::PersonId;
use crate::meetings::{DomainError, MeetingId};
use crate::outbox::NoticeSettings;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use std::collections::HashMap;

/// Settings and the moment a message is handled.
#[derive(Clone)]
pub struct Ctx {
    pub tz: Tz,
    pub late_grace: chrono::Duration,
    pub booking_buffer: chrono::Duration,
    pub checkin_key: CheckinKey,
    pub feeds: crate::meetings::calendar_feed::FeedLinks,
    pub notices: std::sync::Arc<NoticeSettings>,
    pub now: DateTime<Utc>,
}

impl Ctx {
    pub fn now_ms(&self) -> i64 {
        self.now.timestamp_millis()
    }

    /// What the operations layer needs, as of this message.
    pub fn env(&self) -> crate::ops::Env {
        crate::ops::Env {
            notices: self.notices.clone(),
            booking_buffer: self.booking_buffer,
            late_grace: self.late_grace,
            now: self.now,
        }
    }

    /// The sender, as the operations layer knows them.
    pub fn actor(who: &Person) -> crate::ops::Actor {
        crate::ops::Actor::Person(who.id)
    }

    pub fn today(&self) -> chrono::NaiveDate {
        self.now.with_timezone(&self.tz).date_naive()
    }
}

/// A meeting as one person sees it.
pub struct Seen {
    pub record: MeetingRecord,
    pub status: MeetingStatus,
    /// The sender's roles in it.
    pub roles: Vec<Role>,
}

impl Seen {
    pub fn id(&self) -> MeetingId {
        self.record.meeting.id
    }

    pub fn title(&self) -> &str {
        &self.record.meeting.title
    }

    pub fn require(&self, duty: Duty) -> Result<(), BotError> {
        Ok(permissions::require(duty, &self.roles)?)
    }
}

/// Which meetings a command may apply to when no id is given.
pub struct Want {
    /// The lifecycle's window the command acts in (a door names one; it lists no statuses).
    pub window: Window,
    /// Only meetings where the sender carries this duty.
    pub duty: Option<Duty>,
    /// Informed people (who only read published minutes) count as members.
    pub informed_ok: bool,
    /// Repeated with an id when several meetings qualify.
    pub command: &'static str,
}

impl Want {
    /// Whether someone with these roles in a meeting counts as one of its members here.
    fn admits(&self, roles: &[Role]) -> bool {
        roles.iter().any(|r| r.participates())
            || (self.informed_ok && roles.contains(&Role::Informed))
    }
}

fn seen(record: MeetingRecord, person: PersonId) -> Result<Seen, BotError> {
    let status = record.meeting.status;
    let roles = record.roles_of(person);
    Ok(Seen {
        record,
        status,
        roles,
    })
}

/// The meeting a command applies to. With an id: that meeting, unless the sender may not know
/// of it (a draft, or confidential and not theirs), which reads exactly like a wrong id.
/// Without: the only qualifying meeting, or a list to choose from. Reads of confidential
/// meetings are audited; then the sender must carry the wanted duty.
pub fn resolve(
    c: &mut DbConn,
    ctx: &Ctx,
    who: &Person,
    id: Option<MeetingId>,
    want: &Want,
) -> Result<Seen, BotError> {
    let meeting = match id {
        Some(id) => {
            let record = store::get(c, id)?.ok_or(BotError::MeetingNotFound(Some(id)))?;
            let s = seen(record, who.id)?;
            let shown = visibility::shown_to(
                s.status,
                s.record.meeting.confidential,
                &s.roles,
                want.informed_ok,
            );
            if !shown {
                return Err(BotError::MeetingNotFound(Some(id)));
            }
            if !want.admits(&s.roles) {
                return Err(BotError::NotParticipant(id));
            }
            s
        }
        None => {
            let chosen = choose(c, ctx, who, want)?;
            let record = store::get(c, chosen)?.ok_or(BotError::NoMeeting)?;
            seen(record, who.id)?
        }
    };
    let door = crate::meetings::audit_action::AuditAction::chat(want.command);
    let actor = crate::ops::Actor::Person(who.id);
    crate::ops::reading::record_read(c, ctx.now_ms(), actor, &meeting.record.meeting, door)?;
    if let Some(duty) = want.duty {
        meeting.require(duty)?;
    }
    Ok(meeting)
}

/// The one meeting a command without an id applies to, from the sender's own roles only; when
/// several qualify, the list to choose from starts with those nearest to now (the next ones
/// for upcoming meetings, the latest for past ones).
fn choose(c: &mut DbConn, ctx: &Ctx, who: &Person, want: &Want) -> Result<MeetingId, BotError> {
    let mut roles: HashMap<MeetingId, Vec<Role>> = HashMap::new();
    for (meeting, role) in store::roles_of_person(c, who.id)? {
        roles.entry(meeting).or_default().push(role);
    }
    let mut candidates: Vec<(MeetingRow, Vec<Role>)> =
        store::for_person(c, who.id, want.window.statuses())?
            .into_iter()
            .filter_map(|m| {
                let roles = roles.remove(&m.id)?;
                let shown =
                    visibility::shown_to(m.status, m.confidential, &roles, want.informed_ok);
                (shown && want.admits(&roles)).then_some((m, roles))
            })
            .collect();
    if let Some(duty) = want.duty {
        let any = !candidates.is_empty();
        candidates.retain(|(_, roles)| permissions::require(duty, roles).is_ok());
        if any && candidates.is_empty() {
            return Err(DomainError::NotAllowed(duty).into());
        }
    }
    // Prefer the meeting running now over later ones.
    let running = MeetingStatus::InProgress;
    if candidates.len() > 1
        && candidates
            .iter()
            .filter(|(m, _)| m.status == running)
            .count()
            == 1
    {
        candidates.retain(|(m, _)| m.status == running);
    }
    match candidates.len() {
        0 => Err(BotError::NoMeeting),
        1 => Ok(candidates[0].0.id),
        _ => {
            let now = ctx.now_ms();
            candidates.sort_by_key(|(m, _)| ((m.starts_at.millis() - now).abs(), m.id));
            Err(BotError::Ambiguous {
                choices: candidates
                    .into_iter()
                    .map(|(m, _)| (m.id, format::when(m.starts_at, ctx.tz), m.title))
                    .collect(),
                command: want.command,
            })
        }
    }
}

/// The sender's invitation row; present for everyone holding a role that participates.
pub fn invitation(
    c: &mut DbConn,
    meeting: &Seen,
    person: PersonId,
) -> Result<participants::ParticipantRow, BotError> {
    participants::get(c, meeting.record.meeting.id, person)?
        .ok_or(BotError::NotParticipant(meeting.id()))
}
