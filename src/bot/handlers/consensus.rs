//! 同意 / 异议 on a decision, and the host's 通过 / 搁置.

use super::super::context::Ctx;
use super::super::error::BotError;
use super::info::name;
use crate::db::people::Person;
use crate::db::DbConn;
use crate::meetings::consensus::{Outcome, Vote};
use crate::meetings::EntryId;
use crate::ops::consensus::{self, Standing};

/// "同意 3，异议 1（赵六：预算不足），未表态 2" (and the objections withdrawn).
pub fn count_zh(c: &mut DbConn, s: &Standing) -> Result<String, BotError> {
    let t = &s.tally;
    let mut text = format!("同意 {}，异议 {}", t.agreed.len(), t.objected.len());
    let mut why = Vec::new();
    for (p, reason) in &t.objected {
        why.push(format!("{}：{reason}", name(c, *p)?));
    }
    if !why.is_empty() {
        text.push_str(&format!("（{}）", why.join("；")));
    }
    text.push_str(&format!("，未表态 {}", t.silent.len()));
    let mut withdrawn = Vec::new();
    for (p, reason) in &t.withdrawn {
        withdrawn.push(format!("{}：{reason}", name(c, *p)?));
    }
    if !withdrawn.is_empty() {
        text.push_str(&format!("；曾有异议后同意：{}", withdrawn.join("；")));
    }
    Ok(text)
}

pub fn vote(
    c: &mut DbConn,
    ctx: &Ctx,
    who: &Person,
    decision: EntryId,
    objection: Option<&str>,
) -> Result<String, BotError> {
    let (vote, reason) = match objection {
        Some(r) => (Vote::Object, Some(r)),
        None => (Vote::Agree, None),
    };
    let s = consensus::vote(c, &ctx.env(), Ctx::actor(who), decision, vote, reason)?;
    let what = if vote == Vote::Agree {
        "同意"
    } else {
        "异议"
    };
    Ok(format!(
        "已记录你对决议 #{decision}「{}」的{what}。目前：{}。",
        s.entry.body,
        count_zh(c, &s)?
    ))
}

pub fn close(
    c: &mut DbConn,
    ctx: &Ctx,
    who: &Person,
    decision: EntryId,
    pass: bool,
) -> Result<String, BotError> {
    let outcome = if pass {
        Outcome::Passed
    } else {
        Outcome::Tabled
    };
    let s = consensus::close(c, &ctx.env(), Ctx::actor(who), decision, outcome)?;
    Ok(format!(
        "决议 #{decision}「{}」：{}（{}）。已记入纪要。",
        s.entry.body,
        outcome.label_zh(),
        count_zh(c, &s)?
    ))
}
