//! Signed notes against Go's x/mod/sumdb/note example, and strict checkpoint parsing.
#![allow(clippy::unwrap_used)]

use warden_tlog::note::{MAX_NOTE_SIZE, MAX_SIGNATURES};
use warden_tlog::{Checkpoint, NoteError, NoteSigner, NoteVerifier, generate_seed, leaf_hash};

const GO_SKEY: &str =
    "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
const GO_VKEY: &str = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
const GO_TEXT: &str = "If you think cryptography is the answer to your problem,\n\
                       then you don't know what your problem is.\n";
const GO_SIG: &str = "\u{2014} PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

#[test]
fn reproduces_go_sumdb_note_example_byte_for_byte() {
    let signer = NoteSigner::from_private_key(GO_SKEY).unwrap();
    assert_eq!(signer.name(), "PeterNeumann");
    assert_eq!(signer.key_id(), [0xc7, 0x4f, 0x20, 0xa3]);
    assert_eq!(signer.verifier_key(), GO_VKEY);
    let note = signer.sign(GO_TEXT).unwrap();
    assert_eq!(note, format!("{GO_TEXT}\n{GO_SIG}"));
    let verifier = NoteVerifier::from_vkey(GO_VKEY).unwrap();
    assert_eq!(verifier.open(&note).unwrap(), GO_TEXT);
}

#[test]
fn rejects_private_key_with_wrong_id() {
    let bad = GO_SKEY.replace("c74f20a3", "c74f20a4");
    assert!(matches!(
        NoteSigner::from_private_key(&bad),
        Err(NoteError::InvalidKey(_))
    ));
    assert!(NoteVerifier::from_vkey(&GO_VKEY.replace("c74f20a3", "00000000")).is_err());
    assert!(NoteVerifier::from_vkey("PeterNeumann+c74f20a3").is_err());
    assert!(NoteVerifier::from_vkey("Peter Neumann+c74f20a3+AAAA").is_err());
    assert!(NoteSigner::new("a+b", &[0; 32]).is_err());
    assert!(NoteSigner::new("", &[0; 32]).is_err());
}

#[test]
fn open_ignores_unknown_signers_and_rejects_bad_ones() {
    let ours = NoteSigner::new("example.com/log", &generate_seed().unwrap()).unwrap();
    let other = NoteSigner::new("witness.example", &generate_seed().unwrap()).unwrap();
    let verifier = NoteVerifier::from_vkey(&ours.verifier_key()).unwrap();
    let body = "example.com/log\n1\nAAAA\n";
    let note = ours.sign(body).unwrap();
    // A cosignature from another key is appended and ignored.
    let other_sig = other.sign(body).unwrap();
    let other_line = other_sig.rsplit_once("\n\n").unwrap().1;
    let cosigned = format!("{note}{other_line}");
    assert_eq!(verifier.open(&cosigned).unwrap(), body);
    // Only an unknown signer: no signature by our key.
    assert!(matches!(
        verifier.open(&other_sig),
        Err(NoteError::NoMatchingSignature { .. })
    ));
    // Same name, different key: the key id differs, so still no matching signature.
    let impostor = NoteSigner::new("example.com/log", &generate_seed().unwrap()).unwrap();
    assert!(matches!(
        verifier.open(&impostor.sign(body).unwrap()),
        Err(NoteError::NoMatchingSignature { .. })
    ));
    // Edited text under our signature.
    let edited = note.replacen("\n1\n", "\n2\n", 1);
    assert!(matches!(
        verifier.open(&edited),
        Err(NoteError::BadSignature { .. })
    ));
    // Malformed notes.
    assert!(verifier.open(body).is_err());
    assert!(verifier.open(&note.replace('\u{2014}', "-")).is_err());
    assert!(verifier.open(note.trim_end()).is_err());
    assert!(ours.sign("no newline").is_err());
    assert!(ours.sign("").is_err());
}

#[test]
fn open_enforces_limits() {
    let ours = NoteSigner::new("log", &[7; 32]).unwrap();
    let verifier = NoteVerifier::from_vkey(&ours.verifier_key()).unwrap();
    let big = format!("log\n{}\n", "x".repeat(MAX_NOTE_SIZE));
    assert_eq!(
        verifier.open(&ours.sign(&big).unwrap()),
        Err(NoteError::TooLarge)
    );
    let note = ours.sign("log\n").unwrap();
    let line = note.rsplit_once("\n\n").unwrap().1;
    let many = format!("log\n\n{}", line.repeat(MAX_SIGNATURES + 1));
    assert_eq!(verifier.open(&many), Err(NoteError::TooManySignatures));
    let exactly = format!("log\n\n{}", line.repeat(MAX_SIGNATURES));
    assert_eq!(verifier.open(&exactly).unwrap(), "log\n");
}

fn sample() -> Checkpoint {
    Checkpoint {
        origin: "warden.example/audit".into(),
        size: 120,
        root: leaf_hash(b"root"),
        extensions: vec!["time 1764000000".into()],
    }
}

#[test]
fn checkpoint_round_trips_and_reads_time() {
    let cp = sample();
    let body = cp.body();
    assert!(body.starts_with("warden.example/audit\n120\n"));
    assert!(body.ends_with("\ntime 1764000000\n"));
    assert_eq!(Checkpoint::parse(&body).unwrap(), cp);
    assert_eq!(cp.time(), Some(1_764_000_000));
    let no_time = Checkpoint {
        extensions: vec![],
        ..cp
    };
    assert_eq!(no_time.time(), None);
    assert_eq!(Checkpoint::parse(&no_time.body()).unwrap(), no_time);
    let zero = Checkpoint::parse("o\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n").unwrap();
    assert_eq!(zero.size, 0);
}

#[test]
fn checkpoint_parse_is_strict() {
    let good = sample().body();
    let root = good.lines().nth(2).unwrap().to_owned();
    for bad in [
        good.trim_end_matches('\n').to_owned(), // last line unterminated
        good.replacen("\n120\n", "\n0120\n", 1), // leading zero
        good.replacen("\n120\n", "\n+120\n", 1),
        good.replacen("\n120\n", "\n12a\n", 1),
        good.replacen("\n120\n", "\n\n", 1),
        good.replacen("\n120\n", "\n99999999999999999999\n", 1),
        good.replacen("warden.example/audit", "", 1), // empty origin
        good.replacen(&root, &root[..root.len() - 1], 1), // unpadded
        good.replacen(&root, "AAAA", 1),              // 3 bytes
        good.replacen("time", "\ntime", 1),           // empty extension line
        "o\n1\n".to_owned(),                          // no root
    ] {
        assert!(Checkpoint::parse(&bad).is_err(), "accepted {bad:?}");
    }
    // Signed then opened: the body survives exactly.
    let signer = NoteSigner::new("warden.example/audit", &[1; 32]).unwrap();
    let verifier = NoteVerifier::from_vkey(&signer.verifier_key()).unwrap();
    let opened = verifier.open(&signer.sign(&good).unwrap()).unwrap();
    assert_eq!(Checkpoint::parse(&opened).unwrap(), sample());
}
