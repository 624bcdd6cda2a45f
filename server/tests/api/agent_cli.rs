//! `warden-agent` end to end: enrol with a join token, renew over mTLS, refused after revocation.

use crate::harness::{TestServer, bin};
use crate::identity::join_token;
use crate::roles::register_agent;

use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::process::Command;

fn run(args: &[&str]) -> (bool, String) {
    let output = Command::new(bin("warden-agent"))
        .args(args)
        .output()
        .expect("run warden-agent");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

#[tokio::test]
async fn the_agent_cli_enrols_keeps_its_key_and_renews() {
    let server = TestServer::start().await;
    let admin = server.admin().await;
    let agent = register_agent(&server, &admin, "cli-bot").await;
    let token = join_token(&server, &admin, &agent).await;
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("agent-cli-{agent}"));
    let dir_arg = dir.to_string_lossy().into_owned();

    let (ok, output) = run(&[
        "enroll",
        "--server",
        &server.base,
        "--token",
        &token,
        "--dir",
        &dir_arg,
    ]);
    assert!(ok, "enroll: {output}");
    assert!(
        output.contains(&format!("spiffe://test.warden.local/agent/{agent}")),
        "{output}"
    );
    let mode = std::fs::metadata(dir.join("key.pem"))
        .expect("key")
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o600, "the private key is readable by its owner only");
    let verify = Command::new("openssl")
        .args(["verify", "-CAfile"])
        .arg(dir.join("bundle.pem"))
        .arg(dir.join("svid.pem"))
        .output()
        .expect("openssl");
    assert!(
        verify.status.success(),
        "{}",
        String::from_utf8_lossy(&verify.stdout)
    );

    let (ok, output) = run(&[
        "enroll",
        "--server",
        &server.base,
        "--token",
        &token,
        "--dir",
        &dir_arg,
    ]);
    assert!(
        !ok && output.contains("401"),
        "a join token works once: {output}"
    );

    let key_before = std::fs::read_to_string(dir.join("key.pem")).expect("key");
    let svid_before = std::fs::read_to_string(dir.join("svid.pem")).expect("svid");
    let (ok, output) = run(&[
        "renew",
        "--once",
        "--endpoint",
        &server.agent_address,
        "--dir",
        &dir_arg,
    ]);
    assert!(ok, "renew: {output}");
    assert_ne!(
        std::fs::read_to_string(dir.join("key.pem")).expect("key"),
        key_before,
        "a new key per renewal"
    );
    assert_ne!(
        std::fs::read_to_string(dir.join("svid.pem")).expect("svid"),
        svid_before
    );

    crate::identity::revoke_agent(&server, &admin, &agent).await;
    let (ok, output) = run(&[
        "renew",
        "--once",
        "--endpoint",
        &server.agent_address,
        "--dir",
        &dir_arg,
    ]);
    assert!(
        !ok && output.contains("403"),
        "renewal after revocation: {output}"
    );
}
