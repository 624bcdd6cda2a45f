//! Agent identity as clients see it.

use crate::agents::CredentialState;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

/// A single-use join token for an agent's first certificate. Shown once, never stored in clear.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JoinToken {
    pub token: String,
    pub agent_id: Uuid,
    pub spiffe_id: String,
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
}

/// One certificate issued to an agent, as the console and API list them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Certificate {
    /// Serial number, lowercase hex: what revocation and the CRL name.
    pub serial: String,
    pub spiffe_id: String,
    pub state: CredentialState,
    /// `enrollment` (with a join token) or `renewal` (over mTLS).
    pub issued_via: String,
    /// Subject of the intermediate CA that signed it.
    pub issuer: String,
    #[serde(with = "time::serde::rfc3339")]
    pub not_before: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub not_after: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub revoked_at: Option<OffsetDateTime>,
}

/// Root or intermediate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CaKind {
    Root,
    Intermediate,
}

/// A certificate of the agent CA and where it stands in the trust bundle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaCertificate {
    pub id: Uuid,
    pub kind: CaKind,
    pub subject: String,
    /// SHA-256 of the DER certificate, lowercase hex.
    pub fingerprint_sha256: String,
    #[serde(with = "time::serde::rfc3339")]
    pub not_before: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub not_after: OffsetDateTime,
    /// The one that signs now.
    pub active: bool,
    /// When a rotation replaced it.
    #[serde(with = "time::serde::rfc3339::option")]
    pub retired_at: Option<OffsetDateTime>,
    /// A replaced CA stays in the bundle until then, so certificates it issued keep working.
    #[serde(with = "time::serde::rfc3339::option")]
    pub trusted_until: Option<OffsetDateTime>,
    /// Whether relying parties trust it now.
    pub in_bundle: bool,
}

/// Which part of the agent CA to replace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RotationScope {
    /// A new intermediate under the current root.
    Intermediate,
    /// A new root and a new intermediate under it.
    Root,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CaRotation {
    pub scope: RotationScope,
    /// Drop every replaced CA certificate of the rotated kind (for a root rotation: all older
    /// roots and intermediates) from the bundle at once, after a suspected key compromise.
    /// Agents holding their certificates must enrol again. Otherwise it stays trusted until every certificate it
    /// could have issued has expired (72 h).
    #[serde(default)]
    pub distrust_previous: bool,
}

/// NATS subjects of agent identity.
pub mod subjects {
    /// A control plane rotated the CA (body: the trust domain); the others reload it.
    pub const CA_CHANGED: &str = "warden.identity.ca.changed";
    /// The control plane publishes [`super::CrlMessage`] here on every revocation and periodically.
    pub const CRL: &str = "warden.identity.crl";
    /// Request (body: the trust domain) answered with the current [`super::CrlMessage`] by the
    /// control planes of that trust domain.
    pub const CRL_GET: &str = "warden.identity.crl.get";
    /// Request with [`super::ServerCertificateRequest`], answered with [`super::ServerCertificateReply`].
    pub const SERVER_CERT: &str = "warden.identity.server-cert";
}

/// The newest CRL and the trust bundle it belongs with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CrlMessage {
    pub trust_domain: String,
    pub crl_pem: String,
    pub bundle_pem: String,
    #[serde(with = "time::serde::rfc3339")]
    pub this_update: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub next_update: OffsetDateTime,
    /// How many certificates it revokes.
    pub revoked: usize,
}

/// An enforcer asks for its agent-facing listener's certificate, for its own key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerCertificateRequest {
    /// Only control planes of this trust domain answer.
    pub trust_domain: String,
    pub csr: String,
    /// DNS names or IP addresses agents connect to.
    pub names: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerCertificateReply {
    /// The certificate followed by the intermediate, when issued.
    pub chain_pem: Option<String>,
    pub error: Option<String>,
}

impl ServerCertificateReply {
    pub fn refused(error: String) -> Self {
        ServerCertificateReply {
            chain_pem: None,
            error: Some(error),
        }
    }
}
