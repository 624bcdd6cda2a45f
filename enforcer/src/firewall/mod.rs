//! The inline AI firewall: an OpenAI-compatible proxy on the agent mTLS listener and a NATS check
//! service, both deciding through [`inspect`] with one detection engine and the loaded policy, and
//! both streaming a decision event per exchange to JetStream.

pub mod check;
pub mod events;
pub mod inspect;
pub mod openai;
pub mod proxy;
mod relay;
pub mod sse;
pub mod upstream;

use crate::policy::Policy;
use events::Events;
use std::sync::Arc;
use std::time::Duration;
use upstream::Upstreams;
use uuid::Uuid;
use warden_detect::Engine;

/// Bounds on what the proxy accepts and waits for.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest request body accepted from an agent.
    pub max_request_bytes: usize,
    /// Largest complete (non-streamed) response read from an upstream.
    pub max_response_bytes: usize,
    /// How long an upstream may take to answer (headers) and, for complete responses, to finish.
    pub upstream_timeout: Duration,
}

/// Everything the proxy and the check service share; cheap to clone.
#[derive(Clone)]
pub struct Firewall {
    pub engine: Arc<Engine>,
    pub policy: Policy,
    pub upstreams: Arc<Upstreams>,
    pub events: Events,
    pub client: reqwest::Client,
    pub limits: Limits,
    pub enforcer_id: Uuid,
    pub trust_domain: Arc<str>,
}

impl Firewall {
    pub fn new(
        policy: Policy,
        upstreams: Upstreams,
        events: Events,
        limits: Limits,
        enforcer_id: Uuid,
        trust_domain: &str,
    ) -> anyhow::Result<Self> {
        let client = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .pool_idle_timeout(Duration::from_secs(90))
            .build()?;
        Ok(Firewall {
            engine: Arc::new(Engine::new()),
            policy,
            upstreams: Arc::new(upstreams),
            events,
            client,
            limits,
            enforcer_id,
            trust_domain: trust_domain.into(),
        })
    }
}
