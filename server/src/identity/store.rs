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

/// Every intermediate of the trust domain that has not expired, newest first.
pub async fn unexpired_intermediates(
    db: impl PgExecutor<'_>,
    trust_domain: &str,
) -> sqlx::Result<Vec<CaRow>> {
    sqlx::query_as(
        "SELECT id, certificate_pem, encrypted_key, not_after FROM ca_certificates \
         WHERE trust_domain = $1 AND kind = 'intermediate' AND not_after > now() \
         ORDER BY created_at DESC",
    )
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

pub async fn deactivate(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<()> {
    sqlx::query("UPDATE ca_certificates SET active = false WHERE id = $1")
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

/// PEMs of the active root and every intermediate that has not expired.
pub async fn bundle(db: impl PgExecutor<'_>, trust_domain: &str) -> sqlx::Result<Vec<String>> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT certificate_pem FROM ca_certificates WHERE trust_domain = $1 \
         AND ((kind = 'root' AND active) OR (kind = 'intermediate' AND not_after > now())) \
         ORDER BY kind DESC, created_at",
    )
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
