use crate::db::DbError;
use crate::meetings::directory::FieldError;
use crate::meetings::lifecycle::MeetingStatus;
use crate::meetings::{
    ActionItemId, ChecklistItemId, EntryId, HelpRequestId, MilestoneId, QuestionId, TopicId,
};
use crate::meetings::{DomainError, MeetingId};

/// Why an operation was refused or failed. Each door words it once: `web::admin::ApiError`
/// as HTTP, `bot::BotError` as a chat reply.
#[derive(Debug, thiserror::Error)]
pub enum OpsError {
    #[error("meeting not found")]
    MeetingNotFound,
    #[error("person not found")]
    PersonNotFound,
    /// Nobody active has this employee number or name; the nearest people, in words.
    #[error("nobody is called {said}")]
    PersonUnknown {
        said: String,
        did_you_mean: Vec<String>,
    },
    /// More than one active person has this name.
    #[error("more than one person is called {0}")]
    PersonAmbiguous(String),
    #[error("room not found")]
    RoomNotFound,
    /// The person (by name) holds no attending role in the meeting.
    #[error("{0} is not invited to the meeting")]
    NotInvited(String),
    #[error("cannot delegate to oneself")]
    DelegateToSelf,
    #[error("a meeting needs a host")]
    LastHost,
    #[error("the roster of a meeting that is {0} cannot change")]
    RosterClosed(MeetingStatus),
    #[error("material not found")]
    MaterialNotFound,
    /// The meeting is past the point where this may change.
    #[error("{what} of a meeting that is {status} cannot change")]
    Frozen {
        what: &'static str,
        status: MeetingStatus,
    },
    /// Input that breaks a rule of the meeting, field by field.
    #[error("invalid fields")]
    Invalid(Vec<FieldError>),
    #[error("minutes entry not found")]
    EntryNotFound,
    #[error("action item {0} not found")]
    TaskNotFound(ActionItemId),
    #[error("only the action item's owner may report its progress")]
    NotTaskOwner,
    #[error("the minutes of meeting {0} are not published yet")]
    MinutesNotPublished(MeetingId),
    /// The follower is bound to this person (by name) already.
    #[error("already bound to {0}")]
    AlreadyBound(String),
    #[error("this employee number is bound to another account")]
    EmployeeNoTaken,
    #[error("too many wrong bind codes; try again later")]
    TooManyBindAttempts,
    /// Admins and organizers bind with their code only, never by approval.
    #[error("admins and organizers bind with their bind code only")]
    BindNeedsCode,
    #[error("bind request not found")]
    BindRequestNotFound,
    /// A checklist item of someone else's reads as an unknown one.
    #[error("checklist item {0} not found")]
    ChecklistNotFound(ChecklistItemId),
    #[error("checklist item {0} is done already")]
    ChecklistDone(ChecklistItemId),
    /// A question of a meeting the sender does not host or record reads as an unknown one.
    #[error("question {0} not found")]
    QuestionNotFound(QuestionId),
    #[error("question {0} is answered already")]
    AlreadyAnswered(QuestionId),
    /// A help request outside the sender's meetings reads as an unknown one.
    #[error("help request {0} not found")]
    HelpNotFound(HelpRequestId),
    /// Someone (by name) took the request first.
    #[error("help request {id} is taken by {by} already")]
    HelpTaken { id: HelpRequestId, by: String },
    #[error("help request {0} is not taken yet")]
    HelpNotTaken(HelpRequestId),
    #[error("help request {0} is resolved already")]
    HelpResolved(HelpRequestId),
    /// The meeting changed since the form that would change it was opened.
    #[error("the meeting changed since this form was opened; reload it")]
    Stale,
    /// The console is for active admins and organizers only.
    #[error("only admins and organizers may use the console")]
    NotStaff,
    /// A topic of a meeting whose agenda the actor may not edit reads as an unknown one.
    #[error("topic {0} not found")]
    TopicNotFound(TopicId),
    #[error("topic {0} is decided already")]
    TopicDecided(TopicId),
    /// An entry that is no decision, or of a meeting the actor takes no part in.
    #[error("decision {0} not found")]
    DecisionNotFound(EntryId),
    #[error("decision {0} is closed already")]
    DecisionClosed(EntryId),
    /// Only those checked in to the meeting vote on its decisions.
    #[error("only those present may vote on decision {0}")]
    NotPresent(EntryId),
    #[error("milestone {0} not found")]
    MilestoneNotFound(MilestoneId),
    #[error("series not found")]
    SeriesNotFound,
    #[error("the series has ended")]
    SeriesEnded,
    /// Asked of a meeting that is no occurrence of a series (确认 全部).
    #[error("the meeting is not part of a recurring series")]
    NotASeries,
    /// 顺延 with nothing left over from the last occurrence.
    #[error("the previous occurrence left no topic unreached")]
    NothingToCarry,
    #[error(transparent)]
    Rule(#[from] DomainError),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<diesel::result::Error> for OpsError {
    fn from(e: diesel::result::Error) -> Self {
        OpsError::Db(e.into())
    }
}
