use sqlx::types::Json;
use sqlx::{FromRow, PgExecutor};
use std::collections::BTreeMap;
use time::OffsetDateTime;
use uuid::Uuid;
use warden_common::agents::{
    Agent, AgentStatus, Capabilities, Credential, CredentialState, DEFAULT_SVID_LIFETIME_HOURS,
    NewAgent,
};

#[derive(Debug, FromRow)]
struct AgentRow {
    id: Uuid,
    name: String,
    owner_team: String,
    purpose: String,
    capabilities: Json<Capabilities>,
    environment: String,
    labels: Json<BTreeMap<String, String>>,
    svid_lifetime_hours: i32,
    status: String,
    created_by: String,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
    retired_at: Option<OffsetDateTime>,
}

impl TryFrom<AgentRow> for Agent {
    type Error = sqlx::Error;

    fn try_from(row: AgentRow) -> Result<Self, Self::Error> {
        let status = row
            .status
            .parse::<AgentStatus>()
            .map_err(|error| sqlx::Error::Decode(error.into()))?;
        Ok(Agent {
            id: row.id,
            name: row.name,
            owner_team: row.owner_team,
            purpose: row.purpose,
            capabilities: row.capabilities.0,
            environment: row.environment,
            labels: row.labels.0,
            svid_lifetime_hours: u32::try_from(row.svid_lifetime_hours)
                .map_err(|error| sqlx::Error::Decode(error.into()))?,
            status,
            created_by: row.created_by,
            created_at: row.created_at,
            updated_at: row.updated_at,
            retired_at: row.retired_at,
            credential: None,
        })
    }
}

const COLUMNS: &str = "id, name, owner_team, purpose, capabilities, environment, labels, \
                       svid_lifetime_hours, status, created_by, created_at, updated_at, retired_at";

/// Search criteria; every field narrows the result.
#[derive(Debug, Clone, Default)]
pub struct AgentFilter {
    /// Case-insensitive substring of name, purpose or owner team.
    pub text: Option<String>,
    pub status: Option<AgentStatus>,
    pub environment: Option<String>,
    /// `key=value` labels the agent must all carry.
    pub labels: BTreeMap<String, String>,
    /// Return agents after this name (the previous page's cursor).
    pub after: Option<String>,
}

fn like_pattern(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// Every agent, ordered by name.
pub async fn all(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<Agent>> {
    let rows: Vec<AgentRow> =
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM agents ORDER BY name"))
            .fetch_all(db)
            .await?;
    rows.into_iter().map(Agent::try_from).collect()
}

pub async fn search(
    db: impl PgExecutor<'_>,
    filter: &AgentFilter,
    limit: i64,
) -> sqlx::Result<Vec<Agent>> {
    let rows: Vec<AgentRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM agents \
         WHERE ($1::text IS NULL OR name ILIKE $1 OR purpose ILIKE $1 OR owner_team ILIKE $1) \
           AND ($2::text IS NULL OR status = $2) \
           AND ($3::text IS NULL OR environment = $3) \
           AND labels @> $4 \
           AND ($5::text IS NULL OR name > $5) \
         ORDER BY name LIMIT $6"
    ))
    .bind(filter.text.as_deref().map(like_pattern))
    .bind(filter.status.map(AgentStatus::as_str))
    .bind(filter.environment.as_deref())
    .bind(Json(&filter.labels))
    .bind(filter.after.as_deref())
    .bind(limit)
    .fetch_all(db)
    .await?;
    rows.into_iter().map(Agent::try_from).collect()
}

pub async fn by_id(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Option<Agent>> {
    let row: Option<AgentRow> =
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM agents WHERE id = $1"))
            .bind(id)
            .fetch_optional(db)
            .await?;
    row.map(Agent::try_from).transpose()
}

pub async fn by_id_for_update(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Option<Agent>> {
    let row: Option<AgentRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM agents WHERE id = $1 FOR UPDATE"
    ))
    .bind(id)
    .fetch_optional(db)
    .await?;
    row.map(Agent::try_from).transpose()
}

pub async fn insert(
    db: impl PgExecutor<'_>,
    new: &NewAgent,
    created_by: &str,
) -> sqlx::Result<Agent> {
    let row: AgentRow = sqlx::query_as(&format!(
        "INSERT INTO agents (name, owner_team, purpose, capabilities, environment, labels, created_by, \
         svid_lifetime_hours) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING {COLUMNS}"
    ))
    .bind(&new.name)
    .bind(new.owner_team.trim())
    .bind(new.purpose.trim())
    .bind(Json(&new.capabilities))
    .bind(&new.environment)
    .bind(Json(&new.labels))
    .bind(created_by)
    .bind(i32::try_from(new.svid_lifetime_hours.unwrap_or(DEFAULT_SVID_LIFETIME_HOURS)).unwrap_or(i32::MAX))
    .fetch_one(db)
    .await?;
    Agent::try_from(row)
}

pub async fn update(db: impl PgExecutor<'_>, agent: &Agent) -> sqlx::Result<Agent> {
    let row: AgentRow = sqlx::query_as(&format!(
        "UPDATE agents SET owner_team = $2, purpose = $3, capabilities = $4, environment = $5, \
         labels = $6, svid_lifetime_hours = $7, updated_at = now() WHERE id = $1 RETURNING {COLUMNS}"
    ))
    .bind(agent.id)
    .bind(&agent.owner_team)
    .bind(&agent.purpose)
    .bind(Json(&agent.capabilities))
    .bind(&agent.environment)
    .bind(Json(&agent.labels))
    .bind(i32::try_from(agent.svid_lifetime_hours).unwrap_or(i32::MAX))
    .fetch_one(db)
    .await?;
    Agent::try_from(row)
}

pub async fn retire(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Agent> {
    let row: AgentRow = sqlx::query_as(&format!(
        "UPDATE agents SET status = 'retired', retired_at = now(), updated_at = now() \
         WHERE id = $1 RETURNING {COLUMNS}"
    ))
    .bind(id)
    .fetch_one(db)
    .await?;
    Agent::try_from(row)
}

#[derive(Debug, FromRow)]
struct CredentialRow {
    agent_id: Uuid,
    spiffe_id: String,
    serial: String,
    not_before: OffsetDateTime,
    not_after: OffsetDateTime,
    revoked_at: Option<OffsetDateTime>,
}

/// Fills in each agent's newest certificate.
pub async fn attach_credentials(db: impl PgExecutor<'_>, agents: &mut [Agent]) -> sqlx::Result<()> {
    if agents.is_empty() {
        return Ok(());
    }
    let ids: Vec<Uuid> = agents.iter().map(|agent| agent.id).collect();
    let rows: Vec<CredentialRow> = sqlx::query_as(
        "SELECT DISTINCT ON (agent_id) agent_id, spiffe_id, serial, not_before, not_after, revoked_at \
         FROM svids WHERE agent_id = ANY($1) ORDER BY agent_id, issued_at DESC",
    )
    .bind(&ids)
    .fetch_all(db)
    .await?;
    let now = OffsetDateTime::now_utc();
    for row in rows {
        if let Some(agent) = agents.iter_mut().find(|agent| agent.id == row.agent_id) {
            agent.credential = Some(Credential {
                state: CredentialState::at(
                    now,
                    row.not_before,
                    row.not_after,
                    row.revoked_at.is_some(),
                ),
                spiffe_id: row.spiffe_id,
                serial: row.serial,
                not_before: row.not_before,
                not_after: row.not_after,
            });
        }
    }
    Ok(())
}
