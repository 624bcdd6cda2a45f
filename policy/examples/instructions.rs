//! VM instructions per decision for the bench's inputs (the cost model: regorus's register VM
//! pays roughly 100 ns per instruction), found by bisecting the instruction limit. Deterministic,
//! so it measures a policy change without a noisy machine. `--listing` prints the program.
//!
//! ```sh
//! cargo run -p warden-policy --example instructions [-- --listing]
//! ```

// A command-line tool: its output is the point.
#![allow(clippy::print_stdout)]

#[path = "../tests/fixtures/mod.rs"]
mod fixtures;

use fixtures::*;
use regorus::languages::rego::compiler::Compiler;
use regorus::rvm::vm::RegoVM;
use std::sync::Arc;
use warden_policy::{DECISION_RULE, EXPLANATION_RULE, PolicyInput, compile};

fn inputs() -> Vec<(&'static str, PolicyInput)> {
    let allowed = crm_read_call();
    let mut denied = crm_read_call();
    denied.action.tool = Some("crm.export".into());
    let mut llm = crm_read_call();
    llm.action = warden_policy::ActionInput::new(warden_policy::ActionKind::LlmCall);
    llm.action.model = Some("gpt-4o-mini".into());
    llm.action.destination = Some("api.openai.com".into());
    llm.action.data_classes = vec!["pii".into()];
    vec![
        ("allow_tool_call", allowed),
        ("deny_other_tool", denied),
        ("allow_llm_call", llm),
    ]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let policy = compile(&twenty_grants(), &[])?;
    let mut engine = regorus::Engine::new();
    engine.set_rego_v0(false);
    for m in &policy.modules {
        engine.add_policy(m.path.clone(), m.rego.clone())?;
    }
    let data = regorus::Value::from_json_str(&policy.data.to_string())?;
    engine.add_data(data.clone())?;
    let compiled = engine.compile_with_entrypoint(&DECISION_RULE.into())?;
    let program = Compiler::compile_from_policy(&compiled, &[DECISION_RULE, EXPLANATION_RULE])?;
    if std::env::args().any(|a| a == "--listing") {
        let config = regorus::rvm::program::AssemblyListingConfig::default();
        println!(
            "{}",
            regorus::rvm::program::generate_assembly_listing(&program, &config)
        );
    }
    for (name, input) in inputs() {
        let input = regorus::Value::from_json_str(&serde_json::to_string(&input)?)?;
        let run = |limit: usize| -> Option<String> {
            let mut vm = RegoVM::new();
            vm.load_program(Arc::clone(&program));
            vm.set_max_instructions(limit);
            vm.set_strict_builtin_errors(true);
            vm.set_data(data.clone()).ok()?;
            vm.set_input(input.clone());
            let v = vm.execute_entry_point_by_name(DECISION_RULE).ok()?;
            v.to_json_str().ok()
        };
        let result = run(10_000_000).ok_or("decision failed")?;
        let (mut lo, mut hi) = (0usize, 10_000_000usize);
        while lo + 1 < hi {
            let mid = (lo + hi) / 2;
            if run(mid).is_some() {
                hi = mid
            } else {
                lo = mid
            }
        }
        println!(
            "{name}: {hi} instructions -> {}",
            result.replace(['\n', ' '], "")
        );
        if std::env::args().any(|a| a == "--trace") {
            // The instruction each run stops at, one limit at a time: the executed trace.
            for limit in 0..hi {
                let mut vm = RegoVM::new();
                vm.load_program(Arc::clone(&program));
                vm.set_max_instructions(limit);
                vm.set_strict_builtin_errors(true);
                vm.set_data(data.clone())?;
                vm.set_input(input.clone());
                if let Err(e) = vm.execute_entry_point_by_name(DECISION_RULE) {
                    println!("  trace {name} {limit}: {e}");
                }
            }
        }
    }
    Ok(())
}
