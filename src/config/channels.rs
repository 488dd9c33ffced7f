//! The channels' sections: the Official Account (with its templates) and the WeCom app.

use super::raw::{RawWechat, RawWecom};
use super::AesKey;
use super::{
    callback_token, parse_http_url, required, ConfigError, TemplateSettings, TemplateValue,
    WechatSettings, WecomSettings,
};

const DEFAULT_WECHAT_API: &str = "https://api.weixin.qq.com";
const DEFAULT_WECOM_API: &str = "https://qyapi.weixin.qq.com";

impl RawWechat {
    pub(super) fn validate(self) -> Result<WechatSettings, ConfigError> {
        let app_id = required("wechat.app_id", self.app_id)?;
        let app_secret = required("wechat.app_secret", self.app_secret)?;
        let token = callback_token("wechat.token", self.token)?;
        let encoding_aes_key = match self.encoding_aes_key.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(key) => Some(
                AesKey::parse(key)
                    .map_err(|e| ConfigError::invalid("wechat.encoding_aes_key", e))?,
            ),
        };
        let api_base = parse_http_url(
            "wechat.api_base",
            self.api_base.as_deref().unwrap_or(DEFAULT_WECHAT_API),
        )?;
        let stable_token = match self.token_endpoint.as_deref().unwrap_or("stable") {
            "stable" => true,
            "classic" => false,
            _ => {
                return Err(ConfigError::invalid(
                    "wechat.token_endpoint",
                    "must be \"stable\" or \"classic\"",
                ))
            }
        };
        let meeting_url = match self.meeting_url.map(|u| u.trim().to_owned()) {
            None => None,
            Some(u) if u.contains("{id}") => {
                parse_http_url("wechat.meeting_url", &u.replace("{id}", "1"))?;
                Some(u)
            }
            Some(_) => {
                return Err(ConfigError::invalid(
                    "wechat.meeting_url",
                    "must contain {id}, e.g. https://oa.example.com/meetings/{id}",
                ))
            }
        };
        let mut templates = std::collections::BTreeMap::new();
        for (kind, t) in self.templates {
            let key = format!("wechat.templates.{kind}");
            let template_id = required(&format!("{key}.template_id"), t.template_id)?;
            if t.fields.is_empty() {
                return Err(ConfigError::invalid(
                    &format!("{key}.fields"),
                    "must map at least one template field",
                ));
            }
            let mut fields = std::collections::BTreeMap::new();
            for (field, value) in t.fields {
                let Some(parsed) = TemplateValue::parse(&value) else {
                    let valid: Vec<&str> = TemplateValue::ALL.iter().map(|v| v.as_str()).collect();
                    return Err(ConfigError::invalid(
                        &format!("{key}.fields.{field}"),
                        format!("{value:?} is not one of {}", valid.join(", ")),
                    ));
                };
                fields.insert(field, parsed);
            }
            templates.insert(
                kind,
                TemplateSettings {
                    template_id,
                    fields,
                },
            );
        }
        Ok(WechatSettings {
            app_id,
            app_secret: app_secret.into(),
            token,
            encoding_aes_key,
            api_base,
            stable_token,
            meeting_url,
            templates,
        })
    }
}

impl RawWecom {
    pub(super) fn validate(self) -> Result<WecomSettings, ConfigError> {
        let corp_id = required("wecom.corp_id", self.corp_id)?;
        let agent_id = required("wecom.agent_id", self.agent_id)?;
        if !agent_id.chars().all(|c| c.is_ascii_digit()) {
            return Err(ConfigError::invalid("wecom.agent_id", "must be a number"));
        }
        let secret = required("wecom.secret", self.secret)?;
        let token = callback_token("wecom.token", self.token)?;
        let key = required("wecom.encoding_aes_key", self.encoding_aes_key)?;
        let encoding_aes_key =
            AesKey::parse(&key).map_err(|e| ConfigError::invalid("wecom.encoding_aes_key", e))?;
        let api_base = parse_http_url(
            "wecom.api_base",
            self.api_base.as_deref().unwrap_or(DEFAULT_WECOM_API),
        )?;
        Ok(WecomSettings {
            corp_id,
            agent_id,
            secret: secret.into(),
            token,
            encoding_aes_key,
            api_base,
        })
    }
}
