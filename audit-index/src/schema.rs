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
const ACTION: &str = "action";
const DECISION: &str = "decision";
const SEVERITY: &str = "severity";
const FINDING: &str = "finding";
const AGENT: &str = "agent";
const CONTROL: &str = "control";
const ACTOR: &str = "actor";
const TEXT: &str = "text";
/// Facet columns, in [`crate::Facets`] order, each paired with whether it holds a set.
pub(crate) const FACET_COLUMNS: [(&str, bool); 6] = [
    ("facet_action", false),
    ("facet_decision", false),
    ("facet_severity", false),
    ("facet_findings", true),
    ("facet_agent", false),
    ("facet_controls", true),
];
/// Joins a set's values in its facet column; values never contain it (it is replaced).
pub(crate) const SET_SEPARATOR: char = '\u{1f}';

/// The schema. Filters are raw (untokenised) indexed terms. `seq` is indexed (for idempotent
/// re-adds) and fast (for newest-first sorting); time is a fast i64 of microseconds for range
/// filters. Facets read separate fast-only (columnar) fields that every document fills (an empty
/// string when absent; a set such as findings as one joined value): a column with exactly one
/// value per document is read by direct position, several times faster than an optional or
/// multi-valued one. Nothing is stored: a hit is a seq, and the caller loads the event from the log.
pub(crate) fn build() -> Schema {
    let mut b = Schema::builder();
    b.add_u64_field(SEQ, INDEXED | FAST);
    b.add_i64_field(TIME, FAST);
    for name in [ACTOR, ACTION, DECISION, SEVERITY, FINDING, AGENT, CONTROL] {
        b.add_text_field(name, STRING);
    }
    for (name, _) in FACET_COLUMNS {
        b.add_text_field(name, FAST);
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
    facets: [Field; 6],
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
            facets: [
                schema.get_field(FACET_COLUMNS[0].0)?,
                schema.get_field(FACET_COLUMNS[1].0)?,
                schema.get_field(FACET_COLUMNS[2].0)?,
                schema.get_field(FACET_COLUMNS[3].0)?,
                schema.get_field(FACET_COLUMNS[4].0)?,
                schema.get_field(FACET_COLUMNS[5].0)?,
            ],
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
        d.add_text(self.severity, &e.severity);
        if let Some(decision) = &e.decision {
            d.add_text(self.decision, decision);
        }
        if let Some(agent) = &e.agent {
            d.add_text(self.agent, agent);
        }
        let findings = set(&e.findings);
        for finding in &findings {
            d.add_text(self.finding, finding);
        }
        let controls = set(&e.controls);
        for control in &controls {
            d.add_text(self.control, control);
        }
        let [action, decision, severity, finding, agent, control] = self.facets;
        d.add_text(action, &e.action);
        d.add_text(decision, e.decision.as_deref().unwrap_or(""));
        d.add_text(severity, &e.severity);
        d.add_text(finding, join(&findings));
        d.add_text(agent, e.agent.as_deref().unwrap_or(""));
        d.add_text(control, join(&controls));
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

/// Sorted distinct values: an event counts once per value in a facet, and equal sets share one
/// column value.
fn set(values: &[String]) -> Vec<&str> {
    let mut v: Vec<&str> = values.iter().map(String::as_str).collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// One column value for a set.
fn join(values: &[&str]) -> String {
    let sep = SET_SEPARATOR.to_string();
    values
        .iter()
        .map(|v| v.replace(SET_SEPARATOR, " "))
        .collect::<Vec<_>>()
        .join(&sep)
}
