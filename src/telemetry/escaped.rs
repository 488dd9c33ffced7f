//! A log writer that keeps one event on one line: the text format writes a value as it is
//! (`%` fields), so a line break in something a client sent (a query parameter, a name) would
//! otherwise start a forged log line. Every control character but the event's own final
//! newline is written escaped (`\n`, `\r`, `\u{1b}`), which also defuses terminal escapes.

use std::io::{self, Write};
use tracing_subscriber::fmt::MakeWriter;

/// `MakeWriter` for stderr with control characters escaped; `colours` keeps ESC `[` (the
/// formatter's own colours, when stderr is a terminal someone watches).
#[derive(Debug, Clone, Copy, Default)]
pub struct EscapedStderr {
    pub colours: bool,
}

impl<'a> MakeWriter<'a> for EscapedStderr {
    type Writer = Escaped<io::Stderr>;

    fn make_writer(&'a self) -> Self::Writer {
        Escaped {
            inner: io::stderr(),
            colours: self.colours,
        }
    }
}

pub struct Escaped<W> {
    inner: W,
    colours: bool,
}

/// `event` with its control characters escaped, but for one trailing newline (and, with
/// `colours`, ESC `[`).
pub fn escape(event: &str, colours: bool) -> String {
    let (body, end) = match event.strip_suffix('\n') {
        Some(body) => (body, "\n"),
        None => (event, ""),
    };
    let mut out = String::with_capacity(event.len() + 8);
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' if colours && chars.peek() == Some(&'[') => out.push(c),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push('\t'),
            c if c.is_control() => out.push_str(&c.escape_unicode().to_string()),
            c => out.push(c),
        }
    }
    out.push_str(end);
    out
}

impl<W: Write> Write for Escaped<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        self.inner
            .write_all(escape(&text, self.colours).as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn an_event_stays_on_its_line() {
        assert_eq!(
            escape("INFO q=a\r\nINFO forged\n", false),
            "INFO q=a\\r\\nINFO forged\n"
        );
        assert_eq!(escape("bell\u{7}\n", false), "bell\\u{7}\n");
        let dim = "\u{1b}[2mdim\u{1b}[0m\n";
        assert_eq!(escape(dim, true), dim);
        assert_eq!(escape(dim, false), "\\u{1b}[2mdim\\u{1b}[0m\n");
        assert_eq!(escape("x\u{1b}]0;title\n", true), "x\\u{1b}]0;title\n");
    }
}
