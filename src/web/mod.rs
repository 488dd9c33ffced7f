//! HTTP surface that is not the WeChat protocol: health, later the admin API and pages.

pub mod health;
