//! `warden-enforcer bench`: the in-process engine benchmark and load generators against a running
//! proxy or the NATS check API, printing p50/p90/p99/max and throughput. BENCHMARKS.md records the
//! figures and the commands.

use anyhow::Context;
use axum::body::Body;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use clap::{Args, Subcommand};
use serde_json::{Value, json};
use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;
use warden_detect::mask::{self, Placeholders};
use warden_detect::{Direction, Engine};
use warden_policy::{ActionInput, ActionKind, AgentInput, ContextInput, PolicyEngine, PolicyInput};

#[derive(Debug, Args)]
pub struct BenchArgs {
    #[command(subcommand)]
    pub target: BenchTarget,
}

#[derive(Debug, Subcommand)]
pub enum BenchTarget {
    /// In process, one core: every detector, injection scoring, a policy decision and masking on
    /// generated texts of the given sizes.
    Engine(EngineArgs),
    /// Open-loop load against a running proxy over mTLS; with `--direct-url`, the same load
    /// against the upstream directly first, for the proxy's added latency side by side.
    Proxy(ProxyArgs),
    /// Open-loop load against the NATS check API.
    Nats(NatsArgs),
    /// A stand-in OpenAI upstream that answers at once, for load tests on a machine without
    /// a provider.
    Upstream(UpstreamArgs),
    /// Publishes synthetic decision events to JetStream, acknowledged, as a busy fleet would:
    /// load for the control plane's audit log.
    Events(EventsArgs),
}

#[derive(Debug, Args)]
pub struct EventsArgs {
    #[arg(long, env = "NATS_URL")]
    pub nats_url: String,
    #[arg(long, env = "WARDEN_TRUST_DOMAIN", default_value = "warden.local")]
    pub trust_domain: String,
    /// Events to publish.
    #[arg(long, default_value_t = 100_000)]
    pub count: u64,
    /// Distinct agents the events name.
    #[arg(long, default_value_t = 300)]
    pub agents: u32,
    /// Publishes awaiting JetStream's acknowledgement at once.
    #[arg(long, default_value_t = 2048)]
    pub in_flight: usize,
}

#[derive(Debug, Args)]
pub struct EngineArgs {
    /// Text sizes in bytes.
    #[arg(long, value_delimiter = ',', default_value = "1024,8192")]
    pub sizes: Vec<usize>,
    /// Timed iterations per size (after a warm-up of a tenth as many).
    #[arg(long, default_value_t = 20_000)]
    pub iterations: usize,
}

#[derive(Debug, Args)]
pub struct ProxyArgs {
    /// The enforcer's agent listener, e.g. `https://127.0.0.1:8444/v1`.
    #[arg(long)]
    pub url: String,
    /// The agent's certificate chain (PEM), key and the trust bundle.
    #[arg(long)]
    pub cert: PathBuf,
    #[arg(long)]
    pub key: PathBuf,
    #[arg(long)]
    pub ca: PathBuf,
    /// The upstream's own URL (e.g. `http://127.0.0.1:9009/v1`), measured first for comparison.
    #[arg(long)]
    pub direct_url: Option<String>,
    #[arg(long, default_value = "bench-model")]
    pub model: String,
    /// Requests per second.
    #[arg(long, default_value_t = 1000)]
    pub rate: u32,
    /// Seconds per run.
    #[arg(long, default_value_t = 30)]
    pub duration: u64,
    /// Size of the user message in bytes.
    #[arg(long, default_value_t = 1024)]
    pub text_bytes: usize,
    /// Ask for SSE streams.
    #[arg(long)]
    pub stream: bool,
    /// Sample this process's resident set (the enforcer) during the run.
    #[arg(long)]
    pub enforcer_pid: Option<u32>,
}

#[derive(Debug, Args)]
pub struct NatsArgs {
    #[arg(long, env = "NATS_URL")]
    pub nats_url: String,
    #[arg(long, env = "WARDEN_TRUST_DOMAIN", default_value = "warden.local")]
    pub trust_domain: String,
    /// The agent the checks name (id or SPIFFE ID).
    #[arg(long)]
    pub agent: String,
    /// The model the checked LLM call names.
    #[arg(long, default_value = "bench-model")]
    pub model: String,
    #[arg(long, default_value_t = 5000)]
    pub rate: u32,
    #[arg(long, default_value_t = 10)]
    pub duration: u64,
    /// Bytes of text to inspect per check (0: a policy decision only).
    #[arg(long, default_value_t = 0)]
    pub text_bytes: usize,
    #[arg(long)]
    pub enforcer_pid: Option<u32>,
}

#[derive(Debug, Args)]
pub struct UpstreamArgs {
    #[arg(long, default_value = "127.0.0.1:9009")]
    pub listen: SocketAddr,
}

pub async fn run(args: BenchArgs) -> anyhow::Result<()> {
    match args.target {
        BenchTarget::Engine(args) => engine(&args),
        BenchTarget::Proxy(args) => proxy(&args).await,
        BenchTarget::Nats(args) => nats(&args).await,
        BenchTarget::Events(args) => events(&args).await,
        BenchTarget::Upstream(args) => upstream(&args).await,
    }
}

/// Latency samples and how long the run took.
struct Report {
    samples: Vec<Duration>,
    errors: u64,
    skipped: u64,
    elapsed: Duration,
}

impl Report {
    fn print(&mut self, label: &str) {
        self.samples.sort_unstable();
        let n = self.samples.len();
        let at = |q: f64| -> f64 {
            if n == 0 {
                return 0.0;
            }
            let index = ((n as f64 * q).ceil() as usize).clamp(1, n) - 1;
            self.samples[index].as_secs_f64() * 1e6
        };
        eprintln!(
            "{label}: n {n}, p50 {:.1} µs, p90 {:.1} µs, p99 {:.1} µs, max {:.1} µs, throughput {:.0}/s, errors {}, skipped (overload) {}",
            at(0.50),
            at(0.90),
            at(0.99),
            at(1.0),
            n as f64 / self.elapsed.as_secs_f64().max(1e-9),
            self.errors,
            self.skipped
        );
    }

    fn percentile(&self, q: f64) -> f64 {
        let n = self.samples.len();
        if n == 0 {
            return 0.0;
        }
        let index = ((n as f64 * q).ceil() as usize).clamp(1, n) - 1;
        self.samples[index].as_secs_f64() * 1e6
    }
}

/// Deterministic prose of about `bytes` bytes with a realistic sprinkling of entities.
pub fn sample_text(bytes: usize) -> String {
    const SENTENCES: &[&str] = &[
        "Please summarise the attached quarterly report for the leadership meeting on Thursday.",
        "The customer wrote to support@example.com asking why invoice 48213 was charged twice.",
        "Our deployment pipeline failed at the integration stage after the dependency upgrade.",
        "Call me back on +1 (415) 555-0132 when the migration window is confirmed.",
        "The new onboarding flow reduced drop-off by twelve percent in the second week.",
        "See https://docs.example.org/guides/retention for the data retention schedule.",
        "Draft a polite reply that explains the refund will arrive within five business days.",
        "The meeting with Jane Doe moved to 3pm because the projector in room B is broken.",
        "List the three largest risks in the vendor contract and suggest mitigations.",
        "Translate the release notes into French and keep the product names in English.",
    ];
    let mut text = String::with_capacity(bytes + 128);
    let mut i = 0;
    while text.len() < bytes {
        text.push_str(SENTENCES[i % SENTENCES.len()]);
        text.push(' ');
        i += 1;
    }
    let mut cut = bytes.min(text.len());
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    text.truncate(cut);
    text
}

/// A representative policy: twenty grants, one of which allows the bench agent's LLM calls.
fn bench_policy() -> anyhow::Result<PolicyEngine> {
    let mut grants: Vec<warden_policy::Grant> = Vec::new();
    grants.push(serde_json::from_value(json!({
        "id": "bench-llm",
        "effect": "allow",
        "subject": { "labels": { "team": "bench" } },
        "actions": ["llm_call"],
        "models": ["gpt-*"],
        "data_classes": ["network", "financial"],
        "obligations": { "mask_requests": ["pii"], "mask_responses": ["secret"] }
    }))?);
    for n in 0..19 {
        grants.push(serde_json::from_value(json!({
            "id": format!("team-{n}-tools"),
            "effect": "allow",
            "subject": { "labels": { "team": format!("team-{n}") } },
            "actions": ["tool_call"],
            "tools": [format!("crm{n}.*")],
            "resources": ["customers/*"],
        }))?);
    }
    let compiled = warden_policy::compile(&grants, &[])?;
    Ok(PolicyEngine::new(&compiled)?)
}

/// The proxy's request-direction work on one text: scan, decide, mask.
fn engine(args: &EngineArgs) -> anyhow::Result<()> {
    let engine = Engine::new();
    let policy = bench_policy()?;
    let agent = AgentInput {
        id: "00000000-0000-0000-0000-000000000001".into(),
        name: "bench".into(),
        labels: [("team".to_owned(), "bench".to_owned())].into(),
        environment: "production".into(),
        owner_team: "bench".into(),
    };
    let mut action = ActionInput::new(ActionKind::LlmCall);
    action.model = Some("gpt-4o-mini".into());
    action.destination = Some("api.openai.com".into());
    for &size in &args.sizes {
        let text = sample_text(size);
        let mut allowed = 0usize;
        let mut once = || {
            let scan = engine.scan(&text, Direction::Request);
            let mut classes = std::collections::BTreeMap::new();
            for finding in &scan.findings {
                *classes
                    .entry(finding.entity.category().as_str().to_owned())
                    .or_insert(0u64) += 1;
            }
            if scan.injection.detected {
                classes.insert("prompt_injection".to_owned(), 1);
            }
            let decision = policy.evaluate(&PolicyInput {
                agent: agent.clone(),
                action: action.clone(),
                context: ContextInput::at(time::OffsetDateTime::now_utc()),
                findings: classes,
            });
            let table =
                crate::firewall::inspect::actions(&decision.obligations, Direction::Request);
            let masked = mask::apply(&text, &scan.findings, &table, &mut Placeholders::default());
            if decision.allow {
                allowed += 1;
            }
            std::hint::black_box(masked);
        };
        for _ in 0..args.iterations / 10 {
            once();
        }
        let mut samples = Vec::with_capacity(args.iterations);
        let started = Instant::now();
        for _ in 0..args.iterations {
            let t = Instant::now();
            once();
            samples.push(t.elapsed());
        }
        let findings = engine.findings(&text, Direction::Request).len();
        Report {
            samples,
            errors: 0,
            skipped: 0,
            elapsed: started.elapsed(),
        }
        .print(&format!(
            "engine {size} B (detectors + injection + policy + masking; {findings} findings; allowed {}/{})",
            allowed,
            args.iterations + args.iterations / 10
        ));
    }
    Ok(())
}

/// Runs `call` `rate` times a second for `duration`, open loop (arrivals do not wait for
/// answers), with at most `max_in_flight` outstanding; returns latencies.
async fn open_loop<F, Fut>(rate: u32, duration: Duration, max_in_flight: usize, call: F) -> Report
where
    F: Fn() -> Fut,
    Fut: Future<Output = bool> + Send + 'static,
{
    let samples = Arc::new(Mutex::new(Vec::with_capacity(
        (rate as u64 * duration.as_secs()) as usize,
    )));
    let errors = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let permits = Arc::new(Semaphore::new(max_in_flight));
    let mut skipped = 0u64;
    let started = Instant::now();
    let mut sent = 0u64;
    let mut tick = tokio::time::interval(Duration::from_millis(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut tasks = Vec::new();
    while started.elapsed() < duration {
        tick.tick().await;
        let due = (started.elapsed().as_secs_f64() * f64::from(rate)) as u64;
        while sent < due {
            sent += 1;
            let Ok(permit) = permits.clone().try_acquire_owned() else {
                skipped += 1;
                continue;
            };
            let future = call();
            let samples = samples.clone();
            let errors = errors.clone();
            tasks.push(tokio::spawn(async move {
                let t = Instant::now();
                let ok = future.await;
                let elapsed = t.elapsed();
                drop(permit);
                if ok {
                    if let Ok(mut samples) = samples.lock() {
                        samples.push(elapsed);
                    }
                } else {
                    errors.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
            }));
        }
    }
    for task in tasks {
        let _ = task.await;
    }
    let elapsed = started.elapsed();
    let samples = samples.lock().map(|s| s.clone()).unwrap_or_default();
    Report {
        samples,
        errors: errors.load(std::sync::atomic::Ordering::Relaxed),
        skipped,
        elapsed,
    }
}

/// Samples a process's resident set every second while `run` runs; prints min/max.
async fn with_rss<T>(pid: Option<u32>, run: impl Future<Output = T>) -> T {
    let Some(pid) = pid else {
        return run.await;
    };
    let readings = Arc::new(Mutex::new(Vec::<u64>::new()));
    let sampler = {
        let readings = readings.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(1));
            loop {
                tick.tick().await;
                if let (Some(kb), Ok(mut readings)) = (rss_kb(pid), readings.lock()) {
                    readings.push(kb);
                }
            }
        })
    };
    let result = run.await;
    sampler.abort();
    let readings = readings.lock().map(|r| r.clone()).unwrap_or_default();
    {
        if let (Some(first), Some(min), Some(max), Some(last)) = (
            readings.first(),
            readings.iter().min(),
            readings.iter().max(),
            readings.last(),
        ) {
            eprintln!(
                "enforcer resident set: first {} MB, min {} MB, max {} MB, last {} MB ({} samples)",
                first / 1024,
                min / 1024,
                max / 1024,
                last / 1024,
                readings.len()
            );
            if readings.len() > 120 {
                // A timeline, one reading a minute, to show whether the set stays flat.
                let minutes: Vec<String> = readings
                    .iter()
                    .step_by(60)
                    .map(|kb| format!("{}", kb / 1024))
                    .collect();
                eprintln!(
                    "enforcer resident set each minute (MB): {}",
                    minutes.join(" ")
                );
            }
        }
    }
    result
}

fn rss_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
}

fn chat_body(model: &str, text_bytes: usize, stream: bool) -> Value {
    json!({
        "model": model,
        "stream": stream,
        "messages": [
            { "role": "system", "content": "You are a helpful assistant." },
            { "role": "user", "content": sample_text(text_bytes) }
        ]
    })
}

async fn load(
    label: &str,
    client: reqwest::Client,
    url: String,
    body: Value,
    args: &ProxyArgs,
) -> Report {
    let body = Arc::new(serde_json::to_vec(&body).unwrap_or_default());
    let mut report = open_loop(args.rate, Duration::from_secs(args.duration), 2048, || {
        let client = client.clone();
        let url = url.clone();
        let body = body.clone();
        async move {
            match client
                .post(&url)
                .header("content-type", "application/json")
                .body(body.to_vec())
                .send()
                .await
            {
                Ok(response) if response.status().is_success() => response.bytes().await.is_ok(),
                _ => false,
            }
        }
    })
    .await;
    report.print(label);
    report
}

async fn proxy(args: &ProxyArgs) -> anyhow::Result<()> {
    let body = chat_body(&args.model, args.text_bytes, args.stream);
    let direct = match &args.direct_url {
        Some(direct) => {
            let client = reqwest::Client::builder().build()?;
            // Warm the pool, then measure.
            let _ = client.get(format!("{direct}/models")).send().await;
            Some(
                load(
                    "direct to upstream",
                    client,
                    format!("{}/chat/completions", direct.trim_end_matches('/')),
                    body.clone(),
                    args,
                )
                .await,
            )
        }
        None => None,
    };
    let mut identity = std::fs::read(&args.key).context("--key")?;
    identity.extend(std::fs::read(&args.cert).context("--cert")?);
    let ca = std::fs::read(&args.ca).context("--ca")?;
    let mut builder = reqwest::Client::builder()
        .use_rustls_tls()
        .tls_built_in_root_certs(false)
        .identity(reqwest::Identity::from_pem(&identity)?);
    for certificate in reqwest::Certificate::from_pem_bundle(&ca)? {
        builder = builder.add_root_certificate(certificate);
    }
    let client = builder.build()?;
    let base = args.url.trim_end_matches('/').to_owned();
    let probe = client.get(format!("{base}/models")).send().await?;
    anyhow::ensure!(
        probe.status().is_success(),
        "the proxy refused the probe: {}",
        probe.status()
    );
    let proxied = with_rss(
        args.enforcer_pid,
        load(
            "through the proxy",
            client,
            format!("{base}/chat/completions"),
            body,
            args,
        ),
    )
    .await;
    if let Some(direct) = direct {
        eprintln!(
            "added by the proxy: p50 {:.1} µs, p90 {:.1} µs, p99 {:.1} µs",
            proxied.percentile(0.50) - direct.percentile(0.50),
            proxied.percentile(0.90) - direct.percentile(0.90),
            proxied.percentile(0.99) - direct.percentile(0.99)
        );
    }
    Ok(())
}

async fn nats(args: &NatsArgs) -> anyhow::Result<()> {
    let client = async_nats::connect(&args.nats_url)
        .await
        .context("cannot connect to NATS")?;
    let subject = warden_common::policy::subjects::check(&args.trust_domain);
    let mut request = json!({
        "agent": args.agent,
        "action": { "kind": "llm_call", "model": args.model, "destination": "127.0.0.1" },
    });
    if args.text_bytes > 0 {
        request["texts"] = json!([sample_text(args.text_bytes)]);
    }
    let payload = bytes::Bytes::from(serde_json::to_vec(&request)?);
    let probe = client.request(subject.clone(), payload.clone()).await?;
    eprintln!(
        "probe reply: {}",
        String::from_utf8_lossy(&probe.payload)
            .chars()
            .take(300)
            .collect::<String>()
    );
    let mut report = with_rss(
        args.enforcer_pid,
        open_loop(args.rate, Duration::from_secs(args.duration), 4096, || {
            let client = client.clone();
            let subject = subject.clone();
            let payload = payload.clone();
            async move { client.request(subject, payload).await.is_ok() }
        }),
    )
    .await;
    report.print("NATS check round trip");
    Ok(())
}

async fn events(args: &EventsArgs) -> anyhow::Result<()> {
    use warden_common::firewall::{DecisionEvent, Outcome, subjects};
    let client = async_nats::connect(&args.nats_url)
        .await
        .context("cannot connect to NATS")?;
    let jetstream = async_nats::jetstream::new(client);
    jetstream
        .get_or_create_stream(subjects::decisions_stream_config())
        .await
        .context("cannot reach the decision event stream")?;
    let subject = subjects::decisions(&args.trust_domain);
    let enforcer_id = uuid::Uuid::new_v4();
    let agents: Vec<uuid::Uuid> = (0..args.agents.max(1))
        .map(|_| uuid::Uuid::new_v4())
        .collect();
    let findings = [
        "EMAIL",
        "PHONE",
        "CREDIT_CARD",
        "PERSON",
        "AWS_ACCESS_KEY",
        "IBAN",
    ];
    let models = ["gpt-4o-mini", "gpt-4o", "claude-sonnet", "llama-3-70b"];
    let started = Instant::now();
    let mut pending: std::collections::VecDeque<async_nats::jetstream::context::PublishAckFuture> =
        std::collections::VecDeque::with_capacity(args.in_flight);
    let mut failed = 0u64;
    for index in 0..args.count {
        // Deterministic variety: outcomes, findings and agents spread like a real fleet's.
        let agent = agents[(index.wrapping_mul(2_654_435_761) % agents.len() as u64) as usize];
        let (allow, outcome) = match index % 20 {
            0..=14 => (true, Outcome::Allowed),
            15..=17 => (false, Outcome::Denied),
            18 => (false, Outcome::Blocked),
            _ => (true, Outcome::UpstreamError),
        };
        let mut request_findings = std::collections::BTreeMap::new();
        if index % 4 == 0 {
            request_findings.insert(findings[(index / 4 % 6) as usize].to_owned(), 1 + index % 3);
        }
        let injection = index % 50 == 7;
        let event = DecisionEvent {
            id: uuid::Uuid::new_v4(),
            time: time::OffsetDateTime::now_utc(),
            enforcer_id,
            trust_domain: args.trust_domain.clone(),
            agent_id: Some(agent),
            agent: format!("spiffe://{}/agent/{agent}", args.trust_domain),
            action: json!({ "kind": "llm_call", "endpoint": "chat.completions", "model": models[(index % 4) as usize] }),
            via: "proxy".to_owned(),
            allow,
            outcome,
            reasons: vec![if allow {
                "granted by support-llm".to_owned()
            } else {
                "no grant allows this model".to_owned()
            }],
            grants: if allow {
                vec!["support-llm".to_owned()]
            } else {
                Vec::new()
            },
            policy_version: Some(12),
            response_findings: Default::default(),
            masked: request_findings.values().sum(),
            request_findings,
            injection_score: if injection { 0.93 } else { 0.02 },
            injection_detected: injection,
            response_inspected: true,
            enforcer_us: 180 + index % 300,
            total_us: 450_000 + index % 100_000,
            upstream: Some("openai".to_owned()),
            upstream_status: Some(200),
        };
        let payload = bytes::Bytes::from(serde_json::to_vec(&event)?);
        if pending.len() >= args.in_flight
            && let Some(ack) = pending.pop_front()
            && ack.await.is_err()
        {
            failed += 1;
        }
        match jetstream.publish(subject.clone(), payload).await {
            Ok(ack) => pending.push_back(ack),
            Err(_) => failed += 1,
        }
    }
    for ack in pending {
        if ack.await.is_err() {
            failed += 1;
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    eprintln!(
        "published {} decision events ({failed} failed) in {elapsed:.1} s: {:.0} events/s acknowledged by JetStream",
        args.count,
        args.count as f64 / elapsed
    );
    Ok(())
}

/// A stand-in OpenAI upstream: fixed answers, streamed or not.
async fn upstream(args: &UpstreamArgs) -> anyhow::Result<()> {
    let router = Router::new()
        .route("/v1/chat/completions", post(fake_chat))
        .route("/v1/completions", post(fake_chat))
        .route("/v1/embeddings", post(fake_embeddings))
        .route(
            "/v1/models",
            get(|| async {
                Json(json!({ "object": "list", "data": [
                    { "id": "bench-model", "object": "model", "created": 0, "owned_by": "bench" }
                ]}))
            }),
        );
    let listener = tokio::net::TcpListener::bind(args.listen).await?;
    eprintln!("stand-in upstream on http://{}/v1", listener.local_addr()?);
    axum::serve(listener, router)
        .with_graceful_shutdown(warden_common::runtime::shutdown_signal())
        .await?;
    Ok(())
}

const FAKE_ANSWER: &str = "Here is a short summary of the report: revenue grew, costs held steady, and the team recommends continuing the current plan.";

async fn fake_chat(Json(request): Json<Value>) -> Response {
    let model = request.get("model").cloned().unwrap_or(Value::Null);
    if request.get("stream").and_then(Value::as_bool) == Some(true) {
        let mut body = String::new();
        for (i, word) in FAKE_ANSWER.split_inclusive(' ').enumerate() {
            let delta = if i == 0 {
                json!({ "role": "assistant", "content": word })
            } else {
                json!({ "content": word })
            };
            body.push_str(&format!(
                "data: {}\n\n",
                json!({ "id": "chatcmpl-bench", "object": "chat.completion.chunk", "created": 0, "model": model,
                        "choices": [{ "index": 0, "delta": delta, "finish_reason": null }] })
            ));
        }
        body.push_str(&format!(
            "data: {}\n\ndata: [DONE]\n\n",
            json!({ "id": "chatcmpl-bench", "object": "chat.completion.chunk", "created": 0, "model": model,
                    "choices": [{ "index": 0, "delta": {}, "finish_reason": "stop" }] })
        ));
        return ([("content-type", "text/event-stream")], Body::from(body)).into_response();
    }
    Json(json!({
        "id": "chatcmpl-bench", "object": "chat.completion", "created": 0, "model": model,
        "choices": [{ "index": 0, "message": { "role": "assistant", "content": FAKE_ANSWER }, "finish_reason": "stop" }],
        "usage": { "prompt_tokens": 200, "completion_tokens": 25, "total_tokens": 225 }
    }))
    .into_response()
}

async fn fake_embeddings(Json(request): Json<Value>) -> Json<Value> {
    Json(json!({
        "object": "list",
        "model": request.get("model").cloned().unwrap_or(Value::Null),
        "data": [{ "object": "embedding", "index": 0, "embedding": [0.1, 0.2, 0.3, 0.4] }],
        "usage": { "prompt_tokens": 8, "total_tokens": 8 }
    }))
}
