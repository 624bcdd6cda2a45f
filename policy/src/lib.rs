//! Policy as code for Warden: the Rego library in `policies/`, readable grants compiled
//! deterministically to Rego data plus generated Rego tests, Ed25519-signed bundles, a
//! thread-safe decision engine (regorus) and least-privilege review.
//!
//! The control plane uses [`compile`] (then [`CompiledPolicy::run_tests`]), [`try_it`],
//! [`review`] and [`sign`]; the enforcer uses [`verify_and_compile`], [`ActivePolicy`] and
//! [`PolicyEngine::evaluate`]. The Rego shapes are documented in `policies/README.md`.
#![forbid(unsafe_code)]

mod bundle;
mod compile;
mod engine;
mod error;
mod glob;
mod grant;
mod input;
mod rego;
mod review;
mod value;

pub use bundle::{Bundle, BundleError, SignedBundle, key_id, sign, verify, verify_and_compile};
pub use compile::{
    CompiledPolicy, DECISION_RULE, EXPLANATION_RULE, compile, generated_tests, test_package,
};
pub use engine::{ActivePolicy, PolicyEngine, try_it};
pub use error::CompileError;
pub use glob::glob_match;
pub use grant::{Effect, Grant, GrantObligations, Subject, Window};
pub use input::{
    ActionInput, ActionKind, AgentInput, ContextInput, Decision, Obligations, PolicyInput,
};
pub use rego::{BASE_LIBRARY, Module, TestOutcome, base_modules, run_rego_tests, test_rule_names};
pub use review::{BroadGrant, Permission, Review, review};
