use reqwest::{Method, Response, StatusCode};
use serde_json::Value;
use sqlx::Connection;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub fn env(name: &str) -> String {
    std::env::var(name)
        .unwrap_or_else(|_| panic!("{name} is not set: run the tests with `make test`"))
}

/// A random key-encryption key for the agent CA (32 bytes, base64).
pub fn test_kek() -> String {
    use base64::Engine;
    let bytes: Vec<u8> = [uuid::Uuid::new_v4(), uuid::Uuid::new_v4()]
        .iter()
        .flat_map(|id| id.as_bytes().to_vec())
        .collect();
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("free port")
}

pub fn bin(name: &str) -> PathBuf {
    let warden = PathBuf::from(env!("CARGO_BIN_EXE_warden"));
    let path = warden.with_file_name(name);
    assert!(
        path.exists(),
        "{} is missing: run `cargo build --bins` first",
        path.display()
    );
    path
}

/// A signed-in client: the session cookie and its CSRF token.
#[derive(Debug, Clone)]
pub struct Session {
    pub cookie: String,
    pub csrf: String,
    pub user: Value,
}

/// A running control plane on its own database; killed on drop.
pub struct TestServer {
    pub base: String,
    /// The agent-facing mTLS listener, `127.0.0.1:port`.
    pub agent_address: String,
    /// The CA key-encryption key this server was started with (base64).
    pub kek: String,
    pub database_url: String,
    /// The control plane's own role, when it runs least-privileged.
    pub app_database_url: Option<String>,
    pub admin_password: String,
    pub client: reqwest::Client,
    child: Child,
    environment: Vec<(String, String)>,
    log_path: PathBuf,
}

fn spawn_serve(environment: &[(String, String)], log: std::fs::File) -> Child {
    Command::new(env!("CARGO_BIN_EXE_warden"))
        .arg("serve")
        .envs(environment.iter().map(|(key, value)| (key, value)))
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("start warden serve")
}

impl TestServer {
    pub async fn start() -> TestServer {
        TestServer::start_with(&[]).await
    }

    pub async fn start_with(extra_env: &[(&str, &str)]) -> TestServer {
        TestServer::start_as(extra_env, false).await
    }

    /// Runs the control plane as its own login role, with the cluster's superuser as the schema
    /// owner that migrates: the production arrangement.
    pub async fn start_least_privileged() -> TestServer {
        TestServer::start_as(&[], true).await
    }

    async fn start_as(extra_env: &[(&str, &str)], own_role: bool) -> TestServer {
        let cluster = env("WARDEN_TEST_DATABASE_URL");
        let name = format!("warden_test_{}", uuid::Uuid::new_v4().simple());
        let mut admin = sqlx::PgConnection::connect(&format!("{cluster}/postgres"))
            .await
            .expect("connect to the test cluster");
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .await
            .expect("create test database");
        let database_url = format!("{cluster}/{name}");
        let app_database_url = if own_role {
            let role = format!("app_{name}");
            sqlx::query(&format!("CREATE ROLE {role} LOGIN"))
                .execute(&mut admin)
                .await
                .expect("create the application role");
            let (scheme, rest) = cluster.split_once("://").expect("cluster URL");
            let host = rest.rsplit_once('@').map_or(rest, |(_, host)| host);
            Some(format!("{scheme}://{role}@{host}/{name}"))
        } else {
            None
        };

        let bootstrap = Command::new(env!("CARGO_BIN_EXE_warden"))
            .arg("bootstrap-admin")
            .env("DATABASE_URL", &database_url)
            .env("RUST_LOG", "warn")
            .output()
            .expect("run bootstrap-admin");
        assert!(
            bootstrap.status.success(),
            "bootstrap-admin failed: {}",
            String::from_utf8_lossy(&bootstrap.stderr)
        );
        let stdout = String::from_utf8_lossy(&bootstrap.stdout);
        let admin_password = stdout
            .lines()
            .find_map(|line| line.trim().strip_prefix("password: "))
            .expect("bootstrap-admin prints the password")
            .to_owned();

        let port = free_port();
        let agent_address = format!("127.0.0.1:{}", free_port());
        let kek = test_kek();
        let log_path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}.log"));
        let mut environment: Vec<(String, String)> = vec![
            ("DATABASE_URL".into(), database_url.clone()),
            ("NATS_URL".into(), env("WARDEN_TEST_NATS_URL")),
            ("WARDEN_LISTEN".into(), format!("127.0.0.1:{port}")),
            (
                "WARDEN_SITE_ROOT".into(),
                env!("CARGO_TARGET_TMPDIR").into(),
            ),
            ("WARDEN_LOG_FORMAT".into(), "json".into()),
            ("WARDEN_CA_KEK".into(), kek.clone()),
            ("WARDEN_AGENT_LISTEN".into(), agent_address.clone()),
            ("WARDEN_TRUST_DOMAIN".into(), "test.warden.local".into()),
            (
                "WARDEN_AUDIT_INDEX_DIR".into(),
                format!("{}/{name}-audit-index", env!("CARGO_TARGET_TMPDIR")),
            ),
            ("RUST_LOG".into(), "info".into()),
        ];
        if let Some(app_url) = &app_database_url {
            environment.push(("WARDEN_DATABASE_OWNER_URL".into(), database_url.clone()));
            environment.push(("DATABASE_URL".into(), app_url.clone()));
        }
        for (key, value) in extra_env {
            environment.push(((*key).to_owned(), (*value).to_owned()));
        }
        let log = std::fs::File::create(&log_path).expect("log file");
        let child = spawn_serve(&environment, log);
        let server = TestServer {
            base: format!("http://127.0.0.1:{port}"),
            agent_address,
            kek,
            database_url,
            app_database_url,
            admin_password,
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client"),
            child,
            environment,
            log_path,
        };
        server.wait_ready().await;
        server
    }

    /// Kills the control plane (SIGKILL); `restart` brings it back.
    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Stops the control plane and starts it again on the same database, keys and ports.
    pub async fn restart(&mut self) {
        self.stop();
        let log = std::fs::OpenOptions::new()
            .append(true)
            .open(&self.log_path)
            .expect("log file");
        self.child = spawn_serve(&self.environment, log);
        self.wait_ready().await;
    }

    /// The value of a variable the control plane was started with.
    pub fn setting(&self, name: &str) -> Option<&str> {
        self.environment
            .iter()
            .rev()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    async fn wait_ready(&self) {
        let log_path = &self.log_path;
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if let Ok(response) = self.client.get(self.url("/readyz")).send().await
                && response.status() == StatusCode::OK
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!(
            "control plane not ready; log: {}",
            std::fs::read_to_string(log_path).unwrap_or_default()
        );
    }

    /// A database connection once every audit record written so far has entered the Merkle log.
    pub async fn audit_db(&self) -> sqlx::PgConnection {
        let mut db = sqlx::PgConnection::connect(&self.database_url)
            .await
            .expect("connect");
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let (waiting,): (i64,) = sqlx::query_as("SELECT count(*) FROM audit_inbox")
                .fetch_one(&mut db)
                .await
                .expect("inbox");
            if waiting == 0 {
                return db;
            }
            assert!(Instant::now() < deadline, "audit events stay in the inbox");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Sends a request as `session` (cookie and CSRF token), with an optional JSON body.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        session: Option<&Session>,
        body: Option<Value>,
    ) -> Response {
        let mut request = self.client.request(method, self.url(path));
        if let Some(session) = session {
            request = request
                .header("cookie", &session.cookie)
                .header("x-csrf-token", &session.csrf);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send().await.expect("request")
    }

    /// Calls a console server function the way the browser does (form-encoded, same origin).
    pub async fn console(
        &self,
        function: &str,
        session: Option<&Session>,
        form: &[(&str, &str)],
    ) -> Response {
        let mut request = self
            .client
            .post(self.url(&format!("/console/fn/{function}")))
            .header("origin", &self.base)
            .form(form);
        if let Some(session) = session {
            request = request.header("cookie", &session.cookie);
        }
        request.send().await.expect("request")
    }

    pub async fn try_login(&self, username: &str, password: &str) -> Response {
        self.call(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(serde_json::json!({ "username": username, "password": password })),
        )
        .await
    }

    pub async fn login(&self, username: &str, password: &str) -> Session {
        let response = self.try_login(username, password).await;
        assert_eq!(response.status(), StatusCode::OK, "login as {username}");
        session_from(response).await
    }

    pub async fn admin(&self) -> Session {
        self.login("admin", &self.admin_password.clone()).await
    }

    /// Creates a user with `role` and returns a session for it.
    pub async fn user_with_role(&self, admin: &Session, username: &str, role: &str) -> Session {
        let password = format!("{username}-password-long");
        let response = self
            .call(
                Method::POST,
                "/api/v1/users",
                Some(admin),
                Some(
                    serde_json::json!({ "username": username, "role": role, "password": password }),
                ),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED, "create {username}");
        self.login(username, &password).await
    }
}

pub async fn session_from(response: Response) -> Session {
    let cookie = set_cookie(&response).expect("login sets a cookie");
    let cookie = cookie.split(';').next().unwrap_or_default().to_owned();
    let user: Value = response.json().await.expect("login body");
    let csrf = user["csrf_token"].as_str().expect("csrf token").to_owned();
    Session { cookie, csrf, user }
}

pub fn set_cookie(response: &Response) -> Option<String> {
    response
        .headers()
        .get("set-cookie")
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned)
}

pub async fn error_code(response: Response) -> String {
    let body: Value = response.json().await.expect("JSON error body");
    body["error"]["code"]
        .as_str()
        .expect("error.code")
        .to_owned()
}

impl Drop for TestServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
