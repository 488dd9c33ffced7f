//! How times, lists and answers look in a chat: local time, short lines, under WeChat's
//! 2048-byte limit for a text reply.

use chrono::{DateTime, Datelike, TimeZone, Utc};
use chrono_tz::Tz;

/// WeChat refuses text replies longer than this many bytes.
pub const MAX_REPLY_BYTES: usize = 2048;

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

/// Joins a header, list lines and a closing hint, cutting the list with "…还有 N 项" so the
/// whole stays within the reply limit.
pub fn fit(header: &str, lines: &[String], footer: &str) -> String {
    let mut out = header.to_owned();
    for (i, line) in lines.iter().enumerate() {
        let left = lines.len() - i;
        let cut = format!("\n…还有 {left} 项");
        let needed = out.len() + 1 + line.len() + footer.len() + 1;
        // Room must stay for a cut notice if this is not the last line.
        let reserve = if left > 1 { cut.len() + 8 } else { 0 };
        if needed + reserve > MAX_REPLY_BYTES {
            out.push_str(&cut);
            break;
        }
        out.push('\n');
        out.push_str(line);
    }
    if !footer.is_empty() {
        out.push('\n');
        out.push_str(footer);
    }
    truncate_bytes(out)
}

/// Cuts at a character boundary so a reply never exceeds the limit, whatever it holds.
pub fn truncate_bytes(mut text: String) -> String {
    if text.len() <= MAX_REPLY_BYTES {
        return text;
    }
    let mut end = MAX_REPLY_BYTES - "…".len();
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.truncate(end);
    text.push('…');
    text
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

    #[test]
    fn long_lists_are_cut_with_a_count_and_stay_under_the_limit() {
        let lines: Vec<String> = (1..=200)
            .map(|i| format!("#{i} 会议名称很长很长"))
            .collect();
        let text = fit("你的会议：", &lines, "发送「会议 id」查看详情");
        assert!(text.len() <= MAX_REPLY_BYTES, "{}", text.len());
        assert!(text.contains("…还有"), "{text}");
        assert!(text.ends_with("发送「会议 id」查看详情"));
        let short = fit("你的会议：", &lines[..2], "");
        assert_eq!(
            short,
            "你的会议：\n#1 会议名称很长很长\n#2 会议名称很长很长"
        );
        let huge = truncate_bytes("很".repeat(1000));
        assert!(huge.len() <= MAX_REPLY_BYTES && huge.ends_with('…'));
    }
}
