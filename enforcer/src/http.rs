//! The enforcer's own HTTP listener: liveness, readiness (connected to NATS) and metrics.

use crate::presence::Identity;
use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use metrics_exporter_prometheus::PrometheusHandle;
use serde_json::json;

#[derive(Clone)]
pub struct HttpState {
    pub nats: async_nats::Client,
    pub metrics: PrometheusHandle,
    pub identity: Identity,
    pub agent_listener: crate::agent_listener::ListenerState,
}

pub fn router(state: HttpState) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .fallback(|| async {
            (
                StatusCode::NOT_FOUND,
                Json(json!({ "error": { "code": "not_found", "message": "no such route" } })),
            )
        })
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state)
}

async fn healthz(State(state): State<HttpState>) -> impl IntoResponse {
    Json(json!({
        "status": "ok",
        "enforcer_id": state.identity.enforcer_id,
        "version": env!("CARGO_PKG_VERSION"),
    }))
}

/// Ready when connected to NATS and the agent listener holds a certificate and a CRL.
async fn readyz(State(state): State<HttpState>) -> impl IntoResponse {
    let connected = matches!(
        state.nats.connection_state(),
        async_nats::connection::State::Connected
    );
    let listening = state.agent_listener.address().is_some();
    let ready = connected && listening;
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        Json(json!({
            "status": if ready { "ready" } else { "not_ready" },
            "checks": {
                "nats": if connected { "ok" } else { "unavailable" },
                "agent_listener": if listening { "ok" } else { "waiting for the CA" },
            },
        })),
    )
}

async fn metrics(State(state): State<HttpState>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        state.metrics.render(),
    )
}
