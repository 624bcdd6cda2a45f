//! Signed bundles: good ones load; tampered payloads, wrong or unknown keys and Rego that does
//! not compile are rejected.

mod fixtures;

use fixtures::*;
use ring::rand::SystemRandom;
use ring::signature::{Ed25519KeyPair, KeyPair};
use time::macros::datetime;
use warden_policy::{
    Bundle, BundleError, Module, compile, key_id, sign, verify, verify_and_compile,
};

fn key() -> Ed25519KeyPair {
    let pkcs8 = Ed25519KeyPair::generate_pkcs8(&SystemRandom::new()).expect("keygen");
    Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).expect("key")
}

fn bundle() -> Bundle {
    let policy = compile(&twenty_grants(), &[]).expect("compiles");
    Bundle::from_compiled(7, datetime!(2026-11-25 10:00 UTC), &policy)
}

#[test]
fn signed_bundle_verifies_and_compiles() {
    let key = key();
    let signed = sign(&bundle(), &key).expect("signs");
    assert_eq!(signed.key_id, key_id(key.public_key().as_ref()));
    assert_eq!(signed.key_id.len(), 16);
    let trusted = [key.public_key().as_ref().to_vec()];
    let (b, engine) = verify_and_compile(&signed, &trusted).expect("verifies");
    assert_eq!(b, bundle());
    assert!(engine.evaluate(&crm_read_call()).allow);
    // The payload is canonical: signing the same bundle twice signs the same bytes.
    assert_eq!(
        sign(&bundle(), &key).expect("signs").payload,
        signed.payload
    );
}

#[test]
fn tampered_payload_is_rejected() {
    let key = key();
    let mut signed = sign(&bundle(), &key).expect("signs");
    signed.payload = signed.payload.replace("crm.read", "crm.wipe");
    let trusted = [key.public_key().as_ref().to_vec()];
    assert!(matches!(
        verify(&signed, &trusted),
        Err(BundleError::BadSignature)
    ));
}

#[test]
fn wrong_or_unknown_key_is_rejected() {
    let (key, other) = (key(), key());
    let signed = sign(&bundle(), &key).expect("signs");
    let only_other = [other.public_key().as_ref().to_vec()];
    assert!(matches!(
        verify(&signed, &only_other),
        Err(BundleError::UnknownKey(_))
    ));
    // A key id that claims a trusted key but a signature by another key.
    let mut forged = sign(&bundle(), &other).expect("signs");
    forged.key_id = signed.key_id.clone();
    let trusted = [key.public_key().as_ref().to_vec()];
    assert!(matches!(
        verify(&forged, &trusted),
        Err(BundleError::BadSignature)
    ));
    let mut garbled = signed.clone();
    garbled.signature = "not base64!".into();
    assert!(matches!(
        verify(&garbled, &trusted),
        Err(BundleError::MalformedSignature)
    ));
}

#[test]
fn malformed_payload_is_rejected_even_when_signed() {
    let key = key();
    let mut signed = sign(&bundle(), &key).expect("signs");
    signed.payload = "{\"version\": \"seven\"}".into();
    let sig = key.sign(signed.payload.as_bytes());
    signed.signature = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, sig);
    let trusted = [key.public_key().as_ref().to_vec()];
    assert!(matches!(
        verify(&signed, &trusted),
        Err(BundleError::MalformedPayload(_))
    ));
}

#[test]
fn bundle_whose_rego_does_not_compile_is_rejected() {
    let key = key();
    let mut b = bundle();
    b.modules.push(Module::new(
        "custom/bad.rego",
        "package warden.custom.bad\n\ndeny contains x if {\n",
    ));
    let signed = sign(&b, &key).expect("signs");
    let trusted = [key.public_key().as_ref().to_vec()];
    match verify_and_compile(&signed, &trusted) {
        Err(BundleError::Compile(e)) => {
            assert_eq!(e.file, "custom/bad.rego");
            assert!(e.line > 0);
        }
        other => panic!("expected a compile error, got {other:?}"),
    }
}
