//! Grants compile deterministically; their generated Rego tests pass, and fail once the compiled
//! grant is mutated.

mod fixtures;

use fixtures::*;
use warden_policy::{CompiledPolicy, TestOutcome, compile, run_rego_tests};

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
    let outcomes = policy.run_tests().expect("loads");
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

/// Runs the generated tests of `original` against the policy compiled from `grants`.
fn original_tests_against(
    original: &CompiledPolicy,
    grants: &[warden_policy::Grant],
) -> Vec<String> {
    let mutated = compile(grants, &[]).expect("mutant compiles");
    let mut modules = mutated.modules.clone();
    modules.extend(original.tests.iter().cloned());
    failing(&run_rego_tests(&modules, &mutated.data).expect("loads"))
}

#[test]
fn mutated_deny_grant_fails_its_tests() {
    let original = compile(&twenty_grants(), &[]).expect("compiles");
    for mutate in [
        (|g: &mut warden_policy::Grant| g.tools = vec!["root.*".into()])
            as fn(&mut warden_policy::Grant),
        |g| g.subject.environments = vec!["staging".into()],
        |g| g.effect = warden_policy::Effect::Allow,
    ] {
        let mut grants = twenty_grants();
        mutate(
            grants
                .iter_mut()
                .find(|g| g.id == "no-admin-tools")
                .expect("present"),
        );
        let failed = original_tests_against(&original, &grants);
        assert!(
            !failed.is_empty() && failed.iter().all(|f| f.contains("grant_no_admin_tools.")),
            "{failed:?}"
        );
    }
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

/// "A mutated grant makes its tests fail": each mutant of `support-crm-read` is compiled, and the
/// tests generated from the original grant run against it; some fail, and only that grant's.
#[test]
fn a_mutated_grant_fails_its_generated_tests() {
    let original = compile(&twenty_grants(), &[]).expect("compiles");
    type Mutation = Box<dyn Fn(&mut warden_policy::Grant)>;
    let mutants: Vec<(&str, &str, Mutation)> = vec![
        (
            "other tool",
            "test_allows_in_scope",
            Box::new(|g| g.tools = vec!["crm.write".into()]),
        ),
        (
            "wider tool",
            "test_not_other_tool",
            Box::new(|g| g.tools = vec!["crm.*".into()]),
        ),
        (
            "other resource",
            "test_allows_in_scope",
            Box::new(|g| g.resources = vec!["invoices/*".into()]),
        ),
        (
            "wider resource",
            "test_not_other_resource",
            Box::new(|g| g.resources = vec!["*".into()]),
        ),
        (
            "other label",
            "test_allows_in_scope",
            Box::new(|g| {
                g.subject.labels.insert("team".into(), "sales".into());
            }),
        ),
        (
            "no label",
            "test_not_other_label",
            Box::new(|g| g.subject.labels.clear()),
        ),
        (
            "more kinds",
            "test_not_kind_resource_access",
            Box::new(|g| {
                g.actions.push(warden_policy::ActionKind::ResourceAccess);
            }),
        ),
        (
            "higher limit",
            "test_not_at_daily_limit",
            Box::new(|g| g.daily_limit = Some(501)),
        ),
        (
            "lower limit",
            "test_allows_in_scope",
            Box::new(|g| g.daily_limit = Some(499)),
        ),
        (
            "no limit",
            "test_not_at_daily_limit",
            Box::new(|g| g.daily_limit = None),
        ),
        (
            "every class",
            "test_not_uncovered_data_class",
            Box::new(|g| g.data_classes = vec!["*".into()]),
        ),
        (
            "no masking",
            "test_allows_in_scope",
            Box::new(|g| g.obligations.mask_responses.clear()),
        ),
        (
            "office hours",
            "test_allows_in_scope",
            Box::new(|g| {
                g.window = Some(warden_policy::Window {
                    days: vec!["sat".into()],
                    from_hour: None,
                    to_hour: None,
                });
            }),
        ),
    ];
    let prefix = "data.warden.generated.grant_support_crm_read.";
    for (what, expected, mutate) in mutants {
        let mut grants = twenty_grants();
        mutate(
            grants
                .iter_mut()
                .find(|g| g.id == "support-crm-read")
                .expect("present"),
        );
        let failed = original_tests_against(&original, &grants);
        assert!(
            failed
                .iter()
                .any(|f| f.starts_with(&format!("{prefix}{expected} "))),
            "{what}: {expected} should fail; failed: {failed:?}"
        );
        assert!(
            failed.iter().all(|f| f.starts_with(prefix)),
            "{what}: only the mutated grant's tests should fail: {failed:?}"
        );
    }
}

#[test]
fn the_compiled_index_is_the_one_the_library_builds() {
    let mut grants = twenty_grants();
    let mut night = warden_policy::Grant::new("night-batch", warden_policy::Effect::Allow);
    night.subject.agents = vec!["batch-*".into(), "nightly".into()];
    night.subject.environments = vec!["production".into()];
    night.actions = vec![warden_policy::ActionKind::DataAccess];
    night.data_classes = vec!["*".into()];
    night.resources = vec!["a*b*c".into(), "**".into()];
    night.window = Some(warden_policy::Window {
        days: vec!["sun".into(), "sat".into()],
        from_hour: Some(22),
        to_hour: Some(6),
    });
    grants.push(night);
    let mut freeze = warden_policy::Grant::new("freeze", warden_policy::Effect::Deny);
    freeze.subject.labels.insert("tier".into(), "gold".into());
    freeze.subject.labels.insert("app".into(), "x".into());
    grants.push(freeze);
    let policy = compile(&grants, &[]).expect("compiles");
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
