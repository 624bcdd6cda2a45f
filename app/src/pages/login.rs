use crate::components::ErrorNotice;
use crate::shell::Session;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

#[component]
pub fn LoginPage() -> impl IntoView {
    let session = expect_context::<Session>();
    let login = session.login;
    let pending = login.pending();

    view! {
        <Title text="Sign in" />
        <div class="login-page">
            <Suspense>
                {move || Suspend::new(async move {
                    // Signed in (already, or just now: the session refetches after each sign-in).
                    matches!(session.me.await, Ok(Some(_))).then(|| view! { <Redirect path="/" /> })
                })}
            </Suspense>
            <ActionForm action=login attr:class="card login-card">
                <h1>"Warden"</h1>
                <p class="muted">"Sign in to govern your AI agents."</p>
                <label>
                    "Username"
                    <input type="text" name="username" autocomplete="username" required autofocus />
                </label>
                <label>
                    "Password"
                    <input type="password" name="password" autocomplete="current-password" required />
                </label>
                {move || match login.value().get() {
                    Some(Err(error)) => Some(view! { <ErrorNotice error /> }),
                    _ => None,
                }}
                <button type="submit" class="primary" disabled=move || pending.get()>
                    {move || if pending.get() { "Signing in…" } else { "Sign in" }}
                </button>
            </ActionForm>
        </div>
    }
}
