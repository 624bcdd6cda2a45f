//! The maths behind Warden's tamper-evident audit log, kept free of I/O except for the export
//! format so the control plane (which writes exports) and `warden audit verify` (which checks
//! them offline) share one implementation.
//!
//! - [`merkle`]: RFC 9162 §2.1 Merkle trees, inclusion and consistency proofs.
//! - [`note`]: C2SP `tlog-checkpoint` bodies and C2SP `signed-note` Ed25519 signatures.
//! - [`export`]: the export directory layout, its writer and its streaming verifier.
#![forbid(unsafe_code)]

pub mod checkpoint;
#[cfg(feature = "signatures")]
pub mod export;
pub mod merkle;
#[cfg(feature = "signatures")]
pub mod note;

pub use checkpoint::{Checkpoint, CheckpointError};
#[cfg(feature = "signatures")]
pub use export::{ExportWriter, Location, VerifyFailure, VerifyReport, verify_export};
pub use merkle::{
    Hash, MerkleTree, ProofError, leaf_hash, node_hash, verify_consistency, verify_inclusion,
};
#[cfg(feature = "signatures")]
pub use note::{NoteError, NoteSigner, NoteVerifier, generate_seed};

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

/// Hex digit values, 0xff for non-digits: a table keeps decoding fast on exports that carry
/// tens of millions of proof hashes.
const HEX_VALUES: [u8; 256] = {
    let mut t = [0xffu8; 256];
    let mut i = 0;
    while i < 10 {
        t[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        t[b'a' as usize + i] = 10 + i as u8;
        t[b'A' as usize + i] = 10 + i as u8;
        i += 1;
    }
    t
};

/// Parses exactly 64 hex digits (either case) into a hash; `None` for anything else.
pub fn hash_from_hex(s: &str) -> Option<Hash> {
    let bytes = s.as_bytes();
    if bytes.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    let mut bad = 0u8;
    for (o, pair) in out.iter_mut().zip(bytes.chunks_exact(2)) {
        let hi = HEX_VALUES[usize::from(pair[0])];
        let lo = HEX_VALUES[usize::from(pair[1])];
        bad |= hi | lo;
        *o = (hi << 4) | (lo & 0x0f);
    }
    // Any non-digit sets the high bits (0xff); digits never exceed 0x0f.
    (bad & 0xf0 == 0).then_some(out)
}
