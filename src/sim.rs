//! `huiwu sim`: plays WeChat's part. Builds a callback exactly as WeChat or WeCom would for the
//! configured mode (signed; encrypted when a key is configured), posts it, then verifies and
//! decrypts the reply. The integration tests drive the server through the same code.

use crate::clock::{Clock, SystemClock};
use crate::config::Settings;
use crate::wechat::crypto::MessageCipher;
use crate::wechat::message::Channel;
use crate::wechat::signature;
use crate::wechat::xml::{self, push_cdata_element, push_number_element, Fields};
use rand::Rng;
use secrecy::ExposeSecret;

/// What the simulated user does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SimAction {
    Text(String),
    Click(String),
    /// A follower scans a parametric QR code (`SCAN`); on WeCom, a `scancode_waitmsg` scan.
    Scan(String),
    Subscribe {
        scene: Option<String>,
    },
    Unsubscribe,
    /// WeChat reports the fate of a template message (Official Account only).
    TemplateJobFinish {
        msg_id: String,
        status: String,
    },
    /// WeCom only: a button of a `button_interaction` template card.
    CardClick(String),
}

#[derive(Debug, thiserror::Error)]
pub enum SimError {
    #[error("the config has no [{0}] section to simulate")]
    NotConfigured(&'static str),
    #[error("{0} is only possible with --wecom")]
    WeComOnly(&'static str),
    #[error("reply signature mismatch: the server does not share our token")]
    BadReplySignature,
    #[error("reply is malformed: {0}")]
    BadReply(String),
}

/// A callback request ready to post: query string and body.
#[derive(Debug, Clone)]
pub struct SignedRequest {
    pub query: String,
    pub body: String,
}

/// The reply, checked and decrypted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SimReply {
    /// `success` or an empty body.
    Acknowledged,
    Message(Fields),
}

pub struct Simulator {
    channel: Channel,
    token: String,
    receive_id: String,
    agent_id: Option<String>,
    cipher: Option<MessageCipher>,
}

impl Simulator {
    pub fn from_settings(settings: &Settings, wecom: bool) -> Result<Self, SimError> {
        if wecom {
            let s = settings
                .wecom
                .as_ref()
                .ok_or(SimError::NotConfigured("wecom"))?;
            Ok(Self {
                channel: Channel::WeCom,
                token: s.token.expose_secret().to_owned(),
                receive_id: s.corp_id.clone(),
                agent_id: Some(s.agent_id.clone()),
                cipher: Some(MessageCipher::new(
                    s.encoding_aes_key.clone(),
                    s.corp_id.clone(),
                )),
            })
        } else {
            let s = settings
                .wechat
                .as_ref()
                .ok_or(SimError::NotConfigured("wechat"))?;
            Ok(Self {
                channel: Channel::OfficialAccount,
                token: s.token.expose_secret().to_owned(),
                receive_id: s.app_id.clone(),
                agent_id: None,
                cipher: s
                    .encoding_aes_key
                    .clone()
                    .map(|k| MessageCipher::new(k, s.app_id.clone())),
            })
        }
    }

    pub fn channel(&self) -> Channel {
        self.channel
    }

    pub fn path(&self) -> &'static str {
        match self.channel {
            Channel::OfficialAccount => "/wechat/callback",
            Channel::WeCom => "/wecom/callback",
        }
    }

    /// The plaintext XML WeChat would send for `action` by user `from`.
    pub fn message_xml(
        &self,
        from: &str,
        action: &SimAction,
        create_time: i64,
        msg_id: u64,
    ) -> Result<String, SimError> {
        let mut x = String::from("<xml>");
        push_cdata_element(&mut x, "ToUserName", &self.receive_id);
        push_cdata_element(&mut x, "FromUserName", from);
        push_number_element(&mut x, "CreateTime", create_time);
        let event = |x: &mut String, name: &str, key: &str| {
            push_cdata_element(x, "MsgType", "event");
            push_cdata_element(x, "Event", name);
            push_cdata_element(x, "EventKey", key);
        };
        match action {
            SimAction::Text(content) => {
                push_cdata_element(&mut x, "MsgType", "text");
                push_cdata_element(&mut x, "Content", content);
                x.push_str(&format!("<MsgId>{msg_id}</MsgId>"));
            }
            SimAction::Click(key) => event(&mut x, "CLICK", key),
            SimAction::Scan(scene) => match self.channel {
                Channel::OfficialAccount => {
                    event(&mut x, "SCAN", scene);
                    push_cdata_element(&mut x, "Ticket", "simulated");
                }
                Channel::WeCom => {
                    event(&mut x, "scancode_waitmsg", "CHECKIN_SCAN");
                    x.push_str("<ScanCodeInfo>");
                    push_cdata_element(&mut x, "ScanType", "qrcode");
                    push_cdata_element(&mut x, "ScanResult", scene);
                    x.push_str("</ScanCodeInfo>");
                }
            },
            SimAction::Subscribe { scene } => {
                let key = scene
                    .as_deref()
                    .map(|s| format!("qrscene_{s}"))
                    .unwrap_or_default();
                event(&mut x, "subscribe", &key);
                if scene.is_some() {
                    push_cdata_element(&mut x, "Ticket", "simulated");
                }
            }
            SimAction::Unsubscribe => event(&mut x, "unsubscribe", ""),
            SimAction::TemplateJobFinish { msg_id, status } => {
                event(&mut x, "TEMPLATESENDJOBFINISH", "");
                x.push_str(&format!("<MsgID>{msg_id}</MsgID>"));
                push_cdata_element(&mut x, "Status", status);
            }
            SimAction::CardClick(key) => {
                if self.channel != Channel::WeCom {
                    return Err(SimError::WeComOnly("card-click"));
                }
                event(&mut x, "template_card_event", key);
                push_cdata_element(&mut x, "TaskId", &format!("task{msg_id}"));
                push_cdata_element(&mut x, "CardType", "button_interaction");
                push_cdata_element(&mut x, "ResponseCode", &format!("rc{msg_id}"));
            }
        }
        if let Some(agent_id) = &self.agent_id {
            x.push_str(&format!("<AgentID>{agent_id}</AgentID>"));
        }
        x.push_str("</xml>");
        Ok(x)
    }

    /// Signs (and, when configured, encrypts) a message the way WeChat posts it.
    pub fn sign_post(&self, message_xml: &str, timestamp: i64, nonce: &str) -> SignedRequest {
        let ts = timestamp.to_string();
        let plain_sig = signature::sign(&[&self.token, &ts, nonce]);
        let Some(cipher) = &self.cipher else {
            return SignedRequest {
                query: format!("signature={plain_sig}&timestamp={ts}&nonce={nonce}"),
                body: message_xml.to_owned(),
            };
        };
        let encrypt = cipher.encrypt(message_xml);
        let msg_sig = signature::sign(&[&self.token, &ts, nonce, &encrypt]);
        let mut body = String::from("<xml>");
        push_cdata_element(&mut body, "ToUserName", &self.receive_id);
        if let Some(agent_id) = &self.agent_id {
            push_cdata_element(&mut body, "AgentID", agent_id);
        }
        push_cdata_element(&mut body, "Encrypt", &encrypt);
        body.push_str("</xml>");
        let query = match self.channel {
            Channel::OfficialAccount => format!(
                "signature={plain_sig}&timestamp={ts}&nonce={nonce}&encrypt_type=aes&msg_signature={msg_sig}"
            ),
            Channel::WeCom => format!("msg_signature={msg_sig}&timestamp={ts}&nonce={nonce}"),
        };
        SignedRequest { query, body }
    }

    /// Verifies and decrypts a reply body.
    pub fn open_reply(&self, body: &str) -> Result<SimReply, SimError> {
        let body = body.trim();
        if body.is_empty() || body == "success" {
            return Ok(SimReply::Acknowledged);
        }
        let bad = |e: &dyn std::fmt::Display| SimError::BadReply(e.to_string());
        let outer = xml::parse(body).map_err(|e| bad(&e))?;
        let Some(cipher) = &self.cipher else {
            return Ok(SimReply::Message(outer));
        };
        let get = |k: &'static str| outer.require(k).map_err(|e| bad(&e));
        let encrypt = get("Encrypt")?;
        let parts = [
            self.token.as_str(),
            get("TimeStamp")?,
            get("Nonce")?,
            encrypt,
        ];
        if !signature::verify(&parts, get("MsgSignature")?) {
            return Err(SimError::BadReplySignature);
        }
        let plain = cipher.decrypt(encrypt).map_err(|e| bad(&e))?;
        Ok(SimReply::Message(xml::parse(&plain).map_err(|e| bad(&e))?))
    }
}

pub fn random_nonce() -> String {
    rand::rng()
        .random_range(100_000_000u64..10_000_000_000)
        .to_string()
}

pub fn random_msg_id() -> u64 {
    rand::rng().random_range(1_000_000_000_000_000u64..9_000_000_000_000_000)
}

/// A reply as a person reads it.
pub fn describe(reply: &SimReply) -> String {
    let SimReply::Message(f) = reply else {
        return "(no reply: the server answered success)".to_owned();
    };
    match f.get("MsgType") {
        Some("text") => f.string("Content"),
        Some("news") => format!(
            "news, {} article(s); first: {} — {}",
            f.string("ArticleCount"),
            f.string("Articles.item.Title"),
            f.string("Articles.item.Url")
        ),
        other => format!("({} reply)", other.unwrap_or("unknown")),
    }
}

/// Posts one simulated action and returns the readable reply.
pub async fn run(
    settings: &Settings,
    wecom: bool,
    as_user: &str,
    url: Option<url::Url>,
    action: SimAction,
) -> anyhow::Result<String> {
    let sim = Simulator::from_settings(settings, wecom)?;
    // A client of the webhook, outside the app: its time is the system's.
    let now = SystemClock.now().timestamp();
    let xml = sim.message_xml(as_user, &action, now, random_msg_id())?;
    let request = sim.sign_post(&xml, now, &random_nonce());
    let base = url.unwrap_or_else(|| settings.server.public_url.clone());
    let mut target = base
        .join(sim.path())
        .map_err(|e| anyhow::anyhow!("bad server URL {base}: {e}"))?;
    target.set_query(Some(&request.query));
    let response = reqwest::Client::new()
        .post(target.clone())
        .header("content-type", "application/xml")
        .body(request.body)
        .timeout(std::time::Duration::from_secs(10))
        .send()
        .await
        .map_err(|e| anyhow::anyhow!("cannot reach huiwu at {}: {e}", base))?;
    let status = response.status();
    let body = response.text().await?;
    if !status.is_success() {
        anyhow::bail!("server refused the callback ({status}): {body}");
    }
    Ok(describe(&sim.open_reply(&body)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wechat::envelope::{CallbackQuery, Endpoint, ReplyMode};
    use crate::wechat::Reply;

    fn settings() -> Settings {
        Settings::from_toml_str(
            "[wechat]\napp_id = 'wx2c2769f8efd9abc2'\napp_secret = 's'\ntoken = 'huiwu_token_1'\n\
             encoding_aes_key = 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR'\n",
        )
        .unwrap()
    }

    #[test]
    fn what_sim_sends_the_server_opens_and_what_the_server_seals_sim_opens() {
        let settings = settings();
        let sim = Simulator::from_settings(&settings, false).unwrap();
        let endpoint = Endpoint::of_official_account(settings.wechat.as_ref().unwrap(), 300);
        let xml = sim
            .message_xml(
                "oA",
                &SimAction::Subscribe {
                    scene: Some("checkin:3".into()),
                },
                100,
                1,
            )
            .unwrap();
        let req = sim.sign_post(&xml, 100, "n");
        let opened = endpoint
            .open(&CallbackQuery::parse(&req.query), &req.body, 100)
            .unwrap();
        assert_eq!(opened.mode, ReplyMode::Encrypted);
        let reply = Reply::text("欢迎").render("oA", "wx", 100);
        let sealed = endpoint.seal(opened.mode, &reply, 100).unwrap();
        assert_eq!(describe(&sim.open_reply(&sealed).unwrap()), "欢迎");
    }

    #[test]
    fn a_reply_signed_with_another_token_is_refused() {
        let settings = settings();
        let sim = Simulator::from_settings(&settings, false).unwrap();
        let mut other = settings.clone();
        if let Some(w) = other.wechat.as_mut() {
            w.token = "another_token".to_owned().into();
        }
        let endpoint = Endpoint::of_official_account(other.wechat.as_ref().unwrap(), 300);
        let sealed = endpoint
            .seal(
                ReplyMode::Encrypted,
                &Reply::text("x").render("o", "wx", 1),
                1,
            )
            .unwrap();
        assert!(matches!(
            sim.open_reply(&sealed),
            Err(SimError::BadReplySignature)
        ));
        assert_eq!(sim.open_reply("success").unwrap(), SimReply::Acknowledged);
    }
}
