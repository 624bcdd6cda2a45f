//! JWT-SVIDs: short-lived (minutes) EdDSA tokens for callers that cannot do mTLS, verifiable by
//! anyone with the published JWKS.

use super::kek::KeyEncryptionKey;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::rand::SystemRandom;
use ring::signature::{Ed25519KeyPair, KeyPair};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use sqlx::PgExecutor;
use time::{Duration, OffsetDateTime};

/// JWT-SVIDs live five minutes: long enough for a call, short enough that theft matters little.
pub const LIFETIME: Duration = Duration::minutes(5);

pub struct JwtSigner {
    kid: String,
    key: Ed25519KeyPair,
}

fn key_context(kid: &str) -> String {
    format!("warden-jwt-key:{kid}")
}

/// The active signing key of the trust domain, created on first use.
pub async fn load_or_create(
    tx: &mut sqlx::PgConnection,
    trust_domain: &str,
    kek: &KeyEncryptionKey,
) -> anyhow::Result<JwtSigner> {
    let existing: Option<(String, Vec<u8>)> = sqlx::query_as(
        "SELECT kid, encrypted_key FROM jwt_signing_keys WHERE trust_domain = $1 AND active",
    )
    .bind(trust_domain)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some((kid, sealed)) = existing {
        let pkcs8 = kek.open(&sealed, &key_context(&kid))?;
        let key = Ed25519KeyPair::from_pkcs8(&pkcs8)
            .map_err(|error| anyhow::anyhow!("stored JWT key: {error}"))?;
        return Ok(JwtSigner { kid, key });
    }
    let pkcs8 = Ed25519KeyPair::generate_pkcs8(&SystemRandom::new())
        .map_err(|_| anyhow::anyhow!("cannot generate an Ed25519 key"))?;
    let key =
        Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).map_err(|error| anyhow::anyhow!("{error}"))?;
    let public = key.public_key().as_ref().to_vec();
    let kid = URL_SAFE_NO_PAD.encode(&Sha256::digest(&public)[..12]);
    let sealed = kek.seal(pkcs8.as_ref(), &key_context(&kid))?;
    sqlx::query("INSERT INTO jwt_signing_keys (kid, trust_domain, public_key, encrypted_key) VALUES ($1, $2, $3, $4)")
        .bind(&kid)
        .bind(trust_domain)
        .bind(&public)
        .bind(&sealed)
        .execute(&mut *tx)
        .await?;
    tracing::info!(trust_domain, kid, "created the JWT-SVID signing key");
    Ok(JwtSigner { kid, key })
}

/// The JWKS of the trust domain: every key that may still have unexpired tokens.
pub async fn jwks(db: impl PgExecutor<'_>, trust_domain: &str) -> sqlx::Result<Value> {
    let keys: Vec<(String, Vec<u8>)> = sqlx::query_as(
        "SELECT kid, public_key FROM jwt_signing_keys WHERE trust_domain = $1 ORDER BY created_at",
    )
    .bind(trust_domain)
    .fetch_all(db)
    .await?;
    Ok(json!({
        "keys": keys
            .into_iter()
            .map(|(kid, public)| json!({
                "kty": "OKP",
                "crv": "Ed25519",
                "x": URL_SAFE_NO_PAD.encode(public),
                "kid": kid,
                "alg": "EdDSA",
                "use": "sig",
            }))
            .collect::<Vec<_>>(),
    }))
}

impl JwtSigner {
    /// A compact JWS: `sub` is the SPIFFE ID, `aud` the audiences, `exp` five minutes out.
    pub fn sign(
        &self,
        spiffe_id: &str,
        audience: &[String],
        now: OffsetDateTime,
    ) -> anyhow::Result<(String, OffsetDateTime)> {
        let expires_at = now + LIFETIME;
        let header = json!({ "alg": "EdDSA", "typ": "JWT", "kid": self.kid });
        let claims = json!({
            "sub": spiffe_id,
            "aud": audience,
            "iat": now.unix_timestamp(),
            "exp": expires_at.unix_timestamp(),
        });
        let signing_input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(serde_json::to_vec(&header)?),
            URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims)?)
        );
        let signature = self.key.sign(signing_input.as_bytes());
        Ok((
            format!(
                "{signing_input}.{}",
                URL_SAFE_NO_PAD.encode(signature.as_ref())
            ),
            expires_at,
        ))
    }
}

/// Audiences must be named; a token for everyone is a token for anyone.
pub fn validate_audience(audience: &[String]) -> Result<(), String> {
    if audience.is_empty() || audience.len() > 10 {
        return Err("name 1–10 audiences (the services that will accept the token)".into());
    }
    if audience
        .iter()
        .any(|entry| entry.is_empty() || entry.chars().count() > 200)
    {
        return Err("each audience must be 1–200 characters".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ring::signature::{ED25519, UnparsedPublicKey};

    #[test]
    fn tokens_verify_with_the_public_key_and_carry_the_claims() {
        let pkcs8 = Ed25519KeyPair::generate_pkcs8(&SystemRandom::new()).expect("key");
        let key = Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).expect("key");
        let public = key.public_key().as_ref().to_vec();
        let signer = JwtSigner {
            kid: "k1".into(),
            key,
        };
        let now = OffsetDateTime::now_utc();
        let (token, expires_at) = signer
            .sign("spiffe://td/agent/1", &["billing".into()], now)
            .expect("sign");
        assert_eq!(expires_at - now, LIFETIME);
        let (input, signature) = token.rsplit_once('.').expect("three parts");
        UnparsedPublicKey::new(&ED25519, &public)
            .verify(
                input.as_bytes(),
                &URL_SAFE_NO_PAD.decode(signature).expect("b64"),
            )
            .expect("signature verifies");
        let claims: Value = serde_json::from_slice(
            &URL_SAFE_NO_PAD
                .decode(input.split('.').nth(1).expect("claims"))
                .expect("b64"),
        )
        .expect("json");
        assert_eq!(claims["sub"], "spiffe://td/agent/1");
        assert_eq!(claims["aud"][0], "billing");
        assert!(validate_audience(&[]).is_err());
    }
}
