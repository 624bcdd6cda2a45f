//! The JSON the enforcer hands the policy and the decision it gets back; `policies/README.md`
//! documents the same shapes for Rego authors.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use time::OffsetDateTime;

/// What kind of thing the agent is about to do; grants name the kinds they cover.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    LlmCall,
    ToolCall,
    ResourceAccess,
    DataAccess,
}

impl ActionKind {
    pub const ALL: [ActionKind; 4] = [
        ActionKind::LlmCall,
        ActionKind::ToolCall,
        ActionKind::ResourceAccess,
        ActionKind::DataAccess,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ActionKind::LlmCall => "llm_call",
            ActionKind::ToolCall => "tool_call",
            ActionKind::ResourceAccess => "resource_access",
            ActionKind::DataAccess => "data_access",
        }
    }
}

/// The agent as the policy sees it: identity, labels and environment from the registry.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AgentInput {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    pub environment: String,
    #[serde(default)]
    pub owner_team: String,
}

impl From<&warden_common::agents::Agent> for AgentInput {
    fn from(agent: &warden_common::agents::Agent) -> Self {
        AgentInput {
            id: agent.id.to_string(),
            name: agent.name.clone(),
            labels: agent.labels.clone(),
            environment: agent.environment.clone(),
            owner_team: agent.owner_team.clone(),
        }
    }
}

impl From<&warden_common::policy::AgentDirectoryEntry> for AgentInput {
    fn from(agent: &warden_common::policy::AgentDirectoryEntry) -> Self {
        AgentInput {
            id: agent.id.to_string(),
            name: agent.name.clone(),
            labels: agent.labels.clone(),
            environment: agent.environment.clone(),
            owner_team: agent.owner_team.clone(),
        }
    }
}

/// One action; absent fields are left out of the JSON so grants naming them do not match.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActionInput {
    pub kind: ActionKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    #[serde(default)]
    pub data_classes: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination: Option<String>,
}

impl ActionInput {
    pub fn new(kind: ActionKind) -> Self {
        ActionInput {
            kind,
            tool: None,
            resource: None,
            model: None,
            data_classes: Vec::new(),
            destination: None,
        }
    }
}

/// When the action happens and what the agent has used today. Hour and weekday are precomputed
/// (UTC) so the policy needs no time builtins, which keeps regorus lean and decisions fast.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContextInput {
    /// RFC 3339.
    pub time: String,
    /// 0–23, UTC.
    pub hour: u8,
    /// `mon` … `sun`, UTC.
    pub weekday: String,
    /// Today's count of actions allowed per grant id.
    #[serde(default)]
    pub usage: BTreeMap<String, u64>,
    #[serde(default)]
    pub killed: bool,
}

impl ContextInput {
    /// The context at `now`, with no usage and the agent not killed.
    pub fn at(now: OffsetDateTime) -> Self {
        let now = now.to_offset(time::UtcOffset::UTC);
        let weekday = match now.weekday() {
            time::Weekday::Monday => "mon",
            time::Weekday::Tuesday => "tue",
            time::Weekday::Wednesday => "wed",
            time::Weekday::Thursday => "thu",
            time::Weekday::Friday => "fri",
            time::Weekday::Saturday => "sat",
            time::Weekday::Sunday => "sun",
        };
        ContextInput {
            time: now
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default(),
            hour: now.hour(),
            weekday: weekday.to_string(),
            usage: BTreeMap::new(),
            killed: false,
        }
    }
}

/// The whole input document (`input` in Rego).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PolicyInput {
    pub agent: AgentInput,
    pub action: ActionInput,
    pub context: ContextInput,
    /// Detector findings in the text: type (e.g. `pii`, `credit_card`) → count. Types with a
    /// non-zero count are treated as data classes the action touches.
    #[serde(default)]
    pub findings: BTreeMap<String, u64>,
}

/// What the grants asked the enforcer to do to an allowed action: the allowing grants'
/// obligations, merged.
pub type Obligations = crate::grant::GrantObligations;

/// `data.warden.authz.decision`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub allow: bool,
    /// Why, in words: the grants that allowed or denied, or near misses when nothing allowed.
    #[serde(default)]
    pub reasons: Vec<String>,
    #[serde(default)]
    pub obligations: Obligations,
    /// Ids of the grants that decided (the allowing ones, or the denying ones).
    #[serde(default)]
    pub grants: Vec<String>,
}

/// The decision as the API, the console and NATS check replies carry it.
impl From<Decision> for warden_common::policy::DecisionView {
    fn from(decision: Decision) -> Self {
        warden_common::policy::DecisionView {
            allow: decision.allow,
            reasons: decision.reasons,
            grants: decision.grants,
            obligations: serde_json::to_value(decision.obligations)
                .unwrap_or(serde_json::Value::Null),
        }
    }
}

impl Decision {
    /// Fail closed: what the enforcer does when it cannot decide.
    pub fn deny(reason: impl Into<String>) -> Self {
        Decision {
            allow: false,
            reasons: vec![reason.into()],
            obligations: Obligations::default(),
            grants: Vec::new(),
        }
    }
}
