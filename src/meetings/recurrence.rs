//! When a recurring meeting (例会) happens: weekly on chosen weekdays every N weeks, or monthly
//! on a day of the month or on the Nth weekday (第二个周三), from a first date until an end date
//! or for a number of times. Dates are local calendar dates; the series' time of day is laid
//! on them in the configured zone by the caller. The same rule is written as an iCalendar
//! RRULE, so calendars expand exactly the dates huiwu creates.

use super::directory::FieldError;
use chrono::{Datelike, Duration, Months, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

/// More would fill the calendar for decades; a rule meant to run longer is renewed.
pub const MAX_OCCURRENCES: usize = 500;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "frequency", rename_all = "snake_case")]
pub enum Pattern {
    /// Every `interval` weeks (counted from the first date's week, Monday first) on `weekdays`.
    Weekly {
        interval: u32,
        weekdays: Vec<Weekday>,
    },
    /// Every `interval` months on day `day`; months without that day are skipped.
    MonthlyOnDay { interval: u32, day: u32 },
    /// Every `interval` months on the `nth` (1 to 5, or -1 for the last) `weekday`; months
    /// without a fifth one are skipped.
    MonthlyOnWeekday {
        interval: u32,
        nth: i32,
        weekday: Weekday,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum End {
    Until(NaiveDate),
    Count(u32),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recurrence {
    pub pattern: Pattern,
    pub starts_on: NaiveDate,
    pub end: End,
}

/// A recurrence as submitted: strings and numbers, checked by `Recurrence::parse`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct RecurrenceFields {
    /// `weekly` or `monthly`.
    pub frequency: Option<String>,
    pub interval: Option<u32>,
    /// For weekly: `mon` … `sun`.
    #[serde(default)]
    pub weekdays: Vec<String>,
    /// For monthly on a day of the month: 1 to 31.
    pub month_day: Option<u32>,
    /// For monthly on a weekday: which one (1 to 5, or -1 for the last) …
    pub nth: Option<i32>,
    /// … of which weekday (`mon` … `sun`).
    pub weekday: Option<String>,
    /// The first date the series may fall on (YYYY-MM-DD).
    pub starts_on: Option<String>,
    /// The last date it may fall on (YYYY-MM-DD); or `count`.
    pub until: Option<String>,
    pub count: Option<u32>,
}

const WEEKDAYS: [(&str, Weekday, &str, &str); 7] = [
    ("mon", Weekday::Mon, "MO", "一"),
    ("tue", Weekday::Tue, "TU", "二"),
    ("wed", Weekday::Wed, "WE", "三"),
    ("thu", Weekday::Thu, "TH", "四"),
    ("fri", Weekday::Fri, "FR", "五"),
    ("sat", Weekday::Sat, "SA", "六"),
    ("sun", Weekday::Sun, "SU", "日"),
];

fn weekday(name: &str) -> Option<Weekday> {
    let name = name.trim().to_ascii_lowercase();
    WEEKDAYS
        .iter()
        .find(|(n, ..)| name == *n || name.get(..3) == Some(n))
        .map(|(_, d, ..)| *d)
}

fn code(day: Weekday) -> &'static str {
    WEEKDAYS[day.num_days_from_monday() as usize].2
}

/// 周一 … 周日.
pub fn weekday_zh(day: Weekday) -> String {
    format!("周{}", WEEKDAYS[day.num_days_from_monday() as usize].3)
}

fn date(raw: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").ok()
}

fn err(field: &'static str, message: impl Into<String>) -> FieldError {
    FieldError {
        field,
        message: message.into(),
    }
}

impl Recurrence {
    /// Checks every field and that the rule yields at least one date and at most
    /// `MAX_OCCURRENCES`; errors name the field (`recurrence.weekdays`, …).
    pub fn parse(f: &RecurrenceFields) -> Result<Recurrence, Vec<FieldError>> {
        let mut errors = Vec::new();
        let interval = f.interval.unwrap_or(1);
        if !(1..=52).contains(&interval) {
            errors.push(err("recurrence.interval", "must be from 1 to 52"));
        }
        let pattern = match f.frequency.as_deref().map(str::trim) {
            Some("weekly") => {
                let mut days = Vec::new();
                for name in &f.weekdays {
                    match weekday(name) {
                        Some(d) if !days.contains(&d) => days.push(d),
                        Some(_) => {}
                        None => errors.push(err(
                            "recurrence.weekdays",
                            format!("{name:?} is not a weekday (mon … sun)"),
                        )),
                    }
                }
                if f.weekdays.is_empty() {
                    errors.push(err(
                        "recurrence.weekdays",
                        "a weekly series needs at least one weekday (mon … sun)",
                    ));
                }
                days.sort_by_key(|d| d.num_days_from_monday());
                Some(Pattern::Weekly {
                    interval,
                    weekdays: days,
                })
            }
            Some("monthly") => match (f.month_day, f.nth, f.weekday.as_deref()) {
                (Some(day), None, None) => {
                    if !(1..=31).contains(&day) {
                        errors.push(err("recurrence.month_day", "must be from 1 to 31"));
                    }
                    Some(Pattern::MonthlyOnDay { interval, day })
                }
                (None, Some(nth), Some(name)) => {
                    if !(nth == -1 || (1..=5).contains(&nth)) {
                        errors.push(err("recurrence.nth", "must be 1 to 5, or -1 for the last"));
                    }
                    match weekday(name) {
                        Some(weekday) => Some(Pattern::MonthlyOnWeekday {
                            interval,
                            nth,
                            weekday,
                        }),
                        None => {
                            errors.push(err(
                                "recurrence.weekday",
                                format!("{name:?} is not a weekday (mon … sun)"),
                            ));
                            None
                        }
                    }
                }
                _ => {
                    errors.push(err(
                        "recurrence.month_day",
                        "a monthly series needs either month_day, or nth with weekday",
                    ));
                    None
                }
            },
            Some(other) => {
                errors.push(err(
                    "recurrence.frequency",
                    format!("{other:?} is not weekly or monthly"),
                ));
                None
            }
            None => {
                errors.push(err(
                    "recurrence.frequency",
                    "is required: weekly or monthly",
                ));
                None
            }
        };
        let starts_on = match f.starts_on.as_deref().map(|d| (d, date(d))) {
            Some((_, Some(d))) => Some(d),
            Some((raw, None)) => {
                errors.push(err(
                    "recurrence.starts_on",
                    format!("{raw:?} is not a date such as 2026-12-07"),
                ));
                None
            }
            None => {
                errors.push(err("recurrence.starts_on", "is required"));
                None
            }
        };
        let end = match (f.until.as_deref(), f.count) {
            (Some(raw), None) => match date(raw) {
                Some(d) if starts_on.is_some_and(|s| d < s) => {
                    errors.push(err("recurrence.until", "is before starts_on"));
                    None
                }
                Some(d) => Some(End::Until(d)),
                None => {
                    errors.push(err(
                        "recurrence.until",
                        format!("{raw:?} is not a date such as 2027-01-31"),
                    ));
                    None
                }
            },
            (None, Some(n)) if (1..=MAX_OCCURRENCES as u32).contains(&n) => Some(End::Count(n)),
            (None, Some(_)) => {
                errors.push(err(
                    "recurrence.count",
                    format!("must be from 1 to {MAX_OCCURRENCES}"),
                ));
                None
            }
            _ => {
                errors.push(err(
                    "recurrence.until",
                    "give either until (a last date) or count (how many times)",
                ));
                None
            }
        };
        let (Some(pattern), Some(starts_on), Some(end), true) =
            (pattern, starts_on, end, errors.is_empty())
        else {
            return Err(errors);
        };
        let rule = Recurrence {
            pattern,
            starts_on,
            end,
        };
        rule.dates()
            .map_err(|message| vec![err("recurrence", message)])?;
        Ok(rule)
    }

    /// Every date of the series, in order: at least one, at most `MAX_OCCURRENCES`.
    pub fn dates(&self) -> Result<Vec<NaiveDate>, String> {
        let mut out = Vec::new();
        let last = match self.end {
            End::Until(d) => Some(d),
            End::Count(_) => None,
        };
        let wanted = match self.end {
            End::Count(n) => n as usize,
            End::Until(_) => MAX_OCCURRENCES + 1,
        };
        // A rule that only ever names a day no month has (30 February every 12 months) must
        // stop somewhere: a century of periods is more than any rule needs.
        const MAX_PERIODS: u32 = 1300;
        for period in 0..MAX_PERIODS {
            let candidates = self.period(period);
            let Some(first) = candidates
                .first()
                .copied()
                .or_else(|| self.period_start(period))
            else {
                break;
            };
            if last.is_some_and(|l| first > l) {
                break;
            }
            for d in candidates {
                if d < self.starts_on || last.is_some_and(|l| d > l) {
                    continue;
                }
                out.push(d);
                if out.len() == wanted {
                    break;
                }
            }
            if out.len() == wanted {
                break;
            }
        }
        if out.is_empty() {
            return Err("the rule yields no date between its start and its end".into());
        }
        if out.len() > MAX_OCCURRENCES {
            return Err(format!(
                "the rule yields more than {MAX_OCCURRENCES} dates: end it sooner"
            ));
        }
        Ok(out)
    }

    /// The first day of the `period`-th period counted (weeks or months), used to know when an
    /// end date has been passed in a period that yields no date.
    fn period_start(&self, period: u32) -> Option<NaiveDate> {
        match &self.pattern {
            Pattern::Weekly { interval, .. } => {
                let monday = self.starts_on
                    - Duration::days(i64::from(self.starts_on.weekday().num_days_from_monday()));
                monday.checked_add_signed(Duration::weeks(i64::from(period * interval)))
            }
            Pattern::MonthlyOnDay { interval, .. } | Pattern::MonthlyOnWeekday { interval, .. } => {
                self.starts_on
                    .with_day(1)?
                    .checked_add_months(Months::new(period * interval))
            }
        }
    }

    /// The dates the rule names in one period, in order (before filtering by start and end).
    fn period(&self, period: u32) -> Vec<NaiveDate> {
        let Some(start) = self.period_start(period) else {
            return Vec::new();
        };
        match &self.pattern {
            Pattern::Weekly { weekdays, .. } => weekdays
                .iter()
                .map(|d| start + Duration::days(i64::from(d.num_days_from_monday())))
                .collect(),
            Pattern::MonthlyOnDay { day, .. } => start.with_day(*day).into_iter().collect(),
            Pattern::MonthlyOnWeekday { nth, weekday, .. } => {
                nth_weekday(start, *nth, *weekday).into_iter().collect()
            }
        }
    }

    /// The RRULE (without DTSTART) for `count` dates from the first: huiwu writes the count it
    /// created, so a calendar expands exactly those dates.
    pub fn rrule(&self, count: usize) -> String {
        let interval = |n: u32| {
            if n > 1 {
                format!(";INTERVAL={n}")
            } else {
                String::new()
            }
        };
        let rule = match &self.pattern {
            Pattern::Weekly {
                interval: n,
                weekdays,
            } => format!(
                "FREQ=WEEKLY{};BYDAY={};WKST=MO",
                interval(*n),
                weekdays
                    .iter()
                    .map(|d| code(*d))
                    .collect::<Vec<_>>()
                    .join(",")
            ),
            Pattern::MonthlyOnDay { interval: n, day } => {
                format!("FREQ=MONTHLY{};BYMONTHDAY={day}", interval(*n))
            }
            Pattern::MonthlyOnWeekday {
                interval: n,
                nth,
                weekday,
            } => format!("FREQ=MONTHLY{};BYDAY={nth}{}", interval(*n), code(*weekday)),
        };
        format!("{rule};COUNT={count}")
    }

    /// "每周一、周三" / "每 2 周的周一" / "每月 15 日" / "每月第二个周三" / "每月最后一个周五".
    pub fn describe_zh(&self) -> String {
        match &self.pattern {
            Pattern::Weekly { interval, weekdays } => {
                let days: Vec<String> = weekdays.iter().map(|d| weekday_zh(*d)).collect();
                if *interval == 1 {
                    format!("每{}", days.join("、"))
                } else {
                    format!("每 {interval} 周的{}", days.join("、"))
                }
            }
            Pattern::MonthlyOnDay { interval, day } => {
                format!("{}{day} 日", every_months(*interval))
            }
            Pattern::MonthlyOnWeekday {
                interval,
                nth,
                weekday,
            } => {
                let which = match nth {
                    -1 => "最后一".to_owned(),
                    n => ["", "第一", "第二", "第三", "第四", "第五"]
                        .get(*n as usize)
                        .copied()
                        .unwrap_or_default()
                        .to_owned(),
                };
                format!(
                    "{}{which}个{}",
                    every_months(*interval),
                    weekday_zh(*weekday)
                )
            }
        }
    }

    /// The same rule, ending the day before `date` (a series split there keeps what came
    /// before); `None` when nothing would be left.
    pub fn ending_before(&self, date: NaiveDate) -> Option<Recurrence> {
        let last = date.pred_opt()?;
        if last < self.starts_on {
            return None;
        }
        let kept = self
            .dates()
            .ok()?
            .into_iter()
            .filter(|d| *d <= last)
            .count();
        (kept > 0).then(|| Recurrence {
            end: End::Count(kept as u32),
            ..self.clone()
        })
    }
}

fn every_months(interval: u32) -> String {
    if interval == 1 {
        "每月".to_owned()
    } else {
        format!("每 {interval} 个月的")
    }
}

/// The `nth` `weekday` of the month starting at `first_of_month` (-1: the last).
fn nth_weekday(first_of_month: NaiveDate, nth: i32, weekday: Weekday) -> Option<NaiveDate> {
    if nth == -1 {
        let last = first_of_month
            .checked_add_months(Months::new(1))?
            .pred_opt()?;
        let back = (7 + last.weekday().num_days_from_monday() - weekday.num_days_from_monday()) % 7;
        return Some(last - Duration::days(i64::from(back)));
    }
    let ahead =
        (7 + weekday.num_days_from_monday() - first_of_month.weekday().num_days_from_monday()) % 7;
    let d = first_of_month + Duration::days(i64::from(ahead) + 7 * i64::from(nth - 1));
    (d.month() == first_of_month.month()).then_some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(frequency: &str) -> RecurrenceFields {
        RecurrenceFields {
            frequency: Some(frequency.into()),
            starts_on: Some("2026-12-07".into()),
            count: Some(8),
            ..Default::default()
        }
    }

    fn d(s: &str) -> NaiveDate {
        date(s).unwrap()
    }

    #[test]
    fn weekly_on_two_days_every_other_week() {
        let mut f = fields("weekly");
        f.weekdays = vec!["wed".into(), "mon".into()];
        f.interval = Some(2);
        f.starts_on = Some("2026-12-09".into()); // a Wednesday: that week's Monday is before it
        f.count = Some(5);
        let rule = Recurrence::parse(&f).unwrap();
        let dates = rule.dates().unwrap();
        assert_eq!(
            dates,
            [
                "2026-12-09",
                "2026-12-21",
                "2026-12-23",
                "2027-01-04",
                "2027-01-06"
            ]
            .map(d)
        );
        assert_eq!(
            rule.rrule(5),
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;WKST=MO;COUNT=5"
        );
        assert_eq!(rule.describe_zh(), "每 2 周的周一、周三");
    }

    #[test]
    fn monthly_on_the_second_wednesday_and_on_the_last_friday() {
        let mut f = fields("monthly");
        f.nth = Some(2);
        f.weekday = Some("wed".into());
        f.count = Some(3);
        let rule = Recurrence::parse(&f).unwrap();
        assert_eq!(
            rule.dates().unwrap(),
            ["2026-12-09", "2027-01-13", "2027-02-10"].map(d)
        );
        assert_eq!(rule.describe_zh(), "每月第二个周三");
        f.nth = Some(-1);
        f.weekday = Some("fri".into());
        let rule = Recurrence::parse(&f).unwrap();
        assert_eq!(
            rule.dates().unwrap(),
            ["2026-12-25", "2027-01-29", "2027-02-26"].map(d)
        );
        assert_eq!(rule.rrule(3), "FREQ=MONTHLY;BYDAY=-1FR;COUNT=3");
    }

    #[test]
    fn monthly_on_the_31st_skips_shorter_months() {
        let mut f = fields("monthly");
        f.month_day = Some(31);
        f.count = None;
        f.until = Some("2027-05-31".into());
        let rule = Recurrence::parse(&f).unwrap();
        assert_eq!(
            rule.dates().unwrap(),
            ["2026-12-31", "2027-01-31", "2027-03-31", "2027-05-31"].map(d)
        );
    }

    #[test]
    fn bad_rules_are_refused_naming_the_field() {
        let named = |f: RecurrenceFields| -> Vec<&'static str> {
            Recurrence::parse(&f)
                .unwrap_err()
                .into_iter()
                .map(|e| e.field)
                .collect()
        };
        assert_eq!(named(fields("weekly")), ["recurrence.weekdays"]);
        assert_eq!(named(fields("daily")), ["recurrence.frequency"]);
        let mut f = fields("weekly");
        f.weekdays = vec!["mon".into()];
        f.count = None;
        f.until = Some("2026-12-01".into());
        assert_eq!(named(f.clone()), ["recurrence.until"]);
        f.until = Some("2040-12-01".into());
        assert_eq!(named(f.clone()), ["recurrence"]);
        f.until = None;
        f.count = Some(501);
        assert_eq!(named(f), ["recurrence.count"]);
        // February never has a 30th: the rule names no date at all.
        let mut f = fields("monthly");
        f.month_day = Some(30);
        f.interval = Some(12);
        f.starts_on = Some("2027-02-01".into());
        f.count = Some(2);
        assert_eq!(named(f), ["recurrence"]);
    }

    #[test]
    fn a_series_split_keeps_the_dates_before_the_split() {
        let mut f = fields("weekly");
        f.weekdays = vec!["mon".into()];
        let rule = Recurrence::parse(&f).unwrap();
        let kept = rule.ending_before(d("2027-01-04")).unwrap();
        assert_eq!(
            kept.dates().unwrap(),
            ["2026-12-07", "2026-12-14", "2026-12-21", "2026-12-28"].map(d)
        );
        assert_eq!(rule.ending_before(d("2026-12-07")), None);
    }
}
