//! What a message in the outbox is: the kind picks the Official Account template and names
//! the message in delivery reports. Adding one is a variant here and its wording where it is
//! sent.

super::stored::named_enum! {
    pub enum NoticeKind ("notice kind") {
        Invitation = "invitation",
        Cancellation = "cancellation",
        Minutes = "minutes",
        Delegation = "delegation",
        /// To someone taken off the invitation list: the meeting goes on without them.
        Uninvited = "uninvited",
        /// To the informed (抄送) on publishing: for information, no answer asked.
        Informed = "informed",
        Preparation = "preparation",
        Change = "change",
        Reminder = "reminder",
        RsvpChase = "rsvp_chase",
        AttendanceSummary = "attendance_summary",
        CheckinMissing = "checkin_missing",
        MinutesDue = "minutes_due",
        TimeControl = "time_control",
        FeedbackRequest = "feedback_request",
        FeedbackReport = "feedback_report",
        TaskAssigned = "task_assigned",
        TaskReminder = "task_reminder",
        TaskEscalation = "task_escalation",
        WeeklyDigest = "weekly_digest",
        /// A WeCom card's buttons replaced by the answer given.
        CardUpdate = "card_update",
        /// A chat reply that missed WeChat's deadline, sent as a customer-service message.
        ReplyLater = "reply_later",
    }
}

impl NoticeKind {
    /// Whether an Official Account template may carry it (`wechat.templates.<kind>`): the
    /// last two are answers in a conversation, never templates.
    pub fn takes_template(self) -> bool {
        !matches!(self, NoticeKind::CardUpdate | NoticeKind::ReplyLater)
    }
}
