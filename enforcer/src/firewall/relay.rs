//! Relaying an upstream's SSE stream to the agent: every text delta goes through the placeholder
//! restorer and the streaming masker of its choice, so only what is safe is sent; a blocked value
//! ends the stream with an error event the SDKs raise.

use super::Firewall;
use super::inspect::{self, StreamRestorer};
use super::openai::{self, Endpoint};
use super::proxy::Exchange;
use super::sse::SseParser;
use axum::body::Bytes;
use futures::StreamExt;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::convert::Infallible;
use std::time::Instant;
use tokio::sync::mpsc;
use warden_common::firewall::{DecisionEvent, Outcome};
use warden_detect::mask::{self, Placeholders};
use warden_detect::{Direction, StreamMasker};
use warden_policy::Obligations;

/// Longest SSE line accepted from an upstream.
const MAX_SSE_LINE: usize = 1 << 20;

/// One choice of a stream: restorer, then masker.
struct ChoiceStream<'e> {
    restorer: StreamRestorer,
    masker: StreamMasker<'e>,
}

fn sse_event(data: &str) -> Bytes {
    Bytes::from(format!("data: {data}\n\n"))
}

fn error_event(code: &str, message: &str) -> Bytes {
    sse_event(&json!({ "error": { "code": code, "type": code, "message": message } }).to_string())
}

/// The error event that ends a stream holding a value policy blocks.
fn blocked_event(entity: warden_detect::EntityType) -> Bytes {
    error_event(
        "response_blocked",
        &format!("the response contains {entity}, which policy blocks"),
    )
}

/// Relays one stream to the agent; returns the decision event to publish when it ends.
pub(super) async fn relay_stream(
    firewall: &Firewall,
    endpoint: Endpoint,
    mut exchange: Exchange,
    answer: reqwest::Response,
    placeholders: Placeholders,
    sender: mpsc::Sender<Result<Bytes, Infallible>>,
) -> DecisionEvent {
    let engine = firewall.engine.clone();
    let obligations: Obligations = exchange.decision.obligations.clone();
    let table = inspect::actions(&obligations, Direction::Response);
    let mut choices: BTreeMap<u64, ChoiceStream<'_>> = BTreeMap::new();
    // Findings of choices already finished.
    let mut found: BTreeMap<String, u64> = BTreeMap::new();
    let mut parser = SseParser::new(MAX_SSE_LINE);
    let mut upstream = answer.bytes_stream();
    let mut inspected = true;
    let mut events = Vec::new();
    let mut last_chunk: Option<Value> = None;
    let send = |bytes: Bytes| {
        let sender = sender.clone();
        async move { sender.send(Ok(bytes)).await.is_ok() }
    };
    // How the stream ended: None while it runs.
    let mut outcome: Option<Outcome> = None;
    while outcome.is_none() {
        let chunk =
            match tokio::time::timeout(firewall.limits.upstream_timeout, upstream.next()).await {
                Ok(Some(Ok(chunk))) => Some(chunk),
                Ok(None) => None,
                Ok(Some(Err(problem))) => {
                    tracing::warn!(error = %problem, "upstream stream failed");
                    send(error_event("upstream_error", "the upstream stream failed")).await;
                    outcome = Some(Outcome::UpstreamError);
                    inspected = false;
                    break;
                }
                Err(_) => {
                    send(error_event(
                        "upstream_timeout",
                        "the upstream stream stalled",
                    ))
                    .await;
                    outcome = Some(Outcome::UpstreamError);
                    inspected = false;
                    break;
                }
            };
        let work = Instant::now();
        let parsed = match &chunk {
            Some(bytes) => parser.feed(bytes, &mut events),
            None => parser.finish(&mut events),
        };
        if let Err(problem) = parsed {
            exchange.charge(work);
            send(error_event(
                "upstream_error",
                &format!("the upstream stream is malformed: {problem}"),
            ))
            .await;
            outcome = Some(Outcome::UpstreamError);
            inspected = false;
            break;
        }
        let mut out: Vec<Bytes> = Vec::new();
        for event in events.drain(..) {
            if event.data.trim() == "[DONE]" {
                // Flush whatever a choice still holds before the end marker.
                if let Some(flush) = flush_all(
                    &mut choices,
                    &placeholders,
                    &obligations,
                    last_chunk.as_ref(),
                    &mut found,
                ) {
                    match flush {
                        Ok(data) => out.push(sse_event(&data)),
                        Err(entity) => {
                            out.push(blocked_event(entity));
                            outcome = Some(Outcome::Blocked);
                            break;
                        }
                    }
                }
                out.push(sse_event("[DONE]"));
                outcome = Some(Outcome::Allowed);
                break;
            }
            let Ok(mut data) = serde_json::from_str::<Value>(&event.data) else {
                out.push(error_event(
                    "upstream_error",
                    "the upstream sent an event that is not JSON",
                ));
                outcome = Some(Outcome::UpstreamError);
                inspected = false;
                break;
            };
            if data.get("error").is_some_and(|e| !e.is_null()) {
                // The upstream's own error event ends the stream; its message gets DLP too.
                if let Some(Value::String(message)) = data.pointer_mut("/error/message") {
                    let findings = engine.findings(message, Direction::Response);
                    let mut scratch = placeholders.clone();
                    *message = mask::apply(message, &findings, &table, &mut scratch).text;
                }
                out.push(sse_event(&data.to_string()));
                outcome = Some(Outcome::UpstreamError);
                break;
            }
            let mut block = None;
            inspected &= openai::stream_deltas(endpoint, &mut data, &mut |index, text| {
                if block.is_some() {
                    text.clear();
                    return;
                }
                let choice = choices.entry(index).or_insert_with(|| ChoiceStream {
                    restorer: StreamRestorer::default(),
                    masker: StreamMasker::new(
                        &engine,
                        Direction::Response,
                        table.clone(),
                        placeholders.clone(),
                    ),
                });
                let restored = choice.restorer.push(text, &placeholders, &obligations);
                let emitted = choice.masker.push(&restored);
                if emitted.blocked.is_some() {
                    block = emitted.blocked;
                }
                *text = emitted.emit;
            });
            if block.is_none() {
                // A finished choice releases everything it held, in this same chunk.
                for index in openai::finished_choices(&data) {
                    let Some(mut choice) = choices.remove(&index) else {
                        continue;
                    };
                    let result = finish_choice(&mut choice, &placeholders, &obligations);
                    count_found(&mut found, &choice);
                    match result {
                        Ok(rest) if !rest.is_empty() => {
                            append_delta(endpoint, &mut data, index, &rest)
                        }
                        Ok(_) => {}
                        Err(entity) => block = Some(entity),
                    }
                }
            }
            if let Some(entity) = block {
                out.push(blocked_event(entity));
                outcome = Some(Outcome::Blocked);
                break;
            }
            out.push(sse_event(&data.to_string()));
            last_chunk = Some(data);
        }
        if chunk.is_none() && outcome.is_none() {
            // The upstream closed without `[DONE]`: release what is held, then end.
            match flush_all(
                &mut choices,
                &placeholders,
                &obligations,
                last_chunk.as_ref(),
                &mut found,
            ) {
                Some(Ok(data)) => out.push(sse_event(&data)),
                Some(Err(entity)) => {
                    out.push(blocked_event(entity));
                    outcome = Some(Outcome::Blocked);
                }
                None => {}
            }
            outcome.get_or_insert(Outcome::Allowed);
        }
        exchange.charge(work);
        for bytes in out {
            if !send(bytes).await {
                // The agent went away: stop reading the upstream.
                tracing::info!("agent closed the stream");
                outcome.get_or_insert(Outcome::Allowed);
                inspected = false;
                break;
            }
        }
    }
    for choice in choices.values() {
        count_found(&mut found, choice);
    }
    exchange.response = found;
    exchange.response_inspected = inspected;
    let outcome = outcome.unwrap_or(Outcome::Allowed);
    exchange.event(firewall, outcome)
}

fn count_found(found: &mut BTreeMap<String, u64>, choice: &ChoiceStream<'_>) {
    for (entity, count) in choice.masker.found() {
        *found.entry(entity.as_str().to_owned()).or_insert(0) += count;
    }
}

/// Everything a finished choice still holds; `Err` names a blocked type.
fn finish_choice(
    choice: &mut ChoiceStream<'_>,
    placeholders: &Placeholders,
    obligations: &Obligations,
) -> Result<String, warden_detect::EntityType> {
    let rest = choice.restorer.finish(placeholders, obligations);
    let mut emitted = choice.masker.push(&rest);
    if let Some(entity) = emitted.blocked {
        return Err(entity);
    }
    let last = choice.masker.finish();
    if let Some(entity) = last.blocked {
        return Err(entity);
    }
    emitted.emit.push_str(&last.emit);
    Ok(emitted.emit)
}

/// A chunk releasing what unfinished choices hold, shaped like the last chunk seen.
fn flush_all(
    choices: &mut BTreeMap<u64, ChoiceStream<'_>>,
    placeholders: &Placeholders,
    obligations: &Obligations,
    template: Option<&Value>,
    found: &mut BTreeMap<String, u64>,
) -> Option<Result<String, warden_detect::EntityType>> {
    let mut parts = Vec::new();
    for (index, mut choice) in std::mem::take(choices) {
        let result = finish_choice(&mut choice, placeholders, obligations);
        count_found(found, &choice);
        match result {
            Ok(rest) if !rest.is_empty() => parts.push((index, rest)),
            Ok(_) => {}
            Err(entity) => return Some(Err(entity)),
        }
    }
    if parts.is_empty() {
        return None;
    }
    let mut chunk = template.cloned().unwrap_or_else(|| json!({}));
    let chat = chunk.get("object").and_then(Value::as_str) == Some("chat.completion.chunk");
    let choices: Vec<Value> = parts
        .into_iter()
        .map(|(index, text)| {
            if chat {
                json!({ "index": index, "delta": { "content": text }, "finish_reason": null })
            } else {
                json!({ "index": index, "text": text, "finish_reason": null })
            }
        })
        .collect();
    chunk["choices"] = Value::Array(choices);
    Some(Ok(chunk.to_string()))
}

/// Appends `text` to choice `index`'s delta in `chunk`.
fn append_delta(endpoint: Endpoint, chunk: &mut Value, index: u64, text: &str) {
    let Some(choices) = chunk.get_mut("choices").and_then(Value::as_array_mut) else {
        return;
    };
    for choice in choices {
        if choice.get("index").and_then(Value::as_u64).unwrap_or(0) != index {
            continue;
        }
        let slot = match endpoint {
            Endpoint::ChatCompletions => {
                let delta = choice
                    .as_object_mut()
                    .map(|c| c.entry("delta").or_insert_with(|| json!({})));
                delta.and_then(|d| d.as_object_mut()).map(|d| {
                    d.entry("content")
                        .or_insert_with(|| Value::String(String::new()))
                })
            }
            _ => choice.as_object_mut().map(|c| {
                c.entry("text")
                    .or_insert_with(|| Value::String(String::new()))
            }),
        };
        match slot {
            Some(Value::String(existing)) => existing.push_str(text),
            Some(other) => *other = Value::String(text.to_owned()),
            None => {}
        }
    }
}
