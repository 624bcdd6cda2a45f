//! Grants: structured, human-readable permission statements a security engineer writes. Stored as
//! JSON, shown as one sentence, compiled into `data.warden.grants` for the base library.

use crate::error::CompileError;
use crate::glob::MAX_STARS;
use crate::input::ActionKind;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Whether a grant allows or denies; a matching deny always wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Effect {
    Allow,
    Deny,
}

/// Which agents a grant speaks about; every selector given must hold, none given = every agent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subject {
    /// Agent names or name patterns (`helpdesk-*`).
    #[serde(default)]
    pub agents: Vec<String>,
    /// Labels the agent must carry, exactly.
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// Environments, e.g. `production`.
    #[serde(default)]
    pub environments: Vec<String>,
}

impl Subject {
    pub fn is_empty(&self) -> bool {
        self.agents.is_empty() && self.labels.is_empty() && self.environments.is_empty()
    }
}

/// When a grant holds, in UTC: days (`mon`…`sun`, none = every day) and hours `[from, to)`,
/// wrapping past midnight when `from_hour > to_hour`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Window {
    #[serde(default)]
    pub days: Vec<String>,
    #[serde(default)]
    pub from_hour: Option<u8>,
    #[serde(default)]
    pub to_hour: Option<u8>,
}

/// What the enforcer must do to an action this grant allows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GrantObligations {
    /// Data classes masked before the request leaves (they then count as covered).
    #[serde(default)]
    pub mask_requests: Vec<String>,
    /// Data classes masked in responses.
    #[serde(default)]
    pub mask_responses: Vec<String>,
    /// Data classes replaced by `<REDACTED>` before the request leaves (they count as covered).
    #[serde(default)]
    pub redact_requests: Vec<String>,
    /// Data classes replaced by `<REDACTED>` in responses.
    #[serde(default)]
    pub redact_responses: Vec<String>,
    /// Data classes that stop the request outright, even where `data_classes` covers them.
    #[serde(default)]
    pub block_requests: Vec<String>,
    /// Data classes that stop the response (a stream ends with an error event).
    #[serde(default)]
    pub block_responses: Vec<String>,
}

impl GrantObligations {
    pub fn is_empty(&self) -> bool {
        self.lists().iter().all(|(_, list)| list.is_empty())
    }

    /// Every list with how a sentence names it.
    pub fn lists(&self) -> [(&'static str, &Vec<String>); 6] {
        [
            ("masked in requests", &self.mask_requests),
            ("masked in responses", &self.mask_responses),
            ("redacted in requests", &self.redact_requests),
            ("redacted in responses", &self.redact_responses),
            ("blocked in requests", &self.block_requests),
            ("blocked in responses", &self.block_responses),
        ]
    }
}

/// One readable permission statement. Empty pattern lists leave that dimension unconstrained;
/// for an allow grant, `data_classes` must cover every class the action touches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grant {
    /// Slug: lowercase letters, digits and `-`; unique within a policy.
    pub id: String,
    pub effect: Effect,
    #[serde(default)]
    pub subject: Subject,
    /// Action kinds covered; none = every kind (deny grants only).
    #[serde(default)]
    pub actions: Vec<ActionKind>,
    #[serde(default)]
    pub tools: Vec<String>,
    #[serde(default)]
    pub models: Vec<String>,
    #[serde(default)]
    pub resources: Vec<String>,
    #[serde(default)]
    pub destinations: Vec<String>,
    #[serde(default)]
    pub data_classes: Vec<String>,
    /// Allowed actions per UTC day under this grant; the enforcer counts them per grant id.
    #[serde(default)]
    pub daily_limit: Option<u64>,
    #[serde(default)]
    pub window: Option<Window>,
    #[serde(default)]
    pub obligations: GrantObligations,
}

pub(crate) const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

fn check_patterns(what: &str, patterns: &[String], problems: &mut Vec<String>) {
    for p in patterns {
        if p.is_empty() || p.chars().any(char::is_whitespace) {
            problems.push(format!(
                "{what} pattern `{p}` must be non-empty and without spaces"
            ));
        } else if p.matches('*').count() > MAX_STARS {
            problems.push(format!(
                "{what} pattern `{p}` has more than {MAX_STARS} `*`"
            ));
        }
    }
}

fn check_words(what: &str, words: &[String], problems: &mut Vec<String>) {
    for w in words {
        if w.is_empty() || w.chars().any(char::is_whitespace) {
            problems.push(format!("{what} `{w}` must be non-empty and without spaces"));
        }
    }
}

impl Grant {
    /// A new grant with every list empty; fill in the fields that matter.
    pub fn new(id: impl Into<String>, effect: Effect) -> Self {
        Grant {
            id: id.into(),
            effect,
            subject: Subject::default(),
            actions: Vec::new(),
            tools: Vec::new(),
            models: Vec::new(),
            resources: Vec::new(),
            destinations: Vec::new(),
            data_classes: Vec::new(),
            daily_limit: None,
            window: None,
            obligations: GrantObligations::default(),
        }
    }

    /// Every problem at once, so the author fixes them in one go; an error names the grant.
    pub fn validate(&self) -> Result<(), CompileError> {
        let mut problems = Vec::new();
        if !is_slug(&self.id) {
            problems.push(format!(
                "id `{}` must be 1-63 lowercase letters, digits or `-`, starting with a letter or digit",
                self.id
            ));
        }
        check_patterns("agent", &self.subject.agents, &mut problems);
        check_words("environment", &self.subject.environments, &mut problems);
        for (k, v) in &self.subject.labels {
            if k.is_empty() || v.is_empty() {
                problems.push(format!("label `{k}={v}` needs both a key and a value"));
            }
        }
        check_patterns("tool", &self.tools, &mut problems);
        check_patterns("model", &self.models, &mut problems);
        check_patterns("resource", &self.resources, &mut problems);
        check_patterns("destination", &self.destinations, &mut problems);
        check_words("data class", &self.data_classes, &mut problems);
        for (_, list) in self.obligations.lists() {
            check_words("obligation data class", list, &mut problems);
        }
        match self.effect {
            Effect::Allow => {
                if self.actions.is_empty() {
                    problems
                        .push("an allow grant must name the kinds of action it allows".to_string());
                }
                for kind in &self.actions {
                    let (named, what) = match kind {
                        ActionKind::ToolCall => (!self.tools.is_empty(), "tools"),
                        ActionKind::LlmCall => (!self.models.is_empty(), "models"),
                        ActionKind::ResourceAccess => (!self.resources.is_empty(), "resources"),
                        ActionKind::DataAccess => (
                            !self.resources.is_empty() || !self.data_classes.is_empty(),
                            "resources or data classes",
                        ),
                    };
                    if !named {
                        problems.push(format!(
                            "an allow grant for {} must name the {what} it allows (use `*` for any)",
                            kind.as_str()
                        ));
                    }
                }
                if self.daily_limit == Some(0) {
                    problems.push(
                        "a daily limit of 0 allows nothing; use a deny grant instead".to_string(),
                    );
                }
            }
            Effect::Deny => {
                if self.daily_limit.is_some() {
                    problems.push("a deny grant cannot have a daily limit".to_string());
                }
                if !self.obligations.is_empty() {
                    problems.push("a deny grant cannot have obligations".to_string());
                }
                if self.subject.is_empty()
                    && self.actions.is_empty()
                    && self.tools.is_empty()
                    && self.models.is_empty()
                    && self.resources.is_empty()
                    && self.destinations.is_empty()
                    && self.data_classes.is_empty()
                    && self.window.is_none()
                {
                    problems.push(
                        "a deny grant with no selector would deny every action of every agent"
                            .to_string(),
                    );
                }
            }
        }
        let mut kinds = self.actions.clone();
        kinds.sort();
        kinds.dedup();
        if kinds.len() != self.actions.len() {
            problems.push("an action kind is listed twice".to_string());
        }
        if let Some(w) = &self.window {
            for d in &w.days {
                if !WEEKDAYS.contains(&d.as_str()) {
                    problems.push(format!(
                        "day `{d}` must be one of mon, tue, wed, thu, fri, sat, sun"
                    ));
                }
            }
            match (w.from_hour, w.to_hour) {
                (None, None) => {
                    if w.days.is_empty() {
                        problems.push("a time window needs days, hours or both".to_string());
                    }
                }
                (Some(from), Some(to)) => {
                    if from > 23 || to > 24 || from == to {
                        problems.push(format!(
                            "hours {from}-{to} must satisfy 0 <= from <= 23, 0 <= to <= 24 and from != to"
                        ));
                    }
                }
                _ => problems.push("a time window needs both from_hour and to_hour".to_string()),
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(CompileError::new(
                format!("grant:{}", self.id),
                problems.join("; "),
            ))
        }
    }

    /// The grant as one English sentence, e.g. "Agents labelled team=support may call tool
    /// crm.read on customers/*, at most 500 times a day, with pii masked in responses."
    pub fn sentence(&self) -> String {
        let mut s = self.subject_phrase();
        s.push_str(match self.effect {
            Effect::Allow => " may ",
            Effect::Deny => " may not ",
        });
        s.push_str(&self.action_phrase());
        if !self.resources.is_empty() && !self.actions.contains(&ActionKind::ResourceAccess) {
            s.push_str(" on ");
            s.push_str(&or_list(&self.resources));
        }
        if !self.destinations.is_empty() {
            s.push_str(" sending to ");
            s.push_str(&or_list(&self.destinations));
        }
        if !self.data_classes.is_empty() && self.actions != [ActionKind::DataAccess] {
            s.push_str(match self.effect {
                Effect::Allow => " handling ",
                Effect::Deny => " involving ",
            });
            s.push_str(&or_list(&self.data_classes));
            s.push_str(" data");
        }
        if let Some(w) = &self.window {
            if !w.days.is_empty() {
                s.push_str(" on ");
                s.push_str(&or_list(&w.days));
            }
            if let (Some(from), Some(to)) = (w.from_hour, w.to_hour) {
                s.push_str(&format!(" between {from:02}:00 and {to:02}:00 UTC"));
            }
        }
        if let Some(limit) = self.daily_limit {
            let times = if limit == 1 { "time" } else { "times" };
            s.push_str(&format!(", at most {limit} {times} a day"));
        }
        let masks: Vec<String> = self
            .obligations
            .lists()
            .into_iter()
            .filter(|(_, list)| !list.is_empty())
            .map(|(how, list)| format!("{} {how}", and_list(list)))
            .collect();
        if !masks.is_empty() {
            s.push_str(", with ");
            s.push_str(&masks.join(" and "));
        }
        s.push('.');
        s
    }

    fn subject_phrase(&self) -> String {
        let sub = &self.subject;
        let mut s = match sub.agents.as_slice() {
            [] if sub.labels.is_empty() && sub.environments.is_empty() => {
                return "Every agent".to_string();
            }
            [] => "Agents".to_string(),
            [one] if !one.contains('*') => format!("Agent {one}"),
            many => format!("Agents named {}", or_list(many)),
        };
        if !sub.labels.is_empty() {
            let labels: Vec<String> = sub.labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
            s.push_str(" labelled ");
            s.push_str(&and_list(&labels));
        }
        if !sub.environments.is_empty() {
            s.push_str(" in ");
            s.push_str(&or_list(&sub.environments));
        }
        s
    }

    fn action_phrase(&self) -> String {
        if self.actions.is_empty() {
            return "do anything".to_string();
        }
        let phrases: Vec<String> = self
            .actions
            .iter()
            .map(|kind| match kind {
                ActionKind::ToolCall => named("call", "tool", "tools", &self.tools),
                ActionKind::LlmCall => named("use", "model", "models", &self.models),
                ActionKind::ResourceAccess => {
                    if self.resources.is_empty() {
                        "access any resource".to_string()
                    } else {
                        format!("access {}", or_list(&self.resources))
                    }
                }
                ActionKind::DataAccess => {
                    if self.data_classes.is_empty() {
                        "access data".to_string()
                    } else {
                        format!("access {} data", or_list(&self.data_classes))
                    }
                }
            })
            .collect();
        phrases.join(" or ")
    }
}

fn named(verb: &str, one: &str, many: &str, patterns: &[String]) -> String {
    match patterns {
        [] => format!("{verb} any {one}"),
        [p] if p == "*" => format!("{verb} any {one}"),
        [p] => format!("{verb} {one} {p}"),
        ps => format!("{verb} {many} {}", or_list(ps)),
    }
}

fn join(items: &[String], last: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., tail] => format!("{} {last} {tail}", init.join(", ")),
    }
}

fn or_list(items: &[String]) -> String {
    join(items, "or")
}

fn and_list(items: &[String]) -> String {
    join(items, "and")
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn support_crm_read() -> Grant {
        let mut g = Grant::new("support-crm-read", Effect::Allow);
        g.subject.labels.insert("team".into(), "support".into());
        g.actions = vec![ActionKind::ToolCall];
        g.tools = vec!["crm.read".into()];
        g.resources = vec!["customers/*".into()];
        g.daily_limit = Some(500);
        g.obligations.mask_responses = vec!["PII".into()];
        g
    }

    #[test]
    fn sentence_reads_like_the_issue() {
        assert_eq!(
            support_crm_read().sentence(),
            "Agents labelled team=support may call tool crm.read on customers/*, at most 500 times a day, with PII masked in responses."
        );
    }

    #[test]
    fn deny_and_window_sentences() {
        let mut g = Grant::new("no-admin", Effect::Deny);
        g.subject.environments = vec!["production".into()];
        g.actions = vec![ActionKind::ToolCall];
        g.tools = vec!["*.admin".into(), "admin*".into()];
        assert_eq!(
            g.sentence(),
            "Agents in production may not call tools *.admin or admin*."
        );
        let mut g = Grant::new("office-llm", Effect::Allow);
        g.subject.agents = vec!["helpdesk-bot".into()];
        g.actions = vec![ActionKind::LlmCall];
        g.models = vec!["gpt-4o-mini".into()];
        g.destinations = vec!["api.openai.com".into()];
        g.window = Some(Window {
            days: vec!["mon".into(), "tue".into(), "wed".into()],
            from_hour: Some(8),
            to_hour: Some(18),
        });
        assert_eq!(
            g.sentence(),
            "Agent helpdesk-bot may use model gpt-4o-mini sending to api.openai.com on mon, tue or wed between 08:00 and 18:00 UTC."
        );
    }

    #[test]
    fn validate_reports_every_problem() {
        assert!(support_crm_read().validate().is_ok());
        let mut g = Grant::new("Bad Id", Effect::Allow);
        g.actions = vec![ActionKind::ToolCall];
        g.resources = vec!["a*b*c*d".into()];
        g.window = Some(Window {
            days: vec!["someday".into()],
            from_hour: Some(9),
            to_hour: None,
        });
        let err = g.validate().expect_err("invalid grant");
        assert_eq!(err.file, "grant:Bad Id");
        for expected in [
            "id `Bad Id`",
            "must name the tools",
            "more than 2 `*`",
            "day `someday`",
            "both from_hour and to_hour",
        ] {
            assert!(
                err.message.contains(expected),
                "{expected} missing in {err}"
            );
        }
        let mut deny = Grant::new("deny-all", Effect::Deny);
        assert!(deny.validate().is_err());
        deny.daily_limit = Some(3);
        deny.tools = vec!["x".into()];
        assert!(deny.validate().is_err());
    }

    #[test]
    fn grants_round_trip_as_json_and_reject_unknown_fields() {
        let g = support_crm_read();
        let json = serde_json::to_string(&g).expect("serialises");
        let back: Grant = serde_json::from_str(&json).expect("parses");
        assert_eq!(back, g);
        let typo = r#"{"id":"x","effect":"allow","tool":["crm.read"]}"#;
        assert!(serde_json::from_str::<Grant>(typo).is_err());
    }
}
