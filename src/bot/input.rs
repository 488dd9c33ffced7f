//! Reading a chat message the way people type it on a phone: full-width letters, digits and
//! punctuation, ideographic spaces, commas or colons after the command.

use crate::meetings::MeetingId;

/// Full-width ASCII forms become ASCII, the ideographic space a space. One char maps to one
/// char, so positions in the normalised text are positions in what was typed.
fn half_width(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

fn is_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, ',' | ':' | ';' | '、' | '。')
}

/// A message being read left to right.
#[derive(Clone)]
pub struct Input {
    typed: Vec<char>,
    /// Half-width and lower-case, for matching.
    norm: Vec<char>,
    pos: usize,
}

impl Input {
    pub fn new(text: &str) -> Self {
        let typed: Vec<char> = text.chars().collect();
        let norm = typed
            .iter()
            .map(|&c| {
                let c = half_width(c);
                if c.is_ascii() {
                    c.to_ascii_lowercase()
                } else {
                    c
                }
            })
            .collect();
        Self {
            typed,
            norm,
            pos: 0,
        }
    }

    fn skip_separators(&mut self) {
        while self.pos < self.norm.len() && is_separator(self.norm[self.pos]) {
            self.pos += 1;
        }
    }

    /// Consumes `word` if the text continues with it; an ASCII word must end at a separator,
    /// a digit, `#` or the end, so `meeting` does not match `meetings`.
    pub fn keyword(&mut self, word: &str) -> bool {
        self.skip_separators();
        let word: Vec<char> = word.chars().collect();
        let end = self.pos + word.len();
        if end > self.norm.len() || self.norm[self.pos..end] != word[..] {
            return false;
        }
        let ascii = word.last().is_some_and(|c| c.is_ascii_alphabetic());
        let boundary = self
            .norm
            .get(end)
            .is_none_or(|&c| is_separator(c) || c.is_ascii_digit() || c == '#');
        if ascii && !boundary {
            return false;
        }
        self.pos = end;
        true
    }

    /// The next token, half-width, as typed otherwise (case kept).
    pub fn word(&mut self) -> Option<String> {
        self.skip_separators();
        let start = self.pos;
        while self.pos < self.norm.len() && !is_separator(self.norm[self.pos]) {
            self.pos += 1;
        }
        (self.pos > start).then(|| {
            self.typed[start..self.pos]
                .iter()
                .map(|&c| half_width(c))
                .collect()
        })
    }

    /// The next token if it is a meeting id (`12`, `#12`, `１２`); otherwise nothing is consumed.
    pub fn meeting_id(&mut self) -> Option<MeetingId> {
        let saved = self.pos;
        match self.word().and_then(|w| w.parse().ok()) {
            Some(id) => Some(id),
            None => {
                self.pos = saved;
                None
            }
        }
    }

    /// The next token if it names a meeting explicitly (`#12`, `＃１２`); otherwise nothing is
    /// consumed. For commands whose text may itself start with a number.
    pub fn explicit_meeting_id(&mut self) -> Option<MeetingId> {
        let saved = self.pos;
        match self.word().filter(|w| w.starts_with('#')) {
            Some(w) => w.parse().ok().or_else(|| {
                self.pos = saved;
                None
            }),
            None => {
                self.pos = saved;
                None
            }
        }
    }

    /// A meeting id for a command whose own argument comes next: `#12` always, a bare number
    /// only when at least `then` more tokens follow it (otherwise it is that argument, such as
    /// an all-digit employee number or a rating).
    pub fn meeting_id_before(&mut self, then: usize) -> Option<MeetingId> {
        if let Some(id) = self.explicit_meeting_id() {
            return Some(id);
        }
        let saved = self.pos;
        let id = self.meeting_id()?;
        let after = self.pos;
        let mut following = 0;
        while following < then && self.word().is_some() {
            following += 1;
        }
        self.pos = if following == then { after } else { saved };
        (following == then).then_some(id)
    }

    /// Everything left, exactly as typed, trimmed.
    pub fn rest(&mut self) -> String {
        self.skip_separators();
        let rest: String = self.typed[self.pos..].iter().collect();
        self.pos = self.typed.len();
        rest.trim().to_owned()
    }

    /// The first token as typed, for "not understood" replies.
    pub fn first_word(text: &str) -> String {
        Input::new(text).word().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_and_ideographic_spaces_read_as_ascii() {
        let mut input = Input::new("  ＣｈｅｃｋＩｎ\u{3000}＃１２");
        assert!(input.keyword("checkin"));
        assert_eq!(input.meeting_id(), MeetingId::new(12).ok());
        assert_eq!(input.rest(), "");
    }

    #[test]
    fn ascii_keywords_need_a_boundary_and_chinese_ones_do_not() {
        assert!(!Input::new("meetings").keyword("meeting"));
        assert!(Input::new("meeting 3").keyword("meeting"));
        assert!(Input::new("accept3").keyword("accept"));
        let mut input = Input::new("请假12，家里有事");
        assert!(input.keyword("请假"));
        assert_eq!(input.meeting_id(), MeetingId::new(12).ok());
        assert_eq!(input.rest(), "家里有事");
    }

    #[test]
    fn a_bare_number_is_a_meeting_only_when_the_argument_follows() {
        let id = |n| MeetingId::new(n).ok();
        let mut input = Input::new("100016");
        assert_eq!(input.meeting_id_before(1), None);
        assert_eq!(input.word().as_deref(), Some("100016"));
        let mut input = Input::new("12 100016");
        assert_eq!(input.meeting_id_before(1), id(12));
        assert_eq!(input.word().as_deref(), Some("100016"));
        let mut input = Input::new("＃３ 100016");
        assert_eq!(input.meeting_id_before(1), id(3));
        let mut input = Input::new("#3");
        assert_eq!(input.meeting_id_before(1), id(3));
        let mut input = Input::new("3 个问题");
        assert_eq!(input.explicit_meeting_id(), None);
        assert_eq!(input.rest(), "3 个问题");
    }

    #[test]
    fn free_text_keeps_what_was_typed() {
        let mut input = Input::new("记录：预算 ＡＢＣ 通过");
        assert!(input.keyword("记录"));
        assert_eq!(input.meeting_id(), None);
        assert_eq!(input.rest(), "预算 ＡＢＣ 通过");
    }
}
