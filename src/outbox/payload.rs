//! The JSON bodies of outbound messages, one function per WeChat API shape. No I/O here.

use super::message::{Article, Reply};
use crate::config::{TemplateSettings, TemplateValue};
use crate::meetings::{ChecklistItemId, EntryId, MeetingId};
use serde_json::{json, Map, Value};

pub const OA_TEMPLATE_SEND: &str = "/cgi-bin/message/template/send";
pub const OA_CUSTOM_SEND: &str = "/cgi-bin/message/custom/send";
pub const WECOM_SEND: &str = "/cgi-bin/message/send";
pub const WECOM_UPDATE_CARD: &str = "/cgi-bin/message/update_template_card";

/// The values a notice offers to a template's fields (`config::TemplateValue`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NoticeValues {
    pub title: String,
    pub time: String,
    pub place: String,
    pub host: String,
    pub summary: String,
    pub action: String,
}

impl NoticeValues {
    fn get(&self, value: TemplateValue) -> &str {
        match value {
            TemplateValue::Title => &self.title,
            TemplateValue::Time => &self.time,
            TemplateValue::Place => &self.place,
            TemplateValue::Host => &self.host,
            TemplateValue::Summary => &self.summary,
            TemplateValue::Action => &self.action,
        }
    }

    /// All of it as one chat text.
    pub fn text(&self) -> String {
        let mut lines = vec![self.summary.clone()];
        for (label, value) in [
            ("会议", &self.title),
            ("时间", &self.time),
            ("地点", &self.place),
            ("主持人", &self.host),
        ] {
            if !value.is_empty() {
                lines.push(format!("{label}：{value}"));
            }
        }
        if !self.action.is_empty() {
            lines.push(self.action.clone());
        }
        lines.join("\n")
    }
}

/// An Official Account template message with the configured field mapping; `url` is where
/// tapping it leads.
pub fn oa_template(
    openid: &str,
    template: &TemplateSettings,
    values: &NoticeValues,
    url: Option<&str>,
) -> Value {
    let data: Map<String, Value> = template
        .fields
        .iter()
        .map(|(field, value)| (field.clone(), json!({ "value": values.get(*value) })))
        .collect();
    let mut body = json!({
        "touser": openid,
        "template_id": template.template_id,
        "data": data,
    });
    if let Some(url) = url {
        body["url"] = json!(url);
    }
    body
}

/// A customer-service message (only delivered within 48 h of the follower's last message).
pub fn oa_custom(openid: &str, reply: &Reply) -> Value {
    match reply {
        Reply::Text { content } => json!({
            "touser": openid,
            "msgtype": "text",
            "text": { "content": content },
        }),
        Reply::News { articles } => json!({
            "touser": openid,
            "msgtype": "news",
            "news": { "articles": news_articles(articles) },
        }),
    }
}

/// Articles as both APIs' `news` messages take them.
fn news_articles(articles: &[Article]) -> Value {
    articles
        .iter()
        .map(|a| {
            json!({
                "title": a.title,
                "description": a.description,
                "url": a.url,
                "picurl": a.pic_url,
            })
        })
        .collect()
}

fn agent(agent_id: &str) -> Value {
    agent_id
        .parse::<i64>()
        .map_or_else(|_| json!(agent_id), |n| json!(n))
}

/// A WeCom app message.
pub fn wecom_reply(userid: &str, agent_id: &str, reply: &Reply) -> Value {
    match reply {
        Reply::Text { content } => json!({
            "touser": userid,
            "agentid": agent(agent_id),
            "msgtype": "text",
            "text": { "content": content },
        }),
        Reply::News { articles } => json!({
            "touser": userid,
            "agentid": agent(agent_id),
            "msgtype": "news",
            "news": { "articles": news_articles(articles) },
        }),
    }
}

/// What a WeCom button card asks: RSVP to a meeting, or ticking off a checklist item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CardButtons {
    Rsvp { meeting: MeetingId },
    Tick { item: ChecklistItemId },
    Vote { entry: EntryId },
}

impl CardButtons {
    /// (text, style, key) of each button; the keys are what `bot::meeting_router` reads back.
    fn buttons(&self) -> Vec<(&'static str, u8, String)> {
        match self {
            CardButtons::Rsvp { meeting } => vec![
                ("确认参加", 1, format!("rsvp:accept:{meeting}")),
                ("待定", 2, format!("rsvp:maybe:{meeting}")),
                ("请假", 3, format!("rsvp:decline:{meeting}")),
            ],
            CardButtons::Tick { item } => vec![("完成", 1, format!("checklist:done:{item}"))],
            CardButtons::Vote { entry } => vec![
                ("同意", 1, format!("vote:agree:{entry}")),
                ("异议", 2, format!("vote:object:{entry}")),
            ],
        }
    }
}

/// A WeCom button card: the message's facts and its buttons (`task_id` lets the answer
/// replace the buttons later).
pub fn wecom_button_card(
    userid: &str,
    agent_id: &str,
    buttons: &CardButtons,
    task_id: &str,
    values: &NoticeValues,
    details: Option<&str>,
) -> Value {
    let mut facts = Vec::new();
    for (label, value) in [
        ("时间", &values.time),
        ("地点", &values.place),
        ("主持人", &values.host),
    ] {
        if !value.is_empty() {
            facts.push(json!({ "keyname": label, "value": value }));
        }
    }
    let buttons: Vec<Value> = buttons
        .buttons()
        .into_iter()
        .map(|(text, style, key)| json!({ "text": text, "style": style, "key": key }))
        .collect();
    let mut card = json!({
        "touser": userid,
        "agentid": agent(agent_id),
        "msgtype": "template_card",
        "template_card": {
            "card_type": "button_interaction",
            "main_title": { "title": values.title, "desc": values.summary },
            "horizontal_content_list": facts,
            "sub_title_text": values.action,
            "task_id": task_id,
            "button_list": buttons,
        },
    });
    // Tapping the card (not a button) opens the meeting's page.
    if let Some(url) = details {
        card["template_card"]["card_action"] = json!({ "type": 1, "url": url });
    }
    card
}

/// A WeCom text card: title, text and a link to the meeting.
pub fn wecom_textcard(userid: &str, agent_id: &str, values: &NoticeValues, url: &str) -> Value {
    json!({
        "touser": userid,
        "agentid": agent(agent_id),
        "msgtype": "textcard",
        "textcard": {
            "title": values.title,
            "description": values.text(),
            "url": url,
            "btntxt": "详情",
        },
    })
}

/// Replaces a pressed card's buttons with the choice made (`response_code` comes from the
/// button event and is valid once, for 72 hours).
pub fn wecom_card_update(userid: &str, agent_id: &str, response_code: &str, label: &str) -> Value {
    json!({
        "userids": [userid],
        "agentid": agent(agent_id),
        "response_code": response_code,
        "button": { "replace_name": label },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_fill_the_mapped_fields_only() {
        let template = TemplateSettings {
            template_id: "T1".into(),
            fields: [
                ("first".to_owned(), TemplateValue::Summary),
                ("keyword1".to_owned(), TemplateValue::Time),
            ]
            .into_iter()
            .collect(),
        };
        let values = NoticeValues {
            summary: "会议通知".into(),
            time: "12月1日 09:30".into(),
            title: "不该出现".into(),
            ..Default::default()
        };
        let body = oa_template("o1", &template, &values, Some("https://oa.example.com/m/3"));
        assert_eq!(body["url"], "https://oa.example.com/m/3");
        assert_eq!(body["template_id"], "T1");
        assert_eq!(body["data"]["first"]["value"], "会议通知");
        assert_eq!(body["data"]["keyword1"]["value"], "12月1日 09:30");
        assert!(!body.to_string().contains("不该出现"));
    }

    #[test]
    fn wecom_cards_carry_rsvp_buttons_for_the_meeting() {
        let page = "https://h.example.com/m/12";
        let body = wecom_button_card(
            "li",
            "1000002",
            &CardButtons::Rsvp {
                meeting: MeetingId::new(12).unwrap(),
            },
            "rsvp-12-0-7",
            &NoticeValues::default(),
            Some(page),
        );
        assert_eq!(body["agentid"], 1000002);
        assert_eq!(
            body["template_card"]["card_action"],
            json!({"type": 1, "url": page})
        );
        let keys: Vec<_> = body["template_card"]["button_list"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["key"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(keys, ["rsvp:accept:12", "rsvp:maybe:12", "rsvp:decline:12"]);
    }
}
