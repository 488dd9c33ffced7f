//! An instant as stored (milliseconds since the epoch), read once: a value no date can carry
//! is a damaged row, never shown as 1970 or taken as "now".

use chrono::{DateTime, SubsecRound, Utc};

/// Both forms are kept: the instant for arithmetic and display, the stored milliseconds for
/// binding into a query (which borrows them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Stamp {
    at: DateTime<Utc>,
    ms: i64,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{0} ms since the epoch is no instant")]
pub struct NoInstant(pub i64);

impl TryFrom<i64> for Stamp {
    type Error = NoInstant;

    fn try_from(ms: i64) -> Result<Self, NoInstant> {
        DateTime::from_timestamp_millis(ms)
            .map(|at| Stamp { at, ms })
            .ok_or(NoInstant(ms))
    }
}

impl From<DateTime<Utc>> for Stamp {
    fn from(at: DateTime<Utc>) -> Self {
        // Stored to the millisecond, as every instant huiwu writes.
        let at = at.trunc_subsecs(3);
        Stamp {
            at,
            ms: at.timestamp_millis(),
        }
    }
}

/// How long from one instant to another.
impl std::ops::Sub for Stamp {
    type Output = chrono::Duration;

    fn sub(self, earlier: Stamp) -> chrono::Duration {
        self.at - earlier.at
    }
}

impl Stamp {
    pub fn millis(self) -> i64 {
        self.ms
    }

    pub fn utc(self) -> DateTime<Utc> {
        self.at
    }

    /// The stored milliseconds as read back: `Stamp::try_from` under the name storage uses
    /// for every column it reads as a number (ids too).
    pub fn new(ms: i64) -> Result<Self, NoInstant> {
        Self::try_from(ms)
    }

    /// The stored milliseconds, borrowed: what storage binds into a query.
    pub fn raw(&self) -> &i64 {
        &self.ms
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn millis_round_trip_and_the_unrepresentable_is_refused() {
        let at = Stamp::try_from(1_796_618_878_576).unwrap();
        assert_eq!(at.millis(), 1_796_618_878_576);
        assert_eq!(Stamp::try_from(i64::MAX), Err(NoInstant(i64::MAX)));
    }
}
