//! Consumes the fleet protocol from NATS and keeps the `enforcers` table current.

use super::store;
use crate::state::AppState;
use anyhow::Context;
use futures::StreamExt;
use tracing::Instrument;
use warden_common::fleet::{EnforcerAnnounce, EnforcerHeartbeat, PROTOCOL_VERSION, subjects};

/// Subscribes to announcements and heartbeats, then asks every running enforcer to announce so
/// a restarted control plane sees the fleet at once.
pub async fn spawn(state: AppState) -> anyhow::Result<()> {
    let mut announces = state
        .nats
        .subscribe(subjects::ANNOUNCE)
        .await
        .context("subscribe to announcements")?;
    let mut heartbeats = state
        .nats
        .subscribe(subjects::HEARTBEAT)
        .await
        .context("subscribe to heartbeats")?;
    state
        .nats
        .publish(subjects::DISCOVER, Default::default())
        .await
        .context("publish discover")?;

    let announce_state = state.clone();
    tokio::spawn(async move {
        while let Some(message) = announces.next().await {
            let span = tracing::info_span!("nats_message", subject = %message.subject);
            on_announce(&announce_state, &message.payload)
                .instrument(span)
                .await;
        }
        tracing::warn!("announcement subscription ended");
    });
    tokio::spawn(async move {
        while let Some(message) = heartbeats.next().await {
            let span = tracing::debug_span!("nats_message", subject = %message.subject);
            on_heartbeat(&state, &message.payload)
                .instrument(span)
                .await;
        }
        tracing::warn!("heartbeat subscription ended");
    });
    Ok(())
}

async fn on_announce(state: &AppState, payload: &[u8]) {
    metrics::counter!("warden_fleet_messages_total", "kind" => "announce").increment(1);
    let announce: EnforcerAnnounce = match serde_json::from_slice(payload) {
        Ok(announce) => announce,
        Err(error) => {
            tracing::warn!(%error, "ignoring malformed enforcer announcement");
            return;
        }
    };
    if announce.protocol != PROTOCOL_VERSION {
        tracing::warn!(protocol = announce.protocol, enforcer_id = %announce.enforcer_id, "ignoring announcement with an unsupported protocol version");
        return;
    }
    match store::upsert_announce(&state.db, &announce).await {
        Ok(()) => {
            tracing::info!(enforcer_id = %announce.enforcer_id, version = %announce.version, hostname = %announce.hostname, "enforcer announced")
        }
        Err(error) => tracing::error!(%error, "cannot record enforcer announcement"),
    }
}

async fn on_heartbeat(state: &AppState, payload: &[u8]) {
    metrics::counter!("warden_fleet_messages_total", "kind" => "heartbeat").increment(1);
    let heartbeat: EnforcerHeartbeat = match serde_json::from_slice(payload) {
        Ok(heartbeat) => heartbeat,
        Err(error) => {
            tracing::warn!(%error, "ignoring malformed heartbeat");
            return;
        }
    };
    if heartbeat.protocol != PROTOCOL_VERSION {
        return;
    }
    match store::touch(&state.db, heartbeat.enforcer_id, heartbeat.policy_version).await {
        Ok(true) => {}
        Ok(false) => {
            // Heartbeat from an enforcer we never heard announce: ask the fleet to announce.
            tracing::info!(enforcer_id = %heartbeat.enforcer_id, "heartbeat from an unknown enforcer; requesting discovery");
            if let Err(error) = state
                .nats
                .publish(subjects::DISCOVER, Default::default())
                .await
            {
                tracing::warn!(%error, "cannot publish discover");
            }
        }
        Err(error) => tracing::error!(%error, "cannot record heartbeat"),
    }
}
