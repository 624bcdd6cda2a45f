//! Getting revocation to the fleet: the CRL pushed over NATS, re-published before it goes stale,
//! and the requests enforcers make at start (their listener certificate and the current CRL).

use super::crl;
use crate::state::AppState;

/// Signs a fresh CRL and pushes it to the fleet. A failure is logged, not returned: the
/// revocation is already committed and the periodic re-publication retries.
pub async fn publish_crl(state: &AppState) {
    let outcome = async {
        let message = state.ca.crl(&state.db).await?;
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

/// Re-publishes the CRL before it goes stale, and answers enforcers that ask for it at start.
pub async fn spawn_crl_service(state: AppState) -> anyhow::Result<()> {
    use futures::StreamExt;
    let mut requests = state.nats.subscribe(crl::CRL_GET).await?;
    let responder = state.clone();
    tokio::spawn(async move {
        while let Some(message) = requests.next().await {
            let Some(reply) = message.reply else { continue };
            // Other trust domains' control planes may share this NATS; answer only for ours.
            if message.payload.as_ref() != responder.ca.trust_domain.as_bytes() {
                continue;
            }
            let span = tracing::info_span!("nats_message", subject = %message.subject);
            let _entered = span.enter();
            match responder
                .ca
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
                Ok(request) if request.trust_domain != issuer.ca.trust_domain => continue,
                Err(error) => {
                    crl::ServerCertificateReply::refused(format!("malformed request: {error}"))
                }
                Ok(request) if request.names.is_empty() || request.names.len() > 10 => {
                    crl::ServerCertificateReply::refused(
                        "name 1–10 DNS names or IP addresses".into(),
                    )
                }
                Ok(request) => match issuer.ca.enforcer_certificate(&request.csr, &request.names) {
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
