//! Command routing: what huiwu answers to a message or event.

pub mod command;
mod context;
pub mod dates;
mod error;
mod format;
mod handlers;
pub mod input;
pub mod meeting_router;

pub use handlers::{asker as help_asker, Asker as HelpAsker};
pub use meeting_router::MeetingRouter;
