//! Agent identity as clients see it.

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

/// NATS subjects of agent identity.
pub mod subjects {
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
