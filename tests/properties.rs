//! Properties over arbitrary input: encryption round-trips, replies stay well-formed XML.

// Test code: a failed unwrap is a failed test, which is what we want.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use huiwu::wechat::crypto::{AesKey, MessageCipher};
use huiwu::wechat::reply::Reply;
use huiwu::wechat::xml::is_xml_char;
use proptest::prelude::*;

fn cipher() -> MessageCipher {
    MessageCipher::new(
        AesKey::parse("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG").unwrap(),
        "wx2c2769f8efd9abc2",
    )
}

/// What an XML 1.0 parser must hand back for text we rendered: characters XML cannot carry
/// dropped, line ends normalised as the spec requires.
fn as_xml_parser_sees_it(s: &str) -> String {
    let kept: String = s.chars().filter(|&c| is_xml_char(c)).collect();
    kept.replace("\r\n", "\n").replace('\r', "\n")
}

fn text_of(doc: &roxmltree::Document<'_>, element: &str) -> String {
    doc.descendants()
        .find(|n| n.has_tag_name(element))
        .map(|n| n.children().filter_map(|c| c.text()).collect())
        .unwrap_or_default()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn encrypt_then_decrypt_round_trips(msg in any::<String>(), random in any::<[u8; 16]>()) {
        let c = cipher();
        prop_assert_eq!(c.decrypt(&c.encrypt_with_random(&random, &msg)), Ok(msg));
    }

    #[test]
    fn decrypt_never_panics_on_arbitrary_base64(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        use base64::Engine;
        let _ = cipher().decrypt(&base64::engine::general_purpose::STANDARD.encode(bytes));
    }

    #[test]
    fn text_replies_round_trip_through_an_independent_xml_parser(
        content in any::<String>(),
        to in "[a-zA-Z0-9_\\-]{1,40}",
    ) {
        let xml = Reply::text(content.clone()).render(&to, "gh_account", 1_700_000_000);
        let doc = roxmltree::Document::parse(&xml).expect("well-formed");
        prop_assert_eq!(text_of(&doc, "Content"), as_xml_parser_sees_it(&content));
        prop_assert_eq!(text_of(&doc, "ToUserName"), to);
        // And through our own parser, which reads what the server reads.
        let fields = huiwu::wechat::xml::parse(&xml).expect("parses");
        prop_assert_eq!(fields.string("Content"), content.chars().filter(|&c| is_xml_char(c)).collect::<String>());
    }

    #[test]
    fn cdata_terminators_anywhere_stay_inside(parts in proptest::collection::vec("[a-z\\]>]{0,6}", 0..8)) {
        let content = parts.join("]]>");
        let xml = Reply::text(content.clone()).render("o", "gh", 1);
        let doc = roxmltree::Document::parse(&xml).expect("well-formed");
        prop_assert_eq!(text_of(&doc, "Content"), content);
    }

    #[test]
    fn the_xml_parser_never_panics(input in any::<String>()) {
        let _ = huiwu::wechat::xml::parse(&input);
    }
}
