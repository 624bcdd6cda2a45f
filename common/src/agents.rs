//! The agent registry: what each agent is, who owns it and what it declares it needs.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use time::OffsetDateTime;
use uuid::Uuid;

/// What an agent declares it needs. Policy review compares effective permissions against this.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Capabilities {
    /// Tools it calls, e.g. `crm.read`.
    #[serde(default)]
    pub tools: Vec<String>,
    /// Resources it touches, e.g. `customers/*`.
    #[serde(default)]
    pub resources: Vec<String>,
    /// Models it uses, e.g. `gpt-4o-mini`.
    #[serde(default)]
    pub models: Vec<String>,
    /// Data classes it handles, e.g. `pii`, `payment`.
    #[serde(default)]
    pub data_classes: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AgentStatus {
    Active,
    /// Retired agents keep their record for the audit trail but can no longer be changed.
    Retired,
}

impl AgentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AgentStatus::Active => "active",
            AgentStatus::Retired => "retired",
        }
    }
}

impl std::str::FromStr for AgentStatus {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "active" => Ok(AgentStatus::Active),
            "retired" => Ok(AgentStatus::Retired),
            other => Err(format!(
                "unknown agent status `{other}` (expected active or retired)"
            )),
        }
    }
}

/// Where an agent's newest certificate stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CredentialState {
    Valid,
    /// Past half-life: the agent renews now (its CLI renews at half-life, with jitter).
    Renewing,
    /// Less than a quarter of its lifetime left: renewal is overdue.
    ExpiringSoon,
    Expired,
    Revoked,
}

/// The agent's newest X.509-SVID.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Credential {
    pub state: CredentialState,
    pub spiffe_id: String,
    pub serial: String,
    #[serde(with = "time::serde::rfc3339")]
    pub not_before: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub not_after: OffsetDateTime,
}

impl CredentialState {
    pub fn at(
        now: OffsetDateTime,
        not_before: OffsetDateTime,
        not_after: OffsetDateTime,
        revoked: bool,
    ) -> Self {
        if revoked {
            CredentialState::Revoked
        } else if now >= not_after {
            CredentialState::Expired
        } else if (not_after - now) * 4 < (not_after - not_before) {
            CredentialState::ExpiringSoon
        } else if (not_after - now) * 2 < (not_after - not_before) {
            CredentialState::Renewing
        } else {
            CredentialState::Valid
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            CredentialState::Valid => "valid",
            CredentialState::Renewing => "renewing",
            CredentialState::ExpiringSoon => "expiring soon",
            CredentialState::Expired => "expired",
            CredentialState::Revoked => "revoked",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Agent {
    pub id: Uuid,
    /// Unique, lowercase, DNS-label-like; appears in the agent's SPIFFE ID.
    pub name: String,
    pub owner_team: String,
    /// The agent's task, in words.
    pub purpose: String,
    pub capabilities: Capabilities,
    /// e.g. `production`, `staging`.
    pub environment: String,
    pub labels: BTreeMap<String, String>,
    /// Lifetime of the X.509-SVIDs issued to this agent, in hours (1–72, default 24).
    pub svid_lifetime_hours: u32,
    pub status: AgentStatus,
    pub created_by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub retired_at: Option<OffsetDateTime>,
    /// The newest certificate issued to the agent; absent before enrolment.
    pub credential: Option<Credential>,
}

impl Agent {
    /// Certificates living longer than a day deserve a second look.
    pub fn is_long_lived(&self) -> bool {
        self.svid_lifetime_hours > DEFAULT_SVID_LIFETIME_HOURS
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewAgent {
    pub name: String,
    pub owner_team: String,
    pub purpose: String,
    #[serde(default)]
    pub capabilities: Capabilities,
    pub environment: String,
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// Certificate lifetime in hours, 1–72; 24 when absent.
    #[serde(default)]
    pub svid_lifetime_hours: Option<u32>,
}

/// A partial update; absent fields are left unchanged. The name never changes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AgentUpdate {
    #[serde(default)]
    pub owner_team: Option<String>,
    #[serde(default)]
    pub purpose: Option<String>,
    #[serde(default)]
    pub capabilities: Option<Capabilities>,
    #[serde(default)]
    pub environment: Option<String>,
    #[serde(default)]
    pub labels: Option<BTreeMap<String, String>>,
    #[serde(default)]
    pub svid_lifetime_hours: Option<u32>,
}

/// Certificates never live longer than this, whatever an agent or a request asks for.
pub const MAX_SVID_LIFETIME_HOURS: u32 = 72;
pub const DEFAULT_SVID_LIFETIME_HOURS: u32 = 24;

pub fn validate_svid_lifetime(hours: u32) -> Result<(), String> {
    if (1..=MAX_SVID_LIFETIME_HOURS).contains(&hours) {
        Ok(())
    } else {
        Err(format!(
            "certificate lifetime must be between 1 and {MAX_SVID_LIFETIME_HOURS} hours (got {hours})"
        ))
    }
}

const MAX_LIST_ITEMS: usize = 100;
const MAX_ITEM_CHARS: usize = 200;
const MAX_LABELS: usize = 32;

fn is_slug(value: &str, max: usize) -> bool {
    !value.is_empty()
        && value.len() <= max
        && value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !value.starts_with('-')
        && !value.ends_with('-')
}

/// Agent names: 1–63 of a–z, 0–9 and inner '-', so they fit a URI path segment and a DNS label.
pub fn validate_name(name: &str) -> Result<(), String> {
    if is_slug(name, 63) {
        Ok(())
    } else {
        Err("agent name must be 1–63 characters of a–z, 0–9 and '-' (not at either end)".into())
    }
}

pub fn validate_environment(environment: &str) -> Result<(), String> {
    if is_slug(environment, 32) {
        Ok(())
    } else {
        Err("environment must be 1–32 characters of a–z, 0–9 and '-'".into())
    }
}

fn validate_text(field: &str, value: &str, max: usize) -> Result<(), String> {
    let chars = value.trim().chars().count();
    if chars == 0 || chars > max {
        return Err(format!("{field} must be 1–{max} characters"));
    }
    Ok(())
}

pub fn validate_owner_team(team: &str) -> Result<(), String> {
    validate_text("owner team", team, 100)
}

pub fn validate_purpose(purpose: &str) -> Result<(), String> {
    validate_text("purpose", purpose, 2000)
}

pub fn validate_capabilities(capabilities: &Capabilities) -> Result<(), String> {
    for (field, items) in [
        ("tools", &capabilities.tools),
        ("resources", &capabilities.resources),
        ("models", &capabilities.models),
        ("data_classes", &capabilities.data_classes),
    ] {
        if items.len() > MAX_LIST_ITEMS {
            return Err(format!("at most {MAX_LIST_ITEMS} {field}"));
        }
        for item in items {
            let chars = item.chars().count();
            if chars == 0
                || chars > MAX_ITEM_CHARS
                || item.trim() != item
                || item.chars().any(char::is_control)
            {
                return Err(format!(
                    "each of {field} must be 1–{MAX_ITEM_CHARS} characters without surrounding spaces"
                ));
            }
        }
    }
    Ok(())
}

pub fn validate_labels(labels: &BTreeMap<String, String>) -> Result<(), String> {
    if labels.len() > MAX_LABELS {
        return Err(format!("at most {MAX_LABELS} labels"));
    }
    for (key, value) in labels {
        let key_ok = !key.is_empty()
            && key.len() <= 63
            && key.chars().all(|c| {
                c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.' | '/')
            });
        if !key_ok {
            return Err(format!(
                "label key `{key}` must be 1–63 characters of a–z, 0–9, '-', '_', '.', '/'"
            ));
        }
        if value.chars().count() > 63 || value.chars().any(char::is_control) {
            return Err(format!(
                "label `{key}` has a value over 63 characters or with control characters"
            ));
        }
    }
    Ok(())
}

impl NewAgent {
    pub fn validate(&self) -> Result<(), String> {
        validate_name(&self.name)?;
        validate_owner_team(&self.owner_team)?;
        validate_purpose(&self.purpose)?;
        validate_environment(&self.environment)?;
        validate_capabilities(&self.capabilities)?;
        if let Some(hours) = self.svid_lifetime_hours {
            validate_svid_lifetime(hours)?;
        }
        validate_labels(&self.labels)
    }
}

impl AgentUpdate {
    pub fn validate(&self) -> Result<(), String> {
        if let Some(team) = &self.owner_team {
            validate_owner_team(team)?;
        }
        if let Some(purpose) = &self.purpose {
            validate_purpose(purpose)?;
        }
        if let Some(environment) = &self.environment {
            validate_environment(environment)?;
        }
        if let Some(capabilities) = &self.capabilities {
            validate_capabilities(capabilities)?;
        }
        if let Some(labels) = &self.labels {
            validate_labels(labels)?;
        }
        if let Some(hours) = self.svid_lifetime_hours {
            validate_svid_lifetime(hours)?;
        }
        Ok(())
    }
}

/// Splits a comma- or newline-separated list typed in a form into trimmed, non-empty items.
pub fn split_list(input: &str) -> Vec<String> {
    input
        .split([',', '\n'])
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Parses `key=value` pairs separated by commas or newlines.
pub fn parse_labels(input: &str) -> Result<BTreeMap<String, String>, String> {
    split_list(input)
        .into_iter()
        .map(|pair| {
            pair.split_once('=')
                .map(|(key, value)| (key.trim().to_owned(), value.trim().to_owned()))
                .ok_or_else(|| format!("label `{pair}` must be written key=value"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agent() -> NewAgent {
        NewAgent {
            name: "support-bot".into(),
            owner_team: "Customer Support".into(),
            purpose: "Answers customer tickets".into(),
            capabilities: Capabilities {
                tools: vec!["crm.read".into()],
                ..Default::default()
            },
            environment: "production".into(),
            labels: BTreeMap::from([("team".into(), "support".into())]),
            svid_lifetime_hours: None,
        }
    }

    #[test]
    fn a_well_formed_agent_validates() {
        assert_eq!(agent().validate(), Ok(()));
    }

    #[test]
    fn names_are_dns_label_like() {
        for bad in [
            "",
            "Support",
            "a b",
            "-lead",
            "trail-",
            "spiffe://x",
            &"a".repeat(64),
        ] {
            assert!(validate_name(bad).is_err(), "{bad:?} accepted");
        }
        assert!(validate_name("a").is_ok());
    }

    #[test]
    fn capabilities_and_labels_are_bounded() {
        let mut new = agent();
        new.capabilities.tools = vec![" padded ".into()];
        assert!(new.validate().is_err());
        let mut new = agent();
        new.labels.insert("Bad Key".into(), "x".into());
        assert!(new.validate().is_err());
        let mut new = agent();
        new.capabilities.models = vec!["m".into(); 101];
        assert!(new.validate().is_err());
    }

    #[test]
    fn credential_state_follows_the_clock() {
        let issued = OffsetDateTime::now_utc();
        let expires = issued + time::Duration::hours(24);
        let state = |hours: i64| {
            CredentialState::at(
                issued + time::Duration::hours(hours),
                issued,
                expires,
                false,
            )
        };
        assert_eq!(state(1), CredentialState::Valid);
        assert_eq!(state(11), CredentialState::Valid);
        assert_eq!(state(13), CredentialState::Renewing);
        assert_eq!(state(17), CredentialState::Renewing);
        assert_eq!(state(19), CredentialState::ExpiringSoon);
        assert_eq!(state(24), CredentialState::Expired);
        assert_eq!(
            CredentialState::at(issued, issued, expires, true),
            CredentialState::Revoked
        );
    }

    #[test]
    fn lifetimes_beyond_72_hours_are_refused() {
        let mut new = agent();
        new.svid_lifetime_hours = Some(73);
        assert!(new.validate().is_err());
        new.svid_lifetime_hours = Some(0);
        assert!(new.validate().is_err());
        new.svid_lifetime_hours = Some(72);
        assert_eq!(new.validate(), Ok(()));
    }

    #[test]
    fn form_lists_and_labels_parse() {
        assert_eq!(split_list("a, b\n\nc,"), vec!["a", "b", "c"]);
        assert_eq!(
            parse_labels("team=support, tier = 1").expect("labels"),
            BTreeMap::from([
                ("team".into(), "support".into()),
                ("tier".into(), "1".into())
            ])
        );
        assert!(parse_labels("oops").is_err());
    }
}
