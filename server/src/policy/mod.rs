//! Policy as code: the draft (readable grants and custom Rego modules), "try it", numbered
//! versions with optional second-person approval, signed bundles delivered to the fleet, and the
//! least-privilege review of every agent after each publish.
//!
//! Compilation, tests and reviews are CPU work: they run on the blocking pool, never on the
//! async runtime.

mod distribution;
mod draft;
mod review;
pub mod routes;
pub mod signing;
mod store;
mod versions;

use crate::accounts::Actor;
use crate::audit::{self, AuditEvent};
use crate::error::{Error, Result};
use crate::state::AppState;
use serde::Deserialize;
use serde_json::{Value, json};
use time::OffsetDateTime;
use uuid::Uuid;
use warden_common::accounts::Permission;
use warden_common::policy::{
    DecisionView, DraftCheck, DriftReport, GrantView, PolicyModule, PolicyProblem, PolicySettings,
    PolicyVersion, RegoTestResult, VersionStatus,
};
use warden_policy::{CompileError, Grant};

pub use distribution::{spawn_directory_sync, sync_agent};
pub use draft::*;
pub use review::latest_review;
pub use versions::*;

/// Runs CPU-heavy policy work off the async runtime.
async fn blocking<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|error| Error::Internal(anyhow::anyhow!("policy work panicked: {error}")))
}

fn problem(error: &CompileError) -> PolicyProblem {
    PolicyProblem {
        file: error.file.clone(),
        line: error.line,
        column: error.column,
        message: error.message.clone(),
    }
}

fn invalid(error: &CompileError) -> Error {
    Error::InvalidInput(error.to_string())
}

fn parse_grant(value: &Value) -> Result<Grant> {
    serde_json::from_value(value.clone())
        .map_err(|error| Error::InvalidInput(format!("not a grant: {error}")))
}

/// Grants and custom modules `(path, rego)`: the draft, or a version's snapshot.
type Draft = (Vec<Grant>, Vec<(String, String)>);

async fn draft(db: &sqlx::PgPool) -> Result<Draft> {
    let grants = store::grants(db)
        .await?
        .iter()
        .map(|row| parse_grant(&row.grant_json))
        .collect::<Result<Vec<_>>>()?;
    let modules = store::modules(db)
        .await?
        .into_iter()
        .map(|row| (row.path, row.rego))
        .collect();
    Ok((grants, modules))
}

fn snapshot(row: &store::VersionRow) -> Result<Draft> {
    let grants: Vec<Grant> = serde_json::from_value(row.grants.clone())
        .map_err(|error| anyhow::anyhow!("stored version {} grants: {error}", row.version))?;
    let modules: Vec<(String, String)> = serde_json::from_value(row.modules.clone())
        .map_err(|error| anyhow::anyhow!("stored version {} modules: {error}", row.version))?;
    Ok((grants, modules))
}

pub async fn settings(state: &AppState, actor: &Actor) -> Result<PolicySettings> {
    actor.require(Permission::ReadOperations)?;
    Ok(PolicySettings {
        require_approval: store::require_approval(&state.db).await?,
    })
}

pub async fn update_settings(
    state: &AppState,
    actor: &Actor,
    settings: PolicySettings,
) -> Result<PolicySettings> {
    actor.require(Permission::ManageTrust)?;
    let mut tx = state.db.begin().await?;
    store::set_require_approval(&mut *tx, settings.require_approval, &actor.username).await?;
    audit::record(
        &mut *tx,
        AuditEvent::new(
            &actor.username,
            "policy.settings_changed",
            "policy:settings",
        )
        .with_details(json!({ "require_approval": settings.require_approval })),
    )
    .await?;
    tx.commit().await?;
    Ok(settings)
}

/// The public key enforcers must trust (`WARDEN_POLICY_KEYS`).
pub fn verifying_key(state: &AppState) -> (String, String) {
    (
        state.policy_signer.key_id.clone(),
        state.policy_signer.public_key_base64(),
    )
}
