//! What the meeting page shows of a meeting being run, for the person looking: who sees the
//! roster, the questions, the draft minutes and the open votes is decided here, once, so the
//! page only renders what it is given.

use super::consensus::{self, Standing};
use super::subject::Subject;
use super::{Actor, Env, OpsError};
use crate::db::meetings::AgendaRow;
use crate::db::minutes::{self as entries, EntryRow};
use crate::db::questions::{self as store, QuestionRow};
use crate::db::{decisions, participants, people, DbConn};
use crate::meetings::consensus::Vote;
use crate::meetings::lifecycle::MeetingStatus;
use crate::meetings::minutes::EntryKind;
use crate::meetings::participation::{Attendance, Rsvp, Tally};
use crate::meetings::permissions::Duty;
use crate::meetings::stamp::Stamp;
use crate::meetings::window::Window;
use crate::meetings::{MeetingId, PersonId};

/// What the person looking may do to the meeting now.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Powers {
    /// Start, next item, more time, end.
    pub run: bool,
    /// Notes, decisions, action items, answering questions, publishing the minutes.
    pub record: bool,
    /// Check people in on their behalf (代签).
    pub check_in_others: bool,
    /// Ask questions and vote: an invited participant, while the meeting runs.
    pub ask: bool,
    /// Ask for help on site: anyone with a role, from 30 minutes before the start.
    pub ask_help: bool,
}

/// One invitee as the host sees them.
pub struct Seat {
    pub person: PersonId,
    pub name: String,
    pub answer: Rsvp,
    pub checked_in_at: Option<i64>,
    pub attendance: Attendance,
    pub late_minutes: Option<i64>,
}

/// A decision still open for votes, with the count and the looker's own vote.
pub struct Ballot {
    pub standing: Standing,
    pub mine: Option<Vote>,
    /// Whether the looker may vote on it (checked in).
    pub may_vote: bool,
}

pub struct Board {
    pub status: MeetingStatus,
    /// Answers and presence of every invitee, counted as every door counts them.
    pub tally: Tally,
    pub current: Option<AgendaRow>,
    pub powers: Powers,
    /// For those who run, record or check in: every invitee, in the roster's order.
    pub roster: Vec<Seat>,
    /// For the host and recorders: every question, oldest first.
    pub questions: Vec<QuestionRow>,
    /// For the host and recorders until the minutes are published: the entries so far.
    pub draft: Vec<EntryRow>,
    /// For participants and those who run it, while it runs: decisions put to the vote and
    /// not closed.
    pub ballots: Vec<Ballot>,
}

/// What the reader may do now: their powers within the windows the operations keep, so a
/// page offers exactly the steps that would not be refused for the meeting's status.
impl Board {
    /// Start the meeting.
    pub fn may_start(&self) -> bool {
        self.powers.run && Window::Start.admits(self.status)
    }

    /// Move to the next item, give the running one more time, end the meeting.
    pub fn may_steer(&self) -> bool {
        self.powers.run && Window::Running.admits(self.status)
    }

    /// Check invitees in on their behalf.
    pub fn may_check_in_others(&self) -> bool {
        self.powers.check_in_others && Window::CheckIn.admits(self.status)
    }

    /// Write the minutes.
    pub fn may_record(&self) -> bool {
        self.powers.record && Window::Minutes.admits(self.status)
    }

    /// Publish the minutes (which closes the meeting).
    pub fn may_publish(&self) -> bool {
        self.powers.record && Window::Publishing.admits(self.status)
    }
}

/// The board of meeting `id` for `actor`, who must be able to read the meeting (the door has
/// checked that, recording the read, through `reading::meeting`).
pub fn board(c: &mut DbConn, env: &Env, actor: Actor, id: MeetingId) -> Result<Board, OpsError> {
    let s = Subject::load(c, id)?;
    let roles = actor
        .person()
        .map(|p| s.record.roles_of(p))
        .unwrap_or_default();
    let may = |duty: Duty| actor.carries(duty, &s.record);
    let powers = Powers {
        run: may(Duty::RunMeeting),
        record: may(Duty::Record),
        check_in_others: may(Duty::CheckInOthers),
        ask: roles.iter().any(|r| r.participates()) && Window::Running.admits(s.status),
        ask_help: !roles.is_empty()
            && super::live::help_open(s.status, s.record.meeting.starts_at.millis(), env.now_ms()),
    };
    let officer = powers.run || powers.record || powers.check_in_others;
    let invited = participants::list(c, id)?;
    let mut tally = Tally::default();
    for p in &invited {
        let (standing, _) = super::reports::standing_of(env, &s.record.meeting, p);
        tally.count(&p.rsvp, standing);
    }
    let roster = if officer {
        let ids: Vec<PersonId> = invited.iter().map(|p| p.person_id).collect();
        let names = people::by_ids(c, &ids)?;
        invited
            .iter()
            .map(|p| {
                let (attendance, late_minutes) =
                    super::reports::standing_of(env, &s.record.meeting, p);
                Seat {
                    person: p.person_id,
                    name: names
                        .get(&p.person_id)
                        .map(|n| n.name.clone())
                        .unwrap_or_default(),
                    answer: p.rsvp.clone(),
                    checked_in_at: p.checked_in_at.map(Stamp::millis),
                    attendance,
                    late_minutes,
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    let questions = if powers.record {
        store::questions(c, id)?
    } else {
        Vec::new()
    };
    let all_entries = entries::list(c, id)?;
    let draft = if powers.record && Window::Minutes.admits(s.status) {
        all_entries.clone()
    } else {
        Vec::new()
    };
    let me = actor.person();
    let present = me
        .and_then(|p| invited.iter().find(|i| i.person_id == p))
        .is_some_and(|p| p.checked_in_at.is_some());
    let mut ballots = Vec::new();
    if s.status == MeetingStatus::InProgress && (powers.ask || officer) {
        for entry in all_entries
            .into_iter()
            .filter(|e| e.kind == EntryKind::Decision)
        {
            if decisions::outcome_of(c, entry.id)?.is_some() {
                continue;
            }
            let mine = match me {
                Some(p) => decisions::casts(c, entry.id)?
                    .into_iter()
                    .rev()
                    .find(|cast| cast.person == p)
                    .map(|cast| cast.vote),
                None => None,
            };
            ballots.push(Ballot {
                standing: consensus::count(c, entry)?,
                mine,
                may_vote: present,
            });
        }
    }
    Ok(Board {
        status: s.status,
        tally,
        current: s.current_item().cloned(),
        powers,
        roster,
        questions,
        draft,
        ballots,
    })
}
