//! Due dates as people type them: 2026-12-01, 12-01, 12/1, 12月1日, 今天, 明天, 后天, 周五,
//! 星期五, 下周一 (and today / tomorrow).

use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// A month-day this many days behind today means the same day next year (written in late
/// December about January).
const ROLL_OVER_DAYS: i64 = 30;

pub fn parse_due(word: &str, today: NaiveDate) -> Option<NaiveDate> {
    let word = word.trim();
    match word {
        "今天" | "today" => return Some(today),
        "明天" | "tomorrow" => return Some(today + Duration::days(1)),
        "后天" => return Some(today + Duration::days(2)),
        _ => {}
    }
    if let Some(day) = word
        .strip_prefix("下周")
        .or_else(|| word.strip_prefix("下星期"))
    {
        let weekday = weekday(day)?;
        let this_monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
        return Some(this_monday + Duration::days(7 + i64::from(weekday.num_days_from_monday())));
    }
    if let Some(day) = word
        .strip_prefix('周')
        .or_else(|| word.strip_prefix("星期"))
        .or_else(|| word.strip_prefix("礼拜"))
    {
        let weekday = weekday(day)?;
        let ahead = (7 + i64::from(weekday.num_days_from_monday())
            - i64::from(today.weekday().num_days_from_monday()))
            % 7;
        return Some(today + Duration::days(ahead));
    }
    let numbers: Vec<u32> = word
        .split(['-', '/', '.', '月', '日', '号', '年'])
        .filter(|p| !p.is_empty())
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    match numbers[..] {
        [y, m, d] if y >= 1000 => NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d),
        [m, d] => {
            let this_year = NaiveDate::from_ymd_opt(today.year(), m, d)?;
            if (today - this_year).num_days() > ROLL_OVER_DAYS {
                NaiveDate::from_ymd_opt(today.year() + 1, m, d)
            } else {
                Some(this_year)
            }
        }
        _ => None,
    }
}

fn weekday(name: &str) -> Option<Weekday> {
    Some(match name {
        "一" | "1" => Weekday::Mon,
        "二" | "2" => Weekday::Tue,
        "三" | "3" => Weekday::Wed,
        "四" | "4" => Weekday::Thu,
        "五" | "5" => Weekday::Fri,
        "六" | "6" => Weekday::Sat,
        "日" | "天" | "7" => Weekday::Sun,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn every_form_in_the_command_table() {
        // 2026-11-26 is a Thursday.
        let today = d(2026, 11, 26);
        let cases = [
            ("2026-12-01", d(2026, 12, 1)),
            ("2026/12/1", d(2026, 12, 1)),
            ("12-01", d(2026, 12, 1)),
            ("12/1", d(2026, 12, 1)),
            ("12月1日", d(2026, 12, 1)),
            ("12月1号", d(2026, 12, 1)),
            ("今天", today),
            ("明天", d(2026, 11, 27)),
            ("后天", d(2026, 11, 28)),
            ("周五", d(2026, 11, 27)),
            ("星期四", today),
            ("周一", d(2026, 11, 30)),
            ("下周一", d(2026, 11, 30)),
            ("下周五", d(2026, 12, 4)),
            ("周日", d(2026, 11, 29)),
            ("tomorrow", d(2026, 11, 27)),
        ];
        for (word, want) in cases {
            assert_eq!(parse_due(word, today), Some(want), "{word}");
        }
    }

    #[test]
    fn a_month_day_long_past_is_next_year_and_nonsense_is_refused() {
        let today = d(2026, 12, 28);
        assert_eq!(parse_due("1月5日", today), Some(d(2027, 1, 5)));
        assert_eq!(parse_due("12-20", today), Some(d(2026, 12, 20)));
        for junk in ["2月30日", "周八", "someday", "13-01", "", "1-2-3-4"] {
            assert_eq!(parse_due(junk, today), None, "{junk}");
        }
    }
}
