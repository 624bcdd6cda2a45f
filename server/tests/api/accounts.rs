use crate::harness::{TestServer, error_code, session_from, set_cookie};
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn login_sets_a_protected_cookie_and_me_answers() {
    let server = TestServer::start().await;
    let response = server.try_login("admin", &server.admin_password).await;
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = set_cookie(&response).expect("cookie");
    for attribute in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(attribute), "{cookie} lacks {attribute}");
    }
    let session = session_from(response).await;
    assert_eq!(session.user["role"], "admin");
    let me = server
        .call(Method::GET, "/api/v1/me", Some(&session), None)
        .await;
    assert_eq!(me.status(), StatusCode::OK);
    let me: serde_json::Value = me.json().await.expect("json");
    assert_eq!(me["username"], "admin");
}

#[tokio::test]
async fn wrong_password_and_unknown_user_are_refused_alike() {
    let server = TestServer::start().await;
    let wrong = server.try_login("admin", "not-the-password-at-all").await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert!(set_cookie(&wrong).is_none());
    assert_eq!(error_code(wrong).await, "invalid_credentials");
    let unknown = server.try_login("nobody", "not-the-password-at-all").await;
    assert_eq!(unknown.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(error_code(unknown).await, "invalid_credentials");
}

#[tokio::test]
async fn each_login_gets_a_fresh_session_and_logout_ends_it() {
    let server = TestServer::start().await;
    let first = server.admin().await;
    // Log in again presenting the old cookie: the old session must be replaced, not reused.
    let response = server
        .client
        .post(server.url("/api/v1/auth/login"))
        .header("cookie", &first.cookie)
        .json(&json!({ "username": "admin", "password": server.admin_password }))
        .send()
        .await
        .expect("login");
    let second = session_from(response).await;
    assert_ne!(first.cookie, second.cookie);
    assert_eq!(
        server
            .call(Method::GET, "/api/v1/me", Some(&first), None)
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );

    let logout = server
        .call(Method::POST, "/api/v1/auth/logout", Some(&second), None)
        .await;
    assert_eq!(logout.status(), StatusCode::NO_CONTENT);
    assert!(
        set_cookie(&logout)
            .expect("clearing cookie")
            .contains("Max-Age=0")
    );
    assert_eq!(
        server
            .call(Method::GET, "/api/v1/me", Some(&second), None)
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn repeated_failures_are_throttled_even_with_the_right_password() {
    let server = TestServer::start_with(&[("WARDEN_LOGIN_MAX_FAILURES_PER_USER", "3")]).await;
    for _ in 0..3 {
        assert_eq!(
            server
                .try_login("admin", "wrong-password-guess")
                .await
                .status(),
            StatusCode::UNAUTHORIZED
        );
    }
    let throttled = server.try_login("admin", &server.admin_password).await;
    assert_eq!(throttled.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = throttled.headers()["retry-after"]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    assert!(retry_after > 0);
    assert_eq!(error_code(throttled).await, "rate_limited");
}

#[tokio::test]
async fn writes_need_the_csrf_token_and_a_same_site_origin() {
    let server = TestServer::start().await;
    let admin = server.admin().await;
    let body = json!({ "username": "eve", "role": "viewer", "password": "a-long-enough-password" });

    let no_token = server
        .client
        .post(server.url("/api/v1/users"))
        .header("cookie", &admin.cookie)
        .json(&body)
        .send()
        .await
        .expect("send");
    assert_eq!(no_token.status(), StatusCode::FORBIDDEN);

    let cross_site = server
        .client
        .post(server.url("/api/v1/users"))
        .header("cookie", &admin.cookie)
        .header("x-csrf-token", &admin.csrf)
        .header("origin", "http://evil.example")
        .json(&body)
        .send()
        .await
        .expect("send");
    assert_eq!(cross_site.status(), StatusCode::FORBIDDEN);
    assert_eq!(error_code(cross_site).await, "csrf_rejected");

    // Console functions must come from a browser on this origin.
    let no_origin = server
        .client
        .post(server.url("/console/fn/list_users"))
        .header("cookie", &admin.cookie)
        .send()
        .await
        .expect("send");
    assert_eq!(no_origin.status(), StatusCode::FORBIDDEN);

    let ok = server
        .call(Method::POST, "/api/v1/users", Some(&admin), Some(body))
        .await;
    assert_eq!(ok.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn admins_manage_users_but_never_remove_the_last_admin() {
    let server = TestServer::start().await;
    let admin = server.admin().await;
    let admin_id = admin.user["id"].as_str().expect("id").to_owned();

    let demote = server
        .call(
            Method::PATCH,
            &format!("/api/v1/users/{admin_id}"),
            Some(&admin),
            Some(json!({ "role": "viewer" })),
        )
        .await;
    assert_eq!(demote.status(), StatusCode::CONFLICT);

    let duplicate = server
        .call(Method::POST, "/api/v1/users", Some(&admin), Some(json!({ "username": "admin", "role": "viewer", "password": "a-long-enough-password" })))
        .await;
    assert_eq!(duplicate.status(), StatusCode::CONFLICT);

    let weak = server
        .call(
            Method::POST,
            "/api/v1/users",
            Some(&admin),
            Some(json!({ "username": "bob", "role": "viewer", "password": "short" })),
        )
        .await;
    assert_eq!(weak.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let bob = server
        .user_with_role(&admin, "bob", "security_engineer")
        .await;
    let bob_id = bob.user["id"].as_str().expect("id").to_owned();
    let disable = server
        .call(
            Method::PATCH,
            &format!("/api/v1/users/{bob_id}"),
            Some(&admin),
            Some(json!({ "disabled": true })),
        )
        .await;
    assert_eq!(disable.status(), StatusCode::OK);
    // Disabling ends the user's sessions and blocks sign-in.
    assert_eq!(
        server
            .call(Method::GET, "/api/v1/me", Some(&bob), None)
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        server.try_login("bob", "bob-password-long").await.status(),
        StatusCode::UNAUTHORIZED
    );

    let reset = server
        .call(
            Method::POST,
            &format!("/api/v1/users/{bob_id}/password"),
            Some(&admin),
            Some(json!({ "password": "a-brand-new-password" })),
        )
        .await;
    assert_eq!(reset.status(), StatusCode::NO_CONTENT);
    let enable = server
        .call(
            Method::PATCH,
            &format!("/api/v1/users/{bob_id}"),
            Some(&admin),
            Some(json!({ "disabled": false })),
        )
        .await;
    assert_eq!(enable.status(), StatusCode::OK);
    assert_eq!(
        server
            .try_login("bob", "a-brand-new-password")
            .await
            .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn actions_are_audited_and_the_audit_table_is_append_only() {
    let server = TestServer::start().await;
    let _ = server.try_login("admin", "wrong-password-guess").await;
    let admin = server.admin().await;
    server.user_with_role(&admin, "carol", "auditor").await;

    let mut db = server.audit_db().await;
    let actions: Vec<(String,)> = sqlx::query_as("SELECT action FROM audit_log ORDER BY seq")
        .fetch_all(&mut db)
        .await
        .expect("query");
    let actions: Vec<&str> = actions.iter().map(|(action,)| action.as_str()).collect();
    for expected in [
        "user.bootstrap_admin_created",
        "auth.login_failed",
        "auth.login",
        "user.created",
    ] {
        assert!(
            actions.contains(&expected),
            "{expected} missing from {actions:?}"
        );
    }
    assert!(
        sqlx::query("UPDATE audit_log SET actor = 'mallory'")
            .execute(&mut db)
            .await
            .is_err()
    );
    assert!(
        sqlx::query("DELETE FROM audit_log")
            .execute(&mut db)
            .await
            .is_err()
    );
    assert!(
        sqlx::query("TRUNCATE audit_log")
            .execute(&mut db)
            .await
            .is_err()
    );
}

#[tokio::test]
async fn health_readiness_and_metrics() {
    let server = TestServer::start().await;
    assert_eq!(
        server
            .call(Method::GET, "/healthz", None, None)
            .await
            .status(),
        StatusCode::OK
    );
    let ready: serde_json::Value = server
        .call(Method::GET, "/readyz", None, None)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(ready["checks"]["postgres"], "ok");
    assert_eq!(ready["checks"]["nats"], "ok");
    let response = server.call(Method::GET, "/healthz", None, None).await;
    assert!(response.headers().contains_key("x-request-id"));
    let metrics = server
        .call(Method::GET, "/metrics", None, None)
        .await
        .text()
        .await
        .expect("text");
    assert!(metrics.contains("warden_http_requests_total"), "{metrics}");
}
