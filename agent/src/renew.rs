//! Renewal over mTLS, authenticated by the current SVID, at half-life with jitter.

use crate::files;
use anyhow::Context;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use rand::Rng;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use std::sync::Arc;
use std::time::Duration;
use time::OffsetDateTime;

/// When to renew a certificate valid from `not_before` to `not_after`: at half its lifetime,
/// moved by up to a tenth of the lifetime either way.
pub fn renewal_time(
    not_before: OffsetDateTime,
    not_after: OffsetDateTime,
    jitter: f64,
) -> OffsetDateTime {
    let lifetime = not_after - not_before;
    let jitter = jitter.clamp(-1.0, 1.0);
    not_before + lifetime / 2 + lifetime * (jitter / 10.0)
}

fn validity(chain_pem: &str) -> anyhow::Result<(OffsetDateTime, OffsetDateTime)> {
    let leaf = CertificateDer::pem_slice_iter(chain_pem.as_bytes())
        .next()
        .context("svid.pem holds no certificate")??;
    let (_, certificate) =
        x509_parser::parse_x509_certificate(&leaf).context("svid.pem is not a certificate")?;
    let validity = certificate.validity();
    Ok((
        validity.not_before.to_datetime(),
        validity.not_after.to_datetime(),
    ))
}

async fn renew_once(args: &crate::RenewArgs) -> anyhow::Result<files::Svid> {
    let chain_pem = files::read(&args.dir, "svid.pem")?;
    let key_pem = files::read(&args.dir, "key.pem")?;
    let bundle_pem = files::read(&args.dir, "bundle.pem")?;

    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = rustls::RootCertStore::empty();
    for certificate in CertificateDer::pem_slice_iter(bundle_pem.as_bytes()) {
        roots.add(certificate?)?;
    }
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_root_certificates(roots)
        .with_client_auth_cert(
            CertificateDer::pem_slice_iter(chain_pem.as_bytes()).collect::<Result<Vec<_>, _>>()?,
            PrivateKeyDer::from_pem_slice(key_pem.as_bytes())?,
        )?;
    let host = args.server_name.clone().unwrap_or_else(|| {
        args.endpoint
            .rsplit_once(':')
            .map(|(host, _)| host.to_owned())
            .unwrap_or_default()
    });
    let server_name = ServerName::try_from(host.clone())
        .with_context(|| format!("`{host}` is not a valid server name"))?;
    let tcp = tokio::net::TcpStream::connect(&args.endpoint)
        .await
        .with_context(|| format!("cannot reach {}", args.endpoint))?;
    let tls = tokio_rustls::TlsConnector::from(Arc::new(config))
        .connect(server_name, tcp)
        .await
        .context("TLS handshake with the control plane failed")?;
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(tls)).await?;
    tokio::spawn(connection);

    // A fresh key for every renewal: a stolen old key stops working when its certificate expires.
    let key = crate::new_key(args.key_type)?;
    let body = serde_json::json!({ "csr": crate::csr_for(&key)? }).to_string();
    let request = http::Request::post("/api/v1/identity/renew")
        .header(http::header::HOST, host)
        .header(http::header::CONTENT_TYPE, "application/json")
        .body(Full::new(Bytes::from(body)))?;
    let response = sender
        .send_request(request)
        .await
        .context("renewal request failed")?;
    let status = response.status();
    let bytes = response.into_body().collect().await?.to_bytes();
    let reply: serde_json::Value =
        serde_json::from_slice(&bytes).context("the control plane's answer is not JSON")?;
    if !status.is_success() {
        anyhow::bail!(
            "renewal refused ({status}): {}",
            reply["error"]["message"]
                .as_str()
                .unwrap_or("no reason given")
        );
    }
    let svid = files::Svid::from_reply(&reply)?;
    files::store(&args.dir, &key.serialize_pem(), &svid)?;
    Ok(svid)
}

pub async fn run(args: crate::RenewArgs) -> anyhow::Result<()> {
    if args.once {
        let svid = renew_once(&args).await?;
        crate::report(&format!(
            "renewed {} (certificate valid until {})",
            svid.spiffe_id, svid.not_after
        ))?;
        return Ok(());
    }
    loop {
        let (not_before, not_after) = validity(&files::read(&args.dir, "svid.pem")?)?;
        let at = renewal_time(
            not_before,
            not_after,
            rand::thread_rng().gen_range(-1.0..=1.0),
        );
        let wait = (at - OffsetDateTime::now_utc()).max(time::Duration::ZERO);
        tracing::info!(renew_at = %at, "waiting to renew at half-life");
        tokio::time::sleep(Duration::try_from(wait).unwrap_or_default()).await;
        match renew_once(&args).await {
            Ok(svid) => {
                tracing::info!(spiffe_id = %svid.spiffe_id, not_after = %svid.not_after, "renewed")
            }
            Err(error) if OffsetDateTime::now_utc() < not_after => {
                // Still valid: retry soon rather than at the next half-life.
                tracing::warn!(
                    error = format!("{error:#}"),
                    "renewal failed; retrying in a minute"
                );
                tokio::time::sleep(Duration::from_secs(60)).await;
            }
            Err(error) => {
                return Err(error.context("the certificate expired before it could be renewed"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renewal_is_at_half_life_within_a_tenth() {
        let start = OffsetDateTime::now_utc();
        let end = start + time::Duration::hours(24);
        assert_eq!(
            renewal_time(start, end, 0.0),
            start + time::Duration::hours(12)
        );
        assert!(renewal_time(start, end, 1.0) <= start + time::Duration::minutes(14 * 60 + 24));
        assert!(renewal_time(start, end, -1.0) >= start + time::Duration::minutes(9 * 60 + 36));
        assert_eq!(renewal_time(start, end, 5.0), renewal_time(start, end, 1.0));
    }
}
