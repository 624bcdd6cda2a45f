use sqlx::{FromRow, PgExecutor};
use time::OffsetDateTime;
use uuid::Uuid;
use warden_common::fleet::{Enforcer, EnforcerAnnounce, EnforcerStatus};

#[derive(Debug, FromRow)]
struct EnforcerRow {
    id: Uuid,
    version: String,
    hostname: String,
    started_at: OffsetDateTime,
    last_seen_at: OffsetDateTime,
    heartbeat_interval_secs: i32,
    policy_version: Option<i64>,
}

/// Upper bound on what the fleet listing returns; stale enforcers past it are not shown.
const MAX_LISTED: i64 = 1000;

pub async fn list(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<Enforcer>> {
    let rows: Vec<EnforcerRow> = sqlx::query_as(
        "SELECT id, version, hostname, started_at, last_seen_at, heartbeat_interval_secs, \
         policy_version FROM enforcers ORDER BY last_seen_at DESC LIMIT $1",
    )
    .bind(MAX_LISTED)
    .fetch_all(db)
    .await?;
    let now = OffsetDateTime::now_utc();
    Ok(rows
        .into_iter()
        .map(|row| {
            let interval = u32::try_from(row.heartbeat_interval_secs).unwrap_or(1);
            Enforcer {
                id: row.id,
                version: row.version,
                hostname: row.hostname,
                started_at: row.started_at,
                last_seen_at: row.last_seen_at,
                heartbeat_interval_secs: interval,
                status: EnforcerStatus::at(now, row.last_seen_at, interval),
                policy_version: row.policy_version.and_then(|v| u64::try_from(v).ok()),
            }
        })
        .collect())
}

pub async fn upsert_announce(
    db: impl PgExecutor<'_>,
    announce: &EnforcerAnnounce,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO enforcers (id, version, hostname, started_at, last_seen_at, heartbeat_interval_secs) \
         VALUES ($1, $2, $3, $4, now(), $5) \
         ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version, hostname = EXCLUDED.hostname, \
         started_at = EXCLUDED.started_at, last_seen_at = now(), \
         heartbeat_interval_secs = EXCLUDED.heartbeat_interval_secs",
    )
    .bind(announce.enforcer_id)
    .bind(&announce.version)
    .bind(&announce.hostname)
    .bind(announce.started_at)
    .bind(i32::try_from(announce.heartbeat_interval_secs).unwrap_or(i32::MAX))
    .execute(db)
    .await?;
    Ok(())
}

/// Records a heartbeat; returns false when the enforcer is unknown (it must announce first).
pub async fn touch(
    db: impl PgExecutor<'_>,
    id: Uuid,
    policy_version: Option<u64>,
) -> sqlx::Result<bool> {
    let result =
        sqlx::query("UPDATE enforcers SET last_seen_at = now(), policy_version = $2 WHERE id = $1")
            .bind(id)
            .bind(policy_version.and_then(|v| i64::try_from(v).ok()))
            .execute(db)
            .await?;
    Ok(result.rows_affected() == 1)
}
