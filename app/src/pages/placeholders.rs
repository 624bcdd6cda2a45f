//! Areas whose features have not landed yet. Each says plainly what it will hold.

use crate::components::EmptyState;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

macro_rules! not_yet {
    ($name:ident, $title:literal, $message:literal) => {
        #[component]
        pub fn $name() -> impl IntoView {
            view! {
                <Title text=$title />
                <h1>$title</h1>
                <EmptyState title="Nothing here yet" message=$message />
            }
        }
    };
}

not_yet!(
    Budgets,
    "Budgets",
    "No budgets are set. Spend caps per agent, team and model are not available in this version."
);
not_yet!(
    Compliance,
    "Compliance",
    "Compliance mapping to NIST SP 800-53, FedRAMP, SOC 2 and HIPAA controls is not available in this version."
);
not_yet!(
    Incidents,
    "Incidents",
    "No incidents. The kill switch and incident response are not available in this version."
);

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(options) = use_context::<leptos_axum::ResponseOptions>() {
        options.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Not found" />
        <div class="login-page">
            <section class="card">
                <h1>"Page not found"</h1>
                <p>"There is no page at this address."</p>
                <A href="/">"Back to the console"</A>
            </section>
        </div>
    }
}
