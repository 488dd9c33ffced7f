//! Time: a meeting's span, room bookings that may not overlap, and free slots in a day.

use super::ids::MeetingId;
use super::DomainError;
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};

/// A span of time, start strictly before end. Stored in UTC; shown in the configured zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeRange {
    start: DateTime<Utc>,
    end: DateTime<Utc>,
}

impl TimeRange {
    pub fn new(start: DateTime<Utc>, end: DateTime<Utc>) -> Result<Self, DomainError> {
        if end <= start {
            return Err(DomainError::EndNotAfterStart);
        }
        Ok(Self { start, end })
    }

    pub fn start(&self) -> DateTime<Utc> {
        self.start
    }

    pub fn end(&self) -> DateTime<Utc> {
        self.end
    }

    pub fn minutes(&self) -> i64 {
        (self.end - self.start).num_minutes()
    }

    /// Whether the two spans come closer than `buffer` (touching is fine with no buffer).
    pub fn conflicts_with(&self, other: &TimeRange, buffer: Duration) -> bool {
        self.start < other.end + buffer && other.start < self.end + buffer
    }
}

/// A meeting holding a room for a span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Booking {
    pub meeting: MeetingId,
    pub span: TimeRange,
}

/// Refuses `wanted` when it comes within `buffer` of another booking of the same room, naming
/// the earliest such meeting. `me` is left out so a meeting can move within its own slot.
pub fn check_room(
    wanted: &TimeRange,
    me: Option<MeetingId>,
    bookings: &[Booking],
    buffer: Duration,
) -> Result<(), DomainError> {
    bookings
        .iter()
        .filter(|b| Some(b.meeting) != me && b.span.conflicts_with(wanted, buffer))
        .min_by_key(|b| b.span.start)
        .map_or(Ok(()), |b| Err(DomainError::RoomConflict(b.meeting)))
}

/// The free spans of a room on `day` between `from` and `until` local time, bookings widened
/// by `buffer` on both sides.
pub fn free_slots<Tz: TimeZone>(
    tz: &Tz,
    day: NaiveDate,
    from: NaiveTime,
    until: NaiveTime,
    bookings: &[Booking],
    buffer: Duration,
) -> Vec<TimeRange> {
    let local = |t: NaiveTime| Some(crate::clock::local_instant(tz, day.and_time(t)));
    let (Some(window_start), Some(window_end)) = (local(from), local(until)) else {
        return Vec::new();
    };
    let mut busy: Vec<(DateTime<Utc>, DateTime<Utc>)> = bookings
        .iter()
        .map(|b| (b.span.start - buffer, b.span.end + buffer))
        .filter(|(s, e)| *s < window_end && *e > window_start)
        .collect();
    busy.sort();
    let mut free = Vec::new();
    let mut cursor = window_start;
    for (s, e) in busy {
        if s > cursor {
            free.extend(TimeRange::new(cursor, s.min(window_end)).ok());
        }
        cursor = cursor.max(e);
    }
    if cursor < window_end {
        free.extend(TimeRange::new(cursor, window_end).ok());
    }
    free
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Asia::Shanghai;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Shanghai
            .with_ymd_and_hms(2026, 12, 1, h, m, 0)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn span(h1: u32, m1: u32, h2: u32, m2: u32) -> TimeRange {
        TimeRange::new(at(h1, m1), at(h2, m2)).unwrap()
    }

    fn booking(id: i64, s: TimeRange) -> Booking {
        Booking {
            meeting: MeetingId::new(id).unwrap(),
            span: s,
        }
    }

    #[test]
    fn end_must_follow_start() {
        assert_eq!(
            TimeRange::new(at(10, 0), at(10, 0)),
            Err(DomainError::EndNotAfterStart)
        );
        assert_eq!(span(9, 30, 11, 0).minutes(), 90);
    }

    #[test]
    fn overlapping_bookings_name_the_conflicting_meeting() {
        let booked = [
            booking(3, span(10, 0, 11, 0)),
            booking(4, span(9, 0, 10, 15)),
        ];
        let wanted = span(10, 0, 10, 30);
        assert_eq!(
            check_room(&wanted, None, &booked, Duration::zero()),
            Err(DomainError::RoomConflict(MeetingId::new(4).unwrap()))
        );
        // Back to back is fine without a buffer, refused with one.
        let after = span(11, 0, 12, 0);
        assert_eq!(check_room(&after, None, &booked, Duration::zero()), Ok(()));
        assert!(check_room(&after, None, &booked, Duration::minutes(10)).is_err());
        // A meeting does not conflict with itself.
        let me = Some(MeetingId::new(3).unwrap());
        assert_eq!(
            check_room(&span(10, 30, 11, 0), me, &booked[..1], Duration::zero()),
            Ok(())
        );
    }

    #[test]
    fn free_slots_between_nine_and_six() {
        let booked = [
            booking(1, span(10, 0, 11, 0)),
            booking(2, span(10, 30, 12, 0)),
            booking(3, span(17, 0, 19, 0)),
        ];
        let nine = NaiveTime::from_hms_opt(9, 0, 0).unwrap();
        let six = NaiveTime::from_hms_opt(18, 0, 0).unwrap();
        let day = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let free = free_slots(&Shanghai, day, nine, six, &booked, Duration::zero());
        assert_eq!(free, vec![span(9, 0, 10, 0), span(12, 0, 17, 0)]);
        let free = free_slots(&Shanghai, day, nine, six, &booked, Duration::minutes(15));
        assert_eq!(free, vec![span(9, 0, 9, 45), span(12, 15, 16, 45)]);
        assert_eq!(
            free_slots(&Shanghai, day, nine, six, &[], Duration::zero()),
            vec![span(9, 0, 18, 0)]
        );
    }
}

/// What an organiser should know about a meeting's room: worth a warning, not a refusal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoomWarning {
    /// Smaller than the invitation list (not everyone invited comes).
    TooSmall { capacity: usize, invited: usize },
    /// Without equipment the meeting needs, as the meeting names it.
    Lacks(Vec<String>),
}

impl std::fmt::Display for RoomWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RoomWarning::TooSmall { capacity, invited } => write!(
                f,
                "the room holds {capacity} people but {invited} are invited"
            ),
            RoomWarning::Lacks(missing) => write!(f, "the room lacks {}", missing.join(", ")),
        }
    }
}

impl RoomWarning {
    pub fn zh(&self) -> String {
        match self {
            RoomWarning::TooSmall { capacity, invited } => {
                format!("会议室只能容纳 {capacity} 人，邀请了 {invited} 人")
            }
            RoomWarning::Lacks(missing) => format!("会议室缺少：{}", missing.join("、")),
        }
    }
}

pub fn capacity_warning(capacity: i32, invited: usize) -> Option<RoomWarning> {
    let capacity = usize::try_from(capacity).unwrap_or(0);
    (invited > capacity).then_some(RoomWarning::TooSmall { capacity, invited })
}

/// The equipment a meeting needs that its room lacks (compared ignoring case and spaces).
pub fn equipment_warning(room_has: &[String], needs: &[String]) -> Option<RoomWarning> {
    let norm = |s: &str| s.split_whitespace().collect::<String>().to_lowercase();
    let missing: Vec<String> = needs
        .iter()
        .filter(|n| !room_has.iter().any(|h| norm(h) == norm(n)))
        .cloned()
        .collect();
    (!missing.is_empty()).then_some(RoomWarning::Lacks(missing))
}

#[cfg(test)]
mod capacity_tests {
    use super::{capacity_warning, equipment_warning};

    #[test]
    fn equipment_the_room_lacks_is_named() {
        let has = vec!["投影仪".to_owned(), "Video Conference".to_owned()];
        let needs = vec!["video conference".to_owned(), "白板".to_owned()];
        let warning = equipment_warning(&has, &needs).unwrap();
        assert_eq!(warning.to_string(), "the room lacks 白板");
        assert_eq!(warning.zh(), "会议室缺少：白板");
        assert_eq!(equipment_warning(&has, &needs[..1]), None);
    }

    #[test]
    fn a_full_room_warns_and_a_big_enough_one_does_not() {
        assert_eq!(capacity_warning(10, 10), None);
        assert_eq!(
            capacity_warning(2, 3).map(|w| w.to_string()).as_deref(),
            Some("the room holds 2 people but 3 are invited")
        );
    }
}

/// A list of equipment (投影仪, 视频会议, …): what a meeting needs or a room has, stored as a
/// JSON list. A stored value that is no such list is refused as corrupt, never read as "none".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EquipmentNeeds(pub Vec<String>);

impl EquipmentNeeds {
    pub fn items(&self) -> &[String] {
        &self.0
    }
}

impl TryFrom<String> for EquipmentNeeds {
    type Error = super::stored::UnknownName;

    fn try_from(stored: String) -> Result<Self, Self::Error> {
        serde_json::from_str(&stored)
            .map(EquipmentNeeds)
            .map_err(|_| super::stored::UnknownName {
                kind: "equipment list",
                name: stored,
            })
    }
}

#[cfg(test)]
mod equipment {
    use super::EquipmentNeeds;

    #[test]
    fn a_stored_list_reads_back_and_a_damaged_one_is_refused() {
        let read = EquipmentNeeds::try_from(r#"["投影仪","白板"]"#.to_owned()).unwrap();
        assert_eq!(read.items(), ["投影仪", "白板"]);
        assert!(EquipmentNeeds::try_from("投影仪".to_owned()).is_err());
    }
}
