//! How meeting times read to people: local time, Chinese month-day and weekday.

use chrono::{DateTime, Datelike, TimeZone, Utc};
use chrono_tz::Tz;

const WEEKDAYS: [&str; 7] = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"];

pub fn local(ms: i64, tz: Tz) -> Option<DateTime<Tz>> {
    DateTime::<Utc>::from_timestamp_millis(ms).map(|t| tz.from_utc_datetime(&t.naive_utc()))
}

/// `12月1日(周二) 09:30`
pub fn when(ms: i64, tz: Tz) -> String {
    local(ms, tz)
        .map(|t| {
            format!(
                "{}月{}日({}) {}",
                t.month(),
                t.day(),
                WEEKDAYS[t.weekday().num_days_from_monday() as usize],
                t.format("%H:%M")
            )
        })
        .unwrap_or_default()
}

/// `09:30`
pub fn clock(ms: i64, tz: Tz) -> String {
    local(ms, tz)
        .map(|t| t.format("%H:%M").to_string())
        .unwrap_or_default()
}

/// `12月1日(周二) 09:30–10:30`
pub fn span(start_ms: i64, end_ms: i64, tz: Tz) -> String {
    format!("{}–{}", when(start_ms, tz), clock(end_ms, tz))
}

/// `12月1日`
pub fn day(date: chrono::NaiveDate) -> String {
    format!("{}月{}日", date.month(), date.day())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_local() {
        let ms = chrono::Utc
            .with_ymd_and_hms(2026, 12, 1, 1, 30, 0)
            .unwrap()
            .timestamp_millis();
        let tz: Tz = "Asia/Shanghai".parse().unwrap();
        assert_eq!(span(ms, ms + 3_600_000, tz), "12月1日(周二) 09:30–10:30");
    }
}
