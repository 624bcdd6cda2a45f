//! Revoking one certificate or all of an agent's; each revocation is pushed to the fleet.

use super::{publish_crl, store};
use crate::accounts::Actor;
use crate::audit::{self, AuditEvent};
use crate::error::{Error, Result};
use crate::state::AppState;
use serde_json::json;
use uuid::Uuid;
use warden_common::accounts::Permission;

/// Revokes every unexpired certificate of an agent. Returns how many were revoked.
pub async fn revoke_agent(state: &AppState, actor: &Actor, agent_id: Uuid) -> Result<u64> {
    actor.require(Permission::WriteOperations)?;
    let agent = crate::agents::get(state, actor, agent_id).await?;
    let mut tx = state.db.begin().await?;
    let revoked = store::revoke_for_agent(&mut *tx, agent_id).await?;
    audit::record(
        &mut *tx,
        AuditEvent::new(
            &actor.username,
            "agent.credentials_revoked",
            format!("agent:{}", agent.name),
        )
        .with_details(json!({ "agent_id": agent_id, "certificates": revoked })),
    )
    .await?;
    tx.commit().await?;
    publish_crl(state).await;
    Ok(revoked)
}

/// Revokes one certificate by serial (hex).
pub async fn revoke_certificate(state: &AppState, actor: &Actor, serial: &str) -> Result<()> {
    actor.require(Permission::WriteOperations)?;
    let serial = serial.to_ascii_lowercase();
    let mut tx = state.db.begin().await?;
    let agent_id = match store::revoke_serial(&mut *tx, &serial).await? {
        store::Revocation::Revoked(agent_id) => agent_id,
        store::Revocation::AlreadyRevoked => {
            return Err(Error::Conflict(format!(
                "certificate {serial} is already revoked"
            )));
        }
        store::Revocation::Unknown => {
            return Err(Error::NotFound(format!(
                "no certificate with serial {serial}"
            )));
        }
    };
    audit::record(
        &mut *tx,
        AuditEvent::new(
            &actor.username,
            "agent.certificate_revoked",
            format!("certificate:{serial}"),
        )
        .with_details(json!({ "agent_id": agent_id, "serial": serial })),
    )
    .await?;
    tx.commit().await?;
    publish_crl(state).await;
    Ok(())
}

/// Revokes an agent's certificates inside a caller's transaction (retirement).
pub(crate) async fn revoke_all_in(
    db: impl sqlx::PgExecutor<'_>,
    agent_id: Uuid,
) -> sqlx::Result<u64> {
    store::revoke_for_agent(db, agent_id).await
}
