//! Masking a stream of text chunks (an SSE response) without ever emitting a value that should
//! have been masked, redacted or blocked, even when it is split across chunks.
//!
//! # How much is held back
//! The detectors are local (see [`crate::pii`]): a value that may contain whitespace (a name,
//! an address, a spaced phone, card or IBAN number) is a run of at most [`MAX_TOKENS`]
//! whitespace-separated tokens, each of which is "continuable" (holds an upper-case letter, a
//! digit, `+`, `(` or `#`, is bare punctuation, or is a particle or street word such as `de`,
//! `van`, `rue`);
//! every other value is a single token; context words only look backwards. So the masker emits
//! everything up to the start of:
//! - the last token if the text does not end in whitespace (it may still grow), and before it
//!   the trailing run of continuable tokens (at most [`MAX_TOKENS`] of them);
//! - any candidate value that crosses that point (for example an open
//!   `-----BEGIN … PRIVATE KEY-----`, held until its `-----END …-----` or until
//!   [`crate::pii::PEM_CAP`] bytes, after which it is treated as a key).
//!
//! In ordinary prose that is the last word or two (typically under 20 bytes); after a name,
//! number or address it is that value until a plain lower-case word follows; a private key is
//! held whole. Already-emitted text is kept as left context ([`KEEP`] bytes) so context words
//! still count across chunk boundaries. A detection pass runs only when a chunk completes a token
//! and at least [`SCAN_STEP`] new bytes have arrived.
//!
//! The guarantee, tested with proptest over random texts and chunkings: when not blocked, the
//! concatenated output equals [`crate::mask::apply`] on the whole text (same placeholders);
//! when the whole text is blocked, `blocked` is reported before any byte of the blocking value is
//! emitted. (Pathological inputs can break exact equality but never leak a value the masker has
//! seen: runs of more than [`MAX_TOKENS`] continuable tokens, or more than [`MAX_HELD`] bytes
//! without a safe point, are cut and whatever crosses the cut is masked.)

use crate::mask::{ActionTable, Placeholders};
use crate::pii::{floor_boundary, resolve};
use crate::{Direction, Engine, EntityType, Finding, mask};

/// Most whitespace-separated tokens of one value that may contain whitespace.
pub const MAX_TOKENS: usize = 24;
/// Emitted text kept as left context for the next detection pass (bytes).
pub const KEEP: usize = 256;
/// New bytes needed before another detection pass.
pub const SCAN_STEP: usize = 16;
/// Most bytes held back before the masker cuts regardless (a private key is capped well below).
pub const MAX_HELD: usize = 256 * 1024;

/// What one push (or the finish) lets through.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StreamOutput {
    /// Text safe to send now (already masked).
    pub emit: String,
    /// Set when a finding's action is `Block`: stop the stream; nothing more will be emitted.
    pub blocked: Option<EntityType>,
}

/// Holds back only as much text as a value in progress could need.
#[derive(Debug)]
pub struct StreamMasker<'e> {
    engine: &'e Engine,
    direction: Direction,
    actions: ActionTable,
    placeholders: Placeholders,
    /// Kept context (already emitted) followed by text not yet emitted.
    buf: String,
    /// Where the not-yet-emitted text starts in `buf`.
    emitted: usize,
    /// Bytes pushed since the last detection pass.
    unscanned: usize,
    blocked: Option<EntityType>,
    /// Findings acted on so far, by type (for decision events).
    found: std::collections::BTreeMap<EntityType, u64>,
}

impl<'e> StreamMasker<'e> {
    pub fn new(
        engine: &'e Engine,
        direction: Direction,
        actions: ActionTable,
        placeholders: Placeholders,
    ) -> Self {
        StreamMasker {
            engine,
            direction,
            actions,
            placeholders,
            buf: String::new(),
            emitted: 0,
            unscanned: 0,
            blocked: None,
            found: std::collections::BTreeMap::new(),
        }
    }

    /// Adds a chunk; returns the text that is now safe to send.
    pub fn push(&mut self, chunk: &str) -> StreamOutput {
        if let Some(b) = self.blocked {
            return StreamOutput {
                emit: String::new(),
                blocked: Some(b),
            };
        }
        self.buf.push_str(chunk);
        self.unscanned += chunk.len();
        let completes_token = chunk.chars().any(separates);
        let over = self.held_back() > MAX_HELD;
        if (completes_token && self.unscanned >= SCAN_STEP) || over {
            self.advance(false)
        } else {
            StreamOutput::default()
        }
    }

    /// The end of the stream: everything left, masked.
    pub fn finish(&mut self) -> StreamOutput {
        if let Some(b) = self.blocked {
            return StreamOutput {
                emit: String::new(),
                blocked: Some(b),
            };
        }
        self.advance(true)
    }

    pub fn placeholders(&self) -> &Placeholders {
        &self.placeholders
    }

    /// Findings in the text released (or blocked) so far, by type.
    pub fn found(&self) -> &std::collections::BTreeMap<EntityType, u64> {
        &self.found
    }

    /// Bytes received but not yet emitted.
    pub fn held_back(&self) -> usize {
        self.buf.len() - self.emitted
    }

    fn advance(&mut self, last: bool) -> StreamOutput {
        self.unscanned = 0;
        let candidates = self.engine.pii.candidates(&self.buf, self.direction);
        let len = self.buf.len();
        let mut frontier = if last {
            len
        } else {
            let mut f = self.emitted + safe_prefix(&self.buf[self.emitted..]);
            if len - f > MAX_HELD {
                f = floor_boundary(&self.buf, len - MAX_HELD);
            }
            // Nothing that may still change is emitted: a candidate crossing the frontier, or
            // one running to the end of the text so far (an unterminated private key).
            loop {
                let mut moved = false;
                for c in &candidates {
                    if c.start < f && (c.end > f || c.end == len) {
                        f = c.start;
                        moved = true;
                    }
                }
                if !moved {
                    break;
                }
            }
            // Memory bound: past MAX_HELD the oldest part goes out even mid-value (the part of a
            // value before the cut is still masked, see the clipping below).
            if len - f > MAX_HELD {
                f = floor_boundary(&self.buf, len - MAX_HELD);
            }
            f
        };
        if frontier < self.emitted {
            frontier = self.emitted;
        }
        let findings: Vec<Finding> = resolve(candidates)
            .into_iter()
            .filter(|f| f.end > self.emitted && f.start < frontier)
            .map(|f| Finding {
                // Defensive: a value straddling the emitted point (only possible on pathological
                // input) has its unsent part masked; one straddling the frontier is cut there.
                start: f.start.max(self.emitted) - self.emitted,
                end: f.end.min(frontier) - self.emitted,
                ..f
            })
            .collect();
        for finding in &findings {
            *self.found.entry(finding.entity).or_insert(0) += 1;
        }
        let segment = &self.buf[self.emitted..frontier];
        if let Some(b) = findings.iter().find_map(|f| {
            (self.actions.get(&f.entity) == Some(&mask::Action::Block)).then_some(f.entity)
        }) {
            self.blocked = Some(b);
            return StreamOutput {
                emit: String::new(),
                blocked: Some(b),
            };
        }
        let masked = mask::apply(segment, &findings, &self.actions, &mut self.placeholders);
        self.emitted = frontier;
        self.trim();
        StreamOutput {
            emit: masked.text,
            blocked: None,
        }
    }

    /// Drops emitted text beyond [`KEEP`] bytes of context, cutting after a whitespace so the
    /// kept context starts on a token.
    fn trim(&mut self) {
        let target = self.emitted.saturating_sub(KEEP);
        if target == 0 {
            return;
        }
        let lo = floor_boundary(&self.buf, target.saturating_sub(KEEP));
        let hi = floor_boundary(&self.buf, target);
        let cut = self.buf[lo..hi]
            .char_indices()
            .rev()
            .find(|(_, c)| separates(*c))
            .map_or(hi, |(i, c)| lo + i + c.len_utf8());
        self.buf.drain(..cut);
        self.emitted -= cut;
    }
}

/// Lower-case words that can sit inside a multi-token value: name particles, street and
/// PO-box words, and the lower-case words that start a key/value secret.
const CONTINUATION: [&str; 48] = [
    "van",
    "von",
    "der",
    "den",
    "de",
    "del",
    "della",
    "di",
    "da",
    "du",
    "la",
    "le",
    "les",
    "bin",
    "ibn",
    "al",
    "el",
    "dos",
    "das",
    "ter",
    "bis",
    "rue",
    "avenue",
    "av",
    "boulevard",
    "bd",
    "place",
    "chemin",
    "allée",
    "impasse",
    "quai",
    "cours",
    "route",
    "calle",
    "avenida",
    "avda",
    "plaza",
    "paseo",
    "via",
    "viale",
    "piazza",
    "corso",
    "rua",
    "p.o",
    "po",
    "box",
    "postfach",
    "apartado",
];

/// Whether a whitespace-separated token could be part of a multi-token value: anything with
/// an upper-case letter, a digit, `+`, `(` or `#` anywhere (a value may start mid-token, as in
/// `phone:+44 20 …`), bare punctuation, or a particle / street word.
fn continuable(token: &str) -> bool {
    if token
        .chars()
        .any(|c| c.is_uppercase() || c.is_ascii_digit() || matches!(c, '+' | '(' | '#' | '№'))
    {
        return true;
    }
    if !token.chars().any(char::is_alphanumeric) {
        return true;
    }
    let lower = token
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .trim_end_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    CONTINUATION.contains(&lower.as_str())
        || ["l'", "d'", "l’", "d’", "p.o", "nº", "n°"]
            .iter()
            .any(|p| lower.starts_with(p))
        || [
            "travessa", "praça", "largo", "carrer", "passage", "square", "post", "office",
            "correos", "no",
        ]
        .contains(&lower.as_str())
}

/// Whitespace, or a CJK character (those scripts put no spaces between words and no value
/// contains them), ends a token.
fn separates(c: char) -> bool {
    c.is_whitespace() || crate::pii::is_cjk(c)
}

/// How many bytes at the start of `pending` can be emitted: everything before the last token
/// (if unfinished) and the trailing run of continuable tokens.
fn safe_prefix(pending: &str) -> usize {
    let mut frontier = pending.len();
    let mut end = pending.len();
    let mut count = 0;
    let mut first = true;
    // Walk tokens from the end.
    loop {
        // Skip separators backwards.
        let trimmed = pending[..end].trim_end_matches(separates);
        if trimmed.is_empty() {
            return frontier;
        }
        let ends_in_space = trimmed.len() < end;
        let start = trimmed
            .char_indices()
            .rev()
            .find(|(_, c)| separates(*c))
            .map_or(0, |(i, c)| i + c.len_utf8());
        let token = &trimmed[start..];
        let unfinished = first && !ends_in_space;
        if unfinished || (continuable(token) && count < MAX_TOKENS) {
            frontier = start;
            count += 1;
            first = false;
            end = start;
            if start == 0 {
                return 0;
            }
        } else {
            return frontier;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_prefix_holds_value_runs() {
        assert_eq!(safe_prefix("the weather is nic"), "the weather is ".len());
        assert_eq!(
            safe_prefix("the weather is nice "),
            "the weather is nice ".len()
        );
        assert_eq!(safe_prefix("ask Jane Doe "), "ask ".len());
        assert_eq!(safe_prefix("ask Jane Doe about"), "ask ".len());
        assert_eq!(
            safe_prefix("ask Jane Doe about it"),
            "ask Jane Doe about ".len()
        );
        assert_eq!(safe_prefix("at 12 rue de la Paix "), "at ".len());
        assert_eq!(safe_prefix(""), 0);
        assert_eq!(safe_prefix("   "), 3);
    }
}
