//! Masking a stream of text chunks (an SSE response) without ever emitting a value that should
//! have been masked, even when it is split across chunks.

use crate::mask::{ActionTable, Placeholders};
use crate::{Direction, Engine, EntityType};

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
    pending: String,
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
            pending: String::new(),
        }
    }

    pub fn push(&mut self, chunk: &str) -> StreamOutput {
        self.pending.push_str(chunk);
        StreamOutput::default()
    }

    pub fn finish(&mut self) -> StreamOutput {
        let text = std::mem::take(&mut self.pending);
        let findings = self.engine.findings(&text, self.direction);
        let masked = crate::mask::apply(&text, &findings, &self.actions, &mut self.placeholders);
        StreamOutput {
            emit: if masked.blocked.is_some() {
                String::new()
            } else {
                masked.text
            },
            blocked: masked.blocked,
        }
    }

    pub fn placeholders(&self) -> &Placeholders {
        &self.placeholders
    }
}
