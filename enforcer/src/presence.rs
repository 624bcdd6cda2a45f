//! Fleet presence: announce on start and on request, heartbeat on a fixed interval.

use anyhow::Context;
use futures::StreamExt;
use std::time::Duration;
use time::OffsetDateTime;
use tracing::Instrument;
use uuid::Uuid;
use warden_common::fleet::{EnforcerAnnounce, EnforcerHeartbeat, PROTOCOL_VERSION, subjects};

/// Who this enforcer is, as announced to the control plane.
#[derive(Debug, Clone)]
pub struct Identity {
    pub enforcer_id: Uuid,
    pub hostname: String,
    pub started_at: OffsetDateTime,
    pub heartbeat_interval_secs: u32,
}

impl Identity {
    pub fn announce(&self) -> EnforcerAnnounce {
        EnforcerAnnounce {
            protocol: PROTOCOL_VERSION,
            enforcer_id: self.enforcer_id,
            version: env!("CARGO_PKG_VERSION").to_owned(),
            hostname: self.hostname.clone(),
            started_at: self.started_at,
            heartbeat_interval_secs: self.heartbeat_interval_secs,
        }
    }
}

pub fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|name| name.trim().to_owned())
        .ok()
        .filter(|name| !name.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "unknown".to_owned())
}

async fn publish_announce(nats: &async_nats::Client, identity: &Identity) -> anyhow::Result<()> {
    let payload = serde_json::to_vec(&identity.announce())?;
    nats.publish(subjects::ANNOUNCE, payload.into())
        .await
        .context("publish announcement")?;
    Ok(())
}

/// Announces, then runs the heartbeat and discovery loops until the process ends.
/// Announces the enforcer, answers discovery, and sends heartbeats carrying the loaded policy
/// version.
pub async fn run(
    nats: async_nats::Client,
    identity: Identity,
    policy: std::sync::Arc<warden_policy::ActivePolicy>,
) -> anyhow::Result<()> {
    let mut discover = nats
        .subscribe(subjects::DISCOVER)
        .await
        .context("subscribe to discovery")?;
    publish_announce(&nats, &identity).await?;
    tracing::info!(enforcer_id = %identity.enforcer_id, "announced to the fleet");

    let discover_nats = nats.clone();
    let discover_identity = identity.clone();
    tokio::spawn(async move {
        while let Some(message) = discover.next().await {
            let span = tracing::debug_span!("nats_message", subject = %message.subject);
            async {
                if let Err(error) = publish_announce(&discover_nats, &discover_identity).await {
                    tracing::warn!(error = format!("{error:#}"), "cannot answer discovery");
                }
            }
            .instrument(span)
            .await;
        }
    });

    // The announcement counts as the first sign of life; the first heartbeat follows one period later.
    let period = Duration::from_secs(u64::from(identity.heartbeat_interval_secs));
    let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut sequence: u64 = 0;
    loop {
        tick.tick().await;
        sequence += 1;
        let heartbeat = EnforcerHeartbeat {
            protocol: PROTOCOL_VERSION,
            enforcer_id: identity.enforcer_id,
            sent_at: OffsetDateTime::now_utc(),
            sequence,
            policy_version: policy.version(),
        };
        let payload = serde_json::to_vec(&heartbeat)?;
        match nats.publish(subjects::HEARTBEAT, payload.into()).await {
            Ok(()) => metrics::counter!("warden_enforcer_heartbeats_total").increment(1),
            Err(error) => tracing::warn!(%error, "cannot publish heartbeat"),
        }
    }
}
