//! Enforcers' decision events, from the JetStream stream into the log. A message is acknowledged
//! only after the transaction that logged it commits, so a control plane killed mid-batch loses
//! nothing (JetStream redelivers) and duplicates nothing (the event id is unique in the log).

use super::entry;
use super::sequencer;
use async_nats::jetstream::{self, consumer};
use futures::StreamExt;
use sqlx::PgPool;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;
use tracing::Instrument;
use uuid::Uuid;
use warden_common::firewall::{DecisionEvent, subjects};

/// The durable consumer every control plane of a trust domain shares; JetStream splits the
/// domain's messages between them.
pub fn consumer_name(trust_domain: &str) -> String {
    let domain: String = trust_domain
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("warden-audit-{domain}")
}
/// Messages logged per transaction, at most.
const BATCH: usize = 1000;
const RETRY_EVERY: Duration = Duration::from_secs(1);

pub async fn run(
    nats: async_nats::Client,
    db: PgPool,
    appended: Arc<Notify>,
    trust_domain: String,
) {
    let jetstream = jetstream::new(nats);
    loop {
        if let Err(error) = consume(&jetstream, &db, &appended, &trust_domain).await {
            tracing::warn!(
                error = format!("{error:#}"),
                "decision event intake stopped; restarting"
            );
        }
        tokio::time::sleep(RETRY_EVERY).await;
    }
}

async fn consume(
    jetstream: &jetstream::Context,
    db: &PgPool,
    appended: &Notify,
    trust_domain: &str,
) -> anyhow::Result<()> {
    let name = consumer_name(trust_domain);
    let stream = jetstream
        .get_or_create_stream(subjects::decisions_stream_config())
        .await?;
    let consumer: consumer::PullConsumer = stream
        .get_or_create_consumer(
            &name,
            consumer::pull::Config {
                durable_name: Some(name.clone()),
                filter_subject: subjects::decisions(trust_domain),
                description: Some(
                    "Warden control plane: decision events into the audit log".into(),
                ),
                ack_policy: consumer::AckPolicy::Explicit,
                ack_wait: Duration::from_secs(30),
                max_ack_pending: 20_000,
                deliver_policy: consumer::DeliverPolicy::All,
                ..Default::default()
            },
        )
        .await?;
    tracing::info!(consumer = %name, "reading decision events");
    let mut messages = consumer
        .stream()
        .max_messages_per_batch(BATCH)
        .heartbeat(Duration::from_secs(5))
        .messages()
        .await?
        .ready_chunks(BATCH);
    while let Some(chunk) = messages.next().await {
        let mut received = Vec::with_capacity(chunk.len());
        for message in chunk {
            received.push(message.map_err(|error| anyhow::anyhow!("{error}"))?);
        }
        let parsed: Vec<Result<DecisionEvent, serde_json::Error>> = received
            .iter()
            .map(|message| serde_json::from_slice::<DecisionEvent>(&message.payload))
            .collect();
        let names = agent_names(db, &parsed).await?;
        let events = received
            .iter()
            .zip(&parsed)
            .map(|(message, parsed)| match parsed {
                Ok(event) => entry::from_decision(
                    event,
                    event.agent_id.and_then(|id| names.get(&id)).map(String::as_str),
                ),
                Err(error) => {
                    tracing::warn!(subject = %message.subject, %error, "unreadable decision event; logged by hash");
                    entry::from_unreadable(&message.payload, &message.subject, &error.to_string())
                }
            })
            .collect();
        log_batch(db, events)
            .instrument(tracing::info_span!(
                "audit_ingest",
                messages = received.len()
            ))
            .await?;
        appended.notify_waiters();
        for message in &received {
            if let Err(error) = message.ack().await {
                // Redelivered later and then dropped as a duplicate.
                tracing::debug!(%error, "cannot acknowledge a decision event");
            }
        }
        metrics::counter!("warden_audit_decisions_ingested_total").increment(received.len() as u64);
    }
    anyhow::bail!("the consumer's message stream ended")
}

/// Registered names of the agents a batch concerns.
async fn agent_names(
    db: &PgPool,
    events: &[Result<DecisionEvent, serde_json::Error>],
) -> anyhow::Result<HashMap<Uuid, String>> {
    let mut ids: Vec<Uuid> = events
        .iter()
        .filter_map(|event| event.as_ref().ok()?.agent_id)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(Uuid, String)> =
        sqlx::query_as("SELECT id, name FROM agents WHERE id = ANY($1)")
            .bind(&ids)
            .fetch_all(db)
            .await?;
    Ok(rows.into_iter().collect())
}

async fn log_batch(db: &PgPool, events: Vec<entry::PendingEvent>) -> anyhow::Result<()> {
    let mut tx = db.begin().await?;
    sequencer::append(&mut tx, events).await?;
    tx.commit().await?;
    Ok(())
}
