//! The maths behind Warden's tamper-evident audit log, kept free of I/O except for the export
//! format so the control plane (which writes exports) and `warden audit verify` (which checks
//! them offline) share one implementation.
//!
//! - [`merkle`]: RFC 9162 §2.1 Merkle trees, inclusion and consistency proofs.
//! - [`note`]: C2SP `tlog-checkpoint` bodies and C2SP `signed-note` Ed25519 signatures.
//! - [`export`]: the export directory layout, its writer and its streaming verifier.
#![forbid(unsafe_code)]

pub mod export;
pub mod merkle;
pub mod note;

pub use export::{ExportWriter, Location, VerifyFailure, VerifyReport, verify_export};
pub use merkle::{
    Hash, MerkleTree, ProofError, leaf_hash, node_hash, verify_consistency, verify_inclusion,
};
pub use note::{Checkpoint, CheckpointError, NoteError, NoteSigner, NoteVerifier, generate_seed};

/// Lower-case hex, used for proof hashes in the export files (no extra crate for 20 lines).
pub fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

/// Parses exactly 64 hex digits (either case) into a hash; `None` for anything else.
pub fn hash_from_hex(s: &str) -> Option<Hash> {
    let bytes = s.as_bytes();
    if bytes.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, pair) in bytes.chunks_exact(2).enumerate() {
        let hi = hex_digit(pair[0])?;
        let lo = hex_digit(pair[1])?;
        out[i] = (hi << 4) | lo;
    }
    Some(out)
}

fn hex_digit(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}
