//! Least-privilege review: what an agent can effectively do under a policy, against what it
//! declares.
//!
//! Method. Values probed per dimension (tool, model, resource, data class) are the agent's
//! declared ones plus every pattern written in the allow grants that select this agent (the same
//! subject rules as the Rego library; other grants cannot allow it), taken literally (a pattern
//! matches its own text, so probing `crm.*` asks "does the policy give this agent all of
//! `crm.*`?"). Each probe becomes actions of the kinds that carry that dimension, paired with the
//! declared and granted values of the other dimensions (or none), and is evaluated by the real
//! engine for this agent at every hour where a grant's window starts or ends, on every weekday
//! when a window names days (so windows cannot hide a permission), with no usage and the agent
//! not killed. Custom modules can only deny, so they cannot add permissions the probes miss. A probe is
//! *effective* if any of those is allowed. Declared but never allowed = *broken*; effective but
//! not covered by a declared value or pattern = *over-privileged*. *Broad grants* are allow
//! grants whose subject selects this agent and that use wildcards, admin-like tools, every data
//! class or no subject at all. Destinations are not declared by agents, so they are only used to
//! pair with other probes.

use crate::engine::PolicyEngine;
use crate::glob::glob_match;
use crate::grant::{Effect, Grant, WEEKDAYS};
use crate::input::{ActionInput, ActionKind, AgentInput, ContextInput, PolicyInput};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use warden_common::agents::Agent;

/// One permission: a value along one dimension (`tool`, `model`, `resource`, `data_class`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Permission {
    pub dimension: String,
    pub value: String,
    /// Grants that allowed it (empty when it is broken).
    pub grants: Vec<String>,
}

/// An allow grant worth a second look, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BroadGrant {
    pub grant: String,
    pub sentence: String,
    pub why: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    pub effective: Vec<Permission>,
    /// Effective beyond what the agent declares.
    pub over_privileged: Vec<Permission>,
    /// Declared but denied.
    pub broken: Vec<Permission>,
    pub broad_grants: Vec<BroadGrant>,
}

fn subject_selects(g: &Grant, agent: &Agent) -> bool {
    let s = &g.subject;
    (s.agents.is_empty() || s.agents.iter().any(|p| glob_match(p, &agent.name)))
        && s.labels.iter().all(|(k, v)| agent.labels.get(k) == Some(v))
        && (s.environments.is_empty() || s.environments.contains(&agent.environment))
}

fn broad_reasons(g: &Grant) -> Vec<String> {
    let mut why = Vec::new();
    if g.subject.is_empty() {
        why.push("applies to every agent".to_string());
    }
    for (dim, patterns) in [
        ("agent", &g.subject.agents),
        ("tool", &g.tools),
        ("model", &g.models),
        ("resource", &g.resources),
        ("destination", &g.destinations),
    ] {
        for p in patterns {
            if p == "*" || p.contains("**") || p == "*:*" {
                why.push(format!("{dim} pattern `{p}` matches every {dim}"));
            } else if p.contains('*') {
                why.push(format!("wildcard {dim} pattern `{p}`"));
            }
            if dim == "tool" && p.to_ascii_lowercase().contains("admin") {
                why.push(format!("admin-like tool `{p}`"));
            }
        }
    }
    if g.data_classes.iter().any(|c| c == "*") {
        why.push("covers every data class".to_string());
    }
    why
}

fn union(declared: &[String], granted: impl Iterator<Item = String>) -> Vec<String> {
    declared
        .iter()
        .cloned()
        .chain(granted)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// Reviews one agent under `engine`'s policy; see the module documentation for the method.
pub fn review(engine: &PolicyEngine, agent: &Agent) -> Review {
    let grants: Vec<&Grant> = engine
        .grants()
        .iter()
        .filter(|g| g.effect == Effect::Allow && subject_selects(g, agent))
        .collect();
    let caps = &agent.capabilities;
    let granted = |f: fn(&Grant) -> &Vec<String>| -> Vec<String> {
        grants.iter().flat_map(|g| f(g).iter().cloned()).collect()
    };
    let tools = union(&caps.tools, granted(|g| &g.tools).into_iter());
    let models = union(&caps.models, granted(|g| &g.models).into_iter());
    let resources = union(&caps.resources, granted(|g| &g.resources).into_iter());
    let classes = union(&caps.data_classes, granted(|g| &g.data_classes).into_iter());
    let destinations = union(&[], granted(|g| &g.destinations).into_iter());

    let mut hours: BTreeSet<u8> = [12].into();
    let mut days = vec!["wed"];
    for g in &grants {
        if let Some(w) = &g.window {
            hours.extend(w.from_hour.iter().chain(w.to_hour.iter()).map(|h| h % 24));
            if !w.days.is_empty() {
                days = WEEKDAYS.to_vec();
            }
        }
    }
    let probe = Prober {
        engine,
        agent: AgentInput::from(agent),
        days,
        hours: hours.into_iter().collect(),
    };
    let with_none = |v: &[String]| -> Vec<Option<String>> {
        std::iter::once(None)
            .chain(v.iter().cloned().map(Some))
            .collect()
    };
    let (res_opt, dest_opt) = (with_none(&resources), with_none(&destinations));

    let mut results: Vec<(&str, String, Option<Vec<String>>, bool)> = Vec::new();
    for t in &tools {
        let mut actions = Vec::new();
        for r in &res_opt {
            for d in &dest_opt {
                actions.push(action(
                    ActionKind::ToolCall,
                    Some(t),
                    r.as_ref(),
                    None,
                    d.as_ref(),
                    None,
                ));
            }
        }
        results.push((
            "tool",
            t.clone(),
            probe.first_allowed(&actions),
            caps.tools.contains(t),
        ));
    }
    for m in &models {
        let actions: Vec<ActionInput> = dest_opt
            .iter()
            .map(|d| action(ActionKind::LlmCall, None, None, Some(m), d.as_ref(), None))
            .collect();
        results.push((
            "model",
            m.clone(),
            probe.first_allowed(&actions),
            caps.models.contains(m),
        ));
    }
    for r in &resources {
        let mut actions = vec![
            action(ActionKind::ResourceAccess, None, Some(r), None, None, None),
            action(ActionKind::DataAccess, None, Some(r), None, None, None),
        ];
        for t in &tools {
            for d in &dest_opt {
                actions.push(action(
                    ActionKind::ToolCall,
                    Some(t),
                    Some(r),
                    None,
                    d.as_ref(),
                    None,
                ));
            }
        }
        results.push((
            "resource",
            r.clone(),
            probe.first_allowed(&actions),
            caps.resources.contains(r),
        ));
    }
    for c in &classes {
        let mut actions = Vec::new();
        for r in &res_opt {
            actions.push(action(
                ActionKind::DataAccess,
                None,
                r.as_ref(),
                None,
                None,
                Some(c),
            ));
            for t in &tools {
                actions.push(action(
                    ActionKind::ToolCall,
                    Some(t),
                    r.as_ref(),
                    None,
                    None,
                    Some(c),
                ));
            }
        }
        for m in &models {
            for d in &dest_opt {
                actions.push(action(
                    ActionKind::LlmCall,
                    None,
                    None,
                    Some(m),
                    d.as_ref(),
                    Some(c),
                ));
            }
        }
        results.push((
            "data_class",
            c.clone(),
            probe.first_allowed(&actions),
            caps.data_classes.contains(c),
        ));
    }

    let declared_covers = |dim: &str, value: &str| -> bool {
        let list = match dim {
            "tool" => &caps.tools,
            "model" => &caps.models,
            "resource" => &caps.resources,
            _ => &caps.data_classes,
        };
        list.iter().any(|d| d == value || glob_match(d, value))
    };
    let mut out = Review::default();
    for (dim, value, allowed, declared) in results {
        match allowed {
            Some(grants) => {
                let p = Permission {
                    dimension: dim.to_string(),
                    value: value.clone(),
                    grants,
                };
                if !declared_covers(dim, &value) {
                    out.over_privileged.push(p.clone());
                }
                out.effective.push(p);
            }
            None if declared => out.broken.push(Permission {
                dimension: dim.to_string(),
                value,
                grants: Vec::new(),
            }),
            None => {}
        }
    }
    out.broad_grants = grants
        .iter()
        .filter_map(|g| {
            let why = broad_reasons(g);
            (!why.is_empty()).then(|| BroadGrant {
                grant: g.id.clone(),
                sentence: g.sentence(),
                why,
            })
        })
        .collect();
    out
}

fn action(
    kind: ActionKind,
    tool: Option<&String>,
    resource: Option<&String>,
    model: Option<&String>,
    destination: Option<&String>,
    class: Option<&String>,
) -> ActionInput {
    ActionInput {
        kind,
        tool: tool.cloned(),
        resource: resource.cloned(),
        model: model.cloned(),
        data_classes: class.into_iter().cloned().collect(),
        destination: destination.cloned(),
    }
}

struct Prober<'a> {
    engine: &'a PolicyEngine,
    agent: AgentInput,
    days: Vec<&'static str>,
    hours: Vec<u8>,
}

impl Prober<'_> {
    /// The grants allowing the first of `actions` allowed at any probed time.
    fn first_allowed(&self, actions: &[ActionInput]) -> Option<Vec<String>> {
        for action in actions {
            for day in &self.days {
                for hour in &self.hours {
                    let input = PolicyInput {
                        agent: self.agent.clone(),
                        action: action.clone(),
                        context: ContextInput {
                            time: String::new(),
                            hour: *hour,
                            weekday: day.to_string(),
                            usage: BTreeMap::new(),
                            killed: false,
                        },
                        findings: BTreeMap::new(),
                    };
                    let decision = self.engine.evaluate(&input);
                    if decision.allow {
                        return Some(decision.grants);
                    }
                }
            }
        }
        None
    }
}
