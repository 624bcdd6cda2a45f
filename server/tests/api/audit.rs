//! The audit trail end to end: a real enforcer's decisions and console actions become leaves of
//! the Merkle log; search finds them; proofs and checkpoints verify with the log's key; the
//! offline verifier accepts an export and names a tampered entry; the tables refuse changes; and a
//! control plane killed during ingestion loses and duplicates nothing.

use crate::harness::{TestServer, bin, env};
use crate::policy::{
    check, publish_grant, register_support_agent, start_policy_enforcer, support_grant,
};
use reqwest::{Method, StatusCode};
use serde_json::Value;
use std::process::Command;
use std::time::{Duration, Instant};
use warden_tlog::{
    Checkpoint, NoteVerifier, hash_from_hex, leaf_hash, verify_consistency, verify_inclusion,
};

async fn get(server: &TestServer, session: &crate::harness::Session, path: &str) -> Value {
    let response = server.call(Method::GET, path, Some(session), None).await;
    assert_eq!(response.status(), StatusCode::OK, "GET {path}");
    response.json().await.expect("json")
}

/// Polls `path` until `wanted` holds, failing after 30 s.
async fn get_until(
    server: &TestServer,
    session: &crate::harness::Session,
    path: &str,
    what: &str,
    wanted: impl Fn(&Value) -> bool,
) -> Value {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let response = server.call(Method::GET, path, Some(session), None).await;
        if response.status() == StatusCode::OK {
            let body: Value = response.json().await.expect("json");
            if wanted(&body) {
                return body;
            }
            assert!(Instant::now() < deadline, "never: {what}; last {body}");
        } else {
            assert!(
                Instant::now() < deadline,
                "never: {what}; last status {}",
                response.status()
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn hashes(value: &Value) -> Vec<[u8; 32]> {
    value
        .as_array()
        .expect("hashes")
        .iter()
        .map(|hash| hash_from_hex(hash.as_str().expect("hex")).expect("hash"))
        .collect()
}

/// Opens a checkpoint note with the log's key and returns what it signs.
fn open_checkpoint(verifier: &NoteVerifier, note: &str) -> Checkpoint {
    let body = verifier
        .open(note)
        .expect("the checkpoint is signed by the log's key");
    Checkpoint::parse(&body).expect("checkpoint body")
}

/// Sends checks until `count` have been answered; returns how many were allowed and denied.
async fn send_checks(
    nats: &async_nats::Client,
    trust_domain: &str,
    agent: &str,
    count: usize,
) -> (u64, u64) {
    let (mut allowed, mut denied) = (0, 0);
    for index in 0..count {
        let tool = if index % 3 == 0 {
            "crm.write"
        } else {
            "crm.read"
        };
        if check(nats, trust_domain, agent, tool).await.decision.allow {
            allowed += 1;
        } else {
            denied += 1;
        }
    }
    (allowed, denied)
}

/// Registers `name`, publishes the support grant, starts an enforcer, and checks until the grant
/// allows (the bundle is loaded). Returns the agent, a NATS client, the enforcer, and how many
/// checks that took (each one a decision event).
async fn allowed_agent(
    server: &TestServer,
    admin: &crate::harness::Session,
    trust_domain: &str,
    name: &str,
) -> (
    String,
    async_nats::Client,
    crate::enforcer_mtls::Enforcer,
    u64,
) {
    let agent_id = register_support_agent(server, admin, name).await;
    publish_grant(server, admin, support_grant()).await;
    let enforcer = start_policy_enforcer(server, trust_domain).await;
    let nats = async_nats::connect(env("WARDEN_TEST_NATS_URL"))
        .await
        .expect("nats");
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut checks = 1u64;
    while !check(&nats, trust_domain, &agent_id, "crm.read")
        .await
        .decision
        .allow
    {
        checks += 1;
        assert!(Instant::now() < deadline, "the enforcer never allowed");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    (agent_id, nats, enforcer, checks)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn decisions_and_actions_are_provable_and_tamper_evident() {
    let trust_domain = format!("td-{}.test", uuid::Uuid::new_v4().simple());
    let server = TestServer::start_with(&[("WARDEN_TRUST_DOMAIN", trust_domain.as_str())]).await;
    let admin = server.admin().await;
    let (agent_id, nats, _enforcer, checks) =
        allowed_agent(&server, &admin, &trust_domain, "audited-bot").await;
    let warm_up = checks - 1;
    let (allowed, denied) = send_checks(&nats, &trust_domain, &agent_id, 30).await;
    let allowed = allowed + 1;
    let denied = denied + warm_up;
    let decisions = allowed + denied;

    // Every decision is in the log and searchable, by agent and by outcome.
    let all = get_until(
        &server,
        &admin,
        "/api/v1/audit/events?agent=audited-bot&action=decision.tool_call&limit=500",
        "every decision is indexed",
        |page| page["total"].as_u64() == Some(decisions),
    )
    .await;
    let facet: Vec<(String, u64)> = all["facets"]["decision"]
        .as_array()
        .expect("decision facet")
        .iter()
        .map(|count| {
            (
                count["value"].as_str().expect("value").to_owned(),
                count["count"].as_u64().expect("count"),
            )
        })
        .collect();
    assert!(
        facet.contains(&("allowed".to_owned(), allowed)),
        "{facet:?}"
    );
    assert!(facet.contains(&("denied".to_owned(), denied)), "{facet:?}");
    let refused = get(
        &server,
        &admin,
        "/api/v1/audit/events?agent=audited-bot&decision=denied&limit=500",
    )
    .await;
    assert_eq!(refused["total"].as_u64(), Some(denied));
    let first = &refused["events"][0];
    assert_eq!(first["details"]["outcome"], "denied");
    assert_eq!(first["subject"], "agent:audited-bot");
    assert!(
        first["actor"]
            .as_str()
            .expect("actor")
            .starts_with("enforcer:")
    );
    // Console actions are there too, and free text finds them.
    let registered = get(
        &server,
        &admin,
        "/api/v1/audit/events?q=audited-bot&action=agent.registered",
    )
    .await;
    assert_eq!(registered["total"].as_u64(), Some(1), "{registered}");
    // Filters are validated.
    let bad = server
        .call(
            Method::GET,
            "/api/v1/audit/events?from=yesterday",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let bad = server
        .call(
            Method::GET,
            "/api/v1/audit/events?limit=100000",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // The event's inclusion proof verifies against a checkpoint signed with the log's key.
    let key = get(&server, &admin, "/api/v1/audit/key").await;
    let vkey = key["verifier_key"].as_str().expect("vkey").to_owned();
    let verifier = NoteVerifier::from_vkey(&vkey).expect("verifier key");
    let seq = first["seq"].as_u64().expect("seq");
    let proof = get_until(
        &server,
        &admin,
        &format!("/api/v1/audit/events/{seq}/proof"),
        "a checkpoint covers the event",
        |_| true,
    )
    .await;
    let leaf = leaf_hash(first["entry"].as_str().expect("entry").as_bytes());
    assert_eq!(
        hash_from_hex(proof["leaf_hash"].as_str().expect("leaf")),
        Some(leaf)
    );
    let signed = open_checkpoint(
        &verifier,
        proof["checkpoint"]["note"].as_str().expect("note"),
    );
    assert_eq!(Some(signed.size), proof["checkpoint"]["size"].as_u64());
    verify_inclusion(
        &leaf,
        seq,
        signed.size,
        &hashes(&proof["hashes"]),
        &signed.root,
    )
    .expect("the inclusion proof verifies");
    // A proof for another leaf does not.
    assert!(
        verify_inclusion(
            &leaf,
            seq + 1,
            signed.size,
            &hashes(&proof["hashes"]),
            &signed.root
        )
        .is_err()
    );

    // Consecutive checkpoints are consistent. Another action grows the log.
    server
        .user_with_role(&admin, "later-auditor", "auditor")
        .await;
    let newest = get_until(
        &server,
        &admin,
        "/api/v1/audit/checkpoints/latest",
        "a newer checkpoint",
        |checkpoint| checkpoint["size"].as_u64() > Some(signed.size),
    )
    .await;
    let consistency = get(
        &server,
        &admin,
        &format!(
            "/api/v1/audit/consistency?from={}&to={}",
            signed.size, newest["size"]
        ),
    )
    .await;
    let newer = open_checkpoint(&verifier, newest["note"].as_str().expect("note"));
    verify_consistency(
        signed.size,
        newer.size,
        &signed.root,
        &newer.root,
        &hashes(&consistency["hashes"]),
    )
    .expect("the consistency proof verifies");
    assert!(
        newer.time().is_some(),
        "checkpoints carry their signing time"
    );

    // The streaming export carries a proof for every event of the search.
    let export = server
        .call(
            Method::GET,
            "/api/v1/audit/export?agent=audited-bot&decision=denied",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(export.status(), StatusCode::OK);
    let text = export.text().await.expect("export");
    let mut lines = text.lines();
    let head: Value = serde_json::from_str(lines.next().expect("head line")).expect("json");
    let exported = open_checkpoint(
        &verifier,
        head["checkpoint"]["note"].as_str().expect("note"),
    );
    let mut count = 0;
    for line in lines {
        let line: Value = serde_json::from_str(line).expect("json");
        let entry = line["event"]["entry"].as_str().expect("entry");
        let seq = line["event"]["seq"].as_u64().expect("seq");
        verify_inclusion(
            &leaf_hash(entry.as_bytes()),
            seq,
            exported.size,
            &hashes(&line["proof"]["hashes"]),
            &exported.root,
        )
        .expect("every exported event's proof verifies");
        count += 1;
    }
    assert_eq!(count, denied);
    let csv = server
        .call(
            Method::GET,
            "/api/v1/audit/export?format=csv&decision=denied",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(csv.status(), StatusCode::OK);
    assert_eq!(
        csv.text().await.expect("csv").lines().count() as u64,
        denied + 1
    );

    // The offline verifier accepts a full export pinned to the key, and names an edited entry.
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("export-{}", uuid::Uuid::new_v4().simple()));
    let exported = Command::new(bin("warden"))
        .args(["audit", "export"])
        .arg(&dir)
        .env("DATABASE_URL", &server.database_url)
        .output()
        .expect("run export");
    assert!(
        exported.status.success(),
        "export: {}",
        String::from_utf8_lossy(&exported.stderr)
    );
    let verify = |dir: &std::path::Path| {
        Command::new(bin("warden"))
            .args(["audit", "verify", "--key", &vkey])
            .arg(dir)
            .output()
            .expect("run verify")
    };
    let verified = verify(&dir);
    let report = String::from_utf8_lossy(&verified.stdout);
    assert!(
        verified.status.success(),
        "verify: {report} {}",
        String::from_utf8_lossy(&verified.stderr)
    );
    assert!(report.starts_with("OK: "), "{report}");

    let events_path = dir.join("events.ndjson");
    let original = std::fs::read_to_string(&events_path).expect("events");
    let tampered = original.replacen("\"outcome\":\"denied\"", "\"outcome\":\"allowed\"", 1);
    assert_ne!(tampered, original);
    let tampered_line = original
        .lines()
        .position(|line| line.contains("\"outcome\":\"denied\""))
        .expect("a denied decision")
        + 1;
    std::fs::write(&events_path, tampered).expect("tamper");
    let failed = verify(&dir);
    let report = String::from_utf8_lossy(&failed.stdout);
    assert!(
        !failed.status.success(),
        "an edited entry must fail verification"
    );
    assert!(
        report.contains(&format!("event line {tampered_line} ")),
        "{report}"
    );

    // The stored log refuses changes, even from the application's own connection.
    let mut db = server.audit_db().await;
    for statement in [
        "UPDATE audit_log SET actor = 'mallory'",
        "DELETE FROM audit_log WHERE seq = 0",
        "TRUNCATE audit_log",
        "UPDATE audit_checkpoints SET note = ''",
        "DELETE FROM audit_checkpoints",
        "UPDATE audit_log_head SET size = 0",
        "DELETE FROM audit_log_head",
    ] {
        assert!(
            sqlx::query(statement).execute(&mut db).await.is_err(),
            "{statement} must be refused"
        );
    }
}

/// Kill -9 the control plane while an enforcer streams decisions: after a restart every decision
/// the enforcer made is in the log exactly once, and the log still verifies.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_control_plane_loses_and_duplicates_nothing() {
    let trust_domain = format!("td-{}.test", uuid::Uuid::new_v4().simple());
    let mut server =
        TestServer::start_with(&[("WARDEN_TRUST_DOMAIN", trust_domain.as_str())]).await;
    let admin = server.admin().await;
    let (agent_id, nats, _enforcer, mut sent) =
        allowed_agent(&server, &admin, &trust_domain, "busy-bot").await;

    // Decisions keep coming from four concurrent callers while the control plane is killed.
    let callers: Vec<_> = (0..4)
        .map(|_| {
            let (nats, trust_domain, agent) =
                (nats.clone(), trust_domain.clone(), agent_id.clone());
            tokio::spawn(async move {
                let (allowed, denied) = send_checks(&nats, &trust_domain, &agent, 400).await;
                allowed + denied
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(700)).await;
    server.restart().await;
    for caller in callers {
        sent += caller.await.expect("caller");
    }

    let mut db = server.audit_db().await;
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let (logged, distinct): (i64, i64) = sqlx::query_as(
            "SELECT count(*), count(DISTINCT event_id) FROM audit_log WHERE action LIKE 'decision.%'",
        )
        .fetch_one(&mut db)
        .await
        .expect("count");
        assert_eq!(logged, distinct);
        assert!(
            logged as u64 <= sent,
            "more decisions logged ({logged}) than made ({sent})"
        );
        if logged as u64 == sent {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "only {logged} of {sent} decisions reached the log"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // Leaf numbers are gap-free and the head agrees.
    let (rows, max, head): (i64, i64, i64) = sqlx::query_as(
        "SELECT count(*), max(seq), (SELECT size FROM audit_log_head) FROM audit_log",
    )
    .fetch_one(&mut db)
    .await
    .expect("head");
    assert_eq!(rows, max + 1);
    assert_eq!(rows, head);

    // The search index is derived: lost, it is rebuilt from the log at start-up.
    let index_dir = server
        .setting("WARDEN_AUDIT_INDEX_DIR")
        .expect("index directory")
        .to_owned();
    server.stop();
    std::fs::remove_dir_all(&index_dir).expect("remove the index");
    server.restart().await;
    let admin = server.admin().await;
    get_until(
        &server,
        &admin,
        "/api/v1/audit/events?agent=busy-bot&action=decision.tool_call&limit=1",
        "the rebuilt index finds every decision",
        |page| page["total"].as_u64() == Some(sent),
    )
    .await;
}

/// Run as its own role, the control plane works normally but cannot undo the log's guards: it
/// may read and append, never update, delete, truncate, drop or disable a trigger.
#[tokio::test]
async fn the_application_role_can_only_read_and_append_the_log() {
    let server = TestServer::start_least_privileged().await;
    let admin = server.admin().await;
    crate::roles::register_agent(&server, &admin, "guarded-bot").await;
    get_until(
        &server,
        &admin,
        "/api/v1/audit/events?action=agent.registered",
        "the registration is logged by the least-privileged control plane",
        |page| page["total"].as_u64() == Some(1),
    )
    .await;
    get_until(
        &server,
        &admin,
        "/api/v1/audit/checkpoints/latest",
        "a checkpoint",
        |_| true,
    )
    .await;

    let app_url = server
        .app_database_url
        .as_deref()
        .expect("an application role");
    let mut app = <sqlx::PgConnection as sqlx::Connection>::connect(app_url)
        .await
        .expect("connect as the application");
    let (logged,): (i64,) = sqlx::query_as("SELECT count(*) FROM audit_log")
        .fetch_one(&mut app)
        .await
        .expect("the application reads the log");
    assert!(logged > 0);
    for statement in [
        "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only",
        "DROP TRIGGER audit_log_append_only ON audit_log",
        "ALTER TABLE audit_checkpoints DISABLE TRIGGER ALL",
        "DROP TABLE audit_log",
        "TRUNCATE audit_log",
        "UPDATE audit_log SET actor = 'mallory'",
        "DELETE FROM audit_log",
        "UPDATE audit_checkpoints SET note = ''",
        "DELETE FROM audit_checkpoints",
        "UPDATE audit_log_head SET size = 0",
        "DROP FUNCTION audit_reject_change() CASCADE",
        "CREATE TABLE shadow (id int)",
    ] {
        let refused = sqlx::query(statement).execute(&mut app).await;
        assert!(
            refused.is_err(),
            "the application role must not run: {statement}"
        );
    }
}
