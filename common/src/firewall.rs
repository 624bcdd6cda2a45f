//! The inline AI firewall as the fleet and the audit trail see it: decision events the enforcers
//! stream to JetStream, and the text-inspection part of NATS checks.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use time::OffsetDateTime;
use uuid::Uuid;

/// NATS names of the firewall.
pub mod subjects {
    /// JetStream stream holding every decision event; enforcers create it if it is missing, so
    /// events are kept while the control plane is down.
    pub const DECISIONS_STREAM: &str = "WARDEN_DECISIONS";
    /// Subjects the stream captures.
    pub const DECISIONS_WILDCARD: &str = "warden.decisions.>";

    /// Where enforcers of `trust_domain` publish [`super::DecisionEvent`]s.
    pub fn decisions(trust_domain: &str) -> String {
        format!("warden.decisions.{trust_domain}")
    }

    /// How long events stay in the stream: long enough for the control plane to be down a while.
    pub const DECISIONS_RETENTION: std::time::Duration =
        std::time::Duration::from_secs(30 * 24 * 3600);

    /// The stream's configuration; whichever of enforcer and control plane starts first creates it.
    #[cfg(feature = "jetstream")]
    pub fn decisions_stream_config() -> async_nats::jetstream::stream::Config {
        use async_nats::jetstream::stream;
        stream::Config {
            name: DECISIONS_STREAM.to_owned(),
            description: Some("Warden: every enforcer decision, for the audit trail".to_owned()),
            subjects: vec![DECISIONS_WILDCARD.to_owned()],
            storage: stream::StorageType::File,
            max_age: DECISIONS_RETENTION,
            num_replicas: 1,
            ..Default::default()
        }
    }
}

/// Which way inspected text travelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Direction {
    #[default]
    Request,
    Response,
}

/// One finding in a checked text: the type and where (Unicode scalar offsets, end exclusive).
/// Never the value itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FindingView {
    #[serde(rename = "type")]
    pub entity: String,
    pub start: usize,
    pub end: usize,
    pub score: f32,
}

/// The prompt-injection verdict on a text.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InjectionView {
    pub score: f32,
    pub detected: bool,
    #[serde(default)]
    pub reasons: Vec<String>,
}

/// What the engine found in the texts of a check, and the texts as they may be sent on (masked,
/// redacted) under the decision's obligations.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TextInspection {
    /// Per text, in the order given.
    pub findings: Vec<Vec<FindingView>>,
    pub injection: InjectionView,
    /// Per text; empty when the action is denied or a finding's action is block.
    pub masked: Vec<String>,
    /// The first finding type whose action is block, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocked: Option<String>,
}

/// How one exchange ended, as far as the firewall is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Forwarded, and the response delivered.
    Allowed,
    /// Refused by policy (or because no policy is loaded) before reaching the upstream.
    Denied,
    /// A finding's action was block, in the request or the response.
    Blocked,
    /// The upstream failed or could not be reached.
    UpstreamError,
    /// Malformed or oversized input.
    Rejected,
}

/// One decision of an enforcer, for the audit trail. Counts of findings by type, never values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecisionEvent {
    pub id: Uuid,
    #[serde(with = "time::serde::rfc3339")]
    pub time: OffsetDateTime,
    pub enforcer_id: Uuid,
    pub trust_domain: String,
    /// The agent's id when the enforcer knows it.
    pub agent_id: Option<Uuid>,
    /// The SPIFFE ID from the client certificate, or the reference a NATS check named.
    pub agent: String,
    /// `llm_call`, `tool_call`, … and, for the proxy, which endpoint.
    pub action: serde_json::Value,
    /// `proxy` or `check`.
    pub via: String,
    pub allow: bool,
    pub outcome: Outcome,
    pub reasons: Vec<String>,
    pub grants: Vec<String>,
    pub policy_version: Option<u64>,
    /// Findings in the request by type → count.
    pub request_findings: BTreeMap<String, u64>,
    /// Findings in the response by type → count.
    pub response_findings: BTreeMap<String, u64>,
    /// How many values were masked or redacted, both directions.
    pub masked: u64,
    pub injection_score: f32,
    pub injection_detected: bool,
    /// False when some of the response could not be inspected (non-text parts, a stream cut
    /// short) or was not inspected at all.
    pub response_inspected: bool,
    /// Time the enforcer spent on its own work (detection, policy, masking), microseconds.
    pub enforcer_us: u64,
    /// Wall time of the whole exchange including the upstream, microseconds.
    pub total_us: u64,
    pub upstream: Option<String>,
    pub upstream_status: Option<u16>,
}
