//! The fleet wire protocol: how enforcers announce themselves and prove they are alive.
//!
//! Messages are JSON on core NATS subjects. Every message carries `protocol` so a control plane
//! can refuse what it does not understand instead of misreading it.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

/// Version of the messages in this module; bump on any incompatible change.
pub const PROTOCOL_VERSION: u32 = 1;

/// NATS subjects of the fleet protocol.
pub mod subjects {
    /// An enforcer publishes [`super::EnforcerAnnounce`] here when it starts and when asked.
    pub const ANNOUNCE: &str = "warden.fleet.announce";
    /// An enforcer publishes [`super::EnforcerHeartbeat`] here on a fixed interval.
    pub const HEARTBEAT: &str = "warden.fleet.heartbeat";
    /// A control plane publishes here (empty body) to ask every enforcer to announce again,
    /// so a restarted control plane learns the fleet without waiting.
    pub const DISCOVER: &str = "warden.fleet.discover";
}

/// Sent once at start and on every discover request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnforcerAnnounce {
    pub protocol: u32,
    pub enforcer_id: Uuid,
    /// The enforcer's build version (`CARGO_PKG_VERSION`).
    pub version: String,
    pub hostname: String,
    #[serde(with = "time::serde::rfc3339")]
    pub started_at: OffsetDateTime,
    /// Seconds between heartbeats, so the control plane knows when one is overdue.
    pub heartbeat_interval_secs: u32,
}

/// Sent every `heartbeat_interval_secs`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnforcerHeartbeat {
    pub protocol: u32,
    pub enforcer_id: Uuid,
    #[serde(with = "time::serde::rfc3339")]
    pub sent_at: OffsetDateTime,
    /// Monotonic count of heartbeats since start; a reset means the enforcer restarted.
    pub sequence: u64,
    /// The policy bundle version it enforces; absent while none is loaded (it denies all).
    #[serde(default)]
    pub policy_version: Option<u64>,
}

/// An enforcer's state as the control plane reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EnforcerStatus {
    /// A heartbeat arrived within the last three intervals.
    Live,
    /// Heartbeats stopped; the enforcer is down or cut off from NATS.
    Stale,
}

/// One enforcer, as listed by the control plane.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Enforcer {
    pub id: Uuid,
    pub version: String,
    pub hostname: String,
    #[serde(with = "time::serde::rfc3339")]
    pub started_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub last_seen_at: OffsetDateTime,
    pub heartbeat_interval_secs: u32,
    pub status: EnforcerStatus,
    /// The policy bundle version it reported last; absent while it has none (it denies all).
    pub policy_version: Option<u64>,
}

impl EnforcerStatus {
    /// Live while the last heartbeat is younger than three intervals.
    pub fn at(
        now: OffsetDateTime,
        last_seen_at: OffsetDateTime,
        heartbeat_interval_secs: u32,
    ) -> Self {
        let allowance = time::Duration::seconds(i64::from(heartbeat_interval_secs.max(1)) * 3);
        if now - last_seen_at <= allowance {
            EnforcerStatus::Live
        } else {
            EnforcerStatus::Stale
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_turns_stale_after_three_missed_intervals() {
        let now = OffsetDateTime::now_utc();
        assert_eq!(
            EnforcerStatus::at(now, now - time::Duration::seconds(14), 5),
            EnforcerStatus::Live
        );
        assert_eq!(
            EnforcerStatus::at(now, now - time::Duration::seconds(16), 5),
            EnforcerStatus::Stale
        );
    }

    #[test]
    fn announce_round_trips_as_json() {
        let announce = EnforcerAnnounce {
            protocol: PROTOCOL_VERSION,
            enforcer_id: Uuid::new_v4(),
            version: "0.1.0".into(),
            hostname: "host-a".into(),
            started_at: OffsetDateTime::now_utc()
                .replace_nanosecond(0)
                .expect("valid"),
            heartbeat_interval_secs: 5,
        };
        let json = serde_json::to_vec(&announce).expect("serialize");
        let back: EnforcerAnnounce = serde_json::from_slice(&json).expect("deserialize");
        assert_eq!(back, announce);
    }
}
