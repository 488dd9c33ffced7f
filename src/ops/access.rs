//! Ways in that are not a meeting: the console sign-in link sent in chat, the secret calendar
//! feed address, the account menus. Each is audited with who did it, whichever door it came
//! through.

use super::{Actor, OpsError};
use crate::db::people::Person;
use crate::db::{audit, calendar_feeds, console_links, DbConn};
use crate::meetings::audit_action::Audit;
use crate::meetings::PersonId;

/// How long a console sign-in link stays good.
pub const CONSOLE_LINK_MS: i64 = 5 * 60 * 1000;

/// A one-time console sign-in link's token for an admin or organizer (`后台`).
pub fn console_link(c: &mut DbConn, now_ms: i64, who: &Person) -> Result<String, OpsError> {
    if !super::account::is_staff(who) {
        return Err(OpsError::NotStaff);
    }
    let token = hex::encode(rand::random::<[u8; 16]>());
    console_links::insert(c, &token, who.id, now_ms + CONSOLE_LINK_MS)?;
    let actor = Actor::Person(who.id).audit_name();
    audit::append(c, &actor, Audit::IssueConsoleLink, None, now_ms)?;
    Ok(token)
}

/// A new calendar feed address for `person`: the old one stops working. Returns the new
/// generation.
pub fn revoke_calendar_feed(
    c: &mut DbConn,
    now_ms: i64,
    actor: Actor,
    person: PersonId,
) -> Result<i32, OpsError> {
    let generation = calendar_feeds::revoke(c, person, now_ms)?;
    let action = Audit::RevokeCalendarFeed.about(person.get());
    audit::append(c, &actor.audit_name(), action, None, now_ms)?;
    tracing::info!(actor = %actor.audit_name(), person_id = %person, generation, "calendar feed revoked");
    Ok(generation)
}

/// Which account's menu was pushed.
#[derive(Debug, Clone, Copy)]
pub enum MenuTarget {
    OfficialAccount,
    Wecom,
}

/// Records a menu WeChat accepted. Only admins change the account menu: a door asks
/// `Actor::administers` before it pushes, and the record is refused to anyone else too.
pub fn menu_pushed(
    c: &mut DbConn,
    now_ms: i64,
    actor: Actor,
    target: MenuTarget,
) -> Result<(), OpsError> {
    actor.administers()?;
    let action = match target {
        MenuTarget::OfficialAccount => Audit::PushOfficialAccountMenu,
        MenuTarget::Wecom => Audit::PushWecomMenu,
    };
    audit::append(c, &actor.audit_name(), action, None, now_ms)?;
    Ok(())
}
