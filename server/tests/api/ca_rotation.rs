//! CA rotation as an operator action: agents holding certificates from a replaced CA keep
//! renewing and reaching enforcers through the grace period, new certificates come from the new
//! CA, and "distrust" after a suspected compromise cuts the old chain off everywhere at once.

use crate::enforcer_mtls::{curl_whoami, start_enforcer, write_credential};
use crate::harness::{Session, TestServer};
use crate::identity::{csr, enrolled_agent, leaf_of};
use rcgen::PKCS_ECDSA_P256_SHA256;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

async fn rotate(server: &TestServer, session: &Session, body: Value) -> reqwest::Response {
    server
        .call(
            Method::POST,
            "/api/v1/identity/ca/rotate",
            Some(session),
            Some(body),
        )
        .await
}

async fn bundle(server: &TestServer) -> String {
    server
        .call(Method::GET, "/api/v1/identity/bundle", None, None)
        .await
        .text()
        .await
        .expect("bundle")
}

fn certificates_in(pem: &str) -> usize {
    pem.matches("-----BEGIN CERTIFICATE-----").count()
}

/// Renews over the control plane's mTLS listener with curl, as the agent CLI would.
fn renew(server: &TestServer, credential: &Path) -> (bool, Value, String) {
    let (_key, request) = csr(&PKCS_ECDSA_P256_SHA256);
    let output = Command::new("curl")
        .args(["-sS", "--max-time", "10", "--cacert"])
        .arg(credential.join("bundle.pem"))
        .arg("--cert")
        .arg(credential.join("chain.pem"))
        .arg("--key")
        .arg(credential.join("key.pem"))
        .args(["-H", "content-type: application/json", "-d"])
        .arg(json!({ "csr": request }).to_string())
        .arg(format!(
            "https://{}/api/v1/identity/renew",
            server.agent_address
        ))
        .output()
        .expect("curl");
    let body = String::from_utf8_lossy(&output.stdout).into_owned();
    let parsed = serde_json::from_str(&body).unwrap_or(Value::Null);
    (
        output.status.success() && parsed["serial"].is_string(),
        parsed,
        format!("{body}{}", String::from_utf8_lossy(&output.stderr)),
    )
}

/// `openssl verify` of an SVID chain against a bundle.
fn openssl_verifies(bundle_pem: &str, chain_pem: &str) -> bool {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("rotation-verify-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::write(dir.join("bundle.pem"), bundle_pem).expect("write");
    std::fs::write(dir.join("leaf.pem"), leaf_of(chain_pem)).expect("write");
    Command::new("openssl")
        .arg("verify")
        .arg("-CAfile")
        .arg(dir.join("bundle.pem"))
        .arg(dir.join("leaf.pem"))
        .output()
        .expect("openssl")
        .status
        .success()
}

/// Waits until `check` holds (the fleet applies changes asynchronously), failing after 10 s.
async fn eventually(what: &str, mut check: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !check() {
        assert!(Instant::now() < deadline, "never: {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn rotation_keeps_agents_working_and_distrust_cuts_the_old_chain_off() {
    let trust_domain = format!("td-{}.test", uuid::Uuid::new_v4().simple());
    let server = TestServer::start_with(&[("WARDEN_TRUST_DOMAIN", trust_domain.as_str())]).await;
    let enforcer = start_enforcer(&trust_domain).await;
    let admin = server.admin().await;
    let engineer = server
        .user_with_role(&admin, "rotation-engineer", "security_engineer")
        .await;

    let (first_agent, first_key, first_svid) =
        enrolled_agent(&server, &admin, "rotating-bot").await;
    let first = write_credential("rotation-first", &first_svid, &first_key.serialize_pem());
    assert_eq!(
        certificates_in(&bundle(&server).await),
        2,
        "root + intermediate"
    );

    // Only admins rotate; a malformed request changes nothing.
    let refused = rotate(&server, &engineer, json!({ "scope": "intermediate" })).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let malformed = rotate(&server, &admin, json!({ "scope": "everything" })).await;
    assert_eq!(malformed.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(certificates_in(&bundle(&server).await), 2);

    // Intermediate rotation: the old intermediate leaves the signing role but stays trusted for
    // the grace period, so the agent's current certificate still renews and reaches enforcers.
    let rotated = rotate(&server, &admin, json!({ "scope": "intermediate" })).await;
    assert_eq!(rotated.status(), StatusCode::OK);
    let ca: Value = rotated.json().await.expect("json");
    let intermediates: Vec<&Value> = ca
        .as_array()
        .expect("list")
        .iter()
        .filter(|row| row["kind"] == "intermediate")
        .collect();
    assert_eq!(intermediates.len(), 2);
    assert_eq!(
        intermediates
            .iter()
            .filter(|row| row["active"] == true)
            .count(),
        1
    );
    let retired = intermediates
        .iter()
        .find(|row| row["active"] == false)
        .expect("the replaced intermediate");
    assert_eq!(retired["in_bundle"], true);
    let trusted_until = time::OffsetDateTime::parse(
        retired["trusted_until"].as_str().expect("trusted_until"),
        &time::format_description::well_known::Rfc3339,
    )
    .expect("time");
    let grace = trusted_until - time::OffsetDateTime::now_utc();
    assert!(
        grace > time::Duration::hours(71) && grace < time::Duration::hours(73),
        "{grace}"
    );
    let after_intermediate_rotation = bundle(&server).await;
    assert_eq!(certificates_in(&after_intermediate_rotation), 3);

    let (ok, renewed, output) = renew(&server, &first);
    assert!(
        ok,
        "an SVID from the replaced intermediate renews: {output}"
    );
    let renewed_chain = renewed["certificate_chain_pem"].as_str().expect("chain");
    assert!(openssl_verifies(
        &after_intermediate_rotation,
        renewed_chain
    ));
    assert_ne!(
        &renewed_chain[leaf_of(renewed_chain).len()..],
        &first_svid["certificate_chain_pem"].as_str().expect("chain")
            [leaf_of(first_svid["certificate_chain_pem"].as_str().expect("chain")).len()..],
        "the renewed certificate comes from the new intermediate"
    );
    let (ok, body) = curl_whoami(&enforcer.agent_address, &first, true);
    assert!(
        ok,
        "the enforcer still admits the older certificate: {body}"
    );

    // The agent's certificate list shows both, newest first, each with its issuer; pages chain.
    let page: Value = server
        .call(
            Method::GET,
            &format!("/api/v1/agents/{first_agent}/certificates?limit=1"),
            Some(&admin),
            None,
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(page["items"][0]["serial"], renewed["serial"]);
    assert_eq!(page["items"][0]["issued_via"], "renewal");
    let cursor = page["next_cursor"].as_str().expect("a second page");
    let second: Value = server
        .call(
            Method::GET,
            &format!("/api/v1/agents/{first_agent}/certificates?limit=1&cursor={cursor}"),
            Some(&admin),
            None,
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(second["items"][0]["serial"], first_svid["serial"]);
    assert_eq!(second["items"][0]["issued_via"], "enrollment");
    assert_ne!(second["items"][0]["issuer"], page["items"][0]["issuer"]);
    assert!(second["next_cursor"].is_null());
    let bad_cursor = server
        .call(
            Method::GET,
            &format!("/api/v1/agents/{first_agent}/certificates?cursor=nonsense"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(bad_cursor.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let unknown = server
        .call(
            Method::GET,
            &format!("/api/v1/agents/{}/certificates", uuid::Uuid::new_v4()),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);

    // Root rotation without distrust: both roots are in the bundle; an agent enrolled now gets
    // a certificate under the new root and the enforcer admits it.
    let rotated = rotate(&server, &admin, json!({ "scope": "root" })).await;
    assert_eq!(rotated.status(), StatusCode::OK);
    let (_, second_key, second_svid) = enrolled_agent(&server, &admin, "new-root-bot").await;
    let second_credential =
        write_credential("rotation-second", &second_svid, &second_key.serialize_pem());
    let (ok, body) = curl_whoami(&enforcer.agent_address, &second_credential, true);
    assert!(
        ok,
        "a certificate under the new root reaches the enforcer: {body}"
    );
    let (ok, body) = curl_whoami(&enforcer.agent_address, &first, true);
    assert!(ok, "certificates under the old root keep working: {body}");
    let (ok, _, output) = renew(&server, &first);
    assert!(
        ok,
        "an agent holding only the old root still renews (the chain is cross-signed): {output}"
    );

    // Distrust after a suspected compromise: only the newest root and intermediate remain, the
    // old chain is refused by the control plane and the enforcer, and new agents still work.
    let rotated = rotate(
        &server,
        &admin,
        json!({ "scope": "root", "distrust_previous": true }),
    )
    .await;
    assert_eq!(rotated.status(), StatusCode::OK);
    let ca: Value = rotated.json().await.expect("json");
    assert_eq!(
        ca.as_array()
            .expect("list")
            .iter()
            .filter(|row| row["in_bundle"] == true)
            .count(),
        2
    );
    assert_eq!(certificates_in(&bundle(&server).await), 2);
    eventually("the control plane refuses the distrusted chain", || {
        !renew(&server, &second_credential).0
    })
    .await;
    eventually("the enforcer refuses the distrusted chain", || {
        !curl_whoami(&enforcer.agent_address, &second_credential, true).0
    })
    .await;
    let (_, third_key, third_svid) = enrolled_agent(&server, &admin, "after-compromise-bot").await;
    assert_eq!(
        certificates_in(third_svid["bundle_pem"].as_str().expect("bundle")),
        2
    );
    let third = write_credential("rotation-third", &third_svid, &third_key.serialize_pem());
    eventually(
        "the enforcer serves a certificate from the new CA and admits the new agent",
        || curl_whoami(&enforcer.agent_address, &third, true).0,
    )
    .await;
    let (ok, _, output) = renew(&server, &third);
    assert!(ok, "the new agent renews: {output}");

    // Every rotation is in the audit trail.
    let mut db = server.audit_db().await;
    let (rotations,): (i64,) =
        sqlx::query_as("SELECT count(*) FROM audit_log WHERE action = 'identity.ca_rotated'")
            .fetch_one(&mut db)
            .await
            .expect("count");
    assert_eq!(rotations, 3);
}
