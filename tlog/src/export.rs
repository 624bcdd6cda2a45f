//! The audit export directory (`warden audit export` writes it, `warden audit verify DIR` checks
//! it), kept in one place so writer and verifier cannot drift apart.
//!
//! Layout:
//! - `key.txt`: the log's verifier key (`<name>+<hex id>+<base64 key>`), one line.
//! - `events.ndjson`: one entry per line, exactly the bytes hashed as the Merkle leaf (the line
//!   without its `\n`). Each is a JSON object with at least `"seq"` (its leaf index) and `"id"`.
//!   Seqs are contiguous and increasing; the first may be above 0 (a range export).
//! - `checkpoints.ndjson`: `{"note": "<signed note>", "consistency": ["<hex>", …],
//!   "tsa_token": "<base64>"}` per line in strictly increasing size; `consistency` proves the
//!   previous line's checkpoint is a prefix of this one (absent on the first line); `tsa_token`
//!   (an RFC 3161 token over SHA-256 of the note body) is optional and only carried.
//! - `proofs.ndjson`: line i belongs to events line i: `{"seq": N, "size": S, "hashes": […]}`,
//!   the inclusion proof of seq N in the exported checkpoint of size S.
//!
//! Completeness: an export whose events start at seq 0 is a *full* export and must contain every
//! entry up to its latest checkpoint (so a dropped tail is detected), and its recomputed tree
//! must reproduce every checkpoint root. A range export proves each entry it contains is in the
//! log, not that nothing around it is missing.

use std::borrow::Cow;
use std::fmt;
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use serde::{Deserialize, Serialize};

use crate::checkpoint::Checkpoint;
use crate::merkle::{Hash, MerkleTree, ProofError, empty_root, leaf_hash, verify_consistency};
use crate::merkle::{inclusion_proof_len, node_hash, verify_inclusion};
use crate::note::NoteVerifier;
use crate::{hash_from_hex, to_hex};

/// The log's verifier key.
pub const KEY_FILE: &str = "key.txt";
/// The exported entries, one per line.
pub const EVENTS_FILE: &str = "events.ndjson";
/// The signed checkpoints with consistency proofs between them.
pub const CHECKPOINTS_FILE: &str = "checkpoints.ndjson";
/// One inclusion proof per event line.
pub const PROOFS_FILE: &str = "proofs.ndjson";
/// Lines longer than this are rejected so a hostile file cannot exhaust memory.
pub const MAX_LINE: u64 = 16 << 20;

#[derive(Serialize, Deserialize)]
struct CheckpointLine {
    note: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    consistency: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    tsa_token: Option<String>,
}

#[derive(Serialize)]
struct ProofLine {
    seq: u64,
    size: u64,
    hashes: Vec<String>,
}

/// The reading side of [`ProofLine`]: hex strings borrowed from the line, since a million-event
/// export holds about twenty million of them.
#[derive(Deserialize)]
struct ProofLineIn<'a> {
    seq: u64,
    size: u64,
    #[serde(borrow)]
    hashes: Vec<Cow<'a, str>>,
}

/// Only the fields the verifier needs; the rest of the entry is hashed, not interpreted.
#[derive(Deserialize)]
struct EventHead {
    seq: u64,
    #[serde(default)]
    id: Option<String>,
}

fn hex_list(hashes: &[Hash]) -> Vec<String> {
    hashes.iter().map(|h| to_hex(h)).collect()
}

/// Writes an export directory. Files are created fresh (an existing export is never merged
/// into) and buffered; [`finish`](Self::finish) makes them durable.
pub struct ExportWriter {
    dir: PathBuf,
    events: BufWriter<File>,
    checkpoints: BufWriter<File>,
    proofs: BufWriter<File>,
}

impl fmt::Debug for ExportWriter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ExportWriter")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

fn create_new(path: &Path) -> io::Result<File> {
    OpenOptions::new().write(true).create_new(true).open(path)
}

impl ExportWriter {
    /// Creates `dir` (and parents) and writes `key.txt`; fails if export files already exist.
    pub fn create(dir: impl AsRef<Path>, vkey: &str) -> io::Result<Self> {
        let dir = dir.as_ref().to_path_buf();
        if vkey.contains('\n') || vkey.is_empty() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "verifier key must be one non-empty line",
            ));
        }
        fs::create_dir_all(&dir)?;
        let mut key = create_new(&dir.join(KEY_FILE))?;
        key.write_all(format!("{vkey}\n").as_bytes())?;
        key.sync_all()?;
        Ok(Self {
            events: BufWriter::new(create_new(&dir.join(EVENTS_FILE))?),
            checkpoints: BufWriter::new(create_new(&dir.join(CHECKPOINTS_FILE))?),
            proofs: BufWriter::new(create_new(&dir.join(PROOFS_FILE))?),
            dir,
        })
    }

    /// Appends one entry: exactly the bytes that were hashed as its leaf (no newline inside).
    pub fn write_event(&mut self, entry: &[u8]) -> io::Result<()> {
        if entry.contains(&b'\n') {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "an audit entry must not contain a newline",
            ));
        }
        self.events.write_all(entry)?;
        self.events.write_all(b"\n")
    }

    /// Appends a signed checkpoint note, the consistency proof from the previously written
    /// checkpoint (`None` for the first) and an optional RFC 3161 token to carry.
    pub fn write_checkpoint(
        &mut self,
        note: &str,
        consistency: Option<&[Hash]>,
        tsa_token: Option<&[u8]>,
    ) -> io::Result<()> {
        let line = CheckpointLine {
            note: note.to_owned(),
            consistency: consistency.map(hex_list),
            tsa_token: tsa_token.map(|t| B64.encode(t)),
        };
        serde_json::to_writer(&mut self.checkpoints, &line)?;
        self.checkpoints.write_all(b"\n")
    }

    /// Appends the inclusion proof of entry `seq` in the exported checkpoint of size `size`;
    /// call once per event, in the same order.
    pub fn write_proof(&mut self, seq: u64, size: u64, hashes: &[Hash]) -> io::Result<()> {
        let line = ProofLine {
            seq,
            size,
            hashes: hex_list(hashes),
        };
        serde_json::to_writer(&mut self.proofs, &line)?;
        self.proofs.write_all(b"\n")
    }

    /// Flushes and fsyncs every file and the directory, so a finished export survives a crash.
    pub fn finish(self) -> io::Result<()> {
        for w in [self.events, self.checkpoints, self.proofs] {
            let file = w.into_inner().map_err(io::IntoInnerError::into_error)?;
            file.sync_all()?;
        }
        #[cfg(unix)]
        File::open(&self.dir)?.sync_all()?;
        Ok(())
    }
}

/// Where verification failed; lines are 1-based within their file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A line of `events.ndjson`, with its seq and id when they could be read.
    Event {
        line: u64,
        seq: Option<u64>,
        id: Option<String>,
    },
    /// A line of `checkpoints.ndjson`, with its tree size when it could be read.
    Checkpoint { line: u64, size: Option<u64> },
    /// A line of `proofs.ndjson`.
    Proof { line: u64 },
    /// A whole file (missing, unreadable, or `key.txt`).
    File(String),
    /// The checkpoint the auditor supplied as previously trusted.
    TrustedCheckpoint,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Event { line, seq, id } => {
                write!(f, "event line {line}")?;
                match (seq, id) {
                    (Some(s), Some(i)) => write!(f, " (seq {s}, id {i})"),
                    (Some(s), None) => write!(f, " (seq {s})"),
                    (None, Some(i)) => write!(f, " (id {i})"),
                    (None, None) => Ok(()),
                }
            }
            Location::Checkpoint { line, size } => {
                write!(f, "checkpoint line {line}")?;
                match size {
                    Some(s) => write!(f, " (size {s})"),
                    None => Ok(()),
                }
            }
            Location::Proof { line } => write!(f, "proof line {line}"),
            Location::File(name) => write!(f, "{name}"),
            Location::TrustedCheckpoint => write!(f, "trusted checkpoint"),
        }
    }
}

/// The first problem found, where it is and why it matters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyFailure {
    pub location: Location,
    pub reason: String,
}

impl fmt::Display for VerifyFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.reason)
    }
}

impl std::error::Error for VerifyFailure {}

/// What a successful verification established.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyReport {
    /// Number of events checked.
    pub events: u64,
    /// Seq of the first event (0 for a full export, and when there are no events).
    pub first_seq: u64,
    /// Number of checkpoints checked.
    pub checkpoints: u64,
    /// Size of the latest checkpoint.
    pub tree_size: u64,
    /// Root of the latest checkpoint.
    pub root: Hash,
    /// Whether the key was pinned by the caller rather than taken from `key.txt`.
    pub key_pinned: bool,
}

fn fail(location: Location, reason: impl Into<String>) -> VerifyFailure {
    VerifyFailure {
        location,
        reason: reason.into(),
    }
}

fn file_fail(name: &str, reason: impl Into<String>) -> VerifyFailure {
    fail(Location::File(name.to_owned()), reason)
}

/// Line reader that bounds line length and tells truncated (unterminated) last lines apart.
struct Lines {
    name: &'static str,
    reader: BufReader<File>,
    buf: Vec<u8>,
}

impl Lines {
    fn open(dir: &Path, name: &'static str) -> Result<Self, VerifyFailure> {
        let file =
            File::open(dir.join(name)).map_err(|e| file_fail(name, format!("cannot open: {e}")))?;
        Ok(Self {
            name,
            reader: BufReader::with_capacity(1 << 16, file),
            buf: Vec::new(),
        })
    }

    /// The next line without its `\n`, `Ok(None)` at end of file, `Err(reason)` for an
    /// unterminated or overlong line, `Err` with a file location for I/O errors.
    fn next(&mut self) -> Result<Option<Result<&[u8], &'static str>>, VerifyFailure> {
        self.buf.clear();
        let n = (&mut self.reader)
            .take(MAX_LINE + 1)
            .read_until(b'\n', &mut self.buf)
            .map_err(|e| file_fail(self.name, format!("cannot read: {e}")))?;
        if n == 0 {
            return Ok(None);
        }
        match self.buf.last() {
            Some(b'\n') => Ok(Some(Ok(&self.buf[..n - 1]))),
            _ if n as u64 > MAX_LINE => Ok(Some(Err("line is longer than 16 MiB"))),
            _ => Ok(Some(Err(
                "line is not newline-terminated (file truncated?)",
            ))),
        }
    }
}

fn parse_hashes<S: AsRef<str>>(hexes: &[S]) -> Result<Vec<Hash>, String> {
    hexes
        .iter()
        .enumerate()
        .map(|(i, h)| {
            hash_from_hex(h.as_ref()).ok_or_else(|| format!("hash {i} is not 64 hex digits"))
        })
        .collect()
}

/// A verified checkpoint from `checkpoints.ndjson`.
struct Cp {
    line: u64,
    size: u64,
    root: Hash,
}

/// Verifies an export directory, streaming the events, and returns the first failure.
///
/// `pinned_vkey` is the key the auditor expects (else `key.txt` is trusted as is);
/// `trusted_checkpoint` is a signed note the auditor saw earlier: the export must extend it.
/// That check uses an exported checkpoint of exactly the trusted size if there is one, else the
/// tree recomputed from a full export (events from seq 0); otherwise it fails as uncheckable.
pub fn verify_export(
    dir: impl AsRef<Path>,
    pinned_vkey: Option<&str>,
    trusted_checkpoint: Option<&str>,
) -> Result<VerifyReport, VerifyFailure> {
    let dir = dir.as_ref();
    let verifier = read_key(dir, pinned_vkey)?;
    let trusted = trusted_checkpoint
        .map(|note| open_checkpoint(&verifier, note))
        .transpose()
        .map_err(|r| fail(Location::TrustedCheckpoint, r))?;
    let cps = read_checkpoints(dir, &verifier, trusted.as_ref())?;
    let Some(last) = cps.last() else {
        return Err(file_fail(CHECKPOINTS_FILE, "no checkpoints"));
    };
    let (last_size, last_root) = (last.size, last.root);
    // Only needed when no exported checkpoint has the trusted size.
    let trusted_pending =
        trusted.filter(|t| t.size > 0 && cps.binary_search_by_key(&t.size, |c| c.size).is_err());

    let (events, first_seq, tree) = verify_events(dir, &cps)?;

    if let Some(t) = trusted_pending {
        if first_seq != 0 || tree.len() < t.size {
            return Err(fail(
                Location::TrustedCheckpoint,
                format!(
                    "cannot check the trusted checkpoint of size {}: the export has no checkpoint \
                     of that size and does not contain the log from seq 0",
                    t.size
                ),
            ));
        }
        match tree.root(t.size) {
            Ok(root) if root == t.root => {}
            _ => {
                return Err(fail(
                    Location::TrustedCheckpoint,
                    format!(
                        "forked from the checkpoint you trusted: the export's first {} events \
                         do not reproduce its root",
                        t.size
                    ),
                ));
            }
        }
    }

    Ok(VerifyReport {
        events,
        first_seq,
        checkpoints: cps.len() as u64,
        tree_size: last_size,
        root: last_root,
        key_pinned: pinned_vkey.is_some(),
    })
}

fn read_key(dir: &Path, pinned: Option<&str>) -> Result<NoteVerifier, VerifyFailure> {
    let raw = fs::read_to_string(dir.join(KEY_FILE))
        .map_err(|e| file_fail(KEY_FILE, format!("cannot read: {e}")))?;
    let key = raw.strip_suffix('\n').unwrap_or(&raw);
    let key = key.strip_suffix('\r').unwrap_or(key);
    if key.contains('\n') {
        return Err(file_fail(KEY_FILE, "must hold exactly one line"));
    }
    if let Some(pinned) = pinned
        && pinned.trim() != key
    {
        return Err(file_fail(
            KEY_FILE,
            format!(
                "export signed by a different key: key.txt has {key}, the pinned key is {}",
                pinned.trim()
            ),
        ));
    }
    NoteVerifier::from_vkey(key).map_err(|e| file_fail(KEY_FILE, e.to_string()))
}

fn open_checkpoint(verifier: &NoteVerifier, note: &str) -> Result<Checkpoint, String> {
    let body = verifier
        .open(note)
        .map_err(|e| format!("note does not verify: {e}"))?;
    let cp = Checkpoint::parse(&body).map_err(|e| e.to_string())?;
    if cp.origin != verifier.name() {
        return Err(format!(
            "origin {:?} is not the key's name {:?}",
            cp.origin,
            verifier.name()
        ));
    }
    if cp.size == 0 && cp.root != empty_root() {
        return Err("a size-0 checkpoint must carry the empty tree's root".into());
    }
    Ok(cp)
}

/// The size a note claims, read without trusting it, so a rejected checkpoint can be named.
fn unverified_size(note: &str) -> Option<u64> {
    let (body, _) = note.rsplit_once("\n\n")?;
    Checkpoint::parse(&format!("{body}\n")).ok().map(|c| c.size)
}

fn read_checkpoints(
    dir: &Path,
    verifier: &NoteVerifier,
    trusted: Option<&Checkpoint>,
) -> Result<Vec<Cp>, VerifyFailure> {
    let mut lines = Lines::open(dir, CHECKPOINTS_FILE)?;
    let mut cps: Vec<Cp> = Vec::new();
    let mut line_no = 0u64;
    while let Some(line) = lines.next()? {
        line_no += 1;
        let at = |size| Location::Checkpoint {
            line: line_no,
            size,
        };
        let line = line.map_err(|r| fail(at(None), r))?;
        let parsed: CheckpointLine = serde_json::from_slice(line)
            .map_err(|e| fail(at(None), format!("not a JSON checkpoint line: {e}")))?;
        let cp = open_checkpoint(verifier, &parsed.note)
            .map_err(|r| fail(at(unverified_size(&parsed.note)), r))?;
        let here = at(Some(cp.size));
        if let Some(token) = &parsed.tsa_token
            && B64.decode(token).is_err()
        {
            return Err(fail(here, "tsa_token is not valid base64"));
        }
        if let Some(prev) = cps.last() {
            if cp.size <= prev.size {
                return Err(fail(
                    here,
                    format!(
                        "rolled back: size {} follows size {} on line {} (sizes must strictly \
                         increase)",
                        cp.size, prev.size, prev.line
                    ),
                ));
            }
            let Some(hexes) = &parsed.consistency else {
                return Err(fail(
                    here,
                    format!("missing consistency proof from size {}", prev.size),
                ));
            };
            let proof = parse_hashes(hexes)
                .map_err(|r| fail(at(Some(cp.size)), format!("consistency proof: {r}")))?;
            verify_consistency(prev.size, cp.size, &prev.root, &cp.root, &proof).map_err(|e| {
                fail(
                    at(Some(cp.size)),
                    format!(
                        "consistency proof from checkpoint {} (line {}) does not verify: {e}",
                        prev.size, prev.line
                    ),
                )
            })?;
        }
        if let Some(t) = trusted
            && t.size == cp.size
            && t.root != cp.root
        {
            return Err(fail(
                at(Some(cp.size)),
                "forked from the checkpoint you trusted: same size, different root",
            ));
        }
        cps.push(Cp {
            line: line_no,
            size: cp.size,
            root: cp.root,
        });
    }
    if let (Some(t), Some(last)) = (trusted, cps.last())
        && t.size > last.size
    {
        return Err(fail(
            Location::TrustedCheckpoint,
            format!(
                "rolled back: the export's latest checkpoint has size {} but you trusted a \
                     checkpoint of size {}",
                last.size, t.size
            ),
        ));
    }
    Ok(cps)
}

/// Streams events and proofs in lockstep. Returns (event count, first seq, recomputed tree —
/// empty for a range export).
fn verify_events(dir: &Path, cps: &[Cp]) -> Result<(u64, u64, MerkleTree), VerifyFailure> {
    let mut events = Lines::open(dir, EVENTS_FILE)?;
    let mut proofs = Lines::open(dir, PROOFS_FILE)?;
    let last = cps.last().map_or((0, 0), |c| (c.size, c.line));
    let mut tree = MerkleTree::new();
    let mut first_seq: Option<u64> = None;
    let mut line_no = 0u64;
    let mut path_cache = PathCache::default();
    let mut hex_cache = HexCache::default();

    while let Some(raw) = events.next()? {
        line_no += 1;
        let bad = |seq, id: Option<&str>, reason: String| {
            fail(
                Location::Event {
                    line: line_no,
                    seq,
                    id: id.map(str::to_owned),
                },
                reason,
            )
        };
        let raw = raw.map_err(|r| bad(None, None, r.to_owned()))?;
        let head: EventHead = match raw.first() {
            Some(b'{') => serde_json::from_slice(raw)
                .map_err(|e| bad(None, None, format!("not a JSON audit entry: {e}")))?,
            _ => return Err(bad(None, None, "not a JSON object".into())),
        };
        let seq = head.seq;
        let Some(id) = head.id.as_deref() else {
            return Err(bad(Some(seq), None, "entry has no string \"id\"".into()));
        };
        let first = *first_seq.get_or_insert(seq);
        let expected = first.saturating_add(line_no - 1);
        if seq != expected {
            let reason = if seq < expected {
                format!(
                    "seq {seq} where {expected} was expected: event out of order or duplicated \
                     (reordered or inserted)"
                )
            } else {
                format!(
                    "seq jumps from {} to {seq}: {} event(s) missing (deleted) or out of order",
                    expected - 1,
                    seq - expected
                )
            };
            return Err(bad(Some(seq), Some(id), reason));
        }
        let leaf = leaf_hash(raw);
        let full = first == 0;
        if full {
            tree.push(leaf);
        }
        if seq >= last.0 {
            return Err(bad(
                Some(seq),
                Some(id),
                format!(
                    "not covered by any checkpoint (the latest, line {}, has size {})",
                    last.1, last.0
                ),
            ));
        }

        let proof_at = Location::Proof { line: line_no };
        let Some(praw) = proofs.next()? else {
            return Err(fail(
                proof_at,
                format!("missing: {PROOFS_FILE} ends before the proof for event line {line_no}"),
            ));
        };
        let praw = praw.map_err(|r| fail(proof_at.clone(), r))?;
        let proof: ProofLineIn = serde_json::from_slice(praw)
            .map_err(|e| fail(proof_at.clone(), format!("not a JSON proof line: {e}")))?;
        if proof.seq != seq {
            return Err(fail(
                proof_at,
                format!(
                    "proof is for seq {} but event line {line_no} has seq {seq}",
                    proof.seq
                ),
            ));
        }
        let Ok(cp_index) = cps.binary_search_by_key(&proof.size, |c| c.size) else {
            return Err(fail(
                proof_at,
                format!(
                    "names tree size {} but no exported checkpoint has that size",
                    proof.size
                ),
            ));
        };
        let cp = &cps[cp_index];
        let hashes = hex_cache
            .decode(&proof.hashes)
            .map_err(|r| fail(proof_at.clone(), r))?;
        match path_cache.verify(&leaf, seq, cp.size, hashes, &cp.root) {
            Ok(()) => {}
            Err(ProofError::RootMismatch) => {
                let failed = Failed {
                    line: line_no,
                    seq,
                    id: id.to_owned(),
                    leaf,
                    hashes,
                };
                let readers = (&mut events, &mut proofs);
                return Err(blame(readers, tree, full, &path_cache, failed, cp));
            }
            Err(e) => {
                return Err(fail(
                    proof_at,
                    format!(
                        "inclusion proof of seq {seq} in checkpoint {} is malformed: {e}",
                        cp.size
                    ),
                ));
            }
        }
        if full && let Ok(i) = cps.binary_search_by_key(&tree.len(), |c| c.size) {
            let c = &cps[i];
            if tree.root(c.size).ok() != Some(c.root) {
                return Err(fail(
                    Location::Checkpoint {
                        line: c.line,
                        size: Some(c.size),
                    },
                    format!(
                        "root does not match the tree of the first {} exported events",
                        c.size
                    ),
                ));
            }
        }
    }

    let first = first_seq.unwrap_or(0);
    if first == 0 && line_no < last.0 {
        return Err(fail(
            Location::Event {
                line: line_no + 1,
                seq: Some(line_no),
                id: None,
            },
            format!(
                "missing: {EVENTS_FILE} ends after {line_no} events but the latest checkpoint \
                 (line {}) covers {}; the export is truncated or its tail was deleted",
                last.1, last.0
            ),
        ));
    }
    if proofs.next()?.is_some() {
        return Err(fail(
            Location::Proof { line: line_no + 1 },
            format!("extra proof line: {EVENTS_FILE} has only {line_no} events"),
        ));
    }
    Ok((line_no, first, tree))
}

/// The event line whose inclusion proof did not reach the checkpoint root.
struct Failed<'a> {
    line: u64,
    seq: u64,
    id: String,
    leaf: Hash,
    hashes: &'a [Hash],
}

/// An inclusion proof failed to reach the checkpoint root: decide whether the event or the
/// proof was altered. The proof is blamed only when the event is shown to be in the log.
/// In a full export, the remaining events are read into the tree: if it reproduces the
/// checkpoint, the events are the log's. In a range export, the previous line's verified proof
/// supplies the hashes the two paths share; if mending the proof with them verifies, the event
/// is the log's.
fn blame(
    (events, proofs): (&mut Lines, &mut Lines),
    mut tree: MerkleTree,
    full: bool,
    cache: &PathCache,
    failed: Failed<'_>,
    cp: &Cp,
) -> VerifyFailure {
    let Failed {
        line,
        seq,
        id,
        leaf,
        hashes,
    } = failed;
    let event_at = Location::Event {
        line,
        seq: Some(seq),
        id: Some(id),
    };
    let head = format!(
        "inclusion proof does not verify against checkpoint {}",
        cp.size
    );
    let proof_altered = || {
        fail(
            Location::Proof { line },
            format!(
                "inclusion proof of seq {seq} does not verify against checkpoint {}: the event \
                 is in the log, so the proof hashes were altered",
                cp.size
            ),
        )
    };
    if !full {
        // The next line's leaf and proof hashes are candidates too (its leaf may be this
        // leaf's sibling, which the previous path does not know).
        let mut more = Vec::new();
        if let Ok(Some(Ok(raw))) = events.next() {
            more.push(leaf_hash(raw));
        }
        if let Ok(Some(Ok(raw))) = proofs.next()
            && let Ok(next) = serde_json::from_slice::<ProofLineIn>(raw)
        {
            more.extend(next.hashes.iter().filter_map(|h| hash_from_hex(h)));
        }
        if cache.mends(&leaf, seq, cp.size, hashes, &cp.root, &more) {
            return proof_altered();
        }
        return fail(
            event_at,
            format!("{head}: the event or its proof (proof line {line}) was altered"),
        );
    }
    while let Ok(Some(next)) = events.next() {
        match next {
            Ok(raw) => tree.push(leaf_hash(raw)),
            Err(_) => break,
        }
    }
    if tree.len() >= cp.size && tree.root(cp.size).ok() == Some(cp.root) {
        return proof_altered();
    }
    let honest_proof = tree.inclusion_proof(seq, cp.size).ok();
    if honest_proof.as_deref() == Some(hashes) {
        fail(
            event_at,
            format!("{head}: the event's bytes are not the ones the log signed (edited?)"),
        )
    } else {
        fail(
            event_at,
            format!("{head}: the event or its proof (proof line {line}) was altered"),
        )
    }
}

/// Decodes proof hashes, skipping those equal (as text) to the previous line's at the same
/// position: neighbouring proofs share most of their upper hashes, and decoding dominated.
#[derive(Default)]
struct HexCache {
    hex: Vec<String>,
    hashes: Vec<Hash>,
}

impl HexCache {
    fn decode(&mut self, hexes: &[Cow<'_, str>]) -> Result<&[Hash], String> {
        self.hex.truncate(hexes.len());
        self.hashes.truncate(hexes.len());
        for (i, h) in hexes.iter().enumerate() {
            if self.hex.get(i).map(String::as_str) == Some(h.as_ref()) {
                continue;
            }
            let Some(v) = hash_from_hex(h) else {
                // Leave no stale entry behind for the next line.
                self.hex.truncate(i);
                self.hashes.truncate(i);
                return Err(format!("hash {i} is not 64 hex digits"));
            };
            if i < self.hex.len() {
                self.hex[i].clear();
                self.hex[i].push_str(h);
                self.hashes[i] = v;
            } else {
                self.hex.push(h.as_ref().to_owned());
                self.hashes.push(v);
            }
        }
        Ok(&self.hashes)
    }
}

/// Verifies a run of inclusion proofs like RFC 9162 §2.1.3.2, reusing the previous proof's
/// work: neighbouring leaves share the upper part of their paths, so once the walk reaches a
/// state (position, size, running hash) the previous, verified walk also had at the same step,
/// with the same remaining proof hashes, the rest of the walk is identical and already checked.
/// That turns ~log n hashes per event into ~2 for a whole export.
#[derive(Default)]
struct PathCache {
    size: u64,
    root: Hash,
    /// The previous successful walk's leaf.
    leaf: Hash,
    proof: Vec<Hash>,
    /// `(fn, sn, r)` after each step of the previous successful walk.
    states: Vec<(u64, u64, Hash)>,
}

impl PathCache {
    fn verify(
        &mut self,
        leaf: &Hash,
        index: u64,
        size: u64,
        proof: &[Hash],
        root: &Hash,
    ) -> Result<(), ProofError> {
        if index >= size {
            return Err(ProofError::IndexOutOfRange { index, size });
        }
        let expected = inclusion_proof_len(index, size);
        if proof.len() != expected {
            return Err(ProofError::WrongProofLength {
                expected,
                got: proof.len(),
            });
        }
        let same_tree = self.size == size && &self.root == root && !self.states.is_empty();
        let mut states = Vec::with_capacity(proof.len());
        let (mut fnode, mut snode, mut r) = (index, size - 1, *leaf);
        for (i, p) in proof.iter().enumerate() {
            if snode == 0 {
                return Err(ProofError::WrongProofLength {
                    expected,
                    got: proof.len(),
                });
            }
            if fnode & 1 == 1 || fnode == snode {
                r = node_hash(p, &r);
                while fnode & 1 == 0 && fnode != 0 {
                    fnode >>= 1;
                    snode >>= 1;
                }
            } else {
                r = node_hash(&r, p);
            }
            fnode >>= 1;
            snode >>= 1;
            states.push((fnode, snode, r));
            if same_tree
                && self.states.get(i) == Some(&(fnode, snode, r))
                && self.proof.get(i + 1..) == Some(&proof[i + 1..])
            {
                self.proof[..=i].copy_from_slice(&proof[..=i]);
                self.states[..=i].copy_from_slice(&states);
                self.leaf = *leaf;
                return Ok(());
            }
        }
        if snode != 0 {
            return Err(ProofError::WrongProofLength {
                expected,
                got: proof.len(),
            });
        }
        if &r != root {
            return Err(ProofError::RootMismatch);
        }
        self.size = size;
        self.root = *root;
        self.leaf = *leaf;
        self.proof = proof.to_vec();
        self.states = states;
        Ok(())
    }
}

impl PathCache {
    /// Whether `leaf` is provably in the tree although `proof` failed: the previous verified
    /// walk in the same tree knows the hashes the two paths share (the top of its proof) and
    /// the subtree hashes along its path (its leaf and running hashes). Swap those into the
    /// failing proof, the top `t` entries and any one other entry; if any mended proof
    /// verifies, a valid proof exists. `more` adds candidate hashes (e.g. from the next line).
    /// Costs O(log³ n) hashes, only on failure.
    fn mends(
        &self,
        leaf: &Hash,
        index: u64,
        size: u64,
        proof: &[Hash],
        root: &Hash,
        more: &[Hash],
    ) -> bool {
        if self.size != size || &self.root != root || self.states.is_empty() {
            return false;
        }
        let known: Vec<Hash> = std::iter::once(self.leaf)
            .chain(self.states.iter().map(|s| s.2))
            .chain(more.iter().copied())
            .collect();
        let (n, m) = (proof.len(), self.proof.len());
        for t in 0..=n.min(m) {
            let mut q = proof.to_vec();
            q[n - t..].copy_from_slice(&self.proof[m - t..]);
            if verify_inclusion(leaf, index, size, &q, root).is_ok() {
                return true;
            }
            for j in 0..n - t {
                let saved = q[j];
                for k in &known {
                    q[j] = *k;
                    if verify_inclusion(leaf, index, size, &q, root).is_ok() {
                        return true;
                    }
                }
                q[j] = saved;
            }
        }
        false
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// The cache must agree with the plain verifier on every valid and corrupted proof, in
    /// the order the export verifier feeds it (consecutive leaves, sometimes switching trees).
    #[test]
    fn path_cache_agrees_with_verify_inclusion() {
        let mut t = MerkleTree::new();
        for i in 0..300u32 {
            t.push(leaf_hash(&i.to_be_bytes()));
        }
        let mut cache = PathCache::default();
        for size in [1u64, 2, 3, 7, 64, 65, 200, 255, 300] {
            let root = t.root(size).unwrap();
            for index in 0..size {
                let leaf = t.leaf(index).unwrap();
                let proof = t.inclusion_proof(index, size).unwrap();
                assert_eq!(cache.verify(&leaf, index, size, &proof, &root), Ok(()));
                for i in 0..proof.len() {
                    let mut bad = proof.clone();
                    bad[i][(index as usize + i) % 32] ^= 0x40;
                    let want = verify_inclusion(&leaf, index, size, &bad, &root);
                    assert!(want.is_err());
                    assert_eq!(cache.verify(&leaf, index, size, &bad, &root), want);
                }
                let mut wrong_leaf = leaf;
                wrong_leaf[0] ^= 1;
                assert!(
                    cache
                        .verify(&wrong_leaf, index, size, &proof, &root)
                        .is_err()
                );
                if index + 1 < size {
                    // The neighbour's leaf under this leaf's proof.
                    let next = t.leaf(index + 1).unwrap();
                    assert!(cache.verify(&next, index, size, &proof, &root).is_err());
                    assert!(cache.verify(&next, index + 1, size, &proof, &root).is_err());
                }
            }
        }
    }
}
