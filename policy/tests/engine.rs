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
    let d = engine.evaluate(&over);
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
    let custom = "package warden.custom.boom\n\ndeny contains r if {\n\tinput.action.tool == \"boom\"\n\tr := sprintf(\"%s\", 1)\n}\n";
    let policy = compile(
        &[support_crm_read()],
        &[("custom/boom.rego".into(), custom.into())],
    )
    .expect("compiles: the sample input does not reach the faulty line");
    let engine = PolicyEngine::new(&policy).expect("engine");
    let mut input = crm_read_call();
    input.action.tool = Some("boom".into());
    let d = engine.evaluate(&input);
    assert!(!d.allow);
    assert!(d.reasons[0].contains("fail closed"), "{d:?}");
    assert!(d.reasons[0].contains("custom/boom.rego:5"), "{d:?}");
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
