//! Meeting notices: who gets what, by which channel, queued in the outbox inside the
//! transaction of the change that causes them.

use super::message::Reply;
use super::NoticeKind;
use crate::db::meetings::{self as store, MeetingRecord};
use crate::db::outbox::{self, NewMessage, OutboxChannel};
use crate::db::people::{self, Person};
use crate::db::{participants, DbConn, DbError};
use crate::meetings::display;
pub use crate::meetings::notice_kind::Notice;
use crate::meetings::participation::Role;
use crate::meetings::ActionItemId;
use crate::meetings::{MeetingId, PersonId};
use crate::outbox::payload::{self, NoticeValues};
use crate::outbox::templates::OaTemplates;
use chrono_tz::Tz;

/// What notices need to know about the configured channels.
#[derive(Debug, Clone)]
pub struct NoticeSettings {
    pub tz: Tz,
    /// `Some` when the Official Account is configured: its templates by notice kind.
    pub oa_templates: Option<OaTemplates>,
    /// A URL with `{id}` that template messages about a meeting link to.
    pub meeting_url: Option<String>,
    /// `Some` when WeCom is configured.
    pub wecom_agent_id: Option<String>,
    /// When reminders and chasers are planned.
    pub plan: crate::config::SchedulerSettings,
    /// Signs each person's material links, so opening one is recorded; `None` gives the
    /// materials' own links.
    pub material_links: Option<crate::meetings::calendar_feed::FeedLinks>,
}

impl NoticeSettings {
    /// Where `person` opens `material`: through huiwu when links are signed here.
    pub fn material_url(
        &self,
        material: &crate::db::materials::MaterialRow,
        person: PersonId,
        now: chrono::DateTime<chrono::Utc>,
    ) -> String {
        self.material_links.as_ref().map_or_else(
            || material.url.clone(),
            |l| l.material(material.id, person, now),
        )
    }
}

/// Where one person can be reached, with what that channel needs.
enum Route<'a> {
    WeCom {
        userid: String,
        agent: &'a str,
    },
    OfficialAccount {
        openid: String,
        templates: &'a OaTemplates,
    },
    Unreachable(&'static str),
}

fn route<'a>(p: &Person, s: &'a NoticeSettings) -> Route<'a> {
    if let (Some(userid), Some(agent)) = (&p.wecom_userid, &s.wecom_agent_id) {
        return Route::WeCom {
            userid: userid.clone(),
            agent,
        };
    }
    if let (Some(openid), Some(templates)) = (&p.openid, &s.oa_templates) {
        return if p.oa_unfollowed_at.is_some() {
            Route::Unreachable("unfollowed the Official Account")
        } else {
            Route::OfficialAccount {
                openid: openid.clone(),
                templates,
            }
        };
    }
    if p.wecom_userid.is_none() && p.openid.is_none() {
        Route::Unreachable("no WeCom userid and no Official Account openid")
    } else {
        Route::Unreachable("the person's channel is not configured")
    }
}

/// "（40 分钟后开始）" for a meeting starting within three hours of `now_ms`.
fn starts_soon(starts_at: i64, now_ms: i64) -> String {
    let minutes = (starts_at - now_ms) / 60_000;
    match minutes {
        m if m <= 0 || m >= 180 => String::new(),
        m if m < 60 => format!("（{m} 分钟后开始）"),
        m => format!("（{} 小时 {} 分钟后开始）", m / 60, m % 60),
    }
}

/// Template fields hold a few hundred characters at most; the rest is one `会议 id` away.
const SUMMARY_CHARS: usize = 180;

fn clipped(text: String) -> String {
    if text.chars().count() <= SUMMARY_CHARS {
        return text;
    }
    let mut cut: String = text.chars().take(SUMMARY_CHARS - 1).collect();
    cut.push('…');
    cut
}

fn values(
    c: &mut DbConn,
    s: &NoticeSettings,
    r: &MeetingRecord,
    notice: &Notice,
    now_ms: i64,
) -> Result<NoticeValues, DbError> {
    let m = &r.meeting;
    let time = display::span(m.starts_at, m.ends_at, s.tz);
    if m.confidential {
        // Nothing that names the meeting: whoever sees the phone learns only that there is one.
        let summary = match notice {
            Notice::Cancellation { .. } => "你受邀的一个保密会议已取消。",
            Notice::Minutes => "你参加的一个保密会议已发布纪要。",
            Notice::Preparation => "你需要为一个保密会议做会务准备。",
            Notice::Change { .. } => "你受邀的一个保密会议有变更。",
            Notice::Uninvited => "你已不在一个保密会议的参会名单中，会议照常进行。",
            Notice::Informed => "抄送：一个保密会议已安排，无需回复。",
            Notice::SeriesInvitation { .. } => "你被邀请参加一个保密例会。",
            Notice::SeriesEnded { .. } => "你受邀的一个保密例会已结束，之后的会议取消。",
            Notice::Unreached { .. } => "一个保密例会上次有未讨论的议题。",
            Notice::OccurrenceHeld { .. } => "一个保密例会有一次无法排期，需要处理。",
            _ => "你被邀请参加一个保密会议。",
        };
        return Ok(NoticeValues {
            title: "保密会议".into(),
            time,
            summary: summary.into(),
            action: format!("回复「会议 {}」查看详情。", m.id),
            ..Default::default()
        });
    }
    let mut hosts = Vec::new();
    for (person, role) in &r.roles {
        if *role == Role::Host {
            if let Some(p) = people::get(c, *person)? {
                hosts.push(p.name);
            }
        }
    }
    let agenda: Vec<&str> = r.agenda.iter().map(|a| a.title.as_str()).collect();
    let id = m.id;
    let (summary, action) = match notice {
        Notice::Invitation => {
            let mut text = format!("会议通知{}。", starts_soon(m.starts_at.millis(), now_ms));
            if !m.goal.is_empty() {
                text.push_str(&format!("目标：{}。", m.goal));
            }
            if !agenda.is_empty() {
                text.push_str(&format!(
                    "议程 {} 项：{}。",
                    agenda.len(),
                    agenda.join("、")
                ));
            }
            let materials = crate::db::materials::list(c, id)?;
            if !materials.is_empty() {
                let titles: Vec<&str> = materials.iter().map(|m| m.title.as_str()).collect();
                text.push_str(&format!("会前材料：{}。", titles.join("、")));
            }
            if !m.briefing.is_empty() {
                text.push_str(&format!("会前须知：{}", m.briefing));
            }
            (
                clipped(text),
                format!("回复「确认 {id}」参加，「请假 {id} 原因」请假，「待定 {id}」暂定；「会议 {id}」看全文。"),
            )
        }
        Notice::SeriesInvitation { pattern } => {
            let mut text = format!(
                "例会通知：{pattern}，首次{}。",
                starts_soon(m.starts_at.millis(), now_ms)
            );
            if !m.goal.is_empty() {
                text.push_str(&format!("目标：{}。", m.goal));
            }
            if !agenda.is_empty() {
                text.push_str(&format!("议程：{}。", agenda.join("、")));
            }
            (
                clipped(text),
                format!("回复「确认 {id}」参加首次，「确认 全部」参加每一次，「请假 月-日 原因」请其中一次假；「会议 {id}」看详情。"),
            )
        }
        Notice::SeriesEnded { reason, dates } => {
            let text = if dates.is_empty() {
                format!("例会已结束：{reason}")
            } else {
                format!("例会已结束：{reason}。已取消：{}。", dates.join("、"))
            };
            (clipped(text), String::new())
        }
        Notice::OccurrenceHeld { date, problem } => (
            clipped(format!(
                "例会 {date} 这一次未能发布：{problem}。其他日期照常。"
            )),
            format!("请改期或换会议室后发布（会议 #{id}）。"),
        ),
        Notice::Unreached { topics } => (
            clipped(format!("上次例会未讨论的议题：{}。", topics.join("；"))),
            format!("回复「顺延 {id}」把它们加入本次议程（须在会议时长内）。"),
        ),
        Notice::Informed => (
            format!(
                "抄送：会议已安排{}，无需回复。",
                starts_soon(m.starts_at.millis(), now_ms)
            ),
            format!("会后可回复「纪要 {id}」查看纪要。"),
        ),
        Notice::Uninvited => (
            "你已不在本次会议的参会名单中，无需参加；会议照常进行。".to_owned(),
            String::new(),
        ),
        Notice::Delegation { by } => (
            format!("你代替 {by} 参加。"),
            format!("回复「确认 {id}」参加，「会议 {id}」查看详情。"),
        ),
        Notice::Cancellation { reason } => (format!("会议已取消：{reason}"), String::new()),
        Notice::Minutes => (
            "会议纪要已发布。".to_owned(),
            format!("回复「纪要 {id}」查看。"),
        ),
        Notice::Change { changes } => (
            format!("会议有变更：{}", changes.join("；")),
            format!("回复「会议 {id}」查看详情。"),
        ),
        Notice::Preparation => {
            let headcount = participants::list(c, id)?.len();
            let equipment = m.equipment_needs.items();
            let needs = if equipment.is_empty() {
                "无".to_owned()
            } else {
                equipment.join("、")
            };
            let room = match m.room_id {
                Some(room) => crate::db::rooms::get(c, room)?,
                None => None,
            };
            let lacking = room
                .and_then(|r| {
                    crate::meetings::schedule::equipment_warning(&r.equipment_list(), equipment)
                })
                .map(|w| match w {
                    crate::meetings::schedule::RoomWarning::Lacks(missing) => {
                        format!("会议室缺少：{}，请另行准备。", missing.join("、"))
                    }
                    other => other.to_string(),
                })
                .unwrap_or_default();
            (
                format!("会务准备：参会 {headcount} 人，设备需求：{needs}。{lacking}"),
                format!("回复「会议 {id}」查看详情。"),
            )
        }
    };
    Ok(NoticeValues {
        title: m.title.clone(),
        time,
        place: store::place_description(c, m)?,
        host: hosts.join("、"),
        summary,
        action,
    })
}

/// A presenter's own agenda items, first in their invitation so they can prepare:
/// "你的议程：第 1 项「收入回顾」，20 分钟。" (none for a confidential meeting).
fn own_items(r: &MeetingRecord, notice: &Notice, person: PersonId) -> String {
    if !matches!(notice, Notice::Invitation | Notice::Delegation { .. }) || r.meeting.confidential {
        return String::new();
    }
    r.agenda
        .iter()
        .filter(|a| a.presenter_id == Some(person))
        .map(|a| {
            format!(
                "你的议程：第 {} 项「{}」，{} 分钟。",
                a.position, a.title, a.minutes
            )
        })
        .collect()
}

/// Queues `notice` about meeting `meeting_id` for each of `recipients` (person ids); a
/// notice already queued (same meeting version, kind and person) is not queued again.
pub fn queue(
    c: &mut DbConn,
    s: &NoticeSettings,
    meeting_id: MeetingId,
    notice: &Notice,
    recipients: &[PersonId],
    now_ms: i64,
) -> Result<usize, DbError> {
    let Some(record) = store::get(c, meeting_id)? else {
        return Ok(0);
    };
    let values = values(c, s, &record, notice, now_ms)?;
    let kind = notice.kind();
    let version = record.meeting.sequence;
    let mut queued = 0;
    for &person_id in recipients {
        let Some(person) = people::get(c, person_id)? else {
            continue;
        };
        let dedupe_key = format!("{kind}:{meeting_id}:{version}:{person_id}");
        let card = matches!(
            notice,
            Notice::Invitation | Notice::Delegation { .. } | Notice::SeriesInvitation { .. }
        )
        .then(|| {
            (
                payload::CardButtons::Rsvp {
                    meeting: meeting_id,
                },
                format!("rsvp-{meeting_id}-{version}-{person_id}"),
            )
        });
        let mine = own_items(&record, notice, person_id);
        let values = if mine.is_empty() {
            values.clone()
        } else {
            NoticeValues {
                summary: clipped(format!("{mine}{}", values.summary)),
                ..values.clone()
            }
        };
        let message = message_for(
            &person,
            s,
            kind,
            dedupe_key,
            Some(meeting_id),
            &values,
            card,
        );
        if outbox::enqueue(c, &message, now_ms)? {
            queued += 1;
        }
    }
    Ok(queued)
}

/// One person's copy of a message on their channel; `card` (its buttons, a task id) makes a
/// WeCom button card instead of a text.
pub fn message_for(
    person: &Person,
    s: &NoticeSettings,
    kind: NoticeKind,
    dedupe_key: String,
    meeting_id: Option<MeetingId>,
    values: &NoticeValues,
    card: Option<(payload::CardButtons, String)>,
) -> NewMessage {
    let base = NewMessage {
        dedupe_key,
        channel: OutboxChannel::Nowhere,
        kind,
        meeting_id,
        person_id: Some(person.id),
        recipient: String::new(),
        api_path: "",
        payload: String::new(),
        unreachable: None,
    };
    // Where tapping a message about a meeting leads, when the organisation has a page for it.
    let link = s
        .meeting_url
        .as_ref()
        .zip(meeting_id)
        .map(|(u, id)| u.replace("{id}", &id.to_string()));
    match route(person, s) {
        Route::WeCom { userid, agent } => {
            let body = match (card, link.as_deref()) {
                (Some((buttons, task_id)), details) => {
                    payload::wecom_button_card(&userid, agent, &buttons, &task_id, values, details)
                }
                (None, Some(url)) => payload::wecom_textcard(&userid, agent, values, url),
                (None, None) => payload::wecom_reply(&userid, agent, &Reply::text(values.text())),
            };
            NewMessage {
                channel: OutboxChannel::Wecom,
                recipient: userid,
                api_path: payload::WECOM_SEND,
                payload: body.to_string(),
                ..base
            }
        }
        Route::OfficialAccount { openid, templates } => {
            let (path, body) = match templates.for_kind(kind) {
                Some(t) => (
                    payload::OA_TEMPLATE_SEND,
                    payload::oa_template(&openid, t, values, link.as_deref()),
                ),
                // Without a template only a customer-service message is possible; WeChat
                // delivers it only to followers active in the last 48 hours.
                None => (
                    payload::OA_CUSTOM_SEND,
                    payload::oa_custom(&openid, &Reply::text(values.text())),
                ),
            };
            NewMessage {
                channel: OutboxChannel::OfficialAccount,
                recipient: openid,
                api_path: path,
                payload: body.to_string(),
                ..base
            }
        }
        // Kept so the delivery report can show what the person did not get.
        Route::Unreachable(why) => NewMessage {
            unreachable: Some(why.to_owned()),
            payload: serde_json::json!({ "text": values.text() }).to_string(),
            ..base
        },
    }
}

/// Everyone invited to attend.
pub fn invitees(c: &mut DbConn, meeting_id: MeetingId) -> Result<Vec<PersonId>, DbError> {
    Ok(participants::list(c, meeting_id)?
        .into_iter()
        .map(|p| p.person_id)
        .collect())
}

/// The informed (抄送): they get the minutes and notices for information, no invitation.
pub fn informed(c: &mut DbConn, meeting_id: MeetingId) -> Result<Vec<PersonId>, DbError> {
    let Some(r) = store::get(c, meeting_id)? else {
        return Ok(Vec::new());
    };
    let invited = invitees(c, meeting_id)?;
    let mut ids = r.holders(&[Role::Informed]);
    ids.retain(|p| !invited.contains(p));
    Ok(ids)
}

/// An action item's message: the meeting it came from as the title, the due date as the
/// time; a confidential meeting is not named.
pub fn task_values(
    meeting: &crate::db::meetings::MeetingRow,
    task_id: ActionItemId,
    task_title: &str,
    due: chrono::NaiveDate,
    what: String,
) -> NoticeValues {
    NoticeValues {
        title: if meeting.confidential {
            "保密会议".to_owned()
        } else {
            meeting.title.clone()
        },
        time: format!("{} 截止", display::day(due)),
        summary: clipped(format!("任务 #{task_id}「{task_title}」：{what}")),
        action: format!("发送「进展 {task_id} 内容」汇报，「完成 {task_id}」结束。"),
        ..Default::default()
    }
}

/// Everyone invited plus the informed (抄送): the readers of the minutes.
pub fn minutes_readers(c: &mut DbConn, meeting_id: MeetingId) -> Result<Vec<PersonId>, DbError> {
    let mut ids = invitees(c, meeting_id)?;
    if let Some(r) = store::get(c, meeting_id)? {
        ids.extend(r.holders(&[Role::Informed]));
    }
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// The organizers and IT support, who prepare the room.
pub fn preparers(c: &mut DbConn, meeting_id: MeetingId) -> Result<Vec<PersonId>, DbError> {
    Ok(store::referenced(c, meeting_id)?.holders(&[Role::Organizer, Role::ItSupport]))
}

/// What people were told before and what is true now, as "时间：old → new" lines; empty when
/// nothing they were told changed.
pub fn changes(
    c: &mut DbConn,
    tz: Tz,
    before: &store::MeetingRow,
    after: &store::MeetingRow,
) -> Result<Vec<String>, DbError> {
    let mut out = Vec::new();
    let mut compare = |label: &str, old: String, new: String| {
        if old != new {
            out.push(format!("{label}：{old} → {new}"));
        }
    };
    compare("会议", before.title.clone(), after.title.clone());
    compare(
        "时间",
        display::span(before.starts_at, before.ends_at, tz),
        display::span(after.starts_at, after.ends_at, tz),
    );
    compare(
        "地点",
        store::place_description(c, before)?,
        store::place_description(c, after)?,
    );
    Ok(out)
}
