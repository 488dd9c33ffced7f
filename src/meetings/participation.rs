//! Who takes part and how: roles, answers to the invitation, check-in.

use super::ids::PersonId;
use super::lifecycle::MeetingStatus;
use super::DomainError;
use chrono::Duration;
use serde::{Deserialize, Serialize};

/// What a person does for a meeting; one person may hold several.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Host,
    Organizer,
    AgendaOwner,
    Recorder,
    FollowUpOwner,
    FeedbackOwner,
    ConfidentialityOfficer,
    ItSupport,
    Attendee,
    OptionalAttendee,
    /// 抄送: gets only the published minutes.
    Informed,
}

impl Role {
    pub const ALL: [Role; 11] = [
        Role::Host,
        Role::Organizer,
        Role::AgendaOwner,
        Role::Recorder,
        Role::FollowUpOwner,
        Role::FeedbackOwner,
        Role::ConfidentialityOfficer,
        Role::ItSupport,
        Role::Attendee,
        Role::OptionalAttendee,
        Role::Informed,
    ];

    /// The stored and API name (snake_case).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Host => "host",
            Role::Organizer => "organizer",
            Role::AgendaOwner => "agenda_owner",
            Role::Recorder => "recorder",
            Role::FollowUpOwner => "follow_up_owner",
            Role::FeedbackOwner => "feedback_owner",
            Role::ConfidentialityOfficer => "confidentiality_officer",
            Role::ItSupport => "it_support",
            Role::Attendee => "attendee",
            Role::OptionalAttendee => "optional_attendee",
            Role::Informed => "informed",
        }
    }

    pub fn parse(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == name)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Role::Host => "主持人",
            Role::Organizer => "会务组",
            Role::AgendaOwner => "议程组",
            Role::Recorder => "记录员",
            Role::FollowUpOwner => "跟踪执行组",
            Role::FeedbackOwner => "质询反馈组",
            Role::ConfidentialityOfficer => "保密管理组",
            Role::ItSupport => "信息技术支持",
            Role::Attendee => "参会人",
            Role::OptionalAttendee => "可选参会人",
            Role::Informed => "抄送",
        }
    }

    /// Whether the role makes a person a participant (invited, may see the meeting). The
    /// informed see only the published minutes.
    pub fn participates(self) -> bool {
        self != Role::Informed
    }
}

/// Who holds which roles; valid only with a host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Roster(Vec<(PersonId, Role)>);

impl Roster {
    pub fn new(assignments: Vec<(PersonId, Role)>) -> Result<Self, DomainError> {
        if !assignments.iter().any(|(_, r)| *r == Role::Host) {
            return Err(DomainError::NoHost);
        }
        let mut assignments = assignments;
        assignments.sort_by_key(|(p, r)| (p.get(), *r as u8));
        assignments.dedup();
        Ok(Self(assignments))
    }

    pub fn assignments(&self) -> &[(PersonId, Role)] {
        &self.0
    }

    pub fn holders(&self, role: Role) -> impl Iterator<Item = PersonId> + '_ {
        self.0
            .iter()
            .filter(move |(_, r)| *r == role)
            .map(|(p, _)| *p)
    }

    pub fn has(&self, person: PersonId, role: Role) -> bool {
        self.0.contains(&(person, role))
    }

    /// Recorders, or the hosts when nobody was named recorder.
    pub fn recorders(&self) -> Vec<PersonId> {
        let named: Vec<_> = self.holders(Role::Recorder).collect();
        if named.is_empty() {
            self.holders(Role::Host).collect()
        } else {
            named
        }
    }

    /// Everyone invited to attend (any role but informed), once each.
    pub fn invitees(&self) -> Vec<PersonId> {
        let mut people: Vec<PersonId> = self
            .0
            .iter()
            .filter(|(_, r)| r.participates())
            .map(|(p, _)| *p)
            .collect();
        // Assignments are sorted by person, so repeats are neighbours.
        people.dedup();
        people
    }

    pub fn is_participant(&self, person: PersonId) -> bool {
        self.0.iter().any(|(p, r)| *p == person && r.participates())
    }
}

/// The answer to an invitation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "answer", rename_all = "snake_case")]
pub enum Rsvp {
    Pending,
    Accepted,
    Tentative,
    Declined { reason: String },
}

super::stored::stored_name!(Role, "role");

impl Rsvp {
    /// Every answer's name (a decline also carries its reason).
    pub const NAMES: [&'static str; 4] = ["accepted", "tentative", "declined", "pending"];

    /// The stored and API name.
    pub fn as_str(&self) -> &'static str {
        match self {
            Rsvp::Pending => "pending",
            Rsvp::Accepted => "accepted",
            Rsvp::Tentative => "tentative",
            Rsvp::Declined { .. } => "declined",
        }
    }

    pub fn is_declined(&self) -> bool {
        matches!(self, Rsvp::Declined { .. })
    }

    pub fn reason(&self) -> Option<&str> {
        match self {
            Rsvp::Declined { reason } => Some(reason),
            _ => None,
        }
    }

    /// An answer from its stored name and reason.
    pub fn from_stored(
        name: &str,
        reason: Option<String>,
    ) -> Result<Rsvp, super::stored::UnknownName> {
        Ok(match name {
            "pending" => Rsvp::Pending,
            "accepted" => Rsvp::Accepted,
            "tentative" => Rsvp::Tentative,
            "declined" => Rsvp::Declined {
                reason: reason.unwrap_or_default(),
            },
            _ => {
                return Err(super::stored::UnknownName {
                    kind: "invitation answer",
                    name: name.to_owned(),
                })
            }
        })
    }

    /// An answer as a door receives it: its name (`accepted`, `tentative`, `declined`,
    /// `pending`) and, for `declined`, the reason (required).
    pub fn given(name: &str, reason: Option<&str>) -> Result<Self, DomainError> {
        match name {
            "accepted" => Ok(Rsvp::Accepted),
            "tentative" => Ok(Rsvp::Tentative),
            "pending" => Ok(Rsvp::Pending),
            "declined" => Rsvp::decline(reason.unwrap_or_default()),
            other => Err(DomainError::UnknownAnswer(other.chars().take(20).collect())),
        }
    }

    pub fn decline(reason: &str) -> Result<Self, DomainError> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(DomainError::ReasonRequired);
        }
        Ok(Rsvp::Declined {
            reason: reason.to_owned(),
        })
    }
}

/// Where an invited person stands on the day: the one definition every door counts by (chat
/// `结束`, the console's live board and reports, the staff page, the admin API's report and the
/// improvement report).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Attendance {
    /// Checked in by the start plus the grace.
    OnTime,
    /// Checked in after the start plus the grace (`minutes_late` says by how much).
    Late,
    /// Not checked in and not excused, while the meeting is not over.
    Expected,
    /// Expected (accepted, tentative or no answer at all) and not checked in when it was over.
    Absent,
    /// Declined (请假, or sent someone in their place) and not checked in: excused, shown apart
    /// from the absent with the reason.
    Declined,
}

/// Whether a meeting is over for attendance: ended or closed, or past its planned end
/// (instants in milliseconds, as stored).
pub fn is_over(status: MeetingStatus, end_ms: i64, now_ms: i64) -> bool {
    matches!(status, MeetingStatus::Ended | MeetingStatus::Closed) || now_ms >= end_ms
}

/// Where someone stands: present (on time or late) if checked in, whatever they answered;
/// otherwise excused when they declined, absent when the meeting is over, expected before.
/// Instants in milliseconds, as stored.
pub fn attendance(
    declined: bool,
    checked_in_at_ms: Option<i64>,
    start_ms: i64,
    grace: Duration,
    over: bool,
) -> Attendance {
    match checked_in_at_ms {
        Some(at) if at > start_ms + grace.num_milliseconds() => Attendance::Late,
        Some(_) => Attendance::OnTime,
        None if declined => Attendance::Declined,
        None if over => Attendance::Absent,
        None => Attendance::Expected,
    }
}

/// Whole minutes between the start and a check-in after it (0 for one before).
pub fn minutes_late(checked_in_at_ms: i64, start_ms: i64) -> i64 {
    (checked_in_at_ms - start_ms).max(0) / 60_000
}

/// The numbers every door shows for one meeting: answers and presence, counted once.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub invited: usize,
    pub accepted: usize,
    pub tentative: usize,
    pub declined: usize,
    /// Never answered.
    pub pending: usize,
    /// Checked in, on time or late.
    pub present: usize,
    pub on_time: usize,
    pub late: usize,
    pub expected: usize,
    pub absent: usize,
    /// Declined and not checked in (one who declined and came anyway is present).
    pub excused: usize,
}

impl Tally {
    pub fn count(&mut self, rsvp: &Rsvp, standing: Attendance) {
        self.invited += 1;
        match rsvp {
            Rsvp::Accepted => self.accepted += 1,
            Rsvp::Tentative => self.tentative += 1,
            Rsvp::Declined { .. } => self.declined += 1,
            Rsvp::Pending => self.pending += 1,
        }
        match standing {
            Attendance::OnTime => {
                self.present += 1;
                self.on_time += 1;
            }
            Attendance::Late => {
                self.present += 1;
                self.late += 1;
            }
            Attendance::Expected => self.expected += 1,
            Attendance::Absent => self.absent += 1,
            Attendance::Declined => self.excused += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, TimeZone, Utc};

    fn p(id: i64) -> PersonId {
        PersonId::new(id).unwrap()
    }

    #[test]
    fn a_roster_needs_a_host_and_the_host_records_by_default() {
        assert_eq!(
            Roster::new(vec![(p(1), Role::Attendee)]),
            Err(DomainError::NoHost)
        );
        let roster = Roster::new(vec![
            (p(1), Role::Host),
            (p(2), Role::Attendee),
            (p(1), Role::Host),
        ])
        .unwrap();
        assert_eq!(roster.recorders(), vec![p(1)]);
        let roster = Roster::new(vec![
            (p(1), Role::Host),
            (p(2), Role::Recorder),
            (p(3), Role::Informed),
        ])
        .unwrap();
        assert_eq!(roster.recorders(), vec![p(2)]);
        assert!(roster.is_participant(p(2)));
        assert!(
            !roster.is_participant(p(3)),
            "informed people only get the minutes"
        );
        assert!(!roster.is_participant(p(4)));
    }

    #[test]
    fn role_names_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
            let json = serde_json::to_string(&role).unwrap();
            assert_eq!(json, format!("\"{}\"", role.as_str()));
        }
    }

    #[test]
    fn declining_needs_a_reason() {
        assert_eq!(Rsvp::decline("  "), Err(DomainError::ReasonRequired));
        assert_eq!(
            Rsvp::decline(" 出差 "),
            Ok(Rsvp::Declined {
                reason: "出差".into()
            })
        );
    }

    #[test]
    fn one_definition_of_who_came() {
        let start = Utc.with_ymd_and_hms(2026, 12, 1, 1, 30, 0).unwrap();
        let end = start + Duration::hours(1);
        let grace = Duration::minutes(5);
        let ms = |t: DateTime<Utc>| t.timestamp_millis();
        let at = |m: i64| Some(ms(start + Duration::minutes(m)));
        let a = |rsvp: &Rsvp, checked: Option<i64>, now_m: i64| {
            let now = start + Duration::minutes(now_m);
            let over = is_over(MeetingStatus::InProgress, ms(end), ms(now));
            attendance(rsvp.is_declined(), checked, ms(start), grace, over)
        };
        assert_eq!(a(&Rsvp::Accepted, at(5), 10), Attendance::OnTime);
        assert_eq!(a(&Rsvp::Accepted, at(6), 10), Attendance::Late);
        assert_eq!(a(&Rsvp::Accepted, None, 30), Attendance::Expected);
        assert_eq!(a(&Rsvp::Accepted, None, 60), Attendance::Absent);
        assert_eq!(a(&Rsvp::Tentative, None, 60), Attendance::Absent);
        assert_eq!(
            a(&Rsvp::Pending, None, 60),
            Attendance::Absent,
            "no answer, never came"
        );
        assert_eq!(
            a(&Rsvp::Pending, at(-10), 60),
            Attendance::OnTime,
            "came without answering"
        );
        let declined = Rsvp::Declined {
            reason: "出差".into(),
        };
        assert_eq!(
            a(&declined, None, 60),
            Attendance::Declined,
            "excused, not absent"
        );
        assert_eq!(a(&declined, at(26), 60), Attendance::Late);
        assert_eq!(
            minutes_late(ms(start + Duration::minutes(26)), ms(start)),
            26
        );
        assert!(
            is_over(MeetingStatus::Ended, ms(end), ms(start)),
            "ended early"
        );

        let mut tally = Tally::default();
        for (rsvp, standing) in [
            (Rsvp::Accepted, Attendance::OnTime),
            (Rsvp::Pending, Attendance::Late),
            (Rsvp::Tentative, Attendance::Absent),
            (declined.clone(), Attendance::Declined),
        ] {
            tally.count(&rsvp, standing);
        }
        assert_eq!(
            (
                tally.invited,
                tally.present,
                tally.late,
                tally.absent,
                tally.excused,
                tally.pending
            ),
            (4, 2, 1, 1, 1, 1)
        );
    }
}
