//! The agent-facing mTLS listener: a client certificate chaining to the agent CA is required,
//! and renewal is refused once the certificate is revoked.

use crate::harness::TestServer;
use crate::identity::{csr, enrolled_agent};
use rcgen::{
    BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, PKCS_ECDSA_P256_SHA256,
    SanType,
};
use reqwest::Method;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use serde_json::{Value, json};
use sqlx::Connection;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use warden_server::identity::kek::KeyEncryptionKey;

struct Credential {
    dir: PathBuf,
}

impl Credential {
    fn write(name: &str, bundle: &str, chain: &str, key: &str) -> Credential {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("mtls-{name}-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).expect("dir");
        std::fs::write(dir.join("bundle.pem"), bundle).expect("write");
        std::fs::write(dir.join("chain.pem"), chain).expect("write");
        std::fs::write(dir.join("key.pem"), key).expect("write");
        Credential { dir }
    }

    fn path(&self, file: &str) -> PathBuf {
        self.dir.join(file)
    }
}

/// `curl` as an agent would use it; returns (exit success, HTTP status, body).
fn curl_renew(
    server: &TestServer,
    bundle: &Path,
    client: Option<&Credential>,
    csr: &str,
) -> (bool, u16, String) {
    curl_post(server, "renew", bundle, client, json!({ "csr": csr }))
}

fn curl_post(
    server: &TestServer,
    endpoint: &str,
    bundle: &Path,
    client: Option<&Credential>,
    body: Value,
) -> (bool, u16, String) {
    let mut command = Command::new("curl");
    command
        .args([
            "-sS",
            "-o",
            "-",
            "-w",
            "\n%{http_code}",
            "--max-time",
            "10",
            "--cacert",
        ])
        .arg(bundle)
        .args(["-H", "content-type: application/json", "-d"])
        .arg(body.to_string());
    if let Some(client) = client {
        command
            .arg("--cert")
            .arg(client.path("chain.pem"))
            .arg("--key")
            .arg(client.path("key.pem"));
    }
    command.arg(format!(
        "https://{}/api/v1/identity/{endpoint}",
        server.agent_address
    ));
    let output = command.output().expect("run curl");
    let stdout = String::from_utf8_lossy(&output.stdout).to_string();
    let (body, status) = stdout.rsplit_once('\n').unwrap_or(("", "0"));
    (
        output.status.success(),
        status.trim().parse().unwrap_or(0),
        body.to_owned(),
    )
}

/// A rustls client: POSTs to the renew endpoint and returns the response head, or the error.
async fn rustls_renew(
    server: &TestServer,
    bundle: &str,
    client: Option<(&str, &str)>,
    csr: &str,
) -> std::io::Result<String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = rustls::RootCertStore::empty();
    for certificate in CertificateDer::pem_slice_iter(bundle.as_bytes()) {
        roots.add(certificate.expect("pem")).expect("root");
    }
    let builder = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_root_certificates(roots);
    let config = match client {
        Some((chain, key)) => builder
            .with_client_auth_cert(
                CertificateDer::pem_slice_iter(chain.as_bytes())
                    .collect::<Result<Vec<_>, _>>()
                    .expect("chain"),
                PrivateKeyDer::from_pem_slice(key.as_bytes()).expect("key"),
            )
            .expect("client auth"),
        None => builder.with_no_client_auth(),
    };
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let tcp = tokio::net::TcpStream::connect(&server.agent_address).await?;
    let mut tls = connector
        .connect(ServerName::try_from("127.0.0.1").expect("name"), tcp)
        .await?;
    let body = json!({ "csr": csr }).to_string();
    let request = format!(
        "POST /api/v1/identity/renew HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    tls.write_all(request.as_bytes()).await?;
    let mut response = String::new();
    tls.read_to_string(&mut response).await?;
    Ok(response.lines().next().unwrap_or_default().to_owned())
}

#[tokio::test]
async fn only_current_svids_from_this_ca_get_through() {
    let server = TestServer::start().await;
    let admin = server.admin().await;
    let (agent, key, svid) = enrolled_agent(&server, &admin, "mtls-bot").await;
    let bundle = svid["bundle_pem"].as_str().expect("bundle").to_owned();
    let chain = svid["certificate_chain_pem"]
        .as_str()
        .expect("chain")
        .to_owned();
    let valid = Credential::write("valid", &bundle, &chain, &key.serialize_pem());
    let bundle_path = valid.path("bundle.pem");

    // A valid SVID renews, with curl and with a rustls client; the new certificate may use a new key.
    let (_next_key, next_csr) = csr(&PKCS_ECDSA_P256_SHA256);
    let (ok, status, body) = curl_renew(&server, &bundle_path, Some(&valid), &next_csr);
    assert!(
        ok && status == 200,
        "renewal with a valid SVID: {status} {body}"
    );
    let renewed: Value = serde_json::from_str(&body).expect("json");
    assert_eq!(renewed["spiffe_id"], svid["spiffe_id"]);
    assert_ne!(renewed["serial"], svid["serial"]);
    let head = rustls_renew(
        &server,
        &bundle,
        Some((&chain, &key.serialize_pem())),
        &next_csr,
    )
    .await
    .expect("rustls");
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");

    // No client certificate: refused. One-way TLS is not offered.
    let (ok, status, _) = curl_renew(&server, &bundle_path, None, &next_csr);
    assert!(!ok && status != 200, "no certificate: {status}");
    assert!(
        rustls_renew(&server, &bundle, None, &next_csr)
            .await
            .is_err(),
        "rustls without a certificate"
    );

    // A certificate from another CA: refused.
    let foreign_key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256).expect("key");
    let mut foreign_ca = CertificateParams::new(Vec::<String>::new()).expect("params");
    foreign_ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    foreign_ca
        .distinguished_name
        .push(DnType::CommonName, "Some other CA");
    let foreign_issuer = Issuer::new(foreign_ca.clone(), &foreign_key);
    let foreign_ca_pem = foreign_ca.self_signed(&foreign_key).expect("ca").pem();
    let impostor_key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256).expect("key");
    let mut impostor = CertificateParams::new(Vec::<String>::new()).expect("params");
    impostor.subject_alt_names = vec![SanType::URI(
        svid["spiffe_id"]
            .as_str()
            .expect("id")
            .try_into()
            .expect("ia5"),
    )];
    let impostor_pem = impostor
        .signed_by(&impostor_key, &foreign_issuer)
        .expect("leaf")
        .pem();
    let foreign = Credential::write(
        "foreign",
        &bundle,
        &format!("{impostor_pem}{foreign_ca_pem}"),
        &impostor_key.serialize_pem(),
    );
    let (ok, status, _) = curl_renew(&server, &bundle_path, Some(&foreign), &next_csr);
    assert!(!ok && status != 200, "foreign CA: {status}");
    let foreign_chain = format!("{impostor_pem}{foreign_ca_pem}");
    assert!(
        rustls_renew(
            &server,
            &bundle,
            Some((&foreign_chain, &impostor_key.serialize_pem())),
            &next_csr
        )
        .await
        .is_err()
    );

    // An expired certificate from the right CA: refused. (The test signs it with the real
    // intermediate, unsealed with the key-encryption key it started the server with.)
    let mut db = sqlx::PgConnection::connect(&server.database_url)
        .await
        .expect("connect");
    let (id, certificate_pem, sealed): (uuid::Uuid, String, Vec<u8>) =
        sqlx::query_as("SELECT id, certificate_pem, encrypted_key FROM ca_certificates WHERE kind = 'intermediate' AND active")
            .fetch_one(&mut db)
            .await
            .expect("intermediate");
    use base64::Engine;
    let kek = KeyEncryptionKey::from_bytes(
        &base64::engine::general_purpose::STANDARD
            .decode(&server.kek)
            .expect("kek"),
    )
    .expect("kek");
    let intermediate_key = String::from_utf8(
        kek.open(&sealed, &format!("warden-ca-key:{id}"))
            .expect("unseal"),
    )
    .expect("utf8");
    let intermediate = Issuer::from_ca_cert_pem(
        &certificate_pem,
        KeyPair::from_pem(&intermediate_key).expect("key"),
    )
    .expect("issuer");
    let stale_key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256).expect("key");
    let mut stale = CertificateParams::new(Vec::<String>::new()).expect("params");
    stale.subject_alt_names = vec![SanType::URI(
        svid["spiffe_id"]
            .as_str()
            .expect("id")
            .try_into()
            .expect("ia5"),
    )];
    stale.not_before = time::OffsetDateTime::now_utc() - time::Duration::hours(48);
    stale.not_after = time::OffsetDateTime::now_utc() - time::Duration::hours(24);
    let stale_pem = stale
        .signed_by(&stale_key, &intermediate)
        .expect("leaf")
        .pem();
    let expired = Credential::write(
        "expired",
        &bundle,
        &format!("{stale_pem}{certificate_pem}"),
        &stale_key.serialize_pem(),
    );
    let (ok, status, _) = curl_renew(&server, &bundle_path, Some(&expired), &next_csr);
    assert!(!ok && status != 200, "expired certificate: {status}");

    // A JWT-SVID for callers that cannot do mTLS, verifiable with the published JWKS.
    let (ok, status, body) = curl_post(
        &server,
        "jwt-svid",
        &bundle_path,
        Some(&valid),
        json!({ "audience": ["billing-api"] }),
    );
    assert!(ok && status == 200, "JWT-SVID: {status} {body}");
    let issued: Value = serde_json::from_str(&body).expect("json");
    let token = issued["token"].as_str().expect("token");
    let jwks: Value = server
        .call(Method::GET, "/api/v1/identity/jwks", None, None)
        .await
        .json()
        .await
        .expect("jwks");
    let (signing_input, signature) = token.rsplit_once('.').expect("compact JWS");
    let (header, claims) = signing_input.split_once('.').expect("header.claims");
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let header: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).expect("b64")).expect("json");
    let claims: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(claims).expect("b64")).expect("json");
    assert_eq!(header["alg"], "EdDSA");
    let jwk = jwks["keys"]
        .as_array()
        .expect("keys")
        .iter()
        .find(|key| key["kid"] == header["kid"])
        .expect("kid in JWKS");
    assert_eq!(
        (jwk["kty"].as_str(), jwk["crv"].as_str()),
        (Some("OKP"), Some("Ed25519"))
    );
    ring::signature::UnparsedPublicKey::new(
        &ring::signature::ED25519,
        URL_SAFE_NO_PAD
            .decode(jwk["x"].as_str().expect("x"))
            .expect("b64"),
    )
    .verify(
        signing_input.as_bytes(),
        &URL_SAFE_NO_PAD.decode(signature).expect("b64"),
    )
    .expect("the JWT-SVID verifies with the JWKS");
    assert_eq!(claims["sub"], svid["spiffe_id"]);
    assert_eq!(claims["aud"], json!(["billing-api"]));
    assert_eq!(
        claims["exp"].as_i64().expect("exp") - claims["iat"].as_i64().expect("iat"),
        300,
        "minutes-long"
    );
    let (_, status, _) = curl_post(
        &server,
        "jwt-svid",
        &bundle_path,
        Some(&valid),
        json!({ "audience": [] }),
    );
    assert_eq!(status, 422, "an audience is required");

    // After revocation, the still-unexpired certificate can no longer renew.
    crate::identity::revoke_agent(&server, &admin, &agent).await;
    let (_, status, body) = curl_renew(&server, &bundle_path, Some(&valid), &next_csr);
    assert_eq!(status, 403, "renewal after revocation: {body}");
    let (_, status, _) = curl_post(
        &server,
        "jwt-svid",
        &bundle_path,
        Some(&valid),
        json!({ "audience": ["billing-api"] }),
    );
    assert_eq!(status, 403, "no JWT-SVID after revocation");
}
