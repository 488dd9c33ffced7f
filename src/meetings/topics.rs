//! Topics (议题): proposed by participants before a meeting, then accepted into the agenda with
//! a time box or declined with a reason, once.

super::stored::named_enum! {
    pub enum TopicStatus ("topic status") {
        Proposed = "proposed",
        Accepted = "accepted",
        Declined = "declined",
    }
}

impl TopicStatus {
    pub fn label_zh(self) -> &'static str {
        match self {
            TopicStatus::Proposed => "待定",
            TopicStatus::Accepted => "已采纳",
            TopicStatus::Declined => "未采纳",
        }
    }
}
