//! The agent registry: register, describe, search and retire agents. Every change is audited.

pub mod routes;
mod store;

use crate::accounts::Actor;
use crate::audit::{self, AuditEvent};
use crate::error::{Error, Result};
use crate::state::AppState;
use serde_json::json;
use uuid::Uuid;
use warden_common::accounts::Permission;
use warden_common::agents::{Agent, AgentStatus, AgentUpdate, NewAgent};
use warden_common::api::Page;

pub use store::AgentFilter;

/// Most agents one page returns.
pub const MAX_PAGE: i64 = 500;

pub async fn list(
    state: &AppState,
    actor: &Actor,
    filter: &AgentFilter,
    limit: Option<i64>,
) -> Result<Page<Agent>> {
    actor.require(Permission::ReadOperations)?;
    let limit = limit.unwrap_or(100).clamp(1, MAX_PAGE);
    let mut agents = store::search(&state.db, filter, limit + 1).await?;
    store::attach_credentials(&state.db, &mut agents).await?;
    let next_cursor = if agents.len() as i64 > limit {
        agents.truncate(limit as usize);
        agents.last().map(|agent| agent.name.clone())
    } else {
        None
    };
    Ok(Page {
        items: agents,
        next_cursor,
    })
}

pub async fn get(state: &AppState, actor: &Actor, id: Uuid) -> Result<Agent> {
    actor.require(Permission::ReadOperations)?;
    let agent = store::by_id(&state.db, id)
        .await?
        .ok_or_else(|| not_found(id))?;
    with_credential(&state.db, agent).await
}

async fn with_credential(db: impl sqlx::PgExecutor<'_>, agent: Agent) -> Result<Agent> {
    let mut agents = [agent];
    store::attach_credentials(db, &mut agents).await?;
    let [agent] = agents;
    Ok(agent)
}

/// An agent by id, for callers that authenticate by other means (a join token).
pub(crate) async fn store_get(db: impl sqlx::PgExecutor<'_>, id: Uuid) -> Result<Option<Agent>> {
    Ok(store::by_id(db, id).await?)
}

fn not_found(id: Uuid) -> Error {
    Error::NotFound(format!("no agent with id {id}"))
}

pub async fn register(state: &AppState, actor: &Actor, new: NewAgent) -> Result<Agent> {
    actor.require(Permission::WriteOperations)?;
    new.validate().map_err(Error::InvalidInput)?;
    let mut tx = state.db.begin().await?;
    let agent = match store::insert(&mut *tx, &new, &actor.username).await {
        Ok(agent) => agent,
        Err(sqlx::Error::Database(error)) if error.is_unique_violation() => {
            return Err(Error::Conflict(format!(
                "an agent named {} already exists (names of retired agents are not reused)",
                new.name
            )));
        }
        Err(error) => return Err(error.into()),
    };
    audit::record(
        &mut *tx,
        AuditEvent::new(
            &actor.username,
            "agent.registered",
            format!("agent:{}", agent.name),
        )
        .with_details(json!({ "agent_id": agent.id, "agent": &agent })),
    )
    .await?;
    tx.commit().await?;
    crate::policy::sync_agent(state, &agent).await;
    Ok(agent)
}

/// Every agent, active or retired, for the fleet's directory.
pub(crate) async fn all_for_fleet(db: &sqlx::PgPool) -> sqlx::Result<Vec<Agent>> {
    store::all(db).await
}

/// Every active agent, for least-privilege review.
pub(crate) async fn all_active(db: &sqlx::PgPool) -> sqlx::Result<Vec<Agent>> {
    Ok(store::all(db)
        .await?
        .into_iter()
        .filter(|agent| agent.status == AgentStatus::Active)
        .collect())
}

pub async fn update(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    update: AgentUpdate,
) -> Result<Agent> {
    actor.require(Permission::WriteOperations)?;
    update.validate().map_err(Error::InvalidInput)?;
    let mut tx = state.db.begin().await?;
    let current = store::by_id_for_update(&mut *tx, id)
        .await?
        .ok_or_else(|| not_found(id))?;
    if current.status == AgentStatus::Retired {
        return Err(Error::Conflict(format!(
            "agent {} is retired and cannot be changed",
            current.name
        )));
    }
    let mut next = current.clone();
    if let Some(team) = update.owner_team {
        next.owner_team = team.trim().to_owned();
    }
    if let Some(purpose) = update.purpose {
        next.purpose = purpose.trim().to_owned();
    }
    if let Some(capabilities) = update.capabilities {
        next.capabilities = capabilities;
    }
    if let Some(environment) = update.environment {
        next.environment = environment;
    }
    if let Some(labels) = update.labels {
        next.labels = labels;
    }
    if let Some(hours) = update.svid_lifetime_hours {
        next.svid_lifetime_hours = hours;
    }
    let updated = store::update(&mut *tx, &next).await?;
    audit::record(
        &mut *tx,
        AuditEvent::new(
            &actor.username,
            "agent.updated",
            format!("agent:{}", current.name),
        )
        .with_details(json!({ "agent_id": id, "before": &current, "after": &updated })),
    )
    .await?;
    tx.commit().await?;
    crate::policy::sync_agent(state, &updated).await;
    with_credential(&state.db, updated).await
}

pub async fn retire(state: &AppState, actor: &Actor, id: Uuid) -> Result<Agent> {
    actor.require(Permission::WriteOperations)?;
    let mut tx = state.db.begin().await?;
    let current = store::by_id_for_update(&mut *tx, id)
        .await?
        .ok_or_else(|| not_found(id))?;
    if current.status == AgentStatus::Retired {
        return Err(Error::Conflict(format!(
            "agent {} is already retired",
            current.name
        )));
    }
    let retired = store::retire(&mut *tx, id).await?;
    // A retired agent keeps no working credential.
    let revoked = crate::identity::revoke_all_in(&mut *tx, id).await?;
    audit::record(
        &mut *tx,
        AuditEvent::new(
            &actor.username,
            "agent.retired",
            format!("agent:{}", current.name),
        )
        .with_details(json!({ "agent_id": id, "certificates_revoked": revoked })),
    )
    .await?;
    tx.commit().await?;
    if revoked > 0 {
        crate::identity::publish_crl(state).await;
    }
    crate::policy::sync_agent(state, &retired).await;
    with_credential(&state.db, retired).await
}
