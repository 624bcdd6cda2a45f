//! The OpenAPI document is generated from the handlers; this snapshot makes every change to the
//! public API visible in review. Update with `UPDATE_SNAPSHOTS=1 cargo test -p warden-server --test api openapi`.

use std::path::PathBuf;

#[test]
fn openapi_document_matches_snapshot() {
    let (_, document) = warden_server::http::api();
    let json = serde_json::to_string_pretty(&document).expect("serialize") + "\n";
    assert!(json.contains("\"openapi\": \"3.1.0\""), "not OpenAPI 3.1");
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/openapi.json");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, &json).expect("write snapshot");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        expected == json,
        "the OpenAPI document changed; review it and run with UPDATE_SNAPSHOTS=1 to accept:\n{}",
        json
    );
}
