//! The error every console server function returns, with the HTTP status it maps to.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Serialised as `{"code": "...", "message": "..."}`, the same shape as the REST API's errors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", content = "message", rename_all = "snake_case")]
pub enum ConsoleError {
    /// No valid session: sign in again.
    Unauthenticated,
    /// Sign-in refused: wrong username or password (never says which).
    InvalidCredentials,
    /// Signed in, but the role does not allow this.
    Forbidden(String),
    /// The input was rejected; the message says why.
    InvalidInput(String),
    NotFound(String),
    Conflict(String),
    /// Too many attempts; retry after the given number of seconds.
    RateLimited(u64),
    /// Something failed on the server; details are in the server log, not here.
    Internal(String),
    /// The request never got a proper answer (network, decoding).
    Transport(String),
}

impl ConsoleError {
    /// The HTTP status a server function answers with when it fails this way.
    pub fn status(&self) -> u16 {
        match self {
            ConsoleError::Unauthenticated | ConsoleError::InvalidCredentials => 401,
            ConsoleError::Forbidden(_) => 403,
            ConsoleError::InvalidInput(_) => 400,
            ConsoleError::NotFound(_) => 404,
            ConsoleError::Conflict(_) => 409,
            ConsoleError::RateLimited(_) => 429,
            ConsoleError::Internal(_) | ConsoleError::Transport(_) => 500,
        }
    }
}

impl fmt::Display for ConsoleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConsoleError::Unauthenticated => f.write_str("Your session has ended. Sign in again."),
            ConsoleError::InvalidCredentials => f.write_str("Wrong username or password."),
            ConsoleError::Forbidden(message)
            | ConsoleError::InvalidInput(message)
            | ConsoleError::NotFound(message)
            | ConsoleError::Conflict(message)
            | ConsoleError::Internal(message) => f.write_str(message),
            ConsoleError::RateLimited(seconds) => {
                write!(f, "Too many attempts. Try again in {seconds} seconds.")
            }
            ConsoleError::Transport(message) => {
                write!(f, "The server could not be reached: {message}")
            }
        }
    }
}

impl std::error::Error for ConsoleError {}

impl FromServerFnError for ConsoleError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(message)
            | ServerFnErrorErr::MissingArg(message)
            | ServerFnErrorErr::Deserialization(message) => ConsoleError::InvalidInput(message),
            ServerFnErrorErr::UnsupportedRequestMethod(message) => {
                ConsoleError::InvalidInput(message)
            }
            ServerFnErrorErr::Request(message) | ServerFnErrorErr::Response(message) => {
                ConsoleError::Transport(message)
            }
            other => ConsoleError::Internal(other.to_string()),
        }
    }
}
