//! The key that signs policy bundles: Ed25519, created on first start, sealed at rest under the
//! key-encryption key like the CA keys. Enforcers trust its public key from their configuration.

use crate::identity::kek::KeyEncryptionKey;
use anyhow::Context;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ring::rand::SystemRandom;
use ring::signature::{Ed25519KeyPair, KeyPair};
use sqlx::PgPool;

pub struct PolicySigner {
    pub key_id: String,
    key: Ed25519KeyPair,
}

impl PolicySigner {
    pub fn key(&self) -> &Ed25519KeyPair {
        &self.key
    }

    /// The public key as enforcers are configured with it (`WARDEN_POLICY_KEYS`).
    pub fn public_key_base64(&self) -> String {
        STANDARD.encode(self.key.public_key().as_ref())
    }
}

fn key_context(key_id: &str) -> String {
    format!("warden-policy-key:{key_id}")
}

/// The active bundle-signing key, created on first use. Serialised across control planes.
pub async fn load_or_create(db: &PgPool, kek: &KeyEncryptionKey) -> anyhow::Result<PolicySigner> {
    let mut tx = db.begin().await?;
    sqlx::query("SELECT pg_advisory_xact_lock(hashtext('warden-policy-signing-key'))")
        .execute(&mut *tx)
        .await?;
    let existing: Option<(String, Vec<u8>)> =
        sqlx::query_as("SELECT key_id, encrypted_key FROM policy_signing_keys WHERE active")
            .fetch_optional(&mut *tx)
            .await?;
    let signer = match existing {
        Some((key_id, sealed)) => {
            let pkcs8 = kek
                .open(&sealed, &key_context(&key_id))
                .context("cannot unseal the policy signing key (wrong WARDEN_CA_KEK?)")?;
            let key = Ed25519KeyPair::from_pkcs8(&pkcs8)
                .map_err(|_| anyhow::anyhow!("the stored policy signing key is malformed"))?;
            PolicySigner { key_id, key }
        }
        None => {
            let pkcs8 = Ed25519KeyPair::generate_pkcs8(&SystemRandom::new())
                .map_err(|_| anyhow::anyhow!("cannot generate the policy signing key"))?;
            let key = Ed25519KeyPair::from_pkcs8(pkcs8.as_ref())
                .map_err(|_| anyhow::anyhow!("generated policy key does not parse"))?;
            let key_id = warden_policy::key_id(key.public_key().as_ref());
            let sealed = kek.seal(pkcs8.as_ref(), &key_context(&key_id))?;
            sqlx::query(
                "INSERT INTO policy_signing_keys (key_id, public_key, encrypted_key) VALUES ($1, $2, $3)",
            )
            .bind(&key_id)
            .bind(key.public_key().as_ref())
            .bind(&sealed)
            .execute(&mut *tx)
            .await?;
            tracing::info!(key_id, "created the policy bundle signing key");
            PolicySigner { key_id, key }
        }
    };
    tx.commit().await?;
    Ok(signer)
}
