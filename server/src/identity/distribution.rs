//! Getting revocation to the fleet: the CRL pushed over NATS, re-published before it goes stale,
//! and the requests enforcers make at start (their listener certificate and the current CRL).

use super::crl;
use super::kek::KeyEncryptionKey;
use crate::state::AppState;
use tracing::Instrument;
use warden_common::identity::subjects;

/// Signs a fresh CRL and pushes it to the fleet. A failure is logged, not returned: the
/// revocation is already committed and the periodic re-publication retries.
pub async fn publish_crl(state: &AppState) {
    let outcome = async {
        let message = state.ca.current().crl(&state.db).await?;
        state
            .nats
            .publish(crl::SUBJECT, serde_json::to_vec(&message)?.into())
            .await?;
        state.nats.flush().await?;
        anyhow::Ok(message.revoked)
    }
    .await;
    match outcome {
        Ok(revoked) => {
            metrics::counter!("warden_crl_published_total").increment(1);
            tracing::info!(revoked, "published the CRL to the fleet");
        }
        Err(error) => tracing::error!(error = format!("{error:#}"), "cannot publish the CRL"),
    }
}

/// How often a control plane re-reads its CA: renews an intermediate near expiry, and drops a
/// replaced CA from the bundle (and the cross-signature from chains) soon after its grace ends.
const CA_REFRESH_EVERY: std::time::Duration = std::time::Duration::from_secs(15 * 60);

/// Re-reads the CA; when it changed, tells the other control planes and the fleet.
async fn refresh_ca(state: &AppState, announce: bool) {
    let before = state.ca.current().bundle_pem.clone();
    let outcome = async {
        let kek = KeyEncryptionKey::from_config(&state.config.identity)?;
        state.ca.reload(&state.db, &kek).await
    }
    .await;
    if let Err(error) = outcome {
        tracing::error!(error = format!("{error:#}"), "cannot reload the agent CA");
        return;
    }
    let current = state.ca.current();
    if current.bundle_pem == before {
        return;
    }
    tracing::info!("the agent CA changed; serving the new trust bundle");
    if announce
        && let Err(error) = state
            .nats
            .publish(
                subjects::CA_CHANGED,
                current.trust_domain.clone().into_bytes().into(),
            )
            .await
    {
        tracing::error!(%error, "cannot announce the CA change");
    }
    publish_crl(state).await;
}

/// Re-publishes the CRL before it goes stale, answers enforcers that ask for it at start, and
/// follows CA rotations made by other control planes.
pub async fn spawn_crl_service(state: AppState) -> anyhow::Result<()> {
    use futures::StreamExt;
    let mut ca_changes = state.nats.subscribe(subjects::CA_CHANGED).await?;
    let reloader = state.clone();
    tokio::spawn(async move {
        while let Some(message) = ca_changes.next().await {
            if message.payload.as_ref() != reloader.ca.current().trust_domain.as_bytes() {
                continue;
            }
            refresh_ca(&reloader, false)
                .instrument(tracing::info_span!("nats_message", subject = %message.subject))
                .await;
        }
    });
    let refresher = state.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(CA_REFRESH_EVERY);
        tick.tick().await;
        loop {
            tick.tick().await;
            refresh_ca(&refresher, true).await;
        }
    });
    let mut requests = state.nats.subscribe(crl::CRL_GET).await?;
    let responder = state.clone();
    tokio::spawn(async move {
        while let Some(message) = requests.next().await {
            let Some(reply) = message.reply else { continue };
            // Other trust domains' control planes may share this NATS; answer only for ours.
            if message.payload.as_ref() != responder.ca.current().trust_domain.as_bytes() {
                continue;
            }
            let span = tracing::info_span!("nats_message", subject = %message.subject);
            let _entered = span.enter();
            match responder
                .ca
                .current()
                .crl(&responder.db)
                .await
                .and_then(|crl| Ok(serde_json::to_vec(&crl)?))
            {
                Ok(payload) => {
                    if let Err(error) = responder.nats.publish(reply, payload.into()).await {
                        tracing::warn!(%error, "cannot answer a CRL request");
                    }
                }
                Err(error) => tracing::error!(error = format!("{error:#}"), "cannot build the CRL"),
            }
        }
    });
    let mut certificate_requests = state.nats.subscribe(crl::SERVER_CERT_SUBJECT).await?;
    let issuer = state.clone();
    tokio::spawn(async move {
        while let Some(message) = certificate_requests.next().await {
            let Some(reply) = message.reply else { continue };
            let span = tracing::info_span!("nats_message", subject = %message.subject);
            let _entered = span.enter();
            let answer = match serde_json::from_slice::<crl::ServerCertificateRequest>(
                &message.payload,
            ) {
                // Other trust domains' control planes may share this NATS; answer only for ours.
                Ok(request) if request.trust_domain != issuer.ca.current().trust_domain => continue,
                Err(error) => {
                    crl::ServerCertificateReply::refused(format!("malformed request: {error}"))
                }
                Ok(request) if request.names.is_empty() || request.names.len() > 10 => {
                    crl::ServerCertificateReply::refused(
                        "name 1–10 DNS names or IP addresses".into(),
                    )
                }
                Ok(request) => match issuer
                    .ca
                    .current()
                    .enforcer_certificate(&request.csr, &request.names)
                {
                    Ok(chain_pem) => {
                        tracing::info!(names = ?request.names, "issued an enforcer listener certificate");
                        crl::ServerCertificateReply {
                            chain_pem: Some(chain_pem),
                            error: None,
                        }
                    }
                    Err(error) => crl::ServerCertificateReply::refused(error.to_string()),
                },
            };
            match serde_json::to_vec(&answer) {
                Ok(payload) => {
                    if let Err(error) = issuer.nats.publish(reply, payload.into()).await {
                        tracing::warn!(%error, "cannot answer a certificate request");
                    }
                }
                Err(error) => tracing::error!(%error, "cannot encode a certificate reply"),
            }
        }
    });
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(crl::REPUBLISH_EVERY);
        loop {
            tick.tick().await;
            publish_crl(&state).await;
        }
    });
    Ok(())
}
