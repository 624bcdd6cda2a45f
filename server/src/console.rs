//! The control plane's side of the console boundary: each console function authenticates the
//! request's session and calls the same service functions as the REST API.

use crate::accounts::auth::session_actor;
use crate::accounts::{Actor, service, sessions};
use crate::error::Error;
use crate::state::AppState;
use http::HeaderValue;
use http::request::Parts;
use uuid::Uuid;
use warden_app::backend::{AgentSearch, ConsoleBackend, LoginSuccess};
use warden_app::error::ConsoleError;
use warden_common::accounts::{Me, NewUser, PasswordChange, User, UserUpdate};
use warden_common::agents::{Agent, AgentUpdate, NewAgent};
use warden_common::api::Page;
use warden_common::fleet::Enforcer;
use warden_common::identity::{CaCertificate, CaRotation, Certificate, JoinToken};
use warden_common::policy::{
    DecisionView, DraftCheck, DriftReport, GrantView, PolicyModule, PolicySettings, PolicyVersion,
};

pub struct Backend {
    state: AppState,
}

impl Backend {
    pub fn new(state: AppState) -> Self {
        Backend { state }
    }

    async fn actor(&self, request: &Parts) -> Result<Actor, ConsoleError> {
        session_actor(&self.state, request)
            .await?
            .ok_or(ConsoleError::Unauthenticated)
    }
}

fn header_value(value: String) -> Result<HeaderValue, ConsoleError> {
    HeaderValue::from_str(&value).map_err(|error| Error::Internal(error.into()).into())
}

#[async_trait::async_trait]
impl ConsoleBackend for Backend {
    async fn me(&self, request: &Parts) -> Result<Option<Me>, ConsoleError> {
        Ok(session_actor(&self.state, request)
            .await?
            .map(|actor| actor.me()))
    }

    async fn login(
        &self,
        request: &Parts,
        username: String,
        password: String,
    ) -> Result<LoginSuccess, ConsoleError> {
        let logged_in = service::login(&self.state, request, &username, &password).await?;
        Ok(LoginSuccess {
            set_cookie: header_value(sessions::cookie(&logged_in.token, logged_in.max_age_secs))?,
            me: logged_in.me,
        })
    }

    async fn logout(&self, request: &Parts) -> Result<HeaderValue, ConsoleError> {
        // Signing out without a session is not an error: the cookie is cleared either way.
        if let Some(actor) = session_actor(&self.state, request).await? {
            service::logout(&self.state, &actor).await?;
        }
        header_value(sessions::clearing_cookie())
    }

    async fn change_own_password(
        &self,
        request: &Parts,
        change: PasswordChange,
    ) -> Result<(), ConsoleError> {
        let actor = self.actor(request).await?;
        Ok(service::change_own_password(&self.state, &actor, change).await?)
    }

    async fn list_users(&self, request: &Parts) -> Result<Vec<User>, ConsoleError> {
        let actor = self.actor(request).await?;
        Ok(
            service::list_users(&self.state, &actor, None, Some(service::MAX_PAGE))
                .await?
                .items,
        )
    }

    async fn create_user(&self, request: &Parts, user: NewUser) -> Result<User, ConsoleError> {
        let actor = self.actor(request).await?;
        Ok(service::create_user(&self.state, &actor, user).await?)
    }

    async fn update_user(
        &self,
        request: &Parts,
        id: Uuid,
        update: UserUpdate,
    ) -> Result<User, ConsoleError> {
        let actor = self.actor(request).await?;
        Ok(service::update_user(&self.state, &actor, id, update).await?)
    }

    async fn reset_password(
        &self,
        request: &Parts,
        id: Uuid,
        password: String,
    ) -> Result<(), ConsoleError> {
        let actor = self.actor(request).await?;
        Ok(service::reset_password(&self.state, &actor, id, password).await?)
    }

    async fn list_enforcers(&self, request: &Parts) -> Result<Vec<Enforcer>, ConsoleError> {
        let actor = self.actor(request).await?;
        Ok(crate::fleet::list(&self.state, &actor).await?)
    }

    async fn search_audit(
        &self,
        request: &Parts,
        search: warden_common::audit::AuditSearch,
    ) -> Result<warden_common::audit::AuditSearchPage, ConsoleError> {
        let actor = self.actor(request).await?;
        Ok(crate::audit::service::search(&self.state, &actor, search).await?)
    }

    async fn audit_proof(
        &self,
        request: &Parts,
        seq: u64,
    ) -> Result<warden_common::audit::InclusionProof, ConsoleError> {
        let actor = self.actor(request).await?;
        Ok(crate::audit::service::inclusion(&self.state, &actor, seq, None).await?)
    }

    async fn list_agents(
        &self,
        request: &Parts,
        search: AgentSearch,
    ) -> Result<Vec<Agent>, ConsoleError> {
        let actor = self.actor(request).await?;
        let status = match search.status.as_str() {
            "" => None,
            status => Some(status.parse().map_err(ConsoleError::InvalidInput)?),
        };
        let filter = crate::agents::AgentFilter {
            text: Some(search.text.trim().to_owned()).filter(|text| !text.is_empty()),
            status,
            ..Default::default()
        };
        Ok(
            crate::agents::list(&self.state, &actor, &filter, Some(crate::agents::MAX_PAGE))
                .await?
                .items,
        )
    }

    async fn register_agent(
        &self,
        request: &Parts,
        agent: NewAgent,
    ) -> Result<Agent, ConsoleError> {
        let actor = self.actor(request).await?;
        Ok(crate::agents::register(&self.state, &actor, agent).await?)
    }

    async fn update_agent(
        &self,
        request: &Parts,
        id: Uuid,
        update: AgentUpdate,
    ) -> Result<Agent, ConsoleError> {
        let actor = self.actor(request).await?;
        Ok(crate::agents::update(&self.state, &actor, id, update).await?)
    }

    async fn retire_agent(&self, request: &Parts, id: Uuid) -> Result<Agent, ConsoleError> {
        let actor = self.actor(request).await?;
        Ok(crate::agents::retire(&self.state, &actor, id).await?)
    }

    async fn create_join_token(
        &self,
        request: &Parts,
        agent_id: Uuid,
    ) -> Result<JoinToken, ConsoleError> {
        let actor = self.actor(request).await?;
        let request = crate::identity::NewJoinToken { ttl_minutes: None };
        Ok(crate::identity::create_join_token(&self.state, &actor, agent_id, request).await?)
    }

    async fn revoke_agent_credentials(
        &self,
        request: &Parts,
        agent_id: Uuid,
    ) -> Result<u64, ConsoleError> {
        let actor = self.actor(request).await?;
        Ok(crate::identity::revoke_agent(&self.state, &actor, agent_id).await?)
    }

    async fn get_agent(&self, request: &Parts, id: Uuid) -> Result<Agent, ConsoleError> {
        let actor = self.actor(request).await?;
        Ok(crate::agents::get(&self.state, &actor, id).await?)
    }

    async fn list_certificates(
        &self,
        request: &Parts,
        agent_id: Uuid,
        cursor: Option<String>,
    ) -> Result<Page<Certificate>, ConsoleError> {
        let actor = self.actor(request).await?;
        Ok(crate::identity::list_certificates(
            &self.state,
            &actor,
            agent_id,
            cursor.as_deref(),
            None,
        )
        .await?)
    }

    async fn revoke_certificate(
        &self,
        request: &Parts,
        serial: String,
    ) -> Result<(), ConsoleError> {
        let actor = self.actor(request).await?;
        Ok(crate::identity::revoke_certificate(&self.state, &actor, &serial).await?)
    }

    async fn list_ca(&self, request: &Parts) -> Result<Vec<CaCertificate>, ConsoleError> {
        let actor = self.actor(request).await?;
        Ok(crate::identity::list_ca(&self.state, &actor).await?)
    }

    async fn list_grants(&self, request: &Parts) -> Result<Vec<GrantView>, ConsoleError> {
        let actor = self.actor(request).await?;
        Ok(crate::policy::list_grants(&self.state, &actor).await?)
    }

    async fn save_grant(
        &self,
        request: &Parts,
        grant: serde_json::Value,
    ) -> Result<GrantView, ConsoleError> {
        let actor = self.actor(request).await?;
        Ok(crate::policy::put_grant(&self.state, &actor, grant).await?)
    }

    async fn delete_grant(&self, request: &Parts, id: String) -> Result<(), ConsoleError> {
        let actor = self.actor(request).await?;
        Ok(crate::policy::delete_grant(&self.state, &actor, &id).await?)
    }

    async fn list_policy_modules(
        &self,
        request: &Parts,
    ) -> Result<Vec<PolicyModule>, ConsoleError> {
        let actor = self.actor(request).await?;
        Ok(crate::policy::list_modules(&self.state, &actor).await?)
    }

    async fn save_policy_module(
        &self,
        request: &Parts,
        path: String,
        rego: String,
    ) -> Result<PolicyModule, ConsoleError> {
        let actor = self.actor(request).await?;
        Ok(crate::policy::put_module(&self.state, &actor, &path, rego).await?)
    }

    async fn check_policy(
        &self,
        request: &Parts,
        module: Option<(String, String)>,
    ) -> Result<DraftCheck, ConsoleError> {
        let actor = self.actor(request).await?;
        let (module_path, module_rego) = module.unzip();
        Ok(crate::policy::check_draft(
            &self.state,
            &actor,
            crate::policy::DraftOverride {
                module_path,
                module_rego,
            },
        )
        .await?)
    }

    async fn try_policy(
        &self,
        request: &Parts,
        agent_id: Uuid,
        action: serde_json::Value,
    ) -> Result<DecisionView, ConsoleError> {
        let actor = self.actor(request).await?;
        Ok(crate::policy::try_it(
            &self.state,
            &actor,
            crate::policy::TryRequest {
                agent_id,
                action,
                findings: Default::default(),
                published: false,
            },
        )
        .await?)
    }

    async fn list_policy_versions(
        &self,
        request: &Parts,
    ) -> Result<Vec<PolicyVersion>, ConsoleError> {
        let actor = self.actor(request).await?;
        Ok(crate::policy::list_versions(&self.state, &actor, None, None).await?)
    }

    async fn propose_policy(
        &self,
        request: &Parts,
        note: String,
    ) -> Result<PolicyVersion, ConsoleError> {
        let actor = self.actor(request).await?;
        Ok(crate::policy::propose(&self.state, &actor, crate::policy::Proposal { note }).await?)
    }

    async fn decide_policy(
        &self,
        request: &Parts,
        version: u64,
        approve: bool,
    ) -> Result<PolicyVersion, ConsoleError> {
        let actor = self.actor(request).await?;
        Ok(if approve {
            crate::policy::approve(&self.state, &actor, version).await?
        } else {
            crate::policy::reject(&self.state, &actor, version).await?
        })
    }

    async fn policy_diff(&self, request: &Parts, version: u64) -> Result<String, ConsoleError> {
        let actor = self.actor(request).await?;
        Ok(crate::policy::diff(&self.state, &actor, version, None).await?)
    }

    async fn policy_settings(&self, request: &Parts) -> Result<PolicySettings, ConsoleError> {
        let actor = self.actor(request).await?;
        Ok(crate::policy::settings(&self.state, &actor).await?)
    }

    async fn set_policy_settings(
        &self,
        request: &Parts,
        settings: PolicySettings,
    ) -> Result<PolicySettings, ConsoleError> {
        let actor = self.actor(request).await?;
        Ok(crate::policy::update_settings(&self.state, &actor, settings).await?)
    }

    async fn agent_drift(
        &self,
        request: &Parts,
        agent_id: Uuid,
    ) -> Result<Option<DriftReport>, ConsoleError> {
        let actor = self.actor(request).await?;
        Ok(crate::policy::latest_review(&self.state, &actor, agent_id).await?)
    }

    async fn rotate_ca(
        &self,
        request: &Parts,
        rotation: CaRotation,
    ) -> Result<Vec<CaCertificate>, ConsoleError> {
        let actor = self.actor(request).await?;
        Ok(crate::identity::rotate_ca(&self.state, &actor, rotation).await?)
    }
}
