//! The index's schema: which event fields are indexed how, and the document built from an event.

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::{TantivyDocument, TantivyError};
use time::OffsetDateTime;

use crate::IndexedEvent;

/// Bumped whenever the schema or what goes into a field changes: an index of another version is
/// wiped and rebuilt from the log rather than searched with wrong assumptions.
pub(crate) const VERSION: u32 = 1;

pub(crate) const SEQ: &str = "seq";
const TIME: &str = "time_us";
pub(crate) const ACTION: &str = "action";
pub(crate) const DECISION: &str = "decision";
pub(crate) const SEVERITY: &str = "severity";
pub(crate) const FINDING: &str = "finding";
pub(crate) const AGENT: &str = "agent";
pub(crate) const CONTROL: &str = "control";
const ACTOR: &str = "actor";
const TEXT: &str = "text";

/// The schema. Filters are raw (untokenised) terms; facet fields are also fast (columnar) so
/// counting reads a column instead of postings; `seq` is indexed (for idempotent re-adds) and
/// fast (for newest-first sorting); time is a fast i64 of microseconds for range filters. Nothing
/// is stored: a hit is a seq, and the caller loads the event from the log.
pub(crate) fn build() -> Schema {
    let mut b = Schema::builder();
    b.add_u64_field(SEQ, INDEXED | FAST);
    b.add_i64_field(TIME, FAST);
    b.add_text_field(ACTOR, STRING);
    for name in [ACTION, DECISION, SEVERITY, FINDING, AGENT, CONTROL] {
        b.add_text_field(name, STRING | FAST);
    }
    // Positions for phrase search; no field norms, since results are ordered by seq, not score.
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("default")
            .set_fieldnorms(false)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    b.add_text_field(TEXT, text);
    b.build()
}

/// Field handles, resolved once.
#[derive(Clone, Copy)]
pub(crate) struct Fields {
    pub(crate) seq: Field,
    pub(crate) time: Field,
    pub(crate) actor: Field,
    pub(crate) action: Field,
    pub(crate) decision: Field,
    pub(crate) severity: Field,
    pub(crate) finding: Field,
    pub(crate) agent: Field,
    pub(crate) control: Field,
    pub(crate) text: Field,
}

impl Fields {
    pub(crate) fn from_schema(schema: &Schema) -> Result<Self, TantivyError> {
        Ok(Self {
            seq: schema.get_field(SEQ)?,
            time: schema.get_field(TIME)?,
            actor: schema.get_field(ACTOR)?,
            action: schema.get_field(ACTION)?,
            decision: schema.get_field(DECISION)?,
            severity: schema.get_field(SEVERITY)?,
            finding: schema.get_field(FINDING)?,
            agent: schema.get_field(AGENT)?,
            control: schema.get_field(CONTROL)?,
            text: schema.get_field(TEXT)?,
        })
    }

    /// The document for one event. Free text also covers actor, action and subject, so a typed
    /// "alice" or "policy v12" finds events by who did what to what.
    pub(crate) fn document(&self, e: &IndexedEvent) -> TantivyDocument {
        let mut d = TantivyDocument::new();
        d.add_u64(self.seq, e.seq);
        d.add_i64(self.time, micros(e.time));
        d.add_text(self.actor, &e.actor);
        d.add_text(self.action, &e.action);
        if let Some(decision) = &e.decision {
            d.add_text(self.decision, decision);
        }
        d.add_text(self.severity, &e.severity);
        // Duplicates would count an event twice in a facet; dedupe (lists are short).
        for (i, finding) in e.findings.iter().enumerate() {
            if !e.findings[..i].contains(finding) {
                d.add_text(self.finding, finding);
            }
        }
        if let Some(agent) = &e.agent {
            d.add_text(self.agent, agent);
        }
        for (i, control) in e.controls.iter().enumerate() {
            if !e.controls[..i].contains(control) {
                d.add_text(self.control, control);
            }
        }
        d.add_text(self.text, &e.text);
        d.add_text(self.text, &e.actor);
        d.add_text(self.text, &e.action);
        d.add_text(self.text, &e.subject);
        d
    }
}

/// Microseconds since the Unix epoch, saturating far outside any real audit timestamp.
pub(crate) fn micros(t: OffsetDateTime) -> i64 {
    i64::try_from(t.unix_timestamp_nanos() / 1_000).unwrap_or(if t.year() < 1970 {
        i64::MIN
    } else {
        i64::MAX
    })
}
