//! Signed bundles: what the control plane publishes and enforcers accept only with a valid
//! Ed25519 signature from a trusted key.

use crate::compile::CompiledPolicy;
use crate::engine::PolicyEngine;
use crate::error::CompileError;
use crate::grant::Grant;
use crate::rego::Module;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use ring::signature::{ED25519, Ed25519KeyPair, KeyPair, UnparsedPublicKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

/// One published policy version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bundle {
    /// Increases with every publication; enforcers refuse to go back.
    pub version: u64,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    pub modules: Vec<Module>,
    pub data: serde_json::Value,
    /// The grants the data came from, for review and display; enforcement uses `data`.
    pub grants: Vec<Grant>,
}

impl Bundle {
    pub fn from_compiled(
        version: u64,
        created_at: OffsetDateTime,
        policy: &CompiledPolicy,
    ) -> Self {
        Bundle {
            version,
            created_at,
            modules: policy.modules.clone(),
            data: policy.data.clone(),
            grants: policy.grants.clone(),
        }
    }

    /// Compiles the bundle's Rego; do it before swapping it in, not per decision.
    pub fn engine(&self) -> Result<PolicyEngine, CompileError> {
        PolicyEngine::from_parts(&self.modules, &self.data, self.grants.clone())
    }
}

/// A bundle as sent to the fleet: `payload` is exactly the bytes signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignedBundle {
    /// The bundle's JSON (serde's field order, no whitespace).
    pub payload: String,
    /// Standard base64 of the Ed25519 signature over `payload`.
    pub signature: String,
    /// [`key_id`] of the signing key.
    pub key_id: String,
}

#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    #[error("bundle signed by unknown key {0}")]
    UnknownKey(String),
    #[error("bundle signature is not valid base64")]
    MalformedSignature,
    #[error("bundle signature does not verify")]
    BadSignature,
    #[error("bundle payload is malformed: {0}")]
    MalformedPayload(String),
    #[error("bundle policy does not compile: {0}")]
    Compile(#[from] CompileError),
}

/// Hex of the first 8 bytes of SHA-256 over the raw 32-byte Ed25519 public key: short enough to
/// log, long enough that trusted keys never collide by accident.
pub fn key_id(public_key: &[u8]) -> String {
    Sha256::digest(public_key)
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Serialises and signs a bundle.
pub fn sign(bundle: &Bundle, key: &Ed25519KeyPair) -> Result<SignedBundle, BundleError> {
    let payload =
        serde_json::to_string(bundle).map_err(|e| BundleError::MalformedPayload(e.to_string()))?;
    let signature = key.sign(payload.as_bytes());
    Ok(SignedBundle {
        signature: BASE64.encode(signature.as_ref()),
        key_id: key_id(key.public_key().as_ref()),
        payload,
    })
}

/// Checks the signature against the trusted public keys (raw 32-byte Ed25519), then parses the
/// payload. Nothing in the payload is read before the signature verifies.
pub fn verify<K: AsRef<[u8]>>(
    signed: &SignedBundle,
    trusted_public_keys: &[K],
) -> Result<Bundle, BundleError> {
    let key = trusted_public_keys
        .iter()
        .find(|k| key_id(k.as_ref()) == signed.key_id)
        .ok_or_else(|| BundleError::UnknownKey(signed.key_id.clone()))?;
    let signature = BASE64
        .decode(&signed.signature)
        .map_err(|_| BundleError::MalformedSignature)?;
    UnparsedPublicKey::new(&ED25519, key.as_ref())
        .verify(signed.payload.as_bytes(), &signature)
        .map_err(|_| BundleError::BadSignature)?;
    serde_json::from_str(&signed.payload).map_err(|e| BundleError::MalformedPayload(e.to_string()))
}

/// What an enforcer does with a bundle off the hot path: verify, then compile. The result goes to
/// [`crate::ActivePolicy::install`].
pub fn verify_and_compile<K: AsRef<[u8]>>(
    signed: &SignedBundle,
    trusted_public_keys: &[K],
) -> Result<(Bundle, PolicyEngine), BundleError> {
    let bundle = verify(signed, trusted_public_keys)?;
    let engine = bundle.engine()?;
    Ok((bundle, engine))
}
