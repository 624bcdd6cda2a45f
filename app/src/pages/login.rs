use crate::components::ErrorNotice;
use crate::shell::Session;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_navigate;

#[component]
pub fn LoginPage() -> impl IntoView {
    let session = expect_context::<Session>();
    let login = session.login;
    let pending = login.pending();

    // After a successful sign-in, go to the console without a full reload.
    Effect::new(move |_| {
        if matches!(login.value().get(), Some(Ok(_))) {
            use_navigate()("/", Default::default());
        }
    });

    view! {
        <Title text="Sign in" />
        <div class="login-page">
            <Suspense>
                {move || Suspend::new(async move {
                    // Already signed in: nothing to do here.
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
