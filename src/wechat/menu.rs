//! The account menu: read from TOML, checked against WeChat's limits before anything is sent,
//! and turned into the JSON of `/cgi-bin/menu/create`.

use serde::{Deserialize, Serialize};

pub const MAX_BUTTONS: usize = 3;
pub const MAX_SUB_BUTTONS: usize = 5;
/// WeChat's limits in bytes (UTF-8): 16 for a top-level name, 60 for a sub-button's.
pub const MAX_TOP_NAME_BYTES: usize = 16;
pub const MAX_SUB_NAME_BYTES: usize = 60;
pub const MAX_KEY_BYTES: usize = 128;
pub const MAX_URL_BYTES: usize = 1024;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Menu {
    pub button: Vec<Button>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Button {
    pub name: String,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sub_button: Vec<Button>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MenuError {
    #[error("menu file is not valid TOML: {0}")]
    Toml(String),
    #[error("a menu has 1 to {MAX_BUTTONS} buttons, this one has {0}")]
    ButtonCount(usize),
    #[error("button {0:?} has {1} sub-buttons; at most {MAX_SUB_BUTTONS} are allowed")]
    SubButtonCount(String, usize),
    #[error("button name {0:?} is {1} bytes; at most {2} are allowed")]
    NameTooLong(String, usize, usize),
    #[error("button {0:?}: {1}")]
    Button(String, &'static str),
}

/// Button types huiwu's menu may use: these send a key, `view` opens its url.
const TYPES_WITH_KEY: [&str; 3] = ["click", "scancode_push", "scancode_waitmsg"];
pub const TYPES: [&str; 4] = ["click", "view", "scancode_push", "scancode_waitmsg"];

impl Menu {
    pub fn parse(toml_text: &str) -> Result<Menu, MenuError> {
        let menu: Menu = toml::from_str(toml_text).map_err(|e| MenuError::Toml(e.to_string()))?;
        menu.validate()?;
        Ok(menu)
    }

    pub fn validate(&self) -> Result<(), MenuError> {
        if self.button.is_empty() || self.button.len() > MAX_BUTTONS {
            return Err(MenuError::ButtonCount(self.button.len()));
        }
        for b in &self.button {
            check_name(&b.name, MAX_TOP_NAME_BYTES)?;
            if b.sub_button.is_empty() {
                check_action(b)?;
                continue;
            }
            if b.sub_button.len() > MAX_SUB_BUTTONS {
                return Err(MenuError::SubButtonCount(
                    b.name.clone(),
                    b.sub_button.len(),
                ));
            }
            if b.kind.is_some() || b.key.is_some() || b.url.is_some() {
                return Err(MenuError::Button(
                    b.name.clone(),
                    "a button with sub-buttons has no type, key or url of its own",
                ));
            }
            for sub in &b.sub_button {
                check_name(&sub.name, MAX_SUB_NAME_BYTES)?;
                if !sub.sub_button.is_empty() {
                    return Err(MenuError::Button(
                        sub.name.clone(),
                        "sub-buttons cannot nest",
                    ));
                }
                check_action(sub)?;
            }
        }
        Ok(())
    }

    /// Every key a click or scan button sends.
    pub fn keys(&self) -> Vec<&str> {
        self.button
            .iter()
            .flat_map(|b| std::iter::once(b).chain(b.sub_button.iter()))
            .filter_map(|b| b.key.as_deref())
            .collect()
    }
}

fn check_name(name: &str, max: usize) -> Result<(), MenuError> {
    if name.trim().is_empty() {
        return Err(MenuError::Button(name.to_owned(), "a button needs a name"));
    }
    if name.len() > max {
        return Err(MenuError::NameTooLong(name.to_owned(), name.len(), max));
    }
    Ok(())
}

fn check_action(b: &Button) -> Result<(), MenuError> {
    let err = |why| Err(MenuError::Button(b.name.clone(), why));
    match b.kind.as_deref() {
        Some(t) if TYPES_WITH_KEY.contains(&t) => match &b.key {
            Some(k) if !k.is_empty() && k.len() <= MAX_KEY_BYTES => Ok(()),
            _ => err("needs a key of 1 to 128 bytes"),
        },
        Some("view") => match &b.url {
            Some(u) if u.len() <= MAX_URL_BYTES && url::Url::parse(u).is_ok() => Ok(()),
            _ => err("needs a url (at most 1024 bytes)"),
        },
        Some(_) => err("type must be click, view, scancode_push or scancode_waitmsg"),
        None => err("needs a type, or sub-buttons"),
    }
}

/// The menus on WeChat's side: the Official Account's, and a WeCom app's (by its AgentId).
pub mod remote {
    use super::Menu;
    use crate::wechat::api::{ApiClient, ApiError};
    use serde_json::Value;

    pub async fn official_account(client: &ApiClient) -> Result<Value, ApiError> {
        client.get("/cgi-bin/get_current_selfmenu_info").await
    }

    pub async fn push_official_account(client: &ApiClient, menu: &Menu) -> Result<(), ApiError> {
        client.post("/cgi-bin/menu/create", &json(menu)).await?;
        tracing::info!(buttons = menu.button.len(), "Official Account menu pushed");
        Ok(())
    }

    pub async fn wecom(client: &ApiClient, agent_id: &str) -> Result<Value, ApiError> {
        client
            .get_with("/cgi-bin/menu/get", &[("agentid", agent_id)])
            .await
    }

    pub async fn push_wecom(
        client: &ApiClient,
        agent_id: &str,
        menu: &Menu,
    ) -> Result<(), ApiError> {
        client
            .post_with(
                "/cgi-bin/menu/create",
                &json(menu),
                &[("agentid", agent_id)],
            )
            .await?;
        tracing::info!(
            buttons = menu.button.len(),
            agent_id,
            "WeCom app menu pushed"
        );
        Ok(())
    }

    fn json(menu: &Menu) -> Value {
        serde_json::to_value(menu).unwrap_or_default()
    }
}

impl Menu {
    /// The menu as a file `huiwu menu push` reads.
    pub fn to_file(&self) -> String {
        format!(
            "# The Official Account menu, saved from the console or the admin API.\n\
             # `huiwu menu push` sends it again.\n\n{}",
            toml::to_string(self).unwrap_or_default()
        )
    }
}

/// The click keys config/menu.toml uses, which the chat router answers.
pub mod keys {
    pub const MENU_MY_MEETINGS: &str = "MY_MEETINGS";
    pub const MENU_MY_TASKS: &str = "MY_TASKS";
    pub const MENU_HELP: &str = "HELP";
    pub const MENU_LATEST_MINUTES: &str = "LATEST_MINUTES";
    pub const MENU_CHECKIN_SCAN: &str = "CHECKIN_SCAN";
}

#[cfg(test)]
mod tests {
    use super::keys::*;
    use super::*;

    #[test]
    fn the_shipped_menu_is_valid_and_uses_every_key_the_router_answers() {
        let text =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/config/menu.toml"))
                .unwrap();
        let menu = Menu::parse(&text).unwrap();
        let mut keys = menu.keys();
        keys.sort_unstable();
        let mut handled = vec![
            MENU_CHECKIN_SCAN,
            MENU_HELP,
            MENU_LATEST_MINUTES,
            MENU_MY_MEETINGS,
            MENU_MY_TASKS,
        ];
        handled.sort_unstable();
        assert_eq!(keys, handled);
        let json = serde_json::to_value(&menu).unwrap();
        assert_eq!(json["button"][1]["type"], "scancode_waitmsg");
        assert!(json["button"][0].get("type").is_none());
    }

    #[test]
    fn limits_are_checked_with_the_offending_button_named() {
        let button =
            |name: &str| format!("[[button]]\nname = \"{name}\"\ntype = \"click\"\nkey = \"K\"\n");
        let four = button("a") + &button("b") + &button("c") + &button("d");
        assert_eq!(Menu::parse(&four), Err(MenuError::ButtonCount(4)));
        let long = button("一二三四五六");
        assert_eq!(
            Menu::parse(&long),
            Err(MenuError::NameTooLong("一二三四五六".into(), 18, 16))
        );
        let no_key = "[[button]]\nname = \"x\"\ntype = \"click\"\n";
        assert!(matches!(Menu::parse(no_key), Err(MenuError::Button(n, _)) if n == "x"));
        let mut six = "[[button]]\nname = \"m\"\n".to_owned();
        for i in 0..6 {
            six.push_str(&format!(
                "[[button.sub_button]]\nname = \"s{i}\"\ntype = \"click\"\nkey = \"K\"\n"
            ));
        }
        assert_eq!(
            Menu::parse(&six),
            Err(MenuError::SubButtonCount("m".into(), 6))
        );
        let bad_type = "[[button]]\nname = \"x\"\ntype = \"miniprogram\"\nkey = \"K\"\n";
        assert!(Menu::parse(bad_type).is_err());
        assert!(matches!(Menu::parse("button = 3"), Err(MenuError::Toml(_))));
    }
}
