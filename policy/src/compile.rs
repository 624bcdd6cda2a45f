//! Grants → Rego data plus generated Rego tests, deterministically.
//!
//! Design: the base library (`policies/warden/authz.rego`) is the only Rego that matches grants;
//! each grant compiles to its object in `data.warden.grants` (sorted by id), to its prepared form
//! in `data.warden.index` (what decisions match; the library can build the same index itself),
//! and to one generated test module that checks, with concrete inputs derived from the grant as written,
//! that the *shipped* data and library allow (or deny) what the grant says and nothing just
//! outside it. Change the compiled grant (another tool, a wider resource, a higher limit) and its
//! tests fail. Custom modules sit beside grants in `package warden.custom.<name>` and deny by
//! adding reasons to their `deny` set.

use crate::error::CompileError;
use crate::glob::{instantiate, outside};
use crate::grant::{Effect, Grant, WEEKDAYS};
use crate::input::ActionKind;
use crate::rego::{Module, base_modules, load};
use serde_json::{Value, json};
use std::collections::BTreeSet;

/// The rule enforcers evaluate.
pub const DECISION_RULE: &str = "data.warden.authz.decision";
/// The decision with near misses among its reasons, for "try it"; not evaluated when enforcing.
pub const EXPLANATION_RULE: &str = "data.warden.authz.explanation";

/// What [`compile`] produces: what a bundle ships (`modules`, `data`, `grants`) plus the
/// generated tests the control plane runs before publishing.
#[derive(Debug, Clone, PartialEq)]
pub struct CompiledPolicy {
    /// The base library, then custom modules sorted by path.
    pub modules: Vec<Module>,
    /// `{"warden": {"grants": [...]}}`.
    pub data: Value,
    /// One `generated/<id>_test.rego` per grant, sorted by id.
    pub tests: Vec<Module>,
    /// The grants, validated and sorted by id.
    pub grants: Vec<Grant>,
}

/// Validates grants and custom modules and compiles them; the same input always gives
/// byte-identical modules, data and tests. Rego that does not parse or compile is an error with
/// its file, line and column.
pub fn compile(
    grants: &[Grant],
    custom_modules: &[(String, String)],
) -> Result<CompiledPolicy, CompileError> {
    let mut grants = grants.to_vec();
    grants.sort_by(|a, b| a.id.cmp(&b.id));
    for g in &grants {
        g.validate()?;
    }
    for pair in grants.windows(2) {
        if let [a, b] = pair
            && a.id == b.id
        {
            return Err(CompileError::new(
                format!("grant:{}", a.id),
                "two grants share this id",
            ));
        }
    }

    let mut modules = base_modules();
    let mut custom: Vec<Module> = custom_modules
        .iter()
        .map(|(path, rego)| Module::new(path.clone(), rego.clone()))
        .collect();
    custom.sort();
    for m in &custom {
        if !m.path.ends_with(".rego")
            || m.path.starts_with("generated/")
            || modules.iter().any(|b| b.path == m.path)
            || custom.iter().filter(|o| o.path == m.path).count() > 1
        {
            return Err(CompileError::new(
                m.path.clone(),
                "a custom module needs a unique path ending in .rego, outside generated/ and apart from the base library",
            ));
        }
    }
    let custom_count = custom.len();
    modules.extend(custom);

    let data = json!({ "warden": { "grants": grants, "index": build_index(&grants) } });
    let tests: Vec<Module> = grants.iter().map(generated_tests).collect();

    // Parse and compile everything now, so errors surface while authoring, not at enforcement.
    let mut all = modules.clone();
    all.extend(tests.iter().cloned());
    let (mut engine, packages) = load(&all, &data)?;
    let base_count = modules.len() - custom_count;
    for (m, package) in modules.iter().zip(&packages).skip(base_count) {
        if !package.starts_with("data.warden.custom.") {
            return Err(CompileError {
                file: m.path.clone(),
                line: 1,
                column: 1,
                message: format!(
                    "custom modules must be in `package warden.custom.<name>`, not `{}`",
                    package.trim_start_matches("data.")
                ),
            });
        }
    }
    engine
        .compile_with_entrypoint(&DECISION_RULE.into())
        .map_err(|e| CompileError::from_regorus("policy", &e))?;
    // regorus resolves functions only when a call is evaluated, so decide once on a sample input
    // to surface unknown functions and type errors in code every decision runs (custom `deny`
    // bodies included). Errors in branches the sample does not reach fail closed at runtime.
    let sample = grants
        .first()
        .map(in_scope_input)
        .unwrap_or_else(|| in_scope_input(&Grant::new("sample", Effect::Allow)));
    engine.set_input(crate::rego::to_regorus(&sample)?);
    engine
        .eval_rule(DECISION_RULE.to_string())
        .map_err(|e| CompileError::from_regorus("policy", &e))?;

    Ok(CompiledPolicy {
        modules,
        data,
        tests,
        grants,
    })
}

impl CompiledPolicy {
    /// Runs the generated tests of every grant against the compiled modules and data; the
    /// control plane publishes only when they all pass.
    pub fn run_tests(&self) -> Result<Vec<crate::rego::TestOutcome>, CompileError> {
        let mut modules = self.modules.clone();
        modules.extend(self.tests.iter().cloned());
        crate::rego::run_rego_tests(&modules, &self.data)
    }
}

/// `warden.generated.grant_<id with _ for ->`: ids are slugs without `_`, so this is unique.
pub fn test_package(grant_id: &str) -> String {
    format!("warden.generated.grant_{}", grant_id.replace('-', "_"))
}

/// The grant's key in the index: its first label as `key=value` (labels sorted by key), or `*`.
/// Must agree with `selector_key` in the base library.
pub fn selector_key(g: &Grant) -> String {
    match g.subject.labels.iter().next() {
        Some((k, v)) => format!("{k}={v}"),
        None => "*".to_string(),
    }
}

/// Longer than any string, for patterns' `max`.
const ANY_LENGTH: u64 = 1_000_000_000;
/// A daily limit never reached (2^53 - 1, exact in every JSON reader).
const UNLIMITED: u64 = 9_007_199_254_740_991;

/// A pattern as the library matches it: see "Preparing grants" in `policies/warden/authz.rego`.
fn prepare_pattern(p: &str) -> Value {
    let parts: Vec<&str> = p.split('*').collect();
    let count = |s: &str| s.chars().count() as u64;
    match parts.as_slice() {
        [exact] => json!({
            "prefix": exact, "start": count(exact), "middle": "", "suffix": "",
            "fixed": count(exact), "min": 0, "max": 0,
        }),
        [first, middle @ .., last] => {
            let middle = middle.concat();
            json!({
                "prefix": first, "start": count(first), "middle": middle, "suffix": last,
                "fixed": count(first) + count(last), "min": count(&middle), "max": ANY_LENGTH,
            })
        }
        [] => prepare_pattern("*"),
    }
}

/// The constrained dimensions (key, input path, patterns), in the library's order.
fn dimensions(g: &Grant) -> Vec<(&'static str, [&'static str; 2], &[String])> {
    [
        ("tool", ["action", "tool"], g.tools.as_slice()),
        ("resource", ["action", "resource"], &g.resources),
        ("model", ["action", "model"], &g.models),
        ("destination", ["action", "destination"], &g.destinations),
        ("agent", ["agent", "name"], &g.subject.agents),
        (
            "environment",
            ["agent", "environment"],
            &g.subject.environments,
        ),
    ]
    .into_iter()
    .filter(|(_, _, patterns)| !patterns.is_empty())
    .collect()
}

/// The constrained dimensions with their prepared patterns, in the library's order.
fn prepare_checks(g: &Grant) -> Value {
    Value::Array(
        dimensions(g)
            .into_iter()
            .map(|(key, _, patterns)| {
                let patterns: Vec<Value> = patterns.iter().map(|p| prepare_pattern(p)).collect();
                json!({ "key": key, "patterns": patterns })
            })
            .collect(),
    )
}

fn all_exact(patterns: &[String]) -> bool {
    patterns.iter().all(|p| !p.contains('*'))
}

/// The hot path's checks: dimensions whose patterns are all exact, as value → true lookups.
fn prepare_exact(g: &Grant) -> Value {
    Value::Array(
        dimensions(g)
            .into_iter()
            .filter(|(_, _, patterns)| all_exact(patterns))
            .map(|(_, path, patterns)| {
                let values: serde_json::Map<String, Value> =
                    patterns.iter().map(|p| (p.clone(), json!(true))).collect();
                json!({ "path": path, "values": values })
            })
            .collect(),
    )
}

/// The hot path's checks: the other dimensions, with their prepared patterns.
fn prepare_globs(g: &Grant) -> Value {
    Value::Array(
        dimensions(g)
            .into_iter()
            .filter(|(_, _, patterns)| !all_exact(patterns))
            .map(|(_, path, patterns)| {
                let patterns: Vec<Value> = patterns.iter().map(|p| prepare_pattern(p)).collect();
                json!({ "path": path, "patterns": patterns })
            })
            .collect(),
    )
}

/// Data classes only a grant naming them covers (`explicit_classes` in the base library).
const EXPLICIT_CLASSES: [&str; 1] = ["prompt_injection"];

/// The grant as the library matches it (same as `prepare` in the base library).
fn prepare(g: &Grant) -> Value {
    let window = g.window.clone().unwrap_or_default();
    let days: Vec<&str> = WEEKDAYS
        .iter()
        .copied()
        .filter(|d| window.days.is_empty() || window.days.iter().any(|x| x == d))
        .collect();
    let hours: Vec<u8> = (0..24)
        .filter(|h| match (window.from_hour, window.to_hour) {
            (Some(from), Some(to)) if from <= to => (from..to).contains(h),
            (Some(from), Some(to)) => *h >= from || *h < to,
            _ => true,
        })
        .collect();
    let mut cover = serde_json::Map::new();
    // Classes `*` does not cover are `false` unless the grant names them (see the base library).
    for class in EXPLICIT_CLASSES {
        cover.insert(class.to_owned(), json!(false));
    }
    let (masked, redacted): (&[String], &[String]) = match g.effect {
        Effect::Allow => (&g.obligations.mask_requests, &g.obligations.redact_requests),
        Effect::Deny => (&[], &[]),
    };
    for c in g
        .data_classes
        .iter()
        .chain(masked)
        .chain(redacted)
        .filter(|c| *c != "*")
    {
        cover.insert(c.clone(), json!(true));
    }
    let any_class = g.data_classes.iter().any(|c| c == "*")
        || (g.effect == Effect::Deny && g.data_classes.is_empty());
    // A deny grant's cover answers `*` with `any_class` (the library probes it).
    if g.effect == Effect::Deny {
        cover.insert("*".to_owned(), json!(any_class));
    }
    let obligations = sorted_obligations(&g.obligations);
    let mut prepared = json!({
        "id": g.id,
        "effect": g.effect,
        "allows": g.effect == Effect::Allow,
        "labels": g.subject.labels,
        "checks": prepare_checks(g),
        "exact": prepare_exact(g),
        "globs": prepare_globs(g),
        "when": days.iter().map(|d| (d.to_string(), json!(hours))).collect::<serde_json::Map<_, _>>(),
        "days": days,
        "hours": hours,
        "cover": cover,
        "any_class": any_class,
        "limit": g.daily_limit.unwrap_or(UNLIMITED),
        "obligations": obligations.clone(),
    });
    // An allow grant carries the decision it gives when it is the only one allowing.
    if g.effect == Effect::Allow {
        prepared["decision"] = json!({
            "allow": true,
            "reasons": [format!("allowed by grant {}", g.id)],
            "obligations": obligations,
            "grants": [g.id],
        });
    }
    prepared
}

/// `data.warden.index`: kind → selector key → prepared grants (sorted by id), every kind
/// present; the same index the base library builds from `data.warden.grants` when none is shipped.
fn build_index(grants: &[Grant]) -> Value {
    let mut index = serde_json::Map::new();
    for kind in ActionKind::ALL {
        let mut by_key: std::collections::BTreeMap<String, Vec<Value>> = Default::default();
        for g in grants {
            if g.actions.is_empty() || g.actions.contains(&kind) {
                by_key.entry(selector_key(g)).or_default().push(prepare(g));
            }
        }
        index.insert(kind.as_str().to_string(), json!(by_key));
    }
    Value::Object(index)
}

/// An input the grant, as written, speaks about.
fn in_scope_input(g: &Grant) -> Value {
    let s = &g.subject;
    let kind = g.actions.first().copied().unwrap_or(ActionKind::ToolCall);
    let mut action = json!({ "kind": kind, "data_classes": [] });
    let first = |patterns: &[String], fallback: Option<&str>| -> Option<String> {
        patterns
            .first()
            .map(|p| instantiate(p))
            .or(fallback.map(str::to_string))
    };
    let fields = [
        (
            "tool",
            first(
                &g.tools,
                (kind == ActionKind::ToolCall).then_some("probe.tool"),
            ),
        ),
        (
            "model",
            first(
                &g.models,
                (kind == ActionKind::LlmCall).then_some("probe-model"),
            ),
        ),
        ("resource", first(&g.resources, None)),
        ("destination", first(&g.destinations, None)),
    ];
    for (key, value) in fields {
        if let Some(v) = value {
            action[key] = json!(v);
        }
    }
    let class = match g.data_classes.iter().find(|c| *c != "*") {
        Some(c) => Some(c.clone()),
        None if g.effect == Effect::Deny && !g.data_classes.is_empty() => {
            Some("probe-class".to_string())
        }
        None => None,
    };
    if let Some(c) = class {
        action["data_classes"] = json!([c]);
    }
    let window = g.window.clone().unwrap_or_default();
    let mut usage = serde_json::Map::new();
    if let Some(limit) = g.daily_limit {
        usage.insert(g.id.clone(), json!(limit.saturating_sub(1)));
    }
    json!({
        "agent": {
            "id": "00000000-0000-0000-0000-000000000000",
            "name": first(&s.agents, Some("probe-agent")),
            "labels": s.labels,
            "environment": s.environments.first().cloned().unwrap_or_else(|| "production".to_string()),
            "owner_team": "probe",
        },
        "action": action,
        "context": {
            "time": "2026-01-01T12:00:00Z",
            "hour": window.from_hour.unwrap_or(12),
            "weekday": window.days.first().cloned().unwrap_or_else(|| "wed".to_string()),
            "usage": usage,
            "killed": false,
        },
        "findings": {},
    })
}

/// Inputs just outside the grant, one dimension at a time, named for the test rule.
fn out_of_scope_inputs(g: &Grant, base: &Value) -> Vec<(String, Value)> {
    let mut cases = Vec::new();
    let mut case = |name: &str, path: &[&str], value: Value| {
        let mut input = base.clone();
        let mut slot = &mut input;
        for key in path {
            slot = &mut slot[*key];
        }
        *slot = value;
        cases.push((name.to_string(), input));
    };
    let s = &g.subject;
    if let Some((k, v)) = s.labels.iter().next() {
        case(
            "other_label",
            &["agent", "labels", k.as_str()],
            json!(format!("{v}-other")),
        );
    }
    if !s.agents.is_empty()
        && let Some(name) = outside(&s.agents, "agent")
    {
        case("other_agent", &["agent", "name"], json!(name));
    }
    if !s.environments.is_empty()
        && let Some(env) = outside(&s.environments, "environment")
    {
        case("other_environment", &["agent", "environment"], json!(env));
    }
    if !g.actions.is_empty() {
        for kind in ActionKind::ALL.iter().filter(|k| !g.actions.contains(k)) {
            case(
                &format!("kind_{}", kind.as_str()),
                &["action", "kind"],
                json!(kind),
            );
        }
    }
    for (name, key, patterns) in [
        ("other_tool", "tool", &g.tools),
        ("other_model", "model", &g.models),
        ("other_resource", "resource", &g.resources),
        ("other_destination", "destination", &g.destinations),
    ] {
        if !patterns.is_empty()
            && let Some(v) = outside(patterns, key)
        {
            case(name, &["action", key], json!(v));
        }
    }
    match g.effect {
        Effect::Allow if !g.data_classes.iter().any(|c| c == "*") => {
            let mut classes: Vec<Value> = base["action"]["data_classes"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            classes.push(json!("zz-unlisted-class"));
            case(
                "uncovered_data_class",
                &["action", "data_classes"],
                Value::Array(classes),
            );
        }
        Effect::Deny if !g.data_classes.is_empty() => {
            case(
                "no_listed_data_class",
                &["action", "data_classes"],
                json!([]),
            );
        }
        _ => {}
    }
    if let Some(limit) = g.daily_limit {
        case(
            "at_daily_limit",
            &["context", "usage", g.id.as_str()],
            json!(limit),
        );
    }
    if let Some(w) = &g.window {
        if !w.days.is_empty()
            && let Some(day) = WEEKDAYS.iter().find(|d| !w.days.iter().any(|x| x == *d))
        {
            case("outside_days", &["context", "weekday"], json!(day));
        }
        if let (Some(from), Some(to)) = (w.from_hour, w.to_hour) {
            let hour = if from > to || to < 24 {
                Some(to)
            } else if from > 0 {
                Some(from - 1)
            } else {
                None
            };
            if let Some(h) = hour {
                case("outside_hours", &["context", "hour"], json!(h));
            }
        }
    }
    cases
}

/// A grant's obligations as decisions carry them: every list sorted, without repeats.
fn sorted_obligations(obligations: &crate::GrantObligations) -> Value {
    let mut lists = obligations.clone();
    for list in [
        &mut lists.mask_requests,
        &mut lists.mask_responses,
        &mut lists.redact_requests,
        &mut lists.redact_responses,
        &mut lists.block_requests,
        &mut lists.block_responses,
    ] {
        *list = sorted(list);
    }
    serde_json::to_value(lists).unwrap_or(Value::Null)
}

fn sorted(items: &[String]) -> Vec<String> {
    items
        .iter()
        .cloned()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// The generated test module of one grant.
pub fn generated_tests(g: &Grant) -> Module {
    let id = json!(g.id).to_string();
    let base = in_scope_input(g);
    let mut rego = format!(
        "# Generated by warden-policy from grant {id}; do not edit.\n# {}\npackage {}\n\n\
         import data.warden.authz\n\n\
         grant := [g | some g in data.warden.grants; g.id == {id}]\n\n\
         # The compiled index, keeping only this grant where the compiler filed it.\n\
         index := {{kind: {{key: [g | some g in gs; g.id == {id}] | some key, gs in m}} | some kind, m in data.warden.index}}\n\n\
         decide(inp) := d if {{\n\td := authz.decision with input as inp with data.warden.grants as grant with data.warden.index as index\n}}\n\n\
         in_scope := {base}\n\n\
         test_grant_is_compiled if count(grant) == 1\n\n",
        g.sentence().replace('\n', " "),
        test_package(&g.id),
    );
    match g.effect {
        Effect::Allow => {
            let obligations = sorted_obligations(&g.obligations);
            rego.push_str(&format!(
                "test_allows_in_scope if {{\n\td := decide(in_scope)\n\td.allow == true\n\td.grants == [{id}]\n\td.obligations == {obligations}\n}}\n"
            ));
        }
        Effect::Deny => rego.push_str(&format!(
            "test_denies_in_scope if {{\n\td := decide(in_scope)\n\td.allow == false\n\td.grants == [{id}]\n}}\n"
        )),
    }
    for (name, input) in out_of_scope_inputs(g, &base) {
        let check = match g.effect {
            Effect::Allow => "\td.allow == false\n\td.grants == []\n",
            Effect::Deny => "\td.grants == []\n",
        };
        rego.push_str(&format!(
            "\ntest_not_{name} if {{\n\td := decide({input})\n{check}}}\n"
        ));
    }
    Module::new(format!("generated/{}_test.rego", g.id), rego)
}
