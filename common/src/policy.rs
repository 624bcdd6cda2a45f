//! Policy as the console, the API and the fleet see it. The grant model, the compiler and the
//! engine live in `warden-policy` (not built for the browser); these are the views and the NATS
//! wire types.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use time::OffsetDateTime;
use uuid::Uuid;

/// NATS names of policy distribution and checks. Everything is scoped by trust domain, so
/// deployments (or tests) sharing a NATS server never read each other's policy.
pub mod subjects {
    /// JetStream key-value bucket holding the latest signed bundle of each trust domain under
    /// [`bundle_key`], so an enforcer that starts later still gets it.
    pub const POLICY_BUCKET: &str = "warden_policy";
    /// Bucket of the agent directory: key [`agent_key`], value [`super::AgentDirectoryEntry`];
    /// enforcers decide with the registry's labels, never with what a caller claims.
    pub const AGENTS_BUCKET: &str = "warden_agents";
    /// Bucket of today's allowed actions per agent and grant, which daily limits count against:
    /// key [`usage_key`], value the count in decimal. Enforcers add to it; entries expire after
    /// two days.
    pub const USAGE_BUCKET: &str = "warden_usage";
    /// Bucket of the kill list: key [`kill_key`], value a [`super::KillEntry`]. Enforcers deny
    /// every action of a listed agent from the moment the entry reaches them; deleting the key
    /// lifts the kill.
    pub const KILL_BUCKET: &str = "warden_kill";
    /// Queue group of the check service: each check is answered by one enforcer.
    pub const CHECK_QUEUE: &str = "warden-enforcers";

    pub fn bundle_key(trust_domain: &str) -> String {
        format!("bundle.{trust_domain}")
    }

    pub fn agent_key(trust_domain: &str, agent: uuid::Uuid) -> String {
        format!("{trust_domain}.{agent}")
    }

    /// `<trust domain>.<agent id>`.
    pub fn kill_key(trust_domain: &str, agent: uuid::Uuid) -> String {
        format!("{trust_domain}.{agent}")
    }

    /// `<trust domain>.<UTC date>.<agent id>.<grant id>`.
    pub fn usage_key(trust_domain: &str, day: &str, agent: uuid::Uuid, grant: &str) -> String {
        format!("{trust_domain}.{day}.{agent}.{grant}")
    }

    /// Request/reply: [`super::CheckRequest`] answered with [`super::CheckReply`].
    pub fn check(trust_domain: &str) -> String {
        format!("warden.check.policy.{trust_domain}")
    }
}

/// What the fleet knows about an agent, kept in the agents bucket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentDirectoryEntry {
    pub id: Uuid,
    pub name: String,
    pub labels: BTreeMap<String, String>,
    pub environment: String,
    pub owner_team: String,
    /// Retired agents stay listed so their calls are denied with a reason.
    pub active: bool,
}

/// An agent on the kill list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KillEntry {
    pub agent: Uuid,
    #[serde(with = "time::serde::rfc3339")]
    pub killed_at: OffsetDateTime,
    /// Who pulled the switch, and why, for the decision events.
    pub by: String,
    pub reason: String,
}

/// "May this agent do this?" Asked over NATS by integrations and by the proxy's own path.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckRequest {
    /// The agent's id or SPIFFE ID.
    pub agent: String,
    /// The action, in the policy's input shape (`kind`, `tool`, `resource`, `model`,
    /// `data_classes`, `destination`).
    pub action: serde_json::Value,
    /// Detector findings by type (count), when the caller scanned text.
    #[serde(default)]
    pub findings: BTreeMap<String, u64>,
    /// Texts for the enforcer to inspect with the proxy's engine (PII, secrets, injection); what
    /// it finds joins `findings`, and the reply carries the texts masked as policy requires.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub texts: Vec<String>,
    /// Which way the texts travel (`request` or `response`); rules differ.
    #[serde(default)]
    pub direction: crate::firewall::Direction,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckReply {
    pub decision: DecisionView,
    /// The bundle version that decided; absent while none is loaded (then everything is denied).
    pub policy_version: Option<u64>,
    pub enforcer_id: Uuid,
    /// Present when the request carried texts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inspection: Option<crate::firewall::TextInspection>,
}

/// A decision and why.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DecisionView {
    pub allow: bool,
    pub reasons: Vec<String>,
    /// Ids of the grants that decided.
    pub grants: Vec<String>,
    /// What the enforcer must do to an allowed action (e.g. data classes to mask).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub obligations: serde_json::Value,
}

/// A grant as the console lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GrantView {
    pub id: String,
    /// The grant in words.
    pub sentence: String,
    /// The grant as structured data (what the API accepts).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub grant: serde_json::Value,
    /// The Rego test module generated for it.
    pub generated_tests: String,
    pub updated_by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

/// A custom Rego module of the draft.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PolicyModule {
    /// Path such as `custom/no_weekend_exports.rego`.
    pub path: String,
    pub rego: String,
    pub updated_by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

/// A problem in a draft, at a position when it has one (1-based; 0 = none).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PolicyProblem {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegoTestResult {
    pub name: String,
    pub passed: bool,
    pub error: Option<String>,
}

/// The draft compiled as publishing would compile it, with every Rego test run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DraftCheck {
    pub ok: bool,
    pub problems: Vec<PolicyProblem>,
    pub tests: Vec<RegoTestResult>,
    /// The generated Rego (base library, custom modules) and data, for reading.
    pub rego: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub data: serde_json::Value,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum VersionStatus {
    /// Proposed, waiting for a second person's approval.
    Pending,
    Published,
    Rejected,
}

/// A numbered policy version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PolicyVersion {
    pub version: u64,
    pub status: VersionStatus,
    pub note: String,
    pub grants: usize,
    pub modules: usize,
    pub proposed_by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub proposed_at: OffsetDateTime,
    pub decided_by: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub decided_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub published_at: Option<OffsetDateTime>,
    /// Whether this is the version the fleet should be running.
    pub current: bool,
}

/// How policy changes are governed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PolicySettings {
    /// Publishing needs a second person's approval.
    pub require_approval: bool,
}

/// One permission along a dimension (`tool`, `model`, `resource`, `data_class`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewPermission {
    pub dimension: String,
    pub value: String,
    pub grants: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewBroadGrant {
    pub grant: String,
    pub sentence: String,
    pub why: Vec<String>,
}

/// Least-privilege review of one agent under one published version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DriftReport {
    pub version: u64,
    pub agent_id: Uuid,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    pub effective: Vec<ReviewPermission>,
    /// Effective beyond what the agent declares.
    pub over_privileged: Vec<ReviewPermission>,
    /// Declared but denied.
    pub broken: Vec<ReviewPermission>,
    pub broad_grants: Vec<ReviewBroadGrant>,
}
