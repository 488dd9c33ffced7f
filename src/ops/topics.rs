//! Topics (议题): a participant proposes one before the meeting; the agenda owners (议程组), or
//! the hosts when the meeting names none, are told and accept it into the agenda with a time
//! box (refused when the agenda would no longer fit) or decline it with a reason; the proposer
//! hears which.

use super::live::{send, values};
use super::subject::Subject;
use super::{Actor, Env, OpsError};
use crate::db::meetings::AgendaRow;
use crate::db::people::{self, Person};
use crate::db::topics::{self as store, TopicRow};
use crate::db::DbConn;
use crate::meetings::agenda::AgendaItem;
use crate::meetings::audit_action::Audit;
use crate::meetings::directory::FieldError;
use crate::meetings::notice_kind::NoticeKind;
use crate::meetings::participation::Role;
use crate::meetings::permissions::Duty;
use crate::meetings::topics::TopicStatus;
use crate::meetings::TopicId;
use crate::meetings::{DomainError, MeetingId, PersonId};

/// A topic is a line of an agenda, not an essay.
pub const MAX_TOPIC_CHARS: usize = 100;

fn invalid(field: &'static str, message: String) -> OpsError {
    OpsError::Invalid(vec![FieldError { field, message }])
}

/// Topics are proposed and decided while the meeting is being prepared.
fn open(s: &Subject) -> Result<(), OpsError> {
    match s.status {
        status if crate::meetings::window::Window::Preparation.admits(status) => Ok(()),
        status => Err(OpsError::Frozen {
            what: "the topics",
            status,
        }),
    }
}

/// Who decides a meeting's topics: its agenda owners, or its hosts when it names none.
fn deciders(s: &Subject) -> Vec<PersonId> {
    let owners = s.record.holders(&[Role::AgendaOwner]);
    if owners.is_empty() {
        s.record.holders(&[Role::Host])
    } else {
        owners
    }
}

pub struct Proposed {
    pub topic: TopicRow,
    /// How many of the agenda owners were told.
    pub told: usize,
}

/// `proposer` (themselves, or anyone as the admin) proposes `text` for meeting `id`.
pub fn propose(
    c: &mut DbConn,
    env: &Env,
    actor: Actor,
    id: MeetingId,
    proposer: PersonId,
    text: &str,
) -> Result<Proposed, OpsError> {
    let s = Subject::load(c, id)?;
    if actor.person() != Some(proposer) {
        s.require(actor, Duty::Administer)?;
    }
    let who = people::get(c, proposer)?.ok_or(OpsError::PersonNotFound)?;
    if !s.record.roles_of(who.id).iter().any(|r| r.participates()) {
        return Err(OpsError::NotInvited(who.name));
    }
    open(&s)?;
    // An accepted topic becomes an agenda item's title, which stays on one line.
    let text = &super::fields::one_line("text", text, MAX_TOPIC_CHARS)?;
    let topic_id = store::propose(c, s.id(), who.id, text, env.now_ms())?;
    let topic = store::get(c, topic_id)?.ok_or(OpsError::TopicNotFound(topic_id))?;
    let summary = format!("议题 #{topic_id}「{text}」（{} 提出）", who.name);
    let action = format!("回复「采纳 {topic_id} 分钟」列入议程，或「不采纳 {topic_id} 理由」。");
    let values = values(c, env, &s.record, summary, action, false)?;
    let key = format!("topic:{topic_id}");
    let told = send(
        c,
        env,
        s.id(),
        NoticeKind::TopicProposed,
        &key,
        &deciders(&s),
        &values,
    )?;
    s.audit(c, env, actor, Audit::ProposeTopic)?;
    Ok(Proposed { topic, told })
}

/// The topic and its meeting, for someone who may decide it: a topic of a meeting where the
/// actor may not edit the agenda reads as an unknown one.
fn deciding(
    c: &mut DbConn,
    actor: Actor,
    topic_id: TopicId,
) -> Result<(TopicRow, Subject), OpsError> {
    let topic = store::get(c, topic_id)?.ok_or(OpsError::TopicNotFound(topic_id))?;
    let s = Subject::load(c, topic.meeting_id)?;
    if s.require(actor, Duty::EditAgenda).is_err() {
        return Err(OpsError::TopicNotFound(topic_id));
    }
    if topic.status != TopicStatus::Proposed {
        return Err(OpsError::TopicDecided(topic_id));
    }
    open(&s)?;
    Ok((topic, s))
}

fn tell_proposer(
    c: &mut DbConn,
    env: &Env,
    s: &Subject,
    topic: &TopicRow,
    summary: String,
) -> Result<(), OpsError> {
    let values = values(c, env, &s.record, summary, String::new(), false)?;
    let key = format!("topic_decided:{}", topic.id);
    send(
        c,
        env,
        s.id(),
        NoticeKind::TopicDecided,
        &key,
        &[topic.proposer_id],
        &values,
    )?;
    Ok(())
}

/// Accepts a topic into the agenda as its last item, presented by its proposer, with a time
/// box of `minutes`; refused, nothing changed, when the agenda would no longer fit.
pub fn accept(
    c: &mut DbConn,
    env: &Env,
    actor: Actor,
    topic_id: TopicId,
    minutes: u32,
) -> Result<(TopicRow, Vec<AgendaRow>), OpsError> {
    let (topic, s) = deciding(c, actor, topic_id)?;
    if !(1..=600).contains(&minutes) {
        return Err(invalid("minutes", "must be from 1 to 600".to_owned()));
    }
    let mut items: Vec<AgendaItem> = s.record.agenda.iter().map(AgendaRow::item).collect();
    items.push(AgendaItem {
        title: topic.body.clone(),
        presenter: Some(topic.proposer_id),
        minutes,
        started_at: None,
        ended_at: None,
    });
    let agenda = super::preparation::replace_agenda(c, env, actor, s.id(), items)?;
    let by = actor.person();
    if !store::decide(
        c,
        topic.id,
        TopicStatus::Accepted,
        Some(minutes as i32),
        None,
        by,
        env.now_ms(),
    )? {
        return Err(OpsError::TopicDecided(topic.id));
    }
    let position = agenda.len();
    tell_proposer(
        c,
        env,
        &s,
        &topic,
        format!(
            "你的议题「{}」已采纳：议程第 {position} 项，{minutes} 分钟，由你汇报。",
            topic.body
        ),
    )?;
    s.audit(c, env, actor, Audit::AcceptTopic)?;
    let topic = store::get(c, topic.id)?.ok_or(OpsError::TopicNotFound(topic.id))?;
    Ok((topic, agenda))
}

/// Declines a topic with a reason, which the proposer is told.
pub fn decline(
    c: &mut DbConn,
    env: &Env,
    actor: Actor,
    topic_id: TopicId,
    reason: &str,
) -> Result<TopicRow, OpsError> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(DomainError::ReasonRequired.into());
    }
    let (topic, s) = deciding(c, actor, topic_id)?;
    if !store::decide(
        c,
        topic.id,
        TopicStatus::Declined,
        None,
        Some(reason),
        actor.person(),
        env.now_ms(),
    )? {
        return Err(OpsError::TopicDecided(topic.id));
    }
    tell_proposer(
        c,
        env,
        &s,
        &topic,
        format!("你的议题「{}」未采纳：{reason}", topic.body),
    )?;
    s.audit(c, env, actor, Audit::DeclineTopic)?;
    store::get(c, topic.id)?.ok_or(OpsError::TopicNotFound(topic.id))
}

/// A meeting's topics with their proposers, for those who may see the meeting.
pub fn list(
    c: &mut DbConn,
    actor: Actor,
    id: MeetingId,
) -> Result<Vec<(TopicRow, Option<Person>)>, OpsError> {
    // Those who take part propose and see topics, as do those who shape the agenda; to anyone
    // else the meeting has none.
    let s = Subject::load(c, id)?;
    let sees = match (actor.is_admin(), actor.person()) {
        (true, _) | (false, None) => true,
        (false, Some(p)) => {
            let roles = s.record.roles_of(p);
            roles.iter().any(|r| r.participates())
                || crate::meetings::permissions::require(Duty::EditAgenda, &roles).is_ok()
        }
    };
    if !sees {
        return Ok(Vec::new());
    }
    let topics = store::for_meeting(c, id)?;
    let ids: Vec<PersonId> = topics.iter().map(|t| t.proposer_id).collect();
    let names = people::by_ids(c, &ids)?;
    Ok(topics
        .into_iter()
        .map(|t| {
            let who = names.get(&t.proposer_id).cloned();
            (t, who)
        })
        .collect())
}
