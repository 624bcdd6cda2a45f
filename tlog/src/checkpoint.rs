//! C2SP `tlog-checkpoint` bodies: what a checkpoint note signs. Free of signature code so the
//! console (wasm) can read a signed root without a crypto library.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;

use crate::merkle::Hash;

/// Why a checkpoint body was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("malformed checkpoint: {0}")]
pub struct CheckpointError(pub String);

/// A C2SP `tlog-checkpoint`: the log's origin, size and root, plus optional extension lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    pub origin: String,
    pub size: u64,
    pub root: Hash,
    /// Extra lines after the root, without their newlines (Warden adds `time <unix seconds>`).
    pub extensions: Vec<String>,
}

impl Checkpoint {
    /// The note text to sign: origin, decimal size, base64 root, then each extension, every
    /// line newline-terminated.
    pub fn body(&self) -> String {
        let mut out = format!(
            "{}\n{}\n{}\n",
            self.origin,
            self.size,
            B64.encode(self.root)
        );
        for ext in &self.extensions {
            out.push_str(ext);
            out.push('\n');
        }
        out
    }

    /// Strictly parses a checkpoint body, so one checkpoint has exactly one encoding.
    pub fn parse(body: &str) -> Result<Self, CheckpointError> {
        let err = |m: &str| CheckpointError(m.to_owned());
        let inner = body
            .strip_suffix('\n')
            .ok_or_else(|| err("body must end with a newline"))?;
        let mut lines = inner.split('\n');
        let origin = lines.next().unwrap_or_default();
        if origin.is_empty() {
            return Err(err("origin is empty"));
        }
        let size_line = lines.next().ok_or_else(|| err("missing size line"))?;
        let canonical = size_line == "0"
            || (!size_line.is_empty()
                && !size_line.starts_with('0')
                && size_line.bytes().all(|b| b.is_ascii_digit()));
        if !canonical {
            return Err(err("size is not a canonical decimal number"));
        }
        let size: u64 = size_line
            .parse()
            .map_err(|_| err("size does not fit in 64 bits"))?;
        let root_line = lines.next().ok_or_else(|| err("missing root line"))?;
        let root: Hash = B64
            .decode(root_line)
            .ok()
            .and_then(|r| r.try_into().ok())
            .ok_or_else(|| err("root is not 32 bytes of base64"))?;
        if B64.encode(root) != root_line {
            return Err(err("root is not canonical base64"));
        }
        let extensions: Vec<String> = lines.map(str::to_owned).collect();
        if extensions.iter().any(String::is_empty) {
            return Err(err("empty extension line"));
        }
        Ok(Self {
            origin: origin.to_owned(),
            size,
            root,
            extensions,
        })
    }

    /// Warden's signing time, from the `time <unix seconds>` extension line.
    pub fn time(&self) -> Option<u64> {
        self.extensions.iter().find_map(|e| {
            let digits = e.strip_prefix("time ")?;
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            digits.parse().ok()
        })
    }
}
