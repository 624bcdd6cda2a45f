//! Policy in the enforcer: the signed bundle and the agent directory arrive from JetStream
//! key-value buckets (the latest at start, then every change), bundles are verified against the
//! configured keys and compiled off the async runtime, then swapped in atomically. Until a valid
//! bundle is loaded every decision is a deny.

use anyhow::Context;
use async_nats::jetstream::{self, kv};
use base64::Engine;
use futures::StreamExt;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, RwLock};
use std::time::Duration;
use time::OffsetDateTime;
use tracing::Instrument;
use uuid::Uuid;
use warden_common::policy::{AgentDirectoryEntry, KillEntry, subjects};
use warden_policy::{ActionInput, ActivePolicy, AgentInput, ContextInput, Decision, PolicyInput};

const RETRY_EVERY: Duration = Duration::from_secs(2);

/// Decodes `WARDEN_POLICY_KEYS` (standard base64 Ed25519 public keys).
pub fn parse_keys(keys: &[String]) -> anyhow::Result<Vec<Vec<u8>>> {
    keys.iter()
        .filter(|key| !key.trim().is_empty())
        .map(|key| {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(key.trim())
                .context("WARDEN_POLICY_KEYS holds a key that is not base64")?;
            anyhow::ensure!(
                bytes.len() == 32,
                "WARDEN_POLICY_KEYS holds a key that is not a 32-byte Ed25519 public key"
            );
            Ok(bytes)
        })
        .collect()
}

/// What the enforcer decides with; cheap to clone and share.
#[derive(Clone)]
pub struct Policy {
    pub active: Arc<ActivePolicy>,
    /// Today's allowed actions per agent and grant, for daily limits.
    pub usage: crate::usage::Usage,
    agents: Arc<RwLock<HashMap<Uuid, AgentDirectoryEntry>>>,
    /// The kill list: these agents are denied everything.
    killed: Arc<RwLock<HashMap<Uuid, KillEntry>>>,
    trust_domain: Arc<str>,
}

impl Policy {
    pub fn new(trust_domain: &str) -> Self {
        Policy {
            active: Arc::new(ActivePolicy::new()),
            usage: crate::usage::Usage::default(),
            agents: Arc::default(),
            killed: Arc::default(),
            trust_domain: trust_domain.into(),
        }
    }

    /// The agent id an id or SPIFFE ID of this trust domain names.
    fn agent_id(&self, reference: &str) -> Option<Uuid> {
        match reference.strip_prefix("spiffe://") {
            Some(rest) => rest
                .strip_prefix(&*self.trust_domain)?
                .strip_prefix("/agent/")?
                .parse()
                .ok(),
            None => reference.parse().ok(),
        }
    }

    /// Decides an action of the agent `reference` names (id or SPIFFE ID) with what the detectors
    /// found (class → count) and today's usage; an allowed action counts against the grants that
    /// allowed it. Unknown or retired: deny, with the reason. Also returns the agent's id when it
    /// is known.
    pub fn decide(
        &self,
        reference: &str,
        action: ActionInput,
        findings: BTreeMap<String, u64>,
    ) -> (Decision, Option<Uuid>) {
        let (agent, id) = {
            let Ok(agents) = self.agents.read() else {
                return (
                    Decision::deny("agent directory unavailable (fail closed)"),
                    None,
                );
            };
            let id = self.agent_id(reference);
            let Some(entry) = id.and_then(|id| agents.get(&id)) else {
                return (Decision::deny(format!("unknown agent {reference}")), id);
            };
            if !entry.active {
                return (
                    Decision::deny(format!("agent {} is retired", entry.name)),
                    id,
                );
            }
            (AgentInput::from(entry), id)
        };
        let mut context = ContextInput::at(OffsetDateTime::now_utc());
        if let Some(id) = id {
            context.usage = self.usage.for_agent(id);
            // Fail closed: a kill list we cannot read kills.
            context.killed = self
                .killed
                .read()
                .map_or(true, |killed| killed.contains_key(&id));
        }
        let decision = self.active.evaluate(&PolicyInput {
            agent,
            action,
            context,
            findings,
        });
        if let (true, Some(id)) = (decision.allow, id) {
            self.usage.record(id, &decision.grants);
        }
        (decision, id)
    }
}

async fn open_bucket(nats: &async_nats::Client, name: &str) -> kv::Store {
    let jetstream = jetstream::new(nats.clone());
    loop {
        match jetstream.get_key_value(name).await {
            Ok(store) => return store,
            Err(error) => {
                tracing::debug!(bucket = name, %error, "bucket not there yet; the control plane creates it");
                tokio::time::sleep(RETRY_EVERY).await;
            }
        }
    }
}

/// Verifies and compiles one bundle off the runtime, then swaps it in.
async fn apply_bundle(policy: &Policy, keys: &Arc<Vec<Vec<u8>>>, payload: &[u8]) {
    let keys = keys.clone();
    let payload = payload.to_vec();
    let outcome = tokio::task::spawn_blocking(move || {
        let signed: warden_policy::SignedBundle = serde_json::from_slice(&payload)
            .map_err(|error| anyhow::anyhow!("malformed signed bundle: {error}"))?;
        let (bundle, engine) = warden_policy::verify_and_compile(&signed, &keys)?;
        anyhow::Ok((bundle.version, engine))
    })
    .await;
    match outcome {
        Ok(Ok((version, engine))) => match policy.active.install(version, engine) {
            Ok(()) => {
                metrics::counter!("warden_enforcer_policy_loaded_total").increment(1);
                metrics::gauge!("warden_enforcer_policy_version").set(version as f64);
                tracing::info!(version, "loaded policy bundle");
            }
            Err(reason) => tracing::warn!(version, reason, "kept the current policy"),
        },
        Ok(Err(error)) => {
            metrics::counter!("warden_enforcer_policy_rejected_total").increment(1);
            tracing::warn!(
                error = format!("{error:#}"),
                loaded = ?policy.active.version(),
                "rejected a policy bundle; keeping the last good one"
            );
        }
        Err(error) => tracing::error!(%error, "policy compilation panicked"),
    }
}

async fn watch_bundles(nats: async_nats::Client, keys: Arc<Vec<Vec<u8>>>, policy: Policy) {
    loop {
        let store = open_bucket(&nats, subjects::POLICY_BUCKET).await;
        match store
            .watch_with_history(subjects::bundle_key(&policy.trust_domain))
            .await
        {
            Ok(mut updates) => {
                while let Some(update) = updates.next().await {
                    match update {
                        Ok(entry) if entry.operation == kv::Operation::Put => {
                            apply_bundle(&policy, &keys, &entry.value)
                                .instrument(tracing::info_span!(
                                    "policy_bundle",
                                    revision = entry.revision
                                ))
                                .await;
                        }
                        Ok(_) => {}
                        Err(error) => {
                            tracing::warn!(%error, "policy watch interrupted");
                            break;
                        }
                    }
                }
            }
            Err(error) => tracing::warn!(%error, "cannot watch the policy bucket"),
        }
        tokio::time::sleep(RETRY_EVERY).await;
    }
}

/// Mirrors the entries of `bucket` keyed `<trust domain>.<agent id>` into `map`: the whole
/// bucket at start, then every change. `parse` turns a value into an entry (or refuses it).
async fn watch_by_agent<T>(
    nats: async_nats::Client,
    bucket: &'static str,
    trust_domain: Arc<str>,
    map: Arc<RwLock<HashMap<Uuid, T>>>,
    parse: fn(Uuid, &[u8]) -> Option<T>,
) {
    loop {
        let store = open_bucket(&nats, bucket).await;
        let prefix = format!("{trust_domain}.");
        match store.watch_with_history(format!("{prefix}>")).await {
            Ok(mut updates) => {
                while let Some(update) = updates.next().await {
                    let entry = match update {
                        Ok(entry) => entry,
                        Err(error) => {
                            tracing::warn!(%error, bucket, "watch interrupted");
                            break;
                        }
                    };
                    let Some(Ok(id)) = entry.key.strip_prefix(&prefix).map(str::parse::<Uuid>)
                    else {
                        continue;
                    };
                    let Ok(mut map) = map.write() else {
                        continue;
                    };
                    match entry.operation {
                        kv::Operation::Put => match parse(id, &entry.value) {
                            Some(value) => {
                                map.insert(id, value);
                            }
                            None => {
                                tracing::warn!(key = entry.key, bucket, "ignored a malformed entry")
                            }
                        },
                        kv::Operation::Delete | kv::Operation::Purge => {
                            map.remove(&id);
                        }
                    }
                }
            }
            Err(error) => tracing::warn!(%error, bucket, "cannot watch the bucket"),
        }
        tokio::time::sleep(RETRY_EVERY).await;
    }
}

fn parse_agent(id: Uuid, value: &[u8]) -> Option<AgentDirectoryEntry> {
    serde_json::from_slice::<AgentDirectoryEntry>(value)
        .ok()
        .filter(|agent| agent.id == id)
}

/// A kill entry that cannot be read still kills: the key's presence is the switch.
fn parse_kill(id: Uuid, value: &[u8]) -> Option<KillEntry> {
    Some(
        serde_json::from_slice::<KillEntry>(value).unwrap_or_else(|_| KillEntry {
            agent: id,
            killed_at: OffsetDateTime::now_utc(),
            by: "unknown".to_owned(),
            reason: "kill-list entry could not be read (failing closed)".to_owned(),
        }),
    )
}

/// Starts the bundle and directory watches.
pub fn spawn(nats: async_nats::Client, keys: Vec<Vec<u8>>, policy: Policy) {
    if keys.is_empty() {
        tracing::error!(
            "WARDEN_POLICY_KEYS is empty: no bundle can be verified, so every check is denied"
        );
    }
    let keys = Arc::new(keys);
    tokio::spawn(
        watch_bundles(nats.clone(), keys, policy.clone()).instrument(tracing::info_span!("policy")),
    );
    tokio::spawn(
        watch_by_agent(
            nats.clone(),
            subjects::AGENTS_BUCKET,
            policy.trust_domain.clone(),
            policy.agents.clone(),
            parse_agent,
        )
        .instrument(tracing::info_span!("agent_directory")),
    );
    tokio::spawn(
        watch_by_agent(
            nats,
            subjects::KILL_BUCKET,
            policy.trust_domain.clone(),
            policy.killed.clone(),
            parse_kill,
        )
        .instrument(tracing::info_span!("kill_list")),
    );
}
