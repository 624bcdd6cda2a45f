//! Local accounts: users, passwords (argon2id), server-side sessions, sign-in throttling and the
//! role checks every route and console function goes through.

pub mod auth;
pub mod bootstrap;
pub mod password;
pub mod routes;
pub mod service;
pub(crate) mod sessions;
mod store;
mod throttle;

pub use auth::Actor;
