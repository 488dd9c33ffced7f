//! Submitted text an operation checks before storing it, where no domain type holds it.

use super::OpsError;
use crate::meetings::directory::FieldError;
use crate::meetings::text;

/// A title, or a topic that becomes one: trimmed, 1 to `max` characters on one line
/// (`text::is_bounded`).
pub(super) fn one_line(field: &'static str, raw: &str, max: usize) -> Result<String, OpsError> {
    let trimmed = raw.trim();
    if !text::is_bounded(trimmed, max) {
        return Err(OpsError::Invalid(vec![FieldError {
            field,
            message: format!("must be 1 to {max} characters on one line"),
        }]));
    }
    Ok(trimmed.to_owned())
}
