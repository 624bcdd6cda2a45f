//! The Warden control plane: console, REST API, and the fleet's view from Postgres and NATS.
#![forbid(unsafe_code)]

pub mod accounts;
pub mod agents;
pub mod audit;
pub mod compliance;
pub mod config;
pub mod console;
pub mod db;
pub mod error;
pub mod fleet;
pub mod http;
pub mod identity;
pub mod policy;
pub mod state;
pub mod telemetry;

use anyhow::Context;
use config::Config;
use leptos::config::LeptosOptions;
use state::AppState;
use std::net::SocketAddr;
use std::sync::Arc;
use telemetry::Telemetry;

/// Name of the wasm bundle and stylesheet under `<site root>/pkg/`.
pub const SITE_OUTPUT_NAME: &str = "warden";

/// Paths of every console server function, for the role-matrix test.
pub fn console_function_paths() -> Vec<String> {
    leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _method)| path.to_owned())
        .collect()
}

pub async fn serve(config: Box<Config>, telemetry: Telemetry) -> anyhow::Result<()> {
    let config: Arc<Config> = Arc::from(config);
    let db = db::open(&config.database).await?;
    let nats = async_nats::ConnectOptions::new()
        .name("warden-control-plane")
        .retry_on_initial_connect()
        .connect(config.nats_url.expose())
        .await
        .context("cannot connect to NATS (check NATS_URL)")?;

    let leptos_options = LeptosOptions::builder()
        .output_name(SITE_OUTPUT_NAME)
        .site_root(config.site_root.to_string_lossy().into_owned())
        .site_pkg_dir("pkg")
        .site_addr(config.listen)
        .build();
    if !config
        .site_root
        .join("pkg")
        .join(format!("{SITE_OUTPUT_NAME}.js"))
        .exists()
    {
        tracing::warn!(site_root = %config.site_root.display(), "the console's wasm bundle is missing; pages will render but not hydrate (run the build step)");
    }

    // The key-encryption key unseals the CA and policy signing keys; it is not kept.
    let (ca, policy_signer, audit) = {
        let kek = identity::kek::KeyEncryptionKey::from_config(&config.identity)?;
        let ca = identity::load_or_create(&db, &config.identity.trust_domain, &kek)
            .await
            .context("cannot load the agent CA")?;
        let signer = policy::signing::load_or_create(&db, &kek)
            .await
            .context("cannot load the policy signing key")?;
        let audit = audit::service::start(
            &db,
            &nats,
            &kek,
            &config.audit,
            &config.identity.trust_domain,
        )
        .await
        .context("cannot open the audit log")?;
        (ca, signer, audit)
    };
    let state = AppState {
        db,
        nats,
        config: config.clone(),
        telemetry,
        leptos_options,
        ca: identity::CaHandle::new(ca),
        policy_signer: Arc::new(policy_signer),
        audit,
    };
    if accounts::service::user_count(&state).await? == 0 {
        tracing::warn!(
            "there are no users yet; run `warden bootstrap-admin` to create the first admin"
        );
    }
    fleet::listener::spawn(state.clone()).await?;
    identity::spawn_crl_service(state.clone()).await?;
    identity::mtls::spawn(
        state.clone(),
        config.identity.agent_listen,
        &config.identity.agent_tls_names,
    )
    .await?;
    accounts::service::spawn_housekeeping(state.clone());
    policy::spawn_directory_sync(state.clone());
    policy::spawn_delivery(state.clone());

    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.listen))?;
    tracing::info!(address = %config.listen, "control plane listening");
    axum::serve(
        listener,
        http::router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(warden_common::runtime::shutdown_signal())
    .await
    .context("HTTP server failed")?;
    tracing::info!("control plane stopped");
    Ok(())
}
