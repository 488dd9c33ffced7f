//! The router staff talk to: identifies the sender, turns the message or event into an
//! intent, and runs it in one database transaction.

use super::command::{Command, ParseError, Which};
use super::context::Ctx;
use super::error::BotError;
use super::format;
use super::handlers;
use crate::clock::Clock;
use crate::db::people::{self, Person};
use crate::db::{Db, DbConn, DbError};
use crate::meetings::calendar_feed::FeedLinks;
use crate::meetings::checkin_code::CheckinKey;
use crate::meetings::MeetingId;
use crate::meetings::{ChecklistItemId, EntryId};
use crate::notify::Notifier;
use crate::wechat::menu::keys::*;
use crate::wechat::router::{RouteFuture, Routed, Router, Undo};
use crate::wechat::{Channel, Event, Inbound, InboundKind, Reply};
use chrono_tz::Tz;
use diesel::Connection;
use std::sync::Arc;

/// WeChat prefixes the scene of a QR code scanned to follow the account.
const FOLLOW_SCENE_PREFIX: &str = "qrscene_";

pub struct MeetingRouter {
    db: Db,
    clock: Arc<dyn Clock>,
    tz: Tz,
    late_grace: chrono::Duration,
    booking_buffer: chrono::Duration,
    checkin_key: CheckinKey,
    feeds: FeedLinks,
    notifier: Notifier,
}

/// What a message asks for, decided before the database is touched.
enum Intent {
    Command(Result<Command, ParseError>),
    LatestMinutes,
    /// A scanned check-in code (not yet verified).
    CheckIn(String),
    /// Followed the account, possibly by scanning a check-in code.
    Welcome(Option<String>),
    Unfollow,
    /// The 请假 button of a WeCom card: a reason is still needed.
    DeclineButton(MeetingId),
    /// The 异议 button of a decision's card: a reason is still needed.
    ObjectButton(EntryId),
    /// 确认参加 or 待定 on a WeCom card: answered, then the card is updated to show it.
    CardAnswer {
        command: Command,
        label: &'static str,
        response_code: String,
    },
    /// WeChat's final word on a template message.
    TemplateDelivered {
        msg_id: String,
        status: String,
    },
}

enum Sender {
    Person(Person),
    UnboundFollower(String),
    UnknownWecomUser,
}

fn intent(message: &Inbound, today: chrono::NaiveDate) -> Option<Intent> {
    Some(match &message.kind {
        InboundKind::Text { content, .. } => Intent::Command(Command::parse(content, today)),
        InboundKind::Event(event) => match event {
            Event::Click { key } => match key.as_str() {
                MENU_MY_MEETINGS => Intent::Command(Ok(Command::Meetings)),
                MENU_MY_TASKS => Intent::Command(Ok(Command::Tasks)),
                MENU_HELP => Intent::Command(Ok(Command::Help { group: None })),
                MENU_LATEST_MINUTES => Intent::LatestMinutes,
                _ => return None,
            },
            Event::ScanCodePush { key, scan } | Event::ScanCodeWaitMsg { key, scan }
                if key == MENU_CHECKIN_SCAN =>
            {
                Intent::CheckIn(scan.scan_result.clone())
            }
            Event::Scan { scene, .. } => Intent::CheckIn(scene.clone()),
            Event::Subscribe { scene, .. } => Intent::Welcome(
                scene
                    .as_ref()
                    .map(|s| s.strip_prefix(FOLLOW_SCENE_PREFIX).unwrap_or(s).to_owned()),
            ),
            Event::Unsubscribe => Intent::Unfollow,
            Event::TemplateCardEvent {
                key, response_code, ..
            } => card_button(key, response_code)?,
            Event::TemplateSendJobFinish { msg_id, status } => Intent::TemplateDelivered {
                msg_id: msg_id.clone(),
                status: status.clone(),
            },
            _ => return None,
        },
        _ => return None,
    })
}

/// `rsvp:<accept|maybe|decline>:<meeting id>`, `checklist:done:<item id>` or
/// `vote:<agree|object>:<decision id>` from a WeCom button card.
fn card_button(key: &str, response_code: &str) -> Option<Intent> {
    let mut parts = key.split(':');
    let (Some(kind), Some(choice), Some(id), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    if (kind, choice) == ("checklist", "done") {
        let item = id.parse::<ChecklistItemId>().ok()?;
        return Some(Intent::CardAnswer {
            command: Command::TickChecklist { item },
            label: "已完成",
            response_code: response_code.to_owned(),
        });
    }
    if kind == "vote" {
        let decision = id.parse::<EntryId>().ok()?;
        return Some(match choice {
            "agree" => Intent::CardAnswer {
                command: Command::Agree { decision },
                label: "已同意",
                response_code: response_code.to_owned(),
            },
            "object" => Intent::ObjectButton(decision),
            _ => return None,
        });
    }
    if kind != "rsvp" {
        return None;
    }
    let id: MeetingId = id.parse().ok()?;
    Some(match choice {
        "accept" => Intent::CardAnswer {
            command: Command::Accept {
                meeting: Some(id),
                which: Which::Next,
            },
            label: "已确认参加",
            response_code: response_code.to_owned(),
        },
        "maybe" => Intent::CardAnswer {
            command: Command::Maybe {
                meeting: Some(id),
                which: Which::Next,
            },
            label: "已选待定",
            response_code: response_code.to_owned(),
        },
        "decline" => Intent::DeclineButton(id),
        _ => return None,
    })
}

fn identify(c: &mut DbConn, message: &Inbound) -> Result<Sender, DbError> {
    let from = message.from_user.as_str();
    Ok(match message.channel {
        Channel::OfficialAccount => match people::by_openid(c, from)? {
            Some(p) => Sender::Person(p),
            None => Sender::UnboundFollower(from.to_owned()),
        },
        Channel::WeCom => match people::by_wecom_userid(c, from)? {
            Some(p) => Sender::Person(p),
            None => Sender::UnknownWecomUser,
        },
    })
}

const BIND_HINT: &str =
    "请先绑定工号：发送「绑定 工号 绑定码」，例如：绑定 E1001 K7QM3XPA（绑定码由管理员或会务组发给你）";

/// Handles one message; `None` acknowledges without a reply.
fn handle(
    c: &mut DbConn,
    ctx: &Ctx,
    message: &Inbound,
    intent: Intent,
) -> Result<Option<String>, BotError> {
    let now = ctx.now_ms();
    if let Intent::TemplateDelivered { msg_id, status } = &intent {
        // Sent by WeChat itself, not by a person: no reply.
        crate::ops::followers::template_delivered(c, now, msg_id, status)?;
        return Ok(None);
    }
    let sender = identify(c, message)?;
    act(c, ctx, message, intent, sender)
}

/// Whether `act` refuses this without writing anything, so that it is answered from reads
/// alone (`Routed::Answered`, no transaction of its own): a message that is no command, a
/// WeCom user huiwu does not know, or an unbound follower asking for anything but help,
/// binding or a check-in it keeps for later. Mirrors the arms of `act`.
fn refused_before_any_write(intent: &Intent, sender: &Sender) -> bool {
    match (intent, sender) {
        (Intent::Unfollow | Intent::TemplateDelivered { .. }, _) => false,
        (Intent::Command(Err(_)), _) | (_, Sender::UnknownWecomUser) => true,
        (
            Intent::Welcome(_)
            | Intent::CheckIn(_)
            | Intent::Command(Ok(Command::Bind { .. }))
            | Intent::Command(Ok(Command::Help { .. })),
            Sender::UnboundFollower(_),
        ) => false,
        (_, Sender::UnboundFollower(_)) => true,
        (_, Sender::Person(_)) => false,
    }
}

/// What the sender asked for, done.
fn act(
    c: &mut DbConn,
    ctx: &Ctx,
    message: &Inbound,
    intent: Intent,
    sender: Sender,
) -> Result<Option<String>, BotError> {
    let now = ctx.now_ms();
    let text = match (intent, sender) {
        (Intent::Unfollow, _) => {
            if message.channel == Channel::OfficialAccount {
                crate::ops::followers::unfollowed(c, now, &message.from_user)?;
            }
            return Ok(None);
        }
        (Intent::Command(Err(e)), _) => return Err(BotError::Parse(e)),
        (_, Sender::UnknownWecomUser) => return Err(BotError::UnknownWecomUser),
        (Intent::Welcome(code), Sender::Person(p)) => {
            crate::ops::followers::followed_again(c, now, &message.from_user)?;
            let mut text = format!("欢迎回来，{}！", p.name);
            if let Some(code) = code {
                text.push('\n');
                text.push_str(&checkin_reply(c, ctx, &p, &code));
            } else {
                text.push_str("发送「我的会议」查看近期会议，「帮助」查看命令。");
            }
            text
        }
        (Intent::Welcome(code), Sender::UnboundFollower(openid)) => {
            let mut text = format!("欢迎关注会务助手！{BIND_HINT}");
            if let Some(code) = code {
                crate::ops::followers::hold_checkin(c, now, &openid, &code)?;
                text.push_str("\n绑定后将自动为你签到。");
            }
            text
        }
        (Intent::CheckIn(code), Sender::Person(p)) => handlers::checkin_code(c, ctx, &p, &code)?,
        (Intent::CheckIn(code), Sender::UnboundFollower(openid)) => {
            crate::ops::followers::hold_checkin(c, now, &openid, &code)?;
            format!("{BIND_HINT}\n绑定后将自动为你签到。")
        }
        (
            Intent::Command(Ok(Command::Bind { employee_no, code })),
            Sender::UnboundFollower(openid),
        ) => {
            use crate::ops::account::BindOutcome;
            let outcome = crate::ops::account::bind(c, now, &openid, &employee_no, code.as_deref())
                .map_err(|e| match e {
                    // Chat names the number that was not found.
                    crate::ops::OpsError::PersonNotFound => {
                        BotError::PersonNotFound(employee_no.clone())
                    }
                    e => e.into(),
                })?;
            let p = match outcome {
                BindOutcome::Bound(p) => p,
                BindOutcome::WrongCode => {
                    return Ok(Some(
                        "绑定码不正确或已过期，请核对后重试（多次输错将暂停一小时）。".to_owned(),
                    ))
                }
                BindOutcome::Pending(p) => {
                    return Ok(Some(format!(
                        "已收到绑定申请：{}。请发送「绑定 {} 绑定码」完成绑定（绑定码由管理员或会务组发给你），或等待管理员批准。",
                        p.employee_no, p.employee_no
                    )))
                }
            };
            let mut text = format!("绑定成功，{}（{}）。", p.name, p.employee_no);
            if let Some(code) = crate::ops::followers::take_held_checkin(c, &openid)? {
                text.push('\n');
                text.push_str(&checkin_reply(c, ctx, &p, &code));
            }
            text.push_str("\n发送「我的会议」查看近期会议，「帮助」查看命令。");
            text
        }
        (Intent::Command(Ok(Command::Help { group })), Sender::UnboundFollower(_)) => {
            let stranger = handlers::Asker {
                now: vec!["绑定"],
                ..Default::default()
            };
            handlers::help(&stranger, group.as_deref(), &handlers::help_page(ctx))
        }
        (_, Sender::UnboundFollower(_)) => return Err(BotError::NotBound),
        (Intent::Command(Ok(command)), Sender::Person(p)) => handlers::run(c, ctx, &p, command)?,
        (Intent::LatestMinutes, Sender::Person(p)) => handlers::latest_minutes(c, ctx, &p)?,
        (
            Intent::CardAnswer {
                command,
                label,
                response_code,
            },
            Sender::Person(p),
        ) => {
            let text = handlers::run(c, ctx, &p, command)?;
            if let Some(agent) = ctx.notices.wecom_agent_id.as_deref() {
                let (userid, code) = (&message.from_user, &response_code);
                crate::ops::followers::card_answered(c, now, agent, &p, userid, code, label)?;
            }
            text
        }
        (Intent::DeclineButton(id), Sender::Person(_)) => {
            format!("请回复请假原因，例如：请假 {id} 出差")
        }
        (Intent::ObjectButton(id), Sender::Person(_)) => {
            format!("请回复异议理由，例如：异议 {id} 预算缺少风险准备金")
        }
        (Intent::TemplateDelivered { .. }, _) => return Ok(None),
    };
    Ok(Some(format::truncate_bytes(text)))
}

/// A check-in attempted as part of another step (binding, following): its refusal is part
/// of the reply, not a failure of the step.
fn checkin_reply(c: &mut DbConn, ctx: &Ctx, p: &Person, code: &str) -> String {
    match handlers::checkin_code(c, ctx, p, code) {
        Ok(text) => text,
        Err(e) => format!("签到未成功：{}", e.reply(ctx.tz)),
    }
}

impl MeetingRouter {
    pub fn new(
        db: Db,
        clock: Arc<dyn Clock>,
        tz: Tz,
        meetings: &crate::config::MeetingSettings,
        checkin_key: CheckinKey,
        feeds: FeedLinks,
        notifier: Notifier,
    ) -> Self {
        Self {
            db,
            clock,
            tz,
            late_grace: meetings.late_grace,
            booking_buffer: meetings.booking_buffer,
            checkin_key,
            feeds,
            notifier,
        }
    }
}

impl MeetingRouter {
    fn ctx(&self) -> Ctx {
        Ctx {
            tz: self.tz,
            late_grace: self.late_grace,
            booking_buffer: self.booking_buffer,
            checkin_key: self.checkin_key.clone(),
            feeds: self.feeds.clone(),
            notices: self.notifier.settings.clone(),
            now: self.clock.now(),
        }
    }
}

/// The reply to a handled (or refused) message; failures are logged here, once.
fn reply_to(outcome: Result<Option<String>, BotError>, tz: Tz) -> Option<Reply> {
    match outcome {
        Ok(text) => text.map(Reply::text),
        Err(e) => {
            if let BotError::Db(db_error) = &e {
                tracing::error!(error = %db_error, "command failed in the database");
            } else {
                tracing::debug!(refusal = %e, "command refused");
            }
            Some(Reply::text(e.reply(tz)))
        }
    }
}

/// A command's writes. A refused or failed command's writes are undone by the caller, which
/// still records the reply.
fn change<'a>(
    tz: Tz,
    run: impl FnOnce(&mut DbConn) -> Result<Option<String>, BotError> + 'a,
) -> Routed<'a> {
    Routed::Changes(Box::new(move |c: &mut DbConn| match run(c) {
        Ok(text) => Ok(text.map(Reply::text)),
        refused => Err(Undo::Refused(reply_to(refused, tz))),
    }))
}

impl Router for MeetingRouter {
    fn route(&self, message: Inbound) -> RouteFuture {
        let ctx = self.ctx();
        let db = self.db.clone();
        let notifier = self.notifier.clone();
        Box::pin(async move {
            let intent = intent(&message, ctx.today())?;
            let tz = ctx.tz;
            let outcome = match intent {
                // Not a command: nothing to look up, so the database is not asked.
                Intent::Command(Err(e)) => Err(BotError::Parse(e)),
                intent => db
                    .run(move |c| Ok(c.transaction(|c| handle(c, &ctx, &message, intent))))
                    .await
                    .map_err(BotError::Db)
                    .and_then(|r| r),
            };
            // Whatever the command queued has committed now.
            notifier.ring();
            reply_to(outcome, tz)
        })
    }

    fn routes_in_transaction(&self) -> bool {
        true
    }

    fn route_in<'a>(&'a self, c: &mut DbConn, message: &'a Inbound) -> Result<Routed<'a>, DbError> {
        let ctx = self.ctx();
        let tz = ctx.tz;
        let Some(intent) = intent(message, ctx.today()) else {
            return Ok(Routed::Answered(None));
        };
        Ok(match intent {
            Intent::Command(Err(e)) => Routed::Answered(reply_to(Err(BotError::Parse(e)), tz)),
            intent @ Intent::TemplateDelivered { .. } => {
                change(tz, move |c| handle(c, &ctx, message, intent))
            }
            intent => {
                let sender = identify(c, message)?;
                if refused_before_any_write(&intent, &sender) {
                    // Outside the transaction a failed read must not become the reply
                    // recorded for good: the delivery fails and WeChat's retry runs it again.
                    match act(c, &ctx, message, intent, sender) {
                        Err(BotError::Db(e)) => return Err(e),
                        refusal => Routed::Answered(reply_to(refusal, tz)),
                    }
                } else {
                    change(tz, move |c| act(c, &ctx, message, intent, sender))
                }
            }
        })
    }

    fn committed(&self) {
        self.notifier.ring();
    }
}
