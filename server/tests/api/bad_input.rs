use crate::harness::{TestServer, error_code};
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn bad_input_gets_json_4xx_never_5xx() {
    let server = TestServer::start().await;
    let admin = server.admin().await;
    let post_raw = |path: &str, content_type: &str, body: Vec<u8>| {
        server
            .client
            .post(server.url(path))
            .header("cookie", &admin.cookie)
            .header("x-csrf-token", &admin.csrf)
            .header("content-type", content_type.to_owned())
            .body(body)
            .send()
    };

    let malformed = post_raw(
        "/api/v1/users",
        "application/json",
        b"{\"username\": ".to_vec(),
    )
    .await
    .expect("send");
    assert_eq!(malformed.status(), StatusCode::BAD_REQUEST);
    assert_eq!(error_code(malformed).await, "malformed_json");

    let wrong_types = post_raw(
        "/api/v1/users",
        "application/json",
        br#"{"username": 7, "role": "admin", "password": []}"#.to_vec(),
    )
    .await
    .expect("send");
    assert_eq!(wrong_types.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_code(wrong_types).await, "invalid_body");

    let unknown_role = post_raw(
        "/api/v1/users",
        "application/json",
        br#"{"username": "x", "role": "root", "password": "a-long-enough-password"}"#.to_vec(),
    )
    .await
    .expect("send");
    assert_eq!(unknown_role.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let not_json = post_raw("/api/v1/users", "text/plain", b"hello".to_vec())
        .await
        .expect("send");
    assert_eq!(not_json.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(error_code(not_json).await, "unsupported_media_type");

    // The server answers before reading the whole body and closes the connection, so this
    // request gets a connection of its own.
    let oversized = reqwest::Client::new()
        .post(server.url("/api/v1/users"))
        .header("cookie", &admin.cookie)
        .header("x-csrf-token", &admin.csrf)
        .header("content-type", "application/json")
        .body(vec![b' '; 2 * 1024 * 1024])
        .send()
        .await
        .expect("send");
    assert_eq!(oversized.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(error_code(oversized).await, "payload_too_large");

    let unknown_route = server
        .call(Method::GET, "/api/v1/nope", Some(&admin), None)
        .await;
    assert_eq!(unknown_route.status(), StatusCode::NOT_FOUND);
    assert_eq!(error_code(unknown_route).await, "not_found");

    let wrong_method = server
        .call(Method::DELETE, "/api/v1/me", Some(&admin), None)
        .await;
    assert_eq!(wrong_method.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(error_code(wrong_method).await, "method_not_allowed");

    let bad_id = server
        .call(Method::GET, "/api/v1/users/not-a-uuid", Some(&admin), None)
        .await;
    assert_eq!(bad_id.status(), StatusCode::BAD_REQUEST);
    assert_eq!(error_code(bad_id).await, "invalid_path");

    let missing_user = server
        .call(
            Method::GET,
            &format!("/api/v1/users/{}", uuid::Uuid::new_v4()),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(missing_user.status(), StatusCode::NOT_FOUND);

    let bad_limit = server
        .call(Method::GET, "/api/v1/users?limit=lots", Some(&admin), None)
        .await;
    assert_eq!(bad_limit.status(), StatusCode::BAD_REQUEST);

    let unknown_field = server
        .call(
            Method::PATCH,
            &format!("/api/v1/users/{}", admin.user["id"].as_str().expect("id")),
            Some(&admin),
            Some(json!({ "password_hash": "x" })),
        )
        .await;
    assert_eq!(unknown_field.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let huge_login = server
        .try_login(&"a".repeat(10_000), "whatever-password")
        .await;
    assert_eq!(huge_login.status(), StatusCode::UNAUTHORIZED);

    // Console functions: missing and malformed arguments are 400, unknown functions 4xx.
    let missing_args = server
        .console("create_user", Some(&admin), &[("username", "x")])
        .await;
    assert_eq!(missing_args.status(), StatusCode::BAD_REQUEST);
    let bad_uuid = server
        .console(
            "reset_password",
            Some(&admin),
            &[("id", "zzz"), ("password", "long-enough-password")],
        )
        .await;
    assert_eq!(bad_uuid.status(), StatusCode::BAD_REQUEST);
    let unknown_function = server.console("drop_tables", Some(&admin), &[]).await;
    assert!(
        unknown_function.status().is_client_error(),
        "{}",
        unknown_function.status()
    );

    // The data survived all of it.
    let users: serde_json::Value = server
        .call(Method::GET, "/api/v1/users", Some(&admin), None)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(users["items"].as_array().expect("items").len(), 1);
}

#[tokio::test]
async fn unknown_console_pages_are_404_pages() {
    let server = TestServer::start().await;
    let response = server.call(Method::GET, "/no/such/page", None, None).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}
