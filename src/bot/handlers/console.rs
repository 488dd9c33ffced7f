//! `后台`: a one-time link that signs an admin or organizer in to the console, for a desktop
//! browser: valid five minutes, good once, bound to the sender.

use super::super::context::Ctx;
use super::super::error::BotError;
use crate::db::people::Person;
use crate::db::DbConn;
use crate::ops::OpsError;

pub fn sign_in_link(c: &mut DbConn, ctx: &Ctx, who: &Person) -> Result<String, BotError> {
    let token = crate::ops::access::console_link(c, ctx.now_ms(), who).map_err(|e| match e {
        OpsError::NotStaff => BotError::NotConsoleUser,
        e => e.into(),
    })?;
    tracing::info!(person_id = %who.id, "console sign-in link issued");
    Ok(format!(
        "会务后台登录链接（5 分钟内有效，只能用一次，请勿转发）：\n{}/console/login/{token}",
        ctx.feeds.base
    ))
}
