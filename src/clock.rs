//! Time behind a trait, so tests move it instead of sleeping; and local wall-clock times
//! turned into instants one way everywhere.

use chrono::{DateTime, NaiveDateTime, TimeZone, Timelike, Utc};
use std::sync::Mutex;

pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> DateTime<Utc>;
}

pub struct SystemClock;

impl Clock for SystemClock {
    // The one place the system's time is read.
    #[allow(clippy::disallowed_methods)]
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that stands still until told to move.
pub struct ManualClock(Mutex<DateTime<Utc>>);

impl ManualClock {
    pub fn new(at: DateTime<Utc>) -> Self {
        Self(Mutex::new(at))
    }

    pub fn set(&self, at: DateTime<Utc>) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = at;
    }

    pub fn advance(&self, by: chrono::Duration) {
        let mut now = self.0.lock().unwrap_or_else(|e| e.into_inner());
        *now += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The instant a local wall-clock time names in `tz`. A time that occurs twice (clocks go
/// back) is the first of the two; a time that does not occur (inside the gap when clocks go
/// forward) moves forward to the first valid instant, the end of the gap.
pub fn local_instant<T: TimeZone>(tz: &T, local: NaiveDateTime) -> DateTime<Utc> {
    // Gaps last an hour in practice, never more than a day; each step is a minute.
    const MAX_GAP_MINUTES: i64 = 24 * 60;
    let mut t = local;
    for _ in 0..=MAX_GAP_MINUTES {
        if let Some(at) = tz.from_local_datetime(&t).earliest() {
            return at.with_timezone(&Utc);
        }
        t = (t + chrono::Duration::minutes(1))
            .with_second(0)
            .unwrap_or(t + chrono::Duration::minutes(1));
    }
    Utc.from_utc_datetime(&local)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn berlin(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        let local = NaiveDate::from_ymd_opt(y, mo, d)
            .unwrap()
            .and_hms_opt(h, mi, 0)
            .unwrap();
        local_instant(&chrono_tz::Europe::Berlin, local)
    }

    #[test]
    fn a_time_inside_the_spring_gap_moves_to_the_end_of_the_gap() {
        // 2026-03-29: Berlin's clocks jump from 02:00 CET to 03:00 CEST (01:00 UTC).
        let gap_end = Utc.with_ymd_and_hms(2026, 3, 29, 1, 0, 0).unwrap();
        assert_eq!(berlin(2026, 3, 29, 2, 0), gap_end);
        assert_eq!(berlin(2026, 3, 29, 2, 30), gap_end);
        assert_eq!(berlin(2026, 3, 29, 2, 59), gap_end);
        assert_eq!(
            berlin(2026, 3, 29, 3, 0),
            gap_end,
            "03:00 CEST is the first valid instant"
        );
        assert_eq!(
            berlin(2026, 3, 29, 1, 59),
            Utc.with_ymd_and_hms(2026, 3, 29, 0, 59, 0).unwrap()
        );
    }

    #[test]
    fn a_time_that_occurs_twice_is_the_first() {
        // 2026-10-25: 02:30 happens at 00:30 UTC (CEST) and again at 01:30 UTC (CET).
        assert_eq!(
            berlin(2026, 10, 25, 2, 30),
            Utc.with_ymd_and_hms(2026, 10, 25, 0, 30, 0).unwrap()
        );
    }

    #[test]
    fn ordinary_times_are_plain() {
        assert_eq!(
            berlin(2026, 12, 1, 9, 30),
            Utc.with_ymd_and_hms(2026, 12, 1, 8, 30, 0).unwrap()
        );
    }
}
