//! draft → scheduled (published) → in_progress → ended → closed (minutes published);
//! cancelled from draft or scheduled; an admin may reopen closed minutes.

use super::DomainError;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeetingStatus {
    Draft,
    Scheduled,
    InProgress,
    Ended,
    Closed,
    Cancelled,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Publish,
    Start,
    End,
    Close,
    Cancel,
    Reopen,
}

impl MeetingStatus {
    pub const ALL: [MeetingStatus; 6] = [
        MeetingStatus::Draft,
        MeetingStatus::Scheduled,
        MeetingStatus::InProgress,
        MeetingStatus::Ended,
        MeetingStatus::Closed,
        MeetingStatus::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MeetingStatus::Draft => "draft",
            MeetingStatus::Scheduled => "scheduled",
            MeetingStatus::InProgress => "in_progress",
            MeetingStatus::Ended => "ended",
            MeetingStatus::Closed => "closed",
            MeetingStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(name: &str) -> Option<MeetingStatus> {
        Self::ALL.into_iter().find(|s| s.as_str() == name)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            MeetingStatus::Draft => "草稿",
            MeetingStatus::Scheduled => "未开始",
            MeetingStatus::InProgress => "进行中",
            MeetingStatus::Ended => "已结束",
            MeetingStatus::Closed => "已发布纪要",
            MeetingStatus::Cancelled => "已取消",
        }
    }

    /// The status `action` leads to, or why it may not happen now.
    pub fn apply(self, action: Action) -> Result<MeetingStatus, DomainError> {
        use Action::*;
        use MeetingStatus::*;
        match (self, action) {
            (Draft, Publish) => Ok(Scheduled),
            (Scheduled, Start) => Ok(InProgress),
            (InProgress, End) => Ok(Ended),
            (Ended, Close) => Ok(Closed),
            (Draft | Scheduled, Cancel) => Ok(Cancelled),
            (Closed, Reopen) => Ok(Ended),
            (from, action) => Err(DomainError::IllegalTransition { from, action }),
        }
    }

    /// Whether `action` may happen now: what a page asks before offering it.
    pub fn allows(self, action: Action) -> bool {
        self.apply(action).is_ok()
    }

    /// Whether the meeting holds its room (and so can conflict with another booking).
    pub fn holds_room(self) -> bool {
        matches!(self, MeetingStatus::Scheduled | MeetingStatus::InProgress)
    }

    /// Minutes may be written while the meeting runs and until it is closed.
    pub fn minutes_writable(self) -> bool {
        super::window::Window::Minutes.admits(self)
    }

    /// Notices go out from publishing on; a draft tells no one anything.
    pub fn announced(self) -> bool {
        !matches!(self, MeetingStatus::Draft)
    }
}

super::stored::stored_name!(MeetingStatus, "meeting status");

impl std::fmt::Display for MeetingStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Display for Action {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Action::Publish => "publish",
            Action::Start => "start",
            Action::End => "end",
            Action::Close => "close",
            Action::Cancel => "cancel",
            Action::Reopen => "reopen",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Action::*;
    use super::MeetingStatus::*;

    #[test]
    fn the_whole_life_of_a_meeting() {
        let mut s = Draft;
        for action in [Publish, Start, End, Close, Reopen, Close] {
            s = s.apply(action).unwrap();
        }
        assert_eq!(s, Closed);
    }

    #[test]
    fn cancelling_only_before_the_meeting_starts() {
        assert_eq!(Draft.apply(Cancel), Ok(Cancelled));
        assert_eq!(Scheduled.apply(Cancel), Ok(Cancelled));
        for s in [InProgress, Ended, Closed, Cancelled] {
            assert!(s.apply(Cancel).is_err(), "{s}");
        }
    }

    #[test]
    fn every_other_transition_is_refused_with_a_clear_error() {
        let all = [Draft, Scheduled, InProgress, Ended, Closed, Cancelled];
        let allowed = [
            (Draft, Publish),
            (Scheduled, Start),
            (InProgress, End),
            (Ended, Close),
            (Draft, Cancel),
            (Scheduled, Cancel),
            (Closed, Reopen),
        ];
        for from in all {
            for action in [Publish, Start, End, Close, Cancel, Reopen] {
                let result = from.apply(action);
                assert_eq!(
                    result.is_ok(),
                    allowed.contains(&(from, action)),
                    "{from} {action}"
                );
            }
        }
        assert_eq!(
            Draft.apply(Start).unwrap_err().to_string(),
            "cannot start a meeting that is draft"
        );
    }
}
