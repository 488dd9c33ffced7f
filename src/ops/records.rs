//! The directory's people and rooms, and the rooms' screen keys: admins' work, from the admin
//! API and the console alike, each change audited with who made it (`update_person:12`).

use super::{Actor, OpsError};
use crate::db::people::{self, Person};
use crate::db::rooms::{self, Room};
use crate::db::{audit, display_keys, DbConn};
use crate::meetings::audit_action::Audit;
use crate::meetings::directory::{NewPerson, NewRoom, PersonChange, RoomChange};
use crate::meetings::PersonId;
use crate::meetings::RoomId;

fn audited(
    c: &mut DbConn,
    now_ms: i64,
    actor: Actor,
    action: Audit,
    id: i64,
) -> Result<(), OpsError> {
    tracing::info!(actor = %actor.audit_name(), action = action.code(), id, "directory changed");
    audit::append(c, &actor.audit_name(), action.about(id), None, now_ms)?;
    Ok(())
}

pub fn create_person(
    c: &mut DbConn,
    now_ms: i64,
    actor: Actor,
    new: &NewPerson,
) -> Result<Person, OpsError> {
    actor.administers()?;
    let person = people::insert(c, new, now_ms)?;
    audited(c, now_ms, actor, Audit::CreatePerson, person.id.get())?;
    Ok(person)
}

pub fn update_person(
    c: &mut DbConn,
    now_ms: i64,
    actor: Actor,
    id: PersonId,
    change: &PersonChange,
) -> Result<Option<Person>, OpsError> {
    actor.administers()?;
    let Some(before) = people::get(c, id)? else {
        return Ok(None);
    };
    let person = people::update(c, id, change, now_ms)?;
    if let Some(after) = &person {
        audited(c, now_ms, actor, Audit::UpdatePerson, id.get())?;
        let changed = [
            ("openid", before.openid != after.openid),
            ("wecom_userid", before.wecom_userid != after.wecom_userid),
            ("is_admin", before.is_admin != after.is_admin),
            ("is_organizer", before.is_organizer != after.is_organizer),
        ]
        .into_iter()
        .filter_map(|(field, differs)| differs.then_some(field))
        .collect::<Vec<_>>();
        if super::directory::touches_identity(&changed) {
            super::directory::rebound(c, now_ms, actor, id)?;
        }
    }
    Ok(person)
}

/// People are never deleted: their meetings and tasks keep naming them.
pub fn deactivate_person(
    c: &mut DbConn,
    now_ms: i64,
    actor: Actor,
    id: PersonId,
) -> Result<Option<Person>, OpsError> {
    actor.administers()?;
    let person = people::deactivate(c, id, now_ms)?;
    if person.is_some() {
        crate::db::sessions::end_all_of(c, id)?;
        audited(c, now_ms, actor, Audit::DeactivatePerson, id.get())?;
    }
    Ok(person)
}

pub fn create_room(
    c: &mut DbConn,
    now_ms: i64,
    actor: Actor,
    new: &NewRoom,
) -> Result<Room, OpsError> {
    actor.administers()?;
    let room = rooms::insert(c, new, now_ms)?;
    audited(c, now_ms, actor, Audit::CreateRoom, room.id.get())?;
    Ok(room)
}

pub fn update_room(
    c: &mut DbConn,
    now_ms: i64,
    actor: Actor,
    id: RoomId,
    change: &RoomChange,
) -> Result<Option<Room>, OpsError> {
    actor.administers()?;
    let room = rooms::update(c, id, change, now_ms)?;
    if room.is_some() {
        audited(c, now_ms, actor, Audit::UpdateRoom, id.get())?;
    }
    Ok(room)
}

pub fn deactivate_room(
    c: &mut DbConn,
    now_ms: i64,
    actor: Actor,
    id: RoomId,
) -> Result<Option<Room>, OpsError> {
    actor.administers()?;
    let room = rooms::deactivate(c, id, now_ms)?;
    if room.is_some() {
        audited(c, now_ms, actor, Audit::DeactivateRoom, id.get())?;
    }
    Ok(room)
}

/// A new key for the room's door screen (an earlier one stops working); `None`: no such room.
pub fn issue_display_key(
    c: &mut DbConn,
    now_ms: i64,
    actor: Actor,
    room_id: RoomId,
) -> Result<Option<String>, OpsError> {
    actor.administers()?;
    if rooms::get(c, room_id)?.is_none() {
        return Ok(None);
    }
    let key = hex::encode(rand::random::<[u8; 16]>());
    display_keys::replace(c, room_id, &key, now_ms)?;
    audited(c, now_ms, actor, Audit::IssueDisplayKey, room_id.get())?;
    Ok(Some(key))
}

/// Revokes the room's screen key, if it has one (its screen goes blank): whether it had one,
/// `None` when there is no such room.
pub fn revoke_display_key(
    c: &mut DbConn,
    now_ms: i64,
    actor: Actor,
    room_id: RoomId,
) -> Result<Option<bool>, OpsError> {
    actor.administers()?;
    if rooms::get(c, room_id)?.is_none() {
        return Ok(None);
    }
    let revoked = display_keys::revoke(c, room_id)?;
    if revoked {
        audited(c, now_ms, actor, Audit::RevokeDisplayKey, room_id.get())?;
    }
    Ok(Some(revoked))
}
