use crate::api::list_enforcers;
use crate::components::ErrorNotice;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use warden_common::accounts::Me;
use warden_common::fleet::EnforcerStatus;

#[component]
pub fn Overview() -> impl IntoView {
    let me = expect_context::<Me>();
    let enforcers = Resource::new(|| (), |_| list_enforcers());
    view! {
        <Title text="Overview" />
        <h1>"Overview"</h1>
        <p class="muted">"Signed in as " {me.username.clone()} " (" {me.role.label()} ")."</p>
        <div class="cards">
            <section class="card stat">
                <h2>"Enforcers"</h2>
                <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                    {move || Suspend::new(async move {
                        match enforcers.await {
                            Ok(list) => {
                                let live = list
                                    .iter()
                                    .filter(|enforcer| enforcer.status == EnforcerStatus::Live)
                                    .count();
                                view! {
                                    <p class="figure" data-test="live-enforcers">{live}</p>
                                    <p class="muted">"live of " {list.len()} " known · "
                                        <A href="/enforcers">"See the fleet"</A>
                                    </p>
                                }
                                    .into_any()
                            }
                            Err(error) => view! { <ErrorNotice error /> }.into_any(),
                        }
                    })}
                </Suspense>
            </section>
            <section class="card stat">
                <h2>"Agents"</h2>
                <p class="muted">"Register agents, their owners and declared capabilities."</p>
                <A href="/agents">"Open the registry"</A>
            </section>
            <section class="card stat">
                <h2>"Policies"</h2>
                <p class="figure">"—"</p>
                <p class="muted">"Policy authoring is not available yet."</p>
            </section>
        </div>
    }
}
