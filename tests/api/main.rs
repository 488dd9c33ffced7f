// Test code: a failed unwrap is a failed test, which is what we want.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod helpers;

mod admin;
mod attendance;
mod calendar;
mod callbacks;
mod chat;
mod chat_rules;
mod checklist;
mod console;
mod doors;
mod duplicates;
mod improvement;
mod live;
mod meetings;
mod migrations;
mod observability;
mod outage;
mod outbound;
mod pages;
mod policy;
mod records;
mod rejections;
mod running;
mod scheduler;
mod security;
mod series;
