//! A message huiwu sends, before any transport's format: a callback's passive reply, a
//! customer-service message or a WeCom app message all carry one (`wechat` renders it).

use serde::{Deserialize, Serialize};

/// WeChat shows at most 8 articles in a news reply.
pub const MAX_ARTICLES: usize = 8;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Reply {
    Text { content: String },
    News { articles: Vec<Article> },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    pub title: String,
    pub description: String,
    pub pic_url: String,
    pub url: String,
}

impl Reply {
    pub fn text(content: impl Into<String>) -> Self {
        Reply::Text {
            content: content.into(),
        }
    }
}
