use crate::accounts::Actor;
use crate::error::Result;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use warden_common::api::ErrorBody;
use warden_common::fleet::Enforcer;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_enforcers))
}

/// Enforcers that have announced themselves, with their liveness.
#[utoipa::path(get, path = "/enforcers", tag = "fleet",
    responses((status = 200, body = Vec<Enforcer>), (status = 401, body = ErrorBody)),
    security(("session" = [])))]
async fn list_enforcers(
    State(state): State<AppState>,
    actor: Actor,
) -> Result<Json<Vec<Enforcer>>> {
    Ok(Json(super::list(&state, &actor).await?))
}
