//! Policy as code end to end: grants and modules validated with positions, "try it", versions
//! with second-person approval, signed bundles delivered through JetStream KV to a real enforcer
//! whose decisions change without a restart, bad bundles refused, and the drift report.

use crate::enforcer_mtls::{Enforcer, start_enforcer_with};
use crate::harness::{Session, TestServer, env, error_code};
use crate::roles::register_agent;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use warden_common::policy::{CheckReply, CheckRequest, subjects};

async fn call(
    server: &TestServer,
    session: &Session,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> reqwest::Response {
    server.call(method, path, Some(session), body).await
}

pub(crate) fn support_grant() -> Value {
    json!({
        "id": "support-crm",
        "effect": "allow",
        "subject": { "labels": { "team": "support" } },
        "actions": ["tool_call"],
        "tools": ["crm.read"],
        "resources": ["customers/*"],
        "daily_limit": 500,
        "obligations": { "mask_responses": ["pii"] }
    })
}

pub(crate) async fn register_support_agent(
    server: &TestServer,
    session: &Session,
    name: &str,
) -> String {
    let response = call(
        server,
        session,
        Method::POST,
        "/api/v1/agents",
        Some(json!({
            "name": name, "owner_team": "Support", "purpose": "Answers tickets", "environment": "production",
            "labels": { "team": "support" },
            "capabilities": { "tools": ["crm.read", "email.send"], "resources": ["customers/*"] }
        })),
    )
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json::<Value>().await.expect("json")["id"]
        .as_str()
        .expect("id")
        .to_owned()
}

pub(crate) async fn check(
    nats: &async_nats::Client,
    trust_domain: &str,
    agent: &str,
    tool: &str,
) -> CheckReply {
    let request = CheckRequest {
        agent: agent.to_owned(),
        action: json!({ "kind": "tool_call", "tool": tool, "resource": "customers/42" }),
        findings: Default::default(),
        texts: Vec::new(),
        direction: Default::default(),
    };
    let reply = tokio::time::timeout(
        Duration::from_secs(5),
        nats.request(
            subjects::check(trust_domain),
            serde_json::to_vec(&request).expect("json").into(),
        ),
    )
    .await
    .expect("an enforcer answers in time")
    .expect("request");
    serde_json::from_slice(&reply.payload).expect("check reply")
}

/// Polls the check until `wanted` holds, failing after 15 s.
async fn check_until(
    nats: &async_nats::Client,
    trust_domain: &str,
    agent: &str,
    tool: &str,
    what: &str,
    wanted: impl Fn(&CheckReply) -> bool,
) -> CheckReply {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let reply = check(nats, trust_domain, agent, tool).await;
        if wanted(&reply) {
            return reply;
        }
        assert!(
            Instant::now() < deadline,
            "never: {what}; last reply {reply:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn signing_key(server: &TestServer) -> String {
    let key: Value = server
        .call(Method::GET, "/api/v1/policy/signing-key", None, None)
        .await
        .json()
        .await
        .expect("json");
    key["public_key"].as_str().expect("key").to_owned()
}

pub(crate) async fn start_policy_enforcer(server: &TestServer, trust_domain: &str) -> Enforcer {
    let key = signing_key(server).await;
    start_enforcer_with(trust_domain, &[("WARDEN_POLICY_KEYS", key.as_str())]).await
}

/// The control plane's bundle signing key, unsealed as the server does (for forging tests).
async fn signing_key_pair(server: &TestServer) -> ring::signature::Ed25519KeyPair {
    use base64::Engine;
    let mut db = <sqlx::PgConnection as sqlx::Connection>::connect(&server.database_url)
        .await
        .expect("connect");
    let (key_id, sealed): (String, Vec<u8>) =
        sqlx::query_as("SELECT key_id, encrypted_key FROM policy_signing_keys WHERE active")
            .fetch_one(&mut db)
            .await
            .expect("key");
    let kek = warden_server::identity::kek::KeyEncryptionKey::from_bytes(
        &base64::engine::general_purpose::STANDARD
            .decode(&server.kek)
            .expect("kek"),
    )
    .expect("kek");
    let pkcs8 = kek
        .open(&sealed, &format!("warden-policy-key:{key_id}"))
        .expect("unseal");
    ring::signature::Ed25519KeyPair::from_pkcs8(&pkcs8).expect("key")
}

async fn put_in_bucket(nats: &async_nats::Client, trust_domain: &str, payload: Vec<u8>) {
    let store = async_nats::jetstream::new(nats.clone())
        .get_key_value(subjects::POLICY_BUCKET)
        .await
        .expect("bucket");
    store
        .put(subjects::bundle_key(trust_domain), payload.into())
        .await
        .expect("put");
}

#[tokio::test]
async fn a_published_grant_changes_the_enforcers_decision_and_bad_bundles_are_refused() {
    let trust_domain = format!("td-{}.test", uuid::Uuid::new_v4().simple());
    let server = TestServer::start_with(&[("WARDEN_TRUST_DOMAIN", trust_domain.as_str())]).await;
    let admin = server.admin().await;
    let agent = register_support_agent(&server, &admin, "support-bot").await;
    let enforcer = start_policy_enforcer(&server, &trust_domain).await;
    let nats = async_nats::connect(env("WARDEN_TEST_NATS_URL"))
        .await
        .expect("nats");

    // No bundle yet: the enforcer denies everything, and says why.
    let reply = check_until(
        &nats,
        &trust_domain,
        &agent,
        "crm.read",
        "the agent is in the directory",
        |reply| {
            !reply
                .decision
                .reasons
                .iter()
                .any(|reason| reason.contains("unknown agent"))
        },
    )
    .await;
    assert!(!reply.decision.allow);
    assert_eq!(reply.policy_version, None);

    // Write the grant, publish: the running enforcer allows within moments, no restart.
    let saved = call(
        &server,
        &admin,
        Method::PUT,
        "/api/v1/policy/grants/support-crm",
        Some(support_grant()),
    )
    .await;
    assert_eq!(saved.status(), StatusCode::OK);
    let saved: Value = saved.json().await.expect("json");
    assert!(
        saved["sentence"]
            .as_str()
            .expect("sentence")
            .contains("crm.read"),
        "{saved}"
    );
    let published = call(
        &server,
        &admin,
        Method::POST,
        "/api/v1/policy/versions",
        Some(json!({ "note": "support may read the CRM" })),
    )
    .await;
    assert_eq!(published.status(), StatusCode::CREATED);
    let published: Value = published.json().await.expect("json");
    assert_eq!(published["status"], "published");
    assert_eq!(published["version"], 1);
    let allowed = check_until(
        &nats,
        &trust_domain,
        &agent,
        "crm.read",
        "the published grant allows",
        |reply| reply.decision.allow,
    )
    .await;
    assert_eq!(allowed.policy_version, Some(1));
    assert_eq!(allowed.decision.grants, vec!["support-crm".to_owned()]);
    let other_tool = check(&nats, &trust_domain, &agent, "crm.write").await;
    assert!(!other_tool.decision.allow, "only what is granted");
    let spiffe = check(
        &nats,
        &trust_domain,
        &format!("spiffe://{trust_domain}/agent/{agent}"),
        "crm.read",
    )
    .await;
    assert!(spiffe.decision.allow, "agents are named by SPIFFE ID too");
    let stranger = check(
        &nats,
        &trust_domain,
        &uuid::Uuid::new_v4().to_string(),
        "crm.read",
    )
    .await;
    assert!(!stranger.decision.allow);

    // The heartbeat reports the loaded version.
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let fleet: Value = call(&server, &admin, Method::GET, "/api/v1/enforcers", None)
            .await
            .json()
            .await
            .expect("json");
        if fleet
            .as_array()
            .expect("list")
            .iter()
            .any(|e| e["policy_version"] == 1)
        {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the enforcer never reported version 1: {fleet}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    // A bundle with a bad signature, and a properly signed one whose Rego does not compile, are
    // refused: the enforcer keeps version 1.
    let key = signing_key_pair(&server).await;
    let mut bundle = warden_policy::Bundle::from_compiled(
        7,
        time::OffsetDateTime::now_utc(),
        &warden_policy::compile(&[], &[]).expect("compile"),
    );
    let mut forged = warden_policy::sign(&bundle, &key).expect("sign");
    forged.payload = forged.payload.replace("\"version\":7", "\"version\":8");
    put_in_bucket(
        &nats,
        &trust_domain,
        serde_json::to_vec(&forged).expect("json"),
    )
    .await;
    bundle.modules.push(warden_policy::Module::new(
        "custom/broken.rego",
        "package custom.broken\n\nallow if {",
    ));
    let broken = warden_policy::sign(&bundle, &key).expect("sign");
    put_in_bucket(
        &nats,
        &trust_domain,
        serde_json::to_vec(&broken).expect("json"),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let kept = check(&nats, &trust_domain, &agent, "crm.read").await;
    assert!(kept.decision.allow);
    assert_eq!(kept.policy_version, Some(1));

    // Deleting the grant and publishing again takes the permission away.
    let deleted = call(
        &server,
        &admin,
        Method::DELETE,
        "/api/v1/policy/grants/support-crm",
        None,
    )
    .await;
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    let published = call(
        &server,
        &admin,
        Method::POST,
        "/api/v1/policy/versions",
        Some(json!({})),
    )
    .await;
    assert_eq!(published.status(), StatusCode::CREATED);
    let denied = check_until(
        &nats,
        &trust_domain,
        &agent,
        "crm.read",
        "version 2 denies",
        |reply| reply.policy_version == Some(2),
    )
    .await;
    assert!(!denied.decision.allow);

    // An enforcer started now reads the current bundle from the bucket before deciding.
    drop(enforcer);
    let republished_grant = call(
        &server,
        &admin,
        Method::PUT,
        "/api/v1/policy/grants/support-crm",
        Some(support_grant()),
    )
    .await;
    assert_eq!(republished_grant.status(), StatusCode::OK);
    let published = call(
        &server,
        &admin,
        Method::POST,
        "/api/v1/policy/versions",
        Some(json!({})),
    )
    .await;
    assert_eq!(published.status(), StatusCode::CREATED);
    let _late = start_policy_enforcer(&server, &trust_domain).await;
    let reply = check_until(
        &nats,
        &trust_domain,
        &agent,
        "crm.read",
        "a late enforcer loads version 3",
        |reply| reply.policy_version == Some(3),
    )
    .await;
    assert!(reply.decision.allow);
}

#[tokio::test]
async fn drafts_are_validated_tried_reviewed_and_published_with_approval() {
    let server = TestServer::start().await;
    let admin = server.admin().await;
    let engineer = server
        .user_with_role(&admin, "policy-engineer", "security_engineer")
        .await;
    let viewer = server
        .user_with_role(&admin, "policy-viewer", "viewer")
        .await;
    let agent = register_support_agent(&server, &admin, "drift-bot").await;

    // Bad grants and modules are refused with reasons; module errors carry line and column.
    let bad = call(
        &server,
        &engineer,
        Method::PUT,
        "/api/v1/policy/grants/Bad Id",
        Some(json!({ "effect": "allow" })),
    )
    .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let bad = call(
        &server,
        &engineer,
        Method::PUT,
        "/api/v1/policy/grants/x",
        Some(json!({ "effect": "sometimes" })),
    )
    .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let mismatched = call(
        &server,
        &engineer,
        Method::PUT,
        "/api/v1/policy/grants/x",
        Some(json!({ "id": "y", "effect": "allow" })),
    )
    .await;
    assert_eq!(mismatched.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let broken_rego = "package custom.exports\n\nimport rego.v1\n\ndeny contains msg if {\n  input.action.kind ==\n}\n";
    let broken = call(
        &server,
        &engineer,
        Method::PUT,
        "/api/v1/policy/modules?path=custom/exports.rego",
        Some(json!({ "rego": broken_rego })),
    )
    .await;
    assert_eq!(broken.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let message = broken.json::<Value>().await.expect("json")["error"]["message"]
        .as_str()
        .expect("message")
        .to_owned();
    assert!(message.contains("custom/exports.rego:"), "{message}");
    let checked: Value = call(
        &server,
        &engineer,
        Method::POST,
        "/api/v1/policy/check",
        Some(json!({ "module_path": "custom/exports.rego", "module_rego": broken_rego })),
    )
    .await
    .json()
    .await
    .expect("json");
    assert_eq!(checked["ok"], false);
    assert!(
        checked["problems"][0]["line"].as_u64().expect("line") >= 6,
        "{checked}"
    );
    assert!(
        checked["problems"][0]["column"].as_u64().expect("column") > 0,
        "{checked}"
    );
    let reserved = call(
        &server,
        &engineer,
        Method::PUT,
        "/api/v1/policy/modules?path=warden/authz.rego",
        Some(json!({ "rego": "package x" })),
    )
    .await;
    assert_eq!(reserved.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let viewer_write = call(
        &server,
        &viewer,
        Method::PUT,
        "/api/v1/policy/grants/support-crm",
        Some(support_grant()),
    )
    .await;
    assert_eq!(viewer_write.status(), StatusCode::FORBIDDEN);

    // A grant, its sentence and generated tests; the draft passes its Rego tests.
    let saved = call(
        &server,
        &engineer,
        Method::PUT,
        "/api/v1/policy/grants/support-crm",
        Some(support_grant()),
    )
    .await;
    assert_eq!(saved.status(), StatusCode::OK);
    let grants: Value = call(&server, &viewer, Method::GET, "/api/v1/policy/grants", None)
        .await
        .json()
        .await
        .expect("json");
    assert!(
        grants[0]["generated_tests"]
            .as_str()
            .expect("tests")
            .contains("test_"),
        "{grants}"
    );
    let checked: Value = call(
        &server,
        &engineer,
        Method::POST,
        "/api/v1/policy/check",
        Some(json!({})),
    )
    .await
    .json()
    .await
    .expect("json");
    assert_eq!(checked["ok"], true, "{checked}");
    assert!(checked["tests"].as_array().expect("tests").len() > 3);
    assert!(
        checked["tests"]
            .as_array()
            .expect("tests")
            .iter()
            .all(|t| t["passed"] == true)
    );

    // Try it against the draft, with reasons.
    let tried: Value = call(&server, &viewer, Method::POST, "/api/v1/policy/try",
        Some(json!({ "agent_id": agent, "action": { "kind": "tool_call", "tool": "crm.read", "resource": "customers/7" } }))).await.json().await.expect("json");
    assert_eq!(tried["allow"], true, "{tried}");
    let tried: Value = call(&server, &viewer, Method::POST, "/api/v1/policy/try",
        Some(json!({ "agent_id": agent, "action": { "kind": "tool_call", "tool": "crm.delete", "resource": "customers/7" } }))).await.json().await.expect("json");
    assert_eq!(tried["allow"], false);
    assert!(
        !tried["reasons"].as_array().expect("reasons").is_empty(),
        "{tried}"
    );
    let malformed = call(
        &server,
        &viewer,
        Method::POST,
        "/api/v1/policy/try",
        Some(json!({ "agent_id": agent, "action": { "kind": "teleport" } })),
    )
    .await;
    assert_eq!(malformed.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // With approval on, a proposal waits; its author cannot approve it; a second person can.
    let forbidden = call(
        &server,
        &engineer,
        Method::PUT,
        "/api/v1/policy/settings",
        Some(json!({ "require_approval": true })),
    )
    .await;
    assert_eq!(forbidden.status(), StatusCode::FORBIDDEN);
    let on = call(
        &server,
        &admin,
        Method::PUT,
        "/api/v1/policy/settings",
        Some(json!({ "require_approval": true })),
    )
    .await;
    assert_eq!(on.status(), StatusCode::OK);
    let proposed = call(
        &server,
        &engineer,
        Method::POST,
        "/api/v1/policy/versions",
        Some(json!({ "note": "first" })),
    )
    .await;
    assert_eq!(proposed.status(), StatusCode::CREATED);
    let proposed: Value = proposed.json().await.expect("json");
    assert_eq!(proposed["status"], "pending");
    let second = call(
        &server,
        &engineer,
        Method::POST,
        "/api/v1/policy/versions",
        Some(json!({})),
    )
    .await;
    assert_eq!(
        second.status(),
        StatusCode::CONFLICT,
        "one pending version at a time"
    );
    let own = call(
        &server,
        &engineer,
        Method::POST,
        "/api/v1/policy/versions/1/approve",
        None,
    )
    .await;
    assert_eq!(own.status(), StatusCode::FORBIDDEN);
    assert!(error_code(own).await == "forbidden");
    let approved = call(
        &server,
        &admin,
        Method::POST,
        "/api/v1/policy/versions/1/approve",
        None,
    )
    .await;
    assert_eq!(approved.status(), StatusCode::OK);
    let approved: Value = approved.json().await.expect("json");
    assert_eq!(approved["status"], "published");
    assert_eq!(approved["current"], true);
    assert_eq!(approved["decided_by"], "admin");
    let again = call(
        &server,
        &admin,
        Method::POST,
        "/api/v1/policy/versions/1/approve",
        None,
    )
    .await;
    assert_eq!(again.status(), StatusCode::CONFLICT);

    // A rejected proposal stays on record and does not publish.
    let widened =
        json!({ "id": "everything", "effect": "allow", "actions": ["tool_call"], "tools": ["*"] });
    assert_eq!(
        call(
            &server,
            &engineer,
            Method::PUT,
            "/api/v1/policy/grants/everything",
            Some(widened)
        )
        .await
        .status(),
        StatusCode::OK
    );
    let proposed: Value = call(
        &server,
        &engineer,
        Method::POST,
        "/api/v1/policy/versions",
        Some(json!({})),
    )
    .await
    .json()
    .await
    .expect("json");
    assert_eq!(proposed["version"], 2);
    let diff = call(
        &server,
        &viewer,
        Method::GET,
        "/api/v1/policy/versions/2/diff",
        None,
    )
    .await
    .text()
    .await
    .expect("diff");
    assert!(diff.contains("+grant everything"), "{diff}");
    let rejected: Value = call(
        &server,
        &admin,
        Method::POST,
        "/api/v1/policy/versions/2/reject",
        None,
    )
    .await
    .json()
    .await
    .expect("json");
    assert_eq!(rejected["status"], "rejected");
    let versions: Value = call(
        &server,
        &viewer,
        Method::GET,
        "/api/v1/policy/versions",
        None,
    )
    .await
    .json()
    .await
    .expect("json");
    assert_eq!(versions.as_array().expect("list").len(), 2);
    assert_eq!(versions[1]["current"], true);
    let missing = call(
        &server,
        &admin,
        Method::POST,
        "/api/v1/policy/versions/99/approve",
        None,
    )
    .await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);

    // The drift report of version 1: crm.read effective, email.send declared but denied.
    let deadline = Instant::now() + Duration::from_secs(15);
    let report = loop {
        let response = call(
            &server,
            &viewer,
            Method::GET,
            &format!("/api/v1/agents/{agent}/drift"),
            None,
        )
        .await;
        if response.status() == StatusCode::OK {
            break response.json::<Value>().await.expect("json");
        }
        assert!(Instant::now() < deadline, "no drift report");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(report["version"], 1);
    let has = |list: &str, value: &str| {
        report[list]
            .as_array()
            .expect("list")
            .iter()
            .any(|p| p["value"] == value)
    };
    assert!(has("effective", "crm.read"), "{report}");
    assert!(has("broken", "email.send"), "{report}");
    let unreviewed = register_agent(&server, &admin, "unreviewed-bot").await;
    let none = call(
        &server,
        &viewer,
        Method::GET,
        &format!("/api/v1/agents/{unreviewed}/drift"),
        None,
    )
    .await;
    assert_eq!(none.status(), StatusCode::NOT_FOUND);

    // Every change is audited.
    let mut db = server.audit_db().await;
    let actions: Vec<(String,)> =
        sqlx::query_as("SELECT DISTINCT action FROM audit_log WHERE action LIKE 'policy.%'")
            .fetch_all(&mut db)
            .await
            .expect("audit");
    let actions: Vec<String> = actions.into_iter().map(|(a,)| a).collect();
    for expected in [
        "policy.grant_created",
        "policy.version_proposed",
        "policy.version_approved",
        "policy.version_published",
        "policy.version_rejected",
        "policy.settings_changed",
    ] {
        assert!(
            actions.iter().any(|a| a == expected),
            "{expected} missing from {actions:?}"
        );
    }
}

/// Saves `grant` and publishes it as a new version.
pub(crate) async fn publish_grant(server: &TestServer, admin: &Session, grant: Value) {
    let id = grant["id"].as_str().expect("grant id").to_owned();
    let saved = call(
        server,
        admin,
        Method::PUT,
        &format!("/api/v1/policy/grants/{id}"),
        Some(grant),
    )
    .await;
    assert_eq!(saved.status(), StatusCode::OK);
    let published = call(
        server,
        admin,
        Method::POST,
        "/api/v1/policy/versions",
        Some(json!({ "note": format!("publish {id}") })),
    )
    .await;
    assert_eq!(published.status(), StatusCode::CREATED);
}

/// Daily limits count for real: every allowed action counts against its grant, the fleet shares
/// the counts through JetStream, and an enforcer started later sees what others allowed.
#[tokio::test]
async fn daily_limits_are_counted_across_the_fleet() {
    let trust_domain = format!("td-{}.test", uuid::Uuid::new_v4().simple());
    let server = TestServer::start_with(&[("WARDEN_TRUST_DOMAIN", trust_domain.as_str())]).await;
    let admin = server.admin().await;
    let agent = register_support_agent(&server, &admin, "limited-bot").await;
    let mut grant = support_grant();
    grant["daily_limit"] = json!(3);
    publish_grant(&server, &admin, grant).await;
    let nats = async_nats::connect(env("WARDEN_TEST_NATS_URL"))
        .await
        .expect("nats");

    let first = start_policy_enforcer(&server, &trust_domain).await;
    check_until(
        &nats,
        &trust_domain,
        &agent,
        "crm.read",
        "the grant allows (first of three)",
        |reply| reply.decision.allow,
    )
    .await;
    assert!(
        check(&nats, &trust_domain, &agent, "crm.read")
            .await
            .decision
            .allow
    );
    assert!(
        check(&nats, &trust_domain, &agent, "crm.read")
            .await
            .decision
            .allow
    );
    let fourth = check(&nats, &trust_domain, &agent, "crm.read").await;
    assert!(!fourth.decision.allow, "the limit is 3: {fourth:?}");
    let other_tool = check(&nats, &trust_domain, &agent, "crm.write").await;
    assert!(!other_tool.decision.allow);

    // The counts reach the bucket within a flush; a fresh enforcer (the first one gone) denies too.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    drop(first);
    let _second = start_policy_enforcer(&server, &trust_domain).await;
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let reply = check(&nats, &trust_domain, &agent, "crm.read").await;
        if reply.policy_version == Some(1) {
            assert!(
                !reply.decision.allow,
                "the new enforcer sees the fleet's usage: {reply:?}"
            );
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the second enforcer never loaded the policy"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The kill list: an entry in the `warden_kill` bucket (written by the control plane's kill
/// switch) denies every action of the agent on running enforcers within moments, a malformed
/// entry kills too, and deleting the entry lifts it.
#[tokio::test]
async fn the_kill_list_denies_everything_until_lifted() {
    let trust_domain = format!("td-{}.test", uuid::Uuid::new_v4().simple());
    let server = TestServer::start_with(&[("WARDEN_TRUST_DOMAIN", trust_domain.as_str())]).await;
    let admin = server.admin().await;
    let agent = register_support_agent(&server, &admin, "runaway-bot").await;
    publish_grant(&server, &admin, support_grant()).await;
    let _enforcer = start_policy_enforcer(&server, &trust_domain).await;
    let nats = async_nats::connect(env("WARDEN_TEST_NATS_URL"))
        .await
        .expect("nats");
    check_until(
        &nats,
        &trust_domain,
        &agent,
        "crm.read",
        "allowed",
        |reply| reply.decision.allow,
    )
    .await;

    let jetstream = async_nats::jetstream::new(nats.clone());
    let store = jetstream
        .get_key_value(subjects::KILL_BUCKET)
        .await
        .expect("the control plane created the kill-list bucket");
    let id: uuid::Uuid = agent.parse().expect("uuid");
    let key = subjects::kill_key(&trust_domain, id);
    let entry = warden_common::policy::KillEntry {
        agent: id,
        killed_at: time::OffsetDateTime::now_utc(),
        by: "admin".into(),
        reason: "exfiltration suspected".into(),
    };
    let started = Instant::now();
    store
        .put(&key, serde_json::to_vec(&entry).expect("json").into())
        .await
        .expect("put");
    let killed = check_until(
        &nats,
        &trust_domain,
        &agent,
        "crm.read",
        "killed",
        |reply| !reply.decision.allow,
    )
    .await;
    eprintln!("kill reached the enforcer within {:?}", started.elapsed());
    assert!(
        killed
            .decision
            .reasons
            .contains(&"agent is killed: every action is denied".to_owned()),
        "{killed:?}"
    );
    store.delete(&key).await.expect("delete");
    check_until(
        &nats,
        &trust_domain,
        &agent,
        "crm.read",
        "kill lifted",
        |reply| reply.decision.allow,
    )
    .await;
    store.put(&key, "not json".into()).await.expect("put");
    check_until(
        &nats,
        &trust_domain,
        &agent,
        "crm.read",
        "a malformed entry kills too",
        |reply| !reply.decision.allow,
    )
    .await;
}
