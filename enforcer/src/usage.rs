//! Daily usage per agent and grant, which grants' daily limits count against. The fleet shares
//! the counts through the JetStream key-value bucket `warden_usage`: each enforcer adds what it
//! allowed once a second (compare-and-set, retried on conflict) and watches everyone's totals.
//! A decision sees the fleet's last totals plus this enforcer's unflushed allows, so one enforcer
//! enforces a limit exactly and a fleet may overshoot by what the others allowed in the last
//! second.

use async_nats::jetstream::{self, kv};
use futures::StreamExt;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use time::OffsetDateTime;
use tracing::Instrument;
use uuid::Uuid;
use warden_common::policy::subjects;

const FLUSH_EVERY: Duration = Duration::from_secs(1);
const RETRY_EVERY: Duration = Duration::from_secs(2);
/// Compare-and-set attempts per key and flush before the increment waits for the next flush.
const CAS_ATTEMPTS: usize = 5;

type Key = (Uuid, String);

/// Grant id → count, for one agent.
type PerGrant = HashMap<String, u64>;

#[derive(Default)]
struct Counts {
    /// The UTC day the counts are for (`2026-11-25`).
    day: String,
    /// Fleet totals from the bucket, by agent (a decision reads one agent's only).
    shared: HashMap<Uuid, PerGrant>,
    /// Allowed here and not yet added to the bucket.
    pending: HashMap<Uuid, PerGrant>,
}

impl Counts {
    /// Starts a new day when the date changed.
    fn roll(&mut self, today: &str) {
        if self.day != today {
            self.day = today.to_owned();
            self.shared.clear();
            self.pending.clear();
        }
    }
}

/// Today's counts; cheap to clone.
#[derive(Clone, Default)]
pub struct Usage {
    counts: Arc<Mutex<Counts>>,
}

fn today() -> String {
    let now = OffsetDateTime::now_utc();
    format!(
        "{:04}-{:02}-{:02}",
        now.year(),
        u8::from(now.month()),
        now.day()
    )
}

impl Usage {
    /// Today's allowed actions of `agent` per grant id, as `context.usage` wants them.
    pub fn for_agent(&self, agent: Uuid) -> BTreeMap<String, u64> {
        let Ok(mut counts) = self.counts.lock() else {
            return BTreeMap::new();
        };
        counts.roll(&today());
        let mut usage = BTreeMap::new();
        for per_grant in [counts.shared.get(&agent), counts.pending.get(&agent)]
            .into_iter()
            .flatten()
        {
            for (grant, n) in per_grant {
                *usage.entry(grant.clone()).or_insert(0) += n;
            }
        }
        usage
    }

    /// Counts one allowed action against each of `grants`.
    pub fn record(&self, agent: Uuid, grants: &[String]) {
        let Ok(mut counts) = self.counts.lock() else {
            return;
        };
        counts.roll(&today());
        for grant in grants {
            if is_key_safe(grant) {
                *counts
                    .pending
                    .entry(agent)
                    .or_default()
                    .entry(grant.clone())
                    .or_insert(0) += 1;
            }
        }
    }

    fn take_pending(&self) -> (String, Vec<(Key, u64)>) {
        match self.counts.lock() {
            Ok(mut counts) => {
                counts.roll(&today());
                let pending = std::mem::take(&mut counts.pending)
                    .into_iter()
                    .flat_map(|(agent, per_grant)| {
                        per_grant
                            .into_iter()
                            .map(move |(grant, n)| ((agent, grant), n))
                    })
                    .collect();
                (counts.day.clone(), pending)
            }
            Err(_) => (today(), Vec::new()),
        }
    }

    /// Puts back increments that could not be written, unless the day has moved on.
    fn restore_pending(&self, day: &str, key: Key, n: u64) {
        if let Ok(mut counts) = self.counts.lock()
            && counts.day == day
        {
            *counts
                .pending
                .entry(key.0)
                .or_default()
                .entry(key.1)
                .or_insert(0) += n;
        }
    }

    /// A total read from the bucket (ours included once flushed).
    fn observe(&self, day: &str, key: Key, total: u64) {
        if let Ok(mut counts) = self.counts.lock() {
            counts.roll(&today());
            if counts.day == day {
                let shared = counts
                    .shared
                    .entry(key.0)
                    .or_default()
                    .entry(key.1)
                    .or_insert(0);
                *shared = (*shared).max(total);
            }
        }
    }
}

/// Key-value keys allow letters, digits and `-_/=`; grant ids are slugs.
fn is_key_safe(part: &str) -> bool {
    !part.is_empty()
        && part
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
}

/// Starts the watch on the bucket and the flusher.
pub fn spawn(nats: async_nats::Client, trust_domain: &str, usage: Usage) {
    let trust_domain: Arc<str> = trust_domain.into();
    tokio::spawn(run(nats, trust_domain, usage).instrument(tracing::info_span!("usage")));
}

async fn open(nats: &async_nats::Client) -> kv::Store {
    let jetstream = jetstream::new(nats.clone());
    loop {
        match jetstream.get_key_value(subjects::USAGE_BUCKET).await {
            Ok(store) => return store,
            Err(error) => {
                tracing::debug!(%error, "usage bucket not there yet; the control plane creates it");
                tokio::time::sleep(RETRY_EVERY).await;
            }
        }
    }
}

async fn run(nats: async_nats::Client, trust_domain: Arc<str>, usage: Usage) {
    let store = open(&nats).await;
    let watcher = {
        let store = store.clone();
        let usage = usage.clone();
        let trust_domain = trust_domain.clone();
        tokio::spawn(async move { watch(store, trust_domain, usage).await })
    };
    let mut tick = tokio::time::interval(FLUSH_EVERY);
    loop {
        tick.tick().await;
        flush(&store, &trust_domain, &usage).await;
        if watcher.is_finished() {
            tracing::warn!("the usage watch ended");
            return;
        }
    }
}

async fn watch(store: kv::Store, trust_domain: Arc<str>, usage: Usage) {
    let prefix = format!("{trust_domain}.");
    loop {
        match store.watch_with_history(format!("{prefix}>")).await {
            Ok(mut updates) => {
                while let Some(update) = updates.next().await {
                    let Ok(entry) = update else {
                        break;
                    };
                    if entry.operation != kv::Operation::Put {
                        continue;
                    }
                    let Some((day, agent, grant)) = parse_key(&entry.key, &prefix) else {
                        continue;
                    };
                    let Some(total) = std::str::from_utf8(&entry.value)
                        .ok()
                        .and_then(|v| v.trim().parse::<u64>().ok())
                    else {
                        continue;
                    };
                    usage.observe(day, (agent, grant.to_owned()), total);
                }
            }
            Err(error) => tracing::warn!(%error, "cannot watch the usage bucket"),
        }
        tokio::time::sleep(RETRY_EVERY).await;
    }
}

fn parse_key<'k>(key: &'k str, prefix: &str) -> Option<(&'k str, Uuid, &'k str)> {
    let rest = key.strip_prefix(prefix)?;
    let mut parts = rest.splitn(3, '.');
    let day = parts.next()?;
    let agent = parts.next()?.parse().ok()?;
    let grant = parts.next()?;
    Some((day, agent, grant))
}

/// Adds this enforcer's increments to the fleet totals.
async fn flush(store: &kv::Store, trust_domain: &str, usage: &Usage) {
    let (day, pending) = usage.take_pending();
    for ((agent, grant), n) in pending {
        let key = subjects::usage_key(trust_domain, &day, agent, &grant);
        let mut written = false;
        for _ in 0..CAS_ATTEMPTS {
            let current = match store.entry(key.clone()).await {
                Ok(entry) => entry,
                Err(error) => {
                    tracing::warn!(%error, "cannot read a usage count");
                    break;
                }
            };
            let (total, outcome) = match current {
                Some(entry) if entry.operation == kv::Operation::Put => {
                    let total = std::str::from_utf8(&entry.value)
                        .ok()
                        .and_then(|v| v.trim().parse::<u64>().ok())
                        .unwrap_or(0)
                        + n;
                    let outcome = store
                        .update(key.clone(), total.to_string().into(), entry.revision)
                        .await
                        .map(|_| ());
                    (total, outcome.map_err(|e| e.to_string()))
                }
                _ => {
                    let outcome = store
                        .create(key.clone(), n.to_string().into())
                        .await
                        .map(|_| ());
                    (n, outcome.map_err(|e| e.to_string()))
                }
            };
            match outcome {
                Ok(()) => {
                    usage.observe(&day, (agent, grant.clone()), total);
                    written = true;
                    break;
                }
                // Another enforcer wrote first: read again and retry.
                Err(error) => {
                    tracing::debug!(%error, key, "usage count changed underneath; retrying")
                }
            }
        }
        if !written {
            usage.restore_pending(&day, (agent, grant), n);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_pending_and_shared_per_agent() {
        let usage = Usage::default();
        let agent = Uuid::new_v4();
        let other = Uuid::new_v4();
        usage.record(agent, &["crm-read".into(), "bad key".into()]);
        usage.record(agent, &["crm-read".into()]);
        usage.record(other, &["crm-read".into()]);
        assert_eq!(usage.for_agent(agent), [("crm-read".to_owned(), 2)].into());
        let (day, pending) = usage.take_pending();
        assert_eq!(pending.len(), 2);
        usage.observe(&day, (agent, "crm-read".into()), 7);
        assert_eq!(usage.for_agent(agent), [("crm-read".to_owned(), 7)].into());
        usage.observe("1999-01-01", (agent, "crm-read".into()), 100);
        assert_eq!(
            usage.for_agent(agent)["crm-read"],
            7,
            "other days are ignored"
        );
    }

    #[test]
    fn keys_parse_back() {
        let agent = Uuid::new_v4();
        let key = subjects::usage_key("a.b.test", "2026-11-25", agent, "crm-read");
        assert_eq!(
            parse_key(&key, "a.b.test."),
            Some(("2026-11-25", agent, "crm-read"))
        );
        assert_eq!(parse_key("x.y", "a.b.test."), None);
    }
}
