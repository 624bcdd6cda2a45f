//! Warden's detection engine, shared by the enforcer's proxy, its NATS check service and the
//! `warden-enforcer scan` command, so all three see exactly the same findings.
//!
//! Everything here is synchronous, allocation-light and free of I/O: callers on an async runtime
//! run it inline (it is sub-millisecond by design) and benchmarks measure it directly.
//!
//! Offsets inside the engine are **byte** offsets into the UTF-8 text; [`char_span`] converts
//! them to Unicode scalar offsets for the `scan` output contract.

pub mod entity;
pub mod eval;
pub mod injection;
pub mod mask;
pub mod pii;
pub mod stream;

pub use entity::{Category, EntityType, Finding};
pub use injection::Injection;
pub use mask::{Action, Masked, Placeholders};
pub use stream::{StreamMasker, StreamOutput};

use serde::{Deserialize, Serialize};

/// Which way the text is travelling; some rules differ (responses are not scored for
/// jailbreaks aimed at the model, requests are).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    #[default]
    Request,
    Response,
}

impl std::str::FromStr for Direction {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "request" => Ok(Direction::Request),
            "response" => Ok(Direction::Response),
            other => Err(format!("unknown direction {other:?} (request or response)")),
        }
    }
}

/// Everything the engine found in one text.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Scan {
    /// Sorted by start, non-overlapping.
    pub findings: Vec<Finding>,
    pub injection: Injection,
}

/// The compiled detectors; build once (it compiles regular expressions and automata) and share
/// behind an `Arc`: it is `Send + Sync` and every method takes `&self`.
#[derive(Debug)]
pub struct Engine {
    pii: pii::Detectors,
    injection: injection::Detector,
}

impl Engine {
    pub fn new() -> Self {
        Engine {
            pii: pii::Detectors::new(),
            injection: injection::Detector::new(),
        }
    }

    /// PII and secrets in `text`, sorted by start, non-overlapping.
    pub fn findings(&self, text: &str, direction: Direction) -> Vec<Finding> {
        self.pii.detect(text, direction)
    }

    /// How much `text` looks like a prompt injection or jailbreak, and why.
    pub fn injection(&self, text: &str) -> Injection {
        self.injection.score(text)
    }

    /// Both of the above.
    pub fn scan(&self, text: &str, direction: Direction) -> Scan {
        Scan {
            findings: self.findings(text, direction),
            injection: self.injection(text),
        }
    }

    /// A streaming masker over this engine, for one response stream.
    pub fn stream_masker<'e>(
        &'e self,
        direction: Direction,
        action_for: mask::ActionTable,
        placeholders: Placeholders,
    ) -> StreamMasker<'e> {
        StreamMasker::new(self, direction, action_for, placeholders)
    }
}

impl Default for Engine {
    fn default() -> Self {
        Engine::new()
    }
}

/// Converts a byte span of `text` to a span in Unicode scalar values (end exclusive).
pub fn char_span(text: &str, start: usize, end: usize) -> (usize, usize) {
    let start_chars = text.get(..start).map_or(0, |s| s.chars().count());
    let middle = text.get(start..end).map_or(0, |s| s.chars().count());
    (start_chars, start_chars + middle)
}
