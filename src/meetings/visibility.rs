//! Confidentiality: a confidential meeting is visible only to its participants and admins;
//! to anyone else it does not exist.

use super::ids::PersonId;
use super::participation::Roster;

/// Who is asking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Viewer {
    pub person: Option<PersonId>,
    pub admin: bool,
}

/// What the viewer may learn about a meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    /// Everything; `audited` when the read must be written to the audit log.
    Full { audited: bool },
    /// Nothing, not even that the meeting exists: answer as for an unknown id.
    NotFound,
}

/// Whether a person with `roles` in a meeting may know it exists: never a draft; a
/// confidential one only when they are a member (informed people count where `informed_ok`).
pub fn shown_to(
    status: super::lifecycle::MeetingStatus,
    confidential: bool,
    roles: &[super::participation::Role],
    informed_ok: bool,
) -> bool {
    use super::participation::Role;
    let member =
        roles.iter().any(|r| r.participates()) || (informed_ok && roles.contains(&Role::Informed));
    status != super::lifecycle::MeetingStatus::Draft && (!confidential || member)
}

pub fn visibility(confidential: bool, roster: &Roster, viewer: &Viewer) -> Visibility {
    if !confidential {
        return Visibility::Full { audited: false };
    }
    let participant = viewer.person.is_some_and(|p| roster.is_participant(p));
    if viewer.admin || participant {
        Visibility::Full { audited: true }
    } else {
        Visibility::NotFound
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meetings::participation::Role;

    fn p(id: i64) -> PersonId {
        PersonId::new(id).unwrap()
    }

    fn roster() -> Roster {
        Roster::new(vec![
            (p(1), Role::Host),
            (p(2), Role::Attendee),
            (p(3), Role::Informed),
        ])
        .unwrap()
    }

    fn viewer(person: Option<i64>, admin: bool) -> Viewer {
        Viewer {
            person: person.map(p),
            admin,
        }
    }

    #[test]
    fn outsiders_learn_nothing_about_a_confidential_meeting() {
        assert_eq!(
            visibility(true, &roster(), &viewer(Some(9), false)),
            Visibility::NotFound
        );
        assert_eq!(
            visibility(true, &roster(), &viewer(None, false)),
            Visibility::NotFound
        );
        assert_eq!(
            visibility(true, &roster(), &viewer(Some(3), false)),
            Visibility::NotFound
        );
    }

    #[test]
    fn participants_and_admins_see_it_and_are_audited() {
        let full = Visibility::Full { audited: true };
        assert_eq!(visibility(true, &roster(), &viewer(Some(2), false)), full);
        assert_eq!(visibility(true, &roster(), &viewer(None, true)), full);
        assert_eq!(
            visibility(false, &roster(), &viewer(Some(9), false)),
            Visibility::Full { audited: false }
        );
    }
}
