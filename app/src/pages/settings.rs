use crate::api::{
    ChangePassword, CreateUser, ResetPassword, RotateCa, UpdateUser, list_ca, list_users,
};
use crate::components::{ErrorNotice, format_time};
use leptos::prelude::*;
use leptos_meta::Title;
use uuid::Uuid;
use warden_common::accounts::{MIN_PASSWORD_CHARS, Me, Permission, Role, User, UserUpdate};
use warden_common::identity::{CaRotation, RotationScope};

#[component]
pub fn Settings() -> impl IntoView {
    let me = expect_context::<Me>();
    let can_read_users = me.role.allows(Permission::ReadUsers);
    view! {
        <Title text="Settings" />
        <h1>"Settings"</h1>
        <OwnPassword />
        {if can_read_users {
            view! { <Users /> }.into_any()
        } else {
            view! {
                <section class="card">
                    <h2>"Users"</h2>
                    <p class="muted">"Only admins and auditors can see the user list."</p>
                </section>
            }
                .into_any()
        }}
        <AgentCa />
    }
}

/// The agent CA: which certificates sign and which are trusted, and rotation for admins.
#[component]
fn AgentCa() -> impl IntoView {
    let me = expect_context::<Me>();
    let can_rotate = me.role.allows(Permission::ManageTrust);
    let rotate = ServerAction::<RotateCa>::new();
    let ca = Resource::new(move || rotate.version().get(), |_| list_ca());
    let (confirming, set_confirming) = signal(None::<RotationScope>);
    let distrust = RwSignal::new(false);
    view! {
        <section class="card">
            <h2>"Agent CA"</h2>
            <p class="muted">"The root and intermediates that sign agent certificates. A replaced CA stays in the trust bundle until every certificate it issued has expired (72 h), unless distrusted at rotation."</p>
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match ca.await {
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                        Ok(certificates) => view! {
                            <table class="data" data-test="ca-certificates">
                                <thead>
                                    <tr>
                                        <th>"Kind"</th>
                                        <th>"Subject"</th>
                                        <th>"Role"</th>
                                        <th>"Valid until"</th>
                                        <th>"SHA-256"</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {certificates.into_iter().map(|certificate| {
                                        let role = if certificate.active {
                                            view! { <span class="status live">"signing"</span> }.into_any()
                                        } else if certificate.in_bundle {
                                            view! {
                                                <span class="status stale">"retired, trusted"</span>
                                                <br />
                                                <small class="muted">"until " {certificate.trusted_until.map(format_time).unwrap_or_default()}</small>
                                            }.into_any()
                                        } else {
                                            view! { <span class="status revoked">"distrusted"</span> }.into_any()
                                        };
                                        view! {
                                            <tr data-test="ca-row" data-kind=format!("{:?}", certificate.kind).to_lowercase() data-active=certificate.active.to_string()>
                                                <td>{format!("{:?}", certificate.kind)}</td>
                                                <td>{certificate.subject}</td>
                                                <td>{role}</td>
                                                <td>{format_time(certificate.not_after)}</td>
                                                <td><code title=certificate.fingerprint_sha256.clone()>{certificate.fingerprint_sha256.chars().take(16).collect::<String>()} "…"</code></td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }
                            .into_any(),
                    }
                })}
            </Transition>
            {can_rotate.then(|| view! {
                <div class="inline-form">
                    <label><input type="checkbox" bind:checked=distrust data-test="distrust-previous" />" Distrust the replaced CA at once (suspected compromise: agents must enrol again)"</label>
                </div>
                <div class="row-actions">
                    {move || match confirming.get() {
                        None => view! {
                            <button data-test="rotate-intermediate" on:click=move |_| set_confirming.set(Some(RotationScope::Intermediate))>"Rotate intermediate"</button>
                            <button data-test="rotate-root" on:click=move |_| set_confirming.set(Some(RotationScope::Root))>"Rotate root and intermediate"</button>
                        }.into_any(),
                        Some(scope) => view! {
                            <button class="danger" data-test="confirm-rotate" on:click=move |_| {
                                rotate.dispatch(RotateCa { rotation: CaRotation { scope, distrust_previous: distrust.get() } });
                                set_confirming.set(None);
                            }>{match scope { RotationScope::Root => "Confirm root rotation", RotationScope::Intermediate => "Confirm intermediate rotation" }}</button>
                            <button on:click=move |_| set_confirming.set(None)>"Cancel"</button>
                        }.into_any(),
                    }}
                </div>
                {move || match rotate.value().get() {
                    Some(Ok(_)) => Some(view! { <p class="notice ok" data-test="rotated">"Rotated. Control planes and enforcers have the new trust bundle; agents get it at their next renewal."</p> }.into_any()),
                    Some(Err(error)) => Some(view! { <ErrorNotice error /> }.into_any()),
                    None => None,
                }}
            })}
        </section>
    }
}

#[component]
fn OwnPassword() -> impl IntoView {
    let change = ServerAction::<ChangePassword>::new();
    view! {
        <section class="card">
            <h2>"Your password"</h2>
            <ActionForm action=change attr:class="form-grid">
                <label>
                    "Current password"
                    <input type="password" name="current_password" autocomplete="current-password" required />
                </label>
                <label>
                    "New password"
                    <input type="password" name="new_password" autocomplete="new-password" required minlength=MIN_PASSWORD_CHARS />
                </label>
                <button type="submit">"Change password"</button>
            </ActionForm>
            {move || match change.value().get() {
                Some(Ok(())) => Some(view! { <p class="notice ok">"Password changed. Other sessions were signed out."</p> }.into_any()),
                Some(Err(error)) => Some(view! { <ErrorNotice error /> }.into_any()),
                None => None,
            }}
        </section>
    }
}

#[component]
fn Users() -> impl IntoView {
    let me = expect_context::<Me>();
    let is_admin = me.role.allows(Permission::ManageUsers);
    let create = ServerAction::<CreateUser>::new();
    let update = ServerAction::<UpdateUser>::new();
    let reset = ServerAction::<ResetPassword>::new();
    let users = Resource::new(
        move || (create.version().get(), update.version().get()),
        |_| list_users(),
    );
    let (show_create, set_show_create) = signal(false);

    view! {
        <section class="card">
            <div class="page-header">
                <h2>"Users"</h2>
                {is_admin.then(|| view! {
                    <button
                        data-test="new-user"
                        on:click=move |_| set_show_create.update(|shown| *shown = !*shown)
                    >
                        {move || if show_create.get() { "Cancel" } else { "New user" }}
                    </button>
                })}
            </div>
            <Show when=move || is_admin && show_create.get()>
                <ActionForm action=create attr:class="form-grid" attr:data-test="create-user-form">
                    <label>"Username" <input type="text" name="username" required /></label>
                    <label>"Display name" <input type="text" name="display_name" /></label>
                    <label>
                        "Role"
                        <select name="role">
                            {Role::ALL.into_iter().map(|role| view! {
                                <option value=role.as_str() selected=role == Role::Viewer>{role.label()}</option>
                            }).collect_view()}
                        </select>
                    </label>
                    <label>
                        "Initial password"
                        <input type="password" name="password" autocomplete="new-password" required minlength=MIN_PASSWORD_CHARS />
                    </label>
                    <button type="submit" class="primary">"Create user"</button>
                </ActionForm>
            </Show>
            {move || match create.value().get() {
                Some(Ok(user)) => Some(view! { <p class="notice ok">"Created " {user.username} "."</p> }.into_any()),
                Some(Err(error)) => Some(view! { <ErrorNotice error /> }.into_any()),
                None => None,
            }}
            {move || match update.value().get() {
                Some(Err(error)) => Some(view! { <ErrorNotice error /> }),
                _ => None,
            }}
            {move || match reset.value().get() {
                Some(Ok(())) => Some(view! { <p class="notice ok">"Password reset; that user's sessions were ended."</p> }.into_any()),
                Some(Err(error)) => Some(view! { <ErrorNotice error /> }.into_any()),
                None => None,
            }}
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match users.await {
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                        Ok(list) => view! {
                            <table class="data" data-test="users">
                                <thead>
                                    <tr>
                                        <th>"Username"</th>
                                        <th>"Name"</th>
                                        <th>"Role"</th>
                                        <th>"State"</th>
                                        <th>"Last sign-in"</th>
                                        {is_admin.then(|| view! { <th>"Actions"</th> })}
                                    </tr>
                                </thead>
                                <tbody>
                                    {list.into_iter().map(|user| view! {
                                        <UserRow user is_admin update reset />
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn UserRow(
    user: User,
    is_admin: bool,
    update: ServerAction<UpdateUser>,
    reset: ServerAction<ResetPassword>,
) -> impl IntoView {
    let id: Uuid = user.id;
    let disabled = user.disabled;
    let (resetting, set_resetting) = signal(false);
    let new_password = RwSignal::new(String::new());
    let role_cell = if is_admin {
        view! {
            <select
                aria-label="Role"
                on:change=move |event| {
                    if let Ok(role) = event_target_value(&event).parse::<Role>() {
                        update.dispatch(UpdateUser {
                            id,
                            update: UserUpdate { role: Some(role), ..Default::default() },
                        });
                    }
                }
            >
                {Role::ALL.into_iter().map(|role| view! {
                    <option value=role.as_str() selected=role == user.role>{role.label()}</option>
                }).collect_view()}
            </select>
        }
        .into_any()
    } else {
        view! { {user.role.label()} }.into_any()
    };
    let last_login = user
        .last_login_at
        .map(format_time)
        .unwrap_or_else(|| "never".to_owned());
    view! {
        <tr data-test="user-row" data-username=user.username.clone()>
            <td>{user.username.clone()}</td>
            <td>{user.display_name.clone()}</td>
            <td>{role_cell}</td>
            <td>{if disabled { "disabled" } else { "active" }}</td>
            <td>{last_login}</td>
            {is_admin.then(|| view! {
                <td>
                    <div class="row-actions">
                        <button on:click=move |_| {
                            update.dispatch(UpdateUser {
                                id,
                                update: UserUpdate { disabled: Some(!disabled), ..Default::default() },
                            });
                        }>{if disabled { "Enable" } else { "Disable" }}</button>
                        <button on:click=move |_| set_resetting.update(|open| *open = !*open)>
                            "Reset password"
                        </button>
                        <Show when=move || resetting.get()>
                            <span class="inline-form">
                                <input
                                    type="password"
                                    aria-label="New password"
                                    placeholder="New password"
                                    bind:value=new_password
                                />
                                <button on:click=move |_| {
                                    reset.dispatch(ResetPassword { id, password: new_password.get() });
                                    new_password.set(String::new());
                                    set_resetting.set(false);
                                }>"Set"</button>
                            </span>
                        </Show>
                    </div>
                </td>
            })}
        </tr>
    }
}
