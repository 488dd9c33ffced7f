//! What huiwu will say and when, decided inside the change that causes it: notices become
//! outbox rows and reminders become jobs in the change's own transaction. Operations call this
//! layer; `notify` (the worker that sends, the scheduler that runs jobs) comes later and calls
//! operations, never the other way round.

pub mod message;
pub mod notices;
pub mod payload;
pub mod plan;
pub mod planner;
pub mod templates;

pub use crate::meetings::notice_kind::NoticeKind;
pub use notices::{Notice, NoticeSettings};
pub use templates::OaTemplates;
