//! When in a meeting's life each thing people do may be done, said once: operations refuse
//! outside the window (each with its own reason, worded by the door), and chat, given no
//! meeting id, offers only meetings inside it.

use super::lifecycle::MeetingStatus;
use MeetingStatus::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    /// Changing the meeting, its agenda, materials, topics and checklist: until it starts.
    Preparation,
    /// Answering the invitation (or sending someone instead): between publishing and the
    /// start.
    Invitation,
    /// Starting it.
    Start,
    /// Running it (next item, more time, the end) and asking questions.
    Running,
    /// The roster changes until the meeting ends.
    Roster,
    /// Writing the minutes, and the questions as the recorders read them: while it runs and
    /// after it ends, until the minutes are published.
    Minutes,
    /// Publishing the minutes.
    Publishing,
    /// Published and not yet done with: from publishing until the minutes are published, the
    /// meetings whose duties chat's help offers.
    Unfinished,
    /// Announced to people, cancelled ones included: what a calendar carries.
    Announced,
    /// Meetings still ahead or running: what a person's list shows, and what chat picks from
    /// for `会议` and `议程` without an id.
    Upcoming,
    /// Checking in, oneself or others (within the hours `ops::attendance` allows).
    CheckIn,
    /// Help on site (from half an hour before the start: see `ops::live::help_open`).
    Help,
    /// Feedback, and the minutes as a reader finds them: after the meeting.
    Afterwards,
    /// The published minutes.
    Published,
    /// Any time (the audit trail).
    Always,
}

impl Window {
    pub const fn statuses(self) -> &'static [MeetingStatus] {
        match self {
            Window::Preparation => &[Draft, Scheduled],
            Window::Invitation | Window::Start => &[Scheduled],
            Window::Running => &[InProgress],
            Window::Roster => &[Draft, Scheduled, InProgress],
            Window::Minutes => &[InProgress, Ended],
            Window::Publishing => &[Ended],
            Window::Upcoming | Window::CheckIn | Window::Help => &[Scheduled, InProgress],
            Window::Unfinished => &[Scheduled, InProgress, Ended],
            Window::Announced => &[Scheduled, InProgress, Ended, Closed, Cancelled],
            Window::Afterwards => &[Ended, Closed],
            Window::Published => &[Closed],
            Window::Always => &MeetingStatus::ALL,
        }
    }

    pub fn admits(self, status: MeetingStatus) -> bool {
        self.statuses().contains(&status)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meetings::lifecycle::Action;

    #[test]
    fn a_calendar_carries_every_announced_status() {
        let announced: Vec<MeetingStatus> = MeetingStatus::ALL
            .into_iter()
            .filter(|s| s.announced())
            .collect();
        assert_eq!(Window::Announced.statuses(), announced);
    }

    /// The windows of the lifecycle's own steps are where the step is a legal transition.
    #[test]
    fn the_steps_windows_are_the_lifecycles_transitions() {
        for (window, action) in [
            (Window::Start, Action::Start),
            (Window::Publishing, Action::Close),
            (Window::Running, Action::End),
        ] {
            let legal: Vec<MeetingStatus> = MeetingStatus::ALL
                .into_iter()
                .filter(|s| s.allows(action))
                .collect();
            assert_eq!(window.statuses(), legal, "{window:?}");
        }
    }
}
