//! Queries on the stored log and its checkpoints.

use super::entry::Entry;
use super::log::to_hash;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sqlx::{PgExecutor, PgPool};
use time::OffsetDateTime;
use warden_common::audit::{AuditEvent, Checkpoint};
use warden_tlog::Hash;
use warden_tlog::to_hex;

/// A checkpoint row with its root decoded.
pub struct StoredCheckpoint {
    pub size: u64,
    pub root: Hash,
    pub note: String,
    pub signed_at: OffsetDateTime,
    pub tsa_token: Option<Vec<u8>>,
}

impl StoredCheckpoint {
    pub fn view(&self) -> Checkpoint {
        Checkpoint {
            size: self.size,
            root_hash: to_hex(&self.root),
            note: self.note.clone(),
            signed_at: self.signed_at,
            tsa_token: self.tsa_token.as_ref().map(|token| STANDARD.encode(token)),
        }
    }
}

type CheckpointRow = (i64, Vec<u8>, String, OffsetDateTime, Option<Vec<u8>>);

fn checkpoint(
    (size, root, note, signed_at, tsa_token): CheckpointRow,
) -> anyhow::Result<StoredCheckpoint> {
    Ok(StoredCheckpoint {
        size: size as u64,
        root: to_hash(&root)?,
        note,
        signed_at,
        tsa_token,
    })
}

const CHECKPOINT_COLUMNS: &str = "size, root_hash, note, signed_at, tsa_token";

pub async fn latest_checkpoint(
    db: impl PgExecutor<'_>,
) -> anyhow::Result<Option<StoredCheckpoint>> {
    let row: Option<CheckpointRow> = sqlx::query_as(&format!(
        "SELECT {CHECKPOINT_COLUMNS} FROM audit_checkpoints ORDER BY size DESC LIMIT 1"
    ))
    .fetch_optional(db)
    .await?;
    row.map(checkpoint).transpose()
}

pub async fn checkpoint_of_size(
    db: impl PgExecutor<'_>,
    size: u64,
) -> anyhow::Result<Option<StoredCheckpoint>> {
    let row: Option<CheckpointRow> = sqlx::query_as(&format!(
        "SELECT {CHECKPOINT_COLUMNS} FROM audit_checkpoints WHERE size = $1"
    ))
    .bind(size as i64)
    .fetch_optional(db)
    .await?;
    row.map(checkpoint).transpose()
}

/// The first checkpoint that covers leaf `seq`: the event's receipt.
pub async fn first_covering(
    db: impl PgExecutor<'_>,
    seq: u64,
) -> anyhow::Result<Option<StoredCheckpoint>> {
    let row: Option<CheckpointRow> = sqlx::query_as(&format!(
        "SELECT {CHECKPOINT_COLUMNS} FROM audit_checkpoints WHERE size > $1 ORDER BY size LIMIT 1"
    ))
    .bind(seq as i64)
    .fetch_optional(db)
    .await?;
    row.map(checkpoint).transpose()
}

/// Checkpoints, newest first; `before` pages back by size.
pub async fn list_checkpoints(
    db: impl PgExecutor<'_>,
    before: Option<u64>,
    limit: i64,
) -> anyhow::Result<Vec<StoredCheckpoint>> {
    let rows: Vec<CheckpointRow> = sqlx::query_as(&format!(
        "SELECT {CHECKPOINT_COLUMNS} FROM audit_checkpoints
         WHERE ($1::bigint IS NULL OR size < $1) ORDER BY size DESC LIMIT $2"
    ))
    .bind(before.map(|size| size as i64))
    .bind(limit)
    .fetch_all(db)
    .await?;
    rows.into_iter().map(checkpoint).collect()
}

pub async fn insert_checkpoint(
    db: &PgPool,
    size: u64,
    root: &Hash,
    note: &str,
    signed_at: OffsetDateTime,
    tsa_token: Option<&[u8]>,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO audit_checkpoints (size, root_hash, note, signed_at, tsa_token)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (size) DO NOTHING",
    )
    .bind(size as i64)
    .bind(root.as_slice())
    .bind(note)
    .bind(signed_at)
    .bind(tsa_token)
    .execute(db)
    .await?;
    Ok(())
}

/// Stored events by leaf number, in the order asked for; missing numbers are skipped.
pub async fn events(db: impl PgExecutor<'_>, seqs: &[u64]) -> anyhow::Result<Vec<AuditEvent>> {
    let wanted: Vec<i64> = seqs.iter().map(|seq| *seq as i64).collect();
    let rows: Vec<(i64, Vec<u8>, Vec<u8>)> =
        sqlx::query_as("SELECT seq, entry, leaf_hash FROM audit_log WHERE seq = ANY($1)")
            .bind(&wanted)
            .fetch_all(db)
            .await?;
    let mut by_seq: std::collections::HashMap<i64, AuditEvent> = rows
        .into_iter()
        .filter_map(|(seq, entry, hash)| Some((seq, view(&entry, &hash).ok()?)))
        .collect();
    Ok(wanted.iter().filter_map(|seq| by_seq.remove(seq)).collect())
}

/// Events with `from <= seq < to`, in order.
pub async fn event_range(
    db: impl PgExecutor<'_>,
    from: u64,
    to: u64,
) -> anyhow::Result<Vec<(u64, Vec<u8>, Hash)>> {
    let rows: Vec<(i64, Vec<u8>, Vec<u8>)> = sqlx::query_as(
        "SELECT seq, entry, leaf_hash FROM audit_log WHERE seq >= $1 AND seq < $2 ORDER BY seq",
    )
    .bind(from as i64)
    .bind(to as i64)
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|(seq, entry, hash)| Ok((seq as u64, entry, to_hash(&hash)?)))
        .collect()
}

/// The API's view of a stored entry.
pub fn view(entry: &[u8], leaf_hash: &[u8]) -> anyhow::Result<AuditEvent> {
    let parsed: Entry = serde_json::from_slice(entry)?;
    let (_, severity, controls) = parsed.classify();
    Ok(AuditEvent {
        seq: parsed.seq,
        id: parsed.id,
        time: parsed.time,
        severity: severity.to_owned(),
        controls,
        actor: parsed.actor,
        action: parsed.action,
        subject: parsed.subject,
        details: parsed.details,
        entry: String::from_utf8_lossy(entry).into_owned(),
        leaf_hash: to_hex(leaf_hash),
    })
}
