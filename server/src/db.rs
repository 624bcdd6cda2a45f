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

/// Migrates the schema and returns the application's pool. With an owner URL, the schema is
/// migrated as the owner and the application's role is granted what it needs and no more: it
/// may only read and append to the audit log, never change, drop or disable its guards.
pub async fn open(config: &DatabaseConfig) -> anyhow::Result<PgPool> {
    let Some(owner_url) = &config.database_owner_url else {
        let pool = connect(config).await?;
        migrate(&pool).await?;
        tracing::warn!(
            "the control plane's database role owns the audit tables, so it could remove their append-only guards; set WARDEN_DATABASE_OWNER_URL to migrate as the owner and run with a role that can only read and append"
        );
        return Ok(pool);
    };
    let owner = PgPoolOptions::new()
        .max_connections(1)
        .acquire_timeout(Duration::from_secs(5))
        .connect(owner_url.expose())
        .await
        .context(
            "cannot connect to Postgres as the schema owner (check WARDEN_DATABASE_OWNER_URL)",
        )?;
    migrate(&owner).await?;
    let pool = connect(config).await?;
    let (role, owner_role): (String, String) = (
        sqlx::query_scalar("SELECT quote_ident(current_user)")
            .fetch_one(&pool)
            .await?,
        sqlx::query_scalar("SELECT quote_ident(current_user)")
            .fetch_one(&owner)
            .await?,
    );
    anyhow::ensure!(
        role != owner_role,
        "DATABASE_URL and WARDEN_DATABASE_OWNER_URL name the same role ({role}); the application needs its own"
    );
    grant_application_role(&owner, &role).await?;
    owner.close().await;
    tracing::info!(role, "database privileges of the application role are set");
    Ok(pool)
}

/// Everything in the schema for ordinary use; the audit tables only to read and append.
async fn grant_application_role(owner: &PgPool, role: &str) -> anyhow::Result<()> {
    let statements = [
        format!("GRANT USAGE ON SCHEMA public TO {role}"),
        format!("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}"),
        format!("GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {role}"),
        format!("REVOKE ALL ON _sqlx_migrations FROM {role}"),
        format!("GRANT SELECT ON _sqlx_migrations TO {role}"),
        format!(
            "REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_log, audit_checkpoints, audit_signing_keys FROM {role}"
        ),
        format!(
            "REVOKE INSERT, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_log_head FROM {role}"
        ),
    ];
    let mut tx = owner.begin().await?;
    for statement in statements {
        sqlx::query(&statement)
            .execute(&mut *tx)
            .await
            .with_context(|| format!("cannot set privileges: {statement}"))?;
    }
    tx.commit().await?;
    Ok(())
}

pub async fn migrate(pool: &PgPool) -> anyhow::Result<()> {
    MIGRATOR.run(pool).await.context(
        "database migration failed; the control plane will not start on a schema it does not know",
    )?;
    tracing::info!("database schema is up to date");
    Ok(())
}

pub async fn migrate_only(config: &DatabaseConfig) -> anyhow::Result<()> {
    open(config).await.map(|_| ())
}
