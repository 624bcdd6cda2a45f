//! Streaming export of a search result, every event with its inclusion proof in the newest
//! checkpoint, so a result handed to an auditor can be checked against the signed log. Pages are
//! read from the index by leaf number, so an export of any size uses bounded memory.

use super::store::{self, StoredCheckpoint};
use super::{AuditEvent as RecordedAction, record, search};
use crate::accounts::Actor;
use crate::error::{Error, Result};
use crate::state::AppState;
use axum::body::Bytes;
use futures::Stream;
use serde_json::json;
use warden_audit_index::AuditQuery;
use warden_common::accounts::Permission;
use warden_common::audit::{AuditEvent, AuditSearch};
use warden_tlog::to_hex;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Ndjson,
    Csv,
}

const PAGE: usize = 500;

struct Cursor {
    state: AppState,
    query: AuditQuery,
    checkpoint: StoredCheckpoint,
    verifier_key: String,
    format: ExportFormat,
    /// Events with a smaller leaf number come next.
    before: u64,
    started: bool,
    done: bool,
}

/// The export as a stream of chunks. Errors after the first byte end the stream early (the
/// client sees a truncated download, never a partial line passed off as complete).
pub async fn export_search(
    state: AppState,
    actor: &Actor,
    search: AuditSearch,
    format: ExportFormat,
) -> Result<impl Stream<Item = std::io::Result<Bytes>> + use<>> {
    actor.require(Permission::ReadAudit)?;
    let mut query = search::query(AuditSearch {
        offset: None,
        limit: None,
        ..search
    })?;
    query.limit = PAGE;
    let checkpoint = store::latest_checkpoint(&state.db)
        .await?
        .ok_or_else(|| Error::NotFound("no checkpoint has been signed yet".into()))?;
    record(
        &state.db,
        RecordedAction::new(&actor.username, "audit.exported", "audit:search").with_details(
            json!({ "filters": query_summary(&query), "checkpoint": checkpoint.size,
                    "format": if format == ExportFormat::Csv { "csv" } else { "ndjson" } }),
        ),
    )
    .await?;
    let cursor = Cursor {
        verifier_key: state.audit.log.verifier_key(),
        before: checkpoint.size,
        state,
        query,
        checkpoint,
        format,
        started: false,
        done: false,
    };
    Ok(futures::stream::unfold(cursor, |mut cursor| async move {
        if cursor.done {
            return None;
        }
        let chunk = match next_chunk(&mut cursor).await {
            Ok(chunk) => chunk,
            Err(error) => {
                tracing::error!(error = %error, "audit export stopped early");
                cursor.done = true;
                return Some((Err(std::io::Error::other("export failed")), cursor));
            }
        };
        Some((Ok(Bytes::from(chunk)), cursor))
    }))
}

async fn next_chunk(cursor: &mut Cursor) -> Result<String> {
    if !cursor.started {
        cursor.started = true;
        return Ok(match cursor.format {
            ExportFormat::Ndjson => {
                let mut line = json!({
                    "checkpoint": cursor.checkpoint.view(),
                    "verifier_key": cursor.verifier_key,
                })
                .to_string();
                line.push('\n');
                line
            }
            ExportFormat::Csv => "seq,id,time,actor,action,subject,severity,decision,leaf_hash,checkpoint_size,proof\n".to_owned(),
        });
    }
    let mut query = cursor.query.clone();
    query.before_seq = Some(cursor.before);
    let page = search::run(cursor.state.audit.index.clone(), query).await?;
    if page.seqs.len() < PAGE {
        cursor.done = true;
    }
    let Some(last) = page.seqs.last() else {
        cursor.done = true;
        return Ok(String::new());
    };
    cursor.before = *last;
    let events = store::events(&cursor.state.db, &page.seqs).await?;
    let mut out = String::new();
    for event in events {
        let proof = cursor
            .state
            .audit
            .log
            .inclusion_proof(event.seq, cursor.checkpoint.size)
            .map_err(|error| Error::Internal(anyhow::anyhow!("no inclusion proof: {error}")))?;
        let hashes: Vec<String> = proof.iter().map(|hash| to_hex(hash)).collect();
        match cursor.format {
            ExportFormat::Ndjson => {
                out.push_str(
                    &json!({
                        "event": event,
                        "proof": { "size": cursor.checkpoint.size, "hashes": hashes },
                    })
                    .to_string(),
                );
                out.push('\n');
            }
            ExportFormat::Csv => csv_row(&mut out, &event, cursor.checkpoint.size, &hashes),
        }
    }
    Ok(out)
}

fn csv_row(out: &mut String, event: &AuditEvent, size: u64, hashes: &[String]) {
    let decision = event
        .details
        .get("outcome")
        .and_then(serde_json::Value::as_str)
        .filter(|_| event.action.starts_with("decision."))
        .unwrap_or_default();
    let time = event
        .time
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    let fields = [
        event.seq.to_string(),
        event.id.to_string(),
        time,
        event.actor.clone(),
        event.action.clone(),
        event.subject.clone(),
        event.severity.clone(),
        decision.to_owned(),
        event.leaf_hash.clone(),
        size.to_string(),
        hashes.join(" "),
    ];
    for (position, field) in fields.iter().enumerate() {
        if position > 0 {
            out.push(',');
        }
        push_csv_field(out, field);
    }
    out.push('\n');
}

/// RFC 4180 quoting, plus a leading quote for cells a spreadsheet would run as a formula.
fn push_csv_field(out: &mut String, field: &str) {
    let formula = field.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let needs_quotes = formula || field.contains([',', '"', '\n', '\r']);
    if !needs_quotes {
        out.push_str(field);
        return;
    }
    out.push('"');
    if formula {
        out.push('\'');
    }
    out.push_str(&field.replace('"', "\"\""));
    out.push('"');
}

fn query_summary(query: &AuditQuery) -> serde_json::Value {
    json!({
        "q": query.text, "agent": query.agent, "actor": query.actor, "action": query.action,
        "decision": query.decision, "finding": query.finding, "severity": query.severity,
        "control": query.control,
        "from": query.from.and_then(|time| time.format(&time::format_description::well_known::Rfc3339).ok()),
        "to": query.to.and_then(|time| time.format(&time::format_description::well_known::Rfc3339).ok()),
    })
}

#[cfg(test)]
mod tests {
    use super::push_csv_field;

    #[test]
    fn csv_fields_are_quoted_and_formulas_defused() {
        let mut out = String::new();
        push_csv_field(&mut out, "plain");
        out.push('|');
        push_csv_field(&mut out, "a,\"b\"");
        out.push('|');
        push_csv_field(&mut out, "=cmd()");
        assert_eq!(out, "plain|\"a,\"\"b\"\"\"|\"'=cmd()\"");
    }
}
