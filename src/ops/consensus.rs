//! Consensus on decisions (决策事项明确：达成共识): a decision recorded while the meeting runs is
//! put to those checked in (a WeCom card with 同意 / 异议, or a chat prompt on the Official
//! Account); each votes (a later vote replaces the earlier in the count; objections stay on the
//! record); the host closes it as passed (通过) or tabled (搁置).

use super::subject::Subject;
use super::{Actor, Env, OpsError};
use crate::db::minutes::{self as entries, EntryRow};
use crate::db::{decisions, outbox, participants, people, DbConn, DbError};
use crate::meetings::audit_action::Audit;
use crate::meetings::consensus::{tally, Outcome, Tally, Vote};
use crate::meetings::minutes::EntryKind;
use crate::meetings::notice_kind::NoticeKind;
use crate::meetings::permissions::Duty;
use crate::meetings::EntryId;
use crate::meetings::PersonId;
use crate::meetings::{DomainError, MeetingId};
use crate::outbox::{notices, payload};

/// A decision and where it stands.
#[derive(Debug, Clone)]
pub struct Standing {
    pub entry: EntryRow,
    pub tally: Tally,
    pub outcome: Option<Outcome>,
}

/// Those checked in to the meeting: who may vote.
fn present(c: &mut DbConn, meeting: MeetingId) -> Result<Vec<PersonId>, DbError> {
    Ok(participants::list(c, meeting)?
        .into_iter()
        .filter(|p| p.checked_in_at.is_some())
        .map(|p| p.person_id)
        .collect())
}

/// Where decision `entry` stands now, for `actor` (someone with a part in its meeting, or an
/// admin; to anyone else it reads as an unknown decision).
pub fn standing(c: &mut DbConn, actor: Actor, entry: EntryRow) -> Result<Standing, OpsError> {
    decision(c, actor, entry.id)?;
    Ok(count(c, entry)?)
}

/// Where decision `entry` stands now (the caller has checked who may know).
pub(super) fn count(c: &mut DbConn, entry: EntryRow) -> Result<Standing, DbError> {
    let casts = decisions::casts(c, entry.id)?;
    let here = present(c, entry.meeting_id)?;
    let outcome = decisions::outcome_of(c, entry.id)?;
    Ok(Standing {
        tally: tally(&casts, &here),
        outcome,
        entry,
    })
}

/// The decision and its meeting, for `actor`: an entry that is no decision, or of a meeting
/// the actor takes no part in, reads as an unknown one.
fn decision(
    c: &mut DbConn,
    actor: Actor,
    entry_id: EntryId,
) -> Result<(EntryRow, Subject), OpsError> {
    let entry = entries::get(c, entry_id)?
        .filter(|e| e.kind == EntryKind::Decision)
        .ok_or(OpsError::DecisionNotFound(entry_id))?;
    let s = Subject::load(c, entry.meeting_id)?;
    if let (false, Some(p)) = (actor.is_admin(), actor.person()) {
        if s.record.roles_of(p).is_empty() {
            return Err(OpsError::DecisionNotFound(entry_id));
        }
    }
    Ok((entry, s))
}

/// Puts a decision just recorded to those checked in: one message each, a card with 同意 /
/// 异议 on WeCom. Returns how many were asked.
pub(super) fn put_to_vote(
    c: &mut DbConn,
    env: &Env,
    s: &Subject,
    entry_id: EntryId,
    body: &str,
) -> Result<usize, OpsError> {
    let summary = format!("决议 #{entry_id}：{body}");
    let action = format!("请表态：回复「同意 {entry_id}」或「异议 {entry_id} 理由」。");
    let values = super::live::values(c, env, &s.record, summary, action, false)?;
    let mut asked = 0;
    for person_id in present(c, s.id())? {
        let Some(person) = people::get(c, person_id)? else {
            continue;
        };
        let card = (
            payload::CardButtons::Vote { entry: entry_id },
            format!("vote-{entry_id}-{person_id}"),
        );
        let message = notices::message_for(
            &person,
            &env.notices,
            NoticeKind::DecisionVote,
            format!("vote:{entry_id}:{person_id}"),
            Some(s.id()),
            &values,
            Some(card),
        );
        if outbox::enqueue(c, &message, env.now_ms())? {
            asked += 1;
        }
    }
    Ok(asked)
}

/// The acting person's vote on a decision of a meeting they were checked in to, until the
/// host closes it; an objection needs a reason.
pub fn vote(
    c: &mut DbConn,
    env: &Env,
    actor: Actor,
    entry_id: EntryId,
    vote: Vote,
    reason: Option<&str>,
) -> Result<Standing, OpsError> {
    let person = actor
        .person()
        .ok_or(DomainError::NotAllowed(Duty::Administer))?;
    let (entry, s) = decision(c, actor, entry_id)?;
    if decisions::outcome_of(c, entry.id)?.is_some() {
        return Err(OpsError::DecisionClosed(entry.id));
    }
    let checked_in = participants::get(c, s.id(), person)?.and_then(|p| p.checked_in_at);
    if checked_in.is_none() {
        return Err(OpsError::NotPresent(entry.id));
    }
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    if vote == Vote::Object && reason.is_none() {
        return Err(DomainError::ReasonRequired.into());
    }
    decisions::vote(c, entry.id, person, vote, reason, env.now_ms())?;
    s.audit(c, env, actor, Audit::VoteDecision)?;
    Ok(count(c, entry)?)
}

/// The host closes a decision as passed or tabled; the record keeps the count and every
/// objection.
pub fn close(
    c: &mut DbConn,
    env: &Env,
    actor: Actor,
    entry_id: EntryId,
    outcome: Outcome,
) -> Result<Standing, OpsError> {
    let (entry, s) = decision(c, actor, entry_id)?;
    s.require(actor, Duty::RunMeeting)?;
    if !decisions::close(c, entry.id, outcome, actor.person(), env.now_ms())? {
        return Err(OpsError::DecisionClosed(entry.id));
    }
    s.audit(c, env, actor, Audit::CloseDecision)?;
    Ok(count(c, entry)?)
}
