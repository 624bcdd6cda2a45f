//! Certificate work of the agent CA: the root, the intermediate, and X.509-SVIDs that follow the
//! SPIFFE X.509-SVID standard exactly. Pure functions; storage lives in `store`.

use rcgen::{
    BasicConstraints, CertificateParams, CertificateSigningRequestParams, DistinguishedName,
    DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair, KeyUsagePurpose,
    PKCS_ECDSA_P256_SHA256, PKCS_ED25519, SanType, SerialNumber,
};
use ring::rand::{SecureRandom, SystemRandom};
use time::{Duration, OffsetDateTime};

/// Roots live ten years; intermediates one, and are replaced well before they expire.
pub const ROOT_LIFETIME: Duration = Duration::days(3650);
pub const INTERMEDIATE_LIFETIME: Duration = Duration::days(365);
/// Allowance for clocks a little behind ours, on CA certificates only (SVID lifetimes are exact).
const BACKDATE: Duration = Duration::minutes(5);

/// A freshly generated CA certificate and its private key (PEM, to be sealed before storage).
pub struct NewCa {
    /// What it was made from: a cross-signature repeats the subject and extensions.
    params: CertificateParams,
    pub certificate_pem: String,
    pub key_pem: String,
    pub not_before: OffsetDateTime,
    pub not_after: OffsetDateTime,
}

/// A CA certificate with its private key, able to sign.
pub struct Signer {
    pub certificate_pem: String,
    /// During a root rotation, this intermediate cross-signed by the previous root. Servers put
    /// it first in their chains: every bundle handed out in the grace period still holds the
    /// previous root, and path builders that take the first matching issuer (OpenSSL) do not
    /// backtrack. Empty otherwise.
    pub cross_signed_pem: String,
    issuer: Issuer<'static, KeyPair>,
}

impl Signer {
    pub fn issuer(&self) -> &Issuer<'static, KeyPair> {
        &self.issuer
    }

    /// What a server certificate it issues is followed by in a TLS chain.
    pub fn server_chain_pem(&self) -> String {
        format!("{}{}", self.cross_signed_pem, self.certificate_pem)
    }

    pub fn load(certificate_pem: &str, key_pem: &str) -> anyhow::Result<Self> {
        let key = KeyPair::from_pem(key_pem)?;
        let issuer = Issuer::from_ca_cert_pem(certificate_pem, key)?;
        Ok(Signer {
            certificate_pem: certificate_pem.to_owned(),
            cross_signed_pem: String::new(),
            issuer,
        })
    }
}

/// Lowercase hex, as serials and fingerprints are shown and stored.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

pub fn random_serial() -> anyhow::Result<SerialNumber> {
    let mut bytes = [0u8; 16];
    SystemRandom::new()
        .fill(&mut bytes)
        .map_err(|_| anyhow::anyhow!("no randomness for a serial number"))?;
    bytes[0] &= 0x7f; // positive
    bytes[0] |= 0x01; // no leading zero byte, so the encoding length is fixed
    Ok(SerialNumber::from_slice(&bytes))
}

/// CA parameters. Every CA certificate gets a distinct subject (the common name ends with a
/// tag from its serial): relying parties match CRLs and issuers by name, so a rotated-out CA
/// must never share its name with its successor.
fn ca_params(
    common_name: String,
    path_length: u8,
    lifetime: Duration,
) -> anyhow::Result<CertificateParams> {
    let now = OffsetDateTime::now_utc();
    let serial = random_serial()?;
    let tag = hex(serial.to_bytes().get(..3).unwrap_or_default());
    let common_name = format!("{common_name} {tag}");
    let mut params = CertificateParams::default();
    let mut name = DistinguishedName::new();
    name.push(DnType::OrganizationName, "Warden");
    name.push(DnType::CommonName, common_name);
    params.distinguished_name = name;
    params.is_ca = IsCa::Ca(BasicConstraints::Constrained(path_length));
    params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    params.not_before = now - BACKDATE;
    params.not_after = now + lifetime;
    params.serial_number = Some(serial);
    params.use_authority_key_identifier_extension = true;
    Ok(params)
}

pub fn generate_root(trust_domain: &str) -> anyhow::Result<NewCa> {
    let key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256)?;
    let params = ca_params(
        format!("Warden agent root CA ({trust_domain})"),
        1,
        ROOT_LIFETIME,
    )?;
    let certificate = params.self_signed(&key)?;
    Ok(NewCa {
        params: params.clone(),
        certificate_pem: certificate.pem(),
        key_pem: key.serialize_pem(),
        not_before: params.not_before,
        not_after: params.not_after,
    })
}

pub fn generate_intermediate(trust_domain: &str, root: &Signer) -> anyhow::Result<NewCa> {
    let key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256)?;
    let issued = OffsetDateTime::now_utc().date();
    let params = ca_params(
        format!("Warden agent intermediate CA ({trust_domain}, {issued})"),
        0,
        INTERMEDIATE_LIFETIME,
    )?;
    let certificate = params.signed_by(&key, &root.issuer)?;
    Ok(NewCa {
        params: params.clone(),
        certificate_pem: certificate.pem(),
        key_pem: key.serialize_pem(),
        not_before: params.not_before,
        not_after: params.not_after,
    })
}

/// A new intermediate's subject and key certified by the previous root: during a root
/// rotation servers append it to their chains, so clients that hold only the previous root
/// (agents that have not renewed yet) still verify them. Same path length as the original.
pub fn cross_sign(
    intermediate: &NewCa,
    previous_root: &Signer,
    lifetime: Duration,
) -> anyhow::Result<String> {
    let key = KeyPair::from_pem(&intermediate.key_pem)?;
    let mut params = intermediate.params.clone();
    let now = OffsetDateTime::now_utc();
    params.serial_number = Some(random_serial()?);
    params.not_before = now - BACKDATE;
    params.not_after = now + lifetime;
    params.use_authority_key_identifier_extension = true;
    Ok(params.signed_by(&key, previous_root.issuer())?.pem())
}

/// Why a CSR could not become a certificate; every case is the requester's to fix.
#[derive(Debug, thiserror::Error)]
pub enum CsrError {
    #[error(
        "the CSR is not a valid PEM certificate signing request, or its signature does not verify ({0})"
    )]
    Invalid(String),
    #[error("the CSR's key must be ECDSA P-256 or Ed25519")]
    UnsupportedKey,
}

pub struct IssuedSvid {
    pub certificate_pem: String,
    pub serial_hex: String,
    pub not_before: OffsetDateTime,
    pub not_after: OffsetDateTime,
}

/// Issues an X.509-SVID for `spiffe_id` to the key in `csr_pem`. Everything else the CSR asks for
/// (subject, SANs, extensions) is ignored: the CA decides what an SVID contains.
pub fn issue_svid(
    signer: &Signer,
    csr_pem: &str,
    spiffe_id: &str,
    agent_name: &str,
    lifetime: Duration,
) -> Result<IssuedSvid, IssueError> {
    let csr = CertificateSigningRequestParams::from_pem(csr_pem)
        .map_err(|error| CsrError::Invalid(error.to_string()))?;
    let algorithm = csr.public_key.algorithm();
    if *algorithm != PKCS_ECDSA_P256_SHA256 && *algorithm != PKCS_ED25519 {
        return Err(CsrError::UnsupportedKey.into());
    }
    let now = OffsetDateTime::now_utc();
    let serial = random_serial()?;
    let mut params = CertificateParams::default();
    let mut name = DistinguishedName::new();
    name.push(DnType::OrganizationName, "Warden");
    name.push(DnType::CommonName, agent_name);
    params.distinguished_name = name;
    // SPIFFE X.509-SVID: exactly one URI SAN, not a CA, digitalSignature (critical), and the
    // client and server authentication EKUs.
    params.subject_alt_names = vec![SanType::URI(
        spiffe_id
            .try_into()
            .map_err(|_| anyhow::anyhow!("SPIFFE ID is not IA5"))?,
    )];
    params.is_ca = IsCa::ExplicitNoCa;
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.extended_key_usages = vec![
        ExtendedKeyUsagePurpose::ServerAuth,
        ExtendedKeyUsagePurpose::ClientAuth,
    ];
    params.not_before = now;
    params.not_after = now + lifetime;
    params.serial_number = Some(serial.clone());
    params.use_authority_key_identifier_extension = true;
    let certificate = params
        .signed_by(&csr.public_key, &signer.issuer)
        .map_err(anyhow::Error::from)?;
    Ok(IssuedSvid {
        certificate_pem: certificate.pem(),
        serial_hex: hex(&serial.to_bytes()),
        not_before: params.not_before,
        not_after: params.not_after,
    })
}

#[derive(Debug, thiserror::Error)]
pub enum IssueError {
    #[error(transparent)]
    Csr(#[from] CsrError),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<rcgen::Error> for IssueError {
    fn from(error: rcgen::Error) -> Self {
        IssueError::Internal(error.into())
    }
}

fn server_params(names: &[String]) -> anyhow::Result<CertificateParams> {
    let now = OffsetDateTime::now_utc();
    let mut params = CertificateParams::default();
    let mut name = DistinguishedName::new();
    name.push(DnType::OrganizationName, "Warden");
    name.push(DnType::CommonName, "Warden agent-facing listener");
    params.distinguished_name = name;
    params.subject_alt_names = names
        .iter()
        .map(|name| match name.parse::<std::net::IpAddr>() {
            Ok(ip) => Ok(SanType::IpAddress(ip)),
            Err(_) => Ok(SanType::DnsName(name.as_str().try_into()?)),
        })
        .collect::<Result<Vec<_>, rcgen::Error>>()?;
    params.is_ca = IsCa::ExplicitNoCa;
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    params.not_before = now - BACKDATE;
    params.not_after = now + Duration::days(7);
    params.serial_number = Some(random_serial()?);
    params.use_authority_key_identifier_extension = true;
    Ok(params)
}

/// The control plane's own TLS certificate for the agent-facing listener, from the same CA so
/// agents verify it with the trust bundle they already hold. Lives a week; renewed at start.
pub fn issue_server_certificate(
    signer: &Signer,
    names: &[String],
) -> anyhow::Result<(String, String)> {
    let key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256)?;
    let certificate = server_params(names)?.signed_by(&key, &signer.issuer)?;
    Ok((
        format!("{}{}", certificate.pem(), signer.server_chain_pem()),
        key.serialize_pem(),
    ))
}

/// A listener certificate for an enforcer, for the key in its CSR; returns the chain.
pub fn issue_server_certificate_for_csr(
    signer: &Signer,
    csr_pem: &str,
    names: &[String],
) -> Result<String, IssueError> {
    let csr = CertificateSigningRequestParams::from_pem(csr_pem)
        .map_err(|error| CsrError::Invalid(error.to_string()))?;
    let certificate = server_params(names)?.signed_by(&csr.public_key, &signer.issuer)?;
    Ok(format!(
        "{}{}",
        certificate.pem(),
        signer.server_chain_pem()
    ))
}
