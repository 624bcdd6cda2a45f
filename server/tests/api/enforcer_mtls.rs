//! The enforcer's agent-facing mTLS listener: SVIDs from the trust bundle get through, others
//! do not, and a revocation takes effect without a restart once the CRL arrives over NATS.

use crate::harness::{TestServer, bin, env, free_port};
use crate::identity::enrolled_agent;
use reqwest::StatusCode;
use serde_json::Value;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub fn curl_whoami(address: &str, dir: &std::path::Path, with_certificate: bool) -> (bool, String) {
    let mut command = Command::new("curl");
    command
        .args(["-sS", "--max-time", "5", "--cacert"])
        .arg(dir.join("bundle.pem"));
    if with_certificate {
        command
            .arg("--cert")
            .arg(dir.join("chain.pem"))
            .arg("--key")
            .arg(dir.join("key.pem"));
    }
    let output = command
        .arg(format!("https://{address}/v1/whoami"))
        .output()
        .expect("curl");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

/// A running `warden-enforcer serve`, killed when dropped.
pub struct Enforcer {
    child: std::process::Child,
    pub agent_address: String,
}

impl Drop for Enforcer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts an enforcer for `trust_domain` and waits until its agent listener is ready.
pub async fn start_enforcer(trust_domain: &str) -> Enforcer {
    start_enforcer_with(trust_domain, &[]).await
}

/// Like [`start_enforcer`], with extra environment (e.g. `WARDEN_POLICY_KEYS`).
pub async fn start_enforcer_with(trust_domain: &str, extra_env: &[(&str, &str)]) -> Enforcer {
    let health_port = free_port();
    let agent_address = format!("127.0.0.1:{}", free_port());
    // The enforcer's log, for reading after a failure.
    let log_path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "enforcer-{}.log",
        agent_address.replace([':', '.'], "-")
    ));
    eprintln!("enforcer log: {}", log_path.display());
    let log = std::fs::File::create(&log_path).expect("enforcer log");
    let child = Command::new(bin("warden-enforcer"))
        .arg("serve")
        .env("NATS_URL", env("WARDEN_TEST_NATS_URL"))
        .env("WARDEN_ENFORCER_LISTEN", format!("127.0.0.1:{health_port}"))
        .env("WARDEN_ENFORCER_AGENT_LISTEN", &agent_address)
        .env("WARDEN_TRUST_DOMAIN", trust_domain)
        .envs(extra_env.iter().copied())
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("start enforcer");
    let enforcer = Enforcer {
        child,
        agent_address,
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    while reqwest::get(format!("http://127.0.0.1:{health_port}/readyz"))
        .await
        .map(|r| r.status())
        .ok()
        != Some(StatusCode::OK)
    {
        assert!(
            Instant::now() < deadline,
            "enforcer agent listener never became ready"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    enforcer
}

/// Writes an enrolment or renewal reply and its key where curl can read them.
pub fn write_credential(name: &str, svid: &Value, key_pem: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("{name}-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::write(
        dir.join("bundle.pem"),
        svid["bundle_pem"].as_str().expect("bundle"),
    )
    .expect("write");
    std::fs::write(
        dir.join("chain.pem"),
        svid["certificate_chain_pem"].as_str().expect("chain"),
    )
    .expect("write");
    std::fs::write(dir.join("key.pem"), key_pem).expect("write");
    dir
}

#[tokio::test]
async fn the_enforcer_admits_current_svids_and_applies_revocation_without_restart() {
    // A trust domain of its own: other tests' control planes share this NATS server.
    let trust_domain = format!("td-{}.test", uuid::Uuid::new_v4().simple());
    let server = TestServer::start_with(&[("WARDEN_TRUST_DOMAIN", trust_domain.as_str())]).await;
    let enforcer = start_enforcer(&trust_domain).await;
    let agent_address = enforcer.agent_address.clone();

    let admin = server.admin().await;
    let (agent, key, svid) = enrolled_agent(&server, &admin, "proxy-bot").await;
    let dir = write_credential("enforcer-mtls", &svid, &key.serialize_pem());
    let (ok, body) = curl_whoami(&agent_address, &dir, true);
    assert!(ok, "a valid SVID gets through: {body}");
    let whoami: Value = serde_json::from_str(&body).expect("json");
    assert_eq!(whoami["spiffe_id"], svid["spiffe_id"]);
    let (ok, _) = curl_whoami(&agent_address, &dir, false);
    assert!(!ok, "no certificate, no entry");

    crate::identity::revoke_agent(&server, &admin, &agent).await;
    let revoked_at = Instant::now();
    loop {
        let (ok, _) = curl_whoami(&agent_address, &dir, true);
        if !ok {
            break;
        }
        assert!(
            revoked_at.elapsed() < Duration::from_secs(10),
            "the enforcer never applied the revocation"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    eprintln!(
        "revocation reached the enforcer within {:?}",
        revoked_at.elapsed()
    );
    drop(enforcer);
}
