//! The role matrix: every API route and every console function, for every role.

use crate::harness::{Session, TestServer};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::collections::BTreeSet;

const ALL: &[&str] = &["admin", "security_engineer", "auditor", "viewer"];
const ADMIN: &[&str] = &["admin"];
const READERS_OF_USERS: &[&str] = &["admin", "auditor"];
const OPERATORS: &[&str] = &["admin", "security_engineer"];
const AUDIT_READERS: &[&str] = &["admin", "security_engineer", "auditor"];

/// Who may call a route. Bodies are chosen so an allowed call changes nothing lasting
/// (it fails validation after the role check) wherever that is possible.
enum Access {
    Public,
    Roles(&'static [&'static str]),
}

struct RestCase {
    method: Method,
    path: &'static str,
    body: Option<Value>,
    access: Access,
}

fn rest_matrix() -> Vec<RestCase> {
    use Access::*;
    let case = |method: Method, path, body, access| RestCase {
        method,
        path,
        body,
        access,
    };
    vec![
        case(
            Method::POST,
            "/api/v1/auth/login",
            Some(json!({ "username": "x", "password": "y" })),
            Public,
        ),
        case(Method::POST, "/api/v1/auth/logout", None, Roles(ALL)),
        case(Method::GET, "/api/v1/me", None, Roles(ALL)),
        case(
            Method::POST,
            "/api/v1/me/password",
            Some(
                json!({ "current_password": "wrong-wrong-wrong", "new_password": "another-long-password" }),
            ),
            Roles(ALL),
        ),
        case(Method::GET, "/api/v1/users", None, Roles(READERS_OF_USERS)),
        case(
            Method::POST,
            "/api/v1/users",
            Some(
                json!({ "username": "Not Valid", "role": "viewer", "password": "a-long-enough-password" }),
            ),
            Roles(ADMIN),
        ),
        case(
            Method::GET,
            "/api/v1/users/{id}",
            None,
            Roles(READERS_OF_USERS),
        ),
        case(
            Method::PATCH,
            "/api/v1/users/{id}",
            Some(json!({})),
            Roles(ADMIN),
        ),
        case(
            Method::POST,
            "/api/v1/users/{id}/password",
            Some(json!({ "password": "short" })),
            Roles(ADMIN),
        ),
        case(Method::GET, "/api/v1/enforcers", None, Roles(ALL)),
        case(Method::GET, "/api/v1/agents", None, Roles(ALL)),
        case(
            Method::POST,
            "/api/v1/agents/{agent}/join-tokens",
            Some(json!({ "ttl_minutes": 0 })),
            Roles(OPERATORS),
        ),
        case(
            Method::POST,
            "/api/v1/identity/enroll",
            Some(json!({ "join_token": "nope", "csr": "nope" })),
            Public,
        ),
        case(Method::GET, "/api/v1/identity/bundle", None, Public),
        case(Method::GET, "/api/v1/identity/jwks", None, Public),
        case(Method::GET, "/api/v1/identity/crl", None, Public),
        case(
            Method::POST,
            "/api/v1/agents/{agent}/revoke",
            None,
            Roles(OPERATORS),
        ),
        case(
            Method::POST,
            "/api/v1/certificates/{serial}/revoke",
            None,
            Roles(OPERATORS),
        ),
        case(
            Method::GET,
            "/api/v1/agents/{agent}/certificates",
            None,
            Roles(ALL),
        ),
        case(Method::GET, "/api/v1/identity/ca", None, Roles(ALL)),
        // No well-typed body is refused after the role check: the admin's call rotates.
        case(
            Method::POST,
            "/api/v1/identity/ca/rotate",
            Some(json!({ "scope": "intermediate" })),
            Roles(ADMIN),
        ),
        case(
            Method::POST,
            "/api/v1/agents",
            Some(
                json!({ "name": "Not Valid", "owner_team": "t", "purpose": "p", "environment": "prod" }),
            ),
            Roles(OPERATORS),
        ),
        case(Method::GET, "/api/v1/agents/{agent}", None, Roles(ALL)),
        case(
            Method::PATCH,
            "/api/v1/agents/{agent}",
            Some(json!({ "purpose": "" })),
            Roles(OPERATORS),
        ),
        case(
            Method::POST,
            "/api/v1/agents/{agent}/retire",
            None,
            Roles(OPERATORS),
        ),
        case(Method::GET, "/api/v1/policy/grants", None, Roles(ALL)),
        case(
            Method::PUT,
            "/api/v1/policy/grants/{grant}",
            Some(json!({ "effect": "sometimes" })),
            Roles(OPERATORS),
        ),
        case(
            Method::DELETE,
            "/api/v1/policy/grants/{grant}",
            None,
            Roles(OPERATORS),
        ),
        case(Method::GET, "/api/v1/policy/modules", None, Roles(ALL)),
        case(
            Method::PUT,
            "/api/v1/policy/modules?path=warden/reserved.rego",
            Some(json!({ "rego": "package x" })),
            Roles(OPERATORS),
        ),
        case(
            Method::DELETE,
            "/api/v1/policy/modules?path=custom/none.rego",
            None,
            Roles(OPERATORS),
        ),
        case(
            Method::POST,
            "/api/v1/policy/check",
            Some(json!({})),
            Roles(ALL),
        ),
        case(
            Method::POST,
            "/api/v1/policy/try",
            Some(json!({ "agent_id": uuid::Uuid::nil(), "action": { "kind": "llm_call" } })),
            Roles(ALL),
        ),
        case(Method::GET, "/api/v1/policy/versions", None, Roles(ALL)),
        case(
            Method::POST,
            "/api/v1/policy/versions",
            Some(json!({ "note": "x".repeat(2001) })),
            Roles(OPERATORS),
        ),
        case(
            Method::POST,
            "/api/v1/policy/versions/{version}/approve",
            None,
            Roles(OPERATORS),
        ),
        case(
            Method::POST,
            "/api/v1/policy/versions/{version}/reject",
            None,
            Roles(OPERATORS),
        ),
        case(
            Method::GET,
            "/api/v1/policy/versions/{version}/diff",
            None,
            Roles(ALL),
        ),
        case(Method::GET, "/api/v1/policy/settings", None, Roles(ALL)),
        // No well-typed body is refused after the role check: the admin's call sets the default.
        case(
            Method::PUT,
            "/api/v1/policy/settings",
            Some(json!({ "require_approval": false })),
            Roles(ADMIN),
        ),
        case(Method::GET, "/api/v1/policy/signing-key", None, Public),
        case(
            Method::GET,
            "/api/v1/audit/events",
            None,
            Roles(AUDIT_READERS),
        ),
        case(
            Method::GET,
            "/api/v1/audit/events/{seq}",
            None,
            Roles(AUDIT_READERS),
        ),
        case(
            Method::GET,
            "/api/v1/audit/events/{seq}/proof",
            None,
            Roles(AUDIT_READERS),
        ),
        case(
            Method::GET,
            "/api/v1/audit/checkpoints",
            None,
            Roles(AUDIT_READERS),
        ),
        case(
            Method::GET,
            "/api/v1/audit/checkpoints/latest",
            None,
            Roles(AUDIT_READERS),
        ),
        case(
            Method::GET,
            "/api/v1/audit/consistency?from=999999&to=999999",
            None,
            Roles(AUDIT_READERS),
        ),
        case(Method::GET, "/api/v1/audit/key", None, Roles(AUDIT_READERS)),
        case(
            Method::GET,
            "/api/v1/audit/export?action=none.such",
            None,
            Roles(AUDIT_READERS),
        ),
        case(
            Method::GET,
            "/api/v1/agents/{agent}/drift",
            None,
            Roles(ALL),
        ),
    ]
}

struct ConsoleCase {
    function: &'static str,
    form: Vec<(&'static str, String)>,
    access: Access,
}

fn console_matrix(target: &str, agent: &str) -> Vec<ConsoleCase> {
    use Access::*;
    let id = target.to_owned();
    let case = |function, form: Vec<(&'static str, String)>, access| ConsoleCase {
        function,
        form,
        access,
    };
    vec![
        case("me", vec![], Public),
        case(
            "login",
            vec![("username", "x".into()), ("password", "y".into())],
            Public,
        ),
        case("logout", vec![], Public),
        case(
            "change_password",
            vec![
                ("current_password", "wrong-wrong-wrong".into()),
                ("new_password", "another-long-password".into()),
            ],
            Roles(ALL),
        ),
        case("list_users", vec![], Roles(READERS_OF_USERS)),
        case(
            "create_user",
            vec![
                ("username", "Not Valid".into()),
                ("display_name", "".into()),
                ("role", "viewer".into()),
                ("password", "a-long-enough-password".into()),
            ],
            Roles(ADMIN),
        ),
        case(
            "update_user",
            vec![
                ("id", id.clone()),
                ("update[display_name]", "Renamed".into()),
            ],
            Roles(ADMIN),
        ),
        case(
            "reset_password",
            vec![("id", id), ("password", "short".into())],
            Roles(ADMIN),
        ),
        case("list_enforcers", vec![], Roles(ALL)),
        case(
            "search_audit",
            vec![("search[q]", "".into())],
            Roles(AUDIT_READERS),
        ),
        case(
            "audit_proof",
            vec![("seq", "999999".into())],
            Roles(AUDIT_READERS),
        ),
        case(
            "list_agents",
            vec![("text", "".into()), ("status", "".into())],
            Roles(ALL),
        ),
        case(
            "register_agent",
            [
                "name",
                "owner_team",
                "purpose",
                "environment",
                "tools",
                "resources",
                "models",
                "data_classes",
                "labels",
            ]
            .into_iter()
            .map(|field| (field, String::new()))
            .collect(),
            Roles(OPERATORS),
        ),
        case(
            "update_agent",
            vec![("id", agent.to_owned()), ("update[purpose]", "".into())],
            Roles(OPERATORS),
        ),
        case(
            "create_join_token",
            vec![("agent_id", agent.to_owned())],
            Roles(OPERATORS),
        ),
        case(
            "revoke_agent_credentials",
            vec![("agent_id", agent.to_owned())],
            Roles(OPERATORS),
        ),
        case(
            "retire_agent",
            vec![("id", uuid::Uuid::new_v4().to_string())],
            Roles(OPERATORS),
        ),
        case("get_agent", vec![("id", agent.to_owned())], Roles(ALL)),
        case(
            "list_certificates",
            vec![("agent_id", agent.to_owned())],
            Roles(ALL),
        ),
        case(
            "revoke_certificate",
            vec![("serial", "00".into())],
            Roles(OPERATORS),
        ),
        case("list_ca", vec![], Roles(ALL)),
        case("list_grants", vec![], Roles(ALL)),
        case(
            "save_grant",
            [
                ("id", "Not Valid"),
                ("effect", "allow"),
                ("agents", ""),
                ("labels", ""),
                ("environments", ""),
                ("actions", ""),
                ("tools", ""),
                ("models", ""),
                ("resources", ""),
                ("destinations", ""),
                ("data_classes", ""),
                ("daily_limit", ""),
                ("mask_requests", ""),
                ("mask_responses", ""),
                ("redact_responses", ""),
                ("block_requests", ""),
                ("block_responses", ""),
            ]
            .into_iter()
            .map(|(field, value)| (field, value.to_owned()))
            .collect(),
            Roles(OPERATORS),
        ),
        case(
            "delete_grant",
            vec![("id", "no-such-grant".into())],
            Roles(OPERATORS),
        ),
        case("list_policy_modules", vec![], Roles(ALL)),
        case(
            "save_policy_module",
            vec![
                ("path", "warden/reserved.rego".into()),
                ("rego", "package x".into()),
            ],
            Roles(OPERATORS),
        ),
        case(
            "check_policy",
            vec![("path", "".into()), ("rego", "".into())],
            Roles(ALL),
        ),
        case(
            "try_policy",
            vec![
                ("agent_id", uuid::Uuid::new_v4().to_string()),
                ("kind", "tool_call".into()),
                ("tool", "".into()),
                ("resource", "".into()),
                ("model", "".into()),
                ("data_classes", "".into()),
            ],
            Roles(ALL),
        ),
        case("list_policy_versions", vec![], Roles(ALL)),
        case(
            "propose_policy",
            vec![("note", "x".repeat(2001))],
            Roles(OPERATORS),
        ),
        case(
            "decide_policy",
            vec![("version", "999".into()), ("approve", "true".into())],
            Roles(OPERATORS),
        ),
        case("policy_diff", vec![("version", "999".into())], Roles(ALL)),
        case("policy_settings", vec![], Roles(ALL)),
        case(
            "set_policy_settings",
            vec![("require_approval", "false".into())],
            Roles(ADMIN),
        ),
        case(
            "agent_drift",
            vec![("agent_id", agent.to_owned())],
            Roles(ALL),
        ),
        case(
            "rotate_ca",
            vec![("rotation[scope]", "intermediate".into())],
            Roles(ADMIN),
        ),
    ]
}

fn denied(status: StatusCode) -> bool {
    status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN
}

/// Registers an agent as `session` and returns its id.
pub async fn register_agent(server: &TestServer, session: &Session, name: &str) -> String {
    let response = server
        .call(
            Method::POST,
            "/api/v1/agents",
            Some(session),
            Some(json!({ "name": name, "owner_team": "Platform", "purpose": "Role matrix target", "environment": "staging" })),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED, "register {name}");
    let agent: Value = response.json().await.expect("agent");
    agent["id"].as_str().expect("id").to_owned()
}

async fn sessions(server: &TestServer) -> Vec<(&'static str, Session)> {
    let admin = server.admin().await;
    let mut sessions = vec![("admin", admin.clone())];
    for role in ["security_engineer", "auditor", "viewer"] {
        sessions.push((
            role,
            server
                .user_with_role(&admin, &role.replace('_', "-"), role)
                .await,
        ));
    }
    sessions
}

#[tokio::test]
async fn every_api_route_enforces_its_roles() {
    let server = TestServer::start().await;
    let sessions = sessions(&server).await;
    let target = sessions[3].1.user["id"].as_str().expect("id").to_owned();
    let agent = register_agent(&server, &sessions[0].1, "matrix-agent").await;

    // The matrix must cover exactly the routes the OpenAPI document (generated from the code) has.
    let document: Value = server
        .call(Method::GET, "/api/v1/openapi.json", None, None)
        .await
        .json()
        .await
        .expect("openapi");
    let documented: BTreeSet<String> = document["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .into_iter()
                .flat_map(|ops| ops.keys())
                .map(move |method| format!("{} {path}", method.to_uppercase()))
        })
        .collect();
    let covered: BTreeSet<String> = rest_matrix()
        .iter()
        .map(|case| {
            let path = case.path.split('?').next().unwrap_or_default();
            format!(
                "{} {}",
                case.method,
                path.replace("{agent}", "{id}").replace("{grant}", "{id}")
            )
        })
        .collect();
    assert_eq!(
        documented, covered,
        "the role matrix must list every documented route"
    );

    for case in rest_matrix() {
        let path = case
            .path
            .replace("{id}", &target)
            .replace("{agent}", &agent)
            .replace("{serial}", "00")
            .replace("{grant}", "no-such-grant")
            .replace("{version}", "999")
            .replace("{seq}", "999999");
        let anonymous = server
            .call(case.method.clone(), &path, None, case.body.clone())
            .await
            .status();
        match case.access {
            // Public routes need no session; they may still refuse bad credentials (401).
            Access::Public => assert!(
                anonymous != StatusCode::FORBIDDEN && !anonymous.is_server_error(),
                "{path} should be public: {anonymous}"
            ),
            Access::Roles(_) => assert_eq!(
                anonymous,
                StatusCode::UNAUTHORIZED,
                "{} {path} anonymous",
                case.method
            ),
        }
        let Access::Roles(allowed) = case.access else {
            continue;
        };
        for (role, session) in &sessions {
            // Logout ends the session it is called with, so use a throwaway one.
            let session = if case.path.ends_with("/logout") {
                let username = if *role == "admin" {
                    "admin".to_owned()
                } else {
                    role.replace('_', "-")
                };
                let password = if *role == "admin" {
                    server.admin_password.clone()
                } else {
                    format!("{username}-password-long")
                };
                server.login(&username, &password).await
            } else {
                session.clone()
            };
            let status = server
                .call(
                    case.method.clone(),
                    &path,
                    Some(&session),
                    case.body.clone(),
                )
                .await
                .status();
            if allowed.contains(role) {
                assert!(
                    !denied(status) && !status.is_server_error(),
                    "{} {path} as {role}: {status}",
                    case.method
                );
            } else {
                assert_eq!(
                    status,
                    StatusCode::FORBIDDEN,
                    "{} {path} as {role}",
                    case.method
                );
            }
        }
    }
}

#[tokio::test]
async fn every_console_function_enforces_its_roles() {
    let server = TestServer::start().await;
    let sessions = sessions(&server).await;
    let target = sessions[3].1.user["id"].as_str().expect("id").to_owned();
    let agent = register_agent(&server, &sessions[0].1, "matrix-agent").await;

    let registered: BTreeSet<String> = warden_server::console_function_paths()
        .into_iter()
        .collect();
    let covered: BTreeSet<String> = console_matrix(&target, &agent)
        .iter()
        .map(|case| format!("/console/fn/{}", case.function))
        .collect();
    assert_eq!(
        registered, covered,
        "the role matrix must list every console function"
    );

    for case in console_matrix(&target, &agent) {
        let form: Vec<(&str, &str)> = case
            .form
            .iter()
            .map(|(key, value)| (*key, value.as_str()))
            .collect();
        let anonymous = server.console(case.function, None, &form).await.status();
        let Access::Roles(allowed) = case.access else {
            assert!(
                anonymous != StatusCode::FORBIDDEN && !anonymous.is_server_error(),
                "{} anonymous: {anonymous}",
                case.function
            );
            continue;
        };
        assert_eq!(
            anonymous,
            StatusCode::UNAUTHORIZED,
            "{} anonymous",
            case.function
        );
        for (role, session) in &sessions {
            let status = server
                .console(case.function, Some(session), &form)
                .await
                .status();
            if allowed.contains(role) {
                assert!(
                    !denied(status) && !status.is_server_error(),
                    "{} as {role}: {status}",
                    case.function
                );
            } else {
                assert_eq!(status, StatusCode::FORBIDDEN, "{} as {role}", case.function);
            }
        }
    }
}
