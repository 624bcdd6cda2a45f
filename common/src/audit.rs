//! The audit trail as the API and console see it: events of the Merkle log, search results with
//! facets, and the proofs an auditor checks without trusting the control plane.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::OffsetDateTime;
use uuid::Uuid;

/// One event of the log. `entry` is the exact text hashed into the leaf, so a client can recompute
/// `leaf_hash` itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEvent {
    /// Leaf index in the log.
    pub seq: u64,
    pub id: Uuid,
    #[serde(with = "time::serde::rfc3339")]
    pub time: OffsetDateTime,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub details: Value,
    /// Derived for search; not part of the signed entry.
    pub severity: String,
    /// Compliance controls this event is evidence for; derived, not part of the signed entry.
    pub controls: Vec<String>,
    /// The canonical entry (JSON text) as hashed.
    pub entry: String,
    /// SHA-256(0x00 ‖ entry), hex.
    pub leaf_hash: String,
}

/// How many events share a value of a field within a search result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FacetCount {
    pub value: String,
    pub count: u64,
}

/// The most frequent values (top 10) of each filterable field over a whole search result.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditFacets {
    pub action: Vec<FacetCount>,
    pub decision: Vec<FacetCount>,
    pub severity: Vec<FacetCount>,
    pub finding: Vec<FacetCount>,
    pub agent: Vec<FacetCount>,
    pub control: Vec<FacetCount>,
}

/// A page of search results, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditSearchPage {
    /// Events matching the search in all.
    pub total: u64,
    pub offset: usize,
    pub events: Vec<AuditEvent>,
    pub facets: AuditFacets,
    /// Events in the log; the index may trail the log by a moment.
    pub log_size: u64,
    /// Events the search index holds.
    pub indexed: u64,
}

/// What to search for. Empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct AuditSearch {
    /// Words or "quoted phrases" anywhere in the event.
    #[serde(default)]
    pub q: Option<String>,
    /// Agent id or SPIFFE ID.
    #[serde(default)]
    pub agent: Option<String>,
    /// `user:<name>`, `enforcer:<id>`, `system`.
    #[serde(default)]
    pub actor: Option<String>,
    /// e.g. `decision.llm_call`, `agent.registered`, `policy.version_published`.
    #[serde(default)]
    pub action: Option<String>,
    /// Decision outcome: `allowed`, `denied`, `blocked`, `upstream_error`, `rejected`.
    #[serde(default)]
    pub decision: Option<String>,
    /// A finding type, e.g. `EMAIL`, `CREDIT_CARD`, `prompt_injection`.
    #[serde(default)]
    pub finding: Option<String>,
    /// `info`, `low`, `medium`, `high`, `critical`.
    #[serde(default)]
    pub severity: Option<String>,
    /// A compliance control id, e.g. `SOC2-CC6.1`.
    #[serde(default)]
    pub control: Option<String>,
    /// Events at or after this time (RFC 3339).
    #[serde(default)]
    pub from: Option<String>,
    /// Events before this time (RFC 3339).
    #[serde(default)]
    pub to: Option<String>,
    /// Results to skip, at most 10,000.
    #[serde(default)]
    pub offset: Option<usize>,
    /// Page size, 1–500 (default 50).
    #[serde(default)]
    pub limit: Option<usize>,
}

/// A signed tree head in the C2SP tlog-checkpoint signed-note format.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Checkpoint {
    pub size: u64,
    /// Root hash, hex.
    pub root_hash: String,
    /// The signed note: origin, size, base64 root, `time <unix seconds>`, blank line, signature.
    pub note: String,
    #[serde(with = "time::serde::rfc3339")]
    pub signed_at: OffsetDateTime,
    /// RFC 3161 time-stamp token over SHA-256 of the note's body, base64, when a TSA is configured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tsa_token: Option<String>,
}

/// Proof that an event is a leaf of the tree a checkpoint signs (RFC 9162 §2.1.3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InclusionProof {
    pub seq: u64,
    /// Hex.
    pub leaf_hash: String,
    pub checkpoint: Checkpoint,
    /// Audit path, hex, leaf to root.
    pub hashes: Vec<String>,
}

/// Proof that one checkpoint's tree is a prefix of another's (RFC 9162 §2.1.4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConsistencyProof {
    pub from: Checkpoint,
    pub to: Checkpoint,
    /// Hex.
    pub hashes: Vec<String>,
}

/// The public key that verifies checkpoints, as a signed-note verifier key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LogKey {
    /// The log's origin line, also the key name.
    pub origin: String,
    /// `<name>+<key id>+<base64 key>`; pin it in `warden audit verify --key`.
    pub verifier_key: String,
}
