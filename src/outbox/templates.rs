//! The Official Account's templates by notice kind, read from `wechat.templates` when the
//! service starts: a kind no notice has, or one that is never a template, stops it there.

use crate::config::{ConfigError, TemplateSettings};
use crate::meetings::notice_kind::NoticeKind;
use std::collections::BTreeMap;

/// The word that names the template for every kind without its own.
const DEFAULT: &str = "default";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OaTemplates(BTreeMap<String, TemplateSettings>);

impl OaTemplates {
    pub fn parse(configured: &BTreeMap<String, TemplateSettings>) -> Result<Self, ConfigError> {
        for kind in configured.keys() {
            let known =
                kind == DEFAULT || NoticeKind::parse(kind).is_some_and(NoticeKind::takes_template);
            if !known {
                let valid: Vec<&str> = NoticeKind::ALL
                    .iter()
                    .filter(|k| k.takes_template())
                    .map(|k| k.as_str())
                    .collect();
                return Err(ConfigError::invalid(
                    &format!("wechat.templates.{kind}"),
                    format!(
                        "{kind:?} is no notice kind; use {DEFAULT} or one of {}",
                        valid.join(", ")
                    ),
                ));
            }
        }
        Ok(Self(configured.clone()))
    }

    /// The kind's own template, else the default one.
    pub fn for_kind(&self, kind: NoticeKind) -> Option<&TemplateSettings> {
        self.0.get(kind.as_str()).or_else(|| self.0.get(DEFAULT))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::TemplateValue;

    fn configured(kind: &str) -> BTreeMap<String, TemplateSettings> {
        let template = TemplateSettings {
            template_id: "T1".into(),
            fields: [("first".to_owned(), TemplateValue::Title)].into(),
        };
        [(kind.to_owned(), template)].into()
    }

    #[test]
    fn a_template_for_an_unknown_notice_kind_is_refused_naming_the_valid_ones() {
        let err = OaTemplates::parse(&configured("invitaton"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("wechat.templates.invitaton"), "{err}");
        assert!(err.contains("invitation, cancellation"), "{err}");
        assert!(!err.contains("card_update"), "{err}");
        assert!(OaTemplates::parse(&configured("card_update")).is_err());
        for kind in ["default", "invitation", "task_reminder", "weekly_digest"] {
            assert!(OaTemplates::parse(&configured(kind)).is_ok(), "{kind}");
        }
    }

    #[test]
    fn a_kind_without_its_own_template_takes_the_default() {
        let templates = OaTemplates::parse(&configured("default")).unwrap();
        assert!(templates.for_kind(NoticeKind::Invitation).is_some());
        let templates = OaTemplates::parse(&configured("invitation")).unwrap();
        assert!(templates.for_kind(NoticeKind::Invitation).is_some());
        assert!(templates.for_kind(NoticeKind::Cancellation).is_none());
    }
}
