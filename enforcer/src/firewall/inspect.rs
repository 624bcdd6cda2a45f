//! The firewall's one decision path, shared by the proxy and the NATS check service: scan the
//! texts, let policy decide with what was found, then act on the findings as the decision's
//! obligations say.

use std::collections::BTreeMap;
use warden_common::firewall::{FindingView, InjectionView, TextInspection};
use warden_detect::mask::{self, Action, ActionTable, Placeholders};
use warden_detect::{Direction, Engine, EntityType, Finding, Injection};
use warden_policy::{Decision, Obligations};

/// The data class a detected injection puts the action in; only grants naming it cover it.
pub const INJECTION_CLASS: &str = "prompt_injection";

/// What the engine found in a set of texts.
#[derive(Debug, Default)]
pub struct Inspection {
    /// Per text, in order.
    pub findings: Vec<Vec<Finding>>,
    /// The strongest injection verdict over the texts that were scored.
    pub injection: Injection,
}

impl Inspection {
    /// Scans `texts`; those flagged `true` are also scored for injection.
    pub fn run<'t>(
        engine: &Engine,
        texts: impl IntoIterator<Item = (&'t str, bool)>,
        direction: Direction,
    ) -> Self {
        let mut inspection = Inspection::default();
        for (text, score_injection) in texts {
            inspection.add(engine, text, score_injection, direction);
        }
        inspection
    }

    /// Scans one more text (and scores it for injection when asked, in requests).
    pub fn add(
        &mut self,
        engine: &Engine,
        text: &str,
        score_injection: bool,
        direction: Direction,
    ) {
        self.findings.push(engine.findings(text, direction));
        if score_injection && direction == Direction::Request {
            let verdict = engine.injection(text);
            if verdict.score > self.injection.score {
                self.injection = verdict;
            }
        }
    }

    /// Findings by detector type → count (for decision events).
    pub fn by_type(&self) -> BTreeMap<String, u64> {
        let mut counts = BTreeMap::new();
        for finding in self.findings.iter().flatten() {
            *counts
                .entry(finding.entity.as_str().to_owned())
                .or_insert(0) += 1;
        }
        counts
    }

    /// Findings by data class → count, as policy sees them (`pii`, `secret`, …, and
    /// `prompt_injection`).
    pub fn classes(&self) -> BTreeMap<String, u64> {
        let mut counts = BTreeMap::new();
        for finding in self.findings.iter().flatten() {
            *counts
                .entry(finding.entity.category().as_str().to_owned())
                .or_insert(0) += 1;
        }
        if self.injection.detected {
            counts.insert(INJECTION_CLASS.to_owned(), 1);
        }
        counts
    }

    pub fn count(&self) -> usize {
        self.findings.iter().map(Vec::len).sum()
    }
}

/// Whether an obligation list names `entity`: by class (`pii`), by type (`email_address`), or `*`.
pub fn names(list: &[String], entity: EntityType) -> bool {
    list.iter().any(|name| {
        name == "*"
            || name == entity.category().as_str()
            || name.eq_ignore_ascii_case(entity.as_str())
    })
}

/// The action for each finding type in `direction` under `obligations`; when lists overlap the
/// strictest wins (block, then redact, then mask).
pub fn actions(obligations: &Obligations, direction: Direction) -> ActionTable {
    let (mask, redact, block) = match direction {
        Direction::Request => (
            &obligations.mask_requests,
            &obligations.redact_requests,
            &obligations.block_requests,
        ),
        Direction::Response => (
            &obligations.mask_responses,
            &obligations.redact_responses,
            &obligations.block_responses,
        ),
    };
    EntityType::ALL
        .into_iter()
        .filter_map(|entity| {
            let action = if names(block, entity) {
                Action::Block
            } else if names(redact, entity) {
                Action::Redact
            } else if names(mask, entity) {
                Action::Mask
            } else {
                return None;
            };
            Some((entity, action))
        })
        .collect()
}

/// Whether a placeholder the model echoed back may be turned back into its value: the agent sent
/// the value itself, and policy does not mask its type in responses.
pub fn restorable(obligations: &Obligations, placeholder: &str) -> bool {
    let Some(name) = placeholder
        .strip_prefix('<')
        .and_then(|p| p.strip_suffix('>'))
        .and_then(|p| p.rsplit_once('_'))
        .map(|(name, _)| name)
    else {
        return false;
    };
    EntityType::parse(name).is_some_and(|entity| {
        !names(&obligations.mask_responses, entity)
            && !names(&obligations.redact_responses, entity)
            && !names(&obligations.block_responses, entity)
    })
}

/// Longest placeholder we ever hold a stream back for (`<GENERIC_API_KEY_4294967295>` is 28).
pub const MAX_PLACEHOLDER: usize = 40;

/// Puts back the values of restorable placeholders in `text`.
pub fn restore(text: &str, placeholders: &Placeholders, obligations: &Obligations) -> String {
    placeholders.restore_where(text, |token| restorable(obligations, token))
}

/// Whether `tail` (from a `<` to the end of what has arrived) could still become a placeholder:
/// `<` followed by upper-case letters, digits and `_` only.
fn placeholder_prefix(tail: &str) -> bool {
    tail.len() < MAX_PLACEHOLDER
        && tail[1..]
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}

/// Restores placeholders in a stream of text deltas, holding back only a possible placeholder
/// prefix at the end of what has arrived.
#[derive(Debug, Default)]
pub struct StreamRestorer {
    pending: String,
}

impl StreamRestorer {
    pub fn push(
        &mut self,
        delta: &str,
        placeholders: &Placeholders,
        obligations: &Obligations,
    ) -> String {
        self.pending.push_str(delta);
        // Hold back from the last `<` that could still become a placeholder.
        let hold_from = self
            .pending
            .rfind('<')
            .filter(|at| placeholder_prefix(&self.pending[*at..]));
        let ready = match hold_from {
            Some(at) => self.pending[..at].to_owned(),
            None => std::mem::take(&mut self.pending),
        };
        if let Some(at) = hold_from {
            self.pending.drain(..at);
        }
        restore(&ready, placeholders, obligations)
    }

    pub fn finish(&mut self, placeholders: &Placeholders, obligations: &Obligations) -> String {
        let rest = std::mem::take(&mut self.pending);
        restore(&rest, placeholders, obligations)
    }
}

/// Converts findings for the NATS reply (character offsets, no values).
pub fn finding_views(text: &str, findings: &[Finding]) -> Vec<FindingView> {
    findings
        .iter()
        .map(|finding| {
            let (start, end) = warden_detect::char_span(text, finding.start, finding.end);
            FindingView {
                entity: finding.entity.as_str().to_owned(),
                start,
                end,
                score: finding.score,
            }
        })
        .collect()
}

pub fn injection_view(injection: &Injection) -> InjectionView {
    InjectionView {
        score: injection.score,
        detected: injection.detected,
        reasons: injection.reasons.clone(),
    }
}

/// The texts of a NATS check after the decision: masked as obligations say, or withheld.
pub fn text_inspection(
    texts: &[String],
    inspection: &Inspection,
    decision: &Decision,
    direction: Direction,
) -> TextInspection {
    let mut reply = TextInspection {
        findings: texts
            .iter()
            .zip(&inspection.findings)
            .map(|(text, findings)| finding_views(text, findings))
            .collect(),
        injection: injection_view(&inspection.injection),
        masked: Vec::new(),
        blocked: None,
    };
    if !decision.allow {
        return reply;
    }
    let table = actions(&decision.obligations, direction);
    let mut placeholders = Placeholders::default();
    let mut masked = Vec::with_capacity(texts.len());
    for (text, findings) in texts.iter().zip(&inspection.findings) {
        let outcome = mask::apply(text, findings, &table, &mut placeholders);
        if let Some(blocked) = outcome.blocked {
            reply.blocked = Some(blocked.as_str().to_owned());
            return reply;
        }
        masked.push(outcome.text);
    }
    reply.masked = masked;
    reply
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obligations(requests: &[&str], responses: &[&str]) -> Obligations {
        Obligations {
            mask_requests: requests.iter().map(|s| s.to_string()).collect(),
            mask_responses: responses.iter().map(|s| s.to_string()).collect(),
            ..Obligations::default()
        }
    }

    #[test]
    fn the_strictest_action_wins() {
        let policy = Obligations {
            mask_responses: vec!["*".into()],
            redact_responses: vec!["pii".into()],
            block_responses: vec!["aws_access_key".into()],
            ..Obligations::default()
        };
        let table = actions(&policy, Direction::Response);
        assert_eq!(table.get(&EntityType::AwsAccessKey), Some(&Action::Block));
        assert_eq!(table.get(&EntityType::EmailAddress), Some(&Action::Redact));
        assert_eq!(table.get(&EntityType::Url), Some(&Action::Mask));
    }

    #[test]
    fn obligations_name_classes_or_types() {
        let table = actions(
            &obligations(&["pii", "aws_access_key"], &[]),
            Direction::Request,
        );
        assert_eq!(table.get(&EntityType::EmailAddress), Some(&Action::Mask));
        assert_eq!(table.get(&EntityType::Person), Some(&Action::Mask));
        assert_eq!(table.get(&EntityType::AwsAccessKey), Some(&Action::Mask));
        assert_eq!(table.get(&EntityType::GithubToken), None);
        assert!(actions(&obligations(&["pii"], &[]), Direction::Response).is_empty());
    }

    #[test]
    fn restores_only_what_responses_may_carry() {
        let mut placeholders = Placeholders::default();
        let email = placeholders.placeholder(EntityType::EmailAddress, "jane@example.com");
        let card = placeholders.placeholder(EntityType::CreditCard, "4111111111111111");
        let text = format!("Mail {email} about card {card} and <NOT_A_PLACEHOLDER_1> <");
        let restored = restore(&text, &placeholders, &obligations(&["pii"], &["financial"]));
        assert_eq!(
            restored,
            "Mail jane@example.com about card <CREDIT_CARD_1> and <NOT_A_PLACEHOLDER_1> <"
        );
    }

    #[test]
    fn stream_restorer_matches_whole_text_for_every_split() {
        let mut placeholders = Placeholders::default();
        let email = placeholders.placeholder(EntityType::EmailAddress, "jane@example.com");
        let text = format!("a <b {email}, x<y> {email}< end <");
        let policy = obligations(&[], &[]);
        let whole = restore(&text, &placeholders, &policy);
        let chars: Vec<char> = text.chars().collect();
        for cut in 0..chars.len() {
            for cut2 in cut..chars.len() {
                let parts = [
                    chars[..cut].iter().collect::<String>(),
                    chars[cut..cut2].iter().collect::<String>(),
                    chars[cut2..].iter().collect::<String>(),
                ];
                let mut restorer = StreamRestorer::default();
                let mut out = String::new();
                for part in &parts {
                    out.push_str(&restorer.push(part, &placeholders, &policy));
                }
                out.push_str(&restorer.finish(&placeholders, &policy));
                assert_eq!(out, whole, "cuts {cut} {cut2}");
            }
        }
    }
}
