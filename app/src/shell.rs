//! The HTML document, the router and the signed-in layout every page shares.

use crate::api::{Login, Logout, current_user};
use crate::components::ErrorNotice;
use crate::pages;
use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::components::{A, Outlet, ParentRoute, Redirect, Route, Router, Routes};
use leptos_router::path;
use warden_common::accounts::Me;

/// The document around the app; rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <link rel="icon" href="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Cpath d='M8 1 2 3.5v4C2 11 4.6 14 8 15c3.4-1 6-4 6-7.5v-4z' fill='%231f5fbf'/%3E%3C/svg%3E" />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// Session state shared by every page: the login and logout actions and who is signed in.
#[derive(Clone, Copy)]
pub struct Session {
    pub login: ServerAction<Login>,
    pub logout: ServerAction<Logout>,
    pub me: Resource<Result<Option<Me>, crate::error::ConsoleError>>,
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let login = ServerAction::<Login>::new();
    let logout = ServerAction::<Logout>::new();
    // Refetched whenever someone signs in or out, so the shell always shows the real session.
    let me = Resource::new(
        move || (login.version().get(), logout.version().get()),
        |_| current_user(),
    );
    provide_context(Session { login, logout, me });

    // Effects run only in the browser, once the page is hydrated; tests and scripts wait on this.
    Effect::new(|_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });

    view! {
        <Stylesheet id="warden" href="/pkg/warden.css" />
        <Title formatter=|page: String| {
            if page.is_empty() { "Warden".to_owned() } else { format!("{page} · Warden") }
        } />
        <Router>
            <Routes fallback=|| view! { <pages::NotFound /> }>
                <Route path=path!("/login") view=pages::LoginPage />
                <ParentRoute path=path!("") view=SignedIn>
                    <Route path=path!("") view=pages::Overview />
                    <Route path=path!("agents") view=pages::Agents />
                    <Route path=path!("agents/:id") view=pages::AgentDetail />
                    <Route path=path!("policies") view=pages::Policies />
                    <Route path=path!("enforcers") view=pages::Enforcers />
                    <Route path=path!("budgets") view=pages::Budgets />
                    <Route path=path!("audit") view=pages::Audit />
                    <Route path=path!("compliance") view=pages::Compliance />
                    <Route path=path!("incidents") view=pages::Incidents />
                    <Route path=path!("settings") view=pages::Settings />
                </ParentRoute>
            </Routes>
        </Router>
    }
}

/// The areas of the console, in navigation order.
const AREAS: [(&str, &str); 9] = [
    ("/", "Overview"),
    ("/agents", "Agents"),
    ("/policies", "Policies"),
    ("/enforcers", "Enforcers"),
    ("/budgets", "Budgets"),
    ("/audit", "Audit"),
    ("/compliance", "Compliance"),
    ("/incidents", "Incidents"),
    ("/settings", "Settings"),
];

/// Layout for every page behind sign-in; sends anyone without a session to the login page.
#[component]
fn SignedIn() -> impl IntoView {
    let session = expect_context::<Session>();
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match session.me.await {
                    Ok(Some(me)) => {
                        provide_context(me.clone());
                        view! { <Layout me /> }.into_any()
                    }
                    Ok(None) | Err(crate::error::ConsoleError::Unauthenticated) => {
                        view! { <Redirect path="/login" /> }.into_any()
                    }
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Layout(me: Me) -> impl IntoView {
    let session = expect_context::<Session>();
    let (nav_open, set_nav_open) = signal(true);
    view! {
        <div class="layout" class:nav-collapsed=move || !nav_open.get()>
            <header class="topbar">
                <button
                    class="nav-toggle"
                    data-test="nav-toggle"
                    aria-label="Toggle navigation"
                    aria-expanded=move || nav_open.get().to_string()
                    on:click=move |_| set_nav_open.update(|open| *open = !*open)
                >
                    "☰"
                </button>
                <A href="/" attr:class="brand">"Warden"</A>
                <div class="whoami" data-test="whoami">
                    <span class="user">{me.display_name.clone()}</span>
                    <span class="role-badge" data-test="role">{me.role.label()}</span>
                    <ActionForm action=session.logout attr:class="inline">
                        <button type="submit" class="link" data-test="logout">"Sign out"</button>
                    </ActionForm>
                </div>
            </header>
            <nav class="sidebar" aria-label="Areas">
                <ul>
                    {AREAS
                        .into_iter()
                        .map(|(href, label)| view! { <li><A href=href exact=true>{label}</A></li> })
                        .collect_view()}
                </ul>
            </nav>
            <main class="content">
                <Outlet />
            </main>
        </div>
    }
}
