//! What every request handler can reach.

use crate::config::Config;
use crate::identity::CaHandle;
use crate::telemetry::Telemetry;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use sqlx::PgPool;
use std::sync::Arc;

#[derive(Clone, FromRef)]
pub struct AppState {
    pub db: PgPool,
    pub nats: async_nats::Client,
    pub config: Arc<Config>,
    pub telemetry: Telemetry,
    pub leptos_options: LeptosOptions,
    pub ca: CaHandle,
    pub policy_signer: Arc<crate::policy::signing::PolicySigner>,
    pub audit: crate::audit::AuditService,
}
