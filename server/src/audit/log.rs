//! The log as this control plane holds it: the Merkle tree of every leaf hash, followed from
//! Postgres (so every replica holds the same tree whoever appended), the checkpoint signer, and
//! the search index fed from the same stream.

use super::entry::Entry;
use super::search::IndexFeed;
use super::sequencer::Appended;
use futures::TryStreamExt;
use sqlx::PgPool;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;
use time::OffsetDateTime;
use tokio::sync::Notify;
use warden_tlog::{Checkpoint as TreeHead, Hash, MerkleTree, NoteSigner, leaf_hash};

/// Entries read from Postgres per query while following the log.
const FOLLOW_BATCH: i64 = 5000;
/// Checkpoints are signed at most this often.
const CHECKPOINT_EVERY: Duration = Duration::from_secs(1);

/// Cheap to clone; shared by request handlers and the background tasks.
#[derive(Clone)]
pub struct AuditLog {
    inner: Arc<Inner>,
}

struct Inner {
    tree: RwLock<MerkleTree>,
    signer: NoteSigner,
    origin: String,
    /// Woken when this process appended; other replicas' appends are found by polling.
    appended: Arc<Notify>,
    /// Set when the stored log no longer matches a checkpoint: no more checkpoints are signed.
    tampered: RwLock<Option<String>>,
    /// Entries this process committed, by leaf number, until the follower takes them; saves
    /// reading back what was just written. Other replicas' appends are read from Postgres.
    local: Mutex<BTreeMap<u64, Appended>>,
}

impl AuditLog {
    /// Loads every leaf hash from Postgres into the tree and checks it against the newest
    /// checkpoint.
    pub async fn open(db: &PgPool, signer: NoteSigner, origin: String) -> anyhow::Result<AuditLog> {
        let started = std::time::Instant::now();
        let mut tree = MerkleTree::new();
        let mut rows = sqlx::query_as::<_, (i64, Vec<u8>)>(
            "SELECT seq, leaf_hash FROM audit_log ORDER BY seq",
        )
        .fetch(db);
        while let Some((seq, hash)) = rows.try_next().await? {
            anyhow::ensure!(
                seq as u64 == tree.len(),
                "the audit log has a gap before leaf {seq}; records were removed outside Warden"
            );
            tree.push(to_hash(&hash)?);
        }
        drop(rows);
        let log = AuditLog {
            inner: Arc::new(Inner {
                tree: RwLock::new(tree),
                signer,
                origin,
                appended: Arc::new(Notify::new()),
                tampered: RwLock::new(None),
                local: Mutex::new(BTreeMap::new()),
            }),
        };
        if let Some(latest) = super::store::latest_checkpoint(db).await? {
            log.check_against(latest.size, &latest.root)?;
        }
        tracing::info!(
            leaves = log.len(),
            elapsed_ms = started.elapsed().as_millis() as u64,
            "audit log loaded"
        );
        Ok(log)
    }

    pub fn origin(&self) -> &str {
        &self.inner.origin
    }

    pub fn verifier_key(&self) -> String {
        self.inner.signer.verifier_key()
    }

    /// Hands committed entries to the follower and wakes it.
    pub fn accept(&self, appended: Vec<Appended>) {
        if appended.is_empty() {
            return;
        }
        let follows_from = self.len();
        if let Ok(mut local) = self.inner.local.lock() {
            for entry in appended {
                if entry.seq >= follows_from {
                    local.insert(entry.seq, entry);
                }
            }
        }
        self.inner.appended.notify_waiters();
    }

    /// Committed entries from `from` on that this process appended itself, in order.
    fn take_local(&self, from: u64) -> Vec<Row> {
        let Ok(mut local) = self.inner.local.lock() else {
            return Vec::new();
        };
        // Anything below `from` was already read from Postgres.
        let rest = local.split_off(&from);
        *local = rest;
        let mut taken = Vec::new();
        let mut next = from;
        while let Some(appended) = local.remove(&next) {
            taken.push(Row {
                seq: appended.seq as i64,
                entry: appended.entry,
                leaf: appended.leaf.to_vec(),
                indexed: Some(appended.indexed),
            });
            next += 1;
        }
        taken
    }

    pub fn len(&self) -> u64 {
        self.read_tree().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Why checkpoints stopped, when the stored log stopped matching them.
    pub fn tampered(&self) -> Option<String> {
        self.inner
            .tampered
            .read()
            .map(|reason| reason.clone())
            .unwrap_or_else(|poisoned| poisoned.into_inner().clone())
    }

    fn read_tree(&self) -> std::sync::RwLockReadGuard<'_, MerkleTree> {
        self.inner
            .tree
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn root(&self, size: u64) -> Option<Hash> {
        self.read_tree().root(size).ok()
    }

    pub fn inclusion_proof(
        &self,
        seq: u64,
        size: u64,
    ) -> Result<Vec<Hash>, warden_tlog::ProofError> {
        self.read_tree().inclusion_proof(seq, size)
    }

    pub fn consistency_proof(
        &self,
        from: u64,
        to: u64,
    ) -> Result<Vec<Hash>, warden_tlog::ProofError> {
        self.read_tree().consistency_proof(from, to)
    }

    /// Fails (and stops checkpoints) when the tree's root at `size` is not `root`.
    fn check_against(&self, size: u64, root: &Hash) -> anyhow::Result<()> {
        let ours = self.root(size);
        if ours.as_ref() == Some(root) {
            return Ok(());
        }
        let reason = format!(
            "the stored audit log does not match signed checkpoint {size}: records were changed outside Warden; no further checkpoints will be signed"
        );
        tracing::error!(size, "{reason}");
        metrics::gauge!("warden_audit_log_tampered").set(1.0);
        if let Ok(mut tampered) = self.inner.tampered.write() {
            *tampered = Some(reason.clone());
        }
        Err(anyhow::anyhow!(reason))
    }

    /// Appends newly committed leaves to the tree and hands their entries to the index, forever.
    pub async fn follow(self, db: PgPool, feed: IndexFeed) {
        loop {
            let notified = self.inner.appended.notified();
            match self.follow_once(&db, &feed).await {
                Ok(0) => {
                    let _ = tokio::time::timeout(Duration::from_secs(1), notified).await;
                }
                Ok(_) => {}
                Err(error) => {
                    tracing::error!(
                        error = format!("{error:#}"),
                        "cannot follow the audit log; will retry"
                    );
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
            }
        }
    }

    async fn follow_once(&self, db: &PgPool, feed: &IndexFeed) -> anyhow::Result<usize> {
        let from = self.len();
        let mut rows = self.take_local(from);
        if rows.is_empty() {
            let stored: Vec<(i64, Vec<u8>, Vec<u8>)> = sqlx::query_as(
                "SELECT seq, entry, leaf_hash FROM audit_log WHERE seq >= $1 ORDER BY seq LIMIT $2",
            )
            .bind(from as i64)
            .bind(FOLLOW_BATCH)
            .fetch_all(db)
            .await?;
            rows = stored
                .into_iter()
                .map(|(seq, entry, leaf)| Row {
                    seq,
                    entry,
                    leaf,
                    indexed: None,
                })
                .collect();
        }
        let count = rows.len();
        let mut indexed = Vec::with_capacity(count);
        {
            let mut tree = self
                .inner
                .tree
                .write()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            for Row {
                seq,
                entry,
                leaf: stored,
                indexed: view,
            } in rows
            {
                anyhow::ensure!(
                    seq as u64 == tree.len(),
                    "the audit log has a gap before leaf {seq}"
                );
                let stored = to_hash(&stored)?;
                if leaf_hash(&entry) != stored {
                    // The tree keeps the recorded hash, so proofs for this entry fail for anyone
                    // who checks them; loud here too.
                    tracing::error!(seq, "an audit entry does not match its leaf hash");
                    metrics::gauge!("warden_audit_log_tampered").set(1.0);
                }
                tree.push(stored);
                if let Some(view) = view {
                    indexed.push(view);
                    continue;
                }
                match serde_json::from_slice::<Entry>(&entry) {
                    Ok(entry) => indexed.push(entry.indexed()),
                    Err(error) => {
                        tracing::error!(seq, %error, "an audit entry does not parse; not indexed")
                    }
                }
            }
        }
        if !indexed.is_empty() {
            feed.send(indexed).await;
        }
        Ok(count)
    }

    /// Signs a checkpoint whenever the tree grew, at most once per [`CHECKPOINT_EVERY`].
    pub async fn sign_checkpoints(self, db: PgPool) {
        let mut ticks = tokio::time::interval(CHECKPOINT_EVERY);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            if let Err(error) = self.sign_checkpoint(&db).await {
                tracing::error!(
                    error = format!("{error:#}"),
                    "cannot sign an audit checkpoint"
                );
            }
        }
    }

    async fn sign_checkpoint(&self, db: &PgPool) -> anyhow::Result<()> {
        if self.tampered().is_some() {
            return Ok(());
        }
        let size = self.len();
        let latest = super::store::latest_checkpoint(db).await?;
        if let Some(latest) = &latest {
            if latest.size >= size {
                return Ok(());
            }
            // Never sign a tree that does not extend what was signed before.
            self.check_against(latest.size, &latest.root)?;
        }
        if size == 0 {
            return Ok(());
        }
        let root = self
            .root(size)
            .ok_or_else(|| anyhow::anyhow!("no root for tree size {size}"))?;
        let now = OffsetDateTime::now_utc();
        let head = TreeHead {
            origin: self.inner.origin.clone(),
            size,
            root,
            extensions: vec![format!("time {}", now.unix_timestamp())],
        };
        let body = head.body();
        let note = self.inner.signer.sign(&body)?;
        super::store::insert_checkpoint(db, size, &root, &note, now, None).await?;
        metrics::gauge!("warden_audit_tree_size").set(size as f64);
        Ok(())
    }
}

/// A leaf to follow: read back from Postgres, or handed over by this process's own append.
struct Row {
    seq: i64,
    entry: Vec<u8>,
    leaf: Vec<u8>,
    indexed: Option<warden_audit_index::IndexedEvent>,
}

pub fn to_hash(bytes: &[u8]) -> anyhow::Result<Hash> {
    bytes
        .try_into()
        .map_err(|_| anyhow::anyhow!("a stored hash is not 32 bytes"))
}
