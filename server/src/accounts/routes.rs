//! `/api/v1` routes for sign-in, the current user and user management.

use super::auth::Actor;
use super::service;
use super::sessions;
use crate::error::{ApiJson, ApiPath, Error, Result};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{AppendHeaders, IntoResponse};
use http::request::Parts;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;
use warden_common::accounts::{
    LoginRequest, Me, NewUser, PasswordChange, PasswordReset, User, UserUpdate,
};
use warden_common::api::{ErrorBody, Page};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(me))
        .routes(routes!(change_password))
        .routes(routes!(list_users, create_user))
        .routes(routes!(get_user, update_user))
        .routes(routes!(reset_password))
}

/// Signs in and sets the session cookie; the response carries the CSRF token for later writes.
#[utoipa::path(post, path = "/auth/login", tag = "accounts", request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in; `Set-Cookie` carries the session", body = Me),
        (status = 401, description = "Wrong username or password", body = ErrorBody),
        (status = 429, description = "Too many failed attempts", body = ErrorBody),
    ))]
async fn login(
    State(state): State<AppState>,
    parts: Parts,
    ApiJson(request): ApiJson<LoginRequest>,
) -> Result<impl IntoResponse> {
    let logged_in = service::login(&state, &parts, &request.username, &request.password).await?;
    let cookie = sessions::cookie(&logged_in.token, logged_in.max_age_secs);
    Ok((
        AppendHeaders([(header::SET_COOKIE, cookie)]),
        Json(logged_in.me),
    ))
}

/// Ends the current session.
#[utoipa::path(post, path = "/auth/logout", tag = "accounts",
    responses((status = 204, description = "Signed out"), (status = 401, body = ErrorBody)),
    security(("session" = [])))]
async fn logout(State(state): State<AppState>, actor: Actor) -> Result<impl IntoResponse> {
    service::logout(&state, &actor).await?;
    Ok((
        StatusCode::NO_CONTENT,
        AppendHeaders([(header::SET_COOKIE, sessions::clearing_cookie())]),
    ))
}

/// The signed-in user, with the CSRF token to send on writes.
#[utoipa::path(get, path = "/me", tag = "accounts",
    responses((status = 200, body = Me), (status = 401, body = ErrorBody)),
    security(("session" = [])))]
async fn me(actor: Actor) -> Json<Me> {
    Json(actor.me())
}

/// Changes the caller's own password and ends their other sessions.
#[utoipa::path(post, path = "/me/password", tag = "accounts", request_body = PasswordChange,
    responses((status = 204), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = [])))]
async fn change_password(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(change): ApiJson<PasswordChange>,
) -> Result<StatusCode> {
    service::change_own_password(&state, &actor, change).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct ListUsersQuery {
    /// Return users after this username (the previous page's `next_cursor`).
    cursor: Option<String>,
    /// Page size, 1–500 (default 100).
    limit: Option<i64>,
}

/// Lists users by username. Admins and auditors only.
#[utoipa::path(get, path = "/users", tag = "accounts", params(ListUsersQuery),
    responses((status = 200, body = Page<User>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("session" = [])))]
async fn list_users(
    State(state): State<AppState>,
    actor: Actor,
    query: std::result::Result<Query<ListUsersQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Page<User>>> {
    let Query(query) = query.map_err(Error::from)?;
    Ok(Json(
        service::list_users(&state, &actor, query.cursor.as_deref(), query.limit).await?,
    ))
}

/// Creates a user. Admins only.
#[utoipa::path(post, path = "/users", tag = "accounts", request_body = NewUser,
    responses((status = 201, body = User), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = [])))]
async fn create_user(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(new): ApiJson<NewUser>,
) -> Result<(StatusCode, Json<User>)> {
    let user = service::create_user(&state, &actor, new).await?;
    Ok((StatusCode::CREATED, Json(user)))
}

/// One user. Admins and auditors only.
#[utoipa::path(get, path = "/users/{id}", tag = "accounts", params(("id" = Uuid, Path)),
    responses((status = 200, body = User), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = [])))]
async fn get_user(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<User>> {
    Ok(Json(service::get_user(&state, &actor, id).await?))
}

/// Changes a user's display name, role or disabled state. Admins only; the last active admin
/// cannot be demoted or disabled.
#[utoipa::path(patch, path = "/users/{id}", tag = "accounts", params(("id" = Uuid, Path)), request_body = UserUpdate,
    responses((status = 200, body = User), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("session" = [])))]
async fn update_user(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(update): ApiJson<UserUpdate>,
) -> Result<Json<User>> {
    Ok(Json(
        service::update_user(&state, &actor, id, update).await?,
    ))
}

/// Sets a new password for a user and ends their sessions. Admins only.
#[utoipa::path(post, path = "/users/{id}/password", tag = "accounts", params(("id" = Uuid, Path)), request_body = PasswordReset,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = [])))]
async fn reset_password(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(reset): ApiJson<PasswordReset>,
) -> Result<StatusCode> {
    service::reset_password(&state, &actor, id, reset.password).await?;
    Ok(StatusCode::NO_CONTENT)
}
