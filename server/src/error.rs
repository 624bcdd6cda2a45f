//! The one error type of the control plane and how each variant answers over HTTP.
//!
//! Clients always get `{"error":{"code":"…","message":"…"}}`. Internal failures are logged with
//! their cause and answered with a generic message: details never leave the server.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use warden_app::error::ConsoleError;
use warden_common::api::{ErrorBody, ErrorDetail};

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("sign in first")]
    Unauthenticated,
    /// Wrong username or password; deliberately does not say which.
    #[error("wrong username or password")]
    InvalidCredentials,
    /// A bearer token (such as a join token) that is unknown, used or expired.
    #[error("{0}")]
    InvalidToken(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    InvalidInput(String),
    /// The body was not valid JSON, had the wrong shape, or was too large.
    #[error("{message}")]
    InvalidBody {
        status: StatusCode,
        code: &'static str,
        message: String,
    },
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("too many attempts; retry in {retry_after_secs} s")]
    RateLimited { retry_after_secs: u64 },
    #[error("{0}")]
    Unavailable(String),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl Error {
    pub fn status(&self) -> StatusCode {
        match self {
            Error::Unauthenticated | Error::InvalidCredentials | Error::InvalidToken(_) => {
                StatusCode::UNAUTHORIZED
            }
            Error::Forbidden(_) => StatusCode::FORBIDDEN,
            Error::InvalidInput(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Error::InvalidBody { status, .. } => *status,
            Error::NotFound(_) => StatusCode::NOT_FOUND,
            Error::Conflict(_) => StatusCode::CONFLICT,
            Error::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            Error::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Error::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            Error::Unauthenticated => "unauthenticated",
            Error::InvalidCredentials => "invalid_credentials",
            Error::InvalidToken(_) => "invalid_token",
            Error::Forbidden(_) => "forbidden",
            Error::InvalidInput(_) => "invalid_input",
            Error::InvalidBody { code, .. } => code,
            Error::NotFound(_) => "not_found",
            Error::Conflict(_) => "conflict",
            Error::RateLimited { .. } => "rate_limited",
            Error::Unavailable(_) => "unavailable",
            Error::Internal(_) => "internal",
        }
    }

    /// What the client is told; internal errors say nothing about their cause.
    pub fn public_message(&self) -> String {
        match self {
            Error::Internal(_) => "internal error; the server log has the details".to_owned(),
            other => other.to_string(),
        }
    }
}

impl From<sqlx::Error> for Error {
    fn from(error: sqlx::Error) -> Self {
        Error::Internal(anyhow::Error::new(error).context("database error"))
    }
}

/// Builds the JSON error envelope; also used by middleware for errors produced outside handlers.
pub fn error_response(status: StatusCode, code: &str, message: String) -> Response {
    let body = ErrorBody {
        error: ErrorDetail {
            code: code.to_owned(),
            message,
        },
    };
    (status, axum::Json(body)).into_response()
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        if let Error::Internal(cause) = &self {
            tracing::error!(error = format!("{cause:#}"), "request failed");
        }
        let mut response = error_response(self.status(), self.code(), self.public_message());
        if let Error::RateLimited { retry_after_secs } = self
            && let Ok(value) = HeaderValue::from_str(&retry_after_secs.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        response
    }
}

impl From<JsonRejection> for Error {
    fn from(rejection: JsonRejection) -> Self {
        let (status, code) = match &rejection {
            JsonRejection::JsonDataError(_) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid_body"),
            JsonRejection::JsonSyntaxError(_) => (StatusCode::BAD_REQUEST, "malformed_json"),
            JsonRejection::MissingJsonContentType(_) => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type")
            }
            other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large")
            }
            _ => (StatusCode::BAD_REQUEST, "invalid_body"),
        };
        Error::InvalidBody {
            status,
            code,
            message: rejection.body_text(),
        }
    }
}

impl From<PathRejection> for Error {
    fn from(rejection: PathRejection) -> Self {
        Error::InvalidBody {
            status: StatusCode::BAD_REQUEST,
            code: "invalid_path",
            message: rejection.body_text(),
        }
    }
}

impl From<QueryRejection> for Error {
    fn from(rejection: QueryRejection) -> Self {
        Error::InvalidBody {
            status: StatusCode::BAD_REQUEST,
            code: "invalid_query",
            message: rejection.body_text(),
        }
    }
}

impl From<Error> for ConsoleError {
    fn from(error: Error) -> Self {
        match error {
            Error::Unauthenticated => ConsoleError::Unauthenticated,
            Error::InvalidCredentials => ConsoleError::InvalidCredentials,
            Error::InvalidToken(message) => ConsoleError::Forbidden(message),
            Error::Forbidden(message) => ConsoleError::Forbidden(message),
            Error::InvalidInput(message) | Error::InvalidBody { message, .. } => {
                ConsoleError::InvalidInput(message)
            }
            Error::NotFound(message) => ConsoleError::NotFound(message),
            Error::Conflict(message) => ConsoleError::Conflict(message),
            Error::RateLimited { retry_after_secs } => ConsoleError::RateLimited(retry_after_secs),
            Error::Unavailable(message) => ConsoleError::Internal(message),
            error @ Error::Internal(_) => {
                let message = error.public_message();
                if let Error::Internal(cause) = &error {
                    tracing::error!(error = format!("{cause:#}"), "console request failed");
                }
                ConsoleError::Internal(message)
            }
        }
    }
}

/// `axum::Json` whose rejections answer with our error envelope.
#[derive(Debug, Clone, Copy, Default, axum::extract::FromRequest)]
#[from_request(via(axum::Json), rejection(Error))]
pub struct ApiJson<T>(pub T);

/// `axum::extract::Path` whose rejections answer with our error envelope.
#[derive(Debug, Clone, Copy, Default, axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(Error))]
pub struct ApiPath<T>(pub T);

/// `axum::extract::Query` whose rejections answer with our error envelope.
#[derive(Debug, Clone, Copy, Default, axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(Error))]
pub struct ApiQuery<T>(pub T);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_errors_hide_their_cause() {
        let error = Error::Internal(anyhow::anyhow!("password=hunter2 leaked"));
        assert_eq!(error.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(!error.public_message().contains("hunter2"));
    }

    #[test]
    fn console_errors_keep_their_meaning() {
        assert_eq!(ConsoleError::from(Error::Unauthenticated).status(), 401);
        assert_eq!(
            ConsoleError::from(Error::Forbidden("no".into())).status(),
            403
        );
        assert_eq!(
            ConsoleError::from(Error::RateLimited {
                retry_after_secs: 3
            })
            .status(),
            429
        );
    }
}
