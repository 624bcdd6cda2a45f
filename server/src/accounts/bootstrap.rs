//! `warden bootstrap-admin`: creates the first admin on an empty database and prints its
//! credential once, on standard output, never in logs. The hash is all that is stored.
//! `warden reset-password` is the break-glass path when that credential is lost.

use super::{password, sessions, store};
use crate::audit::{self, AuditEvent};
use crate::config::BootstrapConfig;
use crate::db;
use anyhow::Context;
use std::io::Write;
use warden_common::accounts::{Role, validate_username};

pub async fn run(config: BootstrapConfig) -> anyhow::Result<()> {
    validate_username(&config.username).map_err(anyhow::Error::msg)?;
    let pool = db::open(&config.database).await?;
    let mut tx = pool.begin().await?;
    // Serialise concurrent bootstraps so two can never both create an admin.
    sqlx::query("LOCK TABLE users IN EXCLUSIVE MODE")
        .execute(&mut *tx)
        .await?;
    if store::count(&mut *tx).await? > 0 {
        tx.rollback().await?;
        let mut out = std::io::stdout().lock();
        writeln!(
            out,
            "Users already exist; no bootstrap credential was created (it was shown on the first run)."
        )?;
        return Ok(());
    }
    let secret = sessions::random_token();
    let hash = password::hash(secret.clone())
        .await
        .map_err(|error| anyhow::anyhow!("{error}"))?;
    store::insert(
        &mut *tx,
        &config.username,
        "Administrator",
        Role::Admin,
        &hash,
    )
    .await
    .context("cannot create the bootstrap admin")?;
    audit::record(
        &mut *tx,
        AuditEvent::new(
            "system",
            "user.bootstrap_admin_created",
            format!("user:{}", config.username),
        ),
    )
    .await?;
    tx.commit().await?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "Bootstrap admin created. This password is shown once and stored only as an argon2id hash:"
    )?;
    writeln!(out, "  username: {}", config.username)?;
    writeln!(out, "  password: {secret}")?;
    Ok(())
}

pub async fn reset_password(config: BootstrapConfig) -> anyhow::Result<()> {
    let pool = db::open(&config.database).await?;
    let mut tx = pool.begin().await?;
    let credentials = store::credentials_by_username(&mut *tx, &config.username)
        .await?
        .with_context(|| format!("there is no user named {}", config.username))?;
    let secret = sessions::random_token();
    let hash = password::hash(secret.clone())
        .await
        .map_err(|error| anyhow::anyhow!("{error}"))?;
    store::set_password(&mut *tx, credentials.id, &hash).await?;
    let ended = sessions::delete_for_user(&mut *tx, credentials.id, None).await?;
    audit::record(
        &mut *tx,
        AuditEvent::new(
            "system (command line)",
            "user.password_reset",
            format!("user:{}", config.username),
        )
        .with_details(serde_json::json!({ "sessions_ended": ended })),
    )
    .await?;
    tx.commit().await?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "New password for {} (shown once; their sessions were ended):",
        config.username
    )?;
    writeln!(out, "  username: {}", config.username)?;
    writeln!(out, "  password: {secret}")?;
    Ok(())
}
