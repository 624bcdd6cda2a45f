//! The base of the OpenAPI 3.1 document; paths and schemas are added from the route handlers.

use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Warden control plane API",
        description = "Governance for autonomous AI agents. Errors are always `{\"error\":{\"code\":\"…\",\"message\":\"…\"}}`. \
Cookie-authenticated writes must echo the session's CSRF token (from `GET /api/v1/me`) in `X-CSRF-Token`.",
        license(name = "Apache-2.0"),
    ),
    modifiers(&SessionCookie),
    tags(
        (name = "accounts", description = "Sign-in, sessions and user management"),
        (name = "agents", description = "The agent registry"),
        (name = "identity", description = "The agent CA: join tokens, enrolment, the trust bundle"),
        (name = "fleet", description = "The enforcer fleet"),
        (name = "audit", description = "The tamper-evident audit trail: search, proofs, signed checkpoints, export"),
    )
)]
struct ApiDoc;

struct SessionCookie;

impl Modify for SessionCookie {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new("warden_session"))),
        );
    }
}

pub fn base() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}
