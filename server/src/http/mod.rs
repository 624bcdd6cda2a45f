//! The HTTP surface: the console (Leptos), `/api/v1`, health, readiness and metrics, with the
//! middleware every request passes through.

mod health;
mod middleware;
pub mod openapi;

use crate::console::Backend;
use crate::error::error_response;
use crate::state::AppState;
use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderName, StatusCode, Uri};
use axum::response::Response;
use axum::routing::get;
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list};
use std::sync::Arc;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;
use utoipa_axum::router::OpenApiRouter;
use warden_app::backend::ConsoleBackend;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// `/api/v1` routes and the OpenAPI document generated from them.
pub fn api() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let (router, document) = OpenApiRouter::with_openapi(openapi::base())
        .nest(
            "/api/v1",
            OpenApiRouter::new()
                .merge(crate::accounts::routes::router())
                .merge(crate::agents::routes::router())
                .merge(crate::identity::routes::router())
                .merge(crate::fleet::routes::router())
                .merge(crate::policy::routes::router())
                .merge(crate::audit::routes::router()),
        )
        .split_for_parts();
    (router, document)
}

pub fn router(state: AppState) -> Router {
    let (api, document) = api();
    let document = Arc::new(document);
    let api = api.route(
        "/api/v1/openapi.json",
        get(move || {
            let document = document.clone();
            async move { axum::Json(document.as_ref().clone()) }
        }),
    );

    let backend: Arc<dyn ConsoleBackend> = Arc::new(Backend::new(state.clone()));
    let leptos_options = state.leptos_options.clone();

    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(health::metrics))
        .merge(api)
        .leptos_routes_with_context(
            &state,
            generate_route_list(warden_app::App),
            move || provide_context(backend.clone()),
            move || warden_app::shell(leptos_options.clone()),
        )
        .fallback(fallback)
        .method_not_allowed_fallback(|| async {
            error_response(
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "this route does not accept that method".into(),
            )
        })
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
                .layer(TraceLayer::new_for_http().make_span_with(middleware::request_span))
                .layer(PropagateRequestIdLayer::new(REQUEST_ID))
                .layer(CatchPanicLayer::custom(middleware::panic_response))
                .layer(axum::middleware::from_fn(middleware::record_metrics))
                .layer(axum::middleware::from_fn(middleware::security_headers))
                .layer(axum::middleware::from_fn(middleware::json_error_envelope))
                .layer(axum::middleware::from_fn(middleware::server_fn_status))
                .layer(axum::middleware::from_fn(middleware::origin_guard))
                .layer(DefaultBodyLimit::max(state.config.max_body_bytes)),
        )
        .with_state(state)
}

/// Unknown API paths get a JSON 404; everything else is a static asset or a console page.
async fn fallback(State(state): State<AppState>, uri: Uri, request: Request<Body>) -> Response {
    if uri.path() == "/api" || uri.path().starts_with("/api/") {
        return error_response(
            StatusCode::NOT_FOUND,
            "not_found",
            "no such API route".into(),
        );
    }
    let console = leptos_axum::file_and_error_handler::<AppState, _>(warden_app::shell);
    console(uri, State(state), request).await
}
