//! Decisions: compile once (off the hot path), evaluate from many threads, fail closed.

use crate::compile::{CompiledPolicy, DECISION_RULE, compile};
use crate::error::CompileError;
use crate::grant::Grant;
use crate::input::{Decision, PolicyInput};
use crate::rego::{Module, load};
use std::sync::{Arc, RwLock};

/// A prepared policy. `evaluate` takes `&self` and is safe to call from many threads: regorus's
/// compiled policy is shared (`arc` feature) and each call gets its own light interpreter state.
#[derive(Debug)]
pub struct PolicyEngine {
    compiled: regorus::CompiledPolicy,
    grants: Vec<Grant>,
}

impl PolicyEngine {
    /// Parses and compiles the modules with the data; errors carry file, line and column.
    pub fn from_parts(
        modules: &[Module],
        data: &serde_json::Value,
        grants: Vec<Grant>,
    ) -> Result<Self, CompileError> {
        let (mut engine, _) = load(modules, data)?;
        let compiled = engine
            .compile_with_entrypoint(&DECISION_RULE.into())
            .map_err(|e| CompileError::from_regorus("policy", &e))?;
        Ok(PolicyEngine { compiled, grants })
    }

    pub fn new(policy: &CompiledPolicy) -> Result<Self, CompileError> {
        Self::from_parts(&policy.modules, &policy.data, policy.grants.clone())
    }

    /// The grants this policy was compiled from (used by [`crate::review`]).
    pub fn grants(&self) -> &[Grant] {
        &self.grants
    }

    /// The decision for one action. Never errors: anything that goes wrong is a deny with the
    /// reason, so an enforcer fails closed.
    pub fn evaluate(&self, input: &PolicyInput) -> Decision {
        match serde_json::to_string(input) {
            Ok(json) => self.evaluate_json_str(&json),
            Err(e) => Decision::deny(format!("input could not be encoded: {e}")),
        }
    }

    /// Like [`PolicyEngine::evaluate`] for any JSON input, e.g. a sample pasted into "try it".
    pub fn evaluate_json(&self, input: &serde_json::Value) -> Decision {
        self.evaluate_json_str(&input.to_string())
    }

    fn evaluate_json_str(&self, json: &str) -> Decision {
        let input = match regorus::Value::from_json_str(json) {
            Ok(v) => v,
            Err(e) => return Decision::deny(format!("input is not valid JSON: {e}")),
        };
        let value = match self.compiled.eval_with_input(input) {
            Ok(v) => v,
            Err(e) => {
                let e = CompileError::from_regorus("policy", &e);
                return Decision::deny(format!("policy evaluation failed (fail closed): {e}"));
            }
        };
        if value == regorus::Value::Undefined {
            return Decision::deny("policy produced no decision (fail closed)");
        }
        let decoded = value
            .to_json_str()
            .map_err(|e| e.to_string())
            .and_then(|s| serde_json::from_str::<Decision>(&s).map_err(|e| e.to_string()));
        match decoded {
            Ok(d) => d,
            Err(e) => Decision::deny(format!("policy decision is malformed (fail closed): {e}")),
        }
    }
}

/// "Try it": compiles a draft exactly as publishing would and evaluates a sample input with the
/// engine enforcers use, returning the decision and its reasons.
pub fn try_it(
    grants: &[Grant],
    custom_modules: &[(String, String)],
    input: &serde_json::Value,
) -> Result<Decision, CompileError> {
    let policy = compile(grants, custom_modules)?;
    Ok(PolicyEngine::new(&policy)?.evaluate_json(input))
}

/// The enforcer's current policy: denies everything until a policy is installed, and swaps a new
/// one in atomically (readers see the old or the new engine, never a mix).
#[derive(Debug, Default)]
pub struct ActivePolicy {
    current: RwLock<Option<(u64, Arc<PolicyEngine>)>>,
}

impl ActivePolicy {
    pub fn new() -> Self {
        Self::default()
    }

    /// Installs an engine compiled elsewhere (off the hot path). Refuses a version not newer than
    /// the current one, so a replayed old bundle cannot roll policy back.
    pub fn install(&self, version: u64, engine: PolicyEngine) -> Result<(), String> {
        let mut current = self
            .current
            .write()
            .map_err(|_| "policy lock poisoned".to_string())?;
        if let Some((installed, _)) = current.as_ref()
            && *installed >= version
        {
            return Err(format!(
                "bundle version {version} is not newer than the installed {installed}"
            ));
        }
        *current = Some((version, Arc::new(engine)));
        Ok(())
    }

    /// The installed version, if any.
    pub fn version(&self) -> Option<u64> {
        self.current.read().ok()?.as_ref().map(|(v, _)| *v)
    }

    pub fn evaluate(&self, input: &PolicyInput) -> Decision {
        let engine = match self.current.read() {
            Ok(guard) => guard.as_ref().map(|(_, e)| Arc::clone(e)),
            Err(_) => None,
        };
        match engine {
            Some(e) => e.evaluate(input),
            None => Decision::deny("no valid policy bundle loaded (deny all)"),
        }
    }
}
