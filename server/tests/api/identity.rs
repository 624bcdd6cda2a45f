use crate::harness::{TestServer, error_code};
use crate::roles::register_agent;
use rcgen::{CertificateParams, KeyPair, PKCS_ECDSA_P256_SHA256, PKCS_ED25519};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sqlx::Connection;
use x509_parser::extensions::{GeneralName, ParsedExtension};
use x509_parser::pem::parse_x509_pem;

/// What an agent does: make its own key and a CSR for it.
pub fn csr(algorithm: &'static rcgen::SignatureAlgorithm) -> (KeyPair, String) {
    let key = KeyPair::generate_for(algorithm).expect("key");
    let csr = CertificateParams::new(vec!["ignored.example".to_owned()])
        .expect("params")
        .serialize_request(&key)
        .expect("csr")
        .pem()
        .expect("pem");
    (key, csr)
}

pub async fn join_token(
    server: &TestServer,
    session: &crate::harness::Session,
    agent: &str,
) -> String {
    let response = server
        .call(
            Method::POST,
            &format!("/api/v1/agents/{agent}/join-tokens"),
            Some(session),
            Some(json!({})),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let token: Value = response.json().await.expect("json");
    token["token"].as_str().expect("token").to_owned()
}

pub async fn enroll(
    server: &TestServer,
    token: &str,
    csr: &str,
    lifetime_hours: Option<u32>,
) -> reqwest::Response {
    let mut body = json!({ "join_token": token, "csr": csr });
    if let Some(hours) = lifetime_hours {
        body["lifetime_hours"] = json!(hours);
    }
    server
        .call(Method::POST, "/api/v1/identity/enroll", None, Some(body))
        .await
}

/// Registers an agent and enrols it with a fresh P-256 key: (agent id, key, enrolment reply).
pub async fn enrolled_agent(
    server: &TestServer,
    session: &crate::harness::Session,
    name: &str,
) -> (String, KeyPair, Value) {
    let agent = register_agent(server, session, name).await;
    let token = join_token(server, session, &agent).await;
    let (key, request) = csr(&PKCS_ECDSA_P256_SHA256);
    let svid = enroll(server, &token, &request, None)
        .await
        .json()
        .await
        .expect("json");
    (agent, key, svid)
}

/// Revokes every certificate of the agent, as an operator would.
pub async fn revoke_agent(server: &TestServer, session: &crate::harness::Session, agent: &str) {
    let revoke = server
        .call(
            Method::POST,
            &format!("/api/v1/agents/{agent}/revoke"),
            Some(session),
            None,
        )
        .await;
    assert!(revoke.status().is_success());
}

/// The first certificate (the SVID itself) of a PEM chain.
pub fn leaf_of(chain: &str) -> &str {
    let end = chain
        .find("-----END CERTIFICATE-----")
        .expect("a certificate")
        + "-----END CERTIFICATE-----\n".len();
    &chain[..end]
}

/// Checks every rule of the SPIFFE X.509-SVID standard on a leaf certificate.
fn assert_spiffe_svid(pem: &str, spiffe_id: &str, lifetime_hours: i64) {
    let (_, pem) = parse_x509_pem(pem.as_bytes()).expect("pem");
    let certificate = pem.parse_x509().expect("x509");
    let mut uri_sans = Vec::new();
    let mut saw_key_usage = false;
    let mut saw_basic_constraints = false;
    for extension in certificate.extensions() {
        match extension.parsed_extension() {
            ParsedExtension::SubjectAlternativeName(san) => {
                for name in &san.general_names {
                    if let GeneralName::URI(uri) = name {
                        uri_sans.push(uri.to_string());
                    }
                }
            }
            ParsedExtension::KeyUsage(usage) => {
                saw_key_usage = true;
                assert!(extension.critical, "key usage must be critical");
                assert!(usage.digital_signature(), "digitalSignature required");
                assert!(
                    !usage.key_cert_sign() && !usage.crl_sign(),
                    "leaf must not sign certificates or CRLs"
                );
            }
            ParsedExtension::BasicConstraints(constraints) => {
                saw_basic_constraints = true;
                assert!(!constraints.ca, "an SVID is not a CA");
            }
            ParsedExtension::ExtendedKeyUsage(usage) => {
                assert!(
                    usage.server_auth && usage.client_auth,
                    "EKU serverAuth + clientAuth"
                );
            }
            _ => {}
        }
    }
    assert_eq!(
        uri_sans,
        vec![spiffe_id.to_owned()],
        "exactly one URI SAN, the SPIFFE ID"
    );
    assert!(saw_key_usage, "key usage present");
    assert!(saw_basic_constraints, "CA:FALSE stated");
    let validity = certificate.validity();
    let lifetime = validity.not_after.timestamp() - validity.not_before.timestamp();
    assert_eq!(lifetime, lifetime_hours * 3600, "lifetime set explicitly");
}

#[tokio::test]
async fn enrolment_issues_a_spiffe_svid_that_openssl_verifies() {
    let server = TestServer::start().await;
    let admin = server.admin().await;
    let engineer = server
        .user_with_role(&admin, "id-eng", "security_engineer")
        .await;
    let agent = register_agent(&server, &engineer, "svid-bot").await;
    let token = join_token(&server, &engineer, &agent).await;

    let (_key, request) = csr(&PKCS_ECDSA_P256_SHA256);
    let response = enroll(&server, &token, &request, None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let svid: Value = response.json().await.expect("json");
    let spiffe_id = format!("spiffe://test.warden.local/agent/{agent}");
    assert_eq!(svid["spiffe_id"], spiffe_id);
    let chain = svid["certificate_chain_pem"].as_str().expect("chain");
    assert_spiffe_svid(chain, &spiffe_id, 24);

    // The published bundle verifies it, with openssl as a relying party would.
    let bundle = server
        .call(Method::GET, "/api/v1/identity/bundle", None, None)
        .await
        .text()
        .await
        .expect("bundle");
    assert_eq!(bundle, svid["bundle_pem"].as_str().expect("bundle"));
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("svid-{agent}"));
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::write(dir.join("bundle.pem"), &bundle).expect("write");
    std::fs::write(dir.join("leaf.pem"), leaf_of(chain)).expect("write");
    let verify = std::process::Command::new("openssl")
        .args(["verify", "-purpose", "sslclient", "-CAfile"])
        .arg(dir.join("bundle.pem"))
        .arg(dir.join("leaf.pem"))
        .output()
        .expect("run openssl");
    assert!(
        verify.status.success(),
        "openssl verify: {}{}",
        String::from_utf8_lossy(&verify.stdout),
        String::from_utf8_lossy(&verify.stderr)
    );

    // The token worked once.
    let (_key, again) = csr(&PKCS_ECDSA_P256_SHA256);
    let reuse = enroll(&server, &token, &again, None).await;
    assert_eq!(reuse.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(error_code(reuse).await, "invalid_token");

    // CA private keys are sealed at rest; issuance is recorded and audited.
    let mut db = sqlx::PgConnection::connect(&server.database_url)
        .await
        .expect("connect");
    let keys: Vec<(Vec<u8>,)> = sqlx::query_as("SELECT encrypted_key FROM ca_certificates")
        .fetch_all(&mut db)
        .await
        .expect("query");
    assert_eq!(keys.len(), 2, "a root and an intermediate");
    for (key,) in keys {
        assert!(!String::from_utf8_lossy(&key).contains("PRIVATE KEY"));
    }
    let (count,): (i64,) = sqlx::query_as("SELECT count(*) FROM svids")
        .fetch_one(&mut db)
        .await
        .expect("query");
    assert_eq!(count, 1);
    let mut db = server.audit_db().await;
    let (audited,): (i64,) = sqlx::query_as("SELECT count(*) FROM audit_log WHERE action IN ('agent.join_token_created', 'agent.svid_issued')")
        .fetch_one(&mut db)
        .await
        .expect("query");
    assert_eq!(audited, 2);
}

#[tokio::test]
async fn join_tokens_expire_and_bad_requests_do_not_consume_them() {
    let server = TestServer::start().await;
    let admin = server.admin().await;
    let agent = register_agent(&server, &admin, "token-bot").await;

    let token = join_token(&server, &admin, &agent).await;
    let garbage = enroll(
        &server,
        &token,
        "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n",
        None,
    )
    .await;
    assert_eq!(garbage.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let (_key, request) = csr(&PKCS_ED25519);
    let too_long = enroll(&server, &token, &request, Some(73)).await;
    assert_eq!(too_long.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let beyond_agent = enroll(&server, &token, &request, Some(48)).await;
    assert_eq!(
        beyond_agent.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "agent allows 24 h"
    );
    let shorter = enroll(&server, &token, &request, Some(2)).await;
    assert_eq!(
        shorter.status(),
        StatusCode::OK,
        "the token survived the refused attempts"
    );
    let svid: Value = shorter.json().await.expect("json");
    assert_spiffe_svid(
        svid["certificate_chain_pem"].as_str().expect("chain"),
        svid["spiffe_id"].as_str().expect("id"),
        2,
    );

    let expiring = join_token(&server, &admin, &agent).await;
    let mut db = sqlx::PgConnection::connect(&server.database_url)
        .await
        .expect("connect");
    sqlx::query(
        "UPDATE join_tokens SET expires_at = now() - interval '1 second' WHERE used_at IS NULL",
    )
    .execute(&mut db)
    .await
    .expect("expire");
    let (_key, request) = csr(&PKCS_ECDSA_P256_SHA256);
    assert_eq!(
        enroll(&server, &expiring, &request, None).await.status(),
        StatusCode::UNAUTHORIZED
    );

    let bad_ttl = server
        .call(
            Method::POST,
            &format!("/api/v1/agents/{agent}/join-tokens"),
            Some(&admin),
            Some(json!({ "ttl_minutes": 600 })),
        )
        .await;
    assert_eq!(bad_ttl.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn lifetimes_are_bounded_per_agent_and_retired_agents_get_nothing() {
    let server = TestServer::start().await;
    let admin = server.admin().await;
    let over = server
        .call(Method::POST, "/api/v1/agents", Some(&admin), Some(json!({ "name": "greedy", "owner_team": "t", "purpose": "p", "environment": "prod", "svid_lifetime_hours": 100 })))
        .await;
    assert_eq!(over.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let long = server
        .call(Method::POST, "/api/v1/agents", Some(&admin), Some(json!({ "name": "long-lived", "owner_team": "t", "purpose": "p", "environment": "prod", "svid_lifetime_hours": 72 })))
        .await;
    assert_eq!(long.status(), StatusCode::CREATED);
    let long: Value = long.json().await.expect("json");
    let agent = long["id"].as_str().expect("id").to_owned();
    let token = join_token(&server, &admin, &agent).await;
    let (_key, request) = csr(&PKCS_ECDSA_P256_SHA256);
    let response = enroll(&server, &token, &request, None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let svid: Value = response.json().await.expect("json");
    assert_spiffe_svid(
        svid["certificate_chain_pem"].as_str().expect("chain"),
        svid["spiffe_id"].as_str().expect("id"),
        72,
    );

    let pending = join_token(&server, &admin, &agent).await;
    let retire = server
        .call(
            Method::POST,
            &format!("/api/v1/agents/{agent}/retire"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(retire.status(), StatusCode::OK);
    let (_key, request) = csr(&PKCS_ECDSA_P256_SHA256);
    assert_eq!(
        enroll(&server, &pending, &request, None).await.status(),
        StatusCode::CONFLICT
    );
    let refused = server
        .call(
            Method::POST,
            &format!("/api/v1/agents/{agent}/join-tokens"),
            Some(&admin),
            Some(json!({})),
        )
        .await;
    assert_eq!(refused.status(), StatusCode::CONFLICT);
}

async fn agent_json(server: &TestServer, session: &crate::harness::Session, agent: &str) -> Value {
    server
        .call(
            Method::GET,
            &format!("/api/v1/agents/{agent}"),
            Some(session),
            None,
        )
        .await
        .json()
        .await
        .expect("json")
}

#[tokio::test]
async fn credentials_show_their_state_and_can_be_revoked() {
    let server = TestServer::start().await;
    let admin = server.admin().await;
    let agent = register_agent(&server, &admin, "revoke-bot").await;
    assert!(
        agent_json(&server, &admin, &agent).await["credential"].is_null(),
        "not enrolled yet"
    );

    let token = join_token(&server, &admin, &agent).await;
    let (_key, request) = csr(&PKCS_ECDSA_P256_SHA256);
    let svid: Value = enroll(&server, &token, &request, None)
        .await
        .json()
        .await
        .expect("json");
    let serial = svid["serial"].as_str().expect("serial").to_owned();
    let shown = agent_json(&server, &admin, &agent).await;
    assert_eq!(shown["credential"]["state"], "valid");
    assert_eq!(shown["credential"]["serial"], serial.as_str());

    let single = server
        .call(
            Method::POST,
            &format!("/api/v1/certificates/{serial}/revoke"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(single.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        agent_json(&server, &admin, &agent).await["credential"]["state"],
        "revoked"
    );
    let twice = server
        .call(
            Method::POST,
            &format!("/api/v1/certificates/{serial}/revoke"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(twice.status(), StatusCode::CONFLICT);
    let unknown = server
        .call(
            Method::POST,
            "/api/v1/certificates/abcdef/revoke",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);

    // A second certificate, then revoke everything the agent holds; retirement does the same.
    let token = join_token(&server, &admin, &agent).await;
    let (_key, request) = csr(&PKCS_ED25519);
    assert_eq!(
        enroll(&server, &token, &request, None).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        agent_json(&server, &admin, &agent).await["credential"]["state"],
        "valid"
    );
    let all: Value = server
        .call(
            Method::POST,
            &format!("/api/v1/agents/{agent}/revoke"),
            Some(&admin),
            None,
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(all["revoked"], 1);
    assert_eq!(
        agent_json(&server, &admin, &agent).await["credential"]["state"],
        "revoked"
    );

    let other = register_agent(&server, &admin, "retiring-bot").await;
    let token = join_token(&server, &admin, &other).await;
    let (_key, request) = csr(&PKCS_ECDSA_P256_SHA256);
    assert_eq!(
        enroll(&server, &token, &request, None).await.status(),
        StatusCode::OK
    );
    let retired: Value = server
        .call(
            Method::POST,
            &format!("/api/v1/agents/{other}/retire"),
            Some(&admin),
            None,
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(retired["credential"]["state"], "revoked");
}
