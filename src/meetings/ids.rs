use super::DomainError;
use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        // Bound in queries as itself (its SQL mapping is in `db::ids`), never as a bare number.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[derive(diesel::expression::AsExpression)]
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        #[serde(into = "i64", try_from = "i64")]
        pub struct $name(i64);

        impl TryFrom<i64> for $name {
            type Error = DomainError;

            fn try_from(raw: i64) -> Result<Self, DomainError> {
                Self::new(raw)
            }
        }

        impl From<$name> for i64 {
            fn from(id: $name) -> i64 {
                id.0
            }
        }

        impl $name {
            pub fn new(raw: i64) -> Result<Self, DomainError> {
                if raw > 0 {
                    Ok(Self(raw))
                } else {
                    Err(DomainError::BadId(raw.to_string()))
                }
            }

            pub fn get(self) -> i64 {
                self.0
            }

            /// The raw value, borrowed: what storage binds into a query.
            pub fn raw(&self) -> &i64 {
                &self.0
            }
        }

        impl std::str::FromStr for $name {
            type Err = DomainError;

            /// Accepts `12`, `#12` and `＃１２` (full-width, as phones type it).
            fn from_str(s: &str) -> Result<Self, DomainError> {
                let normalised: String = s
                    .trim()
                    .trim_start_matches(['#', '＃'])
                    .chars()
                    .map(|c| match c {
                        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
                        _ => c,
                    })
                    .collect();
                normalised
                    .parse::<i64>()
                    .map_err(|_| DomainError::BadId(s.trim().to_owned()))
                    .and_then(Self::new)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// A meeting, as staff quote it in chat ("确认 12").
    MeetingId
);
id_type!(
    /// A person in the organisation's directory.
    PersonId
);
id_type!(
    /// A bookable room.
    RoomId
);
id_type!(
    /// An action item decided in a meeting.
    ActionItemId
);
id_type!(
    /// One entry of a meeting's minutes: a note or a decision (votes and outcomes refer to it).
    EntryId
);
id_type!(
    /// A material (document, link) attached to a meeting.
    MaterialId
);
id_type!(
    /// A topic proposed for a meeting.
    TopicId
);
id_type!(
    /// A series of recurring meetings.
    SeriesId
);
id_type!(
    /// A milestone of an action item's execution plan.
    MilestoneId
);
id_type!(
    /// An item of a meeting's preparation checklist.
    ChecklistItemId
);
id_type!(
    /// A question asked during a meeting.
    QuestionId
);
id_type!(
    /// A request for on-site help during a meeting.
    HelpRequestId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_parse_as_people_type_them() {
        assert_eq!("12".parse::<MeetingId>().unwrap().get(), 12);
        assert_eq!(" #7 ".parse::<MeetingId>().unwrap().get(), 7);
        assert_eq!("＃１２".parse::<MeetingId>().unwrap().get(), 12);
        assert!("0".parse::<MeetingId>().is_err());
        assert!("-3".parse::<RoomId>().is_err());
        assert!("abc".parse::<PersonId>().is_err());
    }

    #[test]
    fn ids_read_from_json_are_checked_too() {
        assert_eq!(serde_json::from_str::<PersonId>("7").unwrap().get(), 7);
        assert!(serde_json::from_str::<PersonId>("0").is_err());
        assert_eq!(
            serde_json::to_string(&MeetingId::new(12).unwrap()).unwrap(),
            "12"
        );
    }
}
