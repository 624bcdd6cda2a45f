//! The NATS check service: "may this agent do this, and is this text safe?" answered by one
//! enforcer of the queue group with the proxy's engine and policy.

use super::Firewall;
use super::inspect::{Inspection, text_inspection};
use futures::StreamExt;
use std::sync::Arc;
use std::time::Instant;
use time::OffsetDateTime;
use tokio::sync::Semaphore;
use tracing::Instrument;
use uuid::Uuid;
use warden_common::firewall::{DecisionEvent, Direction, Outcome};
use warden_common::policy::{CheckReply, CheckRequest, DecisionView, subjects};
use warden_policy::{ActionInput, Decision};

/// Largest check request accepted (texts included).
const MAX_CHECK_BYTES: usize = 1 << 20;
/// Checks decided at once; more wait in NATS's subscription buffer.
const MAX_CONCURRENT_CHECKS: usize = 256;

fn engine_direction(direction: Direction) -> warden_detect::Direction {
    match direction {
        Direction::Request => warden_detect::Direction::Request,
        Direction::Response => warden_detect::Direction::Response,
    }
}

impl Firewall {
    /// Answers one check: scan the texts, decide, and mask as the decision says.
    pub fn check(&self, request: CheckRequest) -> (CheckReply, DecisionEvent) {
        let started = Instant::now();
        let direction = engine_direction(request.direction);
        let inspection = Inspection::run(
            &self.engine,
            request.texts.iter().map(|text| (text.as_str(), true)),
            direction,
        );
        let mut findings = request.findings.clone();
        for (class, count) in inspection.classes() {
            *findings.entry(class).or_insert(0) += count;
        }
        let (decision, agent_id) =
            match serde_json::from_value::<ActionInput>(request.action.clone()) {
                Ok(action) => self.policy.decide(&request.agent, action, findings),
                Err(error) => (Decision::deny(format!("malformed action: {error}")), None),
            };
        let inspected = (!request.texts.is_empty())
            .then(|| text_inspection(&request.texts, &inspection, &decision, direction));
        let masked = inspected.as_ref().map_or(0, |i| {
            if i.masked.is_empty() {
                0
            } else {
                request
                    .texts
                    .iter()
                    .zip(&i.masked)
                    .filter(|(before, after)| before != after)
                    .count() as u64
            }
        });
        let blocked = inspected.as_ref().is_some_and(|i| i.blocked.is_some());
        let elapsed = started.elapsed().as_micros() as u64;
        let (request_findings, response_findings) = match request.direction {
            Direction::Request => (inspection.by_type(), Default::default()),
            Direction::Response => (Default::default(), inspection.by_type()),
        };
        let event = DecisionEvent {
            id: Uuid::new_v4(),
            time: OffsetDateTime::now_utc(),
            enforcer_id: self.enforcer_id,
            trust_domain: self.trust_domain.to_string(),
            agent_id,
            agent: request.agent.clone(),
            action: request.action.clone(),
            via: "check".to_owned(),
            allow: decision.allow && !blocked,
            outcome: if !decision.allow {
                Outcome::Denied
            } else if blocked {
                Outcome::Blocked
            } else {
                Outcome::Allowed
            },
            reasons: decision.reasons.clone(),
            grants: decision.grants.clone(),
            policy_version: self.policy.active.version(),
            request_findings,
            response_findings,
            masked,
            injection_score: inspection.injection.score,
            injection_detected: inspection.injection.detected,
            response_inspected: request.direction == Direction::Response,
            enforcer_us: elapsed,
            total_us: elapsed,
            upstream: None,
            upstream_status: None,
        };
        let reply = CheckReply {
            decision: DecisionView::from(decision),
            policy_version: self.policy.active.version(),
            enforcer_id: self.enforcer_id,
            inspection: inspected,
        };
        (reply, event)
    }

    /// Serves checks until NATS goes away. Each check runs in its own task (at most
    /// [`MAX_CONCURRENT_CHECKS`] at once), so a slow text does not hold up the queue and both
    /// cores work.
    pub async fn serve_checks(self, nats: async_nats::Client) -> anyhow::Result<()> {
        let mut requests = nats
            .queue_subscribe(
                subjects::check(&self.trust_domain),
                subjects::CHECK_QUEUE.to_owned(),
            )
            .await?;
        let permits = Arc::new(Semaphore::new(MAX_CONCURRENT_CHECKS));
        while let Some(message) = requests.next().await {
            let Some(reply) = message.reply.clone() else {
                continue;
            };
            let Ok(permit) = permits.clone().acquire_owned().await else {
                break;
            };
            let firewall = self.clone();
            let nats = nats.clone();
            let span = tracing::info_span!("nats_message", subject = %message.subject);
            tokio::spawn(
                async move {
                    let answer = firewall.answer(&message.payload);
                    drop(permit);
                    match serde_json::to_vec(&answer) {
                        Ok(payload) => {
                            if let Err(error) = nats.publish(reply, payload.into()).await {
                                tracing::warn!(%error, "cannot answer a check");
                            }
                        }
                        Err(error) => tracing::error!(%error, "cannot encode a check reply"),
                    }
                }
                .instrument(span),
            );
        }
        Ok(())
    }

    /// Decodes, decides, records: one check message to its reply.
    fn answer(&self, payload: &[u8]) -> CheckReply {
        let started = Instant::now();
        let answer = if payload.len() > MAX_CHECK_BYTES {
            self.refusal(format!(
                "check request too large ({} bytes, limit {MAX_CHECK_BYTES})",
                payload.len()
            ))
        } else {
            match serde_json::from_slice::<CheckRequest>(payload) {
                Ok(request) => {
                    let (answer, event) = self.check(request);
                    self.events.send(event);
                    answer
                }
                Err(error) => self.refusal(format!("malformed check request: {error}")),
            }
        };
        metrics::histogram!("warden_enforcer_check_seconds")
            .record(started.elapsed().as_secs_f64());
        metrics::counter!("warden_enforcer_checks_total", "allow" => answer.decision.allow.to_string())
            .increment(1);
        answer
    }

    fn refusal(&self, reason: String) -> CheckReply {
        CheckReply {
            decision: DecisionView::from(Decision::deny(reason)),
            policy_version: self.policy.active.version(),
            enforcer_id: self.enforcer_id,
            inspection: None,
        }
    }
}
