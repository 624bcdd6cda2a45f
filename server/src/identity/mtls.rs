//! The agent-facing listener: TLS that requires a client certificate chaining to the agent CA.
//! Agents renew their SVIDs here, authenticated by the SVID they hold.

use super::{JwtSvid, JwtSvidRequest, RenewRequest, Svid};
use crate::error::{ApiJson, Error, Result, error_response};
use crate::state::AppState;
use anyhow::Context;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Extension, Json, Router};
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use rustls::RootCertStore;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::WebPkiClientVerifier;
use std::net::SocketAddr;
use std::sync::{Arc, RwLock};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;
use tracing::Instrument;

/// The verified client certificate of the connection a request arrived on.
#[derive(Debug, Clone)]
pub struct PeerCertificate(pub Arc<CertificateDer<'static>>);

const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

fn tls_config(state: &AppState, names: &[String]) -> anyhow::Result<rustls::ServerConfig> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = RootCertStore::empty();
    for certificate in CertificateDer::pem_slice_iter(state.ca.current().bundle_pem.as_bytes()) {
        roots.add(certificate.context("trust bundle")?)?;
    }
    let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider.clone())
        .build()
        .context("client certificate verifier")?;
    let (chain_pem, key_pem) = state.ca.current().server_certificate(names)?;
    let chain =
        CertificateDer::pem_slice_iter(chain_pem.as_bytes()).collect::<Result<Vec<_>, _>>()?;
    let key = PrivateKeyDer::from_pem_slice(key_pem.as_bytes())?;
    Ok(rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_client_cert_verifier(verifier)
        .with_single_cert(chain, key)?)
}

fn router(state: AppState) -> Router {
    Router::new()
        .route("/api/v1/identity/renew", post(renew))
        .route("/api/v1/identity/jwt-svid", post(jwt_svid))
        .fallback(|| async {
            error_response(
                StatusCode::NOT_FOUND,
                "not_found",
                "no such route on the agent listener".into(),
            )
        })
        .with_state(state)
}

/// The listener's own certificate lives a week: take a fresh one daily, and a new bundle and
/// certificate as soon as the CA is rotated.
const SERVER_CERTIFICATE_REFRESH: Duration = Duration::from_secs(24 * 3600);

fn spawn_tls_refresh(state: AppState, names: Vec<String>, acceptor: Arc<RwLock<TlsAcceptor>>) {
    let mut changes = state.ca.changes();
    tokio::spawn(async move {
        loop {
            tokio::select! {
                changed = changes.changed() => if changed.is_err() { return },
                () = tokio::time::sleep(SERVER_CERTIFICATE_REFRESH) => {}
            }
            match tls_config(&state, &names) {
                Ok(config) => {
                    let next = TlsAcceptor::from(Arc::new(config));
                    match acceptor.write() {
                        Ok(mut current) => *current = next,
                        Err(poisoned) => *poisoned.into_inner() = next,
                    }
                    tracing::info!("agent listener took a fresh certificate and trust bundle");
                }
                Err(error) => tracing::error!(
                    error = format!("{error:#}"),
                    "cannot refresh the agent listener's TLS configuration; keeping the current one"
                ),
            }
        }
    });
}

/// Binds the listener; connections are served on a background task.
pub async fn spawn(
    state: AppState,
    listen: SocketAddr,
    names: &[String],
) -> anyhow::Result<SocketAddr> {
    let acceptor = Arc::new(RwLock::new(TlsAcceptor::from(Arc::new(tls_config(
        &state, names,
    )?))));
    spawn_tls_refresh(state.clone(), names.to_vec(), acceptor.clone());
    let listener = TcpListener::bind(listen)
        .await
        .with_context(|| format!("cannot listen on {listen} (WARDEN_AGENT_LISTEN)"))?;
    let address = listener.local_addr()?;
    let router = router(state);
    tokio::spawn(async move {
        loop {
            let (stream, peer) = match listener.accept().await {
                Ok(accepted) => accepted,
                Err(error) => {
                    tracing::warn!(%error, "agent listener accept failed");
                    continue;
                }
            };
            let acceptor = match acceptor.read() {
                Ok(acceptor) => acceptor.clone(),
                Err(poisoned) => poisoned.into_inner().clone(),
            };
            let router = router.clone();
            let span = tracing::info_span!("agent_connection", %peer);
            tokio::spawn(
                async move {
                    let tls = match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream))
                        .await
                    {
                        Ok(Ok(tls)) => tls,
                        Ok(Err(error)) => {
                            metrics::counter!("warden_agent_tls_rejected_total").increment(1);
                            tracing::info!(%error, "agent TLS handshake refused");
                            return;
                        }
                        Err(_) => {
                            tracing::info!("agent TLS handshake timed out");
                            return;
                        }
                    };
                    let Some(leaf) = tls
                        .get_ref()
                        .1
                        .peer_certificates()
                        .and_then(|chain| chain.first())
                    else {
                        return;
                    };
                    let peer_certificate = PeerCertificate(Arc::new(leaf.clone().into_owned()));
                    let service =
                        TowerToHyperService::new(router.layer(Extension(peer_certificate)));
                    if let Err(error) = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(tls), service)
                        .await
                    {
                        tracing::debug!(%error, "agent connection ended with an error");
                    }
                }
                .instrument(span),
            );
        }
    });
    tracing::info!(%address, "agent mTLS listener ready");
    Ok(address)
}

/// Issues a fresh SVID to the agent whose current, unrevoked SVID authenticated this connection.
async fn renew(
    State(state): State<AppState>,
    Extension(peer): Extension<PeerCertificate>,
    ApiJson(request): ApiJson<RenewRequest>,
) -> Result<Json<Svid>> {
    let presented = super::PresentedSvid::parse(&peer.0).map_err(|error| {
        Error::Forbidden(format!(
            "the client certificate is not an agent SVID: {error}"
        ))
    })?;
    Ok(Json(super::renew(&state, presented, request).await?))
}

/// Issues a JWT-SVID (five minutes, EdDSA) for the agent whose SVID authenticated this connection.
async fn jwt_svid(
    State(state): State<AppState>,
    Extension(peer): Extension<PeerCertificate>,
    ApiJson(request): ApiJson<JwtSvidRequest>,
) -> Result<Json<JwtSvid>> {
    let presented = super::PresentedSvid::parse(&peer.0).map_err(|error| {
        Error::Forbidden(format!(
            "the client certificate is not an agent SVID: {error}"
        ))
    })?;
    Ok(Json(
        super::issue_jwt_svid(&state, presented, request).await?,
    ))
}
