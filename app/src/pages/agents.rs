use crate::api::{
    CreateJoinToken, RegisterAgent, RetireAgent, RevokeAgentCredentials, UpdateAgent, list_agents,
};
use crate::components::{EmptyState, ErrorNotice, format_time};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use uuid::Uuid;
use warden_common::accounts::{Me, Permission};
use warden_common::agents::{Agent, AgentStatus, AgentUpdate, CredentialState};

#[component]
pub fn Agents() -> impl IntoView {
    let me = expect_context::<Me>();
    let can_write = me.role.allows(Permission::WriteOperations);
    let register = ServerAction::<RegisterAgent>::new();
    let update = ServerAction::<UpdateAgent>::new();
    let retire = ServerAction::<RetireAgent>::new();
    let revoke = ServerAction::<RevokeAgentCredentials>::new();
    let text = RwSignal::new(String::new());
    let status = RwSignal::new("active".to_owned());
    let agents = Resource::new(
        move || {
            (
                text.get(),
                status.get(),
                register.version().get(),
                update.version().get(),
                retire.version().get(),
                revoke.version().get(),
            )
        },
        |(text, status, ..)| list_agents(text, status),
    );
    let (show_register, set_show_register) = signal(false);

    // Close the form once an agent is registered.
    Effect::new(move |_| {
        if matches!(register.value().get(), Some(Ok(_))) {
            set_show_register.set(false);
        }
    });

    view! {
        <Title text="Agents" />
        <div class="page-header">
            <h1>"Agents"</h1>
            <div class="actions">
                <input
                    type="search"
                    placeholder="Search name, purpose, team"
                    aria-label="Search agents"
                    data-test="agent-search"
                    bind:value=text
                />
                <select aria-label="Status" bind:value=status data-test="agent-status-filter">
                    <option value="active">"Active"</option>
                    <option value="retired">"Retired"</option>
                    <option value="">"All"</option>
                </select>
                {can_write.then(|| view! {
                    <button class="primary" data-test="register-agent" on:click=move |_| set_show_register.update(|shown| *shown = !*shown)>
                        {move || if show_register.get() { "Cancel" } else { "Register agent" }}
                    </button>
                })}
            </div>
        </div>
        <Show when=move || show_register.get()>
            <RegisterForm register />
        </Show>
        {move || match register.value().get() {
            Some(Ok(agent)) => Some(view! { <p class="notice ok">"Registered " {agent.name} "."</p> }.into_any()),
            Some(Err(error)) => Some(view! { <ErrorNotice error /> }.into_any()),
            None => None,
        }}
        {move || match update.value().get().or_else(|| retire.value().get()) {
            Some(Err(error)) => Some(view! { <ErrorNotice error /> }),
            _ => None,
        }}
        {move || match revoke.value().get() {
            Some(Ok(count)) => Some(view! { <p class="notice ok" data-test="revoked-notice">"Revoked " {count} " certificate(s)."</p> }.into_any()),
            Some(Err(error)) => Some(view! { <ErrorNotice error /> }.into_any()),
            None => None,
        }}
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match agents.await {
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    Ok(list) if list.is_empty() => view! {
                        <EmptyState
                            title="No agents found"
                            message="No agent matches. Register an agent to give it an owner, a declared purpose and the capabilities it needs."
                        />
                    }
                        .into_any(),
                    Ok(list) => view! {
                        <table class="data" data-test="agents">
                            <thead>
                                <tr>
                                    <th>"Name"</th>
                                    <th>"Owner team"</th>
                                    <th>"Environment"</th>
                                    <th>"Purpose"</th>
                                    <th>"Capabilities"</th>
                                    <th>"Credential"</th>
                                    <th>"Status"</th>
                                    {can_write.then(|| view! { <th>"Actions"</th> })}
                                </tr>
                            </thead>
                            <tbody>
                                {list.into_iter().map(|agent| view! { <AgentRow agent can_write update retire revoke /> }).collect_view()}
                            </tbody>
                        </table>
                    }
                        .into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn RegisterForm(register: ServerAction<RegisterAgent>) -> impl IntoView {
    view! {
        <ActionForm action=register attr:class="card form-grid" attr:data-test="register-agent-form">
            <label>"Name" <input type="text" name="name" required placeholder="support-bot" /></label>
            <label>"Owner team" <input type="text" name="owner_team" required /></label>
            <label>"Environment" <input type="text" name="environment" required value="production" /></label>
            <label class="wide">"Purpose" <input type="text" name="purpose" required placeholder="What the agent does, in words" /></label>
            <label>"Tools" <input type="text" name="tools" placeholder="crm.read, email.send" /></label>
            <label>"Resources" <input type="text" name="resources" placeholder="customers/*" /></label>
            <label>"Models" <input type="text" name="models" placeholder="gpt-4o-mini" /></label>
            <label>"Data classes" <input type="text" name="data_classes" placeholder="pii" /></label>
            <label>"Labels" <input type="text" name="labels" placeholder="team=support, tier=1" /></label>
            <button type="submit" class="primary">"Register"</button>
        </ActionForm>
    }
}

/// The badge style of a credential state.
pub(crate) fn credential_class(state: CredentialState) -> &'static str {
    match state {
        CredentialState::Valid => "status live",
        CredentialState::Renewing => "status renewing",
        CredentialState::ExpiringSoon => "status stale",
        CredentialState::Expired | CredentialState::Revoked => "status revoked",
    }
}

fn credential_cell(agent: &Agent) -> AnyView {
    let long_lived = agent.is_long_lived().then(|| {
        view! { <span class="status stale" title="Certificates live longer than 24 hours">"long-lived"</span> }
    });
    match &agent.credential {
        None => view! { <span class="muted">"not enrolled"</span> " " {long_lived} }.into_any(),
        Some(credential) => {
            let class = credential_class(credential.state);
            view! {
                <span class=class data-test="credential-state">{credential.state.label()}</span>
                " " {long_lived}
                <br />
                <small class="muted">"until " {format_time(credential.not_after)}</small>
            }
            .into_any()
        }
    }
}

pub(crate) fn capability_summary(agent: &Agent) -> String {
    let caps = &agent.capabilities;
    let parts: Vec<String> = [
        ("tools", &caps.tools),
        ("resources", &caps.resources),
        ("models", &caps.models),
        ("data", &caps.data_classes),
    ]
    .into_iter()
    .filter(|(_, items)| !items.is_empty())
    .map(|(label, items)| format!("{label}: {}", items.join(", ")))
    .collect();
    if parts.is_empty() {
        "none declared".to_owned()
    } else {
        parts.join(" · ")
    }
}

#[component]
fn AgentRow(
    agent: Agent,
    can_write: bool,
    update: ServerAction<UpdateAgent>,
    retire: ServerAction<RetireAgent>,
    revoke: ServerAction<RevokeAgentCredentials>,
) -> impl IntoView {
    let id: Uuid = agent.id;
    let join_token = ServerAction::<CreateJoinToken>::new();
    let (confirming_revoke, set_confirming_revoke) = signal(false);
    let credential = credential_cell(&agent);
    let active = agent.status == AgentStatus::Active;
    let (editing, set_editing) = signal(false);
    let (confirming, set_confirming) = signal(false);
    let owner_team = RwSignal::new(agent.owner_team.clone());
    let purpose = RwSignal::new(agent.purpose.clone());
    let environment = RwSignal::new(agent.environment.clone());
    let labels = agent
        .labels
        .iter()
        .map(|(key, value)| format!("{key}={value}"))
        .collect::<Vec<_>>()
        .join(", ");
    let status = match agent.status {
        AgentStatus::Active => view! { <span class="status live">"active"</span> }.into_any(),
        AgentStatus::Retired => view! {
            <span class="status stale">"retired"</span>
            <br />
            <small class="muted">{agent.retired_at.map(format_time).unwrap_or_default()}</small>
        }
        .into_any(),
    };
    let name = agent.name.clone();
    view! {
        <tr data-test="agent-row" data-agent=agent.name.clone()>
            <td><A href=format!("/agents/{id}") attr:data-test="agent-link"><strong>{name.clone()}</strong></A><br /><small class="muted">{labels}</small></td>
            <td>{agent.owner_team.clone()}</td>
            <td>{agent.environment.clone()}</td>
            <td>{agent.purpose.clone()}</td>
            <td><small>{capability_summary(&agent)}</small></td>
            <td data-test="credential">{credential}</td>
            <td>{status}</td>
            {(can_write).then(|| view! {
                <td>
                    <div class="row-actions">
                        <Show when=move || active>
                            <button data-test="join-token-button" on:click=move |_| {
                                join_token.dispatch(CreateJoinToken { agent_id: id });
                            }>"Join token"</button>
                            <Show
                                when=move || confirming_revoke.get()
                                fallback=move || view! { <button data-test="revoke" on:click=move |_| set_confirming_revoke.set(true)>"Revoke credentials"</button> }
                            >
                                <button class="danger" data-test="confirm-revoke" on:click=move |_| {
                                    revoke.dispatch(RevokeAgentCredentials { agent_id: id });
                                    set_confirming_revoke.set(false);
                                }>"Confirm revoke"</button>
                            </Show>
                            <button on:click=move |_| set_editing.update(|open| *open = !*open)>"Edit"</button>
                            <Show
                                when=move || confirming.get()
                                fallback=move || view! { <button data-test="retire" on:click=move |_| set_confirming.set(true)>"Retire"</button> }
                            >
                                <button class="danger" data-test="confirm-retire" on:click=move |_| {
                                    retire.dispatch(RetireAgent { id });
                                    set_confirming.set(false);
                                }>"Confirm retire"</button>
                            </Show>
                        </Show>
                    </div>
                    {move || match join_token.value().get() {
                        Some(Ok(token)) => Some(view! {
                            <div class="token-box">
                                <p>"Join token (shown once, single use, expires " {format_time(token.expires_at)} "):"</p>
                                <code data-test="join-token">{token.token}</code>
                                <p class="muted">"Enrol with POST /api/v1/identity/enroll and a CSR for the agent's own key; it becomes " <code>{token.spiffe_id}</code> "."</p>
                            </div>
                        }.into_any()),
                        Some(Err(error)) => Some(view! { <ErrorNotice error /> }.into_any()),
                        None => None,
                    }}
                    <Show when=move || editing.get()>
                        <div class="inline-form column">
                            <input aria-label="Owner team" bind:value=owner_team />
                            <input aria-label="Purpose" bind:value=purpose />
                            <input aria-label="Environment" bind:value=environment />
                            <button on:click=move |_| {
                                update.dispatch(UpdateAgent {
                                    id,
                                    update: AgentUpdate {
                                        owner_team: Some(owner_team.get()),
                                        purpose: Some(purpose.get()),
                                        environment: Some(environment.get()),
                                        ..Default::default()
                                    },
                                });
                                set_editing.set(false);
                            }>"Save"</button>
                        </div>
                    </Show>
                </td>
            })}
        </tr>
    }
}
