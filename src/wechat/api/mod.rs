//! The outbound WeChat and WeCom APIs.

pub mod client;
pub mod error;
mod http;
pub mod oauth;
pub mod token;

pub use client::ApiClient;
pub use error::ApiError;
pub use token::{Credentials, TokenSource};
