//! C2SP `tlog-checkpoint` bodies and C2SP `signed-note` Ed25519 signatures, byte-compatible with
//! Go's `golang.org/x/mod/sumdb/note` so standard tooling (and witnesses) can read our notes.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use ring::rand::{SecureRandom, SystemRandom};
use ring::signature::{ED25519, Ed25519KeyPair, KeyPair, UnparsedPublicKey};
use sha2::{Digest, Sha256};

/// Signed-note algorithm byte for Ed25519.
const ALG_ED25519: u8 = 0x01;
/// Notes larger than this are rejected before parsing (bounds work on hostile input).
pub const MAX_NOTE_SIZE: usize = 1 << 20;
/// More signature lines than this are rejected (as Go's implementation does).
pub const MAX_SIGNATURES: usize = 100;
/// Signature lines start with an em dash (U+2014) and a space.
const SIG_PREFIX: &str = "\u{2014} ";

/// Why a key, a note or a signature was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoteError {
    #[error("invalid key name {0:?}: must be non-empty, without '+' or whitespace")]
    InvalidName(String),
    #[error("invalid key: {0}")]
    InvalidKey(String),
    #[error("note text must be non-empty and end with a newline")]
    InvalidText,
    #[error("note is larger than {MAX_NOTE_SIZE} bytes")]
    TooLarge,
    #[error("note has more than {MAX_SIGNATURES} signatures")]
    TooManySignatures,
    #[error("malformed note: {0}")]
    Malformed(String),
    #[error("note has no signature by key {name}+{key_id}")]
    NoMatchingSignature { name: String, key_id: String },
    #[error("signature by key {name}+{key_id} does not verify")]
    BadSignature { name: String, key_id: String },
    #[error("random number generator failed")]
    Rng,
}

/// C2SP key names: non-empty, no '+' (the vkey separator) and no whitespace (the signature
/// line separator).
fn check_name(name: &str) -> Result<(), NoteError> {
    if name.is_empty() || name.contains('+') || name.chars().any(char::is_whitespace) {
        return Err(NoteError::InvalidName(name.to_owned()));
    }
    Ok(())
}

/// key id = first 4 bytes of SHA-256(name ‖ '\n' ‖ alg ‖ public key), binding key to name.
fn key_id(name: &str, public: &[u8]) -> [u8; 4] {
    let mut h = Sha256::new();
    h.update(name.as_bytes());
    h.update([b'\n', ALG_ED25519]);
    h.update(public);
    let d = h.finalize();
    [d[0], d[1], d[2], d[3]]
}

fn hex4(id: [u8; 4]) -> String {
    crate::to_hex(&id)
}

fn parse_hex4(s: &str) -> Option<[u8; 4]> {
    if s.len() != 8 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u32::from_str_radix(s, 16).ok().map(u32::to_be_bytes)
}

/// Splits `<name>+<hex id>+<base64(alg ‖ key)>` and checks the id against the name and key.
fn parse_key_string(s: &str) -> Result<(String, [u8; 4], Vec<u8>), NoteError> {
    let mut parts = s.splitn(3, '+');
    let (Some(name), Some(id), Some(key)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(NoteError::InvalidKey(
            "expected <name>+<key id>+<key>".into(),
        ));
    };
    check_name(name)?;
    let id = parse_hex4(id).ok_or_else(|| NoteError::InvalidKey("key id is not 8 hex".into()))?;
    let key = B64
        .decode(key)
        .map_err(|_| NoteError::InvalidKey("key is not base64".into()))?;
    if key.len() != 33 || key[0] != ALG_ED25519 {
        return Err(NoteError::InvalidKey(
            "key is not a 0x01-prefixed 32-byte Ed25519 key".into(),
        ));
    }
    Ok((name.to_owned(), id, key[1..].to_vec()))
}

/// Fresh 32-byte Ed25519 seed from the operating system's CSPRNG.
pub fn generate_seed() -> Result<[u8; 32], NoteError> {
    let mut seed = [0u8; 32];
    SystemRandom::new()
        .fill(&mut seed)
        .map_err(|_| NoteError::Rng)?;
    Ok(seed)
}

/// Signs note texts (checkpoint bodies) with one named Ed25519 key.
pub struct NoteSigner {
    name: String,
    key_id: [u8; 4],
    pair: Ed25519KeyPair,
}

impl std::fmt::Debug for NoteSigner {
    // Never print key material.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NoteSigner")
            .field("name", &self.name)
            .field("key_id", &hex4(self.key_id))
            .finish_non_exhaustive()
    }
}

impl NoteSigner {
    /// A signer for key `name` (the log's origin) from a 32-byte Ed25519 seed.
    pub fn new(name: &str, seed: &[u8; 32]) -> Result<Self, NoteError> {
        check_name(name)?;
        let pair = Ed25519KeyPair::from_seed_unchecked(seed)
            .map_err(|e| NoteError::InvalidKey(e.to_string()))?;
        let key_id = key_id(name, pair.public_key().as_ref());
        Ok(Self {
            name: name.to_owned(),
            key_id,
            pair,
        })
    }

    /// Parses Go's `PRIVATE+KEY+<name>+<hex id>+<base64(0x01 ‖ seed)>` form, checking the id.
    pub fn from_private_key(s: &str) -> Result<Self, NoteError> {
        let rest = s
            .trim_end()
            .strip_prefix("PRIVATE+KEY+")
            .ok_or_else(|| NoteError::InvalidKey("missing PRIVATE+KEY+ prefix".into()))?;
        let (name, id, seed) = parse_key_string(rest)?;
        let seed: [u8; 32] = seed
            .try_into()
            .map_err(|_| NoteError::InvalidKey("seed is not 32 bytes".into()))?;
        let signer = Self::new(&name, &seed)?;
        if signer.key_id != id {
            return Err(NoteError::InvalidKey(
                "key id does not match name and key".into(),
            ));
        }
        Ok(signer)
    }

    /// The key name (the log's origin).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The 4-byte key id carried in every signature.
    pub fn key_id(&self) -> [u8; 4] {
        self.key_id
    }

    /// The public key, `<name>+<hex id>+<base64(0x01 ‖ public key)>`, for auditors to pin.
    pub fn verifier_key(&self) -> String {
        let mut key = vec![ALG_ED25519];
        key.extend_from_slice(self.pair.public_key().as_ref());
        format!("{}+{}+{}", self.name, hex4(self.key_id), B64.encode(key))
    }

    /// The full signed note: `body`, a blank line, and one signature line. Fails only if `body`
    /// is not valid note text (empty or not newline-terminated).
    pub fn sign(&self, body: &str) -> Result<String, NoteError> {
        if body.is_empty() || !body.ends_with('\n') {
            return Err(NoteError::InvalidText);
        }
        let sig = self.pair.sign(body.as_bytes());
        let mut blob = self.key_id.to_vec();
        blob.extend_from_slice(sig.as_ref());
        Ok(format!(
            "{body}\n{SIG_PREFIX}{} {}\n",
            self.name,
            B64.encode(blob)
        ))
    }
}

/// Checks notes against one named Ed25519 public key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteVerifier {
    name: String,
    key_id: [u8; 4],
    public: Vec<u8>,
}

impl NoteVerifier {
    /// Parses `<name>+<hex id>+<base64(0x01 ‖ public key)>`, rejecting ids that do not match.
    pub fn from_vkey(vkey: &str) -> Result<Self, NoteError> {
        let (name, id, public) = parse_key_string(vkey.trim_end())?;
        if key_id(&name, &public) != id {
            return Err(NoteError::InvalidKey(
                "key id does not match name and key".into(),
            ));
        }
        Ok(Self {
            name,
            key_id: id,
            public,
        })
    }

    /// The key name; for a log key, the origin its checkpoints must carry.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The 4-byte key id.
    pub fn key_id(&self) -> [u8; 4] {
        self.key_id
    }

    /// Returns the note's text if it carries a valid signature by this key. Signatures by other
    /// keys are ignored (witness cosignatures may sit alongside ours); a bad signature claiming
    /// to be ours is an error.
    pub fn open(&self, note: &str) -> Result<String, NoteError> {
        if note.len() > MAX_NOTE_SIZE {
            return Err(NoteError::TooLarge);
        }
        let split = note
            .rfind("\n\n")
            .ok_or_else(|| NoteError::Malformed("no blank line before the signatures".into()))?;
        let text = &note[..split + 1];
        let sigs = &note[split + 2..];
        if sigs.is_empty() || !sigs.ends_with('\n') {
            return Err(NoteError::Malformed(
                "signature block is empty or not newline-terminated".into(),
            ));
        }
        if text.chars().any(|c| c.is_control() && c != '\n') {
            return Err(NoteError::Malformed(
                "note text contains control characters".into(),
            ));
        }
        let lines: Vec<&str> = sigs[..sigs.len() - 1].split('\n').collect();
        if lines.len() > MAX_SIGNATURES {
            return Err(NoteError::TooManySignatures);
        }
        let mut matched = false;
        for line in lines {
            let rest = line.strip_prefix(SIG_PREFIX).ok_or_else(|| {
                NoteError::Malformed(format!("signature line {line:?} does not start with '— '"))
            })?;
            let (name, b64) = rest.split_once(' ').ok_or_else(|| {
                NoteError::Malformed(format!("signature line {line:?} has no key name"))
            })?;
            check_name(name)?;
            let blob = B64.decode(b64).map_err(|_| {
                NoteError::Malformed(format!("signature line {line:?} is not base64"))
            })?;
            if blob.len() < 5 {
                return Err(NoteError::Malformed(format!(
                    "signature line {line:?} is too short"
                )));
            }
            if name != self.name || blob[..4] != self.key_id {
                continue;
            }
            UnparsedPublicKey::new(&ED25519, &self.public)
                .verify(text.as_bytes(), &blob[4..])
                .map_err(|_| NoteError::BadSignature {
                    name: self.name.clone(),
                    key_id: hex4(self.key_id),
                })?;
            matched = true;
        }
        if !matched {
            return Err(NoteError::NoMatchingSignature {
                name: self.name.clone(),
                key_id: hex4(self.key_id),
            });
        }
        Ok(text.to_owned())
    }
}
