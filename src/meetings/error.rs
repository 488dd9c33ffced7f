use super::ids::MeetingId;
use super::lifecycle::{Action, MeetingStatus};
use super::permissions::Duty;

/// A meeting rule said no. Messages are for people: they say what was refused and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    #[error("cannot {action} a meeting that is {from}")]
    IllegalTransition { from: MeetingStatus, action: Action },
    #[error("the meeting must end after it starts")]
    EndNotAfterStart,
    #[error("the agenda needs {agenda_minutes} minutes but the meeting lasts {meeting_minutes}")]
    AgendaTooLong {
        agenda_minutes: i64,
        meeting_minutes: i64,
    },
    #[error(
        "agenda item {position} needs a title on one line (no line breaks or control characters)"
    )]
    AgendaTitle { position: usize },
    #[error("agenda item {position} has no time box (minutes must be at least 1)")]
    EmptyTimeBox { position: usize },
    #[error("the room is already booked by meeting {0} at that time")]
    RoomConflict(MeetingId),
    #[error("a meeting needs a host")]
    NoHost,
    #[error("a reason is required to decline")]
    ReasonRequired,
    #[error("a rating is a whole number from 1 to 5")]
    RatingOutOfRange,
    #[error("{0} is not a valid id")]
    BadId(String),
    #[error("only {0} may do this")]
    NotAllowed(Duty),
    #[error("this check-in code is not valid")]
    ForgedCheckinCode,
    /// A room screen's code older than its minute: a photo of the screen, not the screen.
    #[error("the check-in code has expired")]
    CheckinCodeExpired,
    #[error("check-in opens at {0}")]
    CheckinNotOpen(chrono::DateTime<chrono::Utc>),
    #[error("check-in has closed: the meeting is over")]
    CheckinClosed,
    #[error("this meeting takes check-in by QR code only")]
    TextCheckinOff,
    #[error("minutes can be written only while the meeting is in progress or ended, not {0}")]
    MinutesNotWritable(MeetingStatus),
    #[error("the action item is already {0}")]
    TaskFinished(&'static str),
    #[error("an action item that is {from} does not go back to {to}")]
    TaskStatusBack {
        from: &'static str,
        to: &'static str,
    },
    #[error("a due date may not be in the past")]
    DueInThePast,
    #[error("the invitation can no longer be answered: the meeting is {0}")]
    InvitationClosed(MeetingStatus),
    #[error("the meeting is not in progress: it is {0}")]
    NotRunning(MeetingStatus),
    #[error("{0:?} is no answer: accepted, tentative, declined or pending")]
    UnknownAnswer(String),
    #[error("no agenda item is running")]
    NoItemRunning,
    #[error("feedback opens when the meeting has ended")]
    FeedbackNotOpen,
    /// Questions are put while a meeting runs (`None`: no meeting of the sender's runs).
    #[error("questions are taken while the meeting is in progress")]
    QuestionsClosed(Option<MeetingStatus>),
    /// Help on site is asked from 30 minutes before the start to the end.
    #[error("help on site is asked from 30 minutes before the start until the meeting ends")]
    HelpNotOpen,
}
