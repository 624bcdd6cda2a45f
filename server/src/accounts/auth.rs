//! Who is making a request, and whether their role allows what they ask.

use super::sessions;
use crate::error::{Error, Result};
use crate::state::AppState;
use axum::extract::{ConnectInfo, FromRequestParts};
use http::request::Parts;
use std::net::SocketAddr;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;
use warden_common::accounts::{Me, Permission, Role};

/// Header a cookie-authenticated API client echoes the session's CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// An authenticated user acting through a session.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Uuid,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub csrf_token: String,
    pub(super) session_hash: Vec<u8>,
}

impl Actor {
    /// Refuses with 403 unless the role grants `permission`.
    pub fn require(&self, permission: Permission) -> Result<()> {
        if self.role.allows(permission) {
            Ok(())
        } else {
            Err(Error::Forbidden(format!(
                "the {} role may not {}",
                self.role,
                describe(permission)
            )))
        }
    }

    pub fn me(&self) -> Me {
        Me {
            id: self.user_id,
            username: self.username.clone(),
            display_name: self.display_name.clone(),
            role: self.role,
            csrf_token: self.csrf_token.clone(),
        }
    }
}

fn describe(permission: Permission) -> &'static str {
    match permission {
        Permission::ReadOperations => "view operational data",
        Permission::WriteOperations => "change operational data",
        Permission::ReadUsers => "view users",
        Permission::ManageUsers => "manage users",
        Permission::ReadAudit => "read the audit trail",
        Permission::ManageTrust => "rotate the agent CA",
    }
}

/// How long sessions live, from configuration.
#[derive(Debug, Clone, Copy)]
pub struct SessionPolicy {
    pub idle: Duration,
    pub absolute: Duration,
}

impl SessionPolicy {
    pub fn from_state(state: &AppState) -> Self {
        SessionPolicy {
            idle: Duration::minutes(i64::from(state.config.session_idle_minutes)),
            absolute: Duration::hours(i64::from(state.config.session_max_hours)),
        }
    }
}

/// Don't write `last_seen_at` more often than this; every request would otherwise be a write.
const TOUCH_INTERVAL: Duration = Duration::seconds(30);

/// Resolves the session cookie to an actor; `None` when there is no valid session.
pub async fn session_actor(state: &AppState, parts: &Parts) -> Result<Option<Actor>> {
    let Some(token) = sessions::token_from_cookies(&parts.headers) else {
        return Ok(None);
    };
    let hash = sessions::token_hash(&token);
    let Some(row) = sessions::lookup(&state.db, &hash).await? else {
        return Ok(None);
    };
    let now = OffsetDateTime::now_utc();
    let policy = SessionPolicy::from_state(state);
    if row.disabled || row.expires_at <= now || row.last_seen_at + policy.idle <= now {
        sessions::delete(&state.db, &hash).await?;
        return Ok(None);
    }
    if now - row.last_seen_at > TOUCH_INTERVAL {
        sessions::touch(&state.db, &hash).await?;
    }
    let role = row
        .role
        .parse::<Role>()
        .map_err(|error| Error::Internal(anyhow::Error::new(error).context("stored role")))?;
    Ok(Some(Actor {
        user_id: row.user_id,
        username: row.username,
        display_name: row.display_name,
        role,
        csrf_token: row.csrf_token,
        session_hash: hash,
    }))
}

/// The client's address, for throttling and audit records.
pub fn client_ip(state: &AppState, parts: &Parts) -> String {
    if state.config.trust_forwarded_for
        && let Some(forwarded) = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.split(',').next())
    {
        return forwarded.trim().to_owned();
    }
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(address)| address.ip().to_string())
        .unwrap_or_else(|| "unknown".to_owned())
}

/// REST API extractor: requires a valid session and, on state-changing methods, the session's
/// CSRF token in `X-CSRF-Token`.
impl FromRequestParts<AppState> for Actor {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self> {
        let actor = session_actor(state, parts)
            .await?
            .ok_or(Error::Unauthenticated)?;
        if !parts.method.is_safe() {
            let presented = parts
                .headers
                .get(CSRF_HEADER)
                .and_then(|value| value.to_str().ok())
                .unwrap_or_default();
            if !constant_time_eq(presented.as_bytes(), actor.csrf_token.as_bytes()) {
                return Err(Error::Forbidden(
                    "missing or wrong X-CSRF-Token header (GET /api/v1/me returns the token)"
                        .into(),
                ));
            }
        }
        Ok(actor)
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_time_eq_compares_exactly() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"abcd"));
        assert!(!constant_time_eq(b"", b"a"));
    }
}
