//! The WeChat / WeCom protocol: signatures, message encryption, XML, typed messages, passive
//! replies, and the callback endpoints that tie them together.

pub mod api;
pub mod callback;
pub mod crypto;
pub mod dispatch;
pub mod envelope;
pub mod error;
pub mod menu;
pub mod message;
pub mod reply;
pub mod router;
pub mod signature;
pub mod xml;

pub use message::{Channel, Event, Inbound, InboundKind, ScanCodeInfo};
pub use reply::{Article, Reply};
