//! Running a meeting from its page: the host's controls, 代签, the questions, the recorder's
//! minutes, the participants' votes, questions and help. `view` draws what `ops::board`
//! allows the reader; `forms` takes the posts; `refresh` serves the board to the page's
//! script, which replaces it while the meeting runs.

mod forms;
mod refresh;
mod view;

pub use forms::{answer_question, ask, check_in, help, publish_minutes, run, vote, write_minutes};
pub use refresh::{board, script};
pub use view::{draws, section, shown, tally_line, Frame};
