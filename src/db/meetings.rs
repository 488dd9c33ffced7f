//! Meetings with their roles and agenda.

use super::schema::{
    agenda_items::dsl as a, meeting_roles::dsl as mr, meetings::dsl as m, participants::dsl as pt,
};
use super::{on_backend, DbConn, DbError};
use crate::meetings::draft::MeetingDraft;
use crate::meetings::ids::{MeetingId, PersonId, RoomId};
use crate::meetings::lifecycle::MeetingStatus;
use crate::meetings::participation::Role;
use crate::meetings::schedule::{Booking, TimeRange};
use crate::meetings::stamp::Stamp;
use crate::meetings::stored::UnknownName;
use diesel::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct MeetingRow {
    pub id: MeetingId,
    pub title: String,
    pub goal: String,
    pub starts_at: Stamp,
    pub ends_at: Stamp,
    pub room_id: Option<RoomId>,
    pub place: String,
    pub online_link: Option<String>,
    pub confidential: bool,
    pub briefing: String,
    #[diesel(deserialize_as = String)]
    pub equipment_needs: crate::meetings::schedule::EquipmentNeeds,
    #[diesel(deserialize_as = String)]
    pub status: MeetingStatus,
    pub sequence: i32,
    pub cancel_reason: Option<String>,
    pub created_at: Stamp,
    pub updated_at: Stamp,
    /// Whether 签到 by text is accepted; otherwise only the signed QR code proves presence.
    pub text_checkin: bool,
    /// Whether a preparation meeting (会前准备会) is asked for: the host's checklist item.
    pub prep_meeting: bool,
    /// When 开始 and 结束 actually happened (planned: `starts_at`, `ends_at`).
    pub started_at: Option<Stamp>,
    pub ended_at: Option<Stamp>,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct AgendaRow {
    pub meeting_id: MeetingId,
    pub position: i32,
    pub title: String,
    pub presenter_id: Option<PersonId>,
    pub minutes: i32,
    pub started_at: Option<Stamp>,
    pub ended_at: Option<Stamp>,
}

impl AgendaRow {
    /// The item as an agenda to store again would hold it: title, presenter, time box (not
    /// started).
    pub fn item(&self) -> crate::meetings::agenda::AgendaItem {
        crate::meetings::agenda::AgendaItem {
            title: self.title.clone(),
            presenter: self.presenter_id,
            minutes: self.minutes.max(0) as u32,
            started_at: None,
            ended_at: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingRecord {
    pub meeting: MeetingRow,
    pub roles: Vec<(PersonId, Role)>,
    pub agenda: Vec<AgendaRow>,
}

impl MeetingRecord {
    /// The roles `person` holds here.
    pub fn roles_of(&self, person: PersonId) -> Vec<Role> {
        self.roles
            .iter()
            .filter(|(p, _)| *p == person)
            .map(|(_, r)| *r)
            .collect()
    }

    /// Everyone holding one of `roles` here, each once, by id.
    pub fn holders(&self, roles: &[Role]) -> Vec<PersonId> {
        let mut ids: Vec<PersonId> = self
            .roles
            .iter()
            .filter(|(_, role)| roles.contains(role))
            .map(|(p, _)| *p)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }
}

/// The columns a draft sets, on creation and on change alike.
#[allow(clippy::type_complexity)]
fn details(
    d: &MeetingDraft,
) -> (
    diesel::dsl::Eq<m::title, &String>,
    diesel::dsl::Eq<m::goal, &String>,
    diesel::dsl::Eq<m::starts_at, i64>,
    diesel::dsl::Eq<m::ends_at, i64>,
    diesel::dsl::Eq<m::room_id, Option<crate::meetings::RoomId>>,
    diesel::dsl::Eq<m::place, &String>,
    diesel::dsl::Eq<m::online_link, Option<&str>>,
    diesel::dsl::Eq<m::confidential, bool>,
    diesel::dsl::Eq<m::text_checkin, bool>,
    diesel::dsl::Eq<m::prep_meeting, bool>,
    diesel::dsl::Eq<m::briefing, &String>,
    diesel::dsl::Eq<m::equipment_needs, String>,
) {
    (
        m::title.eq(&d.title),
        m::goal.eq(&d.goal),
        m::starts_at.eq(d.span.start().timestamp_millis()),
        m::ends_at.eq(d.span.end().timestamp_millis()),
        m::room_id.eq(d.room),
        m::place.eq(&d.place),
        m::online_link.eq(d.online_link.as_deref()),
        m::confidential.eq(d.confidential),
        m::text_checkin.eq(d.text_checkin),
        m::prep_meeting.eq(d.prep_meeting),
        m::briefing.eq(&d.briefing),
        m::equipment_needs.eq(serde_json::to_string(&d.equipment_needs).unwrap_or_default()),
    )
}

/// Stores a draft with its roles and agenda in one transaction; returns its id.
pub fn insert_draft(
    conn: &mut DbConn,
    d: &MeetingDraft,
    now_ms: i64,
) -> Result<MeetingId, DbError> {
    conn.transaction(|conn| {
        let row = (
            details(d),
            m::status.eq(MeetingStatus::Draft.as_str()),
            m::sequence.eq(0),
            m::created_at.eq(now_ms),
            m::updated_at.eq(now_ms),
        );
        let meeting: MeetingId = on_backend!(conn, |c| diesel::insert_into(m::meetings)
            .values(row.clone())
            .returning(m::id)
            .get_result(c))?;
        let id = meeting;
        let roles: Vec<_> = d
            .roster
            .assignments()
            .iter()
            .map(|(p, r)| {
                (
                    mr::meeting_id.eq(id),
                    mr::person_id.eq(p),
                    mr::role.eq(r.as_str()),
                )
            })
            .collect();
        on_backend!(conn, |c| diesel::insert_into(mr::meeting_roles)
            .values(roles.clone())
            .execute(c))?;
        let invited: Vec<_> = d
            .roster
            .invitees()
            .into_iter()
            .map(|p| (pt::meeting_id.eq(id), pt::person_id.eq(p)))
            .collect();
        on_backend!(conn, |c| diesel::insert_into(pt::participants)
            .values(invited.clone())
            .execute(c))?;
        replace_agenda(conn, meeting, d.agenda.items())?;
        Ok(meeting)
    })
}

/// The meeting another row refers to. Meetings are never deleted, so a reference to none is a
/// damaged row, not a meeting without people, roles or status.
pub fn referenced(conn: &mut DbConn, id: MeetingId) -> Result<MeetingRecord, DbError> {
    get(conn, id)?.ok_or_else(|| {
        DbError::Corrupt(format!(
            "a row refers to meeting {id}, which does not exist"
        ))
    })
}

pub fn get(conn: &mut DbConn, id: MeetingId) -> Result<Option<MeetingRecord>, DbError> {
    let meeting: Option<MeetingRow> =
        on_backend!(conn, |c| m::meetings.find(id).first(c).optional())?;
    let Some(meeting) = meeting else {
        return Ok(None);
    };
    let roles: Vec<(PersonId, String)> = on_backend!(conn, |c| mr::meeting_roles
        .filter(mr::meeting_id.eq(id))
        .select((mr::person_id, mr::role))
        .order((mr::person_id, mr::role))
        .load(c))?;
    let roles = roles
        .into_iter()
        .map(|(p, r)| Ok((p, Role::try_from(r)?)))
        .collect::<Result<_, UnknownName>>()
        .map_err(|e| DbError::Corrupt(e.to_string()))?;
    let agenda = on_backend!(conn, |c| a::agenda_items
        .filter(a::meeting_id.eq(id))
        .order(a::position)
        .load(c))?;
    Ok(Some(MeetingRecord {
        meeting,
        roles,
        agenda,
    }))
}

/// Serialises bookings of one room: on PostgreSQL a row lock held to the end of the
/// transaction; SQLite has one writer, which already serialises them.
pub fn lock_room(conn: &mut DbConn, room_id: RoomId) -> Result<(), DbError> {
    use super::schema::rooms::dsl as r;
    if let DbConn::Pg(c) = conn {
        r::rooms
            .find(room_id)
            .select(r::id)
            .for_update()
            .first::<i64>(c)
            .optional()?;
    }
    Ok(())
}

/// Meetings holding `room_id` (scheduled or in progress).
pub fn room_bookings(conn: &mut DbConn, room_id: RoomId) -> Result<Vec<Booking>, DbError> {
    let holding = [
        MeetingStatus::Scheduled.as_str(),
        MeetingStatus::InProgress.as_str(),
    ];
    let rows: Vec<(MeetingId, i64, i64)> = on_backend!(conn, |c| m::meetings
        .filter(m::room_id.eq(room_id))
        .filter(m::status.eq_any(holding))
        .select((m::id, m::starts_at, m::ends_at))
        .load(c))?;
    // A booking whose time cannot be read would let the room be booked twice: damage, not
    // a free room.
    rows.into_iter()
        .map(|(id, s, e)| {
            let span = match (Stamp::try_from(s), Stamp::try_from(e)) {
                (Ok(s), Ok(e)) => TimeRange::new(s.utc(), e.utc()).ok(),
                _ => None,
            }
            .ok_or_else(|| DbError::Corrupt(format!("meeting {id} has no valid time span")))?;
            Ok(Booking { meeting: id, span })
        })
        .collect()
}

/// Moves a meeting from `from` to `to` unless someone else moved it first; bumps `sequence`
/// for changes after publishing. Returns whether it moved.
pub fn set_status(
    conn: &mut DbConn,
    id: MeetingId,
    from: MeetingStatus,
    to: MeetingStatus,
    cancel_reason: Option<&str>,
    now_ms: i64,
) -> Result<bool, DbError> {
    let bump = i32::from(from.announced());
    let updated = on_backend!(conn, |c| diesel::update(
        m::meetings
            .filter(m::id.eq(id))
            .filter(m::status.eq(from.as_str()))
    )
    .set((
        m::status.eq(to.as_str()),
        m::sequence.eq(m::sequence + bump),
        m::cancel_reason.eq(cancel_reason),
        m::updated_at.eq(now_ms),
    ))
    .execute(c))?;
    Ok(updated == 1)
}

/// Records when the meeting actually started (the first time only).
pub fn set_started(conn: &mut DbConn, id: MeetingId, at_ms: i64) -> Result<(), DbError> {
    on_backend!(conn, |c| diesel::update(
        m::meetings
            .filter(m::id.eq(id))
            .filter(m::started_at.is_null())
    )
    .set(m::started_at.eq(at_ms))
    .execute(c))?;
    Ok(())
}

/// Records when the meeting actually ended.
pub fn set_ended(conn: &mut DbConn, id: MeetingId, at_ms: i64) -> Result<(), DbError> {
    on_backend!(conn, |c| diesel::update(m::meetings.filter(m::id.eq(id)))
        .set(m::ended_at.eq(at_ms))
        .execute(c))?;
    Ok(())
}

/// What a meeting list may be narrowed to; times in ms.
#[derive(Debug, Clone, Default)]
pub struct MeetingFilter {
    /// Meetings overlapping [from, until).
    pub from: Option<i64>,
    pub until: Option<i64>,
    pub status: Option<MeetingStatus>,
    pub room_id: Option<RoomId>,
    /// Meetings in which this person holds any role.
    pub person_id: Option<PersonId>,
}

pub fn list(conn: &mut DbConn, f: &MeetingFilter) -> Result<Vec<MeetingRow>, DbError> {
    Ok(on_backend!(conn, |c| {
        let mut q = m::meetings.order((m::starts_at, m::id)).into_boxed();
        if let Some(from) = f.from {
            q = q.filter(m::ends_at.gt(from));
        }
        if let Some(until) = f.until {
            q = q.filter(m::starts_at.lt(until));
        }
        if let Some(status) = f.status {
            q = q.filter(m::status.eq(status.as_str()));
        }
        if let Some(room) = f.room_id {
            q = q.filter(m::room_id.eq(room));
        }
        if let Some(person) = f.person_id {
            q = q.filter(
                m::id.eq_any(
                    mr::meeting_roles
                        .filter(mr::person_id.eq(person))
                        .select(mr::meeting_id),
                ),
            );
        }
        q.load(c)
    })?)
}

/// Meetings in one of `statuses` where the person holds any role, soonest first.
pub fn for_person(
    conn: &mut DbConn,
    person_id: PersonId,
    statuses: &[MeetingStatus],
) -> Result<Vec<MeetingRow>, DbError> {
    let statuses: Vec<&str> = statuses.iter().map(|s| s.as_str()).collect();
    Ok(on_backend!(conn, |c| m::meetings
        .filter(m::status.eq_any(statuses.clone()))
        .filter(
            m::id.eq_any(
                mr::meeting_roles
                    .filter(mr::person_id.eq(person_id))
                    .select(mr::meeting_id)
            )
        )
        .order((m::starts_at, m::id))
        .load(c))?)
}

/// Every (meeting id, role) a person holds, in one query: choosing among a person's meetings
/// needs only their own roles, not each meeting's whole record.
pub fn roles_of_person(
    conn: &mut DbConn,
    person_id: PersonId,
) -> Result<Vec<(MeetingId, Role)>, DbError> {
    let rows: Vec<(MeetingId, String)> = on_backend!(conn, |c| mr::meeting_roles
        .filter(mr::person_id.eq(person_id))
        .select((mr::meeting_id, mr::role))
        .load(c))?;
    rows.into_iter()
        .map(|(m, r)| Ok((m, Role::try_from(r)?)))
        .collect::<Result<_, UnknownName>>()
        .map_err(|e| DbError::Corrupt(e.to_string()))
}

/// Sets when an agenda item actually started or ended (None leaves the time as it is).
pub fn set_agenda_times(
    conn: &mut DbConn,
    meeting_id: MeetingId,
    position: i32,
    started_at: Option<i64>,
    ended_at: Option<i64>,
) -> Result<(), DbError> {
    let item = a::agenda_items.find((meeting_id, position));
    if let Some(at) = started_at {
        on_backend!(conn, |c| diesel::update(item)
            .set(a::started_at.eq(at))
            .execute(c))?;
    }
    if let Some(at) = ended_at {
        on_backend!(conn, |c| diesel::update(item)
            .set(a::ended_at.eq(at))
            .execute(c))?;
    }
    Ok(())
}

/// A new time box for one agenda item (the host extends the running one).
pub fn set_agenda_minutes(
    conn: &mut DbConn,
    meeting_id: MeetingId,
    position: i32,
    minutes: i32,
) -> Result<(), DbError> {
    let item = a::agenda_items.find((meeting_id, position));
    on_backend!(conn, |c| diesel::update(item)
        .set(a::minutes.eq(minutes))
        .execute(c))?;
    Ok(())
}

/// Where the meeting is, in words: room (and its location), free-text place, online link.
pub fn place_description(conn: &mut DbConn, m: &MeetingRow) -> Result<String, DbError> {
    let mut parts = Vec::new();
    if let Some(room_id) = m.room_id {
        if let Some(room) = super::rooms::get(conn, room_id)? {
            parts.push(if room.location.is_empty() {
                room.name
            } else {
                format!("{}（{}）", room.name, room.location)
            });
        }
    }
    if !m.place.is_empty() {
        parts.push(m.place.clone());
    }
    if let Some(link) = &m.online_link {
        parts.push(format!("线上：{link}"));
    }
    Ok(parts.join("，"))
}

/// Stores a meeting's new details (agenda and roles stay); `bump` raises `sequence`, as every
/// change after publishing does.
pub fn update_details(
    conn: &mut DbConn,
    id: MeetingId,
    d: &MeetingDraft,
    bump: bool,
    now_ms: i64,
) -> Result<(), DbError> {
    let row = (
        details(d),
        m::sequence.eq(m::sequence + i32::from(bump)),
        m::updated_at.eq(now_ms),
    );
    on_backend!(conn, |c| diesel::update(m::meetings.find(id))
        .set(row.clone())
        .execute(c))?;
    Ok(())
}

/// Replaces a meeting's agenda with `items` (already checked against its length).
pub fn replace_agenda(
    conn: &mut DbConn,
    id: MeetingId,
    items: &[crate::meetings::agenda::AgendaItem],
) -> Result<(), DbError> {
    on_backend!(conn, |c| diesel::delete(
        a::agenda_items.filter(a::meeting_id.eq(id))
    )
    .execute(c))?;
    let rows: Vec<_> = items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            (
                a::meeting_id.eq(id),
                a::position.eq(i as i32 + 1),
                a::title.eq(item.title.clone()),
                a::presenter_id.eq(item.presenter),
                a::minutes.eq(item.minutes as i32),
            )
        })
        .collect();
    if !rows.is_empty() {
        on_backend!(conn, |c| diesel::insert_into(a::agenda_items)
            .values(rows.clone())
            .execute(c))?;
    }
    Ok(())
}

/// Hands the agenda items `from` presents and has not finished over to `to` (a delegation);
/// how many there were.
pub fn hand_over_presenting(
    conn: &mut DbConn,
    id: MeetingId,
    from: PersonId,
    to: PersonId,
) -> Result<usize, DbError> {
    Ok(on_backend!(conn, |c| diesel::update(
        a::agenda_items
            .filter(a::meeting_id.eq(id))
            .filter(a::presenter_id.eq(from))
            .filter(a::ended_at.is_null())
    )
    .set(a::presenter_id.eq(to))
    .execute(c))?)
}

/// Raises `sequence` for a change after publishing that is not a detail (agenda, materials).
pub fn bump_sequence(conn: &mut DbConn, id: MeetingId, now_ms: i64) -> Result<(), DbError> {
    on_backend!(conn, |c| diesel::update(m::meetings.find(id))
        .set((m::sequence.eq(m::sequence + 1), m::updated_at.eq(now_ms)))
        .execute(c))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use diesel::Connection;

    #[test]
    fn a_reference_to_a_meeting_that_does_not_exist_is_a_damaged_row() {
        let mut c = DbConn::Sqlite(diesel::SqliteConnection::establish(":memory:").unwrap());
        crate::db::migrate(&mut c).unwrap();
        let nowhere = MeetingId::new(404).unwrap();
        assert!(
            get(&mut c, nowhere).unwrap().is_none(),
            "looking one up: none"
        );
        let err = referenced(&mut c, nowhere).unwrap_err();
        assert!(
            matches!(&err, DbError::Corrupt(why) if why.contains("404")),
            "{err}"
        );
    }
}
