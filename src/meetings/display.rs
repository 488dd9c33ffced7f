//! How meeting times read to people: local time, Chinese month-day and weekday.

use super::stamp::Stamp;
use chrono::{DateTime, Datelike, TimeZone, Utc};
use chrono_tz::Tz;

const WEEKDAYS: [&str; 7] = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"];

/// What the times shown take: a stored instant (`Stamp`, always a date), or milliseconds
/// worked out from one (`i64`, shown as nothing if no date can carry them).
pub trait Shown: Copy {
    fn instant(self) -> Option<DateTime<Utc>>;
}

impl Shown for i64 {
    fn instant(self) -> Option<DateTime<Utc>> {
        DateTime::<Utc>::from_timestamp_millis(self)
    }
}

impl Shown for Stamp {
    fn instant(self) -> Option<DateTime<Utc>> {
        Some(self.utc())
    }
}

pub fn local(at: impl Shown, tz: Tz) -> Option<DateTime<Tz>> {
    at.instant().map(|t| tz.from_utc_datetime(&t.naive_utc()))
}

/// `12月1日(周二) 09:30`
pub fn when(at: impl Shown, tz: Tz) -> String {
    local(at, tz).map(month_day_time).unwrap_or_default()
}

/// `09:30`
pub fn clock(at: impl Shown, tz: Tz) -> String {
    local(at, tz).map(hour_minute).unwrap_or_default()
}

/// `12月1日(周二) 09:30–10:30`: a meeting's planned time, read from its row.
pub fn span(start: Stamp, end: Stamp, tz: Tz) -> String {
    format!(
        "{}–{}",
        month_day_time(start.utc().with_timezone(&tz)),
        hour_minute(end.utc().with_timezone(&tz))
    )
}

fn month_day_time(t: DateTime<Tz>) -> String {
    format!(
        "{}月{}日({}) {}",
        t.month(),
        t.day(),
        WEEKDAYS[t.weekday().num_days_from_monday() as usize],
        hour_minute(t)
    )
}

fn hour_minute(t: DateTime<Tz>) -> String {
    t.format("%H:%M").to_string()
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
        let start = chrono::Utc.with_ymd_and_hms(2026, 12, 1, 1, 30, 0).unwrap();
        let tz: Tz = "Asia/Shanghai".parse().unwrap();
        let (from, until) = (start.into(), (start + chrono::Duration::hours(1)).into());
        assert_eq!(span(from, until, tz), "12月1日(周二) 09:30–10:30");
        assert_eq!(when(start.timestamp_millis(), tz), "12月1日(周二) 09:30");
    }
}

/// What a material is, from its address, in words: 文档 types people recognise, else 链接.
pub fn material_kind_zh(url: &str) -> &'static str {
    let path = url
        .split(['?', '#'])
        .next()
        .unwrap_or(url)
        .to_ascii_lowercase();
    let ext = path.rsplit_once('.').map_or("", |(_, e)| e);
    match ext {
        "pdf" => "PDF",
        "ppt" | "pptx" | "key" => "幻灯片",
        "doc" | "docx" => "Word 文档",
        "xls" | "xlsx" | "csv" => "表格",
        "png" | "jpg" | "jpeg" | "gif" | "webp" => "图片",
        "mp4" | "mov" => "视频",
        "zip" | "rar" | "7z" => "压缩包",
        _ => "链接",
    }
}

#[cfg(test)]
mod material_kind {
    use super::material_kind_zh;

    #[test]
    fn the_kind_comes_from_the_address_not_its_query() {
        assert_eq!(material_kind_zh("https://x.cn/a/计划.PDF"), "PDF");
        assert_eq!(material_kind_zh("https://x.cn/deck.pptx?v=2#p3"), "幻灯片");
        assert_eq!(material_kind_zh("https://docs.example.com/list"), "链接");
        assert_eq!(material_kind_zh("https://x.cn/?file=a.pdf"), "链接");
    }
}
