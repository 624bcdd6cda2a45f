//! `/api/v1/agents`: the registry over REST, so teams can manage agents from their own tooling.

use super::AgentFilter;
use crate::accounts::Actor;
use crate::error::{ApiJson, ApiPath, Error, Result};
use crate::state::AppState;
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;
use warden_common::agents::{Agent, AgentStatus, AgentUpdate, NewAgent, parse_labels};
use warden_common::api::{ErrorBody, Page};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_agents, register_agent))
        .routes(routes!(get_agent, update_agent))
        .routes(routes!(retire_agent))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct ListAgentsQuery {
    /// Case-insensitive text found in the name, purpose or owner team.
    q: Option<String>,
    /// `active` or `retired`.
    status: Option<String>,
    environment: Option<String>,
    /// Labels the agent must carry, as `key=value` pairs separated by commas.
    labels: Option<String>,
    /// The previous page's `next_cursor`.
    cursor: Option<String>,
    /// Page size, 1–500 (default 100).
    limit: Option<i64>,
}

impl ListAgentsQuery {
    fn into_filter(self) -> Result<(AgentFilter, Option<i64>)> {
        let status = self
            .status
            .filter(|status| !status.is_empty())
            .map(|status| status.parse::<AgentStatus>())
            .transpose()
            .map_err(Error::InvalidInput)?;
        let labels = parse_labels(self.labels.as_deref().unwrap_or_default())
            .map_err(Error::InvalidInput)?;
        let filter = AgentFilter {
            text: self
                .q
                .map(|text| text.trim().to_owned())
                .filter(|text| !text.is_empty()),
            status,
            environment: self
                .environment
                .filter(|environment| !environment.is_empty()),
            labels,
            after: self.cursor,
        };
        Ok((filter, self.limit))
    }
}

/// Searches the registry, ordered by name.
#[utoipa::path(get, path = "/agents", tag = "agents", params(ListAgentsQuery),
    responses((status = 200, body = Page<Agent>), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = [])))]
async fn list_agents(
    State(state): State<AppState>,
    actor: Actor,
    query: std::result::Result<Query<ListAgentsQuery>, QueryRejection>,
) -> Result<Json<Page<Agent>>> {
    let Query(query) = query?;
    let (filter, limit) = query.into_filter()?;
    Ok(Json(super::list(&state, &actor, &filter, limit).await?))
}

/// Registers an agent. Admins and security engineers.
#[utoipa::path(post, path = "/agents", tag = "agents", request_body = NewAgent,
    responses((status = 201, body = Agent), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = [])))]
async fn register_agent(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(new): ApiJson<NewAgent>,
) -> Result<(StatusCode, Json<Agent>)> {
    Ok((
        StatusCode::CREATED,
        Json(super::register(&state, &actor, new).await?),
    ))
}

/// One agent.
#[utoipa::path(get, path = "/agents/{id}", tag = "agents", params(("id" = Uuid, Path)),
    responses((status = 200, body = Agent), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = [])))]
async fn get_agent(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<Agent>> {
    Ok(Json(super::get(&state, &actor, id).await?))
}

/// Changes an active agent's owner, purpose, capabilities, environment or labels.
#[utoipa::path(patch, path = "/agents/{id}", tag = "agents", params(("id" = Uuid, Path)), request_body = AgentUpdate,
    responses((status = 200, body = Agent), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = [])))]
async fn update_agent(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(update): ApiJson<AgentUpdate>,
) -> Result<Json<Agent>> {
    Ok(Json(super::update(&state, &actor, id, update).await?))
}

/// Retires an agent. Its record stays; it can no longer be changed and its name is not reused.
#[utoipa::path(post, path = "/agents/{id}/retire", tag = "agents", params(("id" = Uuid, Path)),
    responses((status = 200, body = Agent), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("session" = [])))]
async fn retire_agent(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<Agent>> {
    Ok(Json(super::retire(&state, &actor, id).await?))
}
