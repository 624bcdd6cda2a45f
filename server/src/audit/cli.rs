//! `warden audit export DIR` and `warden audit verify DIR`: the auditor's tools. Export reads the
//! database directly (no running control plane needed); verify needs nothing but the directory,
//! and ideally the verifier key obtained independently.

use super::log::to_hash;
use super::store::{self, StoredCheckpoint};
use crate::config::{AuditCommand, AuditExportArgs, AuditVerifyArgs};
use anyhow::Context;
use futures::TryStreamExt;
use std::io::Write;
use warden_tlog::{ExportWriter, MerkleTree, to_hex, verify_export};

pub async fn run(command: AuditCommand) -> anyhow::Result<()> {
    match command {
        AuditCommand::Export(args) => export(args).await,
        AuditCommand::Verify(args) => verify(args),
    }
}

async fn export(args: AuditExportArgs) -> anyhow::Result<()> {
    let db = crate::db::connect(&args.database).await?;
    let latest = store::latest_checkpoint(&db)
        .await?
        .context("no checkpoint has been signed yet; start the control plane first")?;
    let size = latest.size;
    let from = args.from.unwrap_or(0);
    let to = args.to.map_or(size, |to| to.min(size));
    anyhow::ensure!(
        from < to,
        "nothing to export: --from {from} is not before {to}"
    );
    let origin = latest
        .note
        .lines()
        .next()
        .context("the newest checkpoint has no origin line")?
        .to_owned();
    let (verifier_key,): (String,) =
        sqlx::query_as("SELECT verifier_key FROM audit_signing_keys WHERE key_name = $1")
            .bind(&origin)
            .fetch_one(&db)
            .await
            .with_context(|| format!("no signing key named {origin}"))?;

    // The tree up to the newest checkpoint, for proofs.
    let mut tree = MerkleTree::new();
    let mut leaves = sqlx::query_as::<_, (i64, Vec<u8>)>(
        "SELECT seq, leaf_hash FROM audit_log WHERE seq < $1 ORDER BY seq",
    )
    .bind(size as i64)
    .fetch(&db);
    while let Some((seq, hash)) = leaves.try_next().await? {
        anyhow::ensure!(
            seq as u64 == tree.len(),
            "the stored log has a gap before leaf {seq}"
        );
        tree.push(to_hash(&hash)?);
    }
    drop(leaves);
    anyhow::ensure!(
        tree.len() == size,
        "the stored log is shorter than its newest checkpoint"
    );

    // Every checkpoint that covers an exported event, oldest first, each with its consistency
    // proof from the one before.
    let covering: Vec<StoredCheckpoint> = {
        let rows: Vec<(i64,)> = sqlx::query_as(
            "SELECT size FROM audit_checkpoints WHERE size > $1 AND size <= $2 ORDER BY size",
        )
        .bind(from as i64)
        .bind(size as i64)
        .fetch_all(&db)
        .await?;
        let mut checkpoints = Vec::with_capacity(rows.len());
        for (size,) in rows {
            if let Some(checkpoint) = store::checkpoint_of_size(&db, size as u64).await? {
                checkpoints.push(checkpoint);
            }
        }
        checkpoints
    };

    let mut writer = ExportWriter::create(&args.dir, &verifier_key)
        .with_context(|| format!("cannot create the export in {}", args.dir.display()))?;
    let mut previous: Option<u64> = None;
    for checkpoint in &covering {
        let consistency = match previous {
            Some(old) => Some(tree.consistency_proof(old, checkpoint.size)?),
            None => None,
        };
        writer.write_checkpoint(
            &checkpoint.note,
            consistency.as_deref(),
            checkpoint.tsa_token.as_deref(),
        )?;
        previous = Some(checkpoint.size);
    }

    // Each event with its receipt: the proof of inclusion in the first checkpoint covering it.
    let mut receipt = covering.iter().map(|checkpoint| checkpoint.size).peekable();
    let mut next = from;
    while next < to {
        let batch_end = (next + 5000).min(to);
        for (seq, entry, _) in store::event_range(&db, next, batch_end).await? {
            while receipt.peek().is_some_and(|size| *size <= seq) {
                receipt.next();
            }
            let checkpoint = *receipt
                .peek()
                .context("an event is not covered by any checkpoint")?;
            writer.write_event(&entry)?;
            writer.write_proof(seq, checkpoint, &tree.inclusion_proof(seq, checkpoint)?)?;
        }
        next = batch_end;
    }
    writer.finish()?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "exported events {from}..{to} ({} events), {} checkpoints, newest tree size {size}, root {}\nverifier key: {verifier_key}\nto check: warden audit verify {} --key '{verifier_key}'",
        to - from,
        covering.len(),
        to_hex(&latest.root),
        args.dir.display(),
    )?;
    Ok(())
}

fn verify(args: AuditVerifyArgs) -> anyhow::Result<()> {
    let trusted = args
        .trusted_checkpoint
        .as_ref()
        .map(|path| {
            std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the trusted checkpoint {}", path.display()))
        })
        .transpose()?;
    let mut out = std::io::stdout().lock();
    match verify_export(&args.dir, args.key.as_deref(), trusted.as_deref()) {
        Ok(report) => {
            let last = (report.first_seq + report.events).saturating_sub(1);
            writeln!(
                out,
                "OK: {} events (seq {}..={last}), {} checkpoints, tree size {}, root {}",
                report.events,
                report.first_seq,
                report.checkpoints,
                report.tree_size,
                to_hex(&report.root),
            )?;
            if !report.key_pinned {
                writeln!(
                    out,
                    "note: the key was taken from the export itself; pass --key with the log's verifier key obtained independently to also prove who signed"
                )?;
            }
            Ok(())
        }
        Err(failure) => {
            writeln!(out, "FAILED: {failure}")?;
            Err(anyhow::anyhow!("the export does not verify: {failure}"))
        }
    }
}
