//! Enforcers' decision events, from the JetStream stream into the log. A message is acknowledged
//! only after the transaction that logged it commits, so a control plane killed mid-batch loses
//! nothing (JetStream redelivers) and duplicates nothing (the event id is unique in the log).

use super::entry;
use super::log::AuditLog;
use super::sequencer;
use async_nats::jetstream::{self, consumer};
use futures::StreamExt;
use sqlx::PgPool;
use std::collections::HashMap;
use std::time::Duration;
use tokio::sync::mpsc;
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
const BATCH: usize = 2000;
const RETRY_EVERY: Duration = Duration::from_secs(1);

pub async fn run(nats: async_nats::Client, db: PgPool, log: AuditLog, trust_domain: String) {
    let jetstream = jetstream::new(nats);
    loop {
        if let Err(error) = consume(&jetstream, &db, &log, &trust_domain).await {
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
    log: &AuditLog,
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
    // Three stages overlap: reading and parsing the next batch, logging this one, acknowledging
    // the one before. A message is acknowledged only once its batch has committed.
    let (to_append, appends) = mpsc::channel(2);
    let (to_ack, acks) = mpsc::channel(4);
    let appender = tokio::spawn(append_batches(db.clone(), log.clone(), appends, to_ack));
    let acker = tokio::spawn(acknowledge(acks));
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
        if to_append.send((received, events)).await.is_err() {
            break;
        }
    }
    drop(to_append);
    let _ = appender.await;
    let _ = acker.await;
    anyhow::bail!("the consumer's message stream ended")
}

type Batch = (Vec<jetstream::Message>, Vec<entry::PendingEvent>);

/// Logs each batch in one transaction, then passes its messages on to be acknowledged. A batch
/// that fails is not acknowledged: JetStream redelivers it, and what did commit drops as
/// duplicates.
async fn append_batches(
    db: PgPool,
    log: AuditLog,
    mut appends: mpsc::Receiver<Batch>,
    to_ack: mpsc::Sender<Vec<jetstream::Message>>,
) {
    while let Some((received, events)) = appends.recv().await {
        let logged = log_batch(&db, events)
            .instrument(tracing::info_span!(
                "audit_ingest",
                messages = received.len()
            ))
            .await;
        match logged {
            Ok(appended) => {
                log.accept(appended);
                metrics::counter!("warden_audit_decisions_ingested_total")
                    .increment(received.len() as u64);
                if to_ack.send(received).await.is_err() {
                    return;
                }
            }
            Err(error) => {
                tracing::error!(
                    error = format!("{error:#}"),
                    "cannot log decision events; JetStream will redeliver them"
                );
                tokio::time::sleep(RETRY_EVERY).await;
            }
        }
    }
}

async fn acknowledge(mut acks: mpsc::Receiver<Vec<jetstream::Message>>) {
    while let Some(received) = acks.recv().await {
        for message in &received {
            if let Err(error) = message.ack().await {
                // Redelivered later and then dropped as a duplicate.
                tracing::debug!(%error, "cannot acknowledge a decision event");
            }
        }
    }
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

async fn log_batch(
    db: &PgPool,
    events: Vec<entry::PendingEvent>,
) -> anyhow::Result<Vec<sequencer::Appended>> {
    let mut tx = db.begin().await?;
    let appended = sequencer::append(&mut tx, events).await?;
    tx.commit().await?;
    Ok(appended)
}
