//! huiwu (会务): an organisation's meetings, run inside WeChat and WeCom.

pub mod bot;
pub mod cli;
pub mod clock;
pub mod config;
pub mod db;
pub mod demo;
pub mod meetings;
pub mod notify;
pub mod operator;
pub mod ops;
pub mod outbox;
pub mod sim;
pub mod startup;
pub mod telemetry;
pub mod web;
pub mod wechat;
