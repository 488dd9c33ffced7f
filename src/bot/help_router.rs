use super::{RouteFuture, Router};
use crate::wechat::{Event, Inbound, InboundKind, Reply};

/// Answers every text message and the HELP menu click with what huiwu is, and welcomes new
/// followers. Meeting commands are not wired to chat yet; this router says so.
pub struct HelpRouter;

pub const HELP_TEXT: &str = "你好，这里是会务助手 huiwu。\n\
会议通知、确认、签到和纪要将在这里进行；聊天命令（我的会议、确认、请假、签到等）尚未开放，\
开放后发送「帮助」即可查看。";

const WELCOME_TEXT: &str = "欢迎关注会务助手 huiwu！";

impl Router for HelpRouter {
    fn route(&self, message: Inbound) -> RouteFuture {
        let reply = match &message.kind {
            InboundKind::Text { .. } => Some(Reply::text(HELP_TEXT)),
            InboundKind::Event(Event::Click { key }) if key == "HELP" => {
                Some(Reply::text(HELP_TEXT))
            }
            InboundKind::Event(Event::Subscribe { .. }) => {
                Some(Reply::text(format!("{WELCOME_TEXT}\n{HELP_TEXT}")))
            }
            _ => None,
        };
        Box::pin(std::future::ready(reply))
    }
}
