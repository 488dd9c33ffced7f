//! Meeting rules, free of HTTP and SQL: what may happen to a meeting and who may see it.
//! Values here are built once, by parsing, at the edge (admin API, chat commands); nothing
//! downstream re-checks them.

pub mod action_items;
pub mod agenda;
pub mod audit_action;
pub mod audit_trail;
pub mod calendar_feed;
pub mod checkin_code;
pub mod checklist;
pub mod consensus;
pub mod directory;
pub mod display;
pub mod draft;
pub mod error;
pub mod feedback;
pub mod ids;
pub mod improvement;
pub mod job;
pub mod lifecycle;
pub mod material;
pub mod minutes;
pub mod notice_kind;
pub mod participation;
pub mod people_csv;
pub mod permissions;
pub mod recurrence;
pub mod schedule;
pub mod series;
pub mod stamp;
pub mod stored;
pub mod text;
pub mod topics;
pub mod visibility;
pub mod window;

pub use error::DomainError;
pub use ids::{
    ActionItemId, ChecklistItemId, EntryId, HelpRequestId, MaterialId, MeetingId, MilestoneId,
    PersonId, QuestionId, RoomId, SeriesId, TopicId,
};
