//! Loading modules into regorus and running `test_` rules: the same engine for the library's
//! own tests, for grants' generated tests and for enforcement.

use crate::error::CompileError;
use serde::{Deserialize, Serialize};

/// One Rego source file of a policy or bundle.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Module {
    /// Path relative to the policy root, e.g. `warden/authz.rego`; compile errors name it.
    pub path: String,
    pub rego: String,
}

impl Module {
    pub fn new(path: impl Into<String>, rego: impl Into<String>) -> Self {
        Module {
            path: path.into(),
            rego: rego.into(),
        }
    }
}

/// The result of one `test_` rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestOutcome {
    /// Full rule path, e.g. `data.warden.authz_test.test_no_grants_denies`.
    pub name: String,
    pub passed: bool,
    /// Set when evaluating the rule failed (rather than it being false or undefined).
    pub error: Option<String>,
}

/// The base library, embedded so every compiled policy and bundle carries the same copy the
/// tests in `policies/` exercise.
pub const BASE_LIBRARY: &[(&str, &str)] = &[(
    "warden/authz.rego",
    include_str!("../../policies/warden/authz.rego"),
)];

/// The base library as modules.
pub fn base_modules() -> Vec<Module> {
    BASE_LIBRARY
        .iter()
        .map(|(path, rego)| Module::new(*path, *rego))
        .collect()
}

pub(crate) fn to_regorus(value: &serde_json::Value) -> Result<regorus::Value, CompileError> {
    regorus::Value::from_json_str(&value.to_string())
        .map_err(|e| CompileError::new("data", format!("data is not valid JSON: {e}")))
}

/// An engine with `modules` parsed and `data` loaded; returns each module's package
/// (`data.x.y`) in the same order. Parse errors carry the module's path, line and column.
pub(crate) fn load(
    modules: &[Module],
    data: &serde_json::Value,
) -> Result<(regorus::Engine, Vec<String>), CompileError> {
    let mut engine = regorus::Engine::new();
    engine.set_rego_v0(false);
    let mut packages = Vec::with_capacity(modules.len());
    for module in modules {
        let package = engine
            .add_policy(module.path.clone(), module.rego.clone())
            .map_err(|e| CompileError::from_regorus(&module.path, &e))?;
        packages.push(package);
    }
    if !data.is_null() {
        engine
            .add_data(to_regorus(data)?)
            .map_err(|e| CompileError::new("data", e.to_string()))?;
    }
    Ok((engine, packages))
}

/// Names of the `test_` rules a module defines: rule heads at the start of a line, as `opa fmt`
/// writes them. Each name once, in source order.
pub fn test_rule_names(rego: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for line in rego.lines() {
        if !line.starts_with("test_") {
            continue;
        }
        let name: String = line
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// Runs every `test_` rule of every module against `data`; a rule passes only when it evaluates
/// to `true`. Fails as a whole only when the modules do not parse or compile.
pub fn run_rego_tests(
    modules: &[Module],
    data: &serde_json::Value,
) -> Result<Vec<TestOutcome>, CompileError> {
    let (mut engine, packages) = load(modules, data)?;
    let mut outcomes = Vec::new();
    for (module, package) in modules.iter().zip(&packages) {
        for rule in test_rule_names(&module.rego) {
            let name = format!("{package}.{rule}");
            let outcome = match engine.eval_rule(name.clone()) {
                Ok(value) => TestOutcome {
                    passed: value == regorus::Value::from(true),
                    name,
                    error: None,
                },
                Err(e) => TestOutcome {
                    name,
                    passed: false,
                    error: Some(e.to_string()),
                },
            };
            outcomes.push(outcome);
        }
    }
    Ok(outcomes)
}
