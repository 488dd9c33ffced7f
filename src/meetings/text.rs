//! Rules for submitted text, shared by every door and written so that the admin API's JSON
//! Schema states exactly the same (`web/admin/openapi.rs` builds its patterns from the
//! constants here): lengths count characters as submitted, "blank" means nothing but Unicode
//! White_Space (what `str::trim` removes), and links and dates have one spelling each.

use chrono::{NaiveDate, NaiveTime};

/// Unicode White_Space, as a regex character class body (what `char::is_whitespace` is).
pub const WHITE_SPACE: &str =
    "\\t\\n\\x0b\\x0c\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";

pub fn is_blank(s: &str) -> bool {
    s.chars().all(char::is_whitespace)
}

/// 1 to `max` characters as submitted, not all blank, on one line: names and titles end up
/// in calendar feeds, CSV files and log lines, where a line break or another control
/// character would start something of its own.
pub fn is_bounded(s: &str, max: usize) -> bool {
    (1..=max).contains(&s.chars().count()) && !is_blank(s) && is_one_line(s)
}

/// No control character at all (C0, DEL, C1): a name, a title, a place.
pub fn is_one_line(s: &str) -> bool {
    !s.chars().any(char::is_control)
}

/// The control characters a regex character class excludes for `is_one_line`.
pub const CONTROLS: &str = "\\x00-\\x1f\\x7f-\\x9f";

/// `http://` or `https://` (any case) and at least one more character, no White_Space or
/// control character.
pub fn is_web_link(s: &str) -> bool {
    let lower = s.get(..8).unwrap_or(s).to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &s[8..]
    } else if lower.starts_with("http://") {
        &s[7..]
    } else {
        return false;
    };
    !rest.is_empty() && !rest.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// 1 to 32 ASCII letters, digits or dashes.
pub fn is_employee_no(s: &str) -> bool {
    (1..=32).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// An openid or WeCom userid: at most 64 characters, no White_Space or control character
/// (empty: none).
pub fn is_external_id(s: &str) -> bool {
    s.chars().count() <= 64 && !s.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// `YYYY-MM-DD`, digits padded, nothing around it.
pub fn strict_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    shape
        .then(|| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
        .flatten()
}

/// `HH:MM`, 00:00 to 23:59.
pub fn strict_time(s: &str) -> Option<NaiveTime> {
    let b = s.as_bytes();
    let shape = b.len() == 5
        && b[2] == b':'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 2 || c.is_ascii_digit());
    shape
        .then(|| NaiveTime::parse_from_str(s, "%H:%M").ok())
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_dates_and_times_have_one_spelling() {
        assert!(is_web_link("https://meet.example.com/j/1"));
        assert!(is_web_link("HTTP://x"));
        for bad in [
            "http://",
            "ftp://x",
            "https://a b",
            "meet.example.com",
            "",
            "https://x\u{88}",
            "https://x\u{7}y",
        ] {
            assert!(!is_web_link(bad), "{bad}");
        }
        assert!(strict_date("2026-12-01").is_some());
        for bad in ["2026-12-1", "2026-13-01", " 2026-12-01", "+2026-12-01"] {
            assert_eq!(strict_date(bad), None, "{bad}");
        }
        assert!(strict_time("09:00").is_some());
        for bad in ["9:00", "24:00", "09:60", "09:00:00"] {
            assert_eq!(strict_time(bad), None, "{bad}");
        }
    }

    #[test]
    fn lengths_count_what_was_submitted() {
        assert!(is_bounded("周会", 2));
        assert!(!is_bounded(" 周会", 2));
        assert!(!is_bounded("\u{3000}", 5), "an ideographic space is blank");
        assert!(
            !is_bounded("\u{1c}", 5),
            "a separator control is not White_Space, but no name or title holds one"
        );
        assert!(!is_bounded("张三\r\nBEGIN:VEVENT", 64), "one line only");
        assert!(is_one_line("周会 \u{3000}三楼") && !is_one_line("a\u{85}b"));
    }
}
