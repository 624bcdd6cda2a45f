//! Decisions through the engine enforcers use: reasons, fail closed, concurrency, "try it".

mod fixtures;

use fixtures::*;
use serde_json::json;
use std::sync::Arc;
use warden_policy::{ActivePolicy, PolicyEngine, compile, try_it};

fn engine() -> PolicyEngine {
    PolicyEngine::new(&compile(&twenty_grants(), &[]).expect("compiles")).expect("engine")
}

#[test]
fn engine_is_shareable_across_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<PolicyEngine>();
    assert_send_sync::<ActivePolicy>();
    let engine = Arc::new(engine());
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let engine = Arc::clone(&engine);
            std::thread::spawn(move || (0..50).all(|_| engine.evaluate(&crm_read_call()).allow))
        })
        .collect();
    for h in handles {
        assert!(h.join().expect("thread"));
    }
}

#[test]
fn decisions_carry_grants_reasons_and_obligations() {
    let engine = engine();
    let d = engine.evaluate(&crm_read_call());
    assert!(d.allow, "{d:?}");
    assert_eq!(d.grants, vec!["support-crm-read"]);
    assert_eq!(d.reasons, vec!["allowed by grant support-crm-read"]);
    assert_eq!(d.obligations.mask_responses, vec!["pii"]);

    let mut over = crm_read_call();
    over.context.usage.insert("support-crm-read".into(), 500);
    assert!(!engine.evaluate(&over).allow);
    let d = engine.explain(&serde_json::to_value(&over).expect("json"));
    assert!(!d.allow);
    assert!(
        d.reasons
            .contains(&"grant support-crm-read: daily limit reached (500 of 500 used)".into()),
        "{d:?}"
    );

    let mut admin = crm_read_call();
    admin.action.tool = Some("crm.admin".into());
    let d = engine.evaluate(&admin);
    assert_eq!(d.grants, vec!["no-admin-tools"]);

    let mut killed = crm_read_call();
    killed.context.killed = true;
    assert!(!engine.evaluate(&killed).allow);
}

#[test]
fn malformed_input_fails_closed_with_a_reason() {
    let engine = engine();
    let d = engine.evaluate_json(&json!({"agent": 3, "action": {"kind": "tool_call", "tool": 7}}));
    assert!(!d.allow);
    assert!(!d.reasons.is_empty());
}

#[test]
fn evaluation_errors_fail_closed() {
    // Four million iterations for the `boom` tool: over the VM's instruction budget.
    let custom = "package warden.custom.boom\n\ndeny contains \"slow\" if {\n\tinput.action.tool == \"boom\"\n\tsome a in numbers.range(0, 2000)\n\tsome b in numbers.range(0, 2000)\n\ta + b < 0\n}\n";
    let policy = compile(
        &[support_crm_read()],
        &[("custom/boom.rego".into(), custom.into())],
    )
    .expect("compiles: the sample input does not reach the loop");
    let engine = PolicyEngine::new(&policy).expect("engine");
    let mut input = crm_read_call();
    assert!(engine.evaluate(&input).allow);
    input.action.tool = Some("boom".into());
    let d = engine.evaluate(&input);
    assert!(!d.allow);
    assert!(d.reasons[0].contains("fail closed"), "{d:?}");
    // The engine keeps working after a failed decision.
    assert!(engine.evaluate(&crm_read_call()).allow);
}

#[test]
fn try_it_uses_the_same_engine_and_explains() {
    let input = serde_json::to_value(crm_read_call()).expect("json");
    let d = try_it(&[support_crm_read()], &[], &input).expect("compiles");
    assert!(d.allow);
    let mut other = input.clone();
    other["action"]["tool"] = json!("crm.export");
    let d = try_it(&[support_crm_read()], &[], &other).expect("compiles");
    assert!(!d.allow);
    assert!(
        d.reasons
            .contains(&"grant support-crm-read: tool crm.export is not covered".into()),
        "{d:?}"
    );
    let broken = "package warden.custom.x\n\ndeny contains \"x\" if {\n";
    let err = try_it(&[], &[("custom/x.rego".into(), broken.into())], &input)
        .expect_err("does not parse");
    assert_eq!(err.file, "custom/x.rego");
    assert!(err.line > 0);
}

#[test]
fn active_policy_denies_until_loaded_and_refuses_rollback() {
    let active = ActivePolicy::new();
    let d = active.evaluate(&crm_read_call());
    assert!(!d.allow);
    assert_eq!(d.reasons, vec!["no valid policy bundle loaded (deny all)"]);
    active.install(2, engine()).expect("installs");
    assert!(active.evaluate(&crm_read_call()).allow);
    assert!(active.install(2, engine()).is_err());
    assert!(active.install(1, engine()).is_err());
    active.install(3, engine()).expect("newer installs");
    assert_eq!(active.version(), Some(3));
}

#[test]
fn the_vm_and_the_interpreter_agree() {
    let engine = engine();
    let mut inputs = vec![crm_read_call()];
    type Variant = Box<dyn Fn(&mut warden_policy::PolicyInput)>;
    let variants: Vec<Variant> = vec![
        Box::new(|i| i.action.tool = Some("crm.export".into())),
        Box::new(|i| i.action.resource = Some("invoices/1".into())),
        Box::new(|i| i.action.data_classes = vec!["pii".into()]),
        Box::new(|i| {
            i.context.usage.insert("support-crm-read".into(), 500);
        }),
        Box::new(|i| i.context.killed = true),
        Box::new(|i| i.action.tool = Some("billing.admin".into())),
        Box::new(|i| {
            i.agent.labels.insert("team".into(), "billing".into());
            i.action.tool = Some("billing.charge".into());
            i.action.resource = Some("shared/a/b".into());
        }),
        Box::new(|i| {
            i.action = warden_policy::ActionInput::new(warden_policy::ActionKind::LlmCall);
            i.action.model = Some("gpt-4o-mini".into());
            i.action.destination = Some("api.openai.com".into());
            i.action.data_classes = vec!["pii".into()];
        }),
        Box::new(|i| {
            i.action = warden_policy::ActionInput::new(warden_policy::ActionKind::LlmCall);
            i.action.model = Some("gpt-4o".into());
            i.action.destination = Some("api.openai.com".into());
            i.context.hour = 20;
        }),
        Box::new(|i| {
            i.action = warden_policy::ActionInput::new(warden_policy::ActionKind::LlmCall);
            i.action.model = Some("gpt-4o".into());
            i.action.data_classes = vec!["payment".into()];
            i.findings.insert("credit_card".into(), 2);
        }),
    ];
    for v in &variants {
        let mut i = crm_read_call();
        v(&mut i);
        inputs.push(i);
    }
    // Twice over, so a pooled VM carrying state from the previous call would show.
    for input in inputs.iter().chain(inputs.iter()) {
        assert_eq!(
            engine.evaluate(input),
            engine.evaluate_interpreted(input),
            "{input:?}"
        );
    }
}

#[test]
fn direct_input_conversion_matches_json() {
    let engine = engine();
    let mut input = crm_read_call();
    input.findings.insert("pii".into(), 2);
    input.action.data_classes = vec!["pii".into()];
    let via_json = engine.evaluate_json(&serde_json::to_value(&input).expect("json"));
    assert_eq!(engine.evaluate(&input), via_json);
    input.action.tool = None;
    let via_json = engine.evaluate_json(&serde_json::to_value(&input).expect("json"));
    assert_eq!(engine.evaluate(&input), via_json);
}

/// The VM agrees with the Rego tests: `*` covers every class but `prompt_injection`.
#[test]
fn prompt_injection_needs_a_grant_naming_it_in_the_vm() {
    let mut every_class = support_crm_read();
    every_class.data_classes = vec!["*".into()];
    let engine = PolicyEngine::new(&compile(&[every_class.clone()], &[]).expect("compiles"))
        .expect("engine");
    let mut attack = crm_read_call();
    attack.findings = [("prompt_injection".to_owned(), 1), ("pii".to_owned(), 1)].into();
    let d = engine.evaluate(&attack);
    assert!(!d.allow, "{d:?}");
    let mut plain = crm_read_call();
    plain.findings = [("pii".to_owned(), 1)].into();
    assert!(engine.evaluate(&plain).allow);

    every_class.data_classes.push("prompt_injection".into());
    let named =
        PolicyEngine::new(&compile(&[every_class], &[]).expect("compiles")).expect("engine");
    assert!(named.evaluate(&attack).allow);
}

/// Regression: a grant not listing `prompt_injection` must not allow an attack in the VM either
/// (regorus's VM once let an undefined lookup pass inside `every`).
#[test]
fn a_grant_with_named_classes_does_not_cover_prompt_injection_in_the_vm() {
    let grant: warden_policy::Grant = serde_json::from_value(json!({
        "id": "llm",
        "effect": "allow",
        "subject": { "agents": ["bot"] },
        "actions": ["llm_call"],
        "models": ["*"],
        "data_classes": ["network"],
        "obligations": { "mask_requests": ["pii"] }
    }))
    .expect("grant");
    let engine = PolicyEngine::new(&compile(&[grant], &[]).expect("compiles")).expect("engine");
    let mut input = crm_read_call();
    input.agent.name = "bot".into();
    input.action = warden_policy::ActionInput::new(warden_policy::ActionKind::LlmCall);
    for findings in [vec![], vec!["pii"], vec!["network", "pii"]] {
        input.findings = findings.iter().map(|c| (c.to_string(), 1)).collect();
        assert!(engine.evaluate(&input).allow, "{findings:?}");
        input.findings.insert("prompt_injection".into(), 1);
        let vm = engine.evaluate(&input);
        let interpreted = engine.evaluate_interpreted(&input);
        assert!(!vm.allow && !interpreted.allow, "{findings:?}: {vm:?}");
    }
}

#[test]
fn every_selector_label_must_match_by_key_on_the_vm() {
    // A grant needing app=x and tier=gold; the agent has app=x and gold under another key.
    let mut g = warden_policy::Grant::new("gold-x", warden_policy::Effect::Allow);
    g.subject.labels.insert("app".into(), "x".into());
    g.subject.labels.insert("tier".into(), "gold".into());
    g.actions = vec![warden_policy::ActionKind::ToolCall];
    g.tools = vec!["*".into()];
    let engine = PolicyEngine::new(&compile(&[g], &[]).expect("compiles")).expect("engine");
    let mut input = crm_read_call();
    input.agent.labels = [
        ("app".to_string(), "x".to_string()),
        ("team".to_string(), "gold".to_string()),
    ]
    .into();
    assert!(!engine.evaluate(&input).allow);
    assert!(!engine.evaluate_interpreted(&input).allow);
    input.agent.labels.insert("tier".into(), "gold".into());
    assert!(engine.evaluate(&input).allow);
    assert!(engine.evaluate_interpreted(&input).allow);
}

/// Overlapping grants (several allowing, deny grants with and without classes, several labels,
/// agent and environment patterns): the VM's decisions are the interpreter's.
#[test]
fn the_vm_and_the_interpreter_agree_on_overlapping_grants() {
    use warden_policy::{ActionInput, ActionKind, Effect, Grant};
    let mut grants = twenty_grants();
    let mut wide = Grant::new("support-crm-any", Effect::Allow);
    wide.subject.labels.insert("team".into(), "support".into());
    wide.actions = vec![ActionKind::ToolCall];
    wide.tools = vec!["crm.*".into()];
    wide.resources = vec!["*".into()];
    wide.data_classes = vec!["*".into()];
    wide.obligations.redact_requests = vec!["secret".into()];
    wide.obligations.mask_responses = vec!["email".into(), "pii".into()];
    grants.push(wide);
    let mut freeze = Grant::new("freeze-gold", Effect::Deny);
    freeze.subject.labels.insert("tier".into(), "gold".into());
    freeze
        .subject
        .labels
        .insert("team".into(), "support".into());
    freeze.data_classes = vec!["pii".into(), "*".into()];
    grants.push(freeze);
    let mut bots = Grant::new("bots-read", Effect::Allow);
    bots.subject.agents = vec!["help*bot".into(), "exact-agent".into()];
    bots.subject.environments = vec!["prod*".into()];
    bots.actions = vec![ActionKind::ResourceAccess, ActionKind::ToolCall];
    bots.tools = vec!["*.read".into()];
    bots.resources = vec!["a*b*c".into(), "customers/*".into()];
    bots.data_classes = vec!["pii".into()];
    grants.push(bots);
    let engine = PolicyEngine::new(&compile(&grants, &[]).expect("compiles")).expect("engine");

    type Variant = Box<dyn Fn(&mut warden_policy::PolicyInput)>;
    let variants: Vec<Variant> = vec![
        Box::new(|_| {}),
        Box::new(|i| i.action.tool = Some("crm.write".into())),
        Box::new(|i| i.action.data_classes = vec!["pii".into()]),
        Box::new(|i| i.action.data_classes = vec!["secret".into(), "email".into()]),
        Box::new(|i| {
            i.findings.insert("prompt_injection".into(), 1);
        }),
        Box::new(|i| {
            i.agent.labels.insert("tier".into(), "gold".into());
        }),
        Box::new(|i| {
            i.agent.labels.insert("tier".into(), "gold".into());
            i.action.data_classes = vec!["pii".into()];
        }),
        Box::new(|i| {
            i.agent.labels.insert("tier".into(), "silver".into());
        }),
        Box::new(|i| {
            i.agent.labels.clear();
            i.action.resource = Some("axxbyyc".into());
        }),
        Box::new(|i| {
            i.agent.labels.clear();
            i.agent.name = "exact-agent".into();
            i.action.kind = ActionKind::ResourceAccess;
            i.action.resource = Some("abc".into());
            i.action.tool = None;
        }),
        Box::new(|i| {
            i.agent.labels.clear();
            i.agent.environment = "staging".into();
        }),
        Box::new(|i| {
            i.context.usage.insert("support-crm-read".into(), 500);
        }),
        Box::new(|i| i.action.resource = None),
        Box::new(|i| {
            i.action = ActionInput::new(ActionKind::LlmCall);
            i.action.model = Some("claude-3".into());
            i.agent.labels.insert("team".into(), "sales".into());
            i.action.data_classes = vec!["internal".into(), "payment".into()];
        }),
        Box::new(|i| i.context.killed = true),
    ];
    let mut allows = 0;
    let mut merged = 0;
    for v in &variants {
        let mut input = crm_read_call();
        v(&mut input);
        let vm = engine.evaluate(&input);
        assert_eq!(vm, engine.evaluate_interpreted(&input), "{input:?}");
        allows += usize::from(vm.allow);
        merged += usize::from(vm.grants.len() > 1);
    }
    assert!(
        allows >= 3 && merged >= 1,
        "{allows} allows, {merged} merged"
    );
}
