//! What the handlers and the domain check about single fields of a request body, stated in
//! the API document so that a client (or a contract test) knows before it asks. Each body
//! states its rules beside its definition (`impl FieldRules`), each rule naming the code that
//! enforces it where that is not plain; enum values come from the domain's own lists.
//! `openapi::rules` merges them into the document (and fails its test on a field a rule names
//! that the body does not have). Rules across fields or records (a host among the roles, the
//! agenda fitting the meeting, references to existing people) cannot be said in JSON Schema:
//! they are in the 422 descriptions.

pub(super) use crate::meetings::action_items::TaskStatus;
pub(super) use crate::meetings::minutes::EntryKind;
pub(super) use crate::meetings::participation::{Role, Rsvp};
use crate::meetings::text::{CONTROLS, WHITE_SPACE};
use serde_json::{json, Value};

/// A request body's own field rules: (property, what to add to its schema). `items` applies
/// to an array's items.
pub(super) trait FieldRules: utoipa::ToSchema {
    fn field_rules() -> Vec<(&'static str, Value)>;
}

/// No NUL (`body::Body` refuses it anywhere).
pub(super) fn no_nul() -> String {
    "^[^\\x00]*$".to_owned()
}

/// `text::is_bounded`: something besides White_Space (the length is minLength/maxLength).
pub(super) fn not_blank() -> String {
    format!("^[^\\x00]*[^\\x00{WHITE_SPACE}][^\\x00]*$")
}

/// `text::is_web_link`.
pub(super) fn web_link() -> String {
    format!("^[Hh][Tt][Tt][Pp]([Ss])?://[^{CONTROLS}{WHITE_SPACE}]+$")
}

/// `text::is_bounded`: on one line, something besides White_Space.
pub(super) fn line(min: u32, max: Option<u32>) -> Value {
    let mut v = json!({
        "minLength": min,
        "pattern": format!("^[^{CONTROLS}]*[^{CONTROLS}{WHITE_SPACE}][^{CONTROLS}]*$"),
    });
    if let Some(max) = max {
        v["maxLength"] = json!(max);
    }
    v
}

/// `text::is_one_line`, any length.
pub(super) fn one_line() -> Value {
    json!({"pattern": format!("^[^{CONTROLS}]*$")})
}

pub(super) fn text(min: u32, max: Option<u32>) -> Value {
    let mut v = json!({"minLength": min, "pattern": not_blank()});
    if let Some(max) = max {
        v["maxLength"] = json!(max);
    }
    v
}

pub(super) fn names(all: impl IntoIterator<Item = &'static str>) -> Value {
    json!({"enum": all.into_iter().collect::<Vec<_>>()})
}

pub(super) fn id() -> Value {
    json!({"minimum": 1})
}

/// `participation::Role`.
pub(super) fn roles() -> Value {
    names(Role::ALL.map(Role::as_str))
}

/// `directory::checked_name`.
pub(super) fn person_name() -> Value {
    line(1, Some(64))
}

/// `recurrence::Recurrence::parse`.
pub(super) fn weekdays() -> Value {
    names(["mon", "tue", "wed", "thu", "fri", "sat", "sun"])
}

/// An array of strings each on one line (a room's equipment).
pub(super) fn each_one_line() -> Value {
    json!({"items": {"type": "string", "pattern": format!("^[^{CONTROLS}]*$")}})
}

/// A WeChat openid or WeCom userid: no control character or white space, at most 64.
pub(super) fn account_id() -> Value {
    json!({"pattern": format!("^[^{CONTROLS}{WHITE_SPACE}]{{0,64}}$")})
}

/// `draft::MeetingDraft::parse` (and `series::SeriesTemplate::parse`): empty, or a web link.
pub(super) fn optional_web_link() -> Value {
    json!({"pattern": format!("^$|{}", web_link())})
}

/// A local time of day, `HH:MM`.
pub(super) fn time_of_day() -> Value {
    json!({"pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"})
}

/// An agenda item wherever one is written (a meeting's, a series', one added):
/// `agenda::Agenda::new`.
pub(super) fn agenda_item() -> Vec<(&'static str, Value)> {
    vec![
        ("title", line(1, None)),
        ("minutes", json!({"minimum": 1})),
        ("presenter_id", id()),
    ]
}

/// A person in a role wherever one is named.
pub(super) fn role_assignment() -> Vec<(&'static str, Value)> {
    vec![("person_id", id()), ("role", roles())]
}

/// A reason that must say something (cancelling, declining a topic).
pub(super) fn reason() -> Vec<(&'static str, Value)> {
    vec![("reason", text(1, None))]
}
