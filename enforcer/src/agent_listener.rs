//! The agent-facing mTLS listener. Every connection must present an X.509-SVID chaining to the
//! trust bundle and absent from the newest CRL; both arrive over NATS and replace the TLS
//! configuration in place, so a revocation takes effect without a restart. Until the enforcer
//! holds a certificate, a bundle and a CRL, it does not listen at all (fail closed).

use anyhow::{Context, bail};
use axum::extract::Extension;
use axum::routing::get;
use axum::{Json, Router};
use futures::StreamExt;
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, CertificateRevocationListDer, PrivateKeyDer};
use rustls::server::WebPkiClientVerifier;
use serde_json::json;
use std::net::SocketAddr;
use std::sync::{Arc, RwLock};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;
use tracing::Instrument;
use warden_common::identity::{
    CrlMessage, ServerCertificateReply, ServerCertificateRequest, subjects,
};

const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);
const RETRY_EVERY: Duration = Duration::from_secs(2);
/// Listener certificates live a week; take a fresh one daily.
const SERVER_CERTIFICATE_REFRESH: Duration = Duration::from_secs(24 * 3600);

/// The enforcer's listener identity: its certificate chain and key.
struct ServerIdentity {
    chain: Vec<CertificateDer<'static>>,
    key_pem: String,
}

fn tls_config(
    identity: &ServerIdentity,
    trust: &CrlMessage,
) -> anyhow::Result<rustls::ServerConfig> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = rustls::RootCertStore::empty();
    for certificate in CertificateDer::pem_slice_iter(trust.bundle_pem.as_bytes()) {
        roots.add(certificate.context("trust bundle")?)?;
    }
    let crls = CertificateRevocationListDer::pem_slice_iter(trust.crl_pem.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .context("CRL")?;
    if crls.is_empty() {
        bail!("the CRL message holds no CRL");
    }
    let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider.clone())
        .with_crls(crls)
        // Our CRLs list agent certificates; CA certificates leave the bundle instead.
        .only_check_end_entity_revocation()
        .build()?;
    Ok(rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_client_cert_verifier(verifier)
        .with_single_cert(
            identity.chain.clone(),
            PrivateKeyDer::from_pem_slice(identity.key_pem.as_bytes())?,
        )?)
}

async fn request_certificate(
    nats: &async_nats::Client,
    names: &[String],
    trust_domain: &str,
) -> anyhow::Result<ServerIdentity> {
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256)?;
    let csr = rcgen::CertificateParams::new(Vec::<String>::new())?
        .serialize_request(&key)?
        .pem()?;
    let request = serde_json::to_vec(&ServerCertificateRequest {
        trust_domain: trust_domain.to_owned(),
        csr,
        names: names.to_vec(),
    })?;
    let reply = tokio::time::timeout(
        REQUEST_TIMEOUT,
        nats.request(subjects::SERVER_CERT, request.into()),
    )
    .await
    .context("no answer to the certificate request")??;
    let reply: ServerCertificateReply = serde_json::from_slice(&reply.payload)?;
    let chain_pem = match (reply.chain_pem, reply.error) {
        (Some(chain_pem), _) => chain_pem,
        (None, error) => bail!("certificate refused: {}", error.unwrap_or_default()),
    };
    Ok(ServerIdentity {
        chain: CertificateDer::pem_slice_iter(chain_pem.as_bytes())
            .collect::<Result<Vec<_>, _>>()?,
        key_pem: key.serialize_pem(),
    })
}

async fn request_trust(
    nats: &async_nats::Client,
    trust_domain: &str,
) -> anyhow::Result<CrlMessage> {
    let request = trust_domain.as_bytes().to_vec().into();
    let reply = tokio::time::timeout(REQUEST_TIMEOUT, nats.request(subjects::CRL_GET, request))
        .await
        .context("no answer to the CRL request")??;
    Ok(serde_json::from_slice(&reply.payload)?)
}

/// Readiness of the agent listener, for `/readyz`.
#[derive(Clone, Default)]
pub struct ListenerState(Arc<RwLock<Option<SocketAddr>>>);

impl ListenerState {
    pub fn address(&self) -> Option<SocketAddr> {
        self.0.read().ok().and_then(|address| *address)
    }
}

/// Obtains a certificate and the trust material (retrying until the control plane answers),
/// then listens; keeps the CRL current from NATS pushes.
/// `routes` are served beside `/v1/whoami` to every verified agent (the proxy).
pub fn spawn(
    nats: async_nats::Client,
    listen: SocketAddr,
    names: Vec<String>,
    trust_domain: String,
    state: ListenerState,
    routes: Router,
) {
    tokio::spawn(
        async move {
            if let Err(error) = run(nats, listen, names, trust_domain, state, routes).await {
                tracing::error!(error = format!("{error:#}"), "the agent listener stopped");
            }
        }
        .instrument(tracing::info_span!("agent_listener")),
    );
}

async fn run(
    nats: async_nats::Client,
    listen: SocketAddr,
    names: Vec<String>,
    trust_domain: String,
    state: ListenerState,
    routes: Router,
) -> anyhow::Result<()> {
    let mut pushes = nats.subscribe(subjects::CRL).await?;
    let (identity, trust) = loop {
        match async {
            anyhow::Ok((
                request_certificate(&nats, &names, &trust_domain).await?,
                request_trust(&nats, &trust_domain).await?,
            ))
        }
        .await
        {
            Ok(ready) => break ready,
            Err(error) => {
                tracing::warn!(
                    error = format!("{error:#}"),
                    "waiting for the control plane's CA; not listening yet"
                );
                tokio::time::sleep(RETRY_EVERY).await;
            }
        }
    };
    let config = Arc::new(RwLock::new(Arc::new(tls_config(&identity, &trust)?)));

    let updater = config.clone();
    let renewal_nats = nats.clone();
    tokio::spawn(async move {
        let mut identity = identity;
        let mut trust = trust;
        let mut renew = tokio::time::interval(SERVER_CERTIFICATE_REFRESH);
        renew.tick().await;
        loop {
            // A new bundle (the CA was rotated) or the daily tick: take a fresh listener
            // certificate from the current intermediate. A new CRL alone only swaps the verifier.
            let next_trust = tokio::select! {
                message = pushes.next() => {
                    let Some(message) = message else { return };
                    let span = tracing::info_span!("nats_message", subject = %message.subject);
                    match serde_json::from_slice::<CrlMessage>(&message.payload) {
                        Ok(next) if next.trust_domain == trust_domain => Some(next),
                        Ok(next) => {
                            span.in_scope(|| tracing::debug!(trust_domain = %next.trust_domain, "ignored a CRL for another trust domain"));
                            continue;
                        }
                        Err(error) => {
                            span.in_scope(|| tracing::warn!(%error, "ignored a malformed CRL message"));
                            continue;
                        }
                    }
                }
                _ = renew.tick() => None,
            };
            let bundle_changed = next_trust
                .as_ref()
                .is_some_and(|next| next.bundle_pem != trust.bundle_pem);
            if next_trust.is_none() || bundle_changed {
                match request_certificate(&renewal_nats, &names, &trust_domain).await {
                    Ok(fresh) => {
                        identity = fresh;
                        tracing::info!(bundle_changed, "took a fresh listener certificate");
                    }
                    Err(error) => tracing::warn!(
                        error = format!("{error:#}"),
                        "cannot renew the listener certificate; keeping the current one"
                    ),
                }
            }
            let candidate = next_trust.unwrap_or_else(|| trust.clone());
            match tls_config(&identity, &candidate) {
                Ok(next) => {
                    if let Ok(mut current) = updater.write() {
                        *current = Arc::new(next);
                    }
                    metrics::counter!("warden_enforcer_crl_applied_total").increment(1);
                    tracing::info!(revoked = candidate.revoked, "applied a new CRL");
                    trust = candidate;
                }
                // Keep the last good configuration: a bad message must not open the door.
                Err(error) => tracing::warn!(error = format!("{error:#}"), "ignored a CRL message"),
            }
        }
    });

    let listener = TcpListener::bind(listen)
        .await
        .with_context(|| format!("cannot listen on {listen} (WARDEN_ENFORCER_AGENT_LISTEN)"))?;
    let address = listener.local_addr()?;
    if let Ok(mut ready) = state.0.write() {
        *ready = Some(address);
    }
    tracing::info!(%address, "agent mTLS listener ready");
    let router = Router::new()
        .route("/v1/whoami", get(whoami))
        .merge(routes)
        .fallback(|| async {
            (
                axum::http::StatusCode::NOT_FOUND,
                Json(json!({ "error": { "code": "not_found", "type": "not_found", "message": "no such route" } })),
            )
        });
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(error) => {
                tracing::warn!(%error, "accept failed");
                continue;
            }
        };
        let Ok(current) = config.read().map(|config| config.clone()) else {
            continue;
        };
        let router = router.clone();
        tokio::spawn(
            async move {
                let tls = match tokio::time::timeout(
                    REQUEST_TIMEOUT,
                    TlsAcceptor::from(current).accept(stream),
                )
                .await
                {
                    Ok(Ok(tls)) => tls,
                    Ok(Err(error)) => {
                        metrics::counter!("warden_enforcer_agent_tls_rejected_total").increment(1);
                        tracing::info!(%error, "agent refused at the TLS handshake");
                        return;
                    }
                    Err(_) => return,
                };
                let Some(spiffe_id) = tls
                    .get_ref()
                    .1
                    .peer_certificates()
                    .and_then(|chain| chain.first())
                    .and_then(|leaf| spiffe_id(leaf))
                else {
                    return;
                };
                let service =
                    TowerToHyperService::new(router.layer(Extension(AgentIdentity(spiffe_id))));
                if let Err(error) = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(tls), service)
                    .await
                {
                    tracing::debug!(%error, "agent connection ended with an error");
                }
            }
            .instrument(tracing::info_span!("agent_connection", %peer)),
        );
    }
}

/// The SPIFFE ID of a verified client certificate.
#[derive(Debug, Clone)]
pub struct AgentIdentity(pub String);

fn spiffe_id(der: &CertificateDer<'_>) -> Option<String> {
    use x509_parser::extensions::GeneralName;
    let (_, certificate) = x509_parser::parse_x509_certificate(der).ok()?;
    let san = certificate.subject_alternative_name().ok()??;
    let uris: Vec<&str> = san
        .value
        .general_names
        .iter()
        .filter_map(|name| match name {
            GeneralName::URI(uri) => Some(*uri),
            _ => None,
        })
        .collect();
    match uris.as_slice() {
        [uri] if uri.starts_with("spiffe://") => Some((*uri).to_owned()),
        _ => None,
    }
}

/// Who the enforcer sees: the agent's SPIFFE ID from its verified certificate.
async fn whoami(
    Extension(AgentIdentity(spiffe_id)): Extension<AgentIdentity>,
) -> Json<serde_json::Value> {
    Json(json!({ "spiffe_id": spiffe_id }))
}
