//! Liveness, readiness (Postgres and NATS reachable) and Prometheus metrics.

use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use serde_json::json;
use std::time::Duration;

const CHECK_TIMEOUT: Duration = Duration::from_secs(2);

/// The process is up and serving.
pub async fn healthz() -> impl IntoResponse {
    Json(json!({ "status": "ok", "version": env!("CARGO_PKG_VERSION") }))
}

/// Ready to serve only when both Postgres and NATS answer.
pub async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    let postgres = tokio::time::timeout(CHECK_TIMEOUT, sqlx::query("SELECT 1").execute(&state.db))
        .await
        .map_err(|_| "timed out".to_owned())
        .and_then(|result| result.map(|_| ()).map_err(|error| error.to_string()));
    let nats = match state.nats.connection_state() {
        async_nats::connection::State::Connected => {
            tokio::time::timeout(CHECK_TIMEOUT, state.nats.flush())
                .await
                .map_err(|_| "timed out".to_owned())
                .and_then(|result| result.map_err(|error| error.to_string()))
        }
        other => Err(format!("{other:?}").to_lowercase()),
    };
    let ready = postgres.is_ok() && nats.is_ok();
    if let Err(error) = &postgres {
        tracing::warn!(%error, "readiness: Postgres check failed");
    }
    if let Err(error) = &nats {
        tracing::warn!(%error, "readiness: NATS check failed");
    }
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let describe = |check: &Result<(), String>| if check.is_ok() { "ok" } else { "unavailable" };
    (
        status,
        Json(json!({
            "status": if ready { "ready" } else { "not_ready" },
            "checks": { "postgres": describe(&postgres), "nats": describe(&nats) },
        })),
    )
}

pub async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        state.telemetry.metrics.render(),
    )
}
