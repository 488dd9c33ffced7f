//! HTTP surface that is not the WeChat protocol: health and the admin API.

pub mod admin;
mod bearer;
pub mod calendar_feed;
mod csv;
pub mod guard;
pub mod health;
pub mod ics;
mod ics_zones;
pub mod material_link;
pub mod metrics;
pub mod pages;
pub mod rate_limit;
