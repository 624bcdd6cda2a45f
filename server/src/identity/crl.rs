//! The certificate revocation list: signed by the intermediate, served over HTTP and pushed to
//! the fleet over NATS on every revocation, and re-published before it goes stale.

use super::ca::{Signer, random_serial};
use rcgen::{
    CertificateRevocationListParams, KeyIdMethod, RevocationReason, RevokedCertParams, SerialNumber,
};
use time::{Duration, OffsetDateTime};

pub use warden_common::identity::subjects::{
    CRL as SUBJECT, CRL_GET, SERVER_CERT as SERVER_CERT_SUBJECT,
};
pub use warden_common::identity::{CrlMessage, ServerCertificateReply, ServerCertificateRequest};

/// A CRL promises its successor within this time; it is re-issued every `REPUBLISH_EVERY`.
pub const VALIDITY: Duration = Duration::hours(1);
pub const REPUBLISH_EVERY: std::time::Duration = std::time::Duration::from_secs(600);

fn parse_serial(hex: &str) -> Option<SerialNumber> {
    let bytes = (0..hex.len())
        .step_by(2)
        .map(|index| u8::from_str_radix(hex.get(index..index + 2)?, 16).ok())
        .collect::<Option<Vec<u8>>>()?;
    Some(SerialNumber::from_slice(&bytes))
}

/// Builds and signs the CRL of every unexpired, revoked certificate the intermediate issued.
/// Builds and signs one CRL per unexpired intermediate (so certificates of a rotated-out
/// intermediate stay checkable), listing every unexpired certificate it issued that is revoked.
pub async fn build(
    db: &sqlx::PgPool,
    issuers: &[(uuid::Uuid, Signer)],
    trust_domain: &str,
    bundle_pem: &str,
) -> anyhow::Result<CrlMessage> {
    let now = OffsetDateTime::now_utc();
    let mut crl_pem = String::new();
    let mut revoked_total = 0;
    for (issuer_id, signer) in issuers {
        let revoked: Vec<(String, OffsetDateTime)> = sqlx::query_as(
            "SELECT serial, revoked_at FROM svids WHERE issuer_id = $1 AND revoked_at IS NOT NULL \
             AND not_after > now() ORDER BY revoked_at",
        )
        .bind(issuer_id)
        .fetch_all(db)
        .await?;
        let params = CertificateRevocationListParams {
            this_update: now,
            next_update: now + VALIDITY,
            crl_number: random_serial()?,
            issuing_distribution_point: None,
            revoked_certs: revoked
                .iter()
                .filter_map(|(serial, at)| {
                    Some(RevokedCertParams {
                        serial_number: parse_serial(serial)?,
                        revocation_time: *at,
                        reason_code: Some(RevocationReason::Unspecified),
                        invalidity_date: None,
                    })
                })
                .collect(),
            key_identifier_method: KeyIdMethod::Sha256,
        };
        revoked_total += params.revoked_certs.len();
        crl_pem.push_str(&params.signed_by(signer.issuer())?.pem()?);
    }
    Ok(CrlMessage {
        trust_domain: trust_domain.to_owned(),
        crl_pem,
        bundle_pem: bundle_pem.to_owned(),
        this_update: now,
        next_update: now + VALIDITY,
        revoked: revoked_total,
    })
}

#[cfg(test)]
mod tests {
    use super::parse_serial;

    #[test]
    fn serials_round_trip_from_hex() {
        assert_eq!(
            parse_serial("01ff").expect("hex").to_bytes(),
            vec![0x01, 0xff]
        );
        assert!(parse_serial("zz").is_none());
        assert!(parse_serial("abc").is_none());
    }
}
