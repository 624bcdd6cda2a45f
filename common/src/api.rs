//! The error envelope every `/api/v1` route answers with, so clients parse one shape.

use serde::{Deserialize, Serialize};

/// `{"error":{"code":"…","message":"…"}}`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorDetail {
    /// Stable, machine-readable code such as `forbidden` or `invalid_body`.
    pub code: String,
    /// Human-readable explanation; never contains secrets or internal details.
    pub message: String,
}

/// One page of a listing plus the cursor to fetch the next one, if any.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    pub next_cursor: Option<String>,
}
