//! What a message in the outbox is: the kind picks the Official Account template and names
//! the message in delivery reports. A notice about a meeting (`Notice`, with what it needs to
//! say) and its kind are declared together below; adding one is an entry there and its wording
//! (`notify::notices`). Kinds sent by the scheduler or in a conversation are the second list.

/// `Notice` (with its data) and `NoticeKind` (names only, for every message) from one list.
macro_rules! notices {
    (
        about_a_meeting {
            $( $(#[$m:meta])* $variant:ident $({ $($field:ident : $ty:ty),* $(,)? })? = $name:literal, )*
        }
        other {
            $( $(#[$om:meta])* $other:ident = $other_name:literal, )*
        }
    ) => {
        /// A notice about a meeting, queued for its recipients by `notify::notices::queue`.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum Notice {
            $( $(#[$m])* $variant $({ $($field: $ty),* })?, )*
        }

        impl Notice {
            /// Stored as the outbox row's kind and used to pick the template.
            pub fn kind(&self) -> NoticeKind {
                match self {
                    $( Notice::$variant { .. } => NoticeKind::$variant, )*
                }
            }
        }

        super::stored::named_enum! {
            pub enum NoticeKind ("notice kind") {
                $( $(#[$m])* $variant = $name, )*
                $( $(#[$om])* $other = $other_name, )*
            }
        }
    };
}

notices! {
    about_a_meeting {
        /// The meeting was published (or the person was added after publishing).
        Invitation = "invitation",
        Cancellation { reason: String } = "cancellation",
        /// The minutes were published.
        Minutes = "minutes",
        /// Someone asked this person to attend in their place.
        Delegation { by: String } = "delegation",
        /// To someone taken off the invitation list: the meeting goes on without them.
        Uninvited = "uninvited",
        /// To the informed (抄送) on publishing: for information, no answer asked.
        Informed = "informed",
        /// To logistics and IT support on publishing: room, time, headcount, equipment.
        Preparation = "preparation",
        /// A published meeting changed: each entry reads "时间：old → new".
        Change { changes: Vec<String> } = "change",
        /// A recurring meeting (例会) was published: one invitation for the series, about its
        /// first occurrence, `pattern` saying when it recurs.
        SeriesInvitation { pattern: String } = "series_invitation",
        /// The series ended: its occurrences on `dates` are cancelled, in one message.
        SeriesEnded { reason: String, dates: Vec<String> } = "series_ended",
        /// To the agenda owners of the next occurrence: topics the last one never reached.
        Unreached { topics: Vec<String> } = "unreached_topics",
        /// To the hosts and organizers: an occurrence made by the scheduler stays a draft
        /// (its room is taken that day).
        OccurrenceHeld { date: String, problem: String } = "occurrence_held",
    }
    other {
        Reminder = "reminder",
        RsvpChase = "rsvp_chase",
        AttendanceSummary = "attendance_summary",
        CheckinMissing = "checkin_missing",
        /// To the hosts and organizers: the meeting has not started by start + grace.
        LateStart = "late_start",
        /// To the confidentiality officers after a confidential meeting: who read it, how.
        ReadDigest = "read_digest",
        MinutesDue = "minutes_due",
        TimeControl = "time_control",
        FeedbackRequest = "feedback_request",
        FeedbackReport = "feedback_report",
        TaskAssigned = "task_assigned",
        TaskReminder = "task_reminder",
        TaskEscalation = "task_escalation",
        WeeklyDigest = "weekly_digest",
        /// Last month's continuous-improvement summary, to the admins.
        MonthlyReport = "monthly_report",
        /// To the owner of a checklist item made or added (a WeCom card with a 完成 button).
        ChecklistAssigned = "checklist_assigned",
        /// How ready the meeting is (the preparation checklist), to the host and organizers.
        Readiness = "readiness",
        /// To the owner of a checklist item not done by its due time.
        ChecklistOverdue = "checklist_overdue",
        /// A participant's question, to the host and recorders as it is asked.
        Question = "question",
        /// An answer, to whoever asked.
        QuestionAnswered = "question_answered",
        /// A topic proposed for the agenda, to its agenda owners (or hosts).
        TopicProposed = "topic_proposed",
        /// To the proposer: accepted into the agenda, or declined with the reason.
        TopicDecided = "topic_decided",
        /// A decision put to those present (a WeCom card with 同意 / 异议).
        DecisionVote = "decision_vote",
        /// Help asked on site, to IT support and organizers at once (quiet hours or not).
        HelpRequest = "help_request",
        /// To the others who got a help request: who took it; and to the person who asked.
        HelpTaken = "help_taken",
        /// To the person who asked: it is resolved.
        HelpResolved = "help_resolved",
        /// A WeCom card's buttons replaced by the answer given.
        CardUpdate = "card_update",
        /// A chat reply that missed WeChat's deadline, sent as a customer-service message.
        ReplyLater = "reply_later",
    }
}

impl NoticeKind {
    /// What the message is, in the console's reports.
    pub fn label_zh(self) -> &'static str {
        match self {
            NoticeKind::Invitation => "会议邀请",
            NoticeKind::Cancellation => "取消通知",
            NoticeKind::Minutes => "纪要发布",
            NoticeKind::Delegation => "委托参会",
            NoticeKind::Uninvited => "移出通知",
            NoticeKind::Informed => "抄送通知",
            NoticeKind::Preparation => "会务准备",
            NoticeKind::Change => "变更通知",
            NoticeKind::SeriesInvitation => "例会邀请",
            NoticeKind::SeriesEnded => "例会结束",
            NoticeKind::Unreached => "议题顺延",
            NoticeKind::OccurrenceHeld => "例会排期冲突",
            NoticeKind::Reminder => "会前提醒",
            NoticeKind::RsvpChase => "回复催办",
            NoticeKind::AttendanceSummary => "出席预估",
            NoticeKind::CheckinMissing => "未签到提醒",
            NoticeKind::LateStart => "未准时开始",
            NoticeKind::ReadDigest => "阅读记录汇总",
            NoticeKind::MinutesDue => "纪要催办",
            NoticeKind::TimeControl => "议程控时",
            NoticeKind::FeedbackRequest => "反馈邀请",
            NoticeKind::FeedbackReport => "反馈汇总",
            NoticeKind::TaskAssigned => "任务布置",
            NoticeKind::TaskReminder => "任务提醒",
            NoticeKind::TaskEscalation => "任务逾期上报",
            NoticeKind::WeeklyDigest => "每周待办",
            NoticeKind::MonthlyReport => "月度改进报告",
            NoticeKind::Question => "会中提问",
            NoticeKind::QuestionAnswered => "提问答复",
            NoticeKind::TopicProposed => "议题征集",
            NoticeKind::TopicDecided => "议题结果",
            NoticeKind::DecisionVote => "决议表态",
            NoticeKind::HelpRequest => "现场求助",
            NoticeKind::HelpTaken => "求助已接手",
            NoticeKind::HelpResolved => "求助已解决",
            NoticeKind::ChecklistAssigned => "筹备清单",
            NoticeKind::Readiness => "筹备进度",
            NoticeKind::ChecklistOverdue => "清单逾期",
            NoticeKind::CardUpdate => "卡片更新",
            NoticeKind::ReplyLater => "延迟回复",
        }
    }

    /// Whether an Official Account template may carry it (`wechat.templates.<kind>`): the
    /// last two are answers in a conversation, never templates.
    pub fn takes_template(self) -> bool {
        !matches!(self, NoticeKind::CardUpdate | NoticeKind::ReplyLater)
    }
}

#[cfg(test)]
mod tests {
    use super::NoticeKind;

    #[test]
    fn every_kind_has_a_label_of_its_own() {
        let mut labels: Vec<&str> = NoticeKind::ALL.iter().map(|k| k.label_zh()).collect();
        labels.sort_unstable();
        labels.dedup();
        assert_eq!(labels.len(), NoticeKind::ALL.len());
    }
}
