//! HTTP surface that is not the WeChat protocol: health and the admin API.

pub mod admin;
pub mod health;
