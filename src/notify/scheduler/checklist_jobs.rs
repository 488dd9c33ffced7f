//! A checklist item not done by its due time: its owner is chased, once.

use super::send::{facts, send};
use super::End;
use crate::db::checklist;
use crate::db::jobs::JobRow;
use crate::db::meetings as store;
use crate::db::{DbConn, DbError};
use crate::meetings::display;
use crate::meetings::lifecycle::MeetingStatus;
use crate::meetings::ChecklistItemId;
use crate::outbox::notices::NoticeSettings;
use crate::outbox::payload::NoticeValues;
use chrono::{DateTime, Utc};

pub(super) fn run(
    c: &mut DbConn,
    s: &NoticeSettings,
    job: &JobRow,
    item_id: ChecklistItemId,
    now: DateTime<Utc>,
) -> Result<End, DbError> {
    let Some(item) = checklist::get(c, item_id)? else {
        return Ok(End::Dropped("the checklist item is gone".into()));
    };
    if item.done_at.is_some() {
        return Ok(End::Dropped("done in time".into()));
    }
    if item.due_at != job.due_at {
        return Ok(End::Dropped("its due time changed".into()));
    }
    let r = store::referenced(c, item.meeting_id)?;
    let start = r.meeting.starts_at.utc();
    if r.meeting.status != MeetingStatus::Scheduled || now >= start {
        return Ok(End::Dropped(format!(
            "no longer useful: the meeting is {}",
            r.meeting.status
        )));
    }
    let base = facts(c, s, &r)?;
    let values = NoticeValues {
        summary: format!(
            "筹备清单 #{}「{}」已过截止时间（{}），尚未完成。",
            item.id,
            item.title,
            display::when(item.due_at, s.tz)
        ),
        action: format!("完成后回复「完成清单 {}」。", item.id),
        ..base
    };
    let sent = send(c, s, job, item.owner_id, values, now.timestamp_millis())?;
    Ok(End::Done(sent))
}
