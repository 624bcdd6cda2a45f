//! The Warden console. Rendered on the server (`ssr`) and hydrated in the browser (`hydrate`).
//!
//! Server functions live in [`api`]; on the server they call a [`backend::ConsoleBackend`] that the
//! control plane provides, so authorisation is decided in exactly one place for the console and the
//! REST API alike.
#![forbid(unsafe_code)]
#![recursion_limit = "256"]

pub mod api;
#[cfg(feature = "ssr")]
pub mod backend;
mod components;
pub mod error;
mod pages;
mod shell;

pub use shell::{App, shell};

/// Path prefix of every console server function; kept apart from the REST API under `/api/v1`.
pub const SERVER_FN_PREFIX: &str = "/console/fn";

/// Entry point of the wasm bundle: attaches the client to the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
}
