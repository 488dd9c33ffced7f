//! Followers as chat meets them: one who leaves the Official Account is marked so notices stop
//! going to them (and come back when they follow again); a code scanned before binding is held
//! until they bind, then checks them in; a WeCom card answered is updated to show the answer;
//! WeChat's delivery reports are recorded against the message they are about.

use super::OpsError;
use crate::db::{pending_checkins, people, DbConn};

/// The follower left the Official Account: notices to them are recorded as unreachable.
pub fn unfollowed(c: &mut DbConn, now_ms: i64, openid: &str) -> Result<(), OpsError> {
    people::set_unfollowed(c, openid, Some(now_ms), now_ms)?;
    Ok(())
}

/// The follower came back.
pub fn followed_again(c: &mut DbConn, now_ms: i64, openid: &str) -> Result<(), OpsError> {
    people::set_unfollowed(c, openid, None, now_ms)?;
    Ok(())
}

/// A check-in code scanned by someone not bound yet, kept for when they bind.
pub fn hold_checkin(c: &mut DbConn, now_ms: i64, openid: &str, code: &str) -> Result<(), OpsError> {
    pending_checkins::put(c, openid, code, now_ms)?;
    Ok(())
}

/// The code this follower scanned before binding, if any (taken: used once).
pub fn take_held_checkin(c: &mut DbConn, openid: &str) -> Result<Option<String>, OpsError> {
    Ok(pending_checkins::take(c, openid)?)
}

/// A WeCom card's button was answered: the card is updated to show the answer (once per
/// card: its response code keys the message).
pub fn card_answered(
    c: &mut DbConn,
    now_ms: i64,
    agent: &str,
    person: &crate::db::people::Person,
    userid: &str,
    response_code: &str,
    label: &str,
) -> Result<(), OpsError> {
    use crate::outbox::payload;
    let card = payload::wecom_card_update(userid, agent, response_code, label);
    crate::db::outbox::enqueue(
        c,
        &crate::db::outbox::NewMessage {
            dedupe_key: format!("card:{response_code}"),
            channel: crate::db::outbox::OutboxChannel::Wecom,
            kind: crate::outbox::NoticeKind::CardUpdate,
            meeting_id: None,
            person_id: Some(person.id),
            recipient: userid.to_owned(),
            api_path: payload::WECOM_UPDATE_CARD,
            payload: card.to_string(),
            unreachable: None,
        },
        now_ms,
    )?;
    Ok(())
}

/// WeChat reported whether a template message reached its reader.
pub fn template_delivered(
    c: &mut DbConn,
    now_ms: i64,
    msg_id: &str,
    status: &str,
) -> Result<(), OpsError> {
    crate::db::outbox::record_delivery(c, msg_id, status == "success", status, now_ms)?;
    Ok(())
}
