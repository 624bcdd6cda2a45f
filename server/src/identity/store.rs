use super::ca::{IssuedSvid, NewCa};
use super::kek::KeyEncryptionKey;
use sqlx::{FromRow, PgExecutor};
use time::OffsetDateTime;
use uuid::Uuid;

#[derive(Debug, FromRow)]
pub struct CaRow {
    pub id: Uuid,
    pub certificate_pem: String,
    pub encrypted_key: Vec<u8>,
    pub not_after: OffsetDateTime,
}

fn key_context(id: Uuid) -> String {
    format!("warden-ca-key:{id}")
}

pub fn open_key(row: &CaRow, kek: &KeyEncryptionKey) -> anyhow::Result<String> {
    let plaintext = kek.open(&row.encrypted_key, &key_context(row.id))?;
    Ok(String::from_utf8(plaintext)?)
}

pub async fn active(
    db: impl PgExecutor<'_>,
    trust_domain: &str,
    kind: &str,
) -> sqlx::Result<Option<CaRow>> {
    sqlx::query_as(
        "SELECT id, certificate_pem, encrypted_key, not_after FROM ca_certificates \
         WHERE trust_domain = $1 AND kind = $2 AND active",
    )
    .bind(trust_domain)
    .bind(kind)
    .fetch_optional(db)
    .await
}

/// Which intermediates relying parties trust: unexpired and not distrusted after a rotation.
const TRUSTED_INTERMEDIATE: &str = "kind = 'intermediate' AND not_after > now() \
     AND (trusted_until IS NULL OR trusted_until > now())";

/// Every intermediate in the trust bundle, newest first.
pub async fn trusted_intermediates(
    db: impl PgExecutor<'_>,
    trust_domain: &str,
) -> sqlx::Result<Vec<CaRow>> {
    sqlx::query_as(&format!(
        "SELECT id, certificate_pem, encrypted_key, not_after FROM ca_certificates \
         WHERE trust_domain = $1 AND {TRUSTED_INTERMEDIATE} ORDER BY created_at DESC"
    ))
    .bind(trust_domain)
    .fetch_all(db)
    .await
}

pub async fn insert(
    db: impl PgExecutor<'_>,
    trust_domain: &str,
    kind: &str,
    parent_id: Option<Uuid>,
    ca: &NewCa,
    kek: &KeyEncryptionKey,
) -> anyhow::Result<CaRow> {
    let id = Uuid::new_v4();
    let sealed = kek.seal(ca.key_pem.as_bytes(), &key_context(id))?;
    sqlx::query(
        "INSERT INTO ca_certificates (id, trust_domain, kind, parent_id, certificate_pem, encrypted_key, not_before, not_after) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id)
    .bind(trust_domain)
    .bind(kind)
    .bind(parent_id)
    .bind(&ca.certificate_pem)
    .bind(&sealed)
    .bind(ca.not_before)
    .bind(ca.not_after)
    .execute(db)
    .await?;
    Ok(CaRow {
        id,
        certificate_pem: ca.certificate_pem.clone(),
        encrypted_key: sealed,
        not_after: ca.not_after,
    })
}

pub async fn set_cross_signed(
    db: impl PgExecutor<'_>,
    id: Uuid,
    pem: &str,
    until: OffsetDateTime,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE ca_certificates SET cross_signed_pem = $2, cross_signed_until = $3 WHERE id = $1",
    )
    .bind(id)
    .bind(pem)
    .bind(until)
    .execute(db)
    .await?;
    Ok(())
}

/// The intermediate's cross-signature by the previous root, while that root is still trusted.
pub async fn current_cross_signed(
    db: impl PgExecutor<'_>,
    intermediate_id: Uuid,
) -> sqlx::Result<Option<String>> {
    let row: Option<(Option<String>,)> = sqlx::query_as(
        "SELECT cross_signed_pem FROM ca_certificates WHERE id = $1 AND cross_signed_until > now()",
    )
    .bind(intermediate_id)
    .fetch_optional(db)
    .await?;
    Ok(row.and_then(|(pem,)| pem))
}

/// Takes a CA certificate out of the signing role; it stays in the bundle until
/// `trusted_until` (and never past its own expiry).
pub async fn retire(
    db: impl PgExecutor<'_>,
    id: Uuid,
    trusted_until: OffsetDateTime,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE ca_certificates SET active = false, retired_at = now(), \
         trusted_until = LEAST(COALESCE(trusted_until, $2), $2) WHERE id = $1",
    )
    .bind(id)
    .bind(trusted_until)
    .execute(db)
    .await?;
    Ok(())
}

/// Distrusts at once every CA certificate of the given kinds except `keep` (a rotation after a
/// suspected compromise).
pub async fn distrust_except(
    db: impl PgExecutor<'_>,
    trust_domain: &str,
    kinds: &[&str],
    keep: &[Uuid],
) -> sqlx::Result<u64> {
    let kinds: Vec<String> = kinds.iter().map(|kind| (*kind).to_owned()).collect();
    let result = sqlx::query(
        "UPDATE ca_certificates SET active = false, retired_at = COALESCE(retired_at, now()), \
         trusted_until = LEAST(COALESCE(trusted_until, now()), now()) \
         WHERE trust_domain = $1 AND kind = ANY($2) AND NOT (id = ANY($3))",
    )
    .bind(trust_domain)
    .bind(&kinds)
    .bind(keep)
    .execute(db)
    .await?;
    Ok(result.rows_affected())
}

/// The bundle: the active root, every trusted intermediate, and the roots those chain to (a
/// root replaced by a rotation stays while certificates under it may be valid).
const IN_BUNDLE: &str = "(kind = 'intermediate' AND not_after > now() \
     AND (trusted_until IS NULL OR trusted_until > now())) \
     OR (kind = 'root' AND not_after > now() AND (active OR ( \
         (trusted_until IS NULL OR trusted_until > now()) AND id IN ( \
             SELECT child.parent_id FROM ca_certificates child WHERE child.kind = 'intermediate' \
             AND child.not_after > now() \
             AND (child.trusted_until IS NULL OR child.trusted_until > now())))))";

/// PEMs of every certificate in the trust bundle, roots first.
pub async fn bundle(db: impl PgExecutor<'_>, trust_domain: &str) -> sqlx::Result<Vec<String>> {
    let rows: Vec<(String,)> = sqlx::query_as(&format!(
        "SELECT certificate_pem FROM ca_certificates WHERE trust_domain = $1 AND ({IN_BUNDLE}) \
         ORDER BY kind DESC, created_at"
    ))
    .bind(trust_domain)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|(pem,)| pem).collect())
}

pub async fn insert_join_token(
    db: impl PgExecutor<'_>,
    token: &str,
    agent_id: Uuid,
    created_by: &str,
    expires_at: OffsetDateTime,
) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO join_tokens (token_hash, agent_id, created_by, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(crate::accounts::sessions::token_hash(token))
        .bind(agent_id)
        .bind(created_by)
        .bind(expires_at)
        .execute(db)
        .await?;
    Ok(())
}

/// Marks an unused, unexpired token used and returns its agent; `None` for any other token.
/// Runs inside the enrolment transaction, so a failed enrolment leaves the token unused.
pub async fn claim_join_token(db: impl PgExecutor<'_>, token: &str) -> sqlx::Result<Option<Uuid>> {
    let row: Option<(Uuid,)> = sqlx::query_as(
        "UPDATE join_tokens SET used_at = now() \
         WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now() RETURNING agent_id",
    )
    .bind(crate::accounts::sessions::token_hash(token))
    .fetch_optional(db)
    .await?;
    Ok(row.map(|(agent_id,)| agent_id))
}

pub async fn insert_svid(
    db: impl PgExecutor<'_>,
    svid: &IssuedSvid,
    agent_id: Uuid,
    spiffe_id: &str,
    issuer_id: Uuid,
    via: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO svids (serial, agent_id, spiffe_id, issuer_id, certificate_pem, not_before, not_after, issued_via) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&svid.serial_hex)
    .bind(agent_id)
    .bind(spiffe_id)
    .bind(issuer_id)
    .bind(&svid.certificate_pem)
    .bind(svid.not_before)
    .bind(svid.not_after)
    .bind(via)
    .execute(db)
    .await?;
    Ok(())
}

/// Marks every unexpired, unrevoked certificate of the agent revoked.
pub async fn revoke_for_agent(db: impl PgExecutor<'_>, agent_id: Uuid) -> sqlx::Result<u64> {
    let result = sqlx::query(
        "UPDATE svids SET revoked_at = now() WHERE agent_id = $1 AND revoked_at IS NULL AND not_after > now()",
    )
    .bind(agent_id)
    .execute(db)
    .await?;
    Ok(result.rows_affected())
}

pub enum Revocation {
    Revoked(Uuid),
    AlreadyRevoked,
    Unknown,
}

pub async fn revoke_serial(db: impl PgExecutor<'_>, serial: &str) -> sqlx::Result<Revocation> {
    let row: Option<(Uuid, bool)> = sqlx::query_as(
        "WITH target AS (SELECT serial, agent_id, revoked_at IS NOT NULL AS was_revoked FROM svids WHERE serial = $1 FOR UPDATE) \
         UPDATE svids SET revoked_at = COALESCE(svids.revoked_at, now()) FROM target \
         WHERE svids.serial = target.serial RETURNING target.agent_id, target.was_revoked",
    )
    .bind(serial)
    .fetch_optional(db)
    .await?;
    Ok(match row {
        Some((_, true)) => Revocation::AlreadyRevoked,
        Some((agent_id, false)) => Revocation::Revoked(agent_id),
        None => Revocation::Unknown,
    })
}

#[derive(Debug, FromRow)]
pub struct SvidRow {
    pub agent_id: Uuid,
    pub revoked_at: Option<OffsetDateTime>,
}

pub async fn svid_for_update(
    db: impl PgExecutor<'_>,
    serial: &str,
) -> sqlx::Result<Option<SvidRow>> {
    sqlx::query_as("SELECT agent_id, revoked_at FROM svids WHERE serial = $1 FOR UPDATE")
        .bind(serial)
        .fetch_optional(db)
        .await
}

#[derive(Debug, FromRow)]
pub struct CaListRow {
    pub id: Uuid,
    pub kind: String,
    pub certificate_pem: String,
    pub not_before: OffsetDateTime,
    pub not_after: OffsetDateTime,
    pub active: bool,
    pub retired_at: Option<OffsetDateTime>,
    pub trusted_until: Option<OffsetDateTime>,
    pub in_bundle: bool,
}

/// Every CA certificate of the trust domain that has not expired, roots first, newest first.
pub async fn list_ca(db: impl PgExecutor<'_>, trust_domain: &str) -> sqlx::Result<Vec<CaListRow>> {
    sqlx::query_as(&format!(
        "SELECT id, kind, certificate_pem, not_before, not_after, active, retired_at, trusted_until, \
         ({IN_BUNDLE}) AS in_bundle FROM ca_certificates \
         WHERE trust_domain = $1 AND not_after > now() ORDER BY kind DESC, created_at DESC"
    ))
    .bind(trust_domain)
    .fetch_all(db)
    .await
}

#[derive(Debug, FromRow)]
pub struct CertificateRow {
    pub serial: String,
    pub spiffe_id: String,
    pub issued_via: String,
    pub issuer_pem: String,
    pub issued_at: OffsetDateTime,
    pub not_before: OffsetDateTime,
    pub not_after: OffsetDateTime,
    pub revoked_at: Option<OffsetDateTime>,
}

/// An agent's certificates, newest first, after the cursor `(issued_at, serial)` if given.
pub async fn certificates_of(
    db: impl PgExecutor<'_>,
    agent_id: Uuid,
    after: Option<(OffsetDateTime, String)>,
    limit: i64,
) -> sqlx::Result<Vec<CertificateRow>> {
    let (after_time, after_serial) = after.unzip();
    sqlx::query_as(
        "SELECT s.serial, s.spiffe_id, s.issued_via, c.certificate_pem AS issuer_pem, s.issued_at, \
         s.not_before, s.not_after, s.revoked_at FROM svids s JOIN ca_certificates c ON c.id = s.issuer_id \
         WHERE s.agent_id = $1 AND ($2::timestamptz IS NULL OR (s.issued_at, s.serial) < ($2, $3)) \
         ORDER BY s.issued_at DESC, s.serial DESC LIMIT $4",
    )
    .bind(agent_id)
    .bind(after_time)
    .bind(after_serial)
    .bind(limit)
    .fetch_all(db)
    .await
}
