//! The canonical entry: what one leaf of the log hashes. Serialised once, when the event is
//! sequenced, and stored byte for byte; verifiers hash the stored bytes, never a re-encoding.

use crate::compliance;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::OffsetDateTime;
use uuid::Uuid;
use warden_audit_index::IndexedEvent;
use warden_common::firewall::DecisionEvent;

/// An event waiting for its leaf number.
#[derive(Debug, Clone)]
pub struct PendingEvent {
    pub id: Uuid,
    pub time: OffsetDateTime,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub details: Value,
}

/// The signed record. Field order is the encoding's order.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    pub seq: u64,
    pub id: Uuid,
    #[serde(with = "time::serde::rfc3339")]
    pub time: OffsetDateTime,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub details: Value,
}

impl Entry {
    pub fn new(seq: u64, event: PendingEvent) -> Entry {
        Entry {
            seq,
            id: event.id,
            time: event.time,
            actor: event.actor,
            action: event.action,
            subject: event.subject,
            details: event.details,
        }
    }

    /// The leaf's bytes: compact JSON on one line (newlines inside strings are escaped).
    pub fn encode(&self) -> Vec<u8> {
        // Serialising a struct of strings, numbers and a JSON value cannot fail.
        serde_json::to_vec(self).unwrap_or_default()
    }

    /// The decision outcome, for decision events.
    pub fn decision(&self) -> Option<&str> {
        if self.action.starts_with("decision.") {
            self.details.get("outcome").and_then(Value::as_str)
        } else {
            None
        }
    }

    /// The agent the event concerns, from an `agent:<name>` subject.
    pub fn agent(&self) -> Option<String> {
        self.subject.strip_prefix("agent:").map(str::to_owned)
    }

    /// Finding types of a decision, both directions, plus `prompt_injection` when detected.
    pub fn findings(&self) -> Vec<String> {
        let mut findings: Vec<String> = Vec::new();
        for direction in ["request_findings", "response_findings"] {
            if let Some(Value::Object(counts)) = self.details.get(direction) {
                findings.extend(counts.keys().cloned());
            }
        }
        if self.details.get("injection_detected") == Some(&Value::Bool(true)) {
            findings.push("prompt_injection".to_owned());
        }
        findings.sort_unstable();
        findings.dedup();
        findings
    }

    /// What the event is classified as (finding types, severity, compliance controls): derived
    /// from the entry, never signed into it.
    pub fn classify(&self) -> (Vec<String>, &'static str, Vec<String>) {
        let findings = self.findings();
        let severity = compliance::severity(&self.action, self.decision(), &findings);
        let controls = compliance::controls(&self.action, &findings)
            .into_iter()
            .map(str::to_owned)
            .collect();
        (findings, severity, controls)
    }

    /// The search index's view: fields to filter and facet on, and the rest as text.
    pub fn indexed(&self) -> IndexedEvent {
        let (findings, severity, controls) = self.classify();
        let decision = self.decision().map(str::to_owned);
        let mut text = format!("{} {} {} ", self.actor, self.action, self.subject);
        flatten_text(&self.details, &mut text);
        IndexedEvent {
            seq: self.seq,
            id: self.id,
            time: self.time,
            actor: self.actor.clone(),
            action: self.action.clone(),
            subject: self.subject.clone(),
            agent: self.agent(),
            severity: severity.to_owned(),
            controls,
            decision,
            findings,
            text,
        }
    }
}

/// The string values of a JSON value, space-separated, for full-text search. Keys and numbers
/// are left out: nobody searches for them, and every indexed token costs ingestion time.
fn flatten_text(value: &Value, out: &mut String) {
    match value {
        Value::String(text) => {
            out.push_str(text);
            out.push(' ');
        }
        Value::Array(items) => items.iter().for_each(|item| flatten_text(item, out)),
        Value::Object(fields) => fields.values().for_each(|value| flatten_text(value, out)),
        Value::Number(_) | Value::Bool(_) | Value::Null => {}
    }
}

/// An enforcer's decision as an audit event, its subject the agent's registered name when known
/// (as in every other agent event). The event's own id drops redeliveries.
pub fn from_decision(event: &DecisionEvent, agent_name: Option<&str>) -> PendingEvent {
    let kind = match &event.action {
        Value::String(kind) => kind.clone(),
        Value::Object(fields) => fields
            .get("kind")
            .and_then(Value::as_str)
            .unwrap_or("action")
            .to_owned(),
        _ => "action".to_owned(),
    };
    let subject = match (agent_name, event.agent_id) {
        (Some(name), _) => format!("agent:{name}"),
        (None, Some(id)) => format!("agent:{id}"),
        (None, None) => format!("agent:{}", event.agent),
    };
    PendingEvent {
        id: event.id,
        time: event.time,
        actor: format!("enforcer:{}", event.enforcer_id),
        action: format!("decision.{}", sanitise_kind(&kind)),
        subject,
        details: serde_json::to_value(event).unwrap_or(Value::Null),
    }
}

/// A JetStream message that is not a decision event is still recorded, by its hash, so nothing
/// an enforcer sent disappears silently. The id derives from the payload: redeliveries drop.
pub fn from_unreadable(payload: &[u8], subject: &str, error: &str) -> PendingEvent {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(payload);
    let mut id_bytes = [0u8; 16];
    id_bytes.copy_from_slice(&digest[..16]);
    PendingEvent {
        id: uuid::Builder::from_random_bytes(id_bytes).into_uuid(),
        time: OffsetDateTime::now_utc(),
        actor: "system".to_owned(),
        action: "decision.unreadable".to_owned(),
        subject: format!("nats:{subject}"),
        details: serde_json::json!({
            "sha256": warden_tlog::to_hex(&digest),
            "bytes": payload.len(),
            "error": error,
        }),
    }
}

fn sanitise_kind(kind: &str) -> String {
    let kind: String = kind
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .take(40)
        .collect();
    if kind.is_empty() {
        "action".to_owned()
    } else {
        kind
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_encoding_is_one_line_and_starts_with_seq() {
        let entry = Entry::new(
            7,
            PendingEvent {
                id: Uuid::nil(),
                time: OffsetDateTime::UNIX_EPOCH,
                actor: "user:alice".into(),
                action: "agent.registered".into(),
                subject: "agent:1".into(),
                details: json!({"note": "two\nlines"}),
            },
        );
        let bytes = entry.encode();
        assert!(bytes.starts_with(br#"{"seq":7,"id":"00000000-0000-0000-0000-000000000000""#));
        assert!(!bytes.contains(&b'\n'));
        assert_eq!(entry.agent().as_deref(), Some("1"));
        assert_eq!(entry.decision(), None);
    }

    #[test]
    fn unreadable_payloads_get_a_stable_id() {
        let first = from_unreadable(b"garbage", "warden.decisions.x", "bad json");
        let again = from_unreadable(b"garbage", "warden.decisions.x", "bad json");
        assert_eq!(first.id, again.id);
        assert_ne!(first.id, from_unreadable(b"other", "s", "e").id);
    }
}
