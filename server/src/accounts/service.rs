//! Account operations shared by the REST API and the console. Each takes the acting user and
//! checks the role itself, so no caller can skip the check.

use super::auth::{Actor, SessionPolicy, client_ip};
use super::throttle::{self, Limits};
use super::{password, sessions, store};
use crate::audit::{self, AuditEvent};
use crate::error::{Error, Result};
use crate::state::AppState;
use http::request::Parts;
use serde_json::json;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;
use warden_common::accounts::{
    MAX_PASSWORD_CHARS, Me, NewUser, PasswordChange, Permission, Role, User, UserUpdate,
    validate_password, validate_username,
};
use warden_common::api::Page;

/// A signed-in session: the cookie token (goes only into `Set-Cookie`) and the user.
pub struct LoggedIn {
    pub token: String,
    pub max_age_secs: i64,
    pub me: Me,
}

fn normalise_username(username: &str) -> String {
    username.trim().to_lowercase()
}

pub async fn login(
    state: &AppState,
    parts: &Parts,
    username: &str,
    password: &str,
) -> Result<LoggedIn> {
    let username = normalise_username(username);
    if username.is_empty() || password.is_empty() {
        return Err(Error::InvalidInput(
            "username and password are required".into(),
        ));
    }
    if username.len() > 64 || password.chars().count() > MAX_PASSWORD_CHARS {
        return Err(Error::InvalidCredentials);
    }
    let ip = client_ip(state, parts);
    let limits = Limits {
        per_user: state.config.login_max_failures_per_user,
        per_ip: state.config.login_max_failures_per_ip,
        window: Duration::minutes(i64::from(state.config.login_window_minutes)),
    };
    if let Err(error) = throttle::check(&state.db, limits, &username, &ip).await {
        audit::record(
            &state.db,
            AuditEvent::new(
                format!("anonymous@{ip}"),
                "auth.login_throttled",
                format!("user:{username}"),
            ),
        )
        .await?;
        return Err(error);
    }

    let credentials = store::credentials_by_username(&state.db, &username).await?;
    let stored_hash = credentials.as_ref().map(|c| c.password_hash.clone());
    let password_ok = password::verify(password.to_owned(), stored_hash).await?;
    let user = match credentials {
        Some(credentials) if password_ok && !credentials.disabled => credentials,
        _ => {
            let mut tx = state.db.begin().await?;
            throttle::record(&mut *tx, &username, &ip, false).await?;
            audit::record(
                &mut *tx,
                AuditEvent::new(
                    format!("anonymous@{ip}"),
                    "auth.login_failed",
                    format!("user:{username}"),
                ),
            )
            .await?;
            tx.commit().await?;
            return Err(Error::InvalidCredentials);
        }
    };

    let policy = SessionPolicy::from_state(state);
    let user_agent = parts
        .headers
        .get(http::header::USER_AGENT)
        .and_then(|value| value.to_str().ok());
    let mut tx = state.db.begin().await?;
    // A fresh session id on every sign-in; any session the browser already had is ended.
    if let Some(previous) = sessions::token_from_cookies(&parts.headers) {
        sessions::delete(&mut *tx, &sessions::token_hash(&previous)).await?;
    }
    let (token, csrf_token) = sessions::create(
        &mut *tx,
        sessions::NewSession {
            user_id: user.id,
            expires_at: OffsetDateTime::now_utc() + policy.absolute,
            client_ip: &ip,
            user_agent,
        },
    )
    .await?;
    throttle::record(&mut *tx, &username, &ip, true).await?;
    store::record_login(&mut *tx, user.id).await?;
    audit::record(
        &mut *tx,
        AuditEvent::new(&username, "auth.login", format!("user:{username}"))
            .with_details(json!({ "client_ip": ip })),
    )
    .await?;
    tx.commit().await?;

    let user = store::by_id(&state.db, user.id)
        .await?
        .ok_or_else(|| Error::Internal(anyhow::anyhow!("signed-in user vanished")))?
        .into_user()?;
    Ok(LoggedIn {
        token,
        max_age_secs: policy.absolute.whole_seconds(),
        me: Me {
            id: user.id,
            username: user.username,
            display_name: user.display_name,
            role: user.role,
            csrf_token,
        },
    })
}

pub async fn logout(state: &AppState, actor: &Actor) -> Result<()> {
    let mut tx = state.db.begin().await?;
    sessions::delete(&mut *tx, &actor.session_hash).await?;
    audit::record(
        &mut *tx,
        AuditEvent::new(
            &actor.username,
            "auth.logout",
            format!("user:{}", actor.username),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn change_own_password(
    state: &AppState,
    actor: &Actor,
    change: PasswordChange,
) -> Result<()> {
    validate_password(&change.new_password).map_err(Error::InvalidInput)?;
    let credentials = store::credentials_by_id(&state.db, actor.user_id)
        .await?
        .ok_or(Error::Unauthenticated)?;
    if !password::verify(change.current_password, Some(credentials.password_hash)).await? {
        return Err(Error::InvalidInput("the current password is wrong".into()));
    }
    let hash = password::hash(change.new_password).await?;
    let mut tx = state.db.begin().await?;
    store::set_password(&mut *tx, actor.user_id, &hash).await?;
    let ended =
        sessions::delete_for_user(&mut *tx, actor.user_id, Some(&actor.session_hash)).await?;
    audit::record(
        &mut *tx,
        AuditEvent::new(
            &actor.username,
            "user.password_changed",
            format!("user:{}", actor.username),
        )
        .with_details(json!({ "other_sessions_ended": ended })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Most users one page returns.
pub const MAX_PAGE: i64 = 500;

pub async fn list_users(
    state: &AppState,
    actor: &Actor,
    after: Option<&str>,
    limit: Option<i64>,
) -> Result<Page<User>> {
    actor.require(Permission::ReadUsers)?;
    let limit = limit.unwrap_or(100).clamp(1, MAX_PAGE);
    let rows = store::list(&state.db, after, limit + 1).await?;
    let has_more = rows.len() as i64 > limit;
    let items = rows
        .into_iter()
        .take(limit as usize)
        .map(store::UserRow::into_user)
        .collect::<anyhow::Result<Vec<_>>>()?;
    let next_cursor = has_more
        .then(|| items.last().map(|user| user.username.clone()))
        .flatten();
    Ok(Page { items, next_cursor })
}

pub async fn get_user(state: &AppState, actor: &Actor, id: Uuid) -> Result<User> {
    actor.require(Permission::ReadUsers)?;
    let row = store::by_id(&state.db, id)
        .await?
        .ok_or_else(|| not_found(id))?;
    Ok(row.into_user()?)
}

fn not_found(id: Uuid) -> Error {
    Error::NotFound(format!("no user with id {id}"))
}

fn validate_display_name(name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(Error::InvalidInput(
            "display name must be 1–200 characters".into(),
        ));
    }
    Ok(name.to_owned())
}

pub async fn create_user(state: &AppState, actor: &Actor, new: NewUser) -> Result<User> {
    actor.require(Permission::ManageUsers)?;
    let username = normalise_username(&new.username);
    validate_username(&username).map_err(Error::InvalidInput)?;
    validate_password(&new.password).map_err(Error::InvalidInput)?;
    let display_name = validate_display_name(new.display_name.as_deref().unwrap_or(&username))?;
    let hash = password::hash(new.password).await?;
    let mut tx = state.db.begin().await?;
    let row = match store::insert(&mut *tx, &username, &display_name, new.role, &hash).await {
        Ok(row) => row,
        Err(sqlx::Error::Database(error)) if error.is_unique_violation() => {
            return Err(Error::Conflict(format!(
                "a user named {username} already exists"
            )));
        }
        Err(error) => return Err(error.into()),
    };
    audit::record(
        &mut *tx,
        AuditEvent::new(&actor.username, "user.created", format!("user:{username}"))
            .with_details(json!({ "role": new.role, "user_id": row.id })),
    )
    .await?;
    tx.commit().await?;
    Ok(row.into_user()?)
}

pub async fn update_user(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    update: UserUpdate,
) -> Result<User> {
    actor.require(Permission::ManageUsers)?;
    let display_name = update
        .display_name
        .as_deref()
        .map(validate_display_name)
        .transpose()?;
    let mut tx = state.db.begin().await?;
    let current = store::by_id_for_update(&mut *tx, id)
        .await?
        .ok_or_else(|| not_found(id))?
        .into_user()?;
    let role = update.role.unwrap_or(current.role);
    let disabled = update.disabled.unwrap_or(current.disabled);
    let stays_active_admin = role == Role::Admin && !disabled;
    let was_active_admin = current.role == Role::Admin && !current.disabled;
    if was_active_admin
        && !stays_active_admin
        && store::other_active_admins(&mut *tx, id).await? == 0
    {
        return Err(Error::Conflict(
            "this is the last active admin; make someone else an admin first".into(),
        ));
    }
    let display_name = display_name.unwrap_or_else(|| current.display_name.clone());
    let updated = store::update(&mut *tx, id, &display_name, role, disabled)
        .await?
        .into_user()?;
    if disabled && !current.disabled {
        sessions::delete_for_user(&mut *tx, id, None).await?;
    }
    audit::record(
        &mut *tx,
        AuditEvent::new(&actor.username, "user.updated", format!("user:{}", current.username)).with_details(json!({
            "before": { "role": current.role, "disabled": current.disabled, "display_name": current.display_name },
            "after": { "role": updated.role, "disabled": updated.disabled, "display_name": updated.display_name },
        })),
    )
    .await?;
    tx.commit().await?;
    Ok(updated)
}

pub async fn reset_password(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    new_password: String,
) -> Result<()> {
    actor.require(Permission::ManageUsers)?;
    validate_password(&new_password).map_err(Error::InvalidInput)?;
    let hash = password::hash(new_password).await?;
    let mut tx = state.db.begin().await?;
    let user = store::by_id_for_update(&mut *tx, id)
        .await?
        .ok_or_else(|| not_found(id))?;
    store::set_password(&mut *tx, id, &hash).await?;
    let ended = sessions::delete_for_user(&mut *tx, id, None).await?;
    audit::record(
        &mut *tx,
        AuditEvent::new(
            &actor.username,
            "user.password_reset",
            format!("user:{}", user.username),
        )
        .with_details(json!({ "sessions_ended": ended })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes expired sessions and old sign-in attempts every few minutes.
pub fn spawn_housekeeping(state: AppState) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(300));
        loop {
            tick.tick().await;
            let now = OffsetDateTime::now_utc();
            let idle = SessionPolicy::from_state(&state).idle;
            if let Err(error) = sessions::delete_expired(&state.db, now - idle).await {
                tracing::warn!(%error, "cannot delete expired sessions");
            }
            let window = Duration::minutes(i64::from(state.config.login_window_minutes));
            if let Err(error) =
                throttle::prune(&state.db, now - window.max(Duration::days(1))).await
            {
                tracing::warn!(%error, "cannot prune sign-in attempts");
            }
        }
    });
}

pub async fn user_count(state: &AppState) -> Result<i64> {
    Ok(store::count(&state.db).await?)
}
