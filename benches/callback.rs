//! The protocol work of one encrypted callback, without network or storage: verify the
//! signatures, decrypt, parse, render and encrypt the reply.

// Bench code: fixtures that fail to build should stop the bench loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use criterion::{criterion_group, criterion_main, Criterion};
use huiwu::config::Settings;
use huiwu::sim::{SimAction, Simulator};
use huiwu::wechat::envelope::{CallbackQuery, Endpoint};
use huiwu::wechat::Reply;
use std::hint::black_box;

fn settings() -> Settings {
    Settings::from_toml_str(
        "[wechat]\napp_id = 'wx2c2769f8efd9abc2'\napp_secret = 's'\ntoken = 'huiwu_token_1'\n\
         encoding_aes_key = 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR'\n",
    )
    .unwrap()
}

fn encrypted_text_round_trip(c: &mut Criterion) {
    let settings = settings();
    let endpoint = Endpoint::of_official_account(settings.wechat.as_ref().unwrap(), 300);
    let sim = Simulator::from_settings(&settings, false).unwrap();
    let now = 1_700_000_000;
    let xml = sim
        .message_xml(
            "oUser_alice",
            &SimAction::Text("确认 12".into()),
            now,
            24001234567890123,
        )
        .unwrap();
    let request = sim.sign_post(&xml, now, "1234567890");
    let query = CallbackQuery::parse(&request.query);
    let reply = Reply::text("已确认参加「季度经营分析会」，12月1日 09:30，3号会议室。");

    c.bench_function(
        "verify+decrypt+parse+encrypt_reply (text, safe mode)",
        |b| {
            b.iter(|| {
                let opened = endpoint
                    .open(black_box(&query), black_box(&request.body), now)
                    .unwrap();
                let rendered =
                    reply.render(&opened.inbound.from_user, &opened.inbound.to_user, now);
                black_box(endpoint.seal(opened.mode, &rendered, now).unwrap())
            })
        },
    );
}

criterion_group!(benches, encrypted_text_round_trip);
criterion_main!(benches);
