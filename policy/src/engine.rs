//! Decisions: compile once (off the hot path), evaluate from many threads, fail closed.

use crate::compile::{CompiledPolicy, DECISION_RULE, EXPLANATION_RULE, compile};
use crate::error::CompileError;
use crate::grant::Grant;
use crate::input::{Decision, PolicyInput};
use crate::rego::{Module, load};
use regorus::languages::rego::compiler::Compiler;
use regorus::rvm::program::Program;
use regorus::rvm::vm::RegoVM;
use std::sync::{Arc, Mutex, RwLock};

/// Instructions one decision may execute before it is cut off (and denied): far above what the
/// library needs for hundreds of grants, low enough to stop a runaway custom module.
const MAX_INSTRUCTIONS: usize = 2_000_000;

/// A prepared policy. Decisions run on regorus's register VM (RVM): the policy is compiled once
/// to a shared program, and each call borrows a VM from a pool (a VM already holding the data
/// costs nothing to reuse; building one costs a data load). `evaluate` takes `&self` and is safe
/// from many threads. The tree-walking interpreter is kept for cross-checks.
pub struct PolicyEngine {
    compiled: regorus::CompiledPolicy,
    program: Arc<Program>,
    data: regorus::Value,
    pool: Mutex<Vec<RegoVM>>,
    grants: Vec<Grant>,
}

impl std::fmt::Debug for PolicyEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PolicyEngine")
            .field("grants", &self.grants.len())
            .finish_non_exhaustive()
    }
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
        let program = Compiler::compile_from_policy(&compiled, &[DECISION_RULE, EXPLANATION_RULE])
            .map_err(|e| CompileError::from_regorus("policy", &e))?;
        let engine = PolicyEngine {
            compiled,
            program,
            data: crate::rego::to_regorus(data)?,
            pool: Mutex::new(Vec::new()),
            grants,
        };
        // Load the data into one VM now, so a bad data document fails here and not per call.
        let vm = engine
            .new_vm()
            .map_err(|e| CompileError::new("data", e.to_string()))?;
        if let Ok(mut pool) = engine.pool.lock() {
            pool.push(vm);
        }
        Ok(engine)
    }

    fn new_vm(&self) -> Result<RegoVM, String> {
        let mut vm = RegoVM::new();
        vm.load_program(Arc::clone(&self.program));
        vm.set_max_instructions(MAX_INSTRUCTIONS);
        // A builtin misused (e.g. a type error) is an error, so the decision fails closed, as in
        // the interpreter, instead of quietly making a custom denial undefined.
        vm.set_strict_builtin_errors(true);
        vm.set_data(self.data.clone()).map_err(|e| e.to_string())?;
        Ok(vm)
    }

    fn run_vm(&self, rule: &str, input: regorus::Value) -> Result<regorus::Value, String> {
        let pooled = self.pool.lock().ok().and_then(|mut pool| pool.pop());
        let mut vm = match pooled {
            Some(vm) => vm,
            None => self.new_vm()?,
        };
        vm.set_input(input);
        let value = vm
            .execute_entry_point_by_name(rule)
            .map_err(|e| e.to_string())?;
        // Only a VM that finished cleanly goes back to the pool.
        if let Ok(mut pool) = self.pool.lock() {
            pool.push(vm);
        }
        Ok(value)
    }

    /// The same decision through regorus's tree-walking interpreter (the engine the Rego tests
    /// run on), to cross-check the VM; slower, not for the hot path.
    pub fn evaluate_interpreted(&self, input: &PolicyInput) -> Decision {
        let json = match serde_json::to_string(input) {
            Ok(json) => json,
            Err(e) => return Decision::deny(format!("input could not be encoded: {e}")),
        };
        let input = match regorus::Value::from_json_str(&json) {
            Ok(v) => v,
            Err(e) => return Decision::deny(format!("input is not valid JSON: {e}")),
        };
        decode(
            self.compiled
                .eval_with_input(input)
                .map_err(|e| CompileError::from_regorus("policy", &e).to_string()),
        )
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
        decode(self.run_vm(DECISION_RULE, crate::value::input_value(input)))
    }

    /// Like [`PolicyEngine::evaluate`] for any JSON input (an enforcer's own encoding).
    pub fn evaluate_json(&self, input: &serde_json::Value) -> Decision {
        self.run_json(DECISION_RULE, input)
    }

    /// The decision plus near misses among its reasons (`grant X: tool Y is not covered`, …),
    /// from the same program; for "try it" and the audit view, not the hot path.
    pub fn explain(&self, input: &serde_json::Value) -> Decision {
        self.run_json(EXPLANATION_RULE, input)
    }

    fn run_json(&self, rule: &str, input: &serde_json::Value) -> Decision {
        let input = match regorus::Value::from_json_str(&input.to_string()) {
            Ok(v) => v,
            Err(e) => return Decision::deny(format!("input is not valid JSON: {e}")),
        };
        decode(self.run_vm(rule, input))
    }
}

/// The decision value as a [`Decision`]; anything else is a deny with the reason.
fn decode(result: Result<regorus::Value, String>) -> Decision {
    let value = match result {
        Ok(v) => v,
        Err(e) => return Decision::deny(format!("policy evaluation failed (fail closed): {e}")),
    };
    if value == regorus::Value::Undefined {
        return Decision::deny("policy produced no decision (fail closed)");
    }
    if let Some(d) = crate::value::decision_from_value(&value) {
        return d;
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

/// "Try it": compiles a draft exactly as publishing would and evaluates a sample input with the
/// engine enforcers use, returning the decision with its reasons and near misses.
pub fn try_it(
    grants: &[Grant],
    custom_modules: &[(String, String)],
    input: &serde_json::Value,
) -> Result<Decision, CompileError> {
    let policy = compile(grants, custom_modules)?;
    Ok(PolicyEngine::new(&policy)?.explain(input))
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
