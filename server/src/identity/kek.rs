//! The key-encryption key: CA private keys are sealed with AES-256-GCM before they touch the
//! database, bound (as associated data) to the certificate row they belong to.

use crate::config::IdentityConfig;
use anyhow::{Context, bail};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ring::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use ring::rand::{SecureRandom, SystemRandom};

pub struct KeyEncryptionKey {
    key: LessSafeKey,
    rng: SystemRandom,
}

impl std::fmt::Debug for KeyEncryptionKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeyEncryptionKey(<redacted>)")
    }
}

impl KeyEncryptionKey {
    pub fn from_config(config: &IdentityConfig) -> anyhow::Result<Self> {
        let encoded = match (&config.ca_kek, &config.ca_kek_file) {
            (Some(secret), _) => secret.expose().to_owned(),
            (None, Some(path)) => std::fs::read_to_string(path)
                .with_context(|| format!("cannot read WARDEN_CA_KEK_FILE {}", path.display()))?,
            (None, None) => bail!(
                "no key-encryption key for the agent CA: set WARDEN_CA_KEK_FILE (or WARDEN_CA_KEK) to 32 random bytes in base64, e.g. `head -c 32 /dev/urandom | base64`"
            ),
        };
        let bytes = STANDARD
            .decode(encoded.trim())
            .context("the key-encryption key is not valid base64")?;
        Self::from_bytes(&bytes)
    }

    pub fn from_bytes(bytes: &[u8]) -> anyhow::Result<Self> {
        if bytes.len() != 32 {
            bail!(
                "the key-encryption key must be exactly 32 bytes (got {})",
                bytes.len()
            );
        }
        let key = UnboundKey::new(&AES_256_GCM, bytes)
            .map_err(|_| anyhow::anyhow!("invalid key-encryption key"))?;
        Ok(KeyEncryptionKey {
            key: LessSafeKey::new(key),
            rng: SystemRandom::new(),
        })
    }

    /// `nonce ‖ ciphertext ‖ tag`.
    pub fn seal(&self, plaintext: &[u8], context: &str) -> anyhow::Result<Vec<u8>> {
        let mut nonce = [0u8; NONCE_LEN];
        self.rng
            .fill(&mut nonce)
            .map_err(|_| anyhow::anyhow!("no randomness for a nonce"))?;
        let mut sealed = plaintext.to_vec();
        self.key
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(context.as_bytes()),
                &mut sealed,
            )
            .map_err(|_| anyhow::anyhow!("sealing failed"))?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    pub fn open(&self, sealed: &[u8], context: &str) -> anyhow::Result<Vec<u8>> {
        if sealed.len() < NONCE_LEN {
            bail!("sealed key is truncated");
        }
        let (nonce, ciphertext) = sealed.split_at(NONCE_LEN);
        let nonce =
            Nonce::try_assume_unique_for_key(nonce).map_err(|_| anyhow::anyhow!("bad nonce"))?;
        let mut buffer = ciphertext.to_vec();
        let plaintext = self
            .key
            .open_in_place(nonce, Aad::from(context.as_bytes()), &mut buffer)
            .map_err(|_| anyhow::anyhow!("cannot decrypt a CA key: wrong key-encryption key, or the stored key was altered"))?;
        Ok(plaintext.to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_keys_open_only_with_the_same_key_and_context() {
        let kek = KeyEncryptionKey::from_bytes(&[7u8; 32]).expect("kek");
        let sealed = kek.seal(b"private key", "ca:1").expect("seal");
        assert!(!sealed.windows(11).any(|window| window == b"private key"));
        assert_eq!(kek.open(&sealed, "ca:1").expect("open"), b"private key");
        assert!(kek.open(&sealed, "ca:2").is_err(), "bound to its row");
        let other = KeyEncryptionKey::from_bytes(&[8u8; 32]).expect("kek");
        assert!(other.open(&sealed, "ca:1").is_err());
        let mut tampered = sealed.clone();
        let last = tampered.len() - 1;
        tampered[last] ^= 1;
        assert!(kek.open(&tampered, "ca:1").is_err());
        assert!(KeyEncryptionKey::from_bytes(&[0u8; 16]).is_err());
    }
}
