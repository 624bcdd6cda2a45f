//! What the API and the console ask of the audit trail. Reading it needs the `ReadAudit`
//! permission (admins, security engineers, auditors).

use super::log::AuditLog;
use super::store::{self, StoredCheckpoint};
use super::{ingest, search, sequencer, signing};
use crate::accounts::Actor;
use crate::error::{Error, Result};
use crate::state::AppState;
use anyhow::Context;
use std::sync::Arc;
use warden_audit_index::AuditIndex;
use warden_common::accounts::Permission;
use warden_common::audit::{
    AuditEvent, AuditSearch, AuditSearchPage, Checkpoint, ConsistencyProof, InclusionProof, LogKey,
};
use warden_tlog::to_hex;

/// The log and its index, as held in the application state.
#[derive(Clone)]
pub struct AuditService {
    pub log: AuditLog,
    pub index: Arc<AuditIndex>,
}

/// Opens the log (its tree from Postgres, its signing key, its index) and starts the sequencer,
/// the decision-event intake, the follower and the checkpoint signer.
pub async fn start(
    db: &sqlx::PgPool,
    nats: &async_nats::Client,
    kek: &crate::identity::kek::KeyEncryptionKey,
    config: &crate::config::AuditConfig,
    trust_domain: &str,
) -> anyhow::Result<AuditService> {
    let origin = config
        .origin
        .clone()
        .unwrap_or_else(|| format!("{trust_domain}/audit"));
    let signer = signing::load_or_create(db, kek, &origin)
        .await
        .context("cannot load the audit log's signing key")?;
    // Events recorded while no control plane ran enter the log before it is loaded.
    sequencer::drain_inbox(db).await?;
    let log = AuditLog::open(db, signer, origin).await?;
    let (index, feed) = search::open(&config.index_dir).with_context(|| {
        format!(
            "cannot open the audit index in {}",
            config.index_dir.display()
        )
    })?;

    tokio::spawn(sequencer::run(db.clone(), log.clone()));
    tokio::spawn(ingest::run(
        nats.clone(),
        db.clone(),
        log.clone(),
        trust_domain.to_owned(),
    ));
    {
        let (db, log, index) = (db.clone(), log.clone(), index.clone());
        tokio::spawn(async move {
            if let Err(error) = search::catch_up(&db, &log, &index, &feed).await {
                tracing::error!(
                    error = format!("{error:#}"),
                    "cannot rebuild the audit index; search results will be incomplete"
                );
            }
            log.follow(db, feed).await;
        });
    }
    tokio::spawn(log.clone().sign_checkpoints(db.clone()));
    Ok(AuditService { log, index })
}

pub async fn search(
    state: &AppState,
    actor: &Actor,
    search: AuditSearch,
) -> Result<AuditSearchPage> {
    actor.require(Permission::ReadAudit)?;
    let query = search::query(search)?;
    let offset = query.offset;
    let page = search::run(state.audit.index.clone(), query).await?;
    let events = store::events(&state.db, &page.seqs).await?;
    Ok(AuditSearchPage {
        total: page.total,
        offset,
        facets: search::facets(&page),
        events,
        log_size: state.audit.log.len(),
        indexed: state.audit.index.doc_count(),
    })
}

pub async fn event(state: &AppState, actor: &Actor, seq: u64) -> Result<AuditEvent> {
    actor.require(Permission::ReadAudit)?;
    store::events(&state.db, &[seq])
        .await?
        .pop()
        .ok_or_else(|| Error::NotFound(format!("there is no audit event {seq}")))
}

/// The proof that event `seq` is in the checkpoint of `size`, or in the newest checkpoint.
pub async fn inclusion(
    state: &AppState,
    actor: &Actor,
    seq: u64,
    size: Option<u64>,
) -> Result<InclusionProof> {
    actor.require(Permission::ReadAudit)?;
    let checkpoint = match size {
        Some(size) => store::checkpoint_of_size(&state.db, size)
            .await?
            .ok_or_else(|| Error::NotFound(format!("there is no checkpoint of size {size}")))?,
        None => latest(state).await?,
    };
    if seq >= checkpoint.size {
        return Err(Error::Conflict(format!(
            "event {seq} is not in checkpoint {} yet; checkpoints are signed every second",
            checkpoint.size
        )));
    }
    let (leaf, hashes) = {
        let stored = store::event_range(&state.db, seq, seq + 1).await?;
        let (_, _, leaf) = stored
            .into_iter()
            .next()
            .ok_or_else(|| Error::NotFound(format!("there is no audit event {seq}")))?;
        let hashes = state
            .audit
            .log
            .inclusion_proof(seq, checkpoint.size)
            .map_err(|error| Error::Unavailable(format!("proof not available yet: {error}")))?;
        (leaf, hashes)
    };
    Ok(InclusionProof {
        seq,
        leaf_hash: to_hex(&leaf),
        checkpoint: checkpoint.view(),
        hashes: hashes.iter().map(|hash| to_hex(hash)).collect(),
    })
}

pub async fn consistency(
    state: &AppState,
    actor: &Actor,
    from: u64,
    to: u64,
) -> Result<ConsistencyProof> {
    actor.require(Permission::ReadAudit)?;
    if from > to {
        return Err(Error::InvalidInput(
            "`from` must not be larger than `to`".into(),
        ));
    }
    let find = |size: u64| async move {
        store::checkpoint_of_size(&state.db, size)
            .await?
            .ok_or_else(|| Error::NotFound(format!("there is no checkpoint of size {size}")))
    };
    let (old, new) = (find(from).await?, find(to).await?);
    let hashes = state
        .audit
        .log
        .consistency_proof(from, to)
        .map_err(|error| Error::Unavailable(format!("proof not available yet: {error}")))?;
    Ok(ConsistencyProof {
        from: old.view(),
        to: new.view(),
        hashes: hashes.iter().map(|hash| to_hex(hash)).collect(),
    })
}

pub async fn checkpoints(
    state: &AppState,
    actor: &Actor,
    before: Option<u64>,
    limit: Option<i64>,
) -> Result<Vec<Checkpoint>> {
    actor.require(Permission::ReadAudit)?;
    let limit = limit.unwrap_or(50);
    if !(1..=500).contains(&limit) {
        return Err(Error::InvalidInput(
            "`limit` must be between 1 and 500".into(),
        ));
    }
    Ok(store::list_checkpoints(&state.db, before, limit)
        .await?
        .iter()
        .map(StoredCheckpoint::view)
        .collect())
}

pub async fn latest_checkpoint(state: &AppState, actor: &Actor) -> Result<Checkpoint> {
    actor.require(Permission::ReadAudit)?;
    Ok(latest(state).await?.view())
}

async fn latest(state: &AppState) -> Result<StoredCheckpoint> {
    store::latest_checkpoint(&state.db)
        .await?
        .ok_or_else(|| Error::NotFound("no checkpoint has been signed yet".into()))
}

pub fn key(state: &AppState, actor: &Actor) -> Result<LogKey> {
    actor.require(Permission::ReadAudit)?;
    Ok(LogKey {
        origin: state.audit.log.origin().to_owned(),
        verifier_key: state.audit.log.verifier_key(),
    })
}
