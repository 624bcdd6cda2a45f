//! `/api/v1/policy` routes, so policy can live in a team's git repository and be pushed by CI.

use super::{DraftOverride, ModuleSource, Proposal, TryRequest};
use crate::accounts::Actor;
use crate::error::{ApiJson, ApiPath, ApiQuery, Error, Result};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;
use warden_common::api::ErrorBody;
use warden_common::policy::{
    DecisionView, DraftCheck, DriftReport, GrantView, PolicyModule, PolicySettings, PolicyVersion,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_grants))
        .routes(routes!(put_grant, delete_grant))
        .routes(routes!(list_modules, put_module, delete_module))
        .routes(routes!(check))
        .routes(routes!(try_it))
        .routes(routes!(list_versions, propose))
        .routes(routes!(approve))
        .routes(routes!(reject))
        .routes(routes!(diff))
        .routes(routes!(get_settings, put_settings))
        .routes(routes!(signing_key))
        .routes(routes!(drift))
}

/// The draft's grants, each with its sentence and generated Rego tests.
#[utoipa::path(get, path = "/policy/grants", tag = "policy",
    responses((status = 200, body = Vec<GrantView>), (status = 401, body = ErrorBody)),
    security(("session" = [])))]
async fn list_grants(State(state): State<AppState>, actor: Actor) -> Result<Json<Vec<GrantView>>> {
    Ok(Json(super::list_grants(&state, &actor).await?))
}

/// Creates or replaces a grant of the draft. The body is the grant; its `id` must match the path
/// (or be left out).
#[utoipa::path(put, path = "/policy/grants/{id}", tag = "policy", params(("id" = String, Path)),
    request_body = Object,
    responses((status = 200, body = GrantView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = [])))]
async fn put_grant(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<String>,
    ApiJson(mut grant): ApiJson<serde_json::Value>,
) -> Result<Json<GrantView>> {
    let object = grant
        .as_object_mut()
        .ok_or_else(|| Error::InvalidInput("a grant is a JSON object".into()))?;
    match object.get("id") {
        None => {
            object.insert("id".into(), serde_json::Value::String(id));
        }
        Some(body_id) if body_id.as_str() == Some(id.as_str()) => {}
        Some(_) => {
            return Err(Error::InvalidInput(
                "the grant's id differs from the path".into(),
            ));
        }
    }
    Ok(Json(super::put_grant(&state, &actor, grant).await?))
}

#[utoipa::path(delete, path = "/policy/grants/{id}", tag = "policy", params(("id" = String, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = [])))]
async fn delete_grant(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<String>,
) -> Result<StatusCode> {
    super::delete_grant(&state, &actor, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct ModulePath {
    /// e.g. `custom/exports.rego`.
    path: String,
}

/// The draft's custom Rego modules.
#[utoipa::path(get, path = "/policy/modules", tag = "policy",
    responses((status = 200, body = Vec<PolicyModule>), (status = 401, body = ErrorBody)),
    security(("session" = [])))]
async fn list_modules(
    State(state): State<AppState>,
    actor: Actor,
) -> Result<Json<Vec<PolicyModule>>> {
    Ok(Json(super::list_modules(&state, &actor).await?))
}

/// Saves a custom module; refused with `file:line:column` unless the draft compiles with it.
#[utoipa::path(put, path = "/policy/modules", tag = "policy", params(ModulePath), request_body = ModuleSource,
    responses((status = 200, body = PolicyModule), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = [])))]
async fn put_module(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(query): ApiQuery<ModulePath>,
    ApiJson(source): ApiJson<ModuleSource>,
) -> Result<Json<PolicyModule>> {
    Ok(Json(
        super::put_module(&state, &actor, &query.path, source.rego).await?,
    ))
}

#[utoipa::path(delete, path = "/policy/modules", tag = "policy", params(ModulePath),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = [])))]
async fn delete_module(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(query): ApiQuery<ModulePath>,
) -> Result<StatusCode> {
    super::delete_module(&state, &actor, &query.path).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Compiles the draft (optionally with one module replaced by unsaved text) and runs every Rego
/// test; problems carry file, line and column.
#[utoipa::path(post, path = "/policy/check", tag = "policy", request_body = DraftOverride,
    responses((status = 200, body = DraftCheck), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = [])))]
async fn check(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(change): ApiJson<DraftOverride>,
) -> Result<Json<DraftCheck>> {
    Ok(Json(super::check_draft(&state, &actor, change).await?))
}

/// Evaluates a sample action for an agent against the draft (or the published version) with the
/// enforcers' engine.
#[utoipa::path(post, path = "/policy/try", tag = "policy", request_body = TryRequest,
    responses((status = 200, body = DecisionView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = [])))]
async fn try_it(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(request): ApiJson<TryRequest>,
) -> Result<Json<DecisionView>> {
    Ok(Json(super::try_it(&state, &actor, request).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct VersionPage {
    /// Versions older than this one (the last version of the previous page).
    before: Option<u64>,
    /// Page size, 1–100 (default 50).
    limit: Option<i64>,
}

/// Policy versions, newest first.
#[utoipa::path(get, path = "/policy/versions", tag = "policy", params(VersionPage),
    responses((status = 200, body = Vec<PolicyVersion>), (status = 401, body = ErrorBody)),
    security(("session" = [])))]
async fn list_versions(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(page): ApiQuery<VersionPage>,
) -> Result<Json<Vec<PolicyVersion>>> {
    Ok(Json(
        super::list_versions(&state, &actor, page.before, page.limit).await?,
    ))
}

/// Snapshots the draft as the next version: published at once, or pending a second person's
/// approval when the setting is on. Refused unless it compiles and every Rego test passes.
#[utoipa::path(post, path = "/policy/versions", tag = "policy", request_body = Proposal,
    responses((status = 201, body = PolicyVersion), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = [])))]
async fn propose(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(proposal): ApiJson<Proposal>,
) -> Result<(StatusCode, Json<PolicyVersion>)> {
    Ok((
        StatusCode::CREATED,
        Json(super::propose(&state, &actor, proposal).await?),
    ))
}

/// Approves and publishes a pending version; the proposer cannot approve their own.
#[utoipa::path(post, path = "/policy/versions/{version}/approve", tag = "policy", params(("version" = u64, Path)),
    responses((status = 200, body = PolicyVersion), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("session" = [])))]
async fn approve(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(version): ApiPath<u64>,
) -> Result<Json<PolicyVersion>> {
    Ok(Json(super::approve(&state, &actor, version).await?))
}

#[utoipa::path(post, path = "/policy/versions/{version}/reject", tag = "policy", params(("version" = u64, Path)),
    responses((status = 200, body = PolicyVersion), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("session" = [])))]
async fn reject(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(version): ApiPath<u64>,
) -> Result<Json<PolicyVersion>> {
    Ok(Json(super::reject(&state, &actor, version).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct DiffQuery {
    /// Compare with this version (default: the one before).
    against: Option<u64>,
}

/// A unified diff of a version's grants and modules against another version.
#[utoipa::path(get, path = "/policy/versions/{version}/diff", tag = "policy", params(("version" = u64, Path), DiffQuery),
    responses((status = 200, description = "Unified diff", content_type = "text/plain", body = String), (status = 404, body = ErrorBody)),
    security(("session" = [])))]
async fn diff(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(version): ApiPath<u64>,
    ApiQuery(query): ApiQuery<DiffQuery>,
) -> Result<impl IntoResponse> {
    let diff = super::diff(&state, &actor, version, query.against).await?;
    Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], diff))
}

#[utoipa::path(get, path = "/policy/settings", tag = "policy",
    responses((status = 200, body = PolicySettings), (status = 401, body = ErrorBody)),
    security(("session" = [])))]
async fn get_settings(State(state): State<AppState>, actor: Actor) -> Result<Json<PolicySettings>> {
    Ok(Json(super::settings(&state, &actor).await?))
}

/// Turns second-person approval of publishes on or off (admins).
#[utoipa::path(put, path = "/policy/settings", tag = "policy", request_body = PolicySettings,
    responses((status = 200, body = PolicySettings), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = [])))]
async fn put_settings(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(settings): ApiJson<PolicySettings>,
) -> Result<Json<PolicySettings>> {
    Ok(Json(
        super::update_settings(&state, &actor, settings).await?,
    ))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SigningKey {
    /// Hex of the first 8 bytes of SHA-256 of the public key; bundles name it.
    pub key_id: String,
    /// Ed25519 public key, standard base64: give it to enforcers as `WARDEN_POLICY_KEYS`.
    pub public_key: String,
}

/// The public key that verifies policy bundles.
#[utoipa::path(get, path = "/policy/signing-key", tag = "policy",
    responses((status = 200, body = SigningKey)))]
async fn signing_key(State(state): State<AppState>) -> Json<SigningKey> {
    let (key_id, public_key) = super::verifying_key(&state);
    Json(SigningKey { key_id, public_key })
}

/// The agent's newest least-privilege review: effective permissions, over-privileged and broken
/// ones, and broad grants.
#[utoipa::path(get, path = "/agents/{id}/drift", tag = "policy", params(("id" = Uuid, Path)),
    responses((status = 200, body = DriftReport), (status = 404, description = "Unknown agent, or no published version reviewed it yet", body = ErrorBody)),
    security(("session" = [])))]
async fn drift(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<DriftReport>> {
    super::latest_review(&state, &actor, id)
        .await?
        .map(Json)
        .ok_or_else(|| {
            Error::NotFound("no published policy version has reviewed this agent yet".into())
        })
}
