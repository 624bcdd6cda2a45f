//! Server-side sessions: a random token in an `HttpOnly` cookie, its SHA-256 in the database.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use rand::rngs::OsRng;
use sha2::{Digest, Sha256};
use sqlx::{FromRow, PgExecutor};
use time::OffsetDateTime;
use uuid::Uuid;

pub const COOKIE_NAME: &str = "warden_session";

/// 256 random bits, URL-safe.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

pub fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

#[derive(Debug, FromRow)]
pub struct SessionRow {
    pub csrf_token: String,
    pub last_seen_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    pub user_id: Uuid,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub disabled: bool,
}

pub struct NewSession<'a> {
    pub user_id: Uuid,
    pub expires_at: OffsetDateTime,
    pub client_ip: &'a str,
    pub user_agent: Option<&'a str>,
}

/// Creates a session and returns its token (for the cookie) and CSRF token.
pub async fn create(
    db: impl PgExecutor<'_>,
    session: NewSession<'_>,
) -> sqlx::Result<(String, String)> {
    let token = random_token();
    let csrf_token = random_token();
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, csrf_token, expires_at, client_ip, user_agent) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(token_hash(&token))
    .bind(session.user_id)
    .bind(&csrf_token)
    .bind(session.expires_at)
    .bind(session.client_ip)
    .bind(
        session
            .user_agent
            .map(|agent| agent.chars().take(512).collect::<String>()),
    )
    .execute(db)
    .await?;
    Ok((token, csrf_token))
}

pub async fn lookup(db: impl PgExecutor<'_>, hash: &[u8]) -> sqlx::Result<Option<SessionRow>> {
    sqlx::query_as(
        "SELECT s.csrf_token, s.last_seen_at, s.expires_at, u.id AS user_id, u.username, \
         u.display_name, u.role, u.disabled \
         FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1",
    )
    .bind(hash)
    .fetch_optional(db)
    .await
}

pub async fn touch(db: impl PgExecutor<'_>, hash: &[u8]) -> sqlx::Result<()> {
    sqlx::query("UPDATE sessions SET last_seen_at = now() WHERE token_hash = $1")
        .bind(hash)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn delete(db: impl PgExecutor<'_>, hash: &[u8]) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(hash)
        .execute(db)
        .await?;
    Ok(())
}

/// Ends every session of a user except, optionally, the one making the request.
pub async fn delete_for_user(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    keep: Option<&[u8]>,
) -> sqlx::Result<u64> {
    let result = sqlx::query(
        "DELETE FROM sessions WHERE user_id = $1 AND ($2::bytea IS NULL OR token_hash <> $2)",
    )
    .bind(user_id)
    .bind(keep)
    .execute(db)
    .await?;
    Ok(result.rows_affected())
}

pub async fn delete_expired(
    db: impl PgExecutor<'_>,
    idle_cutoff: OffsetDateTime,
) -> sqlx::Result<u64> {
    let result = sqlx::query("DELETE FROM sessions WHERE expires_at < now() OR last_seen_at < $1")
        .bind(idle_cutoff)
        .execute(db)
        .await?;
    Ok(result.rows_affected())
}

/// `Set-Cookie` value for a new session.
pub fn cookie(token: &str, max_age_secs: i64) -> String {
    format!(
        "{COOKIE_NAME}={token}; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age={max_age_secs}"
    )
}

/// `Set-Cookie` value that removes the session cookie.
pub fn clearing_cookie() -> String {
    format!("{COOKIE_NAME}=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0")
}

/// The session token from a `Cookie` header, if present.
pub fn token_from_cookies(headers: &http::HeaderMap) -> Option<String> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE_NAME)
        .map(|(_, value)| value.to_owned())
        .filter(|value| !value.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_and_distinct() {
        let a = random_token();
        assert_eq!(a.len(), 43);
        assert_ne!(a, random_token());
    }

    #[test]
    fn cookie_has_every_protective_attribute() {
        let cookie = cookie("abc", 60);
        for attribute in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/"] {
            assert!(cookie.contains(attribute), "{cookie} lacks {attribute}");
        }
    }

    #[test]
    fn token_is_found_among_other_cookies() {
        let mut headers = http::HeaderMap::new();
        headers.insert(
            http::header::COOKIE,
            http::HeaderValue::from_static("theme=dark; warden_session=tok123; other=1"),
        );
        assert_eq!(token_from_cookies(&headers).as_deref(), Some("tok123"));
        headers.insert(
            http::header::COOKIE,
            http::HeaderValue::from_static("warden_session="),
        );
        assert_eq!(token_from_cookies(&headers), None);
    }
}
