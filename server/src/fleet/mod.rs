//! The enforcer fleet as the control plane sees it: who announced, who is still alive.
//! The control plane reaches enforcers only over NATS.

pub mod listener;
pub mod routes;
mod store;

use crate::accounts::Actor;
use crate::error::Result;
use crate::state::AppState;
use warden_common::accounts::Permission;
use warden_common::fleet::Enforcer;

/// Every known enforcer, most recently seen first.
pub async fn list(state: &AppState, actor: &Actor) -> Result<Vec<Enforcer>> {
    actor.require(Permission::ReadOperations)?;
    Ok(store::list(&state.db).await?)
}
