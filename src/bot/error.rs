//! Why a chat command was refused, and the one place that words it for the person.

use super::command::{ParseError, COMMANDS};
use super::format;
use crate::db::DbError;
use crate::meetings::lifecycle::Action;
use crate::meetings::ActionItemId;
use crate::meetings::{DomainError, MeetingId};
use crate::ops::OpsError;
use chrono_tz::Tz;

#[derive(Debug, thiserror::Error)]
pub enum BotError {
    #[error("not understood")]
    Parse(ParseError),
    #[error("domain rule: {0}")]
    Rule(#[from] DomainError),
    /// Unknown, a draft, or confidential and not the sender's: all answered alike.
    #[error("meeting not found")]
    MeetingNotFound(Option<MeetingId>),
    #[error("not a participant of {0}")]
    NotParticipant(MeetingId),
    #[error("no meeting to apply the command to")]
    NoMeeting,
    /// Several meetings qualify: (id, when, title) and the command to repeat with an id.
    #[error("several meetings qualify")]
    Ambiguous {
        choices: Vec<(MeetingId, String, String)>,
        command: &'static str,
    },
    #[error("sender not bound")]
    NotBound,
    #[error("the console is for admins and organizers")]
    NotConsoleUser,
    #[error("WeCom user not registered")]
    UnknownWecomUser,
    #[error("already bound")]
    AlreadyBound(String),
    #[error("employee number taken")]
    EmployeeNoTaken,
    #[error("person not found")]
    PersonNotFound(String),
    #[error("name is ambiguous")]
    AmbiguousName(String),
    #[error("task not found")]
    TaskNotFound(ActionItemId),
    #[error("not the task's owner")]
    NotTaskOwner,
    #[error("not invited")]
    TargetNotParticipant(String),
    #[error("cannot delegate to oneself")]
    DelegateToSelf,
    /// Something other than a meeting, person or task, named in words ("这条纪要").
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("invalid fields")]
    Invalid(Vec<crate::meetings::directory::FieldError>),
    #[error("minutes not published")]
    MinutesNotPublished(MeetingId),
    /// A refusal about a question or a help request, already in words.
    #[error("refused: {0}")]
    Live(String),
    #[error(transparent)]
    Db(#[from] DbError),
}

/// An operation's refusal, in the words chat already has for it.
impl From<OpsError> for BotError {
    fn from(e: OpsError) -> Self {
        match e {
            OpsError::MeetingNotFound => BotError::MeetingNotFound(None),
            OpsError::PersonNotFound => BotError::PersonNotFound(String::new()),
            OpsError::PersonUnknown { said, did_you_mean } => {
                let mut text = format!("找不到「{said}」，请用工号或姓名。");
                if !did_you_mean.is_empty() {
                    text.push_str(&format!("你是不是要找：{}？", did_you_mean.join("、")));
                }
                BotError::Live(text)
            }
            OpsError::PersonAmbiguous(said) => BotError::AmbiguousName(said),
            OpsError::RoomNotFound => BotError::NotFound("这个会议室"),
            OpsError::AlreadyBound(name) => BotError::AlreadyBound(name),
            OpsError::EmployeeNoTaken => BotError::EmployeeNoTaken,
            OpsError::TooManyBindAttempts => {
                BotError::Live("绑定码输错次数过多，请一小时后再试，或联系管理员。".to_owned())
            }
            OpsError::BindNeedsCode | OpsError::BindRequestNotFound => {
                BotError::Live(format!("无法完成（{e}）。"))
            }
            OpsError::QuestionNotFound(id) => BotError::Live(format!(
                "找不到提问 #{id}。发送「问题」查看你主持或记录的会议的提问。"
            )),
            OpsError::ChecklistNotFound(id) => BotError::Live(format!(
                "找不到清单项 #{id}。发送「清单」查看你的筹备清单。"
            )),
            OpsError::ChecklistDone(id) => BotError::Live(format!("清单项 #{id} 已经完成了。")),
            OpsError::AlreadyAnswered(id) => BotError::Live(format!("提问 #{id} 已经答复过了。")),
            OpsError::HelpNotFound(id) => BotError::Live(format!("找不到求助 #{id}。")),
            OpsError::HelpTaken { id, by } => {
                BotError::Live(format!("求助 #{id} 已由 {by} 接手处理。"))
            }
            OpsError::HelpNotTaken(id) => {
                BotError::Live(format!("求助 #{id} 还没有人接手：请先回复「处理 {id}」。"))
            }
            OpsError::HelpResolved(id) => BotError::Live(format!("求助 #{id} 已经解决。")),
            OpsError::Stale => BotError::Invalid(vec![crate::meetings::directory::FieldError {
                field: "meeting",
                message: "会议刚被修改过，请重新查看后再试。".to_owned(),
            }]),
            OpsError::NotStaff => BotError::Rule(DomainError::NotAllowed(
                crate::meetings::permissions::Duty::Administer,
            )),
            OpsError::NotInvited(name) => BotError::TargetNotParticipant(name),
            OpsError::DelegateToSelf => BotError::DelegateToSelf,
            OpsError::TaskNotFound(id) => BotError::TaskNotFound(id),
            OpsError::NotTaskOwner => BotError::NotTaskOwner,
            OpsError::MinutesNotPublished(id) => BotError::MinutesNotPublished(id),
            OpsError::EntryNotFound => BotError::NotFound("这条纪要"),
            OpsError::MaterialNotFound => BotError::NotFound("这份材料"),
            OpsError::Frozen { status, .. } => {
                BotError::Rule(DomainError::InvitationClosed(status))
            }
            OpsError::Invalid(fields) => BotError::Invalid(fields),
            OpsError::RosterClosed(s) => BotError::Rule(DomainError::InvitationClosed(s)),
            OpsError::LastHost => BotError::Rule(DomainError::NoHost),
            OpsError::TopicNotFound(id) => BotError::Live(format!(
                "找不到议题 #{id}（只有会议的议程组或主持人可以处理议题）。"
            )),
            OpsError::TopicDecided(id) => BotError::Live(format!("议题 #{id} 已经处理过了。")),
            OpsError::DecisionNotFound(id) => {
                BotError::Live(format!("找不到决议 #{id}。发送「纪要」查看会议的决议。"))
            }
            OpsError::DecisionClosed(id) => {
                BotError::Live(format!("决议 #{id} 已由主持人定论，不能再表态。"))
            }
            OpsError::NotPresent(id) => {
                BotError::Live(format!("只有签到在场的人可以对决议 #{id} 表态。"))
            }
            OpsError::MilestoneNotFound(id) => BotError::Live(format!("找不到里程碑 #{id}。")),
            OpsError::SeriesNotFound => BotError::NotFound("这个例会"),
            OpsError::SeriesEnded => BotError::Live("这个例会已经结束了。".to_owned()),
            OpsError::NotASeries => BotError::Live(
                "这个会议不是例会：「全部」只用于例会。回复「确认 会议号」答复这一次。".to_owned(),
            ),
            OpsError::NothingToCarry => {
                BotError::Live("上次例会没有未讨论的议题，无需顺延。".to_owned())
            }
            OpsError::Rule(e) => BotError::Rule(e),
            OpsError::Db(e) => BotError::Db(e),
        }
    }
}

impl From<diesel::result::Error> for BotError {
    fn from(e: diesel::result::Error) -> Self {
        BotError::Db(e.into())
    }
}

fn action_zh(a: Action) -> &'static str {
    match a {
        Action::Publish => "发布",
        Action::Start => "开始",
        Action::End => "结束",
        Action::Close => "发布纪要",
        Action::Cancel => "取消",
        Action::Reopen => "重新打开",
    }
}

fn rule_zh(e: &DomainError, tz: Tz) -> String {
    match e {
        DomainError::IllegalTransition { from, action } => {
            format!("会议{}，不能{}。", from.label_zh(), action_zh(*action))
        }
        DomainError::ReasonRequired => "请假需要说明原因，例如：请假 12 出差".into(),
        DomainError::RatingOutOfRange => "评分是 1 到 5 的整数，例如：反馈 12 5 很高效".into(),
        DomainError::NotAllowed(duty) => format!("只有{}可以这样做。", duty.holders_zh()),
        DomainError::ForgedCheckinCode => "这不是有效的签到码，请扫描会场的签到二维码。".into(),
        DomainError::CheckinNotOpen(at) => format!(
            "签到尚未开始，{} 开放。",
            format::when(at.timestamp_millis(), tz)
        ),
        DomainError::CheckinClosed => "会议已结束，签到已关闭。".into(),
        DomainError::CheckinCodeExpired => "二维码已过期，请扫描会场屏幕上当前的二维码。".into(),
        DomainError::TextCheckinOff => "本会议只接受扫码签到，请扫描会场的签到二维码。".into(),
        DomainError::MinutesNotWritable(s) => {
            format!(
                "会议{}，现在不能写纪要（会议进行中或结束后、发布前可写）。",
                s.label_zh()
            )
        }
        DomainError::TaskFinished(s) => format!(
            "该任务{}。",
            crate::meetings::action_items::TaskStatus::parse(s).map_or("结束", |s| s.label_zh())
        ),
        DomainError::DueInThePast => "截止日期不能早于今天。".into(),
        DomainError::InvitationClosed(s) => {
            format!("会议{}，不能再回复邀请或签到。", s.label_zh())
        }
        DomainError::FeedbackNotOpen => "会议结束后才能反馈。".into(),
        DomainError::UnknownAnswer(_) => "请回复 确认、待定 或 请假 加原因。".into(),
        DomainError::NoItemRunning => "议程已全部完成，没有进行中的议程项。".into(),
        DomainError::NotRunning(s) => format!("会议{}，没有进行中的议程。", s.label_zh()),
        DomainError::QuestionsClosed(None) => {
            "提问只能在会议进行中使用：你现在没有进行中的会议。".into()
        }
        DomainError::QuestionsClosed(Some(s)) => {
            format!("会议{}：提问只能在会议进行中使用。", s.label_zh())
        }
        DomainError::HelpNotOpen => {
            "求助在会前 30 分钟到会议结束之间可用：你现在没有即将开始或进行中的会议。".into()
        }
        other => other.to_string(),
    }
}

/// The command with `#id` in its meeting's place and its other arguments as in its usage,
/// e.g. `代签 #12 <工号>`: a `#` number names the meeting in every command.
fn with_meeting(command: &str, id: MeetingId) -> String {
    let rest = COMMANDS
        .iter()
        .find(|s| s.zh == command)
        .map(|s| {
            s.args
                .trim_start_matches("[#id]")
                .trim_start_matches("[id]")
                .trim()
        })
        .unwrap_or_default();
    format!("{command} #{id} {rest}").trim_end().to_owned()
}

impl BotError {
    /// The reply the sender gets. Database failures are logged by the caller and answered
    /// without detail.
    pub fn reply(&self, tz: Tz) -> String {
        match self {
            BotError::Parse(ParseError::Unknown { typed, closest }) => {
                let mut text = if typed.is_empty() {
                    "请发送命令文字。".to_owned()
                } else {
                    format!("没有听懂「{typed}」。")
                };
                if let Some(spec) = closest {
                    text.push_str(&format!(
                        "你是不是想用：{}（{}）？例如：{}\n",
                        spec.usage(),
                        spec.en,
                        spec.example
                    ));
                }
                text.push_str("发送「帮助」查看全部命令。");
                text
            }
            BotError::Parse(ParseError::Unstorable) => {
                "消息里有无法保存的字符（空字符），请删去后重发。".into()
            }
            BotError::Parse(ParseError::Usage { spec, problem }) => {
                format!("{problem}。用法：{}\n例如：{}", spec.usage(), spec.example)
            }
            BotError::Rule(e) => rule_zh(e, tz),
            BotError::MeetingNotFound(Some(id)) => {
                format!("找不到会议 #{id}。发送「我的会议」查看你的会议。")
            }
            BotError::MeetingNotFound(None) | BotError::NoMeeting => {
                "你现在没有可用于此命令的会议。发送「我的会议」查看你的会议。".into()
            }
            BotError::NotParticipant(id) => format!("你不是会议 #{id} 的参会人。"),
            BotError::Ambiguous { choices, command } => {
                let lines: Vec<String> = choices
                    .iter()
                    .map(|(id, when, title)| format!("#{id} {when} {title}"))
                    .collect();
                let example = choices
                    .first()
                    .map(|c| format!("例如：{}", with_meeting(command, c.0)))
                    .unwrap_or_default();
                format::fit("你有多个会议，请带上编号：", &lines, &example)
            }
            BotError::NotBound => "请先绑定工号：发送「绑定 工号」，例如：绑定 E1001".into(),
            BotError::NotConsoleUser => "会务后台只对管理员和会务组开放。".into(),
            BotError::UnknownWecomUser => {
                "你的企业微信账号还没有登记到会务系统，请联系管理员。".into()
            }
            BotError::AlreadyBound(name) => format!("你已绑定为 {name}。发送「帮助」查看命令。"),
            BotError::EmployeeNoTaken => "该工号已绑定其他微信。如有疑问请联系管理员。".into(),
            BotError::PersonNotFound(who) => format!("找不到「{who}」，请用工号。"),
            BotError::AmbiguousName(who) => format!("有多人叫「{who}」，请用工号。"),
            BotError::TaskNotFound(id) => format!("找不到任务 #{id}。发送「待办」查看你的任务。"),
            BotError::NotTaskOwner => "只有任务负责人可以汇报进展。".into(),
            BotError::TargetNotParticipant(who) => format!("{who} 不是该会议的参会人。"),
            BotError::DelegateToSelf => "不能委托给自己。".into(),
            BotError::NotFound(what) => format!("找不到{what}。"),
            BotError::Invalid(fields) => {
                let problems: Vec<String> = fields
                    .iter()
                    .map(|f| format!("{}：{}", f.field, f.message))
                    .collect();
                format!("输入有误：{}", problems.join("；"))
            }
            BotError::MinutesNotPublished(id) => {
                format!("会议 #{id} 的纪要尚未发布，发布后会发给你。")
            }
            BotError::Live(text) => text.clone(),
            BotError::Db(_) => "系统繁忙，请稍后再试。".into(),
        }
    }
}
