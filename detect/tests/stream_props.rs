//! The streaming masker's defining property: fed any chunking of a text, it emits exactly what
//! masking the whole text gives (same placeholders), and a blocked text is reported before any
//! byte of the blocking value is sent.

use proptest::prelude::*;
use std::sync::LazyLock;
use warden_detect::mask::{self, Action, ActionTable};
use warden_detect::{Direction, Engine, EntityType, Placeholders};

mod pii_common;
use pii_common as common;

static ENGINE: LazyLock<Engine> = LazyLock::new(Engine::new);

fn table(kind: u8) -> ActionTable {
    let mut t = ActionTable::new();
    for (i, e) in EntityType::ALL.into_iter().enumerate() {
        let a = match kind {
            0 => Action::Mask,
            1 => [Action::Mask, Action::Redact, Action::Allow][i % 3],
            2 => {
                if e.category() == warden_detect::Category::Secret {
                    Action::Block
                } else {
                    Action::Mask
                }
            }
            _ => [Action::Allow, Action::Mask][i % 2],
        };
        t.insert(e, a);
    }
    t
}

fn run(text: &str, cuts: &[u16], kind: u8) {
    let actions = table(kind);
    let findings = ENGINE.findings(text, Direction::Response);
    let mut whole_ph = Placeholders::default();
    let whole = mask::apply(text, &findings, &actions, &mut whole_ph);

    let mut masker = ENGINE.stream_masker(
        Direction::Response,
        actions.clone(),
        Placeholders::default(),
    );
    let mut out = String::new();
    let mut blocked = None;
    for chunk in common::chunks(text, cuts) {
        let o = masker.push(&chunk);
        out.push_str(&o.emit);
        if o.blocked.is_some() {
            blocked = o.blocked;
            break;
        }
    }
    if blocked.is_none() {
        let o = masker.finish();
        out.push_str(&o.emit);
        blocked = o.blocked;
    }
    match whole.blocked {
        None => {
            assert_eq!(
                blocked, None,
                "stream blocked but whole text did not: {text:?}"
            );
            assert_eq!(
                out,
                whole.text,
                "text {text:?} chunks {:?}",
                common::chunks(text, cuts)
            );
            assert_eq!(
                masker.placeholders().restore(&out),
                whole_ph.restore(&whole.text)
            );
            if !whole.text.contains("<REDACTED>") && !text.contains('<') {
                assert_eq!(masker.placeholders().restore(&out), text);
            }
        }
        Some(_) => {
            assert!(
                blocked.is_some(),
                "whole text blocked, stream not: {text:?}"
            );
            let first = findings
                .iter()
                .find(|f| actions.get(&f.entity) == Some(&Action::Block))
                .copied();
            let Some(first) = first else { return };
            let before: Vec<_> = findings
                .iter()
                .copied()
                .filter(|f| f.end <= first.start)
                .collect();
            let mut ph = Placeholders::default();
            let prefix = mask::apply(&text[..first.start], &before, &actions, &mut ph);
            assert!(
                prefix.text.starts_with(&out),
                "emitted {out:?} beyond the safe prefix {:?}",
                prefix.text
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn stream_equals_whole(text in common::text(), cuts in prop::collection::vec(any::<u16>(), 0..60), kind in 0u8..4) {
        run(&text, &cuts, kind);
    }

    #[test]
    fn one_char_chunks(text in common::text(), kind in 0u8..4) {
        let cuts: Vec<u16> = (0..text.chars().count() as u16).collect();
        run(&text, &cuts, kind);
    }

    #[test]
    fn long_texts(text in pii_common::long_text(), cuts in prop::collection::vec(any::<u16>(), 0..400), kind in 0u8..4) {
        run(&text, &cuts, kind);
    }

    #[test]
    fn arbitrary_unicode_stream(text in any::<String>(), cuts in prop::collection::vec(any::<u16>(), 0..20)) {
        run(&text, &cuts, 0);
    }
}

#[test]
fn open_private_key_is_held_until_end() {
    let mut actions = ActionTable::new();
    actions.insert(EntityType::PrivateKey, Action::Redact);
    let mut m = ENGINE.stream_masker(Direction::Response, actions, Placeholders::default());
    let mut out = String::new();
    out.push_str(
        &m.push("Here is the key:\n-----BEGIN RSA PRIVATE KEY-----\n")
            .emit,
    );
    for _ in 0..20 {
        out.push_str(&m.push("MIIEowIBAAKCAQEA7abcdefghijklmnop\n").emit);
    }
    assert!(!out.contains("MIIE"), "{out:?}");
    out.push_str(
        &m.push("-----END RSA PRIVATE KEY-----\nthat is all folks ")
            .emit,
    );
    out.push_str(&m.finish().emit);
    assert_eq!(out, "Here is the key:\n<REDACTED>\nthat is all folks ");
}

#[test]
fn holds_little_in_prose() {
    let mut m = ENGINE.stream_masker(Direction::Response, table(0), Placeholders::default());
    let text = "the quick brown fox jumps over the lazy dog and keeps running through the field ";
    let mut max_held = 0;
    for w in text.split_inclusive(' ') {
        m.push(w);
        max_held = max_held.max(m.held_back());
    }
    assert!(max_held <= 40, "held {max_held}");
}

#[test]
fn regression_email_then_btc() {
    run(
        "jane.doe@example.com 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa ",
        &[],
        1,
    );
}
