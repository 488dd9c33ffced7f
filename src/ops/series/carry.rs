//! What an occurrence takes over from the previous one: its open action items (上次待办) and
//! the topics it never reached.

use super::*;

/// The occurrence held before `meeting` in its series (across a split), if any: not cancelled.
pub(super) fn previous(
    c: &mut DbConn,
    meeting: MeetingId,
) -> Result<Option<MeetingRecord>, DbError> {
    let Some((series, me)) = of_meeting(c, meeting)? else {
        return Ok(None);
    };
    let mut chain = vec![series.id];
    if let Some(parent) = series.split_from {
        chain.push(parent);
    }
    let mut best: Option<(NaiveDate, MeetingId)> = None;
    for id in chain {
        for o in db::occurrences(c, id)? {
            if o.date < me.date && best.is_none_or(|(d, _)| o.date > d) {
                let status = store::referenced(c, o.meeting_id)?.meeting.status;
                if status != MeetingStatus::Cancelled && status != MeetingStatus::Draft {
                    best = Some((o.date, o.meeting_id));
                }
            }
        }
    }
    match best {
        Some((_, id)) => Ok(store::get(c, id)?),
        None => Ok(None),
    }
}

/// An action item from the previous occurrence, still open: 上次待办.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CarriedItem {
    pub id: ActionItemId,
    pub title: String,
    pub owner: String,
    pub due: chrono::NaiveDate,
    pub status: TaskStatus,
    /// The latest progress reported, if any.
    pub progress: Option<String>,
}

/// 上次待办: the previous occurrence's action items still open, which the next occurrence's
/// agenda starts with (read when shown, so progress is current).
pub fn carried_over(c: &mut DbConn, meeting: MeetingId) -> Result<Vec<CarriedItem>, DbError> {
    let Some(prev) = previous(c, meeting)? else {
        return Ok(Vec::new());
    };
    let open = action_items::list(
        c,
        &action_items::ActionItemFilter {
            meeting_id: Some(prev.meeting.id),
            statuses: Some(TaskStatus::UNFINISHED.to_vec()),
            ..Default::default()
        },
    )?;
    let mut out = Vec::new();
    for item in open {
        let owner = people::name(c, item.owner_id)?;
        let progress = action_items::progress(c, item.id)?
            .into_iter()
            .last()
            .map(|(_, text, _)| text);
        out.push(CarriedItem {
            id: item.id,
            title: item.title,
            owner,
            due: item.due_on,
            status: item.status,
            progress,
        });
    }
    Ok(out)
}

/// Topics of the previous occurrence never reached (agenda items never started), to offer the
/// agenda owners of `meeting` to carry over.
pub fn unreached(c: &mut DbConn, meeting: MeetingId) -> Result<Vec<store::AgendaRow>, DbError> {
    Ok(previous(c, meeting)?
        .map(|p| {
            p.agenda
                .into_iter()
                .filter(|a| a.started_at.is_none() && p.meeting.status != MeetingStatus::Scheduled)
                .collect()
        })
        .unwrap_or_default())
}

/// Adds the topics the previous occurrence never reached to the end of this one's agenda
/// (顺延), if they still fit the meeting.
pub fn carry_topics(
    c: &mut DbConn,
    env: &Env,
    actor: Actor,
    meeting: MeetingId,
) -> Result<Vec<store::AgendaRow>, OpsError> {
    let topics = unreached(c, meeting)?;
    if topics.is_empty() {
        return Err(OpsError::NothingToCarry);
    }
    let s = Subject::load(c, meeting)?;
    let mut items: Vec<crate::meetings::agenda::AgendaItem> =
        s.record.agenda.iter().map(store::AgendaRow::item).collect();
    let before = items.len();
    for t in topics {
        if !items.iter().any(|i| i.title == t.title) {
            items.push(t.item());
        }
    }
    // Topics of the series' own agenda come back every time; only the others carry over.
    if items.len() == before {
        return Err(OpsError::NothingToCarry);
    }
    crate::ops::preparation::replace_agenda(c, env, actor, meeting, items)
}

/// After an occurrence ends: the agenda owners of the next one (or its hosts) are offered the
/// topics it never reached.
pub(in crate::ops) fn offer_unreached(
    c: &mut DbConn,
    env: &Env,
    ended: &MeetingRecord,
) -> Result<(), OpsError> {
    let Some((series, me)) = of_meeting(c, ended.meeting.id)? else {
        return Ok(());
    };
    let topics: Vec<&store::AgendaRow> = ended
        .agenda
        .iter()
        .filter(|a| a.started_at.is_none())
        .collect();
    if topics.is_empty() {
        return Ok(());
    }
    let mut next = None;
    for o in db::occurrences(c, series.id)? {
        if o.date <= me.date {
            continue;
        }
        let record = store::referenced(c, o.meeting_id)?;
        if record.meeting.status == MeetingStatus::Scheduled {
            next = Some(record);
            break;
        }
    }
    let Some(next) = next else {
        return Ok(());
    };
    let titles: Vec<String> = topics
        .iter()
        .filter(|a| !next.agenda.iter().any(|n| n.title == a.title))
        .map(|a| format!("「{}」{} 分钟", a.title, a.minutes))
        .collect();
    if titles.is_empty() {
        return Ok(());
    }
    let mut owners = next.holders(&[Role::AgendaOwner]);
    if owners.is_empty() {
        owners = next.holders(&[Role::Host]);
    }
    let notice = Notice::Unreached { topics: titles };
    notices::queue(
        c,
        &env.notices,
        next.meeting.id,
        &notice,
        &owners,
        env.now_ms(),
    )?;
    Ok(())
}
