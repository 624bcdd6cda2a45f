//! The audit trail: every security-relevant action and every enforcer decision, as leaves of an
//! append-only Merkle tree with signed checkpoints (RFC 6962/9162, C2SP tlog-checkpoint), proofs
//! over the API, an offline verifier, and a search index.
//!
//! A change and its audit record are written in one transaction (into the inbox), so a change is
//! never stored without its record; the sequencer then gives the record its leaf number.

pub mod cli;
pub mod entry;
pub mod export;
pub mod ingest;
pub mod log;
pub mod routes;
pub mod search;
pub mod sequencer;
pub mod service;
pub mod signing;
pub mod store;

pub use log::AuditLog;
pub use service::AuditService;

use serde_json::Value;
use sqlx::PgExecutor;

/// One action: who did what to which subject, with structured details (never secrets).
#[derive(Debug, Clone)]
pub struct AuditEvent {
    pub actor: String,
    pub action: &'static str,
    pub subject: String,
    pub details: Value,
}

impl AuditEvent {
    pub fn new(actor: impl Into<String>, action: &'static str, subject: impl Into<String>) -> Self {
        AuditEvent {
            actor: actor.into(),
            action,
            subject: subject.into(),
            details: Value::Object(Default::default()),
        }
    }

    pub fn with_details(mut self, details: Value) -> Self {
        self.details = details;
        self
    }
}

pub async fn record(db: impl PgExecutor<'_>, event: AuditEvent) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO audit_inbox (actor, action, subject, details) VALUES ($1, $2, $3, $4)",
    )
    .bind(&event.actor)
    .bind(event.action)
    .bind(&event.subject)
    .bind(&event.details)
    .execute(db)
    .await?;
    tracing::info!(
        actor = %event.actor,
        action = event.action,
        subject = %event.subject,
        "audit event"
    );
    Ok(())
}
