//! Preparation checklist items: the ones publishing creates, and how long before the start each
//! is due.

use super::stored::UnknownName;
use chrono::Duration;

super::stored::named_enum! {
    /// A default item publishing creates for someone holding a role.
    pub enum DefaultItem ("checklist item kind") {
        /// A presenter uploads their material.
        Materials = "materials",
        /// IT support sets up what the meeting needs.
        Equipment = "equipment",
        /// An organizer sets up the room.
        Setup = "setup",
        /// The host holds a preparation meeting.
        PrepMeeting = "prep_meeting",
    }
}

impl DefaultItem {
    /// How long before the meeting starts the item is due.
    pub fn lead(self) -> Duration {
        match self {
            DefaultItem::Materials | DefaultItem::PrepMeeting => Duration::hours(24),
            DefaultItem::Equipment => Duration::hours(2),
            DefaultItem::Setup => Duration::hours(1),
        }
    }
}

/// Where an item came from: added by hand, or one of the defaults (stored as its name; an
/// added item stores none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemOrigin {
    Added,
    Default(DefaultItem),
}

impl ItemOrigin {
    /// The stored kind.
    pub fn stored(self) -> Option<&'static str> {
        match self {
            ItemOrigin::Added => None,
            ItemOrigin::Default(item) => Some(item.as_str()),
        }
    }
}

impl TryFrom<Option<String>> for ItemOrigin {
    type Error = UnknownName;

    fn try_from(stored: Option<String>) -> Result<Self, UnknownName> {
        match stored {
            None => Ok(ItemOrigin::Added),
            Some(name) => DefaultItem::try_from(name).map(ItemOrigin::Default),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_read_back_and_a_damaged_kind_is_refused() {
        for item in DefaultItem::ALL {
            let origin = ItemOrigin::Default(*item);
            let stored = origin.stored().map(str::to_owned);
            assert_eq!(ItemOrigin::try_from(stored), Ok(origin));
        }
        assert_eq!(ItemOrigin::try_from(None), Ok(ItemOrigin::Added));
        assert!(ItemOrigin::try_from(Some("cake".to_owned())).is_err());
    }
}
