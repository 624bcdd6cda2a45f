//! One agent: what it declares, and every certificate it has held, each revocable on its own.

use crate::api::{RevokeCertificate, agent_drift, get_agent, list_certificates};
use crate::components::{ErrorNotice, format_time};
use crate::pages::agents::{capability_summary, credential_class};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;
use warden_common::accounts::{Me, Permission};
use warden_common::agents::{Agent, CredentialState};
use warden_common::identity::Certificate;
use warden_common::policy::ReviewPermission;

#[component]
pub fn AgentDetail() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<Uuid>().ok())
    };
    view! {
        <p><A href="/agents">"← Agents"</A></p>
        {move || match id() {
            None => view! { <ErrorNotice error=crate::error::ConsoleError::NotFound("no such agent".into()) /> }.into_any(),
            Some(id) => view! { <AgentView id /> }.into_any(),
        }}
    }
}

#[component]
fn AgentView(id: Uuid) -> impl IntoView {
    let me = expect_context::<Me>();
    let can_write = me.role.allows(Permission::WriteOperations);
    let revoke = ServerAction::<RevokeCertificate>::new();
    let agent = Resource::new(move || revoke.version().get(), move |_| get_agent(id));
    view! {
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match agent.await {
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    Ok(agent) => view! { <Summary agent /> }.into_any(),
                }
            })}
        </Transition>
        {move || match revoke.value().get() {
            Some(Ok(())) => Some(view! { <p class="notice ok" data-test="certificate-revoked">"Certificate revoked; the fleet has the new CRL."</p> }.into_any()),
            Some(Err(error)) => Some(view! { <ErrorNotice error /> }.into_any()),
            None => None,
        }}
        <Drift id />
        <Certificates id can_write revoke />
    }
}

/// The newest least-privilege review: what the published policy lets the agent do, against what
/// it declares.
#[component]
fn Drift(id: Uuid) -> impl IntoView {
    let report = Resource::new(|| (), move |_| agent_drift(id));
    let list = |items: Vec<ReviewPermission>, test: &'static str, empty: &'static str| {
        if items.is_empty() {
            view! { <p class="muted" data-test=test>{empty}</p> }.into_any()
        } else {
            view! {
                <ul data-test=test>
                    {items.into_iter().map(|item| {
                        let via = (!item.grants.is_empty()).then(|| format!(" (via {})", item.grants.join(", ")));
                        let label = format!("{} {}", item.dimension, item.value);
                        view! { <li data-value=item.value><code>{label}</code>{via}</li> }
                    }).collect_view()}
                </ul>
            }
            .into_any()
        }
    };
    view! {
        <section class="card">
            <h2>"Least privilege"</h2>
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match report.await {
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                        Ok(None) => view! { <p class="muted" data-test="no-drift">"No published policy version has reviewed this agent yet."</p> }.into_any(),
                        Ok(Some(report)) => view! {
                            <div data-test="drift" data-version=report.version.to_string()>
                                <p class="muted">"Policy v" {report.version} ", reviewed " {format_time(report.created_at)} "."</p>
                                <h3>"Over-privileged (allowed, not declared)"</h3>
                                {list(report.over_privileged, "over-privileged", "None.")}
                                <h3>"Broken (declared, denied)"</h3>
                                {list(report.broken, "broken", "None.")}
                                <h3>"Effective permissions"</h3>
                                {list(report.effective, "effective", "Nothing is allowed.")}
                                <h3>"Broad grants"</h3>
                                {if report.broad_grants.is_empty() {
                                    view! { <p class="muted" data-test="broad-grants">"None."</p> }.into_any()
                                } else {
                                    view! {
                                        <ul data-test="broad-grants">
                                            {report.broad_grants.into_iter().map(|broad| view! {
                                                <li>{broad.sentence} <small class="muted">" — " {broad.why.join("; ")}</small></li>
                                            }).collect_view()}
                                        </ul>
                                    }
                                        .into_any()
                                }}
                            </div>
                        }
                            .into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Summary(agent: Agent) -> impl IntoView {
    let labels = agent
        .labels
        .iter()
        .map(|(key, value)| format!("{key}={value}"))
        .collect::<Vec<_>>()
        .join(", ");
    let credential = match &agent.credential {
        None => view! { <span class="muted">"not enrolled"</span> }.into_any(),
        Some(credential) => view! {
            <span class=credential_class(credential.state) data-test="credential-state">{credential.state.label()}</span>
            " until " {format_time(credential.not_after)}
        }
        .into_any(),
    };
    let long_lived = agent.is_long_lived().then(|| {
        view! { <span class="status stale" title="Certificates live longer than 24 hours">"long-lived"</span> }
    });
    view! {
        <Title text=format!("Agent {}", agent.name) />
        <div class="page-header">
            <h1 data-test="agent-name">{agent.name.clone()}</h1>
            <span class=if agent.status == warden_common::agents::AgentStatus::Active { "status live" } else { "status stale" }>
                {agent.status.as_str()}
            </span>
        </div>
        <section class="card">
            <dl class="facts">
                <dt>"Purpose"</dt><dd>{agent.purpose.clone()}</dd>
                <dt>"Owner team"</dt><dd>{agent.owner_team.clone()}</dd>
                <dt>"Environment"</dt><dd>{agent.environment.clone()}</dd>
                <dt>"Labels"</dt><dd>{if labels.is_empty() { "none".to_owned() } else { labels }}</dd>
                <dt>"Declared capabilities"</dt><dd>{capability_summary(&agent)}</dd>
                <dt>"Certificate lifetime"</dt><dd>{agent.svid_lifetime_hours} " h " {long_lived}</dd>
                <dt>"Credential"</dt><dd data-test="credential">{credential}</dd>
                <dt>"Registered"</dt><dd>{format_time(agent.created_at)} " by " {agent.created_by.clone()}</dd>
            </dl>
        </section>
    }
}

#[component]
fn Certificates(
    id: Uuid,
    can_write: bool,
    revoke: ServerAction<RevokeCertificate>,
) -> impl IntoView {
    // How many pages are shown; "Load more" adds one. Refetching walks the cursors again, so a
    // revocation refreshes every row on screen.
    let pages = RwSignal::new(1usize);
    let certificates = Resource::new(
        move || (pages.get(), revoke.version().get()),
        move |(pages, _)| async move {
            let mut rows = Vec::new();
            let mut cursor = None;
            for _ in 0..pages {
                let page = list_certificates(id, cursor).await?;
                rows.extend(page.items);
                cursor = page.next_cursor;
                if cursor.is_none() {
                    break;
                }
            }
            Ok::<_, crate::error::ConsoleError>((rows, cursor.is_some()))
        },
    );
    view! {
        <section class="card">
            <h2>"Certificates"</h2>
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match certificates.await {
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                        Ok((rows, more)) => {
                            if rows.is_empty() {
                                return view! {
                                    <p class="muted" data-test="no-certificates">"No certificate yet. Create a join token on the Agents page and enrol the agent with " <code>"warden-agent enroll"</code> "."</p>
                                }
                                    .into_any();
                            }
                            view! {
                                <table class="data" data-test="certificates">
                                    <thead>
                                        <tr>
                                            <th>"Serial"</th>
                                            <th>"State"</th>
                                            <th>"Issued via"</th>
                                            <th>"Issuer"</th>
                                            <th>"Valid from"</th>
                                            <th>"Valid until"</th>
                                            {can_write.then(|| view! { <th>"Actions"</th> })}
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {rows.into_iter().map(|certificate| view! { <CertificateRow certificate can_write revoke /> }).collect_view()}
                                    </tbody>
                                </table>
                                {more.then(|| view! {
                                    <button data-test="more-certificates" on:click=move |_| pages.update(|pages| *pages += 1)>"Load more"</button>
                                })}
                            }
                                .into_any()
                        }
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn CertificateRow(
    certificate: Certificate,
    can_write: bool,
    revoke: ServerAction<RevokeCertificate>,
) -> impl IntoView {
    let (confirming, set_confirming) = signal(false);
    let revocable = matches!(
        certificate.state,
        CredentialState::Valid | CredentialState::Renewing | CredentialState::ExpiringSoon
    );
    let serial = StoredValue::new(certificate.serial.clone());
    let state = match certificate.revoked_at {
        Some(at) => view! {
            <span class=credential_class(certificate.state) data-test="certificate-state">{certificate.state.label()}</span>
            <br /><small class="muted">{format_time(at)}</small>
        }
        .into_any(),
        None => view! { <span class=credential_class(certificate.state) data-test="certificate-state">{certificate.state.label()}</span> }.into_any(),
    };
    view! {
        <tr data-test="certificate-row" data-serial=certificate.serial.clone()>
            <td><code title=certificate.serial.clone()>{certificate.serial.chars().take(16).collect::<String>()} "…"</code></td>
            <td>{state}</td>
            <td>{certificate.issued_via.clone()}</td>
            <td><small>{certificate.issuer.clone()}</small></td>
            <td>{format_time(certificate.not_before)}</td>
            <td>{format_time(certificate.not_after)}</td>
            {can_write.then(|| view! {
                <td>
                    <Show when=move || revocable>
                        <Show
                            when=move || confirming.get()
                            fallback=move || view! { <button data-test="revoke-certificate" on:click=move |_| set_confirming.set(true)>"Revoke"</button> }
                        >
                            <button class="danger" data-test="confirm-revoke-certificate" on:click=move |_| {
                                revoke.dispatch(RevokeCertificate { serial: serial.get_value() });
                                set_confirming.set(false);
                            }>"Confirm revoke"</button>
                        </Show>
                    </Show>
                </td>
            })}
        </tr>
    }
}
