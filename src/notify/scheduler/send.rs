//! What every job's messages share: the meeting's facts as a message may show them, who
//! holds a role, and sending one person their copy.

use crate::db::jobs::JobRow;
use crate::db::meetings::{self as store, MeetingRecord};
use crate::db::{outbox, people, DbConn, DbError};
use crate::meetings::display;
use crate::meetings::PersonId;
use crate::outbox::notices::{message_for, NoticeSettings};
use crate::outbox::payload::NoticeValues;

/// A meeting's facts as a message may show them; confidential meetings show only the time.
pub(super) fn facts(
    c: &mut DbConn,
    s: &NoticeSettings,
    r: &MeetingRecord,
) -> Result<NoticeValues, DbError> {
    let m = &r.meeting;
    let time = display::span(m.starts_at, m.ends_at, s.tz);
    if m.confidential {
        return Ok(NoticeValues {
            title: format!("保密会议 #{}", m.id),
            time,
            action: format!("回复「会议 {}」查看详情。", m.id),
            ..Default::default()
        });
    }
    Ok(NoticeValues {
        title: m.title.clone(),
        time,
        place: store::place_description(c, m)?,
        ..Default::default()
    })
}

/// Queues one person's copy of a job's message (once per job and person).
pub(super) fn send(
    c: &mut DbConn,
    s: &NoticeSettings,
    job: &JobRow,
    person_id: PersonId,
    values: NoticeValues,
    now_ms: i64,
) -> Result<usize, DbError> {
    let Some(person) = people::get(c, person_id)? else {
        return Ok(0);
    };
    let message = message_for(
        &person,
        s,
        job.job.notice_kind(),
        format!("job:{}:{person_id}", job.id),
        job.meeting_id,
        &values,
        None,
    );
    Ok(usize::from(outbox::enqueue(c, &message, now_ms)?))
}

/// The same message (the meeting's facts with `summary`) to each of `to`.
pub(super) fn send_each(
    c: &mut DbConn,
    s: &NoticeSettings,
    job: &JobRow,
    to: &[PersonId],
    base: &NoticeValues,
    summary: &str,
    now_ms: i64,
) -> Result<usize, DbError> {
    let mut sent = 0;
    for &person in to {
        let values = NoticeValues {
            summary: summary.to_owned(),
            ..base.clone()
        };
        sent += send(c, s, job, person, values, now_ms)?;
    }
    Ok(sent)
}
