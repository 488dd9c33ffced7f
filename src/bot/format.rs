//! How times, lists and answers look in a chat: local time, short lines, under WeChat's
//! 2048-byte limit for a text reply.

pub use crate::meetings::display::{clock, day, span, when};

/// WeChat refuses text replies longer than this many bytes.
pub const MAX_REPLY_BYTES: usize = 2048;

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
