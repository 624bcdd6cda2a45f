//! Least-privilege review: effective permissions, drift both ways, broad grants.

mod fixtures;

use fixtures::*;
use std::collections::BTreeMap;
use time::OffsetDateTime;
use warden_common::agents::{Agent, AgentStatus, Capabilities};
use warden_policy::{ActionKind, Effect, Grant, PolicyEngine, compile, review};

fn agent(caps: Capabilities) -> Agent {
    Agent {
        id: uuid::Uuid::new_v4(),
        name: "helpdesk-bot".into(),
        owner_team: "support".into(),
        purpose: "answers tickets".into(),
        capabilities: caps,
        environment: "production".into(),
        labels: BTreeMap::from([("team".to_string(), "support".to_string())]),
        svid_lifetime_hours: 24,
        status: AgentStatus::Active,
        created_by: "test".into(),
        created_at: OffsetDateTime::UNIX_EPOCH,
        updated_at: OffsetDateTime::UNIX_EPOCH,
        retired_at: None,
        credential: None,
    }
}

fn names(ps: &[warden_policy::Permission]) -> Vec<String> {
    ps.iter()
        .map(|p| format!("{}:{}", p.dimension, p.value))
        .collect()
}

#[test]
fn drift_both_ways_and_broad_grants() {
    let mut everything = Grant::new("support-everything", Effect::Allow);
    everything
        .subject
        .labels
        .insert("team".into(), "support".into());
    everything.actions = vec![ActionKind::ToolCall];
    everything.tools = vec!["kb.*".into(), "db.admin".into()];
    let mut grants = twenty_grants();
    grants.push(everything);
    let engine = PolicyEngine::new(&compile(&grants, &[]).expect("compiles")).expect("engine");
    let caps = Capabilities {
        tools: vec!["crm.read".into(), "crm.write".into(), "kb.search".into()],
        resources: vec!["customers/*".into()],
        models: vec!["gpt-4o-mini".into()],
        data_classes: vec!["pii".into()],
    };
    let r = review(&engine, &agent(caps));
    let effective = names(&r.effective);
    for e in [
        "tool:crm.read",
        "tool:kb.search",
        "tool:kb.*",
        "model:gpt-4o-mini",
        "resource:customers/*",
        "data_class:pii",
    ] {
        assert!(
            effective.contains(&e.to_string()),
            "{e} not effective: {effective:?}"
        );
    }
    let over = names(&r.over_privileged);
    assert!(over.contains(&"tool:kb.*".to_string()), "{over:?}");
    // db.admin is granted but the deny grant for admin tools in production wins.
    assert!(
        !effective.contains(&"tool:db.admin".to_string()),
        "{effective:?}"
    );
    assert!(!over.contains(&"tool:crm.read".to_string()), "{over:?}");
    assert_eq!(names(&r.broken), vec!["tool:crm.write"]);
    let broad: Vec<&str> = r.broad_grants.iter().map(|b| b.grant.as_str()).collect();
    assert!(broad.contains(&"support-everything"), "{broad:?}");
    let why = &r
        .broad_grants
        .iter()
        .find(|b| b.grant == "support-everything")
        .expect("flagged")
        .why;
    assert!(
        why.iter().any(|w| w.contains("admin-like tool `db.admin`")),
        "{why:?}"
    );
    assert!(
        why.iter()
            .any(|w| w.contains("wildcard tool pattern `kb.*`")),
        "{why:?}"
    );
    // Grants for other teams are not this agent's concern.
    assert!(!broad.contains(&"billing-tools"), "{broad:?}");
}

#[test]
fn time_windows_do_not_hide_permissions() {
    let engine =
        PolicyEngine::new(&compile(&[office_hours_llm()], &[]).expect("compiles")).expect("engine");
    let caps = Capabilities {
        models: vec!["gpt-4o".into()],
        ..Default::default()
    };
    let r = review(&engine, &agent(caps));
    assert!(r.broken.is_empty(), "{:?}", r.broken);
    assert!(names(&r.over_privileged).contains(&"model:gpt-4o*".to_string()));
}
