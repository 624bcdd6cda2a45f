//! Getting policy to the fleet: the signed bundle and the agent directory live in JetStream
//! key-value buckets, so an enforcer that starts (or reconnects) later reads the latest of both
//! before it decides anything, and every change reaches running enforcers through their watch.

use crate::state::AppState;
use anyhow::Context;
use async_nats::jetstream::{self, kv, stream};
use warden_common::agents::{Agent, AgentStatus};
use warden_common::policy::{AgentDirectoryEntry, subjects};

/// Opens a bucket, creating it on first use. The backing stream is created directly, with the
/// configuration a key-value bucket has: async-nats's `create_key_value` first reads the account
/// information, which it cannot parse from the NATS 2.9 servers Debian ships.
pub async fn bucket(
    nats: &async_nats::Client,
    name: &str,
    history: i64,
) -> anyhow::Result<kv::Store> {
    bucket_with_age(nats, name, history, std::time::Duration::ZERO).await
}

/// [`bucket`] whose entries expire after `max_age` (zero: never).
pub async fn bucket_with_age(
    nats: &async_nats::Client,
    name: &str,
    history: i64,
    max_age: std::time::Duration,
) -> anyhow::Result<kv::Store> {
    let jetstream = jetstream::new(nats.clone());
    if let Ok(store) = jetstream.get_key_value(name).await {
        return Ok(store);
    }
    let created = jetstream
        .create_stream(stream::Config {
            name: format!("KV_{name}"),
            description: Some("Warden: read by enforcers".to_owned()),
            subjects: vec![format!("$KV.{name}.>")],
            max_messages_per_subject: history,
            discard: stream::DiscardPolicy::New,
            allow_rollup: true,
            deny_delete: true,
            allow_direct: true,
            max_age,
            num_replicas: 1,
            storage: stream::StorageType::File,
            ..Default::default()
        })
        .await;
    if let Err(error) = created {
        // Another control plane may have created it in the meantime.
        if jetstream.get_key_value(name).await.is_err() {
            return Err(anyhow::Error::from(error).context(format!(
                "cannot create the JetStream key-value bucket {name} (is JetStream enabled on the NATS server?)"
            )));
        }
    }
    jetstream
        .get_key_value(name)
        .await
        .with_context(|| format!("cannot open the key-value bucket {name}"))
}

/// Stores the signed bundle as the fleet's current policy.
pub async fn put_bundle(
    state: &AppState,
    signed: &warden_policy::SignedBundle,
) -> anyhow::Result<()> {
    let store = bucket(&state.nats, subjects::POLICY_BUCKET, 5).await?;
    store
        .put(
            subjects::bundle_key(&state.ca.current().trust_domain),
            serde_json::to_vec(signed)?.into(),
        )
        .await
        .context("cannot store the policy bundle")?;
    Ok(())
}

fn entry(agent: &Agent) -> AgentDirectoryEntry {
    AgentDirectoryEntry {
        id: agent.id,
        name: agent.name.clone(),
        labels: agent.labels.clone(),
        environment: agent.environment.clone(),
        owner_team: agent.owner_team.clone(),
        active: agent.status == AgentStatus::Active,
    }
}

/// Publishes one agent's registry entry to the fleet. Logged, not returned: the registry change
/// is committed, and the periodic full sync repairs a miss.
pub async fn sync_agent(state: &AppState, agent: &Agent) {
    let outcome = async {
        let store = bucket(&state.nats, subjects::AGENTS_BUCKET, 1).await?;
        store
            .put(
                subjects::agent_key(&state.ca.current().trust_domain, agent.id),
                serde_json::to_vec(&entry(agent))?.into(),
            )
            .await?;
        anyhow::Ok(())
    }
    .await;
    if let Err(error) = outcome {
        tracing::error!(agent = %agent.name, error = format!("{error:#}"), "cannot publish the agent to the fleet directory");
    }
}

/// How often the whole registry is re-published, repairing any missed update.
const FULL_SYNC_EVERY: std::time::Duration = std::time::Duration::from_secs(300);

/// Publishes every agent now and periodically; makes sure the buckets enforcers count daily
/// limits in and read the kill list from exist.
pub fn spawn_directory_sync(state: AppState) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(FULL_SYNC_EVERY);
        let mut usage_ready = false;
        let mut kill_ready = false;
        loop {
            tick.tick().await;
            if !usage_ready {
                // Counts are per UTC day; two days of age keeps today's and drops the rest.
                match bucket_with_age(
                    &state.nats,
                    subjects::USAGE_BUCKET,
                    1,
                    std::time::Duration::from_secs(2 * 24 * 3600),
                )
                .await
                {
                    Ok(_) => usage_ready = true,
                    Err(error) => tracing::error!(
                        error = format!("{error:#}"),
                        "cannot create the usage bucket"
                    ),
                }
            }
            if !kill_ready {
                match bucket(&state.nats, subjects::KILL_BUCKET, 1).await {
                    Ok(_) => kill_ready = true,
                    Err(error) => tracing::error!(
                        error = format!("{error:#}"),
                        "cannot create the kill-list bucket"
                    ),
                }
            }
            match crate::agents::all_for_fleet(&state.db).await {
                Ok(agents) => {
                    for agent in &agents {
                        sync_agent(&state, agent).await;
                    }
                    tracing::debug!(agents = agents.len(), "published the agent directory");
                }
                Err(error) => tracing::error!(%error, "cannot read the registry for the fleet"),
            }
        }
    });
}
