//! Integration tests: the real `warden` binary against real Postgres and NATS.
//! `make test` provides `WARDEN_TEST_DATABASE_URL` (a cluster URL without a database name) and
//! `WARDEN_TEST_NATS_URL`; every test gets its own fresh database.

mod accounts;
mod agent_cli;
mod agents;
mod audit;
mod bad_input;
mod ca_rotation;
mod crl;
mod enforcer_mtls;
mod firewall;
mod fleet;
mod harness;
mod identity;
mod mtls;
mod openapi;
mod policy;
mod roles;
