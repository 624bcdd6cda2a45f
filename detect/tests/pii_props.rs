//! Fuzzing the detectors: on arbitrary Unicode and on texts dense with real entities, `detect`
//! never panics and returns sorted, in-bounds, char-aligned, non-overlapping spans.

use proptest::prelude::*;
use std::sync::LazyLock;
use warden_detect::{Direction, Engine};

static ENGINE: LazyLock<Engine> = LazyLock::new(Engine::new);

mod pii_common;
use pii_common as common;

fn check(text: &str) {
    for direction in [Direction::Request, Direction::Response] {
        let findings = ENGINE.findings(text, direction);
        let mut last_end = 0;
        for f in &findings {
            assert!(f.start < f.end, "empty span {f:?}");
            assert!(f.end <= text.len(), "out of bounds {f:?}");
            assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
            assert!(f.start >= last_end, "unsorted or overlapping {findings:?}");
            assert!((0.0..=1.0).contains(&f.score));
            last_end = f.end;
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_unicode(text in any::<String>()) {
        check(&text);
    }

    #[test]
    fn ascii_soup(text in "[ -~\n]{0,400}") {
        check(&text);
    }

    #[test]
    fn digit_and_symbol_soup(text in "[0-9 +().:/@-]{0,200}") {
        check(&text);
    }

    #[test]
    fn dense_entities(text in common::text()) {
        check(&text);
    }
}
