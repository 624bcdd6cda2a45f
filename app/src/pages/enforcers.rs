use crate::api::list_enforcers;
use crate::components::{EmptyState, ErrorNotice, format_time};
use leptos::prelude::*;
use leptos_meta::Title;
use warden_common::fleet::{Enforcer, EnforcerStatus};

/// How often the page refreshes the fleet while open.
const REFRESH_EVERY: std::time::Duration = std::time::Duration::from_secs(5);

#[component]
pub fn Enforcers() -> impl IntoView {
    let enforcers = Resource::new(|| (), |_| list_enforcers());
    let (show_stale, set_show_stale) = signal(false);

    // Browser only: keep the list fresh while the page is open.
    Effect::new(move |_| {
        let handle = set_interval_with_handle(move || enforcers.refetch(), REFRESH_EVERY);
        on_cleanup(move || {
            if let Ok(handle) = handle {
                handle.clear();
            }
        });
    });

    view! {
        <Title text="Enforcers" />
        <div class="page-header">
            <h1>"Enforcers"</h1>
            <div class="actions">
                <label class="toggle">
                    <input
                        type="checkbox"
                        data-test="show-stale"
                        prop:checked=move || show_stale.get()
                        on:change=move |event| set_show_stale.set(event_target_checked(&event))
                    />
                    "Show stale"
                </label>
                <button on:click=move |_| enforcers.refetch()>"Refresh"</button>
            </div>
        </div>
        <p class="muted">
            "Enforcers announce themselves over NATS and send a heartbeat every few seconds. One that misses three heartbeats is stale."
        </p>
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match enforcers.await {
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    Ok(list) if list.is_empty() => view! {
                        <EmptyState
                            title="No enforcers have connected"
                            message="Start warden-enforcer with the same NATS_URL as the control plane; it appears here within seconds."
                        />
                    }
                        .into_any(),
                    Ok(list) => view! { <EnforcerTable list show_stale /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn EnforcerTable(list: Vec<Enforcer>, show_stale: ReadSignal<bool>) -> impl IntoView {
    let stale_count = list
        .iter()
        .filter(|enforcer| enforcer.status == EnforcerStatus::Stale)
        .count();
    let rows = move || {
        list.iter()
            .filter(|enforcer| show_stale.get() || enforcer.status == EnforcerStatus::Live)
            .cloned()
            .map(|enforcer| {
                let (class, label) = match enforcer.status {
                    EnforcerStatus::Live => ("status live", "live"),
                    EnforcerStatus::Stale => ("status stale", "stale"),
                };
                view! {
                    <tr data-test="enforcer-row">
                        <td><code>{enforcer.id.to_string()}</code></td>
                        <td><span class=class>{label}</span></td>
                        <td>{enforcer.hostname}</td>
                        <td>{enforcer.version}</td>
                        <td data-test="enforcer-policy">{match enforcer.policy_version {
                            Some(version) => format!("v{version}"),
                            None => "none (denies all)".to_owned(),
                        }}</td>
                        <td>{format_time(enforcer.started_at)}</td>
                        <td>{format_time(enforcer.last_seen_at)}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <table class="data">
            <thead>
                <tr>
                    <th>"ID"</th>
                    <th>"Status"</th>
                    <th>"Host"</th>
                    <th>"Version"</th>
                    <th>"Policy"</th>
                    <th>"Started"</th>
                    <th>"Last heartbeat"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
        <p class="muted" data-test="stale-hint">
            {move || {
                if show_stale.get() {
                    format!("Showing all enforcers, including {stale_count} stale.")
                } else {
                    format!("{stale_count} stale enforcer(s) hidden.")
                }
            }}
        </p>
    }
}
