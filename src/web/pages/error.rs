//! Everything a page can refuse, as a Chinese page with a 4xx (or 503) status: the one place
//! page errors become HTTP.

use super::layout;
use crate::db::DbError;
use crate::meetings::DomainError;
use crate::ops::OpsError;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};

#[derive(Debug, thiserror::Error)]
pub enum PageError {
    /// Unknown, a draft, or confidential and not the reader's: one and the same page.
    #[error("not found")]
    NotFound,
    /// A person or room (named in words) that does not exist.
    #[error("{0} not found")]
    Missing(&'static str),
    #[error("form without a valid CSRF token")]
    Csrf,
    #[error("login state unknown, used or expired")]
    StaleLogin,
    /// A console sign-in link (`后台`) already used or past its 5 minutes.
    #[error("console link used or expired")]
    StaleConsoleLink,
    /// Inside WeChat or WeCom without a session: off to the silent authorisation (a URL), with
    /// the cookie that ties the login to this browser.
    #[error("to be authorised first")]
    Authorize(String, Box<actix_web::cookie::Cookie<'static>>),
    /// Too many tries from one client address (admin token, screen keys, bind codes).
    #[error("too many tries")]
    TooManyTries,
    #[error("opened outside WeChat and WeCom")]
    OutsideWeChat,
    #[error("room screen without its current key")]
    ScreenKey,
    #[error("the console is for admins and organizers")]
    NotConsoleUser,
    /// A form or query the page cannot take, in words for the reader.
    #[error("bad input: {0}")]
    BadInput(String),
    /// The session ended (signed out, rebound, flags changed, deactivated) or expired.
    #[error("the session has ended")]
    SignedOut,
    #[error("the reader is not linked to a person")]
    Unbound,
    #[error("WeChat could not say who the reader is: {0}")]
    Upstream(String),
    #[error("refused: {0}")]
    Refused(OpsError),
    #[error("storage unavailable: {0}")]
    Storage(DbError),
}

impl From<DbError> for PageError {
    fn from(e: DbError) -> Self {
        PageError::Storage(e)
    }
}

impl From<OpsError> for PageError {
    fn from(e: OpsError) -> Self {
        match e {
            OpsError::MeetingNotFound => PageError::NotFound,
            OpsError::RoomNotFound => PageError::Missing("会议室"),
            OpsError::NotStaff => PageError::NotConsoleUser,
            OpsError::Db(e) => PageError::Storage(e),
            e => PageError::Refused(e),
        }
    }
}

impl PageError {
    fn text(&self) -> (&'static str, String) {
        match self {
            PageError::NotFound => ("找不到会议", "会议不存在，或你无权查看。".into()),
            PageError::Missing(what) => ("找不到", format!("这个{what}不存在。")),
            PageError::Csrf => ("页面已过期", "请返回会议页面刷新后再试。".into()),
            PageError::StaleLogin => (
                "登录已失效",
                "这个登录链接已经用过或已过期，请从消息中重新打开会议页面。".into(),
            ),
            PageError::StaleConsoleLink => (
                "登录已失效",
                "这个后台登录链接已经用过或已超过 5 分钟，请在公众号或企业微信中重新发送「后台」获取新链接。".into(),
            ),
            PageError::OutsideWeChat => (
                "请在微信中打开",
                "此页面需要在微信或企业微信中打开，以便确认你的身份。".into(),
            ),
            PageError::SignedOut => (
                "登录已结束",
                "你的登录已结束（已退出、绑定或权限有变化，或账号已停用），请从消息中重新打开页面。".into(),
            ),
            PageError::NotConsoleUser => (
                "无权进入后台",
                "会务后台只对管理员和会务组开放：请在公众号或企业微信中发送「后台」获取登录链接（首次设置时，管理员可在 /console/sign-in 用管理令牌登录）。".into(),
            ),
            PageError::ScreenKey => (
                "屏幕未授权",
                "这个屏幕链接无效或已被收回，请向管理员索取新的链接。".into(),
            ),
            PageError::Unbound => (
                "尚未绑定",
                "你的微信还没有绑定工号：请在公众号中发送「绑定 工号」，例如：绑定 E1001，然后重新打开此页面。".into(),
            ),
            PageError::Upstream(_) => (
                "暂时无法确认身份",
                "微信暂时无法确认你的身份，请稍后重新打开。".into(),
            ),
            PageError::BadInput(text) => ("无法完成", text.clone()),
            PageError::Authorize(..) => ("正在确认身份", "正在跳转到微信授权……".into()),
            PageError::TooManyTries => ("尝试过于频繁", "尝试过于频繁，请稍后再试。".into()),
            PageError::Refused(e) => ("无法完成", refusal_zh(e)),
            PageError::Storage(_) => ("系统繁忙", "系统繁忙，请稍后再试。".into()),
        }
    }
}

/// An operation's refusal in the pages' words.
/// A field the operations refused, in words: ours are Chinese already; the operations'
/// English ones (written for the API) are said again for the fields the pages send.
fn field_zh(f: &crate::meetings::directory::FieldError) -> String {
    if !f.message.is_ascii() {
        return f.message.clone();
    }
    match f.field {
        "text" | "answer" => "请填写内容（不能为空，也不能太长）。".into(),
        "reason" => "请填写原因。".into(),
        "title" => "请填写标题（写在一行，不能太长）。".into(),
        "minutes" => "延长的分钟数是 1 到 60 的整数。".into(),
        other => format!("「{other}」填写有误。"),
    }
}

pub fn refusal_zh(e: &OpsError) -> String {
    match e {
        OpsError::PersonNotFound => "找不到这个工号。".into(),
        OpsError::PersonUnknown { said, did_you_mean } if did_you_mean.is_empty() => {
            format!("找不到「{said}」，请写工号或姓名。")
        }
        OpsError::PersonUnknown { said, did_you_mean } => format!(
            "找不到「{said}」，请写工号或姓名。你是不是要找：{}？",
            did_you_mean.join("、")
        ),
        OpsError::PersonAmbiguous(said) => format!("「{said}」有重名，请写工号。"),
        OpsError::NotInvited(who) => format!("{who} 不在这次会议的邀请名单中。"),
        OpsError::DelegateToSelf => "不能委托给自己。".into(),
        OpsError::Invalid(fields) => fields.iter().map(field_zh).collect::<Vec<_>>().join("；"),
        OpsError::QuestionNotFound(_) => "找不到这个提问。".into(),
        OpsError::AlreadyAnswered(_) => "这个提问已经答复过了。".into(),
        OpsError::DecisionNotFound(_) => "找不到这条决议。".into(),
        OpsError::DecisionClosed(_) => "这条决议已经结束表态。".into(),
        OpsError::NotPresent(_) => "签到后才能表态。".into(),
        OpsError::Rule(DomainError::NotRunning(s)) => {
            format!("会议{}，不能这样做。", s.label_zh())
        }
        OpsError::Rule(DomainError::NoItemRunning) => "议程已全部完成，没有进行中的议程项。".into(),
        OpsError::Rule(DomainError::MinutesNotWritable(s)) => {
            format!("会议{}，现在不能写纪要。", s.label_zh())
        }
        OpsError::Rule(DomainError::QuestionsClosed(_)) => "提问只能在会议进行中使用。".into(),
        OpsError::Rule(DomainError::HelpNotOpen) => "求助在会前 30 分钟到会议结束之间可用。".into(),
        OpsError::Rule(DomainError::DueInThePast) => "截止日期不能早于今天。".into(),
        OpsError::TaskNotFound(_) => "找不到这个任务。".into(),
        OpsError::ChecklistNotFound(_) => "找不到这个清单项。".into(),
        OpsError::ChecklistDone(_) => "这个清单项已经完成了。".into(),
        OpsError::Rule(DomainError::FeedbackNotOpen) => "会议结束后才能反馈。".into(),
        OpsError::Rule(DomainError::RatingOutOfRange) => "评分是 1 到 5。".into(),
        OpsError::Rule(DomainError::InvitationClosed(_)) => {
            "会议已开始或已结束，不能再回复邀请。".into()
        }
        OpsError::Rule(DomainError::ReasonRequired) => "请假需要填写原因。".into(),
        OpsError::Rule(DomainError::UnknownAnswer(_)) => "请选择确认参加、待定或请假。".into(),
        OpsError::Rule(DomainError::CheckinCodeExpired) => {
            "二维码已过期，请扫描会场屏幕上当前的二维码。".into()
        }
        OpsError::Rule(DomainError::ForgedCheckinCode) => {
            "这不是有效的签到码，请扫描会场屏幕上的二维码。".into()
        }
        OpsError::Rule(DomainError::CheckinClosed) => "会议已结束，签到已关闭。".into(),
        OpsError::Rule(DomainError::CheckinNotOpen(_)) => {
            "签到尚未开始（会前 30 分钟开放）。".into()
        }
        OpsError::Rule(DomainError::RoomConflict(other)) => {
            format!("会议室在这段时间已被会议 #{other} 占用（含前后间隔），请换时间或会议室。")
        }
        OpsError::Rule(DomainError::IllegalTransition { from, .. }) => {
            format!("会议{}，不能这样做。", from.label_zh())
        }
        OpsError::Frozen { status, .. } => format!("会议{}，不能再修改。", status.label_zh()),
        OpsError::NotStaff => "会务后台只对管理员和会务组开放。".into(),
        OpsError::Stale => {
            "会议在你打开表单之后已被修改：为免覆盖别人的修改，这次没有保存。请重新打开编辑页面。"
                .into()
        }
        OpsError::Rule(DomainError::NotAllowed(duty)) => {
            format!("只有{}可以这样做。", duty.holders_zh())
        }
        other => format!("无法完成此操作（{other}）。"),
    }
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        match self {
            PageError::NotFound | PageError::Missing(_) | PageError::ScreenKey => {
                StatusCode::NOT_FOUND
            }
            PageError::Csrf
            | PageError::Unbound
            | PageError::NotConsoleUser
            | PageError::SignedOut => StatusCode::FORBIDDEN,
            PageError::StaleLogin | PageError::StaleConsoleLink => StatusCode::BAD_REQUEST,
            PageError::Authorize(..) => StatusCode::FOUND,
            PageError::TooManyTries | PageError::Refused(OpsError::TooManyBindAttempts) => {
                StatusCode::TOO_MANY_REQUESTS
            }
            PageError::BadInput(_) => StatusCode::UNPROCESSABLE_ENTITY,
            PageError::Refused(OpsError::Rule(DomainError::NotAllowed(_))) => StatusCode::FORBIDDEN,
            PageError::OutsideWeChat => StatusCode::UNAUTHORIZED,
            PageError::Upstream(_) => StatusCode::BAD_GATEWAY,
            PageError::Refused(
                OpsError::PersonNotFound
                | OpsError::PersonUnknown { .. }
                | OpsError::PersonAmbiguous(_)
                | OpsError::Invalid(_),
            ) => StatusCode::UNPROCESSABLE_ENTITY,
            PageError::Refused(OpsError::Rule(
                DomainError::ReasonRequired
                | DomainError::RatingOutOfRange
                | DomainError::UnknownAnswer(_),
            )) => StatusCode::UNPROCESSABLE_ENTITY,
            PageError::Refused(OpsError::TaskNotFound(_) | OpsError::ChecklistNotFound(_)) => {
                StatusCode::NOT_FOUND
            }
            PageError::Refused(OpsError::Rule(DomainError::CheckinCodeExpired)) => StatusCode::GONE,
            PageError::Refused(OpsError::Rule(DomainError::ForgedCheckinCode)) => {
                StatusCode::BAD_REQUEST
            }
            PageError::Refused(_) => StatusCode::CONFLICT,
            PageError::Storage(_) => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let PageError::Authorize(url, cookie) = self {
            return HttpResponse::Found()
                .insert_header((actix_web::http::header::LOCATION, url.as_str()))
                .cookie(cookie.as_ref().clone())
                .finish();
        }
        match self {
            PageError::Storage(e) => tracing::error!(error = %e, "page storage failure"),
            PageError::Upstream(e) => tracing::warn!(error = %e, "web authorisation failed"),
            _ => tracing::info!(reason = %self, "page refused"),
        }
        let (title, text) = self.text();
        HttpResponse::build(self.status_code())
            .content_type("text/html; charset=utf-8")
            .body(layout::message(title, &text).into_string())
    }
}
