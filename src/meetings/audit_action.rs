//! What an audit entry records: every action huiwu audits, whether it reads a meeting's
//! content or changes something, through which door, and its words for the console and 审计.
//! The stored form is the action's code (`read_minutes`, `update_person:12`, `chat_纪要`), the
//! same as before this type existed, so old entries read back unchanged.

use super::PersonId;
use std::fmt;

/// Through which door a read came.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Door {
    /// A chat command.
    Chat,
    /// A staff page behind a notice.
    Page,
    /// The admin API, or the console reading through the same reports (`read_…`): told apart
    /// by who read it.
    Api,
    /// The console's own pages.
    Console,
}

/// A read of a meeting's content, or a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Read(Door),
    Change,
}

macro_rules! actions {
    ($($variant:ident = $code:literal, $zh:literal, $kind:expr;)*) => {
        /// Every action huiwu audits under a fixed code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Audit {
            $($variant,)*
        }

        impl Audit {
            pub const ALL: &'static [Audit] = &[$(Audit::$variant,)*];

            /// The stored code.
            pub fn code(self) -> &'static str {
                match self {
                    $(Audit::$variant => $code,)*
                }
            }

            /// The action in words, for the console and 审计.
            pub fn label_zh(self) -> &'static str {
                match self {
                    $(Audit::$variant => $zh,)*
                }
            }

            pub fn kind(self) -> Kind {
                match self {
                    $(Audit::$variant => $kind,)*
                }
            }
        }
    };
}

const PAGE: Kind = Kind::Read(Door::Page);
const API: Kind = Kind::Read(Door::Api);
const CONSOLE: Kind = Kind::Read(Door::Console);
const CHANGE: Kind = Kind::Change;

actions! {
    PageMeeting = "page_meeting", "会议页面", PAGE;
    PageAnswer = "page_answer", "回复邀请", PAGE;
    PageFeedback = "page_feedback", "会后反馈", PAGE;
    PageDelegate = "page_delegate", "委托参会", PAGE;
    PageTopic = "page_topic", "提议议题页面", PAGE;
    PageMaterial = "page_material", "打开材料", PAGE;
    PageRun = "page_run", "现场操作", PAGE;
    PageBoard = "page_board", "会议现场", PAGE;
    ReadMeeting = "read_meeting", "会议详情", API;
    ReadMinutes = "read_minutes", "纪要", API;
    ReadParticipants = "read_participants", "参会名单", API;
    ReadMaterials = "read_materials", "材料", API;
    ReadCalendar = "read_calendar", "日历", API;
    ReadAttendance = "read_attendance", "出席报告", API;
    ReadFeedback = "read_feedback", "反馈报告", API;
    ReadActionItems = "read_action_items", "待办", API;
    ReadQuestions = "read_questions", "提问", API;
    ReadHelpRequests = "read_help_requests", "求助", API;
    ReadTopics = "read_topics", "议题", API;
    ReadChecklist = "read_checklist", "筹备清单", API;
    ReadCheckinCode = "read_checkin_code", "签到码", API;
    ReadDeliveries = "read_deliveries", "送达报告", API;
    ReadImprovementReport = "read_improvement_report", "改进报告", API;
    ReadAudit = "read_audit", "审计记录", API;
    ListMeetings = "list_meetings", "会议列表", API;
    ConsoleRead = "console_read", "会议页面", CONSOLE;
    ConsoleList = "console_list", "会议列表", CONSOLE;
    ConsoleReports = "console_reports", "会议报告", CONSOLE;
    RevealAsker = "reveal_asker", "谁提问", Kind::Read(Door::Chat);
    CreateMeeting = "create_meeting", "创建会议", CHANGE;
    PublishMeeting = "publish_meeting", "发布会议", CHANGE;
    UpdateMeeting = "update_meeting", "修改会议", CHANGE;
    ReviseMeeting = "revise_meeting", "修改会议", CHANGE;
    ChangeAgenda = "change_agenda", "修改议程", CHANGE;
    AddMaterial = "add_material", "添加材料", CHANGE;
    RemoveMaterial = "remove_material", "删除材料", CHANGE;
    StartMeeting = "start_meeting", "开始会议", CHANGE;
    NextAgendaItem = "next_agenda_item", "下一项议程", CHANGE;
    ExtendAgendaItem = "extend_agenda_item", "延长议程", CHANGE;
    EndMeeting = "end_meeting", "结束会议", CHANGE;
    CloseMeeting = "close_meeting", "发布纪要", CHANGE;
    ReopenMeeting = "reopen_meeting", "重新打开纪要", CHANGE;
    CancelMeeting = "cancel_meeting", "取消会议", CHANGE;
    ProposeTopic = "propose_topic", "提议议题", CHANGE;
    AcceptTopic = "accept_topic", "采纳议题", CHANGE;
    DeclineTopic = "decline_topic", "不采纳议题", CHANGE;
    AddChecklistItem = "add_checklist_item", "添加筹备项", CHANGE;
    ChangeChecklistItem = "change_checklist_item", "修改筹备项", CHANGE;
    RemoveChecklistItem = "remove_checklist_item", "删除筹备项", CHANGE;
    TickChecklistItem = "tick_checklist_item", "完成筹备项", CHANGE;
    AddMilestone = "add_milestone", "添加里程碑", CHANGE;
    AddParticipant = "add_participant", "邀请参会人", CHANGE;
    RemoveParticipant = "remove_participant", "移除参会人", CHANGE;
    AnswerInvitation = "answer_invitation", "回复邀请", CHANGE;
    Delegate = "delegate", "委托参会", CHANGE;
    CheckIn = "check_in", "签到", CHANGE;
    WriteMinutes = "write_minutes", "记录纪要", CHANGE;
    EditMinutes = "edit_minutes", "修改纪要", CHANGE;
    AssignActionItem = "assign_action_item", "布置任务", CHANGE;
    UpdateActionItem = "update_action_item", "修改任务", CHANGE;
    CloseDecision = "close_decision", "定论决议", CHANGE;
    VoteDecision = "vote_decision", "表态决议", CHANGE;
    AskQuestion = "ask_question", "提问", CHANGE;
    AnswerQuestion = "answer_question", "答复提问", CHANGE;
    AskHelp = "ask_help", "现场求助", CHANGE;
    TakeHelp = "take_help", "接手求助", CHANGE;
    ResolveHelp = "resolve_help", "解决求助", CHANGE;
    CreateSeries = "create_series", "创建例会", CHANGE;
    UpdateSeries = "update_series", "修改例会", CHANGE;
    UpdateOccurrence = "update_occurrence", "修改例会的一次", CHANGE;
    SplitSeries = "split_series", "例会从此拆分", CHANGE;
    CancelOccurrence = "cancel_occurrence", "取消例会的一次", CHANGE;
    EndSeries = "end_series", "结束例会", CHANGE;
    CreateRoom = "create_room", "新增会议室", CHANGE;
    UpdateRoom = "update_room", "修改会议室", CHANGE;
    DeactivateRoom = "deactivate_room", "停用会议室", CHANGE;
    IssueDisplayKey = "issue_display_key", "生成门口屏链接", CHANGE;
    RevokeDisplayKey = "revoke_display_key", "收回门口屏链接", CHANGE;
    PushOfficialAccountMenu = "push_oa", "推送公众号菜单", CHANGE;
    PushWecomMenu = "push_wecom", "推送企业微信菜单", CHANGE;
    ImportPeople = "import_people", "导入人员", CHANGE;
    CreatePerson = "create_person", "新增人员", CHANGE;
    UpdatePerson = "update_person", "修改人员", CHANGE;
    DeactivatePerson = "deactivate_person", "停用人员", CHANGE;
    ChangeBinding = "change_binding", "变更绑定或权限", CHANGE;
    BindRequest = "bind_request", "申请绑定", CHANGE;
    BindCodeWrong = "bind_code_wrong", "绑定码错误", CHANGE;
    Bind = "bind", "绑定", CHANGE;
    IssueBindCode = "issue_bind_code", "生成绑定码", CHANGE;
    RejectBind = "reject_bind", "拒绝绑定申请", CHANGE;
    IssueConsoleLink = "issue_console_link", "后台登录链接", CHANGE;
    RevokeCalendarFeed = "revoke_calendar_feed", "重置日历订阅地址", CHANGE;
}

impl Audit {
    /// The action about one record (a person, a room, a series): stored as `code:id`.
    pub fn about(self, id: impl Into<i64>) -> AuditAction {
        AuditAction(Recorded::About(self, id.into()))
    }

    fn from_code(code: &str) -> Option<Audit> {
        Audit::ALL.iter().copied().find(|a| a.code() == code)
    }
}

/// One audit entry's action, as written and as read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditAction(Recorded);

#[derive(Debug, Clone, PartialEq, Eq)]
enum Recorded {
    Did(Audit),
    About(Audit, i64),
    /// A chat command read the meeting.
    Chat(String),
    /// A code this version does not know (written by a newer one): shown as stored, counted
    /// as a change so that nothing unknown is folded or digested as a read.
    Unrecognised(String),
}

const CHAT: &str = "chat_";

impl AuditAction {
    /// A chat command's read of a meeting (`chat_会议`).
    pub fn chat(command: &str) -> AuditAction {
        AuditAction(Recorded::Chat(command.to_owned()))
    }

    /// Reads a stored code back.
    pub fn parse(stored: &str) -> AuditAction {
        if let Some(command) = stored.strip_prefix(CHAT) {
            return AuditAction::chat(command);
        }
        let (code, about) = match stored.split_once(':') {
            Some((code, about)) => (code, about.parse::<i64>().ok()),
            None => (stored, None),
        };
        let recorded = match (Audit::from_code(code), about, stored.contains(':')) {
            (Some(a), None, false) => Recorded::Did(a),
            (Some(a), Some(id), true) => Recorded::About(a, id),
            _ => Recorded::Unrecognised(stored.to_owned()),
        };
        AuditAction(recorded)
    }

    pub fn kind(&self) -> Kind {
        match &self.0 {
            Recorded::Did(a) | Recorded::About(a, _) => a.kind(),
            Recorded::Chat(_) => Kind::Read(Door::Chat),
            Recorded::Unrecognised(_) => Kind::Change,
        }
    }

    /// Whether the entry is a read of the meeting's content rather than a change to it.
    pub fn is_read(&self) -> bool {
        matches!(self.kind(), Kind::Read(_))
    }

    /// The door in words: 聊天, 网页, 管理接口 (the admin token), 后台 (the console), or 修改.
    pub fn door_zh(&self, by_admin_token: bool) -> &'static str {
        match self.kind() {
            Kind::Read(Door::Chat) => "聊天",
            Kind::Read(Door::Page) => "网页",
            Kind::Read(Door::Api) if by_admin_token => "管理接口",
            Kind::Read(Door::Api | Door::Console) => "后台",
            Kind::Change => "修改",
        }
    }

    /// What the entry read or did, in words.
    pub fn what_zh(&self) -> String {
        match &self.0 {
            Recorded::Did(a) => a.label_zh().to_owned(),
            Recorded::About(a, id) => format!("{}（#{id}）", a.label_zh()),
            Recorded::Chat(command) => format!("「{command}」"),
            Recorded::Unrecognised(stored) => stored.clone(),
        }
    }
}

impl From<Audit> for AuditAction {
    fn from(a: Audit) -> AuditAction {
        AuditAction(Recorded::Did(a))
    }
}

impl From<String> for AuditAction {
    fn from(stored: String) -> AuditAction {
        AuditAction::parse(&stored)
    }
}

impl fmt::Display for AuditAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Recorded::Did(a) => f.write_str(a.code()),
            Recorded::About(a, id) => write!(f, "{}:{id}", a.code()),
            Recorded::Chat(command) => write!(f, "{CHAT}{command}"),
            Recorded::Unrecognised(stored) => f.write_str(stored),
        }
    }
}

/// What the audit log is searched by: an action's name or its start (`update_person` finds
/// `update_person:12`), 1 to 64 characters, without NUL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionPrefix(String);

impl ActionPrefix {
    pub const MAX_CHARS: usize = 64;

    pub fn parse(text: &str) -> Option<ActionPrefix> {
        let fits = (1..=Self::MAX_CHARS).contains(&text.chars().count()) && !text.contains('\0');
        fits.then(|| ActionPrefix(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Who an audit entry names: the admin token, a person, a follower not bound yet (binding
/// requests and wrong codes), or the scheduler making a series' occurrences. Stored as
/// `admin`, `person:<id>`, `openid:<openid>`, `scheduler`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditActor {
    Admin,
    Person(PersonId),
    Follower(String),
    Scheduler,
    /// Written by something this version does not know: shown as stored.
    Unrecognised(String),
}

impl AuditActor {
    pub fn parse(stored: &str) -> AuditActor {
        if let Some(id) = stored.strip_prefix("person:") {
            let digits =
                !id.is_empty() && !id.starts_with('0') && id.bytes().all(|b| b.is_ascii_digit());
            return match id.parse::<PersonId>() {
                Ok(id) if digits => AuditActor::Person(id),
                _ => AuditActor::Unrecognised(stored.to_owned()),
            };
        }
        match stored {
            "admin" => AuditActor::Admin,
            "scheduler" => AuditActor::Scheduler,
            _ => match stored.strip_prefix("openid:") {
                Some(openid) => AuditActor::Follower(openid.to_owned()),
                None => AuditActor::Unrecognised(stored.to_owned()),
            },
        }
    }

    pub fn person(&self) -> Option<PersonId> {
        match self {
            AuditActor::Person(id) => Some(*id),
            _ => None,
        }
    }

    pub fn is_admin(&self) -> bool {
        *self == AuditActor::Admin
    }
}

impl From<String> for AuditActor {
    fn from(stored: String) -> AuditActor {
        AuditActor::parse(&stored)
    }
}

impl fmt::Display for AuditActor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AuditActor::Admin => f.write_str("admin"),
            AuditActor::Person(id) => write!(f, "person:{id}"),
            AuditActor::Follower(openid) => write!(f, "openid:{openid}"),
            AuditActor::Scheduler => f.write_str("scheduler"),
            AuditActor::Unrecognised(stored) => f.write_str(stored),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_action_prefix_is_1_to_64_characters_without_nul() {
        assert_eq!(ActionPrefix::parse(""), None);
        assert_eq!(ActionPrefix::parse("a\0"), None);
        let longest = "审".repeat(64);
        assert_eq!(
            ActionPrefix::parse(&longest).map(|p| p.as_str().to_owned()),
            Some(longest.clone()),
            "characters, not bytes"
        );
        assert_eq!(ActionPrefix::parse(&format!("{longest}x")), None);
    }

    #[test]
    fn every_code_reads_back_as_itself_and_codes_are_unique() {
        for a in Audit::ALL {
            assert_eq!(AuditAction::parse(a.code()), AuditAction::from(*a));
            assert_eq!(AuditAction::parse(&a.about(12).to_string()), a.about(12));
            assert_eq!(
                Audit::ALL.iter().filter(|b| b.code() == a.code()).count(),
                1
            );
            assert!(!a.code().starts_with(CHAT) && !a.code().contains(':'));
        }
        let chat = AuditAction::chat("纪要");
        assert_eq!(chat.to_string(), "chat_纪要");
        assert_eq!(AuditAction::parse("chat_纪要"), chat);
    }

    #[test]
    fn each_door_is_named_and_every_console_read_is_a_read() {
        assert_eq!(AuditAction::chat("会议").door_zh(false), "聊天");
        assert_eq!(AuditAction::from(Audit::PageMeeting).door_zh(false), "网页");
        assert_eq!(
            AuditAction::from(Audit::ReadMinutes).door_zh(true),
            "管理接口"
        );
        assert_eq!(
            AuditAction::from(Audit::ReadAttendance).door_zh(false),
            "后台"
        );
        assert_eq!(
            AuditAction::from(Audit::UpdateMeeting).door_zh(false),
            "修改"
        );
        for read in [
            Audit::ConsoleRead,
            Audit::ConsoleList,
            Audit::ConsoleReports,
        ] {
            assert!(AuditAction::from(read).is_read(), "{read:?} is a read");
            assert_eq!(AuditAction::from(read).door_zh(true), "后台");
        }
        assert_eq!(
            AuditAction::from(Audit::ListMeetings).door_zh(true),
            "管理接口"
        );
        assert!(!AuditAction::from(Audit::PublishMeeting).is_read());
    }

    #[test]
    fn words_and_unknown_codes() {
        assert_eq!(AuditAction::chat("纪要").what_zh(), "「纪要」");
        assert_eq!(AuditAction::from(Audit::ReadMinutes).what_zh(), "纪要");
        assert_eq!(
            Audit::ChangeBinding.about(12).what_zh(),
            "变更绑定或权限（#12）"
        );
        for stored in [
            "something_new",
            "update_person:x",
            "update_person:",
            "read_minutes:3:4",
        ] {
            let unknown = AuditAction::parse(stored);
            assert_eq!(unknown.what_zh(), stored);
            assert_eq!(unknown.to_string(), stored);
            assert!(!unknown.is_read(), "{stored} is not counted as a read");
        }
    }

    #[test]
    fn actors_read_back_as_written() {
        let person = AuditActor::Person(PersonId::new(12).unwrap());
        for actor in [
            AuditActor::Admin,
            person.clone(),
            AuditActor::Follower("o_abc".into()),
            AuditActor::Scheduler,
        ] {
            assert_eq!(AuditActor::parse(&actor.to_string()), actor);
        }
        assert_eq!(person.person().map(PersonId::get), Some(12));
        for stored in ["echo", "person:0", "person:x", "person:012"] {
            assert_eq!(AuditActor::parse(stored).to_string(), stored);
            assert_eq!(AuditActor::parse(stored).person(), None, "{stored}");
        }
    }
}
