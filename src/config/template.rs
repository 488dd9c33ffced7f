//! `wechat.templates.<kind>`: an Official Account template and which notice value fills each
//! of its fields.

use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateSettings {
    pub template_id: String,
    /// template field → the notice value that fills it
    pub fields: BTreeMap<String, TemplateValue>,
}

/// The values a notice offers to a template's fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TemplateValue {
    Title,
    Time,
    Place,
    Host,
    Summary,
    Action,
}

impl TemplateValue {
    pub const ALL: [TemplateValue; 6] = [
        TemplateValue::Title,
        TemplateValue::Time,
        TemplateValue::Place,
        TemplateValue::Host,
        TemplateValue::Summary,
        TemplateValue::Action,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TemplateValue::Title => "title",
            TemplateValue::Time => "time",
            TemplateValue::Place => "place",
            TemplateValue::Host => "host",
            TemplateValue::Summary => "summary",
            TemplateValue::Action => "action",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == raw)
    }
}
