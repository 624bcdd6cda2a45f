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
use std::sync::{Arc, RwLock};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;
use warden_common::accounts::Permission;
use warden_common::agents::{AgentStatus, CredentialState, validate_svid_lifetime};
use warden_common::api::Page;
use warden_common::identity::{
    CaCertificate, CaKind, CaRotation, Certificate, JoinToken, RotationScope, subjects,
};

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
            serial_hex: ca::hex(certificate.raw_serial()),
        })
    }
}

/// Intermediates are replaced when they have less than this left.
const INTERMEDIATE_RENEW_BEFORE: Duration = Duration::days(30);
/// A replaced CA stays trusted this long: past the longest SVID lifetime (72 h) plus the
/// CA certificates' clock allowance, every certificate it issued has expired.
const RETIRED_CA_GRACE: Duration = Duration::minutes(72 * 60 + 5);

/// How long a cross-signed intermediate outlives the previous root's trust.
const CROSS_SIGNATURE_MARGIN: Duration = Duration::hours(1);

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

/// The CA this control plane signs with, replaced in place when an operator (here or on
/// another control plane) rotates it. Readers take a snapshot with [`CaHandle::current`].
#[derive(Clone)]
pub struct CaHandle {
    current: Arc<RwLock<Arc<AgentCa>>>,
    changes: Arc<tokio::sync::watch::Sender<u64>>,
}

impl CaHandle {
    pub fn new(ca: AgentCa) -> Self {
        CaHandle {
            current: Arc::new(RwLock::new(Arc::new(ca))),
            changes: Arc::new(tokio::sync::watch::Sender::new(0)),
        }
    }

    pub fn current(&self) -> Arc<AgentCa> {
        match self.current.read() {
            Ok(current) => current.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    fn replace(&self, ca: AgentCa) {
        match self.current.write() {
            Ok(mut current) => *current = Arc::new(ca),
            Err(poisoned) => *poisoned.into_inner() = Arc::new(ca),
        }
        self.changes.send_modify(|generation| *generation += 1);
    }

    /// Ticks whenever the CA is replaced, so TLS listeners can take the new bundle.
    pub fn changes(&self) -> tokio::sync::watch::Receiver<u64> {
        self.changes.subscribe()
    }

    /// Re-reads the CA from the database (after a rotation, possibly by another control plane).
    pub async fn reload(&self, db: &PgPool, kek: &KeyEncryptionKey) -> anyhow::Result<()> {
        let trust_domain = self.current().trust_domain.clone();
        self.replace(load_or_create(db, &trust_domain, kek).await?);
        Ok(())
    }
}

/// An operator's rotation and who asked for it, applied inside the loading transaction.
struct RotationOrder<'a> {
    rotation: CaRotation,
    actor: &'a str,
}

/// Loads the CA for `trust_domain`, creating the root and intermediate on first start and a new
/// intermediate when the current one nears expiry. Serialised across control planes.
pub async fn load_or_create(
    db: &PgPool,
    trust_domain: &str,
    kek: &KeyEncryptionKey,
) -> anyhow::Result<AgentCa> {
    load_with(db, trust_domain, kek, None).await
}

async fn load_with(
    db: &PgPool,
    trust_domain: &str,
    kek: &KeyEncryptionKey,
    order: Option<RotationOrder<'_>>,
) -> anyhow::Result<AgentCa> {
    validate_trust_domain(trust_domain)?;
    let mut tx = db.begin().await?;
    sqlx::query("SELECT pg_advisory_xact_lock(hashtext('warden-ca:' || $1))")
        .bind(trust_domain)
        .execute(&mut *tx)
        .await?;
    let now = OffsetDateTime::now_utc();
    let retired_trusted_until = match &order {
        Some(order) if order.rotation.distrust_previous => now,
        _ => now + RETIRED_CA_GRACE,
    };
    let rotate_root = matches!(&order, Some(order) if order.rotation.scope == RotationScope::Root);
    let mut retired = Vec::new();
    // The replaced root during a root rotation, to cross-sign the new intermediate with.
    let mut previous_root = None;
    let root = match store::active(&mut *tx, trust_domain, "root").await? {
        Some(root) if !rotate_root => root,
        previous => {
            let generated = tokio::task::spawn_blocking({
                let trust_domain = trust_domain.to_owned();
                move || ca::generate_root(&trust_domain)
            })
            .await??;
            if let Some(previous) = &previous {
                store::retire(&mut *tx, previous.id, retired_trusted_until).await?;
                retired.push(previous.id);
            }
            let root = store::insert(&mut *tx, trust_domain, "root", None, &generated, kek).await?;
            if let Some(previous) = previous.filter(|_| retired_trusted_until > now) {
                previous_root = Some(Signer::load(
                    &previous.certificate_pem,
                    &store::open_key(&previous, kek)?,
                )?);
            }
            tracing::info!(trust_domain, "created an agent root CA");
            root
        }
    };
    let root_signer = Signer::load(&root.certificate_pem, &store::open_key(&root, kek)?)?;
    let intermediate = match store::active(&mut *tx, trust_domain, "intermediate").await? {
        Some(current) if order.is_none() && current.not_after - now > INTERMEDIATE_RENEW_BEFORE => {
            current
        }
        previous => {
            if let Some(previous) = previous {
                store::retire(&mut *tx, previous.id, retired_trusted_until).await?;
                retired.push(previous.id);
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
            if let Some(previous_root) = &previous_root {
                // Valid a little past the previous root's trust, covering the refresh lag.
                let link = ca::cross_sign(
                    &generated,
                    previous_root,
                    RETIRED_CA_GRACE + CROSS_SIGNATURE_MARGIN,
                )?;
                store::set_cross_signed(&mut *tx, intermediate.id, &link, retired_trusted_until)
                    .await?;
            }
            tracing::info!(trust_domain, "issued a new agent intermediate CA");
            intermediate
        }
    };
    if let Some(order) = order
        .as_ref()
        .filter(|order| order.rotation.distrust_previous)
    {
        let kinds: &[&str] = match order.rotation.scope {
            RotationScope::Root => &["root", "intermediate"],
            RotationScope::Intermediate => &["intermediate"],
        };
        let distrusted =
            store::distrust_except(&mut *tx, trust_domain, kinds, &[root.id, intermediate.id])
                .await?;
        tracing::warn!(
            trust_domain,
            distrusted,
            "distrusted every replaced CA certificate"
        );
    }
    if let Some(order) = &order {
        audit::record(
            &mut *tx,
            AuditEvent::new(
                order.actor,
                "identity.ca_rotated",
                format!("trust-domain:{trust_domain}"),
            )
            .with_details(json!({
                "scope": order.rotation.scope,
                "distrust_previous": order.rotation.distrust_previous,
                "retired": retired,
                "new_root": rotate_root.then_some(root.id),
                "new_intermediate": intermediate.id,
                "previous_trusted_until": retired_trusted_until.unix_timestamp(),
            })),
        )
        .await?;
    }
    let mut signer = Signer::load(
        &intermediate.certificate_pem,
        &store::open_key(&intermediate, kek)?,
    )?;
    signer.cross_signed_pem = store::current_cross_signed(&mut *tx, intermediate.id)
        .await?
        .unwrap_or_default();
    let mut crl_issuers = Vec::new();
    for row in store::trusted_intermediates(&mut *tx, trust_domain).await? {
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

/// Rotates the agent CA at an operator's request: a new intermediate (or root and
/// intermediate) signs from now on; the replaced one stays in the bundle for the grace period
/// unless distrusted. Every control plane reloads and the fleet gets the new bundle.
pub async fn rotate_ca(
    state: &AppState,
    actor: &Actor,
    rotation: CaRotation,
) -> Result<Vec<CaCertificate>> {
    actor.require(Permission::ManageTrust)?;
    let kek = KeyEncryptionKey::from_config(&state.config.identity)?;
    let trust_domain = state.ca.current().trust_domain.clone();
    let ca = load_with(
        &state.db,
        &trust_domain,
        &kek,
        Some(RotationOrder {
            rotation,
            actor: &actor.username,
        }),
    )
    .await?;
    state.ca.replace(ca);
    tracing::info!(scope = ?rotation.scope, distrust_previous = rotation.distrust_previous, "rotated the agent CA");
    if let Err(error) = state
        .nats
        .publish(subjects::CA_CHANGED, trust_domain.into_bytes().into())
        .await
    {
        tracing::error!(%error, "cannot tell the other control planes about the CA rotation");
    }
    publish_crl(state).await;
    list_ca(state, actor).await
}

/// The agent CA's certificates and where each stands in the trust bundle.
pub async fn list_ca(state: &AppState, actor: &Actor) -> Result<Vec<CaCertificate>> {
    actor.require(Permission::ReadOperations)?;
    let trust_domain = state.ca.current().trust_domain.clone();
    let rows = store::list_ca(&state.db, &trust_domain).await?;
    rows.into_iter()
        .map(|row| {
            let (subject, fingerprint_sha256) = describe_certificate(&row.certificate_pem)?;
            Ok(CaCertificate {
                id: row.id,
                kind: if row.kind == "root" {
                    CaKind::Root
                } else {
                    CaKind::Intermediate
                },
                subject,
                fingerprint_sha256,
                not_before: row.not_before,
                not_after: row.not_after,
                active: row.active,
                retired_at: row.retired_at,
                trusted_until: row.trusted_until,
                in_bundle: row.in_bundle,
            })
        })
        .collect()
}

/// The subject (as its common name) and SHA-256 fingerprint of a PEM certificate.
fn describe_certificate(pem: &str) -> Result<(String, String)> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    use sha2::{Digest, Sha256};
    use x509_parser::prelude::FromDer;
    let der = CertificateDer::from_pem_slice(pem.as_bytes())
        .map_err(|error| anyhow::anyhow!("stored CA certificate is not PEM: {error}"))?;
    let (_, certificate) = x509_parser::certificate::X509Certificate::from_der(&der)
        .map_err(|error| anyhow::anyhow!("stored CA certificate does not parse: {error}"))?;
    let subject = certificate
        .subject()
        .iter_common_name()
        .next()
        .and_then(|name| name.as_str().ok())
        .map(str::to_owned)
        .unwrap_or_else(|| certificate.subject().to_string());
    let fingerprint = ca::hex(&Sha256::digest(&der));
    Ok((subject, fingerprint))
}

/// Most certificates one page returns.
pub const MAX_CERTIFICATE_PAGE: i64 = 200;

/// An agent's certificates, newest first. The cursor is `<issued_at unix nanos>.<serial>`.
pub async fn list_certificates(
    state: &AppState,
    actor: &Actor,
    agent_id: Uuid,
    cursor: Option<&str>,
    limit: Option<i64>,
) -> Result<Page<Certificate>> {
    // Also checks the permission and that the agent exists.
    crate::agents::get(state, actor, agent_id).await?;
    let limit = limit.unwrap_or(50).clamp(1, MAX_CERTIFICATE_PAGE);
    let after = cursor
        .filter(|cursor| !cursor.is_empty())
        .map(|cursor| {
            let (nanos, serial) = cursor
                .split_once('.')
                .ok_or_else(|| Error::InvalidInput("malformed cursor".into()))?;
            let nanos: i128 = nanos
                .parse()
                .map_err(|_| Error::InvalidInput("malformed cursor".into()))?;
            let time = OffsetDateTime::from_unix_timestamp_nanos(nanos)
                .map_err(|_| Error::InvalidInput("malformed cursor".into()))?;
            Ok::<_, Error>((time, serial.to_owned()))
        })
        .transpose()?;
    let mut rows = store::certificates_of(&state.db, agent_id, after, limit + 1).await?;
    let next_cursor = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last()
            .map(|row| format!("{}.{}", row.issued_at.unix_timestamp_nanos(), row.serial))
    } else {
        None
    };
    let now = OffsetDateTime::now_utc();
    let items = rows
        .into_iter()
        .map(|row| {
            let (issuer, _) = describe_certificate(&row.issuer_pem)?;
            Ok(Certificate {
                state: CredentialState::at(
                    now,
                    row.not_before,
                    row.not_after,
                    row.revoked_at.is_some(),
                ),
                serial: row.serial,
                spiffe_id: row.spiffe_id,
                issued_via: row.issued_via,
                issuer,
                not_before: row.not_before,
                not_after: row.not_after,
                revoked_at: row.revoked_at,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Page { items, next_cursor })
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
        spiffe_id: state.ca.current().spiffe_id(agent_id),
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
    let agent_id = state
        .ca
        .current()
        .agent_id(&presented.spiffe_id)
        .ok_or_else(|| {
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
    let ca = state.ca.current();
    let spiffe_id = ca.spiffe_id(agent.id);
    let (token, expires_at) =
        ca.jwt
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
    let ca = state.ca.current();
    let spiffe_id = ca.spiffe_id(agent.id);
    let issued = ca::issue_svid(
        &ca.intermediate,
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
        ca.intermediate_id,
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
            issued.certificate_pem, ca.intermediate.certificate_pem
        ),
        bundle_pem: ca.bundle_pem.clone(),
        serial: issued.serial_hex,
        not_before: issued.not_before,
        not_after: issued.not_after,
    })
}

pub use distribution::{publish_crl, spawn_crl_service};
pub(crate) use revocation::revoke_all_in;
pub use revocation::{revoke_agent, revoke_certificate};
