//! Chat commands: one typed enum, parsed in one place from one table. The help text and the
//! "did you mean" hints come from the same table, so they cannot drift from the parser.

use super::dates::parse_due;
use super::input::Input;
use crate::meetings::feedback::Rating;
use crate::meetings::MeetingId;
use chrono::NaiveDate;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Help,
    Bind {
        employee_no: String,
    },
    Meetings,
    Meeting(Option<MeetingId>),
    Accept(Option<MeetingId>),
    Maybe(Option<MeetingId>),
    Decline {
        meeting: Option<MeetingId>,
        reason: String,
    },
    Delegate {
        meeting: Option<MeetingId>,
        employee_no: String,
    },
    CheckIn(Option<MeetingId>),
    CheckInFor {
        employee_no: String,
    },
    Agenda(Option<MeetingId>),
    Start(Option<MeetingId>),
    Next,
    End,
    Note(String),
    Decision(String),
    Task {
        owner: String,
        due: NaiveDate,
        title: String,
    },
    PublishMinutes(Option<MeetingId>),
    Minutes(Option<MeetingId>),
    Tasks,
    Progress {
        task: i64,
        text: String,
    },
    Done {
        task: i64,
    },
    Feedback {
        meeting: Option<MeetingId>,
        rating: Rating,
        comment: String,
    },
}

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
            Group::Running => "会中（主持人、会务组）",
            Group::Minutes => "纪要（记录员、主持人）",
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
    /// Hosts, organizers and recorders of a meeting that is not closed.
    Runner,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Help,
    Bind,
    Meetings,
    Meeting,
    Accept,
    Maybe,
    Decline,
    Delegate,
    CheckIn,
    CheckInFor,
    Agenda,
    Start,
    Next,
    End,
    Note,
    Decision,
    Task,
    PublishMinutes,
    Minutes,
    Tasks,
    Progress,
    Done,
    Feedback,
}

pub struct CommandSpec {
    kind: Kind,
    pub zh: &'static str,
    pub en: &'static str,
    pub args: &'static str,
    pub summary: &'static str,
    pub example: &'static str,
    pub group: Group,
    pub audience: Audience,
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

macro_rules! spec {
    ($kind:ident, $zh:literal, $en:literal, $args:literal, $summary:literal, $example:literal, $group:ident, $aud:ident) => {
        CommandSpec {
            kind: Kind::$kind,
            zh: $zh,
            en: $en,
            args: $args,
            summary: $summary,
            example: $example,
            group: Group::$group,
            audience: Audience::$aud,
        }
    };
}

pub static COMMANDS: &[CommandSpec] = &[
    spec!(
        Help,
        "帮助",
        "help",
        "",
        "查看可用命令",
        "帮助",
        Account,
        Everyone
    ),
    spec!(
        Bind,
        "绑定",
        "bind",
        "<工号>",
        "把微信绑定到你的工号",
        "绑定 E1001",
        Account,
        Unbound
    ),
    spec!(
        Meetings,
        "我的会议",
        "meetings",
        "",
        "即将召开的会议",
        "我的会议",
        Meetings,
        Person
    ),
    spec!(
        Meeting,
        "会议",
        "meeting",
        "[id]",
        "会议详情",
        "会议 12",
        Meetings,
        Person
    ),
    spec!(
        Accept,
        "确认",
        "accept",
        "[id]",
        "确认参加",
        "确认 12",
        Meetings,
        Person
    ),
    spec!(
        Maybe,
        "待定",
        "maybe",
        "[id]",
        "暂时待定",
        "待定 12",
        Meetings,
        Person
    ),
    spec!(
        Decline,
        "请假",
        "decline",
        "[id] <原因>",
        "请假（需说明原因）",
        "请假 12 出差",
        Meetings,
        Person
    ),
    spec!(
        Delegate,
        "委托",
        "delegate",
        "[id] <工号>",
        "委托他人代为参会",
        "委托 12 E1002",
        Meetings,
        Person
    ),
    spec!(
        CheckIn,
        "签到",
        "checkin",
        "[id]",
        "文字签到（会议允许时）",
        "签到 12",
        Meetings,
        Person
    ),
    spec!(
        Agenda,
        "议程",
        "agenda",
        "[id]",
        "议程与当前进度",
        "议程 12",
        Meetings,
        Person
    ),
    spec!(
        CheckInFor,
        "代签",
        "checkin-for",
        "<工号>",
        "为他人签到",
        "代签 E1002",
        Running,
        Runner
    ),
    spec!(
        Start,
        "开始",
        "start",
        "[id]",
        "开始会议，进入第一项议程",
        "开始 12",
        Running,
        Runner
    ),
    spec!(
        Next,
        "下一项",
        "next",
        "",
        "结束当前议程，进入下一项",
        "下一项",
        Running,
        Runner
    ),
    spec!(
        End,
        "结束",
        "end",
        "",
        "结束会议并汇总出席",
        "结束",
        Running,
        Runner
    ),
    spec!(
        Note,
        "记录",
        "note",
        "<内容>",
        "记入当前议程的纪要",
        "记录 预算需再核",
        Minutes,
        Runner
    ),
    spec!(
        Decision,
        "决议",
        "decision",
        "<内容>",
        "记录一项决议",
        "决议 通过预算方案",
        Minutes,
        Runner
    ),
    spec!(
        Task,
        "任务",
        "task",
        "<工号或姓名> <截止日期> <内容>",
        "布置任务（日期如 12-01、明天、周五）",
        "任务 E1002 周五 提交预算表",
        Minutes,
        Runner
    ),
    spec!(
        PublishMinutes,
        "发布纪要",
        "publish",
        "[id]",
        "发布纪要并发给参会人",
        "发布纪要 12",
        Minutes,
        Runner
    ),
    spec!(
        Minutes,
        "纪要",
        "minutes",
        "[id]",
        "查看会议纪要",
        "纪要 12",
        Tasks,
        Person
    ),
    spec!(
        Tasks,
        "待办",
        "tasks",
        "",
        "我的未完成任务，逾期在前",
        "待办",
        Tasks,
        Person
    ),
    spec!(
        Progress,
        "进展",
        "progress",
        "<任务号> <内容>",
        "汇报任务进展",
        "进展 7 已完成初稿",
        Tasks,
        Person
    ),
    spec!(
        Done,
        "完成",
        "done",
        "<任务号>",
        "标记任务完成",
        "完成 7",
        Tasks,
        Person
    ),
    spec!(
        Feedback,
        "反馈",
        "feedback",
        "[id] <1-5> [意见]",
        "会后评分与意见",
        "反馈 12 5 很高效",
        Tasks,
        Person
    ),
];

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
}

impl PartialEq for CommandSpec {
    fn eq(&self, other: &Self) -> bool {
        self.kind == other.kind
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
        let spec = Self::spec_for(text).ok_or_else(|| ParseError::Unknown {
            typed: Input::first_word(text),
            closest: closest(&Input::first_word(text)),
        })?;
        let mut input = Input::new(text);
        // Matches again to move past the keyword.
        let _ = input.keyword(spec.zh) || input.keyword(spec.en);
        let usage = |problem| ParseError::Usage { spec, problem };
        let nonempty = |s: String, problem| {
            if s.is_empty() {
                Err(usage(problem))
            } else {
                Ok(s)
            }
        };
        let task_no = |w: Option<String>| {
            w.and_then(|w| w.trim_start_matches('#').parse::<i64>().ok())
                .filter(|n| *n > 0)
                .ok_or(usage("需要任务号"))
        };
        Ok(match spec.kind {
            Kind::Help => Command::Help,
            Kind::Bind => Command::Bind {
                employee_no: input.word().ok_or(usage("需要工号"))?,
            },
            Kind::Meetings => Command::Meetings,
            Kind::Meeting => Command::Meeting(input.meeting_id()),
            Kind::Accept => Command::Accept(input.meeting_id()),
            Kind::Maybe => Command::Maybe(input.meeting_id()),
            Kind::Decline => Command::Decline {
                meeting: input.meeting_id(),
                reason: nonempty(input.rest(), "请说明请假原因")?,
            },
            Kind::Delegate => Command::Delegate {
                meeting: input.meeting_id(),
                employee_no: input.word().ok_or(usage("需要被委托人的工号"))?,
            },
            Kind::CheckIn => Command::CheckIn(input.meeting_id()),
            Kind::CheckInFor => Command::CheckInFor {
                employee_no: input.word().ok_or(usage("需要工号"))?,
            },
            Kind::Agenda => Command::Agenda(input.meeting_id()),
            Kind::Start => Command::Start(input.meeting_id()),
            Kind::Next => Command::Next,
            Kind::End => Command::End,
            Kind::Note => Command::Note(nonempty(input.rest(), "需要记录的内容")?),
            Kind::Decision => Command::Decision(nonempty(input.rest(), "需要决议的内容")?),
            Kind::Task => {
                let owner = input.word().ok_or(usage("需要负责人的工号或姓名"))?;
                let due = input
                    .word()
                    .and_then(|w| parse_due(&w, today))
                    .ok_or(usage(
                        "截止日期看不懂（可写 2026-12-01、12-01、12月1日、明天、周五、下周一）",
                    ))?;
                let title = nonempty(input.rest(), "需要任务内容")?;
                Command::Task { owner, due, title }
            }
            Kind::PublishMinutes => Command::PublishMinutes(input.meeting_id()),
            Kind::Minutes => Command::Minutes(input.meeting_id()),
            Kind::Tasks => Command::Tasks,
            Kind::Progress => Command::Progress {
                task: task_no(input.word())?,
                text: nonempty(input.rest(), "需要进展内容")?,
            },
            Kind::Done => Command::Done {
                task: task_no(input.word())?,
            },
            Kind::Feedback => {
                let first = input.word().ok_or(usage("需要 1-5 的评分"))?;
                // `反馈 5 …` rates the only candidate meeting; `反馈 12 5 …` names it.
                let (meeting, rating) = match first.parse::<Rating>() {
                    Ok(rating) => (None, rating),
                    Err(_) => {
                        let meeting = first.parse().map_err(|_| usage("需要 1-5 的评分"))?;
                        let rating = input
                            .word()
                            .and_then(|w| w.parse().ok())
                            .ok_or(usage("评分是 1 到 5 的整数"))?;
                        (Some(meeting), rating)
                    }
                };
                Command::Feedback {
                    meeting,
                    rating,
                    comment: input.rest(),
                }
            }
        })
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
                reason: "临时出差".into()
            })
        );
        assert_eq!(
            parse("decline 3点有课"),
            Ok(Command::Decline {
                meeting: None,
                reason: "3点有课".into()
            })
        );
        assert_eq!(
            parse("任务 E1002 周五 提交 预算表"),
            Ok(Command::Task {
                owner: "E1002".into(),
                due: NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
                title: "提交 预算表".into()
            })
        );
        assert_eq!(
            parse("进展 #7 初稿完成"),
            Ok(Command::Progress {
                task: 7,
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
                employee_no: "E1002".into()
            })
        );
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
                Command::spec_for(spec.example).map(|s| s.kind),
                Some(spec.kind),
                "{} parsed as {parsed:?}",
                spec.example
            );
        }
    }
}
