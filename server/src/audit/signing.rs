//! The key that signs checkpoints: Ed25519, created on first start, its seed sealed at rest under
//! the key-encryption key like the CA and policy keys. One key per log origin.

use crate::identity::kek::KeyEncryptionKey;
use anyhow::Context;
use sqlx::PgPool;
use warden_tlog::NoteSigner;

fn key_context(origin: &str) -> String {
    format!("warden-audit-key:{origin}")
}

/// The origin's signer, created on first use. Serialised across control planes.
pub async fn load_or_create(
    db: &PgPool,
    kek: &KeyEncryptionKey,
    origin: &str,
) -> anyhow::Result<NoteSigner> {
    let mut tx = db.begin().await?;
    sqlx::query("SELECT pg_advisory_xact_lock(hashtext('warden-audit-signing-key'))")
        .execute(&mut *tx)
        .await?;
    let existing: Option<(Vec<u8>,)> =
        sqlx::query_as("SELECT encrypted_key FROM audit_signing_keys WHERE key_name = $1")
            .bind(origin)
            .fetch_optional(&mut *tx)
            .await?;
    let signer = match existing {
        Some((sealed,)) => {
            let seed = kek
                .open(&sealed, &key_context(origin))
                .context("cannot unseal the audit log's signing key (wrong WARDEN_CA_KEK?)")?;
            let seed: [u8; 32] = seed
                .try_into()
                .map_err(|_| anyhow::anyhow!("the stored audit signing key is malformed"))?;
            NoteSigner::new(origin, &seed)?
        }
        None => {
            let seed = warden_tlog::generate_seed()?;
            let signer = NoteSigner::new(origin, &seed)?;
            let sealed = kek.seal(&seed, &key_context(origin))?;
            sqlx::query(
                "INSERT INTO audit_signing_keys (key_name, verifier_key, encrypted_key) VALUES ($1, $2, $3)",
            )
            .bind(origin)
            .bind(signer.verifier_key())
            .bind(&sealed)
            .execute(&mut *tx)
            .await?;
            tracing::info!(origin, verifier_key = %signer.verifier_key(), "created the audit log's checkpoint signing key");
            signer
        }
    };
    tx.commit().await?;
    Ok(signer)
}
