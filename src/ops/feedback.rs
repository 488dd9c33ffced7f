//! Feedback on a meeting from those invited, once it has ended.

use super::subject::Subject;
use super::{Env, OpsError};
use crate::db::people::Person;
use crate::db::{feedback, DbConn};
use crate::meetings::feedback::Rating;
use crate::meetings::{DomainError, MeetingId};

/// Records (or replaces) a participant's own rating and comment: feedback is only ever a
/// person's own, so no one acts for them.
pub fn give(
    c: &mut DbConn,
    env: &Env,
    person: &Person,
    id: MeetingId,
    rating: Rating,
    comment: &str,
) -> Result<(), OpsError> {
    let s = Subject::load(c, id)?;
    if !s
        .record
        .roles_of(person.id)
        .iter()
        .any(|r| r.participates())
    {
        return Err(OpsError::NotInvited(person.name.clone()));
    }
    if !crate::meetings::window::Window::Afterwards.admits(s.status) {
        return Err(DomainError::FeedbackNotOpen.into());
    }
    feedback::upsert(
        c,
        s.id(),
        person.id,
        u8::from(rating),
        comment,
        env.now_ms(),
    )?;
    Ok(())
}
