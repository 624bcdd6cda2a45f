//! `/api/v1` routes of agent identity.

use super::{EnrollRequest, NewJoinToken, Svid};
use crate::accounts::Actor;
use crate::error::{ApiJson, ApiPath, ApiQuery, Result};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;
use warden_common::api::{ErrorBody, Page};
use warden_common::identity::{CaCertificate, CaRotation, Certificate, JoinToken};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_join_token))
        .routes(routes!(enroll))
        .routes(routes!(bundle))
        .routes(routes!(jwks))
        .routes(routes!(crl))
        .routes(routes!(revoke_agent))
        .routes(routes!(revoke_certificate))
        .routes(routes!(list_certificates))
        .routes(routes!(list_ca))
        .routes(routes!(rotate_ca))
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct ListCertificatesQuery {
    /// The previous page's `next_cursor`.
    cursor: Option<String>,
    /// Page size, 1–200 (default 50).
    limit: Option<i64>,
}

/// An agent's certificates, newest first, each with its state.
#[utoipa::path(get, path = "/agents/{id}/certificates", tag = "identity", params(("id" = Uuid, Path), ListCertificatesQuery),
    responses((status = 200, body = Page<Certificate>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = [])))]
async fn list_certificates(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
    ApiQuery(query): ApiQuery<ListCertificatesQuery>,
) -> Result<Json<Page<Certificate>>> {
    Ok(Json(
        super::list_certificates(&state, &actor, id, query.cursor.as_deref(), query.limit).await?,
    ))
}

/// The agent CA: roots and intermediates, which one signs, and which are in the bundle.
#[utoipa::path(get, path = "/identity/ca", tag = "identity",
    responses((status = 200, body = Vec<CaCertificate>), (status = 403, body = ErrorBody)),
    security(("session" = [])))]
async fn list_ca(State(state): State<AppState>, actor: Actor) -> Result<Json<Vec<CaCertificate>>> {
    Ok(Json(super::list_ca(&state, &actor).await?))
}

/// Rotates the agent CA (admins only). Agents holding certificates from the replaced CA keep
/// working until those expire, unless `distrust_previous` is set.
#[utoipa::path(post, path = "/identity/ca/rotate", tag = "identity", request_body = CaRotation,
    responses((status = 200, body = Vec<CaCertificate>), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = [])))]
async fn rotate_ca(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(rotation): ApiJson<CaRotation>,
) -> Result<Json<Vec<CaCertificate>>> {
    Ok(Json(super::rotate_ca(&state, &actor, rotation).await?))
}

/// Creates a single-use join token for an agent's first certificate. Shown once.
#[utoipa::path(post, path = "/agents/{id}/join-tokens", tag = "identity", params(("id" = Uuid, Path)), request_body = NewJoinToken,
    responses((status = 201, body = JoinToken), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = [])))]
async fn create_join_token(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(request): ApiJson<NewJoinToken>,
) -> Result<(StatusCode, Json<JoinToken>)> {
    Ok((
        StatusCode::CREATED,
        Json(super::create_join_token(&state, &actor, id, request).await?),
    ))
}

/// Exchanges a join token and a CSR for the agent's first X.509-SVID. Authenticated by the
/// token alone; the agent's private key never leaves the agent.
#[utoipa::path(post, path = "/identity/enroll", tag = "identity", request_body = EnrollRequest,
    responses((status = 200, body = Svid), (status = 401, description = "Unknown, used or expired token", body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn enroll(
    State(state): State<AppState>,
    ApiJson(request): ApiJson<EnrollRequest>,
) -> Result<Json<Svid>> {
    Ok(Json(super::enroll(&state, request).await?))
}

/// The trust bundle (PEM): the agent root CA and current intermediates.
#[utoipa::path(get, path = "/identity/bundle", tag = "identity",
    responses((status = 200, description = "PEM certificates", content_type = "application/x-pem-file", body = String)))]
async fn bundle(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/x-pem-file")],
        state.ca.current().bundle_pem.clone(),
    )
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Revoked {
    /// How many certificates this call revoked.
    pub revoked: u64,
}

/// Revokes every unexpired certificate of an agent.
#[utoipa::path(post, path = "/agents/{id}/revoke", tag = "identity", params(("id" = Uuid, Path)),
    responses((status = 200, body = Revoked), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = [])))]
async fn revoke_agent(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<Revoked>> {
    Ok(Json(Revoked {
        revoked: super::revoke_agent(&state, &actor, id).await?,
    }))
}

/// Revokes one certificate by its serial number (hex).
#[utoipa::path(post, path = "/certificates/{serial}/revoke", tag = "identity", params(("serial" = String, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("session" = [])))]
async fn revoke_certificate(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(serial): ApiPath<String>,
) -> Result<StatusCode> {
    super::revoke_certificate(&state, &actor, &serial).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The JSON Web Key Set that verifies JWT-SVIDs (Ed25519, `alg` EdDSA).
#[utoipa::path(get, path = "/identity/jwks", tag = "identity",
    responses((status = 200, description = "JWKS", body = Object), (status = 500, body = ErrorBody)))]
async fn jwks(State(state): State<AppState>) -> Result<Json<serde_json::Value>> {
    Ok(Json(
        super::jwt::jwks(&state.db, &state.ca.current().trust_domain).await?,
    ))
}

/// The current certificate revocation list (PEM), signed by the issuing intermediate.
#[utoipa::path(get, path = "/identity/crl", tag = "identity",
    responses((status = 200, description = "PEM CRL", content_type = "application/x-pem-file", body = String), (status = 500, body = ErrorBody)))]
async fn crl(State(state): State<AppState>) -> Result<impl IntoResponse> {
    let crl = state.ca.current().crl(&state.db).await?;
    Ok((
        [(header::CONTENT_TYPE, "application/x-pem-file")],
        crl.crl_pem,
    ))
}
