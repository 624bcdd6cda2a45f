//! Revocation as relying parties see it: the signed CRL over HTTP and NATS, for every unexpired
//! intermediate.

use crate::harness::TestServer;
use crate::identity::{enrolled_agent, leaf_of};
use reqwest::Method;
use serde_json::Value;
use sqlx::Connection;

fn openssl_verify_with_crl(
    dir: &std::path::Path,
    bundle: &str,
    crl: &str,
    leaf: &str,
) -> (bool, String) {
    std::fs::create_dir_all(dir).expect("dir");
    std::fs::write(dir.join("bundle.pem"), bundle).expect("write");
    std::fs::write(dir.join("crl.pem"), crl).expect("write");
    std::fs::write(dir.join("leaf.pem"), leaf).expect("write");
    let output = std::process::Command::new("openssl")
        .args(["verify", "-crl_check", "-CAfile"])
        .arg(dir.join("bundle.pem"))
        .arg("-CRLfile")
        .arg(dir.join("crl.pem"))
        .arg(dir.join("leaf.pem"))
        .output()
        .expect("openssl");
    (
        output.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
    )
}

#[tokio::test]
async fn revocation_is_published_as_a_signed_crl_over_http_and_nats() {
    use futures::StreamExt;
    let server = TestServer::start().await;
    let nats = async_nats::connect(crate::harness::env("WARDEN_TEST_NATS_URL"))
        .await
        .expect("nats");
    let mut crls = nats
        .subscribe("warden.identity.crl")
        .await
        .expect("subscribe");
    let admin = server.admin().await;
    let (agent, _key, svid) = enrolled_agent(&server, &admin, "crl-bot").await;
    let bundle = svid["bundle_pem"].as_str().expect("bundle").to_owned();
    let chain = svid["certificate_chain_pem"].as_str().expect("chain");
    let leaf = leaf_of(chain);
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("crl-{agent}"));

    let before = server
        .call(Method::GET, "/api/v1/identity/crl", None, None)
        .await
        .text()
        .await
        .expect("crl");
    let (ok, output) = openssl_verify_with_crl(&dir, &bundle, &before, leaf);
    assert!(ok, "not yet revoked: {output}");

    crate::identity::revoke_agent(&server, &admin, &agent).await;
    // The fleet hears about it at once (other tests' control planes share this NATS server).
    let pushed = tokio::time::timeout(std::time::Duration::from_secs(10), async {
        while let Some(message) = crls.next().await {
            let crl: Value = serde_json::from_slice(&message.payload).expect("json");
            if crl["bundle_pem"] == bundle.as_str() && crl["revoked"].as_u64() >= Some(1) {
                return crl;
            }
        }
        panic!("subscription ended");
    })
    .await
    .expect("a CRL reached NATS");
    let (ok, output) = openssl_verify_with_crl(
        &dir,
        &bundle,
        pushed["crl_pem"].as_str().expect("pem"),
        leaf,
    );
    assert!(
        !ok && output.contains("revoked"),
        "revoked after the push: {output}"
    );
    let after = server
        .call(Method::GET, "/api/v1/identity/crl", None, None)
        .await
        .text()
        .await
        .expect("crl");
    let (ok, _) = openssl_verify_with_crl(&dir, &bundle, &after, leaf);
    assert!(!ok, "the served CRL revokes it too");

    // A starting enforcer can ask for the current CRL.
    let reply = nats
        .request("warden.identity.crl.get", "test.warden.local".into())
        .await
        .expect("request");
    let current: Value = serde_json::from_slice(&reply.payload).expect("json");
    assert!(
        current["crl_pem"]
            .as_str()
            .expect("pem")
            .contains("BEGIN X509 CRL")
    );
}

#[tokio::test]
async fn certificates_of_a_rotated_out_intermediate_stay_checkable_and_revocable() {
    let mut server = TestServer::start().await;
    let admin = server.admin().await;
    let (agent, _key, svid) = enrolled_agent(&server, &admin, "rotation-bot").await;
    let chain = svid["certificate_chain_pem"]
        .as_str()
        .expect("chain")
        .to_owned();
    let leaf = leaf_of(&chain).to_owned();

    // The intermediate nears its end: the next start issues a new one.
    let mut db = sqlx::PgConnection::connect(&server.database_url)
        .await
        .expect("connect");
    sqlx::query("UPDATE ca_certificates SET not_after = now() + interval '10 days' WHERE kind = 'intermediate'")
        .execute(&mut db)
        .await
        .expect("age the intermediate");
    server.restart().await;
    let (intermediates,): (i64,) =
        sqlx::query_as("SELECT count(*) FROM ca_certificates WHERE kind = 'intermediate'")
            .fetch_one(&mut db)
            .await
            .expect("count");
    assert_eq!(intermediates, 2, "a new intermediate was issued");

    let bundle = server
        .call(Method::GET, "/api/v1/identity/bundle", None, None)
        .await
        .text()
        .await
        .expect("bundle");
    let dir =
        std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("rotation-{agent}"));
    let crl = server
        .call(Method::GET, "/api/v1/identity/crl", None, None)
        .await
        .text()
        .await
        .expect("crl");
    let (ok, output) = openssl_verify_with_crl(&dir, &bundle, &crl, &leaf);
    assert!(
        ok,
        "the old intermediate's certificate still verifies, with a CRL: {output}"
    );

    crate::identity::revoke_agent(&server, &admin, &agent).await;
    let crl = server
        .call(Method::GET, "/api/v1/identity/crl", None, None)
        .await
        .text()
        .await
        .expect("crl");
    let (ok, output) = openssl_verify_with_crl(&dir, &bundle, &crl, &leaf);
    assert!(
        !ok && output.contains("revoked"),
        "and it can still be revoked: {output}"
    );
}
