//! An instant as stored (milliseconds since the epoch), read once: a value no date can carry
//! is a damaged row, never shown as 1970 or taken as "now".

use chrono::{DateTime, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Stamp(DateTime<Utc>);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{0} ms since the epoch is no instant")]
pub struct NoInstant(pub i64);

impl TryFrom<i64> for Stamp {
    type Error = NoInstant;

    fn try_from(ms: i64) -> Result<Self, NoInstant> {
        DateTime::from_timestamp_millis(ms)
            .map(Stamp)
            .ok_or(NoInstant(ms))
    }
}

impl From<DateTime<Utc>> for Stamp {
    fn from(at: DateTime<Utc>) -> Self {
        Stamp(at)
    }
}

impl Stamp {
    pub fn millis(self) -> i64 {
        self.0.timestamp_millis()
    }

    pub fn utc(self) -> DateTime<Utc> {
        self.0
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
