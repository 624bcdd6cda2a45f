//! Agent identity: the agent CA (a root and an intermediate per trust domain, keys sealed at
//! rest), single-use join tokens, and enrolment that turns a CSR into a SPIFFE X.509-SVID.

pub mod ca;
pub mod crl;
mod distribution;
pub mod jwt;
pub mod kek;
pub mod mtls;
mod revocation;
pub mod routes;
mod store;

use crate::accounts::Actor;
use crate::audit::{self, AuditEvent};
use crate::error::{Error, Result};
use crate::state::AppState;
use ca::Signer;
use kek::KeyEncryptionKey;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::PgPool;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;
use warden_common::accounts::Permission;
use warden_common::agents::{AgentStatus, validate_svid_lifetime};
use warden_common::identity::JoinToken;

/// The CA as the running control plane holds it: the intermediate that signs, and the bundle
/// relying parties trust.
pub struct AgentCa {
    pub trust_domain: String,
    intermediate_id: Uuid,
    intermediate: Signer,
    /// Every unexpired intermediate, the current one included: each signs its own CRL.
    crl_issuers: Vec<(Uuid, Signer)>,
    /// Active root and every unexpired intermediate, so certificates from a previous
    /// intermediate keep verifying after rotation.
    pub bundle_pem: String,
    jwt: jwt::JwtSigner,
}

impl AgentCa {
    pub fn spiffe_id(&self, agent_id: Uuid) -> String {
        format!("spiffe://{}/agent/{agent_id}", self.trust_domain)
    }

    /// A certificate and key for the control plane's agent-facing TLS listener.
    pub fn server_certificate(&self, names: &[String]) -> anyhow::Result<(String, String)> {
        ca::issue_server_certificate(&self.intermediate, names)
    }

    /// A listener certificate for an enforcer's agent-facing mTLS port.
    pub fn enforcer_certificate(
        &self,
        csr_pem: &str,
        names: &[String],
    ) -> std::result::Result<String, ca::IssueError> {
        ca::issue_server_certificate_for_csr(&self.intermediate, csr_pem, names)
    }

    /// The current CRLs of every unexpired intermediate.
    pub async fn crl(&self, db: &PgPool) -> anyhow::Result<crl::CrlMessage> {
        crl::build(db, &self.crl_issuers, &self.trust_domain, &self.bundle_pem).await
    }

    /// The agent id in a SPIFFE ID of this trust domain.
    pub fn agent_id(&self, spiffe_id: &str) -> Option<Uuid> {
        spiffe_id
            .strip_prefix("spiffe://")?
            .strip_prefix(self.trust_domain.as_str())?
            .strip_prefix("/agent/")?
            .parse()
            .ok()
    }
}

/// What the agent's current certificate says about it.
#[derive(Debug, Clone)]
pub struct PresentedSvid {
    pub spiffe_id: String,
    pub serial_hex: String,
}

impl PresentedSvid {
    pub fn parse(der: &[u8]) -> anyhow::Result<Self> {
        use x509_parser::extensions::GeneralName;
        use x509_parser::prelude::FromDer;
        let (_, certificate) = x509_parser::certificate::X509Certificate::from_der(der)?;
        let uris: Vec<String> = certificate
            .subject_alternative_name()?
            .map(|san| {
                san.value
                    .general_names
                    .iter()
                    .filter_map(|name| match name {
                        GeneralName::URI(uri) => Some((*uri).to_owned()),
                        _ => None,
                    })
                    .collect()
            })
            .unwrap_or_default();
        let [spiffe_id] = uris.as_slice() else {
            anyhow::bail!("an SVID has exactly one URI SAN");
        };
        Ok(PresentedSvid {
            spiffe_id: spiffe_id.clone(),
            serial_hex: certificate
                .raw_serial()
                .iter()
                .map(|byte| format!("{byte:02x}"))
                .collect(),
        })
    }
}

/// Intermediates are replaced when they have less than this left.
const INTERMEDIATE_RENEW_BEFORE: Duration = Duration::days(30);

/// Validates a trust domain name as SPIFFE defines it: lowercase letters, digits, '.', '-', '_'.
pub fn validate_trust_domain(trust_domain: &str) -> anyhow::Result<()> {
    let valid = !trust_domain.is_empty()
        && trust_domain.len() <= 255
        && trust_domain
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_'));
    anyhow::ensure!(
        valid,
        "WARDEN_TRUST_DOMAIN `{trust_domain}` is not a valid SPIFFE trust domain"
    );
    Ok(())
}

/// Loads the CA for `trust_domain`, creating the root and intermediate on first start and a new
/// intermediate when the current one nears expiry. Serialised across control planes.
pub async fn load_or_create(
    db: &PgPool,
    trust_domain: &str,
    kek: &KeyEncryptionKey,
) -> anyhow::Result<AgentCa> {
    validate_trust_domain(trust_domain)?;
    let mut tx = db.begin().await?;
    sqlx::query("SELECT pg_advisory_xact_lock(hashtext('warden-ca:' || $1))")
        .bind(trust_domain)
        .execute(&mut *tx)
        .await?;
    let root = match store::active(&mut *tx, trust_domain, "root").await? {
        Some(root) => root,
        None => {
            let generated = tokio::task::spawn_blocking({
                let trust_domain = trust_domain.to_owned();
                move || ca::generate_root(&trust_domain)
            })
            .await??;
            let root = store::insert(&mut *tx, trust_domain, "root", None, &generated, kek).await?;
            tracing::info!(trust_domain, "created the agent root CA");
            root
        }
    };
    let root_signer = Signer::load(&root.certificate_pem, &store::open_key(&root, kek)?)?;
    let now = OffsetDateTime::now_utc();
    let intermediate = match store::active(&mut *tx, trust_domain, "intermediate").await? {
        Some(current) if current.not_after - now > INTERMEDIATE_RENEW_BEFORE => current,
        previous => {
            if let Some(previous) = previous {
                store::deactivate(&mut *tx, previous.id).await?;
            }
            let generated = ca::generate_intermediate(trust_domain, &root_signer)?;
            let intermediate = store::insert(
                &mut *tx,
                trust_domain,
                "intermediate",
                Some(root.id),
                &generated,
                kek,
            )
            .await?;
            tracing::info!(trust_domain, "issued a new agent intermediate CA");
            intermediate
        }
    };
    let signer = Signer::load(
        &intermediate.certificate_pem,
        &store::open_key(&intermediate, kek)?,
    )?;
    let mut crl_issuers = Vec::new();
    for row in store::unexpired_intermediates(&mut *tx, trust_domain).await? {
        let signer = Signer::load(&row.certificate_pem, &store::open_key(&row, kek)?)?;
        crl_issuers.push((row.id, signer));
    }
    let bundle_pem = store::bundle(&mut *tx, trust_domain).await?.join("");
    let jwt = jwt::load_or_create(&mut tx, trust_domain, kek).await?;
    tx.commit().await?;
    Ok(AgentCa {
        trust_domain: trust_domain.to_owned(),
        intermediate_id: intermediate.id,
        intermediate: signer,
        crl_issuers,
        bundle_pem,
        jwt,
    })
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewJoinToken {
    /// Minutes until the token expires, 1–60 (default 15).
    #[serde(default)]
    pub ttl_minutes: Option<u32>,
}

pub async fn create_join_token(
    state: &AppState,
    actor: &Actor,
    agent_id: Uuid,
    request: NewJoinToken,
) -> Result<JoinToken> {
    actor.require(Permission::WriteOperations)?;
    let ttl = request.ttl_minutes.unwrap_or(15);
    if !(1..=60).contains(&ttl) {
        return Err(Error::InvalidInput("join tokens live 1–60 minutes".into()));
    }
    let agent = crate::agents::get(state, actor, agent_id).await?;
    if agent.status != AgentStatus::Active {
        return Err(Error::Conflict(format!("agent {} is retired", agent.name)));
    }
    let token = crate::accounts::sessions::random_token();
    let expires_at = OffsetDateTime::now_utc() + Duration::minutes(i64::from(ttl));
    let mut tx = state.db.begin().await?;
    store::insert_join_token(&mut *tx, &token, agent_id, &actor.username, expires_at).await?;
    audit::record(
        &mut *tx,
        AuditEvent::new(
            &actor.username,
            "agent.join_token_created",
            format!("agent:{}", agent.name),
        )
        .with_details(json!({ "agent_id": agent_id, "expires_at": expires_at.unix_timestamp() })),
    )
    .await?;
    tx.commit().await?;
    Ok(JoinToken {
        token,
        agent_id,
        spiffe_id: state.ca.spiffe_id(agent_id),
        expires_at,
    })
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EnrollRequest {
    /// The single-use token from the console or API.
    pub join_token: String,
    /// PEM certificate signing request for the agent's own key (ECDSA P-256 or Ed25519).
    pub csr: String,
    /// Requested lifetime in hours; at most the agent's configured lifetime (≤ 72 h).
    #[serde(default)]
    pub lifetime_hours: Option<u32>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RenewRequest {
    /// PEM CSR for the key the renewed certificate should carry (may be a new key).
    pub csr: String,
    /// Requested lifetime in hours; at most the agent's configured lifetime (≤ 72 h).
    #[serde(default)]
    pub lifetime_hours: Option<u32>,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Svid {
    pub spiffe_id: String,
    /// The SVID followed by the intermediate that signed it.
    pub certificate_chain_pem: String,
    /// The trust bundle to verify peers with.
    pub bundle_pem: String,
    pub serial: String,
    #[serde(with = "time::serde::rfc3339")]
    pub not_before: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub not_after: OffsetDateTime,
}

/// Exchanges a join token and a CSR for the agent's first X.509-SVID. The token is consumed only
/// if a certificate is issued.
pub async fn enroll(state: &AppState, request: EnrollRequest) -> Result<Svid> {
    if let Some(hours) = request.lifetime_hours {
        validate_svid_lifetime(hours).map_err(Error::InvalidInput)?;
    }
    let mut tx = state.db.begin().await?;
    let agent_id = store::claim_join_token(&mut *tx, &request.join_token)
        .await?
        .ok_or_else(|| {
            Error::InvalidToken("the join token is unknown, already used or expired".into())
        })?;
    let agent = crate::agents::store_get(&mut *tx, agent_id)
        .await?
        .ok_or_else(|| Error::InvalidToken("the join token's agent no longer exists".into()))?;
    if agent.status != AgentStatus::Active {
        return Err(Error::Conflict(format!("agent {} is retired", agent.name)));
    }
    let svid = issue_in(
        state,
        &mut tx,
        &agent,
        &request.csr,
        request.lifetime_hours,
        "enrollment",
    )
    .await?;
    tx.commit().await?;
    Ok(svid)
}

/// Renews the SVID that authenticated the caller: refused once it (or its agent) is revoked or
/// retired. The new certificate may carry a new key.
pub async fn renew(
    state: &AppState,
    presented: PresentedSvid,
    request: RenewRequest,
) -> Result<Svid> {
    if let Some(hours) = request.lifetime_hours {
        validate_svid_lifetime(hours).map_err(Error::InvalidInput)?;
    }
    let mut tx = state.db.begin().await?;
    let agent = match presented_agent(state, &mut tx, &presented).await? {
        Ok(agent) => agent,
        Err(refusal) => {
            tx.commit().await?;
            return Err(refusal);
        }
    };
    let svid = issue_in(
        state,
        &mut tx,
        &agent,
        &request.csr,
        request.lifetime_hours,
        "renewal",
    )
    .await?;
    tx.commit().await?;
    Ok(svid)
}

/// The active agent whose current, unrevoked SVID was presented. A refusal of a revoked
/// certificate is audited in `tx`, so the caller commits before returning the refusal.
async fn presented_agent(
    state: &AppState,
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    presented: &PresentedSvid,
) -> Result<std::result::Result<warden_common::agents::Agent, Error>> {
    let agent_id = state.ca.agent_id(&presented.spiffe_id).ok_or_else(|| {
        Error::Forbidden(format!(
            "{} is not an agent of this trust domain",
            presented.spiffe_id
        ))
    })?;
    let current = store::svid_for_update(&mut **tx, &presented.serial_hex)
        .await?
        .filter(|svid| svid.agent_id == agent_id)
        .ok_or_else(|| {
            Error::Forbidden(
                "the presented certificate was not issued by this control plane".into(),
            )
        })?;
    if current.revoked_at.is_some() {
        audit::record(
            &mut **tx,
            AuditEvent::new(
                presented.spiffe_id.clone(),
                "agent.revoked_certificate_refused",
                format!("certificate:{}", presented.serial_hex),
            ),
        )
        .await?;
        return Ok(Err(Error::Forbidden(
            "the presented certificate is revoked".into(),
        )));
    }
    let agent = crate::agents::store_get(&mut **tx, agent_id)
        .await?
        .ok_or_else(|| Error::Forbidden("unknown agent".into()))?;
    if agent.status != AgentStatus::Active {
        return Err(Error::Forbidden(format!("agent {} is retired", agent.name)));
    }
    Ok(Ok(agent))
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct JwtSvidRequest {
    /// The services that will accept the token (`aud`).
    pub audience: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct JwtSvid {
    pub token: String,
    pub spiffe_id: String,
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
}

/// A JWT-SVID for the agent whose X.509-SVID authenticated the request.
pub async fn issue_jwt_svid(
    state: &AppState,
    presented: PresentedSvid,
    request: JwtSvidRequest,
) -> Result<JwtSvid> {
    jwt::validate_audience(&request.audience).map_err(Error::InvalidInput)?;
    let mut tx = state.db.begin().await?;
    let agent = match presented_agent(state, &mut tx, &presented).await? {
        Ok(agent) => agent,
        Err(refusal) => {
            tx.commit().await?;
            return Err(refusal);
        }
    };
    let spiffe_id = state.ca.spiffe_id(agent.id);
    let (token, expires_at) =
        state
            .ca
            .jwt
            .sign(&spiffe_id, &request.audience, OffsetDateTime::now_utc())?;
    audit::record(
        &mut *tx,
        AuditEvent::new(
            format!("agent:{}", agent.name),
            "agent.jwt_svid_issued",
            format!("agent:{}", agent.name),
        )
        .with_details(
            json!({ "audience": request.audience, "expires_at": expires_at.unix_timestamp() }),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(JwtSvid {
        token,
        spiffe_id,
        expires_at,
    })
}

/// Issues, records and audits an SVID inside the caller's transaction.
async fn issue_in(
    state: &AppState,
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    agent: &warden_common::agents::Agent,
    csr: &str,
    lifetime_hours: Option<u32>,
    via: &'static str,
) -> Result<Svid> {
    let hours = lifetime_hours.unwrap_or(agent.svid_lifetime_hours);
    if hours > agent.svid_lifetime_hours {
        return Err(Error::InvalidInput(format!(
            "a lifetime of {hours} h exceeds agent {}'s maximum of {} h",
            agent.name, agent.svid_lifetime_hours
        )));
    }
    let spiffe_id = state.ca.spiffe_id(agent.id);
    let issued = ca::issue_svid(
        &state.ca.intermediate,
        csr,
        &spiffe_id,
        &agent.name,
        Duration::hours(i64::from(hours)),
    )
    .map_err(|error| match error {
        ca::IssueError::Csr(error) => Error::InvalidInput(error.to_string()),
        ca::IssueError::Internal(error) => Error::Internal(error),
    })?;
    store::insert_svid(
        &mut **tx,
        &issued,
        agent.id,
        &spiffe_id,
        state.ca.intermediate_id,
        via,
    )
    .await?;
    audit::record(
        &mut **tx,
        AuditEvent::new(
            format!("agent:{}", agent.name),
            "agent.svid_issued",
            format!("agent:{}", agent.name),
        )
        .with_details(json!({
            "agent_id": agent.id,
            "serial": issued.serial_hex,
            "not_after": issued.not_after.unix_timestamp(),
            "via": via,
        })),
    )
    .await?;
    Ok(Svid {
        spiffe_id,
        certificate_chain_pem: format!(
            "{}{}",
            issued.certificate_pem, state.ca.intermediate.certificate_pem
        ),
        bundle_pem: state.ca.bundle_pem.clone(),
        serial: issued.serial_hex,
        not_before: issued.not_before,
        not_after: issued.not_after,
    })
}

pub use distribution::{publish_crl, spawn_crl_service};
pub(crate) use revocation::revoke_all_in;
pub use revocation::{revoke_agent, revoke_certificate};
