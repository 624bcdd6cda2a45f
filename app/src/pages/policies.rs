//! Policy as code: readable grants and their generated Rego, custom modules with compile errors
//! at line and column, "try it" with the enforcers' engine, and versions (publish, approval,
//! diff).

use crate::api::{
    CheckPolicy, DecidePolicy, DeleteGrant, PolicyDiff, ProposePolicy, SaveGrant, SavePolicyModule,
    SetPolicySettings, TryPolicy, get_policy_settings, list_agents, list_grants,
    list_policy_modules, list_policy_versions,
};
use crate::components::{EmptyState, ErrorNotice, format_time};
use leptos::prelude::*;
use leptos_meta::Title;
use warden_common::accounts::{Me, Permission};
use warden_common::policy::{DecisionView, DraftCheck, GrantView, PolicyVersion, VersionStatus};

#[component]
pub fn Policies() -> impl IntoView {
    let me = expect_context::<Me>();
    let can_write = me.role.allows(Permission::WriteOperations);
    let save = ServerAction::<SaveGrant>::new();
    let delete = ServerAction::<DeleteGrant>::new();
    let propose = ServerAction::<ProposePolicy>::new();
    let decide = ServerAction::<DecidePolicy>::new();
    let grants = Resource::new(
        move || (save.version().get(), delete.version().get()),
        |_| list_grants(),
    );
    view! {
        <Title text="Policies" />
        <div class="page-header">
            <h1>"Policies"</h1>
        </div>
        <p class="muted">"Grants say, in words, what agents may do; each compiles to Rego data with generated Rego tests, beside the base library (default deny). Publishing signs a bundle that every enforcer verifies and loads without a restart."</p>
        <section class="card">
            <h2>"Grants"</h2>
            {move || match save.value().get() {
                Some(Ok(grant)) => Some(view! { <p class="notice ok" data-test="grant-saved">"Saved " {grant.id} "."</p> }.into_any()),
                Some(Err(error)) => Some(view! { <ErrorNotice error /> }.into_any()),
                None => None,
            }}
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match grants.await {
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                        Ok(list) if list.is_empty() => view! {
                            <EmptyState title="No grants" message="Without grants every action is denied. Write one below: who, may do what, on which resources, with which limits." />
                        }
                            .into_any(),
                        Ok(list) => view! {
                            <ul class="grants" data-test="grants">
                                {list.into_iter().map(|grant| view! { <GrantItem grant can_write delete /> }).collect_view()}
                            </ul>
                        }
                            .into_any(),
                    }
                })}
            </Transition>
            {can_write.then(|| view! { <GrantForm save /> })}
        </section>
        <CompiledDraft />
        {can_write.then(|| view! { <CustomModules /> })}
        <TryIt />
        <Versions can_write propose decide />
    }
}

#[component]
fn GrantItem(
    grant: GrantView,
    can_write: bool,
    delete: ServerAction<DeleteGrant>,
) -> impl IntoView {
    let (show_tests, set_show_tests) = signal(false);
    let id = StoredValue::new(grant.id.clone());
    let tests = grant.generated_tests.clone();
    view! {
        <li data-test="grant-row" data-grant=grant.id.clone()>
            <p data-test="grant-sentence">{grant.sentence.clone()}</p>
            <small class="muted">{grant.id.clone()} " · by " {grant.updated_by.clone()} " · " {format_time(grant.updated_at)}</small>
            <div class="row-actions">
                <button data-test="show-grant-tests" on:click=move |_| set_show_tests.update(|shown| *shown = !*shown)>
                    {move || if show_tests.get() { "Hide generated tests" } else { "Generated Rego tests" }}
                </button>
                {can_write.then(|| view! {
                    <button class="danger" on:click=move |_| { delete.dispatch(DeleteGrant { id: id.get_value() }); }>"Delete"</button>
                })}
            </div>
            <Show when=move || show_tests.get()>
                <pre class="code" data-test="grant-tests">{tests.clone()}</pre>
            </Show>
        </li>
    }
}

#[component]
fn GrantForm(save: ServerAction<SaveGrant>) -> impl IntoView {
    view! {
        <details class="grant-form">
            <summary data-test="new-grant">"Write a grant"</summary>
            <ActionForm action=save attr:class="form-grid" attr:data-test="grant-form">
                <label>"Id" <input type="text" name="id" required placeholder="support-crm-read" /></label>
                <label>"Effect" <select name="effect"><option value="allow">"allow"</option><option value="deny">"deny"</option></select></label>
                <label>"Agents labelled" <input type="text" name="labels" placeholder="team=support" /></label>
                <label>"Agent names" <input type="text" name="agents" placeholder="helpdesk-*" /></label>
                <label>"Environments" <input type="text" name="environments" placeholder="production" /></label>
                <label>"Actions" <input type="text" name="actions" placeholder="tool_call, llm_call" /></label>
                <label>"Tools" <input type="text" name="tools" placeholder="crm.read" /></label>
                <label>"Resources" <input type="text" name="resources" placeholder="customers/*" /></label>
                <label>"Models" <input type="text" name="models" placeholder="gpt-4o-mini" /></label>
                <label>"Destinations" <input type="text" name="destinations" placeholder="api.openai.com" /></label>
                <label>"Data classes" <input type="text" name="data_classes" placeholder="pii" /></label>
                <label>"At most per day" <input type="number" name="daily_limit" min="1" /></label>
                <label>"Mask in requests" <input type="text" name="mask_requests" placeholder="pii" /></label>
                <label>"Mask in responses" <input type="text" name="mask_responses" placeholder="pii" /></label>
                <label>"Redact in responses" <input type="text" name="redact_responses" placeholder="financial" /></label>
                <label>"Block in requests" <input type="text" name="block_requests" placeholder="secret" /></label>
                <label>"Block in responses" <input type="text" name="block_responses" placeholder="secret" /></label>
                <button type="submit" class="primary">"Save grant"</button>
            </ActionForm>
        </details>
    }
}

/// The draft as publishing would compile it: problems, Rego tests, and the generated Rego.
#[component]
fn CompiledDraft() -> impl IntoView {
    let check = ServerAction::<CheckPolicy>::new();
    view! {
        <section class="card">
            <h2>"Compiled draft"</h2>
            <button data-test="check-draft" on:click=move |_| { check.dispatch(CheckPolicy { path: String::new(), rego: String::new() }); }>
                "Compile and run the Rego tests"
            </button>
            {move || check.pending().get().then(|| view! { <p class="loading">"Compiling and testing…"</p> })}
            {move || match check.value().get() {
                Some(Ok(result)) => Some(view! { <CheckResult result show_rego=true /> }.into_any()),
                Some(Err(error)) => Some(view! { <ErrorNotice error /> }.into_any()),
                None => None,
            }}
        </section>
    }
}

#[component]
fn CheckResult(result: DraftCheck, show_rego: bool) -> impl IntoView {
    let passed = result.tests.iter().filter(|test| test.passed).count();
    let failed: Vec<String> = result
        .tests
        .iter()
        .filter(|test| !test.passed)
        .map(|test| test.name.clone())
        .collect();
    let data = serde_json::to_string_pretty(&result.data).unwrap_or_default();
    view! {
        <div data-test="check-result" data-ok=result.ok.to_string()>
            {if result.ok {
                view! { <p class="notice ok">"Compiles; " {passed} " Rego tests pass."</p> }.into_any()
            } else {
                view! { <p class="notice error">"The draft does not compile or a test fails."</p> }.into_any()
            }}
            <ul class="problems">
                {result.problems.into_iter().map(|problem| view! {
                    <li data-test="rego-problem" data-line=problem.line.to_string() data-column=problem.column.to_string()>
                        <code>{format!("{}:{}:{}", problem.file, problem.line, problem.column)}</code> " " {problem.message}
                    </li>
                }).collect_view()}
                {failed.into_iter().map(|name| view! { <li data-test="failing-test">"failing test " <code>{name}</code></li> }).collect_view()}
            </ul>
            {show_rego.then(|| view! {
                <details>
                    <summary>"Generated Rego and data"</summary>
                    <pre class="code" data-test="compiled-rego">{result.rego.clone()}</pre>
                    <pre class="code" data-test="compiled-data">{data.clone()}</pre>
                </details>
            })}
        </div>
    }
}

/// Custom Rego beside the grants, for what the grant form cannot say.
#[component]
fn CustomModules() -> impl IntoView {
    let save = ServerAction::<SavePolicyModule>::new();
    let check = ServerAction::<CheckPolicy>::new();
    let modules = Resource::new(move || save.version().get(), |_| list_policy_modules());
    let path = RwSignal::new("custom/rules.rego".to_owned());
    let rego = RwSignal::new(
        "package warden.custom.rules\n\nimport rego.v1\n\n# Add a reason to deny an action the grants would allow.\ndeny contains \"no tool calls on Sundays\" if {\n\tinput.action.kind == \"tool_call\"\n\tinput.context.weekday == \"sun\"\n}\n".to_owned(),
    );
    view! {
        <section class="card">
            <h2>"Custom Rego"</h2>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match modules.await {
                        Ok(list) if !list.is_empty() => view! {
                            <ul data-test="modules">
                                {list.into_iter().map(|module| {
                                    let (path_value, rego_value) = (module.path.clone(), module.rego.clone());
                                    view! {
                                        <li>
                                            <button class="link" on:click=move |_| { path.set(path_value.clone()); rego.set(rego_value.clone()); }>{module.path.clone()}</button>
                                            " · " {module.updated_by}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Ok(_) => view! { <p class="muted">"No custom modules yet."</p> }.into_any(),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Transition>
            <div class="inline-form column">
                <input aria-label="Module path" data-test="module-path" bind:value=path />
                <textarea aria-label="Rego" data-test="module-rego" class="code" rows="12" bind:value=rego></textarea>
                <div class="row-actions">
                    <button data-test="check-module" on:click=move |_| { check.dispatch(CheckPolicy { path: path.get(), rego: rego.get() }); }>"Check"</button>
                    <button class="primary" data-test="save-module" on:click=move |_| { save.dispatch(SavePolicyModule { path: path.get(), rego: rego.get() }); }>"Save"</button>
                </div>
            </div>
            {move || match check.value().get() {
                Some(Ok(result)) => Some(view! { <CheckResult result show_rego=false /> }.into_any()),
                Some(Err(error)) => Some(view! { <ErrorNotice error /> }.into_any()),
                None => None,
            }}
            {move || match save.value().get() {
                Some(Ok(module)) => Some(view! { <p class="notice ok">"Saved " {module.path} "."</p> }.into_any()),
                Some(Err(error)) => Some(view! { <ErrorNotice error /> }.into_any()),
                None => None,
            }}
        </section>
    }
}

#[component]
fn TryIt() -> impl IntoView {
    let try_it = ServerAction::<TryPolicy>::new();
    let agents = Resource::new(|| (), |_| list_agents(String::new(), "active".to_owned()));
    view! {
        <section class="card">
            <h2>"Try it"</h2>
            <p class="muted">"Evaluates a sample action against the draft with the engine enforcers run, and says why."</p>
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match agents.await {
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                        Ok(list) if list.is_empty() => view! { <p class="muted">"Register an agent first."</p> }.into_any(),
                        Ok(list) => view! {
                            <ActionForm action=try_it attr:class="form-grid" attr:data-test="try-form">
                                <label>"Agent" <select name="agent_id" data-test="try-agent">
                                    {list.into_iter().map(|agent| view! { <option value=agent.id.to_string()>{agent.name}</option> }).collect_view()}
                                </select></label>
                                <label>"Action" <select name="kind">
                                    <option value="tool_call">"tool call"</option>
                                    <option value="llm_call">"LLM call"</option>
                                    <option value="resource_access">"resource access"</option>
                                    <option value="data_access">"data access"</option>
                                </select></label>
                                <label>"Tool" <input type="text" name="tool" /></label>
                                <label>"Resource" <input type="text" name="resource" /></label>
                                <label>"Model" <input type="text" name="model" /></label>
                                <label>"Data classes" <input type="text" name="data_classes" /></label>
                                <button type="submit">"Try it"</button>
                            </ActionForm>
                        }
                            .into_any(),
                    }
                })}
            </Transition>
            {move || match try_it.value().get() {
                Some(Ok(decision)) => Some(view! { <DecisionResult decision /> }.into_any()),
                Some(Err(error)) => Some(view! { <ErrorNotice error /> }.into_any()),
                None => None,
            }}
        </section>
    }
}

#[component]
fn DecisionResult(decision: DecisionView) -> impl IntoView {
    let verdict = if decision.allow { "allow" } else { "deny" };
    view! {
        <div data-test="decision" data-allow=decision.allow.to_string()>
            <p><span class=if decision.allow { "status live" } else { "status revoked" }>{verdict}</span>
                {(!decision.grants.is_empty()).then(|| format!(" by {}", decision.grants.join(", ")))}</p>
            <ul>{decision.reasons.into_iter().map(|reason| view! { <li data-test="reason">{reason}</li> }).collect_view()}</ul>
        </div>
    }
}

#[component]
fn Versions(
    can_write: bool,
    propose: ServerAction<ProposePolicy>,
    decide: ServerAction<DecidePolicy>,
) -> impl IntoView {
    let me = expect_context::<Me>();
    let can_govern = me.role.allows(Permission::ManageTrust);
    let settings_action = ServerAction::<SetPolicySettings>::new();
    let versions = Resource::new(
        move || (propose.version().get(), decide.version().get()),
        |_| list_policy_versions(),
    );
    let settings = Resource::new(
        move || settings_action.version().get(),
        |_| get_policy_settings(),
    );
    let diff = ServerAction::<PolicyDiff>::new();
    view! {
        <section class="card">
            <h2>"Versions"</h2>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let required = settings.await.map(|settings| settings.require_approval).unwrap_or(false);
                    view! {
                        <p class="muted" data-test="approval-setting">
                            {if required { "Publishing needs a second person's approval." } else { "Publishing takes effect at once." }}
                            {can_govern.then(|| view! {
                                " "
                                <button class="link" on:click=move |_| { settings_action.dispatch(SetPolicySettings { require_approval: !required }); }>
                                    {if required { "Turn approval off" } else { "Require approval" }}
                                </button>
                            })}
                        </p>
                    }
                })}
            </Transition>
            {can_write.then(|| view! {
                <ActionForm action=propose attr:class="inline-form" attr:data-test="publish-form">
                    <input type="text" name="note" aria-label="What changed and why" placeholder="What changed and why" />
                    <button type="submit" class="primary" data-test="publish">"Publish the draft"</button>
                </ActionForm>
            })}
            {move || propose.pending().get().then(|| view! { <p class="loading">"Compiling, testing and signing…"</p> })}
            {move || match propose.value().get().or_else(|| decide.value().get()) {
                Some(Ok(version)) => Some(view! { <p class="notice ok" data-test="version-notice">"Version " {version.version} " is " {status_label(version.status)} "."</p> }.into_any()),
                Some(Err(error)) => Some(view! { <ErrorNotice error /> }.into_any()),
                None => None,
            }}
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match versions.await {
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                        Ok(list) if list.is_empty() => view! { <p class="muted" data-test="no-versions">"Nothing published yet: enforcers deny every action until a version is."</p> }.into_any(),
                        Ok(list) => view! {
                            <table class="data" data-test="versions">
                                <thead><tr><th>"Version"</th><th>"Status"</th><th>"Note"</th><th>"Proposed"</th><th>"Decided"</th><th></th></tr></thead>
                                <tbody>
                                    {list.into_iter().map(|version| view! { <VersionRow version can_write decide diff /> }).collect_view()}
                                </tbody>
                            </table>
                        }
                            .into_any(),
                    }
                })}
            </Transition>
            {move || match diff.value().get() {
                Some(Ok(text)) => Some(view! { <pre class="code" data-test="diff">{text}</pre> }.into_any()),
                Some(Err(error)) => Some(view! { <ErrorNotice error /> }.into_any()),
                None => None,
            }}
        </section>
    }
}

fn status_label(status: VersionStatus) -> &'static str {
    match status {
        VersionStatus::Pending => "waiting for approval",
        VersionStatus::Published => "published",
        VersionStatus::Rejected => "rejected",
    }
}

#[component]
fn VersionRow(
    version: PolicyVersion,
    can_write: bool,
    decide: ServerAction<DecidePolicy>,
    diff: ServerAction<PolicyDiff>,
) -> impl IntoView {
    let number = version.version;
    let pending = version.status == VersionStatus::Pending;
    view! {
        <tr data-test="version-row" data-version=number.to_string() data-status=format!("{:?}", version.status).to_lowercase()>
            <td>"v" {number} {version.current.then(|| view! { " " <span class="status live">"current"</span> })}</td>
            <td>{status_label(version.status)}</td>
            <td>{version.note.clone()} <br /><small class="muted">{version.grants} " grants, " {version.modules} " modules"</small></td>
            <td>{version.proposed_by.clone()} <br /><small class="muted">{format_time(version.proposed_at)}</small></td>
            <td>{version.decided_by.clone().unwrap_or_default()}</td>
            <td>
                <div class="row-actions">
                    <button data-test="show-diff" on:click=move |_| { diff.dispatch(PolicyDiff { version: number }); }>"Diff"</button>
                    {(can_write && pending).then(|| view! {
                        <button class="primary" data-test="approve" on:click=move |_| { decide.dispatch(DecidePolicy { version: number, approve: true }); }>"Approve"</button>
                        <button class="danger" data-test="reject" on:click=move |_| { decide.dispatch(DecidePolicy { version: number, approve: false }); }>"Reject"</button>
                    })}
                </div>
            </td>
        </tr>
    }
}
