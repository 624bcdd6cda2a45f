//! Local accounts: users, passwords (argon2id), server-side sessions, sign-in throttling and the
//! role checks every route and console function goes through.

pub mod auth;
pub mod bootstrap;
pub mod password;
pub mod routes;
pub mod service;
mod sessions;
mod store;
mod throttle;

pub use auth::Actor;

/// The session cookie's `Set-Cookie` values, for callers outside this module.
pub mod sessions_cookie {
    pub fn issue(token: &str, max_age_secs: i64) -> String {
        super::sessions::cookie(token, max_age_secs)
    }

    pub fn clear() -> String {
        super::sessions::clearing_cookie()
    }
}
