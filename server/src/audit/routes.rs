//! `/api/v1/audit`: search, events, proofs, checkpoints and export, so auditors can check the
//! trail with their own tools.

use super::service;
use crate::accounts::Actor;
use crate::error::{ApiPath, Error, Result};
use crate::state::AppState;
use axum::Json;
use axum::body::Body;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use warden_common::api::ErrorBody;
use warden_common::audit::{
    AuditEvent, AuditSearch, AuditSearchPage, Checkpoint, ConsistencyProof, InclusionProof, LogKey,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(search_events))
        .routes(routes!(get_event))
        .routes(routes!(event_proof))
        .routes(routes!(list_checkpoints))
        .routes(routes!(latest_checkpoint))
        .routes(routes!(consistency_proof))
        .routes(routes!(log_key))
        .routes(routes!(export_events))
}

/// Searches the audit trail, newest first, with facet counts over the whole result.
#[utoipa::path(get, path = "/audit/events", tag = "audit", params(AuditSearch),
    responses((status = 200, body = AuditSearchPage), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = [])))]
async fn search_events(
    State(state): State<AppState>,
    actor: Actor,
    query: std::result::Result<Query<AuditSearch>, QueryRejection>,
) -> Result<Json<AuditSearchPage>> {
    let Query(query) = query?;
    Ok(Json(service::search(&state, &actor, query).await?))
}

/// One event, with the exact entry that was hashed into the log.
#[utoipa::path(get, path = "/audit/events/{seq}", tag = "audit", params(("seq" = u64, Path, description = "Leaf index")),
    responses((status = 200, body = AuditEvent), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = [])))]
async fn get_event(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(seq): ApiPath<u64>,
) -> Result<Json<AuditEvent>> {
    Ok(Json(service::event(&state, &actor, seq).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct ProofQuery {
    /// Size of the checkpoint to prove against; the newest when absent.
    size: Option<u64>,
}

/// Inclusion proof of an event in a signed checkpoint (RFC 9162 §2.1.3).
#[utoipa::path(get, path = "/audit/events/{seq}/proof", tag = "audit", params(("seq" = u64, Path, description = "Leaf index"), ProofQuery),
    responses((status = 200, body = InclusionProof), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("session" = [])))]
async fn event_proof(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(seq): ApiPath<u64>,
    query: std::result::Result<Query<ProofQuery>, QueryRejection>,
) -> Result<Json<InclusionProof>> {
    let Query(query) = query?;
    Ok(Json(
        service::inclusion(&state, &actor, seq, query.size).await?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct CheckpointsQuery {
    /// Only checkpoints smaller than this size (the previous page's last size).
    before: Option<u64>,
    /// Page size, 1–500 (default 50).
    limit: Option<i64>,
}

/// Signed checkpoints, newest first.
#[utoipa::path(get, path = "/audit/checkpoints", tag = "audit", params(CheckpointsQuery),
    responses((status = 200, body = Vec<Checkpoint>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = [])))]
async fn list_checkpoints(
    State(state): State<AppState>,
    actor: Actor,
    query: std::result::Result<Query<CheckpointsQuery>, QueryRejection>,
) -> Result<Json<Vec<Checkpoint>>> {
    let Query(query) = query?;
    Ok(Json(
        service::checkpoints(&state, &actor, query.before, query.limit).await?,
    ))
}

/// The newest signed checkpoint.
#[utoipa::path(get, path = "/audit/checkpoints/latest", tag = "audit",
    responses((status = 200, body = Checkpoint), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = [])))]
async fn latest_checkpoint(
    State(state): State<AppState>,
    actor: Actor,
) -> Result<Json<Checkpoint>> {
    Ok(Json(service::latest_checkpoint(&state, &actor).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct ConsistencyQuery {
    /// Size of the older checkpoint.
    from: u64,
    /// Size of the newer checkpoint.
    to: u64,
}

/// Consistency proof between two signed checkpoints (RFC 9162 §2.1.4).
#[utoipa::path(get, path = "/audit/consistency", tag = "audit", params(ConsistencyQuery),
    responses((status = 200, body = ConsistencyProof), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = [])))]
async fn consistency_proof(
    State(state): State<AppState>,
    actor: Actor,
    query: std::result::Result<Query<ConsistencyQuery>, QueryRejection>,
) -> Result<Json<ConsistencyProof>> {
    let Query(query) = query?;
    Ok(Json(
        service::consistency(&state, &actor, query.from, query.to).await?,
    ))
}

/// The key that verifies checkpoints, as a signed-note verifier key.
#[utoipa::path(get, path = "/audit/key", tag = "audit",
    responses((status = 200, body = LogKey), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("session" = [])))]
async fn log_key(State(state): State<AppState>, actor: Actor) -> Result<Json<LogKey>> {
    Ok(Json(service::key(&state, &actor)?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct ExportQuery {
    /// `ndjson` (default) or `csv`.
    format: Option<String>,
}

/// Streams every event matching a search (the same filters as `/audit/events`; `offset` and
/// `limit` are ignored), each with its inclusion proof in the newest checkpoint. NDJSON starts
/// with one line holding the checkpoint and the verifier key.
#[utoipa::path(get, path = "/audit/export", tag = "audit", params(ExportQuery, AuditSearch),
    responses((status = 200, description = "NDJSON or CSV stream", content_type = "application/x-ndjson"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = [])))]
async fn export_events(
    State(state): State<AppState>,
    actor: Actor,
    format: std::result::Result<Query<ExportQuery>, QueryRejection>,
    search: std::result::Result<Query<AuditSearch>, QueryRejection>,
) -> Result<Response> {
    let Query(format) = format?;
    let Query(search) = search?;
    let format = match format.format.as_deref().unwrap_or("ndjson") {
        "ndjson" => super::export::ExportFormat::Ndjson,
        "csv" => super::export::ExportFormat::Csv,
        other => {
            return Err(Error::InvalidInput(format!(
                "`format` must be `ndjson` or `csv`, not `{other}`"
            )));
        }
    };
    let lines = super::export::export_search(state, &actor, search, format).await?;
    let content_type = match format {
        super::export::ExportFormat::Ndjson => "application/x-ndjson",
        super::export::ExportFormat::Csv => "text/csv; charset=utf-8",
    };
    let filename = match format {
        super::export::ExportFormat::Ndjson => "warden-audit.ndjson",
        super::export::ExportFormat::Csv => "warden-audit.csv",
    };
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        Body::from_stream(lines),
    )
        .into_response())
}
