use crate::harness::{TestServer, bin, env, free_port};
use reqwest::{Method, StatusCode};
use serde_json::Value;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

async fn enforcer_status(
    server: &TestServer,
    session: &crate::harness::Session,
    id: &str,
) -> Option<String> {
    let list: Value = server
        .call(Method::GET, "/api/v1/enforcers", Some(session), None)
        .await
        .json()
        .await
        .expect("json");
    list.as_array()
        .expect("array")
        .iter()
        .find(|enforcer| enforcer["id"] == id)
        .map(|enforcer| enforcer["status"].as_str().unwrap_or_default().to_owned())
}

#[tokio::test]
async fn an_enforcer_announces_heartbeats_and_goes_stale_when_stopped() {
    let server = TestServer::start().await;
    let viewer = {
        let admin = server.admin().await;
        server.user_with_role(&admin, "watcher", "viewer").await
    };
    let id = uuid::Uuid::new_v4().to_string();
    let port = free_port();
    let mut enforcer = Command::new(bin("warden-enforcer"))
        .arg("serve")
        .env("NATS_URL", env("WARDEN_TEST_NATS_URL"))
        .env("WARDEN_ENFORCER_ID", &id)
        .env("WARDEN_ENFORCER_LISTEN", format!("127.0.0.1:{port}"))
        .env("WARDEN_HEARTBEAT_SECS", "1")
        .env("WARDEN_TRUST_DOMAIN", "test.warden.local")
        .env(
            "WARDEN_ENFORCER_AGENT_LISTEN",
            format!("127.0.0.1:{}", free_port()),
        )
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start enforcer");

    let deadline = Instant::now() + Duration::from_secs(20);
    while enforcer_status(&server, &viewer, &id).await.as_deref() != Some("live") {
        assert!(Instant::now() < deadline, "enforcer never appeared as live");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let metrics = reqwest::get(format!("http://127.0.0.1:{port}/metrics"))
        .await
        .expect("metrics");
    assert_eq!(metrics.status(), StatusCode::OK);
    // Ready once its agent listener holds a certificate and a CRL from the control plane.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let ready = reqwest::get(format!("http://127.0.0.1:{port}/readyz"))
            .await
            .expect("readyz");
        if ready.status() == StatusCode::OK {
            break;
        }
        assert!(Instant::now() < deadline, "enforcer never became ready");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    enforcer.kill().expect("kill");
    enforcer.wait().expect("wait");
    let deadline = Instant::now() + Duration::from_secs(20);
    while enforcer_status(&server, &viewer, &id).await.as_deref() != Some("stale") {
        assert!(
            Instant::now() < deadline,
            "stopped enforcer never went stale"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

#[tokio::test]
async fn a_restarted_control_plane_rediscovers_running_enforcers() {
    let id = uuid::Uuid::new_v4().to_string();
    let mut enforcer = Command::new(bin("warden-enforcer"))
        .arg("serve")
        .env("NATS_URL", env("WARDEN_TEST_NATS_URL"))
        .env("WARDEN_ENFORCER_ID", &id)
        .env(
            "WARDEN_ENFORCER_LISTEN",
            format!("127.0.0.1:{}", free_port()),
        )
        .env("WARDEN_HEARTBEAT_SECS", "30")
        .env(
            "WARDEN_ENFORCER_AGENT_LISTEN",
            format!("127.0.0.1:{}", free_port()),
        )
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start enforcer");
    tokio::time::sleep(Duration::from_millis(500)).await;
    // The control plane starts after the enforcer announced; discovery must still find it
    // long before the next heartbeat is due.
    let server = TestServer::start().await;
    let admin = server.admin().await;
    let deadline = Instant::now() + Duration::from_secs(10);
    while enforcer_status(&server, &admin, &id).await.as_deref() != Some("live") {
        assert!(Instant::now() < deadline, "enforcer was not rediscovered");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    enforcer.kill().expect("kill");
    enforcer.wait().expect("wait");
}
