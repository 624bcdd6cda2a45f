//! Indexing throughput, search latency and peak memory of the audit index at a realistic size.
//!
//! `cargo run --release -p warden-audit-index --example search_bench [-- EVENTS QUERIES]`
//! (defaults: 1,000,000 events, 2,000 queries). Events are synthetic but shaped like the real
//! log (a few hundred agents, ~20 actions, skewed severities and findings, a sentence of text),
//! generated from a fixed seed and streamed in batches, so the figures are the index's own.
#![allow(clippy::print_stdout)]

use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use time::OffsetDateTime;
use warden_audit_index::{AuditIndex, AuditQuery, IndexedEvent};

const AGENTS: usize = 300;
const ACTIONS: [&str; 20] = [
    "decision.llm_call",
    "decision.llm_call",
    "decision.llm_call",
    "decision.llm_call",
    "decision.tool_call",
    "decision.tool_call",
    "decision.http_egress",
    "agent.create",
    "agent.update",
    "agent.suspend",
    "agent.delete",
    "policy.publish",
    "policy.rollback",
    "login.success",
    "login.failed",
    "token.issue",
    "token.revoke",
    "enforcer.register",
    "enforcer.heartbeat_lost",
    "export.download",
];
const DECISIONS: [&str; 5] = ["allow", "allow", "deny", "masked", "blocked"];
const SEVERITIES: [&str; 8] = [
    "info", "info", "info", "info", "low", "medium", "high", "critical",
];
const FINDINGS: [&str; 10] = [
    "EMAIL",
    "PHONE",
    "CREDIT_CARD",
    "IBAN",
    "SSN",
    "API_KEY",
    "AWS_SECRET",
    "JWT",
    "prompt_injection",
    "jailbreak",
];
const CONTROLS: [&str; 12] = [
    "SOC2-CC6.1",
    "SOC2-CC6.6",
    "SOC2-CC7.2",
    "ISO27001-A.5.15",
    "ISO27001-A.8.15",
    "ISO27001-A.8.16",
    "EUAIA-Art12",
    "EUAIA-Art14",
    "EUAIA-Art15",
    "GDPR-Art32",
    "HIPAA-164.312",
    "NIST-AI-RMF-MS2.7",
];
const WORDS: [&str; 48] = [
    "customer",
    "refund",
    "invoice",
    "order",
    "shipping",
    "address",
    "payment",
    "account",
    "password",
    "reset",
    "weather",
    "forecast",
    "report",
    "summary",
    "quarterly",
    "revenue",
    "ticket",
    "support",
    "escalation",
    "contract",
    "renewal",
    "database",
    "query",
    "export",
    "upload",
    "document",
    "translation",
    "email",
    "draft",
    "calendar",
    "meeting",
    "schedule",
    "prompt",
    "override",
    "instructions",
    "ignore",
    "system",
    "secret",
    "token",
    "rotation",
    "budget",
    "limit",
    "exceeded",
    "model",
    "gpt",
    "claude",
    "latency",
    "timeout",
];
const TEMPLATES: [&str; 6] = [
    "request to {} about {} was {} by policy",
    "agent asked the model to {} the {} for {}",
    "tool call {} returned {} with {} redacted",
    "user {} changed {} settings for {}",
    "detected {} in {} while handling {}",
    "{} {} {} completed",
];
/// Thirty days of history.
const SPAN_SECS: i64 = 30 * 24 * 3600;

fn t0() -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(1_760_000_000).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

struct Generator {
    rng: StdRng,
    agents: Vec<String>,
    total: u64,
}

impl Generator {
    fn new(total: u64) -> Self {
        let mut rng = StdRng::seed_from_u64(0x5EED_A0D1);
        let agents = (0..AGENTS)
            .map(|i| {
                if i % 4 == 0 {
                    format!("spiffe://warden.local/agent/{:032x}", rng.r#gen::<u128>())
                } else {
                    uuid::Uuid::from_u128(rng.r#gen::<u128>()).to_string()
                }
            })
            .collect();
        Self { rng, agents, total }
    }

    fn time_of(&self, seq: u64) -> OffsetDateTime {
        t0() + time::Duration::seconds(seq as i64 * SPAN_SECS / self.total.max(1) as i64)
    }

    /// Zipf-ish agent choice: a few busy agents, a long tail.
    fn agent_index(&mut self) -> usize {
        let u: f64 = self.rng.r#gen();
        ((u * u * u) * AGENTS as f64) as usize % AGENTS
    }

    fn event(&mut self, seq: u64) -> IndexedEvent {
        let time = self.time_of(seq);
        let rng = &mut self.rng;
        let action = ACTIONS[rng.gen_range(0..ACTIONS.len())];
        let is_decision = action.starts_with("decision.");
        let agent_idx = self.agent_index();
        let rng = &mut self.rng;
        let agent = (is_decision || action.starts_with("agent.") || rng.gen_bool(0.2))
            .then(|| self.agents[agent_idx].clone());
        let decision =
            is_decision.then(|| DECISIONS[rng.gen_range(0..DECISIONS.len())].to_string());
        let n_findings = if is_decision && rng.gen_bool(0.3) {
            rng.gen_range(1..=2)
        } else {
            0
        };
        let findings = (0..n_findings)
            .map(|_| FINDINGS[rng.gen_range(0..FINDINGS.len())].to_string())
            .collect();
        let n_controls = rng.gen_range(0..=2);
        let controls = (0..n_controls)
            .map(|_| CONTROLS[rng.gen_range(0..CONTROLS.len())].to_string())
            .collect();
        let mut text = TEMPLATES[rng.gen_range(0..TEMPLATES.len())].to_string();
        while text.contains("{}") {
            text = text.replacen("{}", WORDS[rng.gen_range(0..WORDS.len())], 1);
        }
        text.push_str(&format!(" ref {}", rng.gen_range(10_000..99_999)));
        let actor = match rng.gen_range(0..10) {
            0..=5 => format!("enforcer:{}", self.agents[agent_idx % 8]),
            6..=8 => format!("user:user{}", rng.gen_range(0..40)),
            _ => "system".to_string(),
        };
        IndexedEvent {
            seq,
            id: uuid::Uuid::from_u128(rng.r#gen::<u128>()),
            time,
            actor,
            action: action.to_string(),
            subject: match &agent {
                Some(a) => format!("agent:{a}"),
                None => format!("policy:v{}", rng.gen_range(1..200)),
            },
            agent,
            decision,
            findings,
            severity: SEVERITIES[rng.gen_range(0..SEVERITIES.len())].to_string(),
            controls,
            text,
        }
    }
}

fn proc_status(key: &str) -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(key))
                .map(|l| l[key.len()..].trim().to_string())
        })
        .unwrap_or_else(|| "n/a".to_string())
}

fn dir_size(dir: &std::path::Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .filter_map(|e| e.metadata().ok())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Newest,
    Agent,
    AgentDecision,
    ActionTime,
    Text,
    TextFilter,
    DeepPage,
}

const KINDS: [Kind; 7] = [
    Kind::Newest,
    Kind::Agent,
    Kind::AgentDecision,
    Kind::ActionTime,
    Kind::Text,
    Kind::TextFilter,
    Kind::DeepPage,
];

fn pct(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i].as_secs_f64() * 1e3
}

fn summary(label: &str, lat: &mut [Duration], hits: u64) {
    lat.sort_unstable();
    println!(
        "{label:<16} n={:<5} p50={:>7.2}ms p95={:>7.2}ms p99={:>7.2}ms max={:>7.2}ms  avg total={}",
        lat.len(),
        pct(lat, 0.50),
        pct(lat, 0.95),
        pct(lat, 0.99),
        lat.last().map_or(0.0, |d| d.as_secs_f64() * 1e3),
        hits / lat.len().max(1) as u64,
    );
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let n_events: u64 = args.next().map_or(Ok(1_000_000), |a| a.parse())?;
    let n_queries: usize = args.next().map_or(Ok(2_000), |a| a.parse())?;
    let dir = std::env::temp_dir().join(format!("warden-audit-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);

    let index = AuditIndex::open(&dir)?;
    let mut generator = Generator::new(n_events);
    println!("indexing {n_events} events into {}", dir.display());
    let start = Instant::now();
    let mut gen_time = Duration::ZERO;
    let batch = 10_000u64;
    let mut seq = 0;
    while seq < n_events {
        let g = Instant::now();
        let events: Vec<IndexedEvent> = (seq..(seq + batch).min(n_events))
            .map(|s| generator.event(s))
            .collect();
        gen_time += g.elapsed();
        index.add(&events)?;
        seq += events.len() as u64;
        // The control plane commits periodically, not per event.
        if seq % 100_000 == 0 || seq == n_events {
            index.commit()?;
        }
    }
    let elapsed = start.elapsed() - gen_time;
    println!(
        "indexed {} events in {:.1}s (excluding {:.1}s generating): {:.0} events/s; index {:.0} MB on disk; VmRSS {}",
        index.doc_count(),
        elapsed.as_secs_f64(),
        gen_time.as_secs_f64(),
        n_events as f64 / elapsed.as_secs_f64(),
        dir_size(&dir) as f64 / 1e6,
        proc_status("VmRSS:"),
    );
    assert_eq!(index.indexed_through(), n_events.checked_sub(1));

    // A fresh open, as after a restart, so searches run against what is on disk.
    drop(index);
    let index = AuditIndex::open(&dir)?;
    let mut rng = StdRng::seed_from_u64(42);
    let mut per_kind: Vec<(Vec<Duration>, u64)> = vec![(Vec::new(), 0); KINDS.len()];
    let mut all = Vec::with_capacity(n_queries);
    // A short warm-up, as a running server would have (page cache, lazily opened columns).
    for _ in 0..20 {
        index.search(&AuditQuery {
            limit: 50,
            ..AuditQuery::default()
        })?;
    }
    for i in 0..n_queries {
        let kind = KINDS[i % KINDS.len()];
        let a = generator.agent_index();
        let agent = generator.agents[a].clone();
        let mut q = AuditQuery {
            limit: 50,
            ..AuditQuery::default()
        };
        match kind {
            Kind::Newest => {}
            Kind::Agent => q.agent = Some(agent),
            Kind::AgentDecision => {
                q.agent = Some(agent);
                q.decision = Some(DECISIONS[rng.gen_range(0..DECISIONS.len())].to_string());
            }
            Kind::ActionTime => {
                q.action = Some(ACTIONS[rng.gen_range(0..ACTIONS.len())].to_string());
                let day = rng.gen_range(0..30);
                q.from = Some(t0() + time::Duration::days(day));
                q.to = Some(t0() + time::Duration::days(day + 1));
            }
            Kind::Text => q.text = Some(WORDS[rng.gen_range(0..WORDS.len())].to_string()),
            Kind::TextFilter => {
                q.text = Some(WORDS[rng.gen_range(0..WORDS.len())].to_string());
                if rng.gen_bool(0.5) {
                    q.severity = Some(SEVERITIES[rng.gen_range(0..SEVERITIES.len())].to_string());
                } else {
                    q.action = Some(ACTIONS[rng.gen_range(0..ACTIONS.len())].to_string());
                }
            }
            Kind::DeepPage => {
                q.offset = 1_000;
                if rng.gen_bool(0.5) {
                    q.action = Some(ACTIONS[rng.gen_range(0..ACTIONS.len())].to_string());
                }
            }
        }
        let t = Instant::now();
        let page = index.search(&q)?;
        let d = t.elapsed();
        let slot = &mut per_kind[i % KINDS.len()];
        slot.0.push(d);
        slot.1 += page.total;
        all.push(d);
    }
    println!("{n_queries} queries (limit 50, with facets):");
    for (kind, (lat, hits)) in KINDS.iter().zip(per_kind.iter_mut()) {
        summary(&format!("{kind:?}"), lat, *hits);
    }
    summary("all", &mut all, 0);
    println!(
        "peak RSS (VmHWM) {}; VmRSS now {}",
        proc_status("VmHWM:"),
        proc_status("VmRSS:")
    );
    compare_facet_methods(&index, &dir)?;
    drop(index);
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}

/// Facet counting: this crate's column counting versus tantivy's terms aggregation over the same
/// columns and the same filtered queries (the unfiltered view is cached, so it is left out).
fn compare_facet_methods(
    index: &AuditIndex,
    dir: &std::path::Path,
) -> Result<(), Box<dyn std::error::Error>> {
    use tantivy::aggregation::agg_req::Aggregations;
    use tantivy::aggregation::{AggContextParams, AggregationCollector, AggregationLimitsGuard};
    use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
    use tantivy::schema::IndexRecordOption;

    let engine = tantivy::Index::open_in_dir(dir)?;
    let schema = engine.schema();
    let searcher = engine.reader()?.searcher();
    let mut aggs = serde_json::Map::new();
    for name in [
        "action", "decision", "severity", "findings", "agent", "controls",
    ] {
        aggs.insert(
            name.to_string(),
            serde_json::json!({ "terms": { "field": format!("facet_{name}"), "size": 10 } }),
        );
    }
    let aggs: Aggregations = serde_json::from_value(serde_json::Value::Object(aggs))?;
    let cases: [(&str, &str, &str); 3] = [
        ("severity=info", "severity", "info"),
        ("action=llm_call", "action", "decision.llm_call"),
        ("text=customer", "text", "customer"),
    ];
    println!("facet methods over the same matches (limit 0, 30 runs each):");
    for (label, field, value) in cases {
        let term = tantivy::Term::from_field_text(schema.get_field(field)?, value);
        let query: Box<dyn Query> = Box::new(BooleanQuery::new(vec![(
            Occur::Must,
            Box::new(TermQuery::new(term, IndexRecordOption::Basic)) as Box<dyn Query>,
        )]));
        let mut q = AuditQuery::default();
        match field {
            "severity" => q.severity = Some(value.to_string()),
            "action" => q.action = Some(value.to_string()),
            _ => q.text = Some(value.to_string()),
        }
        let mut ours = Vec::new();
        let mut theirs = Vec::new();
        let mut matched = 0;
        for _ in 0..30 {
            let t = Instant::now();
            matched = index.search(&q)?.total;
            ours.push(t.elapsed());
            let t = Instant::now();
            let collector = AggregationCollector::from_aggs(
                aggs.clone(),
                AggContextParams::new(
                    AggregationLimitsGuard::default(),
                    engine.tokenizers().clone(),
                ),
            );
            let _ = searcher.search(query.as_ref(), &collector)?;
            theirs.push(t.elapsed());
        }
        ours.sort_unstable();
        theirs.sort_unstable();
        println!(
            "  {label:<16} {matched:>7} matches: column counting p50 {:.2}ms, terms aggregation p50 {:.2}ms",
            pct(&ours, 0.5),
            pct(&theirs, 0.5)
        );
    }
    Ok(())
}
