//! The Postgres pool and migrations, applied at start-up and failing loudly.

use crate::config::DatabaseConfig;
use anyhow::Context;
use sqlx::PgPool;
use sqlx::postgres::PgPoolOptions;
use std::time::Duration;

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

pub async fn connect(config: &DatabaseConfig) -> anyhow::Result<PgPool> {
    PgPoolOptions::new()
        .max_connections(config.database_max_connections)
        .acquire_timeout(Duration::from_secs(5))
        .connect(config.database_url.expose())
        .await
        .context("cannot connect to Postgres (check DATABASE_URL)")
}

pub async fn migrate(pool: &PgPool) -> anyhow::Result<()> {
    MIGRATOR.run(pool).await.context(
        "database migration failed; the control plane will not start on a schema it does not know",
    )?;
    tracing::info!("database schema is up to date");
    Ok(())
}

pub async fn migrate_only(config: &DatabaseConfig) -> anyhow::Result<()> {
    let pool = connect(config).await?;
    migrate(&pool).await
}
