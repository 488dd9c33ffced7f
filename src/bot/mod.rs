//! Command routing: what huiwu answers to a message or event.

pub mod command;
mod context;
pub mod dates;
mod error;
mod format;
mod handlers;
pub mod input;
pub mod meeting_router;

pub use meeting_router::MeetingRouter;
