//! The audit trail: search with filters and facets, newest first, and each event with its
//! inclusion proof checked in the browser against the signed checkpoint.

use crate::api::{audit_proof, search_audit};
use crate::components::{EmptyState, ErrorNotice, format_time};
use leptos::prelude::*;
use leptos_meta::Title;
use warden_common::audit::{AuditEvent, AuditFacets, AuditSearch, FacetCount, InclusionProof};

const PAGE_SIZE: usize = 50;

/// Every filter of the page, as signals.
#[derive(Clone, Copy)]
struct Filters {
    text: RwSignal<String>,
    agent: RwSignal<String>,
    action: RwSignal<String>,
    decision: RwSignal<String>,
    severity: RwSignal<String>,
    finding: RwSignal<String>,
    control: RwSignal<String>,
    from: RwSignal<String>,
    to: RwSignal<String>,
    offset: RwSignal<usize>,
}

impl Filters {
    fn new() -> Self {
        Filters {
            text: RwSignal::new(String::new()),
            agent: RwSignal::new(String::new()),
            action: RwSignal::new(String::new()),
            decision: RwSignal::new(String::new()),
            severity: RwSignal::new(String::new()),
            finding: RwSignal::new(String::new()),
            control: RwSignal::new(String::new()),
            from: RwSignal::new(String::new()),
            to: RwSignal::new(String::new()),
            offset: RwSignal::new(0),
        }
    }

    fn search(&self) -> AuditSearch {
        let some = |value: String| Some(value.trim().to_owned()).filter(|value| !value.is_empty());
        AuditSearch {
            q: some(self.text.get()),
            agent: some(self.agent.get()),
            actor: None,
            action: some(self.action.get()),
            decision: some(self.decision.get()),
            finding: some(self.finding.get()),
            severity: some(self.severity.get()),
            control: some(self.control.get()),
            from: some(self.from.get()).map(|time| utc(&time)),
            to: some(self.to.get()).map(|time| utc(&time)),
            offset: Some(self.offset.get()),
            limit: Some(PAGE_SIZE),
        }
    }
}

/// A `datetime-local` value (`2026-11-25T10:00`) read as UTC, in RFC 3339.
fn utc(local: &str) -> String {
    if local.len() == 16 {
        format!("{local}:00Z")
    } else {
        local.to_owned()
    }
}

#[component]
pub fn Audit() -> impl IntoView {
    let filters = Filters::new();
    let selected = RwSignal::new(None::<AuditEvent>);
    let results = Resource::new(move || filters.search(), search_audit);
    // Any change but the page's starts again from the first page.
    let criteria = Memo::new(move |_| AuditSearch {
        offset: None,
        ..filters.search()
    });
    Effect::new(move |_| {
        criteria.track();
        filters.offset.set(0);
    });

    view! {
        <Title text="Audit" />
        <div class="page-header">
            <h1>"Audit"</h1>
            <div class="actions">
                <input type="search" placeholder="Search events" aria-label="Search events" data-test="audit-search" bind:value=filters.text />
            </div>
        </div>
        <form class="card filters" data-test="audit-filters" on:submit=|event| event.prevent_default()>
            <label>"Agent" <input type="text" data-test="audit-agent" placeholder="support-bot" bind:value=filters.agent /></label>
            <label>"Action" <input type="text" data-test="audit-action" placeholder="decision.llm_call" bind:value=filters.action /></label>
            <label>"Decision"
                <select data-test="audit-decision" bind:value=filters.decision>
                    <option value="">"Any"</option>
                    <option value="allowed">"Allowed"</option>
                    <option value="denied">"Denied"</option>
                    <option value="blocked">"Blocked"</option>
                    <option value="rejected">"Rejected"</option>
                    <option value="upstream_error">"Upstream error"</option>
                </select>
            </label>
            <label>"Severity"
                <select data-test="audit-severity" bind:value=filters.severity>
                    <option value="">"Any"</option>
                    <option value="critical">"Critical"</option>
                    <option value="high">"High"</option>
                    <option value="medium">"Medium"</option>
                    <option value="low">"Low"</option>
                    <option value="info">"Info"</option>
                </select>
            </label>
            <label>"Finding" <input type="text" data-test="audit-finding" placeholder="EMAIL" bind:value=filters.finding /></label>
            <label>"Control" <input type="text" data-test="audit-control" placeholder="SOC2-CC6.1" bind:value=filters.control /></label>
            <label>"From (UTC)" <input type="datetime-local" data-test="audit-from" bind:value=filters.from /></label>
            <label>"To (UTC)" <input type="datetime-local" data-test="audit-to" bind:value=filters.to /></label>
        </form>
        <Transition fallback=|| view! { <p class="loading">"Searching…"</p> }>
            {move || Suspend::new(async move {
                match results.await {
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    Ok(page) if page.total == 0 => view! {
                        <EmptyState
                            title="No events found"
                            message=if page.log_size == 0 {
                                "The audit trail is empty. Sign-ins, agent and policy changes, and every enforcer decision appear here as they happen.".to_owned()
                            } else {
                                format!("No event matches these filters ({} events in the log).", page.log_size)
                            }
                        />
                    }.into_any(),
                    Ok(page) => {
                        let shown_from = page.offset + 1;
                        let shown_to = page.offset + page.events.len();
                        let has_next = (shown_to as u64) < page.total;
                        let lagging = page.indexed < page.log_size;
                        view! {
                            <div class="audit-layout">
                                <FacetPanel facets=page.facets filters />
                                <div class="audit-results">
                                    <p class="muted" data-test="audit-total">
                                        {format!("{shown_from}–{shown_to} of {} events", page.total)}
                                        {lagging.then(|| format!(" · indexing ({} of {} events searchable)", page.indexed, page.log_size))}
                                    </p>
                                    <table class="data" data-test="audit-events">
                                        <thead>
                                            <tr>
                                                <th>"#"</th>
                                                <th>"Time"</th>
                                                <th>"Action"</th>
                                                <th>"Actor"</th>
                                                <th>"Subject"</th>
                                                <th>"Decision"</th>
                                                <th>"Severity"</th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {page.events.into_iter().map(|event| view! { <EventRow event selected /> }).collect_view()}
                                        </tbody>
                                    </table>
                                    <div class="pager">
                                        <button data-test="audit-prev" disabled=page.offset == 0
                                            on:click=move |_| filters.offset.update(|offset| *offset = offset.saturating_sub(PAGE_SIZE))>"Newer"</button>
                                        <button data-test="audit-next" disabled=!has_next
                                            on:click=move |_| filters.offset.update(|offset| *offset += PAGE_SIZE)>"Older"</button>
                                    </div>
                                </div>
                            </div>
                        }.into_any()
                    }
                }
            })}
        </Transition>
        {move || selected.get().map(|event| view! { <EventDetail event selected /> })}
    }
}

fn decision_of(event: &AuditEvent) -> String {
    if event.action.starts_with("decision.") {
        event
            .details
            .get("outcome")
            .and_then(|outcome| outcome.as_str())
            .unwrap_or_default()
            .to_owned()
    } else {
        String::new()
    }
}

#[component]
fn EventRow(event: AuditEvent, selected: RwSignal<Option<AuditEvent>>) -> impl IntoView {
    let decision = decision_of(&event);
    let severity_class = format!("badge severity-{}", event.severity);
    let row = event.clone();
    view! {
        <tr class="clickable" data-test="audit-event" data-seq=event.seq.to_string() on:click=move |_| selected.set(Some(row.clone()))>
            <td>{event.seq}</td>
            <td>{format_time(event.time)}</td>
            <td><code>{event.action.clone()}</code></td>
            <td>{event.actor.clone()}</td>
            <td>{event.subject.clone()}</td>
            <td data-test="audit-event-decision">{decision}</td>
            <td><span class=severity_class>{event.severity.clone()}</span></td>
        </tr>
    }
}

#[component]
fn FacetPanel(facets: AuditFacets, filters: Filters) -> impl IntoView {
    let group = |title: &'static str,
                 field: &'static str,
                 counts: Vec<FacetCount>,
                 target: RwSignal<String>| {
        (!counts.is_empty()).then(|| view! {
            <section class="facet" data-test=format!("facet-{field}")>
                <h3>{title}</h3>
                <ul>
                    {counts.into_iter().map(|count| {
                        let value = count.value.clone();
                        view! {
                            <li>
                                <button class="link" on:click=move |_| target.set(value.clone())>{count.value.clone()}</button>
                                <span class="count">{count.count}</span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        })
    };
    view! {
        <aside class="facets card">
            {group("Action", "action", facets.action, filters.action)}
            {group("Decision", "decision", facets.decision, filters.decision)}
            {group("Severity", "severity", facets.severity, filters.severity)}
            {group("Agent", "agent", facets.agent, filters.agent)}
            {group("Finding", "finding", facets.finding, filters.finding)}
            {group("Control", "control", facets.control, filters.control)}
        </aside>
    }
}

#[component]
fn EventDetail(event: AuditEvent, selected: RwSignal<Option<AuditEvent>>) -> impl IntoView {
    let seq = event.seq;
    let proof = Resource::new(move || seq, audit_proof);
    let details = serde_json::to_string_pretty(&event.details).unwrap_or_default();
    let entry = event.entry.clone();
    view! {
        <section class="card event-detail" data-test="audit-event-detail">
            <div class="page-header">
                <h2>{format!("Event {seq}")}</h2>
                <button on:click=move |_| selected.set(None)>"Close"</button>
            </div>
            <dl class="facts">
                <dt>"Id"</dt><dd><code>{event.id.to_string()}</code></dd>
                <dt>"Time"</dt><dd>{format_time(event.time)}</dd>
                <dt>"Actor"</dt><dd>{event.actor.clone()}</dd>
                <dt>"Action"</dt><dd><code>{event.action.clone()}</code></dd>
                <dt>"Subject"</dt><dd>{event.subject.clone()}</dd>
                <dt>"Severity"</dt><dd>{event.severity.clone()}</dd>
                <dt>"Controls"</dt><dd>{event.controls.join(", ")}</dd>
                <dt>"Leaf hash"</dt><dd><code data-test="leaf-hash">{event.leaf_hash.clone()}</code></dd>
            </dl>
            <h3>"Details"</h3>
            <pre class="code">{details}</pre>
            <h3>"Inclusion proof"</h3>
            <Suspense fallback=|| view! { <p class="loading">"Fetching the proof…"</p> }>
                {move || {
                    let entry = entry.clone();
                    Suspend::new(async move {
                        match proof.await {
                            Err(error) => view! { <ErrorNotice error /> }.into_any(),
                            Ok(proof) => view! { <ProofView proof entry /> }.into_any(),
                        }
                    })
                }}
            </Suspense>
        </section>
    }
}

/// The steps an auditor would take, done here in the browser: hash the entry, walk the audit
/// path, compare with the signed root.
#[component]
fn ProofView(proof: InclusionProof, entry: String) -> impl IntoView {
    let outcome = check_proof(&proof, &entry);
    let verified = outcome.is_ok();
    let hashes = proof.hashes.clone();
    view! {
        {match outcome {
            Ok(()) => view! {
                <p class="notice ok" data-test="proof-verified">
                    {format!(
                        "Verified: the entry hashes to its leaf, and its {}-hash audit path leads to the root of signed checkpoint {}.",
                        proof.hashes.len(), proof.checkpoint.size
                    )}
                </p>
            }.into_any(),
            Err(reason) => view! { <p class="notice error" role="alert" data-test="proof-failed">{format!("Proof does not verify: {reason}")}</p> }.into_any(),
        }}
        <dl class="facts">
            <dt>"Checkpoint"</dt><dd>{format!("tree size {}, root {}", proof.checkpoint.size, proof.checkpoint.root_hash)}</dd>
            <dt>"Signed"</dt><dd>{format_time(proof.checkpoint.signed_at)}</dd>
        </dl>
        <details open=!verified>
            <summary>"Audit path and signed checkpoint"</summary>
            <ol class="hashes">{hashes.into_iter().map(|hash| view! { <li><code>{hash}</code></li> }).collect_view()}</ol>
            <pre class="code" data-test="checkpoint-note">{proof.checkpoint.note.clone()}</pre>
            <p class="muted">"The checkpoint's Ed25519 signature is checked by "<code>"warden audit verify"</code>" against the log's key (API: "<code>"/api/v1/audit/key"</code>")."</p>
        </details>
    }
}

fn check_proof(proof: &InclusionProof, entry: &str) -> Result<(), String> {
    let leaf = warden_tlog::leaf_hash(entry.as_bytes());
    if warden_tlog::to_hex(&leaf) != proof.leaf_hash {
        return Err("the entry does not hash to the recorded leaf".into());
    }
    let root = warden_tlog::hash_from_hex(&proof.checkpoint.root_hash)
        .ok_or("the checkpoint's root is not a SHA-256 hash")?;
    let path = proof
        .hashes
        .iter()
        .map(|hash| warden_tlog::hash_from_hex(hash).ok_or("a proof hash is malformed"))
        .collect::<Result<Vec<_>, _>>()?;
    // The root and size must be the ones the note signs, not just the fields beside it.
    let body = proof
        .checkpoint
        .note
        .split("\n\n")
        .next()
        .unwrap_or_default();
    let signed = warden_tlog::Checkpoint::parse(&format!("{body}\n"))
        .map_err(|error| format!("the signed note is not a checkpoint: {error}"))?;
    if signed.root != root || signed.size != proof.checkpoint.size {
        return Err("the root or size differs from the signed note".into());
    }
    warden_tlog::verify_inclusion(&leaf, proof.seq, proof.checkpoint.size, &path, &root)
        .map_err(|error| error.to_string())
}
