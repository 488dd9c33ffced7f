//! Chat commands, each declared once in the `commands!` table below: its variant with the
//! arguments it carries, its names, usage, help line, example, and how its arguments are
//! read. The enum, the parser, the help and the "did you mean" hints all come from that one
//! entry, so they cannot drift apart. Adding a command is a table entry here and a handler
//! (`handlers::run`).

use super::dates::parse_due;
use super::input::Input;
use crate::meetings::feedback::Rating;
use crate::meetings::permissions::Duty;
use crate::meetings::MeetingId;
use crate::meetings::{
    ActionItemId, ChecklistItemId, EntryId, HelpRequestId, MilestoneId, QuestionId, TopicId,
};
use chrono::NaiveDate;

/// Which part of the help a command is listed under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    Account,
    Meetings,
    Running,
    Minutes,
    Tasks,
}

impl Group {
    /// The group named after `帮助`: its title, or what people call it (主持 for the running
    /// of a meeting, 记录 for its minutes), in Chinese or English.
    pub fn named(word: &str) -> Option<Group> {
        let word = word
            .trim_start_matches(['【', '['])
            .trim_end_matches(['】', ']']);
        Some(match word.to_lowercase().as_str() {
            "账号" | "account" => Group::Account,
            "会议" | "meetings" | "meeting" => Group::Meetings,
            "会中" | "主持" | "running" | "host" => Group::Running,
            "纪要" | "记录" | "minutes" | "record" => Group::Minutes,
            "任务" | "反馈" | "任务与反馈" | "tasks" | "feedback" => Group::Tasks,
            _ => return None,
        })
    }

    pub const ALL: [Group; 5] = [
        Group::Account,
        Group::Meetings,
        Group::Running,
        Group::Minutes,
        Group::Tasks,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Group::Account => "账号",
            Group::Meetings => "会议",
            Group::Running => "会中",
            Group::Minutes => "纪要",
            Group::Tasks => "任务与反馈",
        }
    }
}

/// Who a command is offered to in the help.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Everyone,
    /// Official Account followers not yet linked to a person.
    Unbound,
    /// Anyone known to huiwu.
    Person,
    /// Who carries this duty in a meeting that is not over (see `meetings::permissions`).
    Duty(Duty),
    /// Admins and organizers (会务组), who use the console.
    Console,
}

/// The rest of a message after the command's name, with what a parser needs to refuse it.
pub struct Args {
    input: Input,
    spec: &'static CommandSpec,
    /// Local date: relative due dates (明天, 周五) count from it.
    today: NaiveDate,
}

impl Args {
    /// A refusal that shows the command's usage.
    fn usage(&self, problem: &'static str) -> ParseError {
        ParseError::Usage {
            spec: self.spec,
            problem,
        }
    }

    fn meeting(&mut self) -> Option<MeetingId> {
        self.input.meeting_id()
    }

    /// For a recurring meeting: `全部` (every occurrence, those to come too) or a date written
    /// with `-`, `/` or `月` (the occurrence that day); otherwise the next one.
    fn which(&mut self) -> Which {
        if self.input.keyword("全部") || self.input.keyword("all") {
            return Which::All;
        }
        let mut ahead = self.input.clone();
        let day = ahead
            .word()
            .filter(|w| w.contains(['-', '/', '月']))
            .and_then(|w| crate::bot::dates::parse_due(&w, self.today));
        match day {
            Some(day) => {
                self.input = ahead;
                Which::On(day)
            }
            None => Which::Next,
        }
    }

    fn word(&mut self, missing: &'static str) -> Result<String, ParseError> {
        self.input.word().ok_or(self.usage(missing))
    }

    /// The free text to the end; `missing` when there is none.
    fn text(&mut self, missing: &'static str) -> Result<String, ParseError> {
        let rest = self.input.rest();
        if rest.is_empty() {
            Err(self.usage(missing))
        } else {
            Ok(rest)
        }
    }

    /// A leading meeting id followed by a rating (`12 5`, `#12 5`); otherwise nothing is
    /// consumed, and a lone number is the rating.
    fn rated_meeting(&mut self) -> Option<MeetingId> {
        let mut ahead = self.input.clone();
        let meeting = ahead.meeting_id()?;
        ahead.word()?.parse::<Rating>().ok()?;
        self.input.meeting_id();
        Some(meeting)
    }

    fn task_no(&mut self) -> Result<ActionItemId, ParseError> {
        self.number("需要任务号")
    }

    /// An id (a task's, a question's, a help request's), typed as phones type it: `7`, `#7`,
    /// `＃７`.
    fn number<Id: std::str::FromStr>(&mut self, missing: &'static str) -> Result<Id, ParseError> {
        self.input
            .word()
            .and_then(|w| w.parse::<Id>().ok())
            .ok_or(self.usage(missing))
    }
}

/// Which occurrences of a recurring meeting (例会) an answer is for; a single meeting is its
/// own next occurrence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    Next,
    All,
    On(NaiveDate),
}

type Parser = fn(&mut Args) -> Result<Command, ParseError>;

pub struct CommandSpec {
    pub zh: &'static str,
    pub en: &'static str,
    pub args: &'static str,
    pub summary: &'static str,
    pub example: &'static str,
    pub group: Group,
    pub audience: Audience,
    parse: Parser,
}

impl CommandSpec {
    /// `请假 [id] <原因>`
    pub fn usage(&self) -> String {
        if self.args.is_empty() {
            self.zh.to_owned()
        } else {
            format!("{} {}", self.zh, self.args)
        }
    }
}

/// `Person`, `Unbound`, `Everyone`, or a duty's name (`RunMeeting`, `Record`, …).
macro_rules! audience {
    (Everyone) => {
        Audience::Everyone
    };
    (Unbound) => {
        Audience::Unbound
    };
    (Person) => {
        Audience::Person
    };
    (Console) => {
        Audience::Console
    };
    ($duty:ident) => {
        Audience::Duty(Duty::$duty)
    };
}

macro_rules! commands {
    ($(
        $variant:ident $( ( $($tuple:ty),+ ) )? $( { $($field:ident : $fty:ty),+ $(,)? } )? {
            $zh:literal, $en:literal, args: $args:literal, $summary:literal,
            example: $example:literal, $group:ident, $aud:ident,
            $parse:expr $(,)?
        }
    )*) => {
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum Command {
            $( $variant $( ( $($tuple),+ ) )? $( { $($field : $fty),+ } )?, )*
        }

        pub static COMMANDS: &[CommandSpec] = &[
            $(CommandSpec {
                zh: $zh,
                en: $en,
                args: $args,
                summary: $summary,
                example: $example,
                group: Group::$group,
                audience: audience!($aud),
                parse: $parse,
            },)*
        ];
    };
}

commands! {
    Help { group: Option<String> } {
        "帮助", "help", args: "[组]", "查看可用命令（组：会议、会中、纪要、任务、账号）",
        example: "帮助 会中", Account, Everyone,
        |a| Ok(Command::Help { group: a.input.word() })
    }
    Bind { employee_no: String, code: Option<String> } {
        "绑定", "bind", args: "<工号> [绑定码]", "用管理员或会务组发的绑定码把微信绑定到你的工号（无绑定码时等待管理员批准）",
        example: "绑定 E1001 K7QM3XPA",
        Account, Unbound,
        |a| Ok(Command::Bind { employee_no: a.word("需要工号")?, code: a.input.word() })
    }
    Calendar { reset: bool } {
        "日历", "calendar", args: "[重置]", "日历订阅地址（重置：换新地址，旧的失效）",
        example: "日历", Account, Person,
        |a| Ok(Command::Calendar { reset: match a.input.word().as_deref() {
            None => false,
            Some("重置" | "reset") => true,
            Some(_) => return Err(a.usage("只能跟「重置」")),
        } })
    }
    Console {
        "后台", "console", args: "", "会务后台的一次性登录链接（5 分钟内有效）", example: "后台",
        Account, Console,
        |_| Ok(Command::Console)
    }
    Meetings {
        "我的会议", "meetings", args: "", "即将召开的会议", example: "我的会议", Meetings, Person,
        |_| Ok(Command::Meetings)
    }
    Meeting(Option<MeetingId>) {
        "会议", "meeting", args: "[id]", "会议详情", example: "会议 12", Meetings, Person,
        |a| Ok(Command::Meeting(a.meeting()))
    }
    Accept { meeting: Option<MeetingId>, which: Which } {
        "确认", "accept", args: "[id] [全部|月-日]", "确认参加（例会：全部，或某一天）",
        example: "确认 12", Meetings, Person,
        |a| Ok(Command::Accept { meeting: a.meeting(), which: a.which() })
    }
    Maybe { meeting: Option<MeetingId>, which: Which } {
        "待定", "maybe", args: "[id] [全部|月-日]", "暂时待定", example: "待定 12", Meetings, Person,
        |a| Ok(Command::Maybe { meeting: a.meeting(), which: a.which() })
    }
    Decline { meeting: Option<MeetingId>, which: Which, reason: String } {
        "请假", "decline", args: "[id] [全部|月-日] <原因>", "请假（需说明原因）",
        example: "请假 12 出差", Meetings, Person,
        |a| Ok(Command::Decline {
            meeting: a.meeting(),
            which: a.which(),
            reason: a.text("请说明请假原因")?,
        })
    }
    Agree { decision: EntryId } {
        "同意", "agree", args: "<决议号>", "对决议表示同意（在场者）", example: "同意 7",
        Running, Person,
        |a| Ok(Command::Agree { decision: a.number("需要决议号")? })
    }
    Object { decision: EntryId, reason: String } {
        "异议", "object", args: "<决议号> <理由>", "对决议提出异议（需说明理由）",
        example: "异议 7 预算缺少风险准备金", Running, Person,
        |a| Ok(Command::Object { decision: a.number("需要决议号")?, reason: a.text("请说明异议理由")? })
    }
    Pass { decision: EntryId } {
        "通过", "pass", args: "<决议号>", "主持人定论：决议通过", example: "通过 7",
        Running, RunMeeting,
        |a| Ok(Command::Pass { decision: a.number("需要决议号")? })
    }
    Table { decision: EntryId } {
        "搁置", "table", args: "<决议号>", "主持人定论：决议搁置", example: "搁置 7",
        Running, RunMeeting,
        |a| Ok(Command::Table { decision: a.number("需要决议号")? })
    }
    Milestone { task: ActionItemId, due: NaiveDate, title: String } {
        "里程碑", "milestone", args: "<任务号> <日期> <内容>", "给任务加一个里程碑（不晚于任务截止日）",
        example: "里程碑 5 12-10 完成初稿", Tasks, Person,
        |a| {
            let task = a.task_no()?;
            let today = a.today;
            let due = a.input.word().and_then(|w| crate::bot::dates::parse_due(&w, today))
                .ok_or(a.usage("需要日期，如 12-10、周五"))?;
            Ok(Command::Milestone { task, due, title: a.text("需要里程碑内容")? })
        }
    }
    ReachMilestone { milestone: MilestoneId } {
        "达成", "reach", args: "<里程碑号>", "标记里程碑已达成（任务负责人）", example: "达成 3",
        Tasks, Person,
        |a| Ok(Command::ReachMilestone { milestone: a.number("需要里程碑号")? })
    }
    ExecutionPlan { decision: EntryId } {
        "计划", "plan", args: "<决议号>", "决议的执行计划：任务、里程碑、进度与逾期", example: "计划 7",
        Tasks, Person,
        |a| Ok(Command::ExecutionPlan { decision: a.number("需要决议号")? })
    }
    Topic { meeting: Option<MeetingId>, text: String } {
        "议题", "topic", args: "[#id] [内容]", "提议议题；不写内容则查看会议的议题",
        example: "议题 #12 下季度招聘计划", Meetings, Person,
        |a| Ok(Command::Topic { meeting: a.input.explicit_meeting_id(), text: a.input.rest() })
    }
    AcceptTopic { topic: TopicId, minutes: u32 } {
        "采纳", "accept-topic", args: "<议题号> <分钟>", "把议题列入议程并定时长",
        example: "采纳 3 15", Meetings, EditAgenda,
        |a| {
            let topic = a.number("需要议题号")?;
            let minutes = a.number("需要时长（分钟）")?;
            Ok(Command::AcceptTopic { topic, minutes })
        }
    }
    DeclineTopic { topic: TopicId, reason: String } {
        "不采纳", "decline-topic", args: "<议题号> <理由>", "不采纳议题（需说明理由）",
        example: "不采纳 3 已在上次会议讨论", Meetings, EditAgenda,
        |a| Ok(Command::DeclineTopic { topic: a.number("需要议题号")?, reason: a.text("请说明理由")? })
    }
    Carry(Option<MeetingId>) {
        "顺延", "carry", args: "[id]", "把上次例会未讨论的议题加入本次议程", example: "顺延 12",
        Meetings, Person,
        |a| Ok(Command::Carry(a.meeting()))
    }
    Delegate { meeting: Option<MeetingId>, colleague: String } {
        "委托", "delegate", args: "[id] <工号或姓名>", "委托他人代为参会", example: "委托 12 E1002",
        Meetings, Person,
        |a| Ok(Command::Delegate {
            meeting: a.input.meeting_id_before(1),
            colleague: a.word("需要被委托人的工号或姓名")?,
        })
    }
    Material { meeting: Option<MeetingId>, title: String, url: String } {
        "材料", "material", args: "[#id] <标题> <链接>", "报告人上传会前材料（链接），完成你的「材料上传」清单项",
        example: "材料 #12 预算表 https://docs.example.com/budget", Meetings, Person,
        |a| {
            let meeting = a.input.explicit_meeting_id();
            let rest = a.text("需要材料标题和链接")?;
            let (title, url) = rest
                .rsplit_once(char::is_whitespace)
                .map(|(t, u)| (t.trim().to_owned(), u.trim().to_owned()))
                .filter(|(t, _)| !t.is_empty())
                .ok_or(a.usage("需要标题，再空格写链接"))?;
            Ok(Command::Material { meeting, title, url })
        }
    }
    Checklist {
        "清单", "checklist", args: "", "我的筹备清单（未完成的）", example: "清单", Meetings, Person,
        |_| Ok(Command::Checklist)
    }
    TickChecklist { item: ChecklistItemId } {
        "完成清单", "tick", args: "<清单号>", "完成一项筹备清单", example: "完成清单 3",
        Meetings, Person,
        |a| Ok(Command::TickChecklist { item: a.number("需要清单号")? })
    }
    CheckIn(Option<MeetingId>) {
        "签到", "checkin", args: "[id]", "文字签到（会议允许时）", example: "签到 12",
        Meetings, Person,
        |a| Ok(Command::CheckIn(a.meeting()))
    }
    Agenda(Option<MeetingId>) {
        "议程", "agenda", args: "[id]", "议程与当前进度", example: "议程 12", Meetings, Person,
        |a| Ok(Command::Agenda(a.meeting()))
    }
    CheckInFor { meeting: Option<MeetingId>, employee_no: String } {
        "代签", "checkin-for", args: "[id] <工号>", "为他人签到", example: "代签 12 E1002",
        Running, CheckInOthers,
        |a| Ok(Command::CheckInFor {
            meeting: a.input.meeting_id_before(1),
            employee_no: a.word("需要工号")?,
        })
    }
    Start(Option<MeetingId>) {
        "开始", "start", args: "[id]", "开始会议，进入第一项议程", example: "开始 12",
        Running, RunMeeting,
        |a| Ok(Command::Start(a.meeting()))
    }
    Next {
        "下一项", "next", args: "", "结束当前议程，进入下一项", example: "下一项",
        Running, RunMeeting,
        |_| Ok(Command::Next)
    }
    End {
        "结束", "end", args: "", "结束会议并汇总出席", example: "结束", Running, RunMeeting,
        |_| Ok(Command::End)
    }
    Ask { meeting: Option<MeetingId>, text: String } {
        "提问", "ask", args: "[#id] <内容>", "会中向主持人提问", example: "提问 #12 预算包含外包费用吗",
        Running, Person,
        |a| Ok(Command::Ask { meeting: a.input.explicit_meeting_id(), text: a.text("需要提问的内容")? })
    }
    AskAnonymously { meeting: Option<MeetingId>, text: String } {
        "匿名提问", "ask-anonymous", args: "[#id] <内容>", "会中匿名提问（不显示你的名字）",
        example: "匿名提问 #12 能否延期一周", Running, Person,
        |a| Ok(Command::AskAnonymously {
            meeting: a.input.explicit_meeting_id(),
            text: a.text("需要提问的内容")?,
        })
    }
    Questions(Option<MeetingId>) {
        "问题", "questions", args: "[id]", "本会议的提问，未答复的标出", example: "问题 12",
        Running, Record,
        |a| Ok(Command::Questions(a.meeting()))
    }
    Answer { question: QuestionId, text: String } {
        "答复", "answer", args: "<提问号> [内容]", "答复一条提问（写了内容就发给提问人）",
        example: "答复 3 下周给出预算明细", Running, Record,
        |a| Ok(Command::Answer { question: a.number("需要提问号")?, text: a.input.rest() })
    }
    Asker { question: QuestionId } {
        "谁提问", "asker", args: "<提问号>", "谁提的问题（含匿名提问；仅保密管理组，留审计记录）",
        example: "谁提问 3", Running, Oversee,
        |a| Ok(Command::Asker { question: a.number("需要提问号")? })
    }
    Audit(Option<MeetingId>) {
        "审计", "audit", args: "[id]", "谁在何时通过何处查看或修改了会议（仅保密管理组，留审计记录）",
        example: "审计 12", Running, Oversee,
        |a| Ok(Command::Audit(a.meeting()))
    }
    AskHelp { meeting: Option<MeetingId>, text: String } {
        "求助", "sos", args: "[#id] <内容>", "会场求助（设备、后勤），即时通知信息技术支持和会务组",
        example: "求助 投影仪没有信号", Running, Person,
        |a| Ok(Command::AskHelp { meeting: a.input.explicit_meeting_id(), text: a.text("需要求助的内容")? })
    }
    TakeHelp { help: HelpRequestId } {
        "处理", "take", args: "<求助号>", "接手一条现场求助", example: "处理 5", Running, Support,
        |a| Ok(Command::TakeHelp { help: a.number("需要求助号")? })
    }
    HelpResolved { help: HelpRequestId } {
        "已解决", "resolved", args: "<求助号>", "求助已解决，告知求助人", example: "已解决 5",
        Running, Support,
        |a| Ok(Command::HelpResolved { help: a.number("需要求助号")? })
    }
    Note { meeting: Option<MeetingId>, text: String } {
        "记录", "note", args: "[#id] <内容>", "记入当前议程的纪要", example: "记录 #12 预算需再核",
        Minutes, Record,
        |a| Ok(Command::Note { meeting: a.input.explicit_meeting_id(), text: a.text("需要记录的内容")? })
    }
    Decision { meeting: Option<MeetingId>, text: String } {
        "决议", "decision", args: "[#id] <内容>", "记录一项决议", example: "决议 #12 通过预算方案",
        Minutes, Record,
        |a| Ok(Command::Decision {
            meeting: a.input.explicit_meeting_id(),
            text: a.text("需要决议的内容")?,
        })
    }
    Task { meeting: Option<MeetingId>, owner: String, due: NaiveDate, title: String } {
        "任务", "task", args: "[#id] <工号或姓名> <截止日期> <内容>",
        "布置任务（日期如 12-01、明天、周五）", example: "任务 #12 E1002 周五 提交预算表",
        Minutes, Record,
        |a| {
            let meeting = a.input.explicit_meeting_id();
            let owner = a.word("需要负责人的工号或姓名")?;
            let today = a.today;
            let due = a.input.word().and_then(|w| parse_due(&w, today)).ok_or(a.usage(
                "截止日期看不懂（可写 2026-12-01、12-01、12月1日、明天、周五、下周一）",
            ))?;
            let title = a.text("需要任务内容")?;
            Ok(Command::Task { meeting, owner, due, title })
        }
    }
    PublishMinutes(Option<MeetingId>) {
        "发布纪要", "publish", args: "[id]", "发布纪要并发给参会人", example: "发布纪要 12",
        Minutes, Record,
        |a| Ok(Command::PublishMinutes(a.meeting()))
    }
    Minutes(Option<MeetingId>) {
        "纪要", "minutes", args: "[id]", "查看会议纪要", example: "纪要 12", Tasks, Person,
        |a| Ok(Command::Minutes(a.meeting()))
    }
    Tasks {
        "待办", "tasks", args: "", "我的未完成任务，逾期在前", example: "待办", Tasks, Person,
        |_| Ok(Command::Tasks)
    }
    Progress { task: ActionItemId, text: String } {
        "进展", "progress", args: "<任务号> <内容>", "汇报任务进展", example: "进展 7 已完成初稿",
        Tasks, Person,
        |a| Ok(Command::Progress { task: a.task_no()?, text: a.text("需要进展内容")? })
    }
    Done { task: ActionItemId } {
        "完成", "done", args: "<任务号>", "标记任务完成", example: "完成 7", Tasks, Person,
        |a| Ok(Command::Done { task: a.task_no()? })
    }
    Feedback { meeting: Option<MeetingId>, rating: Rating, comment: String } {
        "反馈", "feedback", args: "[id] <1-5> [意见]", "会后评分与意见",
        example: "反馈 12 5 很高效", Tasks, Person,
        |a| {
            // `反馈 5 …` rates the only candidate meeting; `反馈 12 5 …` and `反馈 #12 5 …`
            // name it: a leading number is the meeting only when a rating follows it.
            let meeting = a.rated_meeting();
            let rating = a.word("需要 1-5 的评分")?;
            let rating = rating.parse().map_err(|_| a.usage("评分是 1 到 5 的整数"))?;
            Ok(Command::Feedback { meeting, rating, comment: a.input.rest() })
        }
    }
}

/// Why a message is not a command, with what to send instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseError {
    Unknown {
        typed: String,
        closest: Option<&'static CommandSpec>,
    },
    Usage {
        spec: &'static CommandSpec,
        problem: &'static str,
    },
    /// The message holds a character nothing can store (NUL).
    Unstorable,
}

impl PartialEq for CommandSpec {
    fn eq(&self, other: &Self) -> bool {
        self.zh == other.zh
    }
}

impl Eq for CommandSpec {}

impl std::fmt::Debug for CommandSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.zh)
    }
}

impl Command {
    /// Reads a text message; `today` (local) anchors relative due dates.
    pub fn parse(text: &str, today: NaiveDate) -> Result<Command, ParseError> {
        if text.contains('\0') {
            return Err(ParseError::Unstorable);
        }
        let spec = Self::spec_for(text).ok_or_else(|| ParseError::Unknown {
            typed: Input::first_word(text),
            closest: closest(&Input::first_word(text)),
        })?;
        let mut input = Input::new(text);
        // Matches again to move past the keyword.
        let _ = input.keyword(spec.zh) || input.keyword(spec.en);
        (spec.parse)(&mut Args { input, spec, today })
    }

    /// The table entry whose name (Chinese or English) starts the text; the longest wins, so
    /// 发布纪要 beats 纪要 and meetings beats meeting.
    fn spec_for(text: &str) -> Option<&'static CommandSpec> {
        COMMANDS
            .iter()
            .flat_map(|s| [(s, s.zh), (s, s.en)])
            .filter(|(_, name)| Input::new(text).keyword(name))
            .max_by_key(|(_, name)| name.chars().count())
            .map(|(s, _)| s)
    }
}

/// The command whose name is nearest to what was typed, if any is near.
fn closest(typed: &str) -> Option<&'static CommandSpec> {
    let typed = typed.to_lowercase();
    if typed.is_empty() {
        return None;
    }
    COMMANDS
        .iter()
        .flat_map(|s| [(s, s.zh), (s, s.en)])
        .map(|(s, name)| (s, strsim::normalized_levenshtein(&typed, name)))
        .filter(|(_, score)| *score >= 0.4)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(s, _)| s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
    }

    fn parse(text: &str) -> Result<Command, ParseError> {
        Command::parse(text, today())
    }

    fn id(n: i64) -> Option<MeetingId> {
        MeetingId::new(n).ok()
    }

    #[test]
    fn chinese_and_english_forms_parse_to_the_same_command() {
        let pairs = [
            ("帮助", "HELP"),
            ("我的会议", "Meetings"),
            ("确认 12", "accept #12"),
            ("待定12", "maybe 12"),
            ("签到　１２", "checkin 12"),
            ("下一项", "next"),
            ("发布纪要 3", "publish 3"),
            ("待办", "tasks"),
        ];
        for (zh, en) in pairs {
            assert_eq!(parse(zh), parse(en), "{zh} vs {en}");
            assert!(parse(zh).is_ok(), "{zh}");
        }
        assert_eq!(parse("会议"), Ok(Command::Meeting(None)));
        assert_eq!(parse("纪要 ＃３"), Ok(Command::Minutes(id(3))));
    }

    #[test]
    fn arguments_are_read_with_free_text_kept() {
        assert_eq!(
            parse("请假 12，临时出差"),
            Ok(Command::Decline {
                meeting: id(12),
                which: Which::Next,
                reason: "临时出差".into()
            })
        );
        assert_eq!(
            parse("请假 12-08 出差"),
            Ok(Command::Decline {
                meeting: None,
                which: Which::On(NaiveDate::from_ymd_opt(2026, 12, 8).unwrap()),
                reason: "出差".into()
            })
        );
        assert_eq!(
            parse("确认 12 全部"),
            Ok(Command::Accept {
                meeting: id(12),
                which: Which::All
            })
        );
        assert_eq!(
            parse("decline 3点有课"),
            Ok(Command::Decline {
                meeting: None,
                which: Which::Next,
                reason: "3点有课".into()
            })
        );
        assert_eq!(
            parse("任务 E1002 周五 提交 预算表"),
            Ok(Command::Task {
                meeting: None,
                owner: "E1002".into(),
                due: NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
                title: "提交 预算表".into()
            })
        );
        assert_eq!(
            parse("进展 #7 初稿完成"),
            Ok(Command::Progress {
                task: ActionItemId::new(7).unwrap(),
                text: "初稿完成".into()
            })
        );
        assert_eq!(
            parse("反馈 5 很好"),
            Ok(Command::Feedback {
                meeting: None,
                rating: Rating::try_from(5).unwrap(),
                comment: "很好".into()
            })
        );
        assert_eq!(
            parse("反馈 12 ４"),
            Ok(Command::Feedback {
                meeting: id(12),
                rating: Rating::try_from(4).unwrap(),
                comment: String::new()
            })
        );
        assert_eq!(
            parse("委托 12 E1002"),
            Ok(Command::Delegate {
                meeting: id(12),
                colleague: "E1002".into()
            })
        );
    }

    #[test]
    fn a_character_no_database_can_store_is_refused_before_anything_is_tried() {
        assert_eq!(parse("记录 a\u{0}b"), Err(ParseError::Unstorable));
    }

    #[test]
    fn missing_or_bad_arguments_name_the_usage() {
        for (text, zh) in [
            ("请假 12", "请假"),
            ("绑定", "绑定"),
            ("任务 E1 someday 写报告", "任务"),
            ("任务 E1 明天", "任务"),
            ("进展 abc 写了", "进展"),
            ("完成", "完成"),
            ("反馈 12 9", "反馈"),
            ("记录", "记录"),
        ] {
            match parse(text) {
                Err(ParseError::Usage { spec, .. }) => assert_eq!(spec.zh, zh, "{text}"),
                other => panic!("{text}: {other:?}"),
            }
        }
    }

    #[test]
    fn unknown_text_suggests_the_closest_command() {
        match parse("acept 12") {
            Err(ParseError::Unknown { typed, closest }) => {
                assert_eq!(typed, "acept");
                assert_eq!(closest.map(|s| s.zh), Some("确认"));
            }
            other => panic!("{other:?}"),
        }
        match parse("metings") {
            Err(ParseError::Unknown { closest, .. }) => {
                assert_eq!(closest.map(|s| s.zh), Some("我的会议"))
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            parse("今天天气不错"),
            Err(ParseError::Unknown { closest: None, .. })
        ));
    }

    #[test]
    fn every_example_in_the_table_parses_as_its_own_command() {
        for spec in COMMANDS {
            let parsed = parse(spec.example).unwrap_or_else(|e| panic!("{}: {e:?}", spec.zh));
            assert_eq!(
                Command::spec_for(spec.example).map(|s| s.zh),
                Some(spec.zh),
                "{} parsed as {parsed:?}",
                spec.example
            );
        }
    }
}
