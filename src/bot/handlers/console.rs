//! `后台`: a one-time link that signs an admin or organizer in to the console, for a desktop
//! browser: valid five minutes, good once, bound to the sender.

use super::super::context::Ctx;
use super::super::error::BotError;
use crate::db::people::Person;
use crate::db::{console_links, DbConn};

const LIFETIME_MS: i64 = 5 * 60 * 1000;

pub fn sign_in_link(c: &mut DbConn, ctx: &Ctx, who: &Person) -> Result<String, BotError> {
    if !(who.is_admin || who.is_organizer) {
        return Err(BotError::NotConsoleUser);
    }
    let token = hex::encode(rand::random::<[u8; 16]>());
    console_links::insert(c, &token, who.id, ctx.now_ms() + LIFETIME_MS)?;
    tracing::info!(person_id = %who.id, "console sign-in link issued");
    Ok(format!(
        "会务后台登录链接（5 分钟内有效，只能用一次，请勿转发）：\n{}/console/login/{token}",
        ctx.feeds.base
    ))
}
