//! Answering every date of a series at once (确认 全部).

use super::*;

/// Answers every occurrence of the series `meeting` belongs to, from that one on, and those
/// to come; the occurrences held already keep what happened. Returns how many were answered.
pub fn answer_all(
    c: &mut DbConn,
    env: &Env,
    actor: Actor,
    meeting: MeetingId,
    person: PersonId,
    rsvp: &Rsvp,
) -> Result<usize, OpsError> {
    let Some(occurrence) = db::occurrence_of(c, meeting)? else {
        return Err(OpsError::NotASeries);
    };
    let mut answered = 0;
    for o in db::occurrences(c, occurrence.series_id)? {
        if o.date < occurrence.date {
            continue;
        }
        let status = store::referenced(c, o.meeting_id)?.meeting.status;
        if status == MeetingStatus::Scheduled
            && participants::get(c, o.meeting_id, person)?.is_some()
        {
            crate::ops::attendance::answer(c, env, actor, o.meeting_id, person, rsvp)?;
            answered += 1;
        }
    }
    if answered == 0 {
        return Err(OpsError::NotInvited(people::name(c, person)?));
    }
    db::set_answer(c, occurrence.series_id, person, rsvp, env.now_ms())?;
    Ok(answered)
}
