//! `日历`: the person's secret calendar feed URL, and a new one on `日历 重置`.

use super::super::context::Ctx;
use super::super::error::BotError;
use crate::db::people::Person;
use crate::db::{calendar_feeds, DbConn};

pub fn feed(c: &mut DbConn, ctx: &Ctx, who: &Person, reset: bool) -> Result<String, BotError> {
    let generation = if reset {
        let actor = crate::ops::Actor::Person(who.id);
        crate::ops::access::revoke_calendar_feed(c, ctx.now_ms(), actor, who.id)?
    } else {
        calendar_feeds::generation(c, who.id)?
    };
    let url = ctx.feeds.url(who.id, generation);
    let lead = if reset {
        "已换新日历订阅地址，旧地址已失效："
    } else {
        "你的会议日历订阅地址（请勿转发：持有地址的人能看到你的会议）："
    };
    Ok(format!(
        "{lead}\n{url}\n在 Outlook、苹果日历或企业微信日历中选择「订阅日历 / 从网址添加」即可，\
         会议变更会自动同步；保密会议只显示时间。\n地址泄露时回复「日历 重置」。"
    ))
}
