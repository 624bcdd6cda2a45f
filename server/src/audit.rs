//! Records security-relevant actions. Written in the same transaction as the change they
//! describe, so a change is never stored without its record.

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
        "INSERT INTO audit_events (actor, action, subject, details) VALUES ($1, $2, $3, $4)",
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
