//! Sign-in throttling: too many failures for one username or from one address within a window
//! and further attempts are refused before any password is checked.

use crate::error::{Error, Result};
use sqlx::{FromRow, PgExecutor, PgPool};
use time::{Duration, OffsetDateTime};

#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub per_user: u32,
    pub per_ip: u32,
    pub window: Duration,
}

#[derive(Debug, FromRow)]
struct Failures {
    count: i64,
    oldest: Option<OffsetDateTime>,
}

async fn failures(
    db: &PgPool,
    column: &str,
    value: &str,
    since: OffsetDateTime,
) -> sqlx::Result<Failures> {
    // `column` is one of two fixed names chosen below, never user input.
    sqlx::query_as(&format!(
        "SELECT count(*) AS count, min(attempted_at) AS oldest FROM login_attempts \
         WHERE {column} = $1 AND NOT succeeded AND attempted_at > $2"
    ))
    .bind(value)
    .bind(since)
    .fetch_one(db)
    .await
}

/// Refuses the attempt when either limit is reached, saying when to retry.
pub async fn check(db: &PgPool, limits: Limits, username: &str, client_ip: &str) -> Result<()> {
    let now = OffsetDateTime::now_utc();
    let since = now - limits.window;
    for (column, value, limit) in [
        ("username", username, limits.per_user),
        ("client_ip", client_ip, limits.per_ip),
    ] {
        let failures = failures(db, column, value, since).await?;
        if failures.count >= i64::from(limit) {
            let reopens = failures.oldest.unwrap_or(now) + limits.window;
            let retry_after_secs = u64::try_from((reopens - now).whole_seconds())
                .unwrap_or(0)
                .max(1);
            return Err(Error::RateLimited { retry_after_secs });
        }
    }
    Ok(())
}

pub async fn record(
    db: impl PgExecutor<'_>,
    username: &str,
    client_ip: &str,
    succeeded: bool,
) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO login_attempts (username, client_ip, succeeded) VALUES ($1, $2, $3)")
        .bind(username)
        .bind(client_ip)
        .bind(succeeded)
        .execute(db)
        .await?;
    Ok(())
}

/// Forgets attempts older than any window we could be configured with.
pub async fn prune(db: impl PgExecutor<'_>, before: OffsetDateTime) -> sqlx::Result<u64> {
    let result = sqlx::query("DELETE FROM login_attempts WHERE attempted_at < $1")
        .bind(before)
        .execute(db)
        .await?;
    Ok(result.rows_affected())
}
