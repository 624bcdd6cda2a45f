//! The OpenAI-compatible proxy. Agents point their SDK's base URL at the enforcer and present
//! their SVID; the enforcer scans what they send, asks policy, masks what the decision says,
//! forwards with its own upstream credentials, and applies the same DLP to what comes back —
//! complete responses and SSE streams alike.

use super::Firewall;
use super::inspect::{self, Inspection, StreamRestorer};
use super::openai::{self, Endpoint};
use super::sse::SseParser;
use super::upstream::Upstream;
use crate::agent_listener::AgentIdentity;
use axum::body::{Body, Bytes};
use axum::extract::{Extension, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use futures::StreamExt;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::convert::Infallible;
use std::time::Instant;
use time::OffsetDateTime;
use tokio::sync::mpsc;
use tracing::Instrument;
use uuid::Uuid;
use warden_common::firewall::{DecisionEvent, Outcome};
use warden_detect::mask::{self, Placeholders};
use warden_detect::{Direction, Injection, StreamMasker};
use warden_policy::{ActionInput, ActionKind, Decision, Obligations};

/// Longest SSE line accepted from an upstream.
const MAX_SSE_LINE: usize = 1 << 20;

/// The proxy's routes, served on the agent mTLS listener.
pub fn routes(firewall: Firewall) -> Router {
    Router::new()
        .route(
            "/v1/chat/completions",
            post(proxy_to(Endpoint::ChatCompletions)),
        )
        .route("/v1/completions", post(proxy_to(Endpoint::Completions)))
        .route("/v1/embeddings", post(proxy_to(Endpoint::Embeddings)))
        .route("/v1/models", get(models))
        .with_state(firewall)
}

/// The handler of one proxied endpoint.
fn proxy_to(
    endpoint: Endpoint,
) -> impl Fn(
    State<Firewall>,
    Extension<AgentIdentity>,
    Body,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = Response> + Send>>
+ Clone
+ Send
+ Sync
+ 'static {
    move |State(firewall), Extension(agent), body| {
        Box::pin(async move { firewall.proxy(endpoint, agent, body).await })
    }
}

/// An error in the shape both our API (`code`, `message`) and OpenAI SDKs (`type`, `message`)
/// read.
fn error(status: StatusCode, code: &str, message: impl Into<String>) -> Response {
    (
        status,
        Json(json!({ "error": { "code": code, "type": code, "message": message.into() } })),
    )
        .into_response()
}

/// What one exchange leaves for its decision event.
struct Exchange {
    started: Instant,
    enforcer_us: u64,
    agent: String,
    agent_id: Option<Uuid>,
    action: Value,
    decision: Decision,
    request: BTreeMap<String, u64>,
    response: BTreeMap<String, u64>,
    masked: u64,
    injection: Injection,
    response_inspected: bool,
    upstream: Option<String>,
    upstream_status: Option<u16>,
}

impl Exchange {
    fn new(agent: &AgentIdentity, endpoint: Endpoint) -> Self {
        Exchange {
            started: Instant::now(),
            enforcer_us: 0,
            agent: agent.0.clone(),
            agent_id: None,
            action: json!({ "kind": "llm_call", "endpoint": endpoint.as_str() }),
            decision: Decision::default(),
            request: BTreeMap::new(),
            response: BTreeMap::new(),
            masked: 0,
            injection: Injection::default(),
            response_inspected: false,
            upstream: None,
            upstream_status: None,
        }
    }

    /// Adds the time since `from` to the enforcer's own share.
    fn charge(&mut self, from: Instant) {
        self.enforcer_us += from.elapsed().as_micros() as u64;
    }

    fn event(self, firewall: &Firewall, outcome: Outcome) -> DecisionEvent {
        let total_us = self.started.elapsed().as_micros() as u64;
        metrics::histogram!("warden_enforcer_proxy_overhead_seconds")
            .record(self.enforcer_us as f64 / 1e6);
        metrics::counter!("warden_enforcer_proxy_requests_total", "outcome" => format!("{outcome:?}"))
            .increment(1);
        DecisionEvent {
            id: Uuid::new_v4(),
            time: OffsetDateTime::now_utc(),
            enforcer_id: firewall.enforcer_id,
            trust_domain: firewall.trust_domain.to_string(),
            agent_id: self.agent_id,
            agent: self.agent,
            action: self.action,
            via: "proxy".to_owned(),
            allow: outcome == Outcome::Allowed,
            outcome,
            reasons: self.decision.reasons,
            grants: self.decision.grants,
            policy_version: firewall.policy.active.version(),
            request_findings: self.request,
            response_findings: self.response,
            masked: self.masked,
            injection_score: self.injection.score,
            injection_detected: self.injection.detected,
            response_inspected: self.response_inspected,
            enforcer_us: self.enforcer_us,
            total_us,
            upstream: self.upstream,
            upstream_status: self.upstream_status,
        }
    }
}

impl Firewall {
    /// Ends an exchange with an error response and its decision event.
    fn refuse(
        &self,
        exchange: Exchange,
        outcome: Outcome,
        status: StatusCode,
        code: &str,
        message: impl Into<String>,
    ) -> Response {
        let message = message.into();
        tracing::info!(code, %message, "proxy refused a request");
        self.events.send(exchange.event(self, outcome));
        error(status, code, message)
    }

    async fn proxy(&self, endpoint: Endpoint, agent: AgentIdentity, body: Body) -> Response {
        let span = tracing::info_span!("proxy", endpoint = endpoint.as_str(), agent = %agent.0);
        self.proxy_inner(endpoint, agent, body)
            .instrument(span)
            .await
    }

    async fn proxy_inner(&self, endpoint: Endpoint, agent: AgentIdentity, body: Body) -> Response {
        let mut exchange = Exchange::new(&agent, endpoint);
        let bytes = match axum::body::to_bytes(body, self.limits.max_request_bytes).await {
            Ok(bytes) => bytes,
            Err(_) => {
                return self.refuse(
                    exchange,
                    Outcome::Rejected,
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "request_too_large",
                    format!(
                        "the request body exceeds {} bytes (WARDEN_PROXY_MAX_REQUEST_BYTES)",
                        self.limits.max_request_bytes
                    ),
                );
            }
        };
        let work = Instant::now();
        let mut request: Value = match serde_json::from_slice(&bytes) {
            Ok(Value::Object(object)) => Value::Object(object),
            Ok(_) => {
                return self.refuse(
                    exchange,
                    Outcome::Rejected,
                    StatusCode::BAD_REQUEST,
                    "invalid_request",
                    "the request body must be a JSON object",
                );
            }
            Err(problem) => {
                return self.refuse(
                    exchange,
                    Outcome::Rejected,
                    StatusCode::BAD_REQUEST,
                    "invalid_json",
                    format!("the request body is not valid JSON: {problem}"),
                );
            }
        };
        let Some(model) = request
            .get("model")
            .and_then(Value::as_str)
            .map(str::to_owned)
        else {
            return self.refuse(
                exchange,
                Outcome::Rejected,
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "`model` is required and must be a string",
            );
        };
        if endpoint == Endpoint::ChatCompletions
            && !request.get("messages").is_some_and(Value::is_array)
        {
            return self.refuse(
                exchange,
                Outcome::Rejected,
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "`messages` is required and must be an array",
            );
        }
        let streaming = match request.get("stream") {
            None | Some(Value::Null) => false,
            Some(Value::Bool(stream)) if endpoint != Endpoint::Embeddings => *stream,
            Some(_) => {
                return self.refuse(
                    exchange,
                    Outcome::Rejected,
                    StatusCode::BAD_REQUEST,
                    "invalid_request",
                    "`stream` must be a boolean (and is not supported for embeddings)",
                );
            }
        };
        let Some(upstream) = self.upstreams.for_model(&model) else {
            let (status, code) = if self.upstreams.0.is_empty() {
                (StatusCode::SERVICE_UNAVAILABLE, "no_upstream")
            } else {
                (StatusCode::NOT_FOUND, "model_not_found")
            };
            return self.refuse(
                exchange,
                Outcome::Rejected,
                status,
                code,
                format!("no upstream serves model {model:?}"),
            );
        };
        exchange.upstream = Some(upstream.name.clone());
        exchange.action = json!({
            "kind": "llm_call",
            "endpoint": endpoint.as_str(),
            "model": model,
            "destination": upstream.host,
            "stream": streaming,
        });

        // Request direction: scan every text, then decide with what was found.
        let mut findings = Vec::new();
        let mut injection = Injection::default();
        openai::request_texts(endpoint, &mut request, &mut |text, score| {
            findings.push(self.engine.findings(text, Direction::Request));
            if score {
                let verdict = self.engine.injection(text);
                if verdict.score > injection.score {
                    injection = verdict;
                }
            }
        });
        let inspection = Inspection {
            findings,
            injection,
        };
        exchange.request = inspection.by_type();
        exchange.injection = inspection.injection.clone();
        let mut action = ActionInput::new(ActionKind::LlmCall);
        action.model = Some(model.clone());
        action.destination = Some(upstream.host.clone());
        let (decision, agent_id) = self.policy.decide(&agent.0, action, inspection.classes());
        exchange.agent_id = agent_id;
        exchange.decision = decision;
        if !exchange.decision.allow {
            exchange.charge(work);
            let message = format!("denied by policy: {}", exchange.decision.reasons.join("; "));
            return self.refuse(
                exchange,
                Outcome::Denied,
                StatusCode::FORBIDDEN,
                "policy_denied",
                message,
            );
        }

        // Act on the findings as the decision's obligations say.
        let table = inspect::actions(&exchange.decision.obligations, Direction::Request);
        let mut placeholders = Placeholders::default();
        let mut per_text = inspection.findings.iter();
        let mut blocked = None;
        let mut masked = 0u64;
        openai::request_texts(endpoint, &mut request, &mut |text, _| {
            let Some(findings) = per_text.next() else {
                return;
            };
            if findings.is_empty() || blocked.is_some() {
                return;
            }
            let outcome = mask::apply(text, findings, &table, &mut placeholders);
            if outcome.blocked.is_some() {
                blocked = outcome.blocked;
                return;
            }
            masked += outcome.changed as u64;
            *text = outcome.text;
        });
        exchange.masked = masked;
        if let Some(entity) = blocked {
            exchange.charge(work);
            return self.refuse(
                exchange,
                Outcome::Blocked,
                StatusCode::FORBIDDEN,
                "content_blocked",
                format!("the request contains {entity}, which policy blocks"),
            );
        }
        let payload = match serde_json::to_vec(&request) {
            Ok(payload) => payload,
            Err(problem) => {
                tracing::error!(%problem, "cannot re-encode a request");
                return self.refuse(
                    exchange,
                    Outcome::Rejected,
                    StatusCode::BAD_REQUEST,
                    "invalid_request",
                    "the request could not be re-encoded",
                );
            }
        };
        exchange.charge(work);

        // Forward.
        let mut call = self
            .client
            .post(format!("{}{}", upstream.base_url, endpoint.path()))
            .header(header::CONTENT_TYPE, "application/json")
            .timeout(self.limits.upstream_timeout)
            .body(payload);
        if let Some(authorization) = upstream.authorization() {
            call = call.header(header::AUTHORIZATION, authorization);
        }
        let answer = match call.send().await {
            Ok(answer) => answer,
            Err(problem) => {
                let (status, code) = if problem.is_timeout() {
                    (StatusCode::GATEWAY_TIMEOUT, "upstream_timeout")
                } else {
                    (StatusCode::BAD_GATEWAY, "upstream_unreachable")
                };
                tracing::warn!(upstream = upstream.name, error = %problem, "upstream call failed");
                return self.refuse(
                    exchange,
                    Outcome::UpstreamError,
                    status,
                    code,
                    format!("upstream {} did not answer", upstream.name),
                );
            }
        };
        exchange.upstream_status = Some(answer.status().as_u16());
        let is_stream = answer
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| value.starts_with("text/event-stream"));
        if streaming && answer.status().is_success() && is_stream {
            return self.stream(endpoint, exchange, answer, placeholders);
        }
        self.complete(endpoint, exchange, upstream, answer, placeholders)
            .await
    }

    /// A complete (non-streamed) response: read it, restore what may be restored, apply the
    /// response obligations, and send it on.
    async fn complete(
        &self,
        endpoint: Endpoint,
        mut exchange: Exchange,
        upstream: &Upstream,
        answer: reqwest::Response,
        placeholders: Placeholders,
    ) -> Response {
        let status = answer.status();
        let content_type = answer.headers().get(header::CONTENT_TYPE).cloned();
        let body = match read_limited(answer, self.limits.max_response_bytes).await {
            Ok(body) => body,
            Err(problem) => {
                tracing::warn!(upstream = upstream.name, error = %problem, "upstream response failed");
                return self.refuse(
                    exchange,
                    Outcome::UpstreamError,
                    StatusCode::BAD_GATEWAY,
                    "upstream_error",
                    format!("upstream {}: {problem}", upstream.name),
                );
            }
        };
        let work = Instant::now();
        let mut response: Value = match serde_json::from_slice(&body) {
            Ok(response) => response,
            Err(_) => {
                exchange.charge(work);
                // Not JSON: nothing we can inspect, so nothing we may pass on.
                return self.refuse(
                    exchange,
                    Outcome::UpstreamError,
                    StatusCode::BAD_GATEWAY,
                    "upstream_error",
                    format!(
                        "upstream {} answered {status} with a body that is not JSON",
                        upstream.name
                    ),
                );
            }
        };
        let obligations = exchange.decision.obligations.clone();
        let table = inspect::actions(&obligations, Direction::Response);
        let mut response_placeholders = placeholders.clone();
        let mut found: BTreeMap<String, u64> = BTreeMap::new();
        let mut blocked = None;
        let mut masked = 0u64;
        let inspected = if status.is_success() {
            openai::response_texts(endpoint, &mut response, &mut |text| {
                let restored = inspect::restore(text, &placeholders, &obligations);
                let findings = self.engine.findings(&restored, Direction::Response);
                for finding in &findings {
                    *found.entry(finding.entity.as_str().to_owned()).or_insert(0) += 1;
                }
                let outcome = mask::apply(&restored, &findings, &table, &mut response_placeholders);
                if outcome.blocked.is_some() {
                    blocked = blocked.or(outcome.blocked);
                }
                masked += outcome.changed as u64;
                *text = outcome.text;
            })
        } else {
            // An upstream error: its message may echo the request, so it gets the same DLP.
            if let Some(Value::String(message)) = response.pointer_mut("/error/message") {
                let findings = self.engine.findings(message, Direction::Response);
                let outcome = mask::apply(message, &findings, &table, &mut response_placeholders);
                masked += outcome.changed as u64;
                *message = outcome.text;
            }
            true
        };
        exchange.response = found;
        exchange.masked += masked;
        exchange.response_inspected = inspected;
        exchange.charge(work);
        if let Some(entity) = blocked {
            return self.refuse(
                exchange,
                Outcome::Blocked,
                StatusCode::FORBIDDEN,
                "response_blocked",
                format!("the response contains {entity}, which policy blocks"),
            );
        }
        let outcome = if status.is_success() {
            Outcome::Allowed
        } else {
            Outcome::UpstreamError
        };
        self.events.send(exchange.event(self, outcome));
        let mut reply = (status, Json(response)).into_response();
        if let Some(content_type) =
            content_type.filter(|c| c.as_bytes().starts_with(b"application/json"))
        {
            reply
                .headers_mut()
                .insert(header::CONTENT_TYPE, content_type);
        }
        reply
    }

    /// A streamed response: parse the upstream's SSE, pass every text delta through the restorer
    /// and the streaming masker, and send on only what is safe.
    fn stream(
        &self,
        endpoint: Endpoint,
        exchange: Exchange,
        answer: reqwest::Response,
        placeholders: Placeholders,
    ) -> Response {
        let (sender, receiver) = mpsc::channel::<Result<Bytes, Infallible>>(64);
        let firewall = self.clone();
        tokio::spawn(
            async move {
                let outcome =
                    relay_stream(&firewall, endpoint, exchange, answer, placeholders, sender).await;
                firewall.events.send(outcome);
            }
            .instrument(tracing::Span::current()),
        );
        let body = Body::from_stream(futures::stream::unfold(
            receiver,
            |mut receiver| async move { receiver.recv().await.map(|item| (item, receiver)) },
        ));
        let mut response = Response::new(body);
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/event-stream"),
        );
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        response
    }
}

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

/// Relays one stream to the agent; returns the decision event to publish when it ends.
async fn relay_stream(
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
                            out.push(error_event(
                                "response_blocked",
                                &format!("the response contains {entity}, which policy blocks"),
                            ));
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
                out.push(error_event(
                    "response_blocked",
                    &format!("the response contains {entity}, which policy blocks"),
                ));
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
                    out.push(error_event(
                        "response_blocked",
                        &format!("the response contains {entity}, which policy blocks"),
                    ));
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

/// Reads a body up to `limit` bytes.
async fn read_limited(answer: reqwest::Response, limit: usize) -> Result<Vec<u8>, String> {
    let mut body = Vec::new();
    let mut stream = answer.bytes_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|problem| format!("reading the response failed: {problem}"))?;
        if body.len() + chunk.len() > limit {
            return Err(format!("the response exceeds {limit} bytes"));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// `/v1/models`: what the configured upstreams list (and serve), or the models named exactly in
/// the configuration when an upstream cannot list.
async fn models(
    State(firewall): State<Firewall>,
    Extension(_agent): Extension<AgentIdentity>,
) -> Response {
    let mut seen = std::collections::BTreeSet::new();
    let mut data = Vec::new();
    for upstream in &firewall.upstreams.0 {
        let mut call = firewall
            .client
            .get(format!("{}/models", upstream.base_url))
            .timeout(firewall.limits.upstream_timeout);
        if let Some(authorization) = upstream.authorization() {
            call = call.header(header::AUTHORIZATION, authorization);
        }
        let listed: Vec<String> = match call.send().await {
            Ok(answer) if answer.status().is_success() => {
                match read_limited(answer, firewall.limits.max_response_bytes).await {
                    Ok(body) => serde_json::from_slice::<Value>(&body)
                        .ok()
                        .and_then(|v| v.get("data").and_then(Value::as_array).cloned())
                        .unwrap_or_default()
                        .iter()
                        .filter_map(|m| m.get("id").and_then(Value::as_str).map(str::to_owned))
                        .filter(|id| upstream.serves(id))
                        .collect(),
                    Err(_) => Vec::new(),
                }
            }
            _ => {
                tracing::info!(upstream = upstream.name, "upstream cannot list models");
                Vec::new()
            }
        };
        let names: Vec<String> = if listed.is_empty() {
            upstream.exact_models().map(str::to_owned).collect()
        } else {
            listed
        };
        for id in names {
            if seen.insert(id.clone()) {
                data.push(
                    json!({ "id": id, "object": "model", "created": 0, "owned_by": upstream.name }),
                );
            }
        }
    }
    Json(json!({ "object": "list", "data": data })).into_response()
}
