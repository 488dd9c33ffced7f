//! Minutes: notes and decisions written while the meeting runs or after it, frozen once
//! published (closing the meeting publishes them).

use super::lifecycle::MeetingStatus;
use super::DomainError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    Note,
    Decision,
}

impl EntryKind {
    pub const ALL: [EntryKind; 2] = [EntryKind::Note, EntryKind::Decision];

    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Note => "note",
            EntryKind::Decision => "decision",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

super::stored::stored_name!(EntryKind, "minutes entry kind");

/// Whether minutes may be written to a meeting in `status`.
pub fn may_write(status: MeetingStatus) -> Result<(), DomainError> {
    if super::window::Window::Minutes.admits(status) {
        Ok(())
    } else {
        Err(DomainError::MinutesNotWritable(status))
    }
}

/// Published minutes are the ones of a closed meeting.
pub fn published(status: MeetingStatus) -> bool {
    status == MeetingStatus::Closed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minutes_are_written_during_and_after_the_meeting_only() {
        assert!(may_write(MeetingStatus::InProgress).is_ok());
        assert!(may_write(MeetingStatus::Ended).is_ok());
        for status in [
            MeetingStatus::Draft,
            MeetingStatus::Scheduled,
            MeetingStatus::Closed,
            MeetingStatus::Cancelled,
        ] {
            assert_eq!(
                may_write(status),
                Err(DomainError::MinutesNotWritable(status))
            );
        }
        assert!(published(MeetingStatus::Closed));
        assert_eq!(EntryKind::parse("decision"), Some(EntryKind::Decision));
    }
}
