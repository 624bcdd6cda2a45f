use sqlx::{FromRow, PgExecutor};
use time::OffsetDateTime;

#[derive(Debug, FromRow)]
pub struct GrantRow {
    pub id: String,
    pub grant_json: serde_json::Value,
    pub updated_by: String,
    pub updated_at: OffsetDateTime,
}

pub async fn grants(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<GrantRow>> {
    sqlx::query_as("SELECT id, grant_json, updated_by, updated_at FROM policy_grants ORDER BY id")
        .fetch_all(db)
        .await
}

pub async fn grant(db: impl PgExecutor<'_>, id: &str) -> sqlx::Result<Option<GrantRow>> {
    sqlx::query_as("SELECT id, grant_json, updated_by, updated_at FROM policy_grants WHERE id = $1")
        .bind(id)
        .fetch_optional(db)
        .await
}

pub async fn upsert_grant(
    db: impl PgExecutor<'_>,
    id: &str,
    grant: &serde_json::Value,
    by: &str,
) -> sqlx::Result<GrantRow> {
    sqlx::query_as(
        "INSERT INTO policy_grants (id, grant_json, updated_by) VALUES ($1, $2, $3) \
         ON CONFLICT (id) DO UPDATE SET grant_json = EXCLUDED.grant_json, \
         updated_by = EXCLUDED.updated_by, updated_at = now() \
         RETURNING id, grant_json, updated_by, updated_at",
    )
    .bind(id)
    .bind(grant)
    .bind(by)
    .fetch_one(db)
    .await
}

pub async fn delete_grant(db: impl PgExecutor<'_>, id: &str) -> sqlx::Result<bool> {
    let result = sqlx::query("DELETE FROM policy_grants WHERE id = $1")
        .bind(id)
        .execute(db)
        .await?;
    Ok(result.rows_affected() > 0)
}

#[derive(Debug, FromRow)]
pub struct ModuleRow {
    pub path: String,
    pub rego: String,
    pub updated_by: String,
    pub updated_at: OffsetDateTime,
}

pub async fn modules(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<ModuleRow>> {
    sqlx::query_as("SELECT path, rego, updated_by, updated_at FROM policy_modules ORDER BY path")
        .fetch_all(db)
        .await
}

pub async fn upsert_module(
    db: impl PgExecutor<'_>,
    path: &str,
    rego: &str,
    by: &str,
) -> sqlx::Result<ModuleRow> {
    sqlx::query_as(
        "INSERT INTO policy_modules (path, rego, updated_by) VALUES ($1, $2, $3) \
         ON CONFLICT (path) DO UPDATE SET rego = EXCLUDED.rego, updated_by = EXCLUDED.updated_by, \
         updated_at = now() RETURNING path, rego, updated_by, updated_at",
    )
    .bind(path)
    .bind(rego)
    .bind(by)
    .fetch_one(db)
    .await
}

pub async fn delete_module(db: impl PgExecutor<'_>, path: &str) -> sqlx::Result<bool> {
    let result = sqlx::query("DELETE FROM policy_modules WHERE path = $1")
        .bind(path)
        .execute(db)
        .await?;
    Ok(result.rows_affected() > 0)
}

#[derive(Debug, FromRow)]
pub struct VersionRow {
    pub version: i64,
    pub status: String,
    pub grants: serde_json::Value,
    pub modules: serde_json::Value,
    pub note: String,
    pub proposed_by: String,
    pub proposed_at: OffsetDateTime,
    pub decided_by: Option<String>,
    pub decided_at: Option<OffsetDateTime>,
    pub signed_bundle: Option<serde_json::Value>,
    pub published_at: Option<OffsetDateTime>,
}

const VERSION_COLUMNS: &str = "version, status, grants, modules, note, proposed_by, proposed_at, \
     decided_by, decided_at, signed_bundle, published_at";

pub async fn versions(
    db: impl PgExecutor<'_>,
    before: Option<i64>,
    limit: i64,
) -> sqlx::Result<Vec<VersionRow>> {
    sqlx::query_as(&format!(
        "SELECT {VERSION_COLUMNS} FROM policy_versions WHERE ($1::bigint IS NULL OR version < $1) \
         ORDER BY version DESC LIMIT $2"
    ))
    .bind(before)
    .bind(limit)
    .fetch_all(db)
    .await
}

pub async fn version_for_update(
    db: impl PgExecutor<'_>,
    version: i64,
) -> sqlx::Result<Option<VersionRow>> {
    sqlx::query_as(&format!(
        "SELECT {VERSION_COLUMNS} FROM policy_versions WHERE version = $1 FOR UPDATE"
    ))
    .bind(version)
    .fetch_optional(db)
    .await
}

pub async fn version(db: impl PgExecutor<'_>, version: i64) -> sqlx::Result<Option<VersionRow>> {
    sqlx::query_as(&format!(
        "SELECT {VERSION_COLUMNS} FROM policy_versions WHERE version = $1"
    ))
    .bind(version)
    .fetch_optional(db)
    .await
}

/// The newest published version.
pub async fn current(db: impl PgExecutor<'_>) -> sqlx::Result<Option<VersionRow>> {
    sqlx::query_as(&format!(
        "SELECT {VERSION_COLUMNS} FROM policy_versions WHERE status = 'published' \
         ORDER BY version DESC LIMIT 1"
    ))
    .fetch_optional(db)
    .await
}

pub async fn next_version(db: impl PgExecutor<'_>) -> sqlx::Result<i64> {
    let (next,): (i64,) =
        sqlx::query_as("SELECT COALESCE(MAX(version), 0) + 1 FROM policy_versions")
            .fetch_one(db)
            .await?;
    Ok(next)
}

pub async fn insert_version(
    db: impl PgExecutor<'_>,
    version: i64,
    grants: &serde_json::Value,
    modules: &serde_json::Value,
    compiled: &serde_json::Value,
    note: &str,
    by: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO policy_versions (version, status, grants, modules, compiled, note, proposed_by) \
         VALUES ($1, 'pending', $2, $3, $4, $5, $6)",
    )
    .bind(version)
    .bind(grants)
    .bind(modules)
    .bind(compiled)
    .bind(note)
    .bind(by)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn mark_published(
    db: impl PgExecutor<'_>,
    version: i64,
    decided_by: Option<&str>,
    signed_bundle: &serde_json::Value,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE policy_versions SET status = 'published', signed_bundle = $2, published_at = now(), \
         decided_by = COALESCE($3, decided_by), decided_at = CASE WHEN $3 IS NULL THEN decided_at ELSE now() END \
         WHERE version = $1",
    )
    .bind(version)
    .bind(signed_bundle)
    .bind(decided_by)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn mark_rejected(db: impl PgExecutor<'_>, version: i64, by: &str) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE policy_versions SET status = 'rejected', decided_by = $2, decided_at = now() WHERE version = $1",
    )
    .bind(version)
    .bind(by)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn require_approval(db: impl PgExecutor<'_>) -> sqlx::Result<bool> {
    let (required,): (bool,) = sqlx::query_as("SELECT require_approval FROM policy_settings")
        .fetch_one(db)
        .await?;
    Ok(required)
}

pub async fn set_require_approval(
    db: impl PgExecutor<'_>,
    required: bool,
    by: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE policy_settings SET require_approval = $1, updated_by = $2, updated_at = now()",
    )
    .bind(required)
    .bind(by)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn insert_review(
    db: impl PgExecutor<'_>,
    version: i64,
    agent_id: uuid::Uuid,
    report: &serde_json::Value,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO policy_reviews (version, agent_id, report) VALUES ($1, $2, $3) \
         ON CONFLICT (agent_id, version) DO UPDATE SET report = EXCLUDED.report, created_at = now()",
    )
    .bind(version)
    .bind(agent_id)
    .bind(report)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn latest_review(
    db: impl PgExecutor<'_>,
    agent_id: uuid::Uuid,
) -> sqlx::Result<Option<(i64, serde_json::Value, OffsetDateTime)>> {
    sqlx::query_as(
        "SELECT version, report, created_at FROM policy_reviews WHERE agent_id = $1 \
         ORDER BY version DESC LIMIT 1",
    )
    .bind(agent_id)
    .fetch_optional(db)
    .await
}
