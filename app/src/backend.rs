//! The boundary between the console and the control plane.
//!
//! Every method receives the request's parts and authenticates and authorises it itself, so a
//! server function cannot forget a role check: it has no way to reach data without one.

use crate::error::ConsoleError;
use http::HeaderValue;
use http::request::Parts;
use uuid::Uuid;
use warden_common::accounts::{Me, NewUser, PasswordChange, User, UserUpdate};
use warden_common::agents::{Agent, AgentUpdate, NewAgent};
use warden_common::api::Page;
use warden_common::fleet::Enforcer;
use warden_common::identity::{CaCertificate, CaRotation, Certificate, JoinToken};
use warden_common::policy::{
    DecisionView, DraftCheck, DriftReport, GrantView, PolicyModule, PolicySettings, PolicyVersion,
};

/// What the console's agent search asks for.
#[derive(Debug, Clone, Default)]
pub struct AgentSearch {
    pub text: String,
    /// `active`, `retired`, or empty for both.
    pub status: String,
}

/// A successful login: the cookie to set and who signed in.
#[derive(Debug, Clone)]
pub struct LoginSuccess {
    pub set_cookie: HeaderValue,
    pub me: Me,
}

#[async_trait::async_trait]
pub trait ConsoleBackend: Send + Sync + 'static {
    /// The signed-in user, or `None` without a valid session.
    async fn me(&self, request: &Parts) -> Result<Option<Me>, ConsoleError>;
    async fn login(
        &self,
        request: &Parts,
        username: String,
        password: String,
    ) -> Result<LoginSuccess, ConsoleError>;
    /// Ends the session; returns the cookie that clears it in the browser.
    async fn logout(&self, request: &Parts) -> Result<HeaderValue, ConsoleError>;
    async fn change_own_password(
        &self,
        request: &Parts,
        change: PasswordChange,
    ) -> Result<(), ConsoleError>;
    async fn list_users(&self, request: &Parts) -> Result<Vec<User>, ConsoleError>;
    async fn create_user(&self, request: &Parts, user: NewUser) -> Result<User, ConsoleError>;
    async fn update_user(
        &self,
        request: &Parts,
        id: Uuid,
        update: UserUpdate,
    ) -> Result<User, ConsoleError>;
    async fn reset_password(
        &self,
        request: &Parts,
        id: Uuid,
        password: String,
    ) -> Result<(), ConsoleError>;
    async fn list_enforcers(&self, request: &Parts) -> Result<Vec<Enforcer>, ConsoleError>;
    async fn search_audit(
        &self,
        request: &Parts,
        search: warden_common::audit::AuditSearch,
    ) -> Result<warden_common::audit::AuditSearchPage, ConsoleError>;
    async fn audit_proof(
        &self,
        request: &Parts,
        seq: u64,
    ) -> Result<warden_common::audit::InclusionProof, ConsoleError>;
    async fn list_agents(
        &self,
        request: &Parts,
        search: AgentSearch,
    ) -> Result<Vec<Agent>, ConsoleError>;
    async fn register_agent(&self, request: &Parts, agent: NewAgent)
    -> Result<Agent, ConsoleError>;
    async fn update_agent(
        &self,
        request: &Parts,
        id: Uuid,
        update: AgentUpdate,
    ) -> Result<Agent, ConsoleError>;
    async fn retire_agent(&self, request: &Parts, id: Uuid) -> Result<Agent, ConsoleError>;
    async fn create_join_token(
        &self,
        request: &Parts,
        agent_id: Uuid,
    ) -> Result<JoinToken, ConsoleError>;
    /// Revokes every unexpired certificate of the agent; returns how many.
    async fn revoke_agent_credentials(
        &self,
        request: &Parts,
        agent_id: Uuid,
    ) -> Result<u64, ConsoleError>;
    async fn get_agent(&self, request: &Parts, id: Uuid) -> Result<Agent, ConsoleError>;
    /// One page of the agent's certificates, newest first.
    async fn list_certificates(
        &self,
        request: &Parts,
        agent_id: Uuid,
        cursor: Option<String>,
    ) -> Result<Page<Certificate>, ConsoleError>;
    async fn revoke_certificate(&self, request: &Parts, serial: String)
    -> Result<(), ConsoleError>;
    async fn list_ca(&self, request: &Parts) -> Result<Vec<CaCertificate>, ConsoleError>;
    async fn list_grants(&self, request: &Parts) -> Result<Vec<GrantView>, ConsoleError>;
    /// Creates or replaces a grant from its JSON form.
    async fn save_grant(
        &self,
        request: &Parts,
        grant: serde_json::Value,
    ) -> Result<GrantView, ConsoleError>;
    async fn delete_grant(&self, request: &Parts, id: String) -> Result<(), ConsoleError>;
    async fn list_policy_modules(&self, request: &Parts)
    -> Result<Vec<PolicyModule>, ConsoleError>;
    async fn save_policy_module(
        &self,
        request: &Parts,
        path: String,
        rego: String,
    ) -> Result<PolicyModule, ConsoleError>;
    /// Compiles the draft (with an unsaved module, if given) and runs every Rego test.
    async fn check_policy(
        &self,
        request: &Parts,
        module: Option<(String, String)>,
    ) -> Result<DraftCheck, ConsoleError>;
    async fn try_policy(
        &self,
        request: &Parts,
        agent_id: Uuid,
        action: serde_json::Value,
    ) -> Result<DecisionView, ConsoleError>;
    async fn list_policy_versions(
        &self,
        request: &Parts,
    ) -> Result<Vec<PolicyVersion>, ConsoleError>;
    async fn propose_policy(
        &self,
        request: &Parts,
        note: String,
    ) -> Result<PolicyVersion, ConsoleError>;
    /// Approves (`approve = true`) or rejects a pending version.
    async fn decide_policy(
        &self,
        request: &Parts,
        version: u64,
        approve: bool,
    ) -> Result<PolicyVersion, ConsoleError>;
    async fn policy_diff(&self, request: &Parts, version: u64) -> Result<String, ConsoleError>;
    async fn policy_settings(&self, request: &Parts) -> Result<PolicySettings, ConsoleError>;
    async fn set_policy_settings(
        &self,
        request: &Parts,
        settings: PolicySettings,
    ) -> Result<PolicySettings, ConsoleError>;
    async fn agent_drift(
        &self,
        request: &Parts,
        agent_id: Uuid,
    ) -> Result<Option<DriftReport>, ConsoleError>;
    async fn rotate_ca(
        &self,
        request: &Parts,
        rotation: CaRotation,
    ) -> Result<Vec<CaCertificate>, ConsoleError>;
}
