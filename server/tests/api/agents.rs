use crate::harness::{TestServer, error_code};
use crate::roles::register_agent;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

#[tokio::test]
async fn agents_are_registered_searched_edited_and_retired_with_audit_records() {
    let server = TestServer::start().await;
    let admin = server.admin().await;
    let engineer = server
        .user_with_role(&admin, "sec-eng", "security_engineer")
        .await;

    let body = json!({
        "name": "support-bot",
        "owner_team": "Customer Support",
        "purpose": "Answers customer tickets from the CRM",
        "capabilities": { "tools": ["crm.read"], "resources": ["customers/*"], "models": ["gpt-4o-mini"], "data_classes": ["pii"] },
        "environment": "production",
        "labels": { "team": "support" }
    });
    let created = server
        .call(
            Method::POST,
            "/api/v1/agents",
            Some(&engineer),
            Some(body.clone()),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let agent: Value = created.json().await.expect("json");
    let id = agent["id"].as_str().expect("id").to_owned();
    assert_eq!(agent["status"], "active");
    assert_eq!(agent["created_by"], "sec-eng");
    assert_eq!(agent["capabilities"]["tools"][0], "crm.read");

    let duplicate = server
        .call(Method::POST, "/api/v1/agents", Some(&engineer), Some(body))
        .await;
    assert_eq!(duplicate.status(), StatusCode::CONFLICT);
    register_agent(&server, &engineer, "billing-bot").await;

    let search = |query: &'static str| {
        let server = &server;
        let engineer = &engineer;
        async move {
            let page: Value = server
                .call(
                    Method::GET,
                    &format!("/api/v1/agents{query}"),
                    Some(engineer),
                    None,
                )
                .await
                .json()
                .await
                .expect("json");
            page["items"]
                .as_array()
                .expect("items")
                .iter()
                .map(|agent| agent["name"].as_str().unwrap_or_default().to_owned())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(search("").await, vec!["billing-bot", "support-bot"]);
    assert_eq!(search("?q=TICKETS").await, vec!["support-bot"]);
    assert_eq!(search("?labels=team%3Dsupport").await, vec!["support-bot"]);
    assert_eq!(search("?environment=staging").await, vec!["billing-bot"]);
    assert_eq!(
        search("?q=%25").await,
        Vec::<String>::new(),
        "LIKE wildcards are literal"
    );
    let first_page: Value = server
        .call(Method::GET, "/api/v1/agents?limit=1", Some(&engineer), None)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(first_page["next_cursor"], "billing-bot");
    let second_page: Value = server
        .call(
            Method::GET,
            "/api/v1/agents?limit=1&cursor=billing-bot",
            Some(&engineer),
            None,
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(second_page["items"][0]["name"], "support-bot");
    assert!(second_page["next_cursor"].is_null());
    let bad_status = server
        .call(
            Method::GET,
            "/api/v1/agents?status=zombie",
            Some(&engineer),
            None,
        )
        .await;
    assert_eq!(bad_status.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let edited = server
        .call(Method::PATCH, &format!("/api/v1/agents/{id}"), Some(&engineer), Some(json!({ "owner_team": "Support Platform", "labels": { "team": "support", "tier": "1" } })))
        .await;
    assert_eq!(edited.status(), StatusCode::OK);
    let edited: Value = edited.json().await.expect("json");
    assert_eq!(edited["owner_team"], "Support Platform");
    assert_eq!(edited["purpose"], "Answers customer tickets from the CRM");
    let renamed = server
        .call(
            Method::PATCH,
            &format!("/api/v1/agents/{id}"),
            Some(&engineer),
            Some(json!({ "name": "other" })),
        )
        .await;
    assert_eq!(
        renamed.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "the name never changes"
    );

    let retired = server
        .call(
            Method::POST,
            &format!("/api/v1/agents/{id}/retire"),
            Some(&engineer),
            None,
        )
        .await;
    assert_eq!(retired.status(), StatusCode::OK);
    let retired: Value = retired.json().await.expect("json");
    assert_eq!(retired["status"], "retired");
    assert!(retired["retired_at"].is_string());
    let again = server
        .call(
            Method::POST,
            &format!("/api/v1/agents/{id}/retire"),
            Some(&engineer),
            None,
        )
        .await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    let edit_retired = server
        .call(
            Method::PATCH,
            &format!("/api/v1/agents/{id}"),
            Some(&engineer),
            Some(json!({ "purpose": "new" })),
        )
        .await;
    assert_eq!(edit_retired.status(), StatusCode::CONFLICT);
    assert_eq!(error_code(edit_retired).await, "conflict");
    assert_eq!(search("?status=retired").await, vec!["support-bot"]);

    let mut db = server.audit_db().await;
    let actions: Vec<(String, String)> = sqlx::query_as(
        "SELECT action, actor FROM audit_log WHERE action LIKE 'agent.%' ORDER BY seq",
    )
    .fetch_all(&mut db)
    .await
    .expect("query");
    let actions: Vec<(&str, &str)> = actions
        .iter()
        .map(|(action, actor)| (action.as_str(), actor.as_str()))
        .collect();
    assert_eq!(
        actions,
        vec![
            ("agent.registered", "sec-eng"),
            ("agent.registered", "sec-eng"),
            ("agent.updated", "sec-eng"),
            ("agent.retired", "sec-eng")
        ]
    );
}

#[tokio::test]
async fn invalid_agents_are_refused_with_reasons() {
    let server = TestServer::start().await;
    let admin = server.admin().await;
    for (body, why) in [
        (
            json!({ "name": "Bad Name", "owner_team": "t", "purpose": "p", "environment": "prod" }),
            "name",
        ),
        (
            json!({ "name": "ok", "owner_team": "", "purpose": "p", "environment": "prod" }),
            "owner team",
        ),
        (
            json!({ "name": "ok", "owner_team": "t", "purpose": "p", "environment": "Prod Env" }),
            "environment",
        ),
        (
            json!({ "name": "ok", "owner_team": "t", "purpose": "p", "environment": "prod", "labels": { "Bad Key": "x" } }),
            "label",
        ),
        (
            json!({ "name": "ok", "owner_team": "t", "purpose": "p", "environment": "prod", "capabilities": { "tools": [""] } }),
            "tools",
        ),
    ] {
        let response = server
            .call(Method::POST, "/api/v1/agents", Some(&admin), Some(body))
            .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{why}");
        let body: Value = response.json().await.expect("json");
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap_or_default()
                .contains(why),
            "{body}"
        );
    }
    let unknown_capability = server
        .call(Method::POST, "/api/v1/agents", Some(&admin), Some(json!({ "name": "ok", "owner_team": "t", "purpose": "p", "environment": "prod", "capabilities": { "weapons": [] } })))
        .await;
    assert_eq!(
        unknown_capability.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let missing = server
        .call(
            Method::GET,
            &format!("/api/v1/agents/{}", uuid::Uuid::new_v4()),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}
