//! The OpenAI-compatible proxy. Agents point their SDK's base URL at the enforcer and present
//! their SVID; the enforcer scans what they send, asks policy, masks what the decision says,
//! forwards with its own upstream credentials, and applies the same DLP to what comes back —
//! complete responses and SSE streams alike.

use super::Firewall;
use super::inspect::{self, Inspection};
use super::openai::{self, Endpoint};
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
use warden_detect::{Direction, Injection};
use warden_policy::{ActionInput, ActionKind, Decision};

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
pub(super) struct Exchange {
    pub(super) started: Instant,
    pub(super) enforcer_us: u64,
    pub(super) agent: String,
    pub(super) agent_id: Option<Uuid>,
    pub(super) action: Value,
    pub(super) decision: Decision,
    pub(super) request: BTreeMap<String, u64>,
    pub(super) response: BTreeMap<String, u64>,
    pub(super) masked: u64,
    pub(super) injection: Injection,
    pub(super) response_inspected: bool,
    pub(super) upstream: Option<String>,
    pub(super) upstream_status: Option<u16>,
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
    pub(super) fn charge(&mut self, from: Instant) {
        self.enforcer_us += from.elapsed().as_micros() as u64;
    }

    pub(super) fn event(self, firewall: &Firewall, outcome: Outcome) -> DecisionEvent {
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
        let mut inspection = Inspection::default();
        openai::request_texts(endpoint, &mut request, &mut |text, score| {
            inspection.add(&self.engine, text, score, Direction::Request);
        });
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
                let outcome = super::relay::relay_stream(
                    &firewall,
                    endpoint,
                    exchange,
                    answer,
                    placeholders,
                    sender,
                )
                .await;
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
