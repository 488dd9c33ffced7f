//! Passive replies: the XML a callback's HTTP response carries back to the sender.

use super::xml::{push_cdata_element, push_number_element};
pub use crate::outbox::message::{Article, Reply, MAX_ARTICLES};

impl Reply {
    /// Renders the reply; `to` is the sender of the message being answered, `from` our account.
    pub fn render(&self, to: &str, from: &str, create_time: i64) -> String {
        let mut out = String::with_capacity(256);
        out.push_str("<xml>");
        push_cdata_element(&mut out, "ToUserName", to);
        push_cdata_element(&mut out, "FromUserName", from);
        push_number_element(&mut out, "CreateTime", create_time);
        match self {
            Reply::Text { content } => {
                push_cdata_element(&mut out, "MsgType", "text");
                push_cdata_element(&mut out, "Content", content);
            }
            Reply::News { articles } => {
                let articles = &articles[..articles.len().min(MAX_ARTICLES)];
                push_cdata_element(&mut out, "MsgType", "news");
                push_number_element(&mut out, "ArticleCount", articles.len() as i64);
                out.push_str("<Articles>");
                for a in articles {
                    out.push_str("<item>");
                    push_cdata_element(&mut out, "Title", &a.title);
                    push_cdata_element(&mut out, "Description", &a.description);
                    push_cdata_element(&mut out, "PicUrl", &a.pic_url);
                    push_cdata_element(&mut out, "Url", &a.url);
                    out.push_str("</item>");
                }
                out.push_str("</Articles>");
            }
        }
        out.push_str("</xml>");
        out
    }
}

/// The envelope of an encrypted reply (safe mode and WeCom).
pub fn render_encrypted(encrypt: &str, signature: &str, timestamp: &str, nonce: &str) -> String {
    let mut out = String::with_capacity(encrypt.len() + 160);
    out.push_str("<xml>");
    push_cdata_element(&mut out, "Encrypt", encrypt);
    push_cdata_element(&mut out, "MsgSignature", signature);
    out.push_str("<TimeStamp>");
    out.push_str(timestamp);
    out.push_str("</TimeStamp>");
    push_cdata_element(&mut out, "Nonce", nonce);
    out.push_str("</xml>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wechat::xml::parse;

    #[test]
    fn text_reply_parses_back() {
        let xml = Reply::text("你好 ]]> <b>").render("o1", "gh_1", 7);
        let f = parse(&xml).unwrap();
        assert_eq!(f.get("Content"), Some("你好 ]]> <b>"));
        assert_eq!(f.get("ToUserName"), Some("o1"));
        assert_eq!(f.get("MsgType"), Some("text"));
        assert_eq!(f.get("CreateTime"), Some("7"));
    }

    #[test]
    fn news_reply_is_capped_at_eight_articles() {
        let article = Article {
            title: "t".into(),
            description: "d".into(),
            pic_url: "p".into(),
            url: "u".into(),
        };
        let xml = Reply::News {
            articles: vec![article; 10],
        }
        .render("o1", "gh_1", 7);
        assert_eq!(parse(&xml).unwrap().get("ArticleCount"), Some("8"));
        assert_eq!(xml.matches("<item>").count(), 8);
    }
}
