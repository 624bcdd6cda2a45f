//! Appending to the log. Every append takes the row lock of `audit_log_head` first, so leaf
//! numbers are gap-free and assigned in commit order, and any number of control planes can append
//! side by side. Events whose id is already in the log are dropped (a redelivered message).

use super::entry::{Entry, PendingEvent};
use super::log::AuditLog;
use sqlx::{PgPool, Postgres, Transaction};
use std::collections::HashSet;
use std::time::Duration;
use uuid::Uuid;
use warden_audit_index::IndexedEvent;
use warden_tlog::{Hash, leaf_hash};

/// An entry this process appended, handed to the in-memory tree without reading it back.
pub struct Appended {
    pub seq: u64,
    pub entry: Vec<u8>,
    pub leaf: Hash,
    /// The index's view, derived before encoding so the follower need not parse the entry.
    pub indexed: IndexedEvent,
}

/// Inbox events moved into the log per transaction, at most.
const INBOX_BATCH: i64 = 1000;

/// Appends `events` in order within `tx`, skipping ids already logged (or repeated in `events`).
/// Returns what was appended, for the tree once the caller has committed.
pub async fn append(
    tx: &mut Transaction<'_, Postgres>,
    events: Vec<PendingEvent>,
) -> sqlx::Result<Vec<Appended>> {
    let (size,): (i64,) = sqlx::query_as("SELECT size FROM audit_log_head FOR UPDATE")
        .fetch_one(&mut **tx)
        .await?;
    let ids: Vec<Uuid> = events.iter().map(|event| event.id).collect();
    let logged: Vec<(Uuid,)> =
        sqlx::query_as("SELECT event_id FROM audit_log WHERE event_id = ANY($1)")
            .bind(&ids)
            .fetch_all(&mut **tx)
            .await?;
    let mut seen: HashSet<Uuid> = logged.into_iter().map(|(id,)| id).collect();

    let mut seqs = Vec::with_capacity(events.len());
    let mut event_ids = Vec::with_capacity(events.len());
    let mut times = Vec::with_capacity(events.len());
    let mut actors = Vec::with_capacity(events.len());
    let mut actions = Vec::with_capacity(events.len());
    let mut subjects = Vec::with_capacity(events.len());
    let mut entries: Vec<Vec<u8>> = Vec::with_capacity(events.len());
    let mut leaves: Vec<Hash> = Vec::with_capacity(events.len());
    let mut views: Vec<IndexedEvent> = Vec::with_capacity(events.len());
    let mut next = size;
    for event in events {
        if !seen.insert(event.id) {
            metrics::counter!("warden_audit_duplicates_dropped_total").increment(1);
            continue;
        }
        let entry = Entry::new(next as u64, event);
        let bytes = entry.encode();
        let leaf = leaf_hash(&bytes);
        views.push(entry.indexed());
        leaves.push(leaf);
        seqs.push(next);
        event_ids.push(entry.id);
        times.push(entry.time);
        actors.push(entry.actor);
        actions.push(entry.action);
        subjects.push(entry.subject);
        entries.push(bytes);
        next += 1;
    }
    let appended = (next - size) as u64;
    if appended == 0 {
        return Ok(Vec::new());
    }
    sqlx::query(
        "INSERT INTO audit_log (seq, event_id, occurred_at, actor, action, subject, entry, leaf_hash)
         SELECT * FROM UNNEST($1::bigint[], $2::uuid[], $3::timestamptz[], $4::text[], $5::text[],
                              $6::text[], $7::bytea[], $8::bytea[])",
    )
    .bind(&seqs)
    .bind(&event_ids)
    .bind(&times)
    .bind(&actors)
    .bind(&actions)
    .bind(&subjects)
    .bind(&entries)
    .bind(leaves.iter().map(|leaf| leaf.to_vec()).collect::<Vec<_>>())
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE audit_log_head SET size = $1")
        .bind(next)
        .execute(&mut **tx)
        .await?;
    metrics::counter!("warden_audit_events_appended_total").increment(appended);
    Ok(seqs
        .into_iter()
        .zip(entries)
        .zip(leaves)
        .zip(views)
        .map(|(((seq, entry), leaf), indexed)| Appended {
            seq: seq as u64,
            entry,
            leaf,
            indexed,
        })
        .collect())
}

/// Moves committed inbox events into the log, oldest first, until the inbox is empty.
pub async fn drain_inbox(db: &PgPool) -> sqlx::Result<Vec<Appended>> {
    let mut total = Vec::new();
    loop {
        let mut tx = db.begin().await?;
        // Lock the head before reading the inbox so two sequencers never take the same rows.
        sqlx::query("SELECT size FROM audit_log_head FOR UPDATE")
            .execute(&mut *tx)
            .await?;
        type Row = (
            i64,
            Uuid,
            time::OffsetDateTime,
            String,
            String,
            String,
            serde_json::Value,
        );
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT id, event_id, occurred_at, actor, action, subject, details
             FROM audit_inbox ORDER BY id LIMIT $1",
        )
        .bind(INBOX_BATCH)
        .fetch_all(&mut *tx)
        .await?;
        if rows.is_empty() {
            tx.rollback().await?;
            return Ok(total);
        }
        let inbox_ids: Vec<i64> = rows.iter().map(|row| row.0).collect();
        let events = rows
            .into_iter()
            .map(
                |(_, id, time, actor, action, subject, details)| PendingEvent {
                    id,
                    time,
                    actor,
                    action,
                    subject,
                    details,
                },
            )
            .collect();
        let appended = append(&mut tx, events).await?;
        sqlx::query("DELETE FROM audit_inbox WHERE id = ANY($1)")
            .bind(&inbox_ids)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        total.extend(appended);
    }
}

/// Drains the inbox whenever Postgres says something arrived, and every second regardless.
pub async fn run(db: PgPool, log: AuditLog) {
    let mut listener = match sqlx::postgres::PgListener::connect_with(&db).await {
        Ok(mut listener) => match listener.listen("warden_audit_inbox").await {
            Ok(()) => Some(listener),
            Err(error) => {
                tracing::warn!(%error, "cannot LISTEN for audit events; polling every second");
                None
            }
        },
        Err(error) => {
            tracing::warn!(%error, "cannot LISTEN for audit events; polling every second");
            None
        }
    };
    loop {
        match drain_inbox(&db).await {
            Ok(appended) => log.accept(appended),
            Err(error) => tracing::error!(%error, "cannot sequence audit events; will retry"),
        }
        match listener.as_mut() {
            Some(listener) => {
                let _ = tokio::time::timeout(Duration::from_secs(1), listener.recv()).await;
            }
            None => tokio::time::sleep(Duration::from_secs(1)).await,
        }
    }
}
