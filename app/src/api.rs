//! Console server functions. Each one is a thin call into the [`ConsoleBackend`]
//! (`crate::backend`), which authenticates and authorises the request.

use crate::error::ConsoleError;
use leptos::prelude::*;
use uuid::Uuid;
use warden_common::accounts::{Me, Role, User, UserUpdate};
#[cfg(feature = "ssr")]
use warden_common::accounts::{NewUser, PasswordChange};
use warden_common::fleet::Enforcer;

#[cfg(feature = "ssr")]
mod ssr {
    use crate::backend::ConsoleBackend;
    use crate::error::ConsoleError;
    use http::request::Parts;
    use leptos::prelude::*;
    use std::sync::Arc;

    /// The backend and this request's parts, both provided by the control plane's router.
    pub fn context() -> Result<(Arc<dyn ConsoleBackend>, Parts), ConsoleError> {
        let backend = use_context::<Arc<dyn ConsoleBackend>>()
            .ok_or_else(|| ConsoleError::Internal("console backend missing".into()))?;
        let parts = use_context::<Parts>()
            .ok_or_else(|| ConsoleError::Internal("request context missing".into()))?;
        Ok((backend, parts))
    }

    /// Sets the HTTP status of a failed call so it is never reported as a server fault.
    pub fn respond<T>(result: Result<T, ConsoleError>) -> Result<T, ConsoleError> {
        if let Err(error) = &result
            && let Some(options) = use_context::<leptos_axum::ResponseOptions>()
            && let Ok(status) = http::StatusCode::from_u16(error.status())
        {
            options.set_status(status);
        }
        result
    }
}

#[server(prefix = "/console/fn", endpoint = "me")]
pub async fn current_user() -> Result<Option<Me>, ConsoleError> {
    let (backend, parts) = ssr::context()?;
    ssr::respond(backend.me(&parts).await)
}

#[server(prefix = "/console/fn", endpoint = "login")]
pub async fn login(username: String, password: String) -> Result<Me, ConsoleError> {
    let (backend, parts) = ssr::context()?;
    let outcome = ssr::respond(backend.login(&parts, username, password).await)?;
    if let Some(options) = use_context::<leptos_axum::ResponseOptions>() {
        options.insert_header(http::header::SET_COOKIE, outcome.set_cookie);
    }
    Ok(outcome.me)
}

#[server(prefix = "/console/fn", endpoint = "logout")]
pub async fn logout() -> Result<(), ConsoleError> {
    let (backend, parts) = ssr::context()?;
    let clear_cookie = ssr::respond(backend.logout(&parts).await)?;
    if let Some(options) = use_context::<leptos_axum::ResponseOptions>() {
        options.insert_header(http::header::SET_COOKIE, clear_cookie);
    }
    Ok(())
}

#[server(prefix = "/console/fn", endpoint = "change_password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
) -> Result<(), ConsoleError> {
    let (backend, parts) = ssr::context()?;
    let change = PasswordChange {
        current_password,
        new_password,
    };
    ssr::respond(backend.change_own_password(&parts, change).await)
}

#[server(prefix = "/console/fn", endpoint = "list_users")]
pub async fn list_users() -> Result<Vec<User>, ConsoleError> {
    let (backend, parts) = ssr::context()?;
    ssr::respond(backend.list_users(&parts).await)
}

#[server(prefix = "/console/fn", endpoint = "create_user")]
pub async fn create_user(
    username: String,
    display_name: String,
    role: Role,
    password: String,
) -> Result<User, ConsoleError> {
    let (backend, parts) = ssr::context()?;
    let display_name = Some(display_name).filter(|name| !name.trim().is_empty());
    let user = NewUser {
        username,
        display_name,
        role,
        password,
    };
    ssr::respond(backend.create_user(&parts, user).await)
}

#[server(prefix = "/console/fn", endpoint = "update_user")]
pub async fn update_user(id: Uuid, update: UserUpdate) -> Result<User, ConsoleError> {
    let (backend, parts) = ssr::context()?;
    ssr::respond(backend.update_user(&parts, id, update).await)
}

#[server(prefix = "/console/fn", endpoint = "reset_password")]
pub async fn reset_password(id: Uuid, password: String) -> Result<(), ConsoleError> {
    let (backend, parts) = ssr::context()?;
    ssr::respond(backend.reset_password(&parts, id, password).await)
}

#[server(prefix = "/console/fn", endpoint = "list_enforcers")]
pub async fn list_enforcers() -> Result<Vec<Enforcer>, ConsoleError> {
    let (backend, parts) = ssr::context()?;
    ssr::respond(backend.list_enforcers(&parts).await)
}
