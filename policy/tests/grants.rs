//! Grants compile deterministically; their generated Rego tests pass, and fail once the compiled
//! grant is mutated.

mod fixtures;

use fixtures::*;
use serde_json::json;
use warden_policy::{CompiledPolicy, Module, TestOutcome, compile, run_rego_tests};

fn run_generated(policy: &CompiledPolicy, data: &serde_json::Value) -> Vec<TestOutcome> {
    let mut modules: Vec<Module> = policy.modules.clone();
    modules.extend(policy.tests.iter().cloned());
    run_rego_tests(&modules, data).expect("compiled policy loads")
}

fn failing(outcomes: &[TestOutcome]) -> Vec<String> {
    outcomes
        .iter()
        .filter(|o| !o.passed)
        .map(|o| format!("{} {:?}", o.name, o.error))
        .collect()
}

#[test]
fn compile_is_deterministic_and_sorted() {
    let mut grants = twenty_grants();
    let a = compile(&grants, &[]).expect("compiles");
    grants.reverse();
    let b = compile(&grants, &[]).expect("compiles");
    assert_eq!(a, b);
    assert_eq!(a.data.to_string(), b.data.to_string());
    let ids: Vec<&str> = a.grants.iter().map(|g| g.id.as_str()).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted);
    assert_eq!(a.tests.len(), 20);
    assert_eq!(a.tests[0].path, format!("generated/{}_test.rego", ids[0]));
}

#[test]
fn generated_tests_pass_for_every_grant() {
    let policy = compile(&twenty_grants(), &[]).expect("compiles");
    let outcomes = run_generated(&policy, &policy.data);
    let generated: Vec<&TestOutcome> = outcomes
        .iter()
        .filter(|o| o.name.starts_with("data.warden.generated."))
        .collect();
    assert!(
        generated.len() > 20 * 3,
        "only {} generated tests",
        generated.len()
    );
    assert_eq!(failing(&outcomes), Vec::<String>::new());
}

#[test]
fn generated_tests_cover_each_dimension_of_the_grant() {
    let policy = compile(&[support_crm_read(), office_hours_llm()], &[]).expect("compiles");
    let crm = &policy.tests[0].rego;
    for rule in [
        "test_allows_in_scope",
        "test_not_other_label",
        "test_not_kind_llm_call",
        "test_not_kind_resource_access",
        "test_not_other_tool",
        "test_not_other_resource",
        "test_not_uncovered_data_class",
        "test_not_at_daily_limit",
    ] {
        assert!(crm.contains(rule), "{rule} missing in\n{crm}");
    }
    let llm = &policy.tests[1].rego;
    for rule in [
        "test_not_other_environment",
        "test_not_other_model",
        "test_not_other_destination",
        "test_not_outside_days",
        "test_not_outside_hours",
    ] {
        assert!(llm.contains(rule), "{rule} missing in\n{llm}");
    }
}

/// Replaces one field of the compiled grant `id` wherever the compiled data holds it (the grant
/// list and the index), as a faulty compiler or a tampered store would.
fn mutate(
    data: &serde_json::Value,
    id: &str,
    field: &str,
    value: serde_json::Value,
) -> serde_json::Value {
    fn walk(v: &mut serde_json::Value, id: &str, field: &str, value: &serde_json::Value) -> usize {
        match v {
            serde_json::Value::Object(m) if m.get("id").and_then(|i| i.as_str()) == Some(id) => {
                m.insert(field.to_string(), value.clone());
                1
            }
            serde_json::Value::Object(m) => m.values_mut().map(|c| walk(c, id, field, value)).sum(),
            serde_json::Value::Array(a) => a.iter_mut().map(|c| walk(c, id, field, value)).sum(),
            _ => 0,
        }
    }
    let mut data = data.clone();
    assert!(
        walk(&mut data, id, field, &value) >= 2,
        "grant {id} in the list and the index"
    );
    data
}

#[test]
fn a_mutated_grant_fails_its_generated_tests() {
    let policy = compile(&twenty_grants(), &[]).expect("compiles");
    let prefix = "data.warden.generated.grant_support_crm_read.";
    let mutations = [
        ("tools", json!(["crm.write"]), "test_allows_in_scope"),
        ("tools", json!(["crm.*"]), "test_not_other_tool"),
        ("resources", json!(["invoices/*"]), "test_allows_in_scope"),
        ("resources", json!(["*"]), "test_not_other_resource"),
        // (The index files a grant by kind and first label, so editing `actions` or that label
        // in place is not a faithful mutation; recompiled mutants below cover them.)
        (
            "subject",
            json!({"agents": [], "labels": {"team": "sales"}, "environments": []}),
            "test_allows_in_scope",
        ),
        ("daily_limit", json!(5000), "test_not_at_daily_limit"),
        (
            "data_classes",
            json!(["*"]),
            "test_not_uncovered_data_class",
        ),
        (
            "obligations",
            json!({"mask_requests": [], "mask_responses": []}),
            "test_allows_in_scope",
        ),
    ];
    for (field, value, expected_failure) in mutations {
        let data = mutate(&policy.data, "support-crm-read", field, value.clone());
        let outcomes = run_generated(&policy, &data);
        let failed = failing(&outcomes);
        assert!(
            failed
                .iter()
                .any(|f| f.starts_with(&format!("{prefix}{expected_failure} "))),
            "mutating {field} to {value} should fail {expected_failure}; failed: {failed:?}"
        );
        assert!(
            failed.iter().all(|f| f.starts_with(prefix)),
            "only the mutated grant's tests should fail: {failed:?}"
        );
    }
}

#[test]
fn mutated_deny_grant_fails_its_tests() {
    let policy = compile(&twenty_grants(), &[]).expect("compiles");
    let data = mutate(&policy.data, "no-admin-tools", "tools", json!(["root.*"]));
    let failed = failing(&run_generated(&policy, &data));
    assert!(
        failed
            .iter()
            .any(|f| f.contains("grant_no_admin_tools.test_denies_in_scope")),
        "{failed:?}"
    );
    let data = mutate(&policy.data, "no-admin-tools", "effect", json!("allow"));
    assert!(!failing(&run_generated(&policy, &data)).is_empty());
}

#[test]
fn invalid_grants_and_duplicates_are_rejected() {
    let mut bad = support_crm_read();
    bad.tools.clear();
    let err = compile(&[bad], &[]).expect_err("no tools");
    assert_eq!(err.file, "grant:support-crm-read");
    let err = compile(&[support_crm_read(), support_crm_read()], &[]).expect_err("duplicate");
    assert!(err.message.contains("share this id"), "{err}");
}

#[test]
fn custom_modules_compile_beside_grants_and_can_deny() {
    let freeze = r#"package warden.custom.freeze

deny contains "writes are frozen" if {
	input.action.tool == "crm.write"
}
"#;
    let policy = compile(
        &[support_crm_read()],
        &[("custom/freeze.rego".into(), freeze.into())],
    )
    .expect("compiles");
    assert_eq!(policy.modules.len(), 2);
    let engine = warden_policy::PolicyEngine::new(&policy).expect("engine");
    let mut input = crm_read_call();
    assert!(engine.evaluate(&input).allow);
    input.action.tool = Some("crm.write".into());
    let d = engine.evaluate(&input);
    assert!(!d.allow);
    assert!(
        d.reasons
            .contains(&"denied by custom rule: writes are frozen".to_string()),
        "{d:?}"
    );

    let hijack = "package warden.authz\n\nallow := true\n";
    let err =
        compile(&[], &[("custom/evil.rego".into(), hijack.into())]).expect_err("wrong package");
    assert_eq!((err.file.as_str(), err.line), ("custom/evil.rego", 1));
}

#[test]
fn rego_errors_carry_file_line_and_column() {
    let broken = "package warden.custom.broken\n\ndeny contains r if {\n\tr := \"x\" +\n}\n";
    let err =
        compile(&[], &[("custom/broken.rego".into(), broken.into())]).expect_err("parse error");
    assert_eq!(err.file, "custom/broken.rego");
    assert!(err.line >= 4, "{err:?}");
    assert!(err.column > 0, "{err:?}");
    assert!(!err.message.contains("-->"), "message only: {err:?}");

    let undefined =
        "package warden.custom.u\n\ndeny contains r if {\n\tr := no_such_function(1)\n}\n";
    let err =
        compile(&[], &[("custom/u.rego".into(), undefined.into())]).expect_err("compile error");
    assert_eq!(
        (err.file.as_str(), err.line),
        ("custom/u.rego", 4),
        "{err:?}"
    );
}

#[test]
fn a_mutated_grant_recompiled_fails_the_original_tests() {
    let original = compile(&twenty_grants(), &[]).expect("compiles");
    type Mutation = Box<dyn Fn(&mut warden_policy::Grant)>;
    let mutants: Vec<(&str, Mutation)> = vec![
        (
            "other tool",
            Box::new(|g| g.tools = vec!["crm.write".into()]),
        ),
        ("wider tool", Box::new(|g| g.tools = vec!["crm.*".into()])),
        (
            "wider resource",
            Box::new(|g| g.resources = vec!["*".into()]),
        ),
        (
            "other label",
            Box::new(|g| {
                g.subject.labels.insert("team".into(), "sales".into());
            }),
        ),
        ("no label", Box::new(|g| g.subject.labels.clear())),
        (
            "also resource access",
            Box::new(|g| g.actions.push(warden_policy::ActionKind::ResourceAccess)),
        ),
        ("higher limit", Box::new(|g| g.daily_limit = Some(501))),
        ("no limit", Box::new(|g| g.daily_limit = None)),
        (
            "no masking",
            Box::new(|g| g.obligations.mask_responses.clear()),
        ),
    ];
    for (what, mutate) in mutants {
        let mut grants = twenty_grants();
        let g = grants
            .iter_mut()
            .find(|g| g.id == "support-crm-read")
            .expect("present");
        mutate(g);
        let mutated = compile(&grants, &[]).expect("mutant compiles");
        let mut modules = mutated.modules.clone();
        modules.extend(original.tests.iter().cloned());
        let outcomes = run_rego_tests(&modules, &mutated.data).expect("loads");
        let failed = failing(&outcomes);
        assert!(
            !failed.is_empty() && failed.iter().all(|f| f.contains("grant_support_crm_read.")),
            "{what}: the original tests of support-crm-read should fail, and only they: {failed:?}"
        );
    }
}

#[test]
fn the_compiled_index_is_the_one_the_library_builds() {
    let policy = compile(&twenty_grants(), &[]).expect("compiles");
    let mut engine = regorus::Engine::new();
    for m in &policy.modules {
        engine
            .add_policy(m.path.clone(), m.rego.clone())
            .expect("parses");
    }
    engine
        .add_data(regorus::Value::from_json_str(&policy.data.to_string()).expect("json"))
        .expect("data");
    let built = engine
        .eval_rule("data.warden.authz.built_index".into())
        .expect("evaluates")
        .to_json_str()
        .expect("json");
    let built: serde_json::Value = serde_json::from_str(&built).expect("json");
    assert_eq!(built, policy.data["warden"]["index"]);
}
