//! Console server functions. Each one is a thin call into the [`ConsoleBackend`]
//! (`crate::backend`), which authenticates and authorises the request.

use crate::error::ConsoleError;
use leptos::prelude::*;
use uuid::Uuid;
use warden_common::accounts::{Me, Role, User, UserUpdate};
#[cfg(feature = "ssr")]
use warden_common::accounts::{NewUser, PasswordChange};
use warden_common::agents::{Agent, AgentUpdate};
use warden_common::api::Page;
use warden_common::audit::{AuditSearch, AuditSearchPage, InclusionProof};
use warden_common::fleet::Enforcer;
use warden_common::identity::{CaCertificate, CaRotation, Certificate, JoinToken};
use warden_common::policy::{
    DecisionView, DraftCheck, DriftReport, GrantView, PolicyModule, PolicySettings, PolicyVersion,
};

#[cfg(feature = "ssr")]
mod ssr {
    use crate::backend::ConsoleBackend;
    use crate::error::ConsoleError;
    use http::request::Parts;
    use leptos::prelude::*;
    use std::sync::Arc;

    /// The backend and this request's parts, both provided by the control plane's router.
    pub fn context() -> Result<(Arc<dyn ConsoleBackend>, Parts), ConsoleError> {
        let backend = use_context::<Arc<dyn ConsoleBackend>>()
            .ok_or_else(|| ConsoleError::Internal("console backend missing".into()))?;
        let parts = use_context::<Parts>()
            .ok_or_else(|| ConsoleError::Internal("request context missing".into()))?;
        Ok((backend, parts))
    }

    /// Sets the HTTP status of a failed call so it is never reported as a server fault.
    pub fn respond<T>(result: Result<T, ConsoleError>) -> Result<T, ConsoleError> {
        if let Err(error) = &result
            && let Some(options) = use_context::<leptos_axum::ResponseOptions>()
            && let Ok(status) = http::StatusCode::from_u16(error.status())
        {
            options.set_status(status);
        }
        result
    }
}

#[server(prefix = "/console/fn", endpoint = "me")]
pub async fn current_user() -> Result<Option<Me>, ConsoleError> {
    let (backend, parts) = ssr::context()?;
    ssr::respond(backend.me(&parts).await)
}

#[server(prefix = "/console/fn", endpoint = "login")]
pub async fn login(username: String, password: String) -> Result<Me, ConsoleError> {
    let (backend, parts) = ssr::context()?;
    let outcome = ssr::respond(backend.login(&parts, username, password).await)?;
    if let Some(options) = use_context::<leptos_axum::ResponseOptions>() {
        options.insert_header(http::header::SET_COOKIE, outcome.set_cookie);
    }
    Ok(outcome.me)
}

#[server(prefix = "/console/fn", endpoint = "logout")]
pub async fn logout() -> Result<(), ConsoleError> {
    let (backend, parts) = ssr::context()?;
    let clear_cookie = ssr::respond(backend.logout(&parts).await)?;
    if let Some(options) = use_context::<leptos_axum::ResponseOptions>() {
        options.insert_header(http::header::SET_COOKIE, clear_cookie);
    }
    Ok(())
}

#[server(prefix = "/console/fn", endpoint = "change_password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
) -> Result<(), ConsoleError> {
    let (backend, parts) = ssr::context()?;
    let change = PasswordChange {
        current_password,
        new_password,
    };
    ssr::respond(backend.change_own_password(&parts, change).await)
}

#[server(prefix = "/console/fn", endpoint = "list_users")]
pub async fn list_users() -> Result<Vec<User>, ConsoleError> {
    let (backend, parts) = ssr::context()?;
    ssr::respond(backend.list_users(&parts).await)
}

#[server(prefix = "/console/fn", endpoint = "create_user")]
pub async fn create_user(
    username: String,
    display_name: String,
    role: Role,
    password: String,
) -> Result<User, ConsoleError> {
    let (backend, parts) = ssr::context()?;
    let display_name = Some(display_name).filter(|name| !name.trim().is_empty());
    let user = NewUser {
        username,
        display_name,
        role,
        password,
    };
    ssr::respond(backend.create_user(&parts, user).await)
}

#[server(prefix = "/console/fn", endpoint = "update_user")]
pub async fn update_user(id: Uuid, update: UserUpdate) -> Result<User, ConsoleError> {
    let (backend, parts) = ssr::context()?;
    ssr::respond(backend.update_user(&parts, id, update).await)
}

#[server(prefix = "/console/fn", endpoint = "reset_password")]
pub async fn reset_password(id: Uuid, password: String) -> Result<(), ConsoleError> {
    let (backend, parts) = ssr::context()?;
    ssr::respond(backend.reset_password(&parts, id, password).await)
}

#[server(prefix = "/console/fn", endpoint = "list_enforcers")]
pub async fn list_enforcers() -> Result<Vec<Enforcer>, ConsoleError> {
    let (backend, parts) = ssr::context()?;
    ssr::respond(backend.list_enforcers(&parts).await)
}

#[server(prefix = "/console/fn", endpoint = "search_audit")]
pub async fn search_audit(search: AuditSearch) -> Result<AuditSearchPage, ConsoleError> {
    let (backend, parts) = ssr::context()?;
    ssr::respond(backend.search_audit(&parts, search).await)
}

/// An event's inclusion proof in the newest checkpoint; the console checks it in the browser.
#[server(prefix = "/console/fn", endpoint = "audit_proof")]
pub async fn audit_proof(seq: u64) -> Result<InclusionProof, ConsoleError> {
    let (backend, parts) = ssr::context()?;
    ssr::respond(backend.audit_proof(&parts, seq).await)
}

#[server(prefix = "/console/fn", endpoint = "list_agents")]
pub async fn list_agents(text: String, status: String) -> Result<Vec<Agent>, ConsoleError> {
    let (backend, parts) = ssr::context()?;
    let search = crate::backend::AgentSearch { text, status };
    ssr::respond(backend.list_agents(&parts, search).await)
}

/// Registers an agent from the console form; lists are comma- or newline-separated and labels
/// are `key=value` pairs.
#[server(prefix = "/console/fn", endpoint = "register_agent")]
#[allow(clippy::too_many_arguments)]
pub async fn register_agent(
    name: String,
    owner_team: String,
    purpose: String,
    environment: String,
    tools: String,
    resources: String,
    models: String,
    data_classes: String,
    labels: String,
) -> Result<Agent, ConsoleError> {
    use warden_common::agents::{Capabilities, NewAgent, parse_labels, split_list};
    let (backend, parts) = ssr::context()?;
    let labels = ssr::respond(parse_labels(&labels).map_err(ConsoleError::InvalidInput))?;
    let agent = NewAgent {
        name: name.trim().to_owned(),
        owner_team,
        purpose,
        capabilities: Capabilities {
            tools: split_list(&tools),
            resources: split_list(&resources),
            models: split_list(&models),
            data_classes: split_list(&data_classes),
        },
        environment: environment.trim().to_owned(),
        labels,
        svid_lifetime_hours: None,
    };
    ssr::respond(backend.register_agent(&parts, agent).await)
}

#[server(prefix = "/console/fn", endpoint = "update_agent")]
pub async fn update_agent(id: Uuid, update: AgentUpdate) -> Result<Agent, ConsoleError> {
    let (backend, parts) = ssr::context()?;
    ssr::respond(backend.update_agent(&parts, id, update).await)
}

#[server(prefix = "/console/fn", endpoint = "retire_agent")]
pub async fn retire_agent(id: Uuid) -> Result<Agent, ConsoleError> {
    let (backend, parts) = ssr::context()?;
    ssr::respond(backend.retire_agent(&parts, id).await)
}

#[server(prefix = "/console/fn", endpoint = "create_join_token")]
pub async fn create_join_token(agent_id: Uuid) -> Result<JoinToken, ConsoleError> {
    let (backend, parts) = ssr::context()?;
    ssr::respond(backend.create_join_token(&parts, agent_id).await)
}

#[server(prefix = "/console/fn", endpoint = "revoke_agent_credentials")]
pub async fn revoke_agent_credentials(agent_id: Uuid) -> Result<u64, ConsoleError> {
    let (backend, parts) = ssr::context()?;
    ssr::respond(backend.revoke_agent_credentials(&parts, agent_id).await)
}

#[server(prefix = "/console/fn", endpoint = "get_agent")]
pub async fn get_agent(id: Uuid) -> Result<Agent, ConsoleError> {
    let (backend, parts) = ssr::context()?;
    ssr::respond(backend.get_agent(&parts, id).await)
}

#[server(prefix = "/console/fn", endpoint = "list_certificates")]
pub async fn list_certificates(
    agent_id: Uuid,
    cursor: Option<String>,
) -> Result<Page<Certificate>, ConsoleError> {
    let (backend, parts) = ssr::context()?;
    ssr::respond(backend.list_certificates(&parts, agent_id, cursor).await)
}

#[server(prefix = "/console/fn", endpoint = "revoke_certificate")]
pub async fn revoke_certificate(serial: String) -> Result<(), ConsoleError> {
    let (backend, parts) = ssr::context()?;
    ssr::respond(backend.revoke_certificate(&parts, serial).await)
}

#[server(prefix = "/console/fn", endpoint = "list_ca")]
pub async fn list_ca() -> Result<Vec<CaCertificate>, ConsoleError> {
    let (backend, parts) = ssr::context()?;
    ssr::respond(backend.list_ca(&parts).await)
}

#[server(prefix = "/console/fn", endpoint = "rotate_ca")]
pub async fn rotate_ca(rotation: CaRotation) -> Result<Vec<CaCertificate>, ConsoleError> {
    let (backend, parts) = ssr::context()?;
    ssr::respond(backend.rotate_ca(&parts, rotation).await)
}

#[server(prefix = "/console/fn", endpoint = "list_grants")]
pub async fn list_grants() -> Result<Vec<GrantView>, ConsoleError> {
    let (backend, parts) = ssr::context()?;
    ssr::respond(backend.list_grants(&parts).await)
}

/// Saves a grant from the console form. Lists are comma-separated; labels are `key=value`.
#[server(prefix = "/console/fn", endpoint = "save_grant")]
#[allow(clippy::too_many_arguments)]
pub async fn save_grant(
    id: String,
    effect: String,
    agents: String,
    labels: String,
    environments: String,
    actions: String,
    tools: String,
    models: String,
    resources: String,
    destinations: String,
    data_classes: String,
    daily_limit: String,
    mask_requests: String,
    mask_responses: String,
    redact_responses: String,
    block_requests: String,
    block_responses: String,
) -> Result<GrantView, ConsoleError> {
    use serde_json::json;
    use warden_common::agents::{parse_labels, split_list};
    let (backend, parts) = ssr::context()?;
    let labels = ssr::respond(parse_labels(&labels).map_err(ConsoleError::InvalidInput))?;
    let daily_limit = match daily_limit.trim() {
        "" => None,
        limit => Some(ssr::respond(limit.parse::<u64>().map_err(|_| {
            ConsoleError::InvalidInput("the daily limit is a whole number".into())
        }))?),
    };
    let grant = json!({
        "id": id.trim(),
        "effect": effect.trim(),
        "subject": {
            "agents": split_list(&agents),
            "labels": labels,
            "environments": split_list(&environments),
        },
        "actions": split_list(&actions),
        "tools": split_list(&tools),
        "models": split_list(&models),
        "resources": split_list(&resources),
        "destinations": split_list(&destinations),
        "data_classes": split_list(&data_classes),
        "daily_limit": daily_limit,
        "obligations": {
            "mask_requests": split_list(&mask_requests),
            "mask_responses": split_list(&mask_responses),
            "redact_responses": split_list(&redact_responses),
            "block_requests": split_list(&block_requests),
            "block_responses": split_list(&block_responses),
        },
    });
    ssr::respond(backend.save_grant(&parts, grant).await)
}

#[server(prefix = "/console/fn", endpoint = "delete_grant")]
pub async fn delete_grant(id: String) -> Result<(), ConsoleError> {
    let (backend, parts) = ssr::context()?;
    ssr::respond(backend.delete_grant(&parts, id).await)
}

#[server(prefix = "/console/fn", endpoint = "list_policy_modules")]
pub async fn list_policy_modules() -> Result<Vec<PolicyModule>, ConsoleError> {
    let (backend, parts) = ssr::context()?;
    ssr::respond(backend.list_policy_modules(&parts).await)
}

#[server(prefix = "/console/fn", endpoint = "save_policy_module")]
pub async fn save_policy_module(path: String, rego: String) -> Result<PolicyModule, ConsoleError> {
    let (backend, parts) = ssr::context()?;
    ssr::respond(backend.save_policy_module(&parts, path, rego).await)
}

/// Compiles the draft and runs its Rego tests; with `path` and `rego`, that module's unsaved text
/// replaces the stored one.
#[server(prefix = "/console/fn", endpoint = "check_policy")]
pub async fn check_policy(path: String, rego: String) -> Result<DraftCheck, ConsoleError> {
    let (backend, parts) = ssr::context()?;
    let module = (!path.trim().is_empty()).then(|| (path.trim().to_owned(), rego));
    ssr::respond(backend.check_policy(&parts, module).await)
}

/// "Try it": a sample action for an agent, evaluated against the draft.
#[server(prefix = "/console/fn", endpoint = "try_policy")]
pub async fn try_policy(
    agent_id: Uuid,
    kind: String,
    tool: String,
    resource: String,
    model: String,
    data_classes: String,
) -> Result<DecisionView, ConsoleError> {
    use warden_common::agents::split_list;
    let (backend, parts) = ssr::context()?;
    let mut action = serde_json::Map::new();
    action.insert("kind".into(), kind.trim().into());
    for (field, value) in [("tool", tool), ("resource", resource), ("model", model)] {
        if !value.trim().is_empty() {
            action.insert(field.into(), value.trim().into());
        }
    }
    action.insert("data_classes".into(), split_list(&data_classes).into());
    ssr::respond(
        backend
            .try_policy(&parts, agent_id, serde_json::Value::Object(action))
            .await,
    )
}

#[server(prefix = "/console/fn", endpoint = "list_policy_versions")]
pub async fn list_policy_versions() -> Result<Vec<PolicyVersion>, ConsoleError> {
    let (backend, parts) = ssr::context()?;
    ssr::respond(backend.list_policy_versions(&parts).await)
}

#[server(prefix = "/console/fn", endpoint = "propose_policy")]
pub async fn propose_policy(note: String) -> Result<PolicyVersion, ConsoleError> {
    let (backend, parts) = ssr::context()?;
    ssr::respond(backend.propose_policy(&parts, note).await)
}

#[server(prefix = "/console/fn", endpoint = "decide_policy")]
pub async fn decide_policy(version: u64, approve: bool) -> Result<PolicyVersion, ConsoleError> {
    let (backend, parts) = ssr::context()?;
    ssr::respond(backend.decide_policy(&parts, version, approve).await)
}

#[server(prefix = "/console/fn", endpoint = "policy_diff")]
pub async fn policy_diff(version: u64) -> Result<String, ConsoleError> {
    let (backend, parts) = ssr::context()?;
    ssr::respond(backend.policy_diff(&parts, version).await)
}

#[server(prefix = "/console/fn", endpoint = "policy_settings")]
pub async fn get_policy_settings() -> Result<PolicySettings, ConsoleError> {
    let (backend, parts) = ssr::context()?;
    ssr::respond(backend.policy_settings(&parts).await)
}

#[server(prefix = "/console/fn", endpoint = "set_policy_settings")]
pub async fn set_policy_settings(require_approval: bool) -> Result<PolicySettings, ConsoleError> {
    let (backend, parts) = ssr::context()?;
    ssr::respond(
        backend
            .set_policy_settings(&parts, PolicySettings { require_approval })
            .await,
    )
}

#[server(prefix = "/console/fn", endpoint = "agent_drift")]
pub async fn agent_drift(agent_id: Uuid) -> Result<Option<DriftReport>, ConsoleError> {
    let (backend, parts) = ssr::context()?;
    ssr::respond(backend.agent_drift(&parts, agent_id).await)
}
