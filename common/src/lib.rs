//! Types shared by every Warden component: the console (compiled to wasm), the control plane and
//! the enforcers. Keep this crate small and free of I/O so it builds for every target.
#![forbid(unsafe_code)]

pub mod accounts;
pub mod agents;
pub mod api;
pub mod audit;
pub mod firewall;
pub mod fleet;
pub mod identity;
pub mod policy;
#[cfg(feature = "runtime")]
pub mod runtime;
