//! Every chat example in docs/chat.md is a command huiwu understands as
//! written (the section promises that what it shows can be sent).

use huiwu::bot::command::{Command, COMMANDS};

#[test]
fn every_chat_example_in_the_readme_parses() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/chat.md"))
        .unwrap_or_default();
    let section = readme
        .split("## Chat commands")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .unwrap_or_default();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default();
    let mut checked = 0;
    for (i, span) in section.split('`').enumerate() {
        // Odd pieces are inside backticks; examples start with a command's Chinese name, show
        // no placeholders, and are more than a mention of the name.
        let example = span.trim_start_matches("例如：");
        let is_example = i % 2 == 1
            && !example.contains('<')
            && COMMANDS.iter().any(|c| example.starts_with(c.zh))
            && !COMMANDS.iter().any(|c| example == c.zh);
        if !is_example {
            continue;
        }
        checked += 1;
        assert!(
            Command::parse(example, today).is_ok(),
            "README example `{example}` is not understood"
        );
    }
    assert!(checked >= 10, "only {checked} examples found");
}
