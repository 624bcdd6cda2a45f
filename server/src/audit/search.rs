//! The search index's place in the control plane: one thread owns indexing (tantivy work never
//! runs on the async runtime), searches run on the blocking pool, and a missing or outdated index
//! is rebuilt from the log at start-up.

use super::entry::Entry;
use super::log::AuditLog;
use crate::error::{Error, Result};
use sqlx::PgPool;
use std::path::Path;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::time::{Duration, Instant};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use warden_audit_index::{AuditIndex, AuditQuery, IndexedEvent, MAX_LIMIT, MAX_OFFSET, SearchPage};
use warden_common::audit::{AuditFacets, AuditSearch, FacetCount};

/// Batches waiting for the indexing thread, at most; the follower waits beyond that.
const QUEUE: usize = 64;
/// Uncommitted events after which the indexer commits without waiting for the clock.
const COMMIT_EVERY_EVENTS: usize = 50_000;
const COMMIT_EVERY: Duration = Duration::from_secs(1);
/// Entries read per query while rebuilding.
const REBUILD_BATCH: u64 = 5000;
pub const DEFAULT_LIMIT: usize = 50;

/// The sending side of the indexing thread.
#[derive(Clone)]
pub struct IndexFeed {
    queue: SyncSender<Vec<IndexedEvent>>,
}

impl IndexFeed {
    /// Hands a batch to the indexer, waiting (without blocking the runtime) while it is busy.
    pub async fn send(&self, mut batch: Vec<IndexedEvent>) {
        loop {
            match self.queue.try_send(batch) {
                Ok(()) => return,
                Err(TrySendError::Full(returned)) => {
                    batch = returned;
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
                Err(TrySendError::Disconnected(_)) => {
                    tracing::error!("the audit indexer stopped; search results will trail the log");
                    return;
                }
            }
        }
    }
}

/// Opens (or creates) the index and starts its thread.
pub fn open(dir: &Path) -> anyhow::Result<(Arc<AuditIndex>, IndexFeed)> {
    let index = Arc::new(AuditIndex::open(dir)?);
    let (queue, batches) = sync_channel(QUEUE);
    let worker = index.clone();
    std::thread::Builder::new()
        .name("audit-indexer".into())
        .spawn(move || index_batches(&worker, &batches))?;
    Ok((index, IndexFeed { queue }))
}

fn index_batches(index: &AuditIndex, batches: &Receiver<Vec<IndexedEvent>>) {
    let mut pending = 0usize;
    let mut last_commit = Instant::now();
    loop {
        match batches.recv_timeout(Duration::from_millis(200)) {
            Ok(batch) => {
                if let Err(error) = index.add(&batch) {
                    tracing::error!(%error, "cannot index audit events");
                }
                pending += batch.len();
            }
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return,
        }
        if pending > 0 && (pending >= COMMIT_EVERY_EVENTS || last_commit.elapsed() >= COMMIT_EVERY)
        {
            match index.commit() {
                Ok(()) => metrics::counter!("warden_audit_indexed_total").increment(pending as u64),
                Err(error) => tracing::error!(%error, "cannot commit the audit index"),
            }
            pending = 0;
            last_commit = Instant::now();
        }
    }
}

/// Indexes the log from where the index stops up to the tree's size, before following begins.
pub async fn catch_up(
    db: &PgPool,
    log: &AuditLog,
    index: &AuditIndex,
    feed: &IndexFeed,
) -> anyhow::Result<()> {
    let target = log.len();
    let mut next = index.indexed_through().map_or(0, |seq| seq + 1);
    if next >= target {
        return Ok(());
    }
    tracing::info!(from = next, to = target, "indexing the audit log");
    let started = Instant::now();
    while next < target {
        let to = (next + REBUILD_BATCH).min(target);
        let rows = super::store::event_range(db, next, to).await?;
        let batch: Vec<IndexedEvent> = rows
            .iter()
            .filter_map(|(_, entry, _)| serde_json::from_slice::<Entry>(entry).ok())
            .map(|entry| entry.indexed())
            .collect();
        feed.send(batch).await;
        next = to;
    }
    tracing::info!(
        events = target,
        elapsed_ms = started.elapsed().as_millis() as u64,
        "audit index caught up"
    );
    Ok(())
}

/// Validated search parameters.
pub fn query(search: AuditSearch) -> Result<AuditQuery> {
    let time = |field: &str, value: Option<String>| -> Result<Option<OffsetDateTime>> {
        match value.filter(|value| !value.trim().is_empty()) {
            None => Ok(None),
            Some(value) => OffsetDateTime::parse(value.trim(), &Rfc3339)
                .map(Some)
                .map_err(|_| {
                    Error::InvalidInput(format!(
                        "`{field}` must be an RFC 3339 time, like 2026-11-25T10:00:00Z"
                    ))
                }),
        }
    };
    let limit = search.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(Error::InvalidInput(format!(
            "`limit` must be between 1 and {MAX_LIMIT}"
        )));
    }
    let offset = search.offset.unwrap_or(0);
    if offset > MAX_OFFSET {
        return Err(Error::InvalidInput(format!(
            "`offset` must be at most {MAX_OFFSET}; narrow the search (by time, agent or action) instead"
        )));
    }
    let text = |value: Option<String>| {
        value
            .map(|value| value.trim().to_owned())
            .filter(|value| !value.is_empty())
    };
    if search.q.as_ref().is_some_and(|q| q.len() > 1000) {
        return Err(Error::InvalidInput(
            "the search text is longer than 1,000 characters".into(),
        ));
    }
    Ok(AuditQuery {
        from: time("from", search.from)?,
        to: time("to", search.to)?,
        text: text(search.q),
        agent: text(search.agent),
        actor: text(search.actor),
        action: text(search.action),
        decision: text(search.decision),
        finding: text(search.finding),
        severity: text(search.severity),
        control: text(search.control),
        offset,
        limit,
        before_seq: None,
    })
}

/// Runs a search on the blocking pool.
pub async fn run(index: Arc<AuditIndex>, query: AuditQuery) -> Result<SearchPage> {
    tokio::task::spawn_blocking(move || index.search(&query))
        .await
        .map_err(|error| Error::Internal(anyhow::anyhow!("search task failed: {error}")))?
        .map_err(|error| Error::Internal(anyhow::anyhow!("search failed: {error}")))
}

pub fn facets(page: &SearchPage) -> AuditFacets {
    let convert = |counts: &[warden_audit_index::FacetCount]| -> Vec<FacetCount> {
        counts
            .iter()
            .map(|count| FacetCount {
                value: count.value.clone(),
                count: count.count,
            })
            .collect()
    };
    AuditFacets {
        action: convert(&page.facets.action),
        decision: convert(&page.facets.decision),
        severity: convert(&page.facets.severity),
        finding: convert(&page.facets.finding),
        agent: convert(&page.facets.agent),
        control: convert(&page.facets.control),
    }
}
