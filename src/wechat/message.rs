//! Typed callback messages, built once from the decrypted XML. Nothing downstream reads XML.

use super::xml::{Fields, XmlError};

/// Which front door a message came through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Channel {
    OfficialAccount,
    WeCom,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::OfficialAccount => "oa",
            Channel::WeCom => "wecom",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Inbound {
    pub channel: Channel,
    /// The account that received the message (our original id or corp id).
    pub to_user: String,
    /// The sender: an openid (Official Account) or a userid (WeCom).
    pub from_user: String,
    pub create_time: i64,
    pub agent_id: Option<String>,
    pub kind: InboundKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum InboundKind {
    Text {
        msg_id: String,
        content: String,
    },
    Image {
        msg_id: String,
        pic_url: String,
        media_id: String,
    },
    Voice {
        msg_id: String,
        media_id: String,
        format: String,
        recognition: Option<String>,
    },
    Video {
        msg_id: String,
        media_id: String,
        thumb_media_id: String,
    },
    Location {
        msg_id: String,
        latitude: f64,
        longitude: f64,
        scale: Option<f64>,
        label: String,
    },
    Link {
        msg_id: String,
        title: String,
        description: String,
        url: String,
    },
    Event(Event),
    /// A message type we do not know: acknowledged, never an error.
    Other {
        msg_type: String,
        msg_id: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// A new follower; `scene` is set when they followed by scanning a parametric QR code.
    Subscribe {
        scene: Option<String>,
        ticket: Option<String>,
    },
    Unsubscribe,
    /// An existing follower scanned a parametric QR code.
    Scan {
        scene: String,
        ticket: Option<String>,
    },
    Click {
        key: String,
    },
    View {
        url: String,
    },
    ScanCodePush {
        key: String,
        scan: ScanCodeInfo,
    },
    ScanCodeWaitMsg {
        key: String,
        scan: ScanCodeInfo,
    },
    Location {
        latitude: f64,
        longitude: f64,
        precision: Option<f64>,
    },
    TemplateSendJobFinish {
        msg_id: String,
        status: String,
    },
    EnterAgent {
        key: String,
    },
    TemplateCardEvent {
        key: String,
        task_id: String,
        card_type: String,
        response_code: String,
    },
    ChangeContact {
        change_type: String,
        user_id: Option<String>,
    },
    Other {
        event: String,
        key: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanCodeInfo {
    pub scan_type: String,
    pub scan_result: String,
}

const QRSCENE_PREFIX: &str = "qrscene_";

impl Inbound {
    pub fn from_fields(channel: Channel, f: &Fields) -> Result<Self, XmlError> {
        let msg_type = f.require("MsgType")?.trim().to_owned();
        let msg_id = || f.require("MsgId").map(|s| s.trim().to_owned());
        let kind = match msg_type.as_str() {
            "text" => InboundKind::Text {
                msg_id: msg_id()?,
                content: f.string("Content"),
            },
            "image" => InboundKind::Image {
                msg_id: msg_id()?,
                pic_url: f.string("PicUrl"),
                media_id: f.string("MediaId"),
            },
            "voice" => InboundKind::Voice {
                msg_id: msg_id()?,
                media_id: f.string("MediaId"),
                format: f.string("Format"),
                recognition: f.opt_string("Recognition").filter(|r| !r.is_empty()),
            },
            "video" | "shortvideo" => InboundKind::Video {
                msg_id: msg_id()?,
                media_id: f.string("MediaId"),
                thumb_media_id: f.string("ThumbMediaId"),
            },
            "location" => InboundKind::Location {
                msg_id: msg_id()?,
                latitude: f
                    .opt_f64("Location_X")?
                    .ok_or(XmlError::Missing("Location_X"))?,
                longitude: f
                    .opt_f64("Location_Y")?
                    .ok_or(XmlError::Missing("Location_Y"))?,
                scale: f.opt_f64("Scale")?,
                label: f.string("Label"),
            },
            "link" => InboundKind::Link {
                msg_id: msg_id()?,
                title: f.string("Title"),
                description: f.string("Description"),
                url: f.string("Url"),
            },
            "event" => InboundKind::Event(Event::from_fields(f)?),
            _ => InboundKind::Other {
                msg_type,
                msg_id: f.opt_string("MsgId"),
            },
        };
        Ok(Self {
            channel,
            to_user: f.require("ToUserName")?.to_owned(),
            from_user: f.require("FromUserName")?.to_owned(),
            create_time: f.require_i64("CreateTime")?,
            agent_id: f.opt_string("AgentID"),
            kind,
        })
    }

    /// What makes a WeChat retry recognisable: the MsgId for messages; for events the sender,
    /// the time and what happened (events carry no MsgId).
    pub fn dedupe_key(&self) -> String {
        let msg_id = match &self.kind {
            InboundKind::Text { msg_id, .. }
            | InboundKind::Image { msg_id, .. }
            | InboundKind::Voice { msg_id, .. }
            | InboundKind::Video { msg_id, .. }
            | InboundKind::Location { msg_id, .. }
            | InboundKind::Link { msg_id, .. } => Some(msg_id.as_str()),
            InboundKind::Other { msg_id, .. } => msg_id.as_deref(),
            InboundKind::Event(_) => None,
        };
        if let Some(id) = msg_id {
            return format!("msg:{id}");
        }
        let (event, key) = match &self.kind {
            InboundKind::Event(e) => (e.name(), e.key().unwrap_or_default()),
            InboundKind::Other { msg_type, .. } => (msg_type.as_str(), ""),
            _ => ("", ""),
        };
        format!(
            "evt:{}|{}|{}|{}|{}",
            self.from_user,
            self.create_time,
            event,
            key,
            self.agent_id.as_deref().unwrap_or_default()
        )
    }
}

impl InboundKind {
    /// The message type, or the event name for events: for logs.
    pub fn name(&self) -> &str {
        match self {
            InboundKind::Text { .. } => "text",
            InboundKind::Image { .. } => "image",
            InboundKind::Voice { .. } => "voice",
            InboundKind::Video { .. } => "video",
            InboundKind::Location { .. } => "location",
            InboundKind::Link { .. } => "link",
            InboundKind::Event(e) => e.name(),
            InboundKind::Other { msg_type, .. } => msg_type,
        }
    }
}

impl Event {
    fn from_fields(f: &Fields) -> Result<Self, XmlError> {
        let event = f.require("Event")?.trim().to_owned();
        let key = || f.string("EventKey");
        let scan = || ScanCodeInfo {
            scan_type: f.string("ScanCodeInfo.ScanType"),
            scan_result: f.string("ScanCodeInfo.ScanResult"),
        };
        // Official Account events are CamelCase or lowercase depending on the event; WeCom
        // uses snake_case. Match case-insensitively so either spelling parses.
        Ok(match event.to_ascii_lowercase().as_str() {
            "subscribe" => Event::Subscribe {
                scene: f
                    .get("EventKey")
                    .and_then(|k| k.strip_prefix(QRSCENE_PREFIX))
                    .map(str::to_owned),
                ticket: f.opt_string("Ticket"),
            },
            "unsubscribe" => Event::Unsubscribe,
            "scan" => Event::Scan {
                scene: key(),
                ticket: f.opt_string("Ticket"),
            },
            "click" => Event::Click { key: key() },
            "view" => Event::View { url: key() },
            "scancode_push" => Event::ScanCodePush {
                key: key(),
                scan: scan(),
            },
            "scancode_waitmsg" => Event::ScanCodeWaitMsg {
                key: key(),
                scan: scan(),
            },
            "location" => Event::Location {
                latitude: f
                    .opt_f64("Latitude")?
                    .ok_or(XmlError::Missing("Latitude"))?,
                longitude: f
                    .opt_f64("Longitude")?
                    .ok_or(XmlError::Missing("Longitude"))?,
                precision: f.opt_f64("Precision")?,
            },
            "templatesendjobfinish" => Event::TemplateSendJobFinish {
                msg_id: f
                    .get("MsgID")
                    .or_else(|| f.get("MsgId"))
                    .ok_or(XmlError::Missing("MsgID"))?
                    .trim()
                    .to_owned(),
                status: f.string("Status"),
            },
            "enter_agent" => Event::EnterAgent { key: key() },
            "template_card_event" => Event::TemplateCardEvent {
                key: key(),
                task_id: f.string("TaskId"),
                card_type: f.string("CardType"),
                response_code: f.string("ResponseCode"),
            },
            "change_contact" => Event::ChangeContact {
                change_type: f.string("ChangeType"),
                user_id: f.opt_string("UserID"),
            },
            _ => Event::Other {
                event,
                key: f.opt_string("EventKey"),
            },
        })
    }

    pub fn name(&self) -> &str {
        match self {
            Event::Subscribe { .. } => "subscribe",
            Event::Unsubscribe => "unsubscribe",
            Event::Scan { .. } => "SCAN",
            Event::Click { .. } => "CLICK",
            Event::View { .. } => "VIEW",
            Event::ScanCodePush { .. } => "scancode_push",
            Event::ScanCodeWaitMsg { .. } => "scancode_waitmsg",
            Event::Location { .. } => "LOCATION",
            Event::TemplateSendJobFinish { .. } => "TEMPLATESENDJOBFINISH",
            Event::EnterAgent { .. } => "enter_agent",
            Event::TemplateCardEvent { .. } => "template_card_event",
            Event::ChangeContact { .. } => "change_contact",
            Event::Other { event, .. } => event,
        }
    }

    /// The part of an event that tells two events of one user in one second apart.
    fn key(&self) -> Option<&str> {
        match self {
            Event::Subscribe { scene, .. } => scene.as_deref(),
            Event::Scan { scene, .. } => Some(scene),
            Event::Click { key }
            | Event::ScanCodePush { key, .. }
            | Event::ScanCodeWaitMsg { key, .. }
            | Event::EnterAgent { key } => Some(key),
            Event::TemplateCardEvent { key, task_id, .. } => {
                if task_id.is_empty() {
                    Some(key)
                } else {
                    Some(task_id)
                }
            }
            Event::View { url } => Some(url),
            Event::TemplateSendJobFinish { msg_id, .. } => Some(msg_id),
            Event::ChangeContact { change_type, .. } => Some(change_type),
            Event::Other { key, .. } => key.as_deref(),
            Event::Unsubscribe | Event::Location { .. } => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wechat::xml::parse;

    fn inbound(xml: &str) -> Inbound {
        Inbound::from_fields(Channel::OfficialAccount, &parse(xml).unwrap()).unwrap()
    }

    const HEAD: &str =
        "<ToUserName>gh_1</ToUserName><FromUserName>o1</FromUserName><CreateTime>100</CreateTime>";

    #[test]
    fn text_message() {
        let m = inbound(&format!(
            "<xml>{HEAD}<MsgType>text</MsgType><Content>确认 12</Content><MsgId>42</MsgId></xml>"
        ));
        assert_eq!(
            m.kind,
            InboundKind::Text {
                msg_id: "42".into(),
                content: "确认 12".into()
            }
        );
        assert_eq!(m.dedupe_key(), "msg:42");
    }

    #[test]
    fn subscribe_with_scene_and_scancode() {
        let m = inbound(&format!(
            "<xml>{HEAD}<MsgType>event</MsgType><Event>subscribe</Event><EventKey>qrscene_checkin:12</EventKey><Ticket>T</Ticket></xml>"
        ));
        assert_eq!(
            m.kind,
            InboundKind::Event(Event::Subscribe {
                scene: Some("checkin:12".into()),
                ticket: Some("T".into())
            })
        );
        let m = inbound(&format!(
            "<xml>{HEAD}<MsgType>event</MsgType><Event>scancode_waitmsg</Event><EventKey>CHECKIN_SCAN</EventKey>\
             <ScanCodeInfo><ScanType>qrcode</ScanType><ScanResult>abc</ScanResult></ScanCodeInfo></xml>"
        ));
        assert_eq!(
            m.kind,
            InboundKind::Event(Event::ScanCodeWaitMsg {
                key: "CHECKIN_SCAN".into(),
                scan: ScanCodeInfo {
                    scan_type: "qrcode".into(),
                    scan_result: "abc".into()
                }
            })
        );
    }

    #[test]
    fn unknown_types_parse_as_other() {
        let m = inbound(&format!(
            "<xml>{HEAD}<MsgType>miniprogrampage</MsgType></xml>"
        ));
        assert!(matches!(m.kind, InboundKind::Other { .. }));
        let m = inbound(&format!(
            "<xml>{HEAD}<MsgType>event</MsgType><Event>weapp_audit</Event></xml>"
        ));
        assert!(matches!(m.kind, InboundKind::Event(Event::Other { .. })));
    }

    #[test]
    fn events_of_one_second_differ_by_key() {
        let click = |k: &str| {
            inbound(&format!(
                "<xml>{HEAD}<MsgType>event</MsgType><Event>CLICK</Event><EventKey>{k}</EventKey></xml>"
            ))
            .dedupe_key()
        };
        assert_ne!(click("HELP"), click("MY_TASKS"));
        assert_eq!(click("HELP"), click("HELP"));
    }

    #[test]
    fn missing_or_bad_fields_are_errors() {
        let bad = parse("<xml><MsgType>text</MsgType></xml>").unwrap();
        assert!(Inbound::from_fields(Channel::WeCom, &bad).is_err());
        let bad = parse(
            "<xml><ToUserName>a</ToUserName><FromUserName>b</FromUserName><CreateTime>x</CreateTime><MsgType>event</MsgType><Event>CLICK</Event></xml>"
        )
        .unwrap();
        assert_eq!(
            Inbound::from_fields(Channel::WeCom, &bad),
            Err(XmlError::Invalid("CreateTime"))
        );
    }
}
