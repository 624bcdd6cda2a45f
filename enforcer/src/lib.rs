//! The Warden enforcer. Stateless: everything it knows comes over NATS, so any number can run
//! side by side and any one can be replaced at any time. It never touches the database.
#![forbid(unsafe_code)]

pub mod agent_listener;
pub mod cli;
pub mod config;
pub mod firewall;
mod http;
pub mod policy;
pub mod presence;
pub mod telemetry;
pub mod usage;

use anyhow::Context;
use config::Config;
use metrics_exporter_prometheus::PrometheusHandle;
use presence::Identity;
use time::OffsetDateTime;
use tracing::Instrument;
use uuid::Uuid;

pub async fn serve(config: Config, metrics: PrometheusHandle) -> anyhow::Result<()> {
    let identity = Identity {
        enforcer_id: config.enforcer_id.unwrap_or_else(Uuid::new_v4),
        hostname: presence::hostname(),
        started_at: OffsetDateTime::now_utc(),
        heartbeat_interval_secs: config.heartbeat_secs,
    };
    let span = tracing::info_span!("enforcer", enforcer_id = %identity.enforcer_id);
    let _entered = span.enter();
    let nats = async_nats::ConnectOptions::new()
        .name(format!("warden-enforcer-{}", identity.enforcer_id))
        .retry_on_initial_connect()
        .connect(config.nats_url.expose())
        .await
        .context("cannot connect to NATS (check NATS_URL)")?;

    anyhow::ensure!(
        !config.trust_domain.is_empty()
            && config.trust_domain.chars().all(|c| c.is_ascii_lowercase()
                || c.is_ascii_digit()
                || matches!(c, '.' | '-' | '_')),
        "WARDEN_TRUST_DOMAIN `{}` is not a valid SPIFFE trust domain",
        config.trust_domain
    );
    let policy_keys = policy::parse_keys(&config.policy_keys)?;
    let policy = policy::Policy::new(&config.trust_domain);
    policy::spawn(nats.clone(), policy_keys, policy.clone());
    usage::spawn(nats.clone(), &config.trust_domain, policy.usage.clone());
    let upstreams = firewall::upstream::Upstreams::load(config.upstreams.as_deref())?;
    for upstream in &upstreams.0 {
        tracing::info!(
            name = upstream.name,
            base_url = upstream.base_url,
            "upstream configured"
        );
    }
    let events = firewall::events::Events::spawn(nats.clone(), &config.trust_domain);
    let firewall = firewall::Firewall::new(
        policy.clone(),
        upstreams,
        events,
        firewall::Limits {
            max_request_bytes: config.max_request_bytes,
            max_response_bytes: config.max_response_bytes,
            upstream_timeout: std::time::Duration::from_secs(config.upstream_timeout_secs),
        },
        identity.enforcer_id,
        &config.trust_domain,
    )?;
    let checks = firewall.clone();
    let check_nats = nats.clone();
    tokio::spawn(
        async move {
            if let Err(error) = checks.serve_checks(check_nats).await {
                tracing::error!(error = format!("{error:#}"), "the check service stopped");
            }
        }
        .instrument(tracing::info_span!("checks")),
    );

    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.listen))?;
    tracing::info!(address = %config.listen, "health and metrics listening");
    let agent_listener = agent_listener::ListenerState::default();
    agent_listener::spawn(
        nats.clone(),
        config.agent_listen,
        config.agent_tls_names.clone(),
        config.trust_domain.clone(),
        agent_listener.clone(),
        firewall::proxy::routes(firewall),
    );
    let router = http::router(http::HttpState {
        nats: nats.clone(),
        metrics,
        identity: identity.clone(),
        agent_listener,
    });
    let server = axum::serve(listener, router)
        .with_graceful_shutdown(warden_common::runtime::shutdown_signal());

    tokio::select! {
        result = server => result.context("HTTP server failed")?,
        result = presence::run(nats, identity, policy.active.clone()) => result?,
    }
    tracing::info!("enforcer stopped");
    Ok(())
}
