//! Decision events to JetStream. The hot path hands an event to a bounded queue and moves on; a
//! background task publishes and waits for JetStream's acknowledgement, retrying while NATS is
//! unreachable. Events are only dropped (and counted) when the queue is full, so a NATS outage
//! costs memory up to a bound rather than latency or a crash.

use async_nats::jetstream;
use std::collections::VecDeque;
use std::time::Duration;
use tokio::sync::mpsc;
use tracing::Instrument;
use warden_common::firewall::{DecisionEvent, subjects};

/// Events waiting for NATS, at most; beyond this the oldest are dropped.
const BACKLOG: usize = 100_000;
/// Publishes in flight before waiting for acknowledgements.
const IN_FLIGHT: usize = 256;
const RETRY_EVERY: Duration = Duration::from_secs(1);

/// The sending side; cheap to clone.
#[derive(Clone)]
pub struct Events {
    queue: mpsc::Sender<DecisionEvent>,
}

impl Events {
    /// Queues an event without waiting.
    pub fn send(&self, event: DecisionEvent) {
        if self.queue.try_send(event).is_err() {
            metrics::counter!("warden_enforcer_events_dropped_total").increment(1);
        }
    }

    /// Starts the publisher for `trust_domain`.
    pub fn spawn(nats: async_nats::Client, trust_domain: &str) -> Events {
        let (queue, receiver) = mpsc::channel(BACKLOG);
        let subject = subjects::decisions(trust_domain);
        tokio::spawn(
            publish(nats, subject, receiver).instrument(tracing::info_span!("decision_events")),
        );
        Events { queue }
    }
}

async fn ensure_stream(jetstream: &jetstream::Context) {
    loop {
        match jetstream.get_stream(subjects::DECISIONS_STREAM).await {
            Ok(_) => return,
            Err(_) => match jetstream
                .create_stream(subjects::decisions_stream_config())
                .await
            {
                Ok(_) => {
                    tracing::info!("created the decision event stream");
                    return;
                }
                Err(error) => {
                    tracing::warn!(%error, "cannot create the decision event stream; retrying");
                    tokio::time::sleep(RETRY_EVERY).await;
                }
            },
        }
    }
}

async fn publish(
    nats: async_nats::Client,
    subject: String,
    mut receiver: mpsc::Receiver<DecisionEvent>,
) {
    let jetstream = jetstream::new(nats);
    ensure_stream(&jetstream).await;
    let mut backlog: VecDeque<bytes::Bytes> = VecDeque::new();
    loop {
        if backlog.is_empty() {
            let Some(event) = receiver.recv().await else {
                return;
            };
            push(&mut backlog, event);
        }
        while backlog.len() < IN_FLIGHT {
            match receiver.try_recv() {
                Ok(event) => push(&mut backlog, event),
                Err(_) => break,
            }
        }
        // Publish a batch, then wait for every acknowledgement; whatever fails goes back to the
        // front of the backlog in order.
        let batch: Vec<bytes::Bytes> = backlog.drain(..backlog.len().min(IN_FLIGHT)).collect();
        let mut acks = Vec::with_capacity(batch.len());
        let mut failed_from = None;
        for (index, payload) in batch.iter().enumerate() {
            match jetstream.publish(subject.clone(), payload.clone()).await {
                Ok(ack) => acks.push((index, ack)),
                Err(error) => {
                    tracing::warn!(%error, "cannot publish decision events; will retry");
                    failed_from = Some(index);
                    break;
                }
            }
        }
        let mut retry: Vec<usize> = Vec::new();
        for (index, ack) in acks {
            if let Err(error) = ack.await {
                tracing::warn!(%error, "a decision event was not acknowledged; will retry");
                retry.push(index);
            }
        }
        if let Some(from) = failed_from {
            retry.extend(from..batch.len());
        }
        let published = batch.len() - retry.len();
        metrics::counter!("warden_enforcer_events_published_total").increment(published as u64);
        if !retry.is_empty() {
            for index in retry.into_iter().rev() {
                if let Some(payload) = batch.get(index) {
                    backlog.push_front(payload.clone());
                }
            }
            while backlog.len() > BACKLOG {
                backlog.pop_back();
                metrics::counter!("warden_enforcer_events_dropped_total").increment(1);
            }
            tokio::time::sleep(RETRY_EVERY).await;
            ensure_stream(&jetstream).await;
        }
    }
}

fn push(backlog: &mut VecDeque<bytes::Bytes>, event: DecisionEvent) {
    match serde_json::to_vec(&event) {
        Ok(payload) => backlog.push_back(payload.into()),
        Err(error) => tracing::error!(%error, "cannot encode a decision event"),
    }
}
