//! Builds real exports with `ExportWriter`, then tampers with them one way at a time and checks
//! that `verify_export` names the first bad line.
#![allow(clippy::unwrap_used)]

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use serde_json::{Value, json};
use warden_tlog::{
    Checkpoint, ExportWriter, Location, MerkleTree, NoteSigner, VerifyFailure, leaf_hash,
    verify_export,
};

const ORIGIN: &str = "warden.example/audit";
const SEED: [u8; 32] = [42; 32];

/// A directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> Self {
        static N: AtomicU64 = AtomicU64::new(0);
        let n = N.fetch_add(1, Ordering::Relaxed);
        let p =
            std::env::temp_dir().join(format!("warden-tlog-test-{}-{tag}-{n}", std::process::id()));
        let _ = fs::remove_dir_all(&p);
        Self(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn signer() -> NoteSigner {
    NoteSigner::new(ORIGIN, &SEED).unwrap()
}

fn entry(seq: u64) -> String {
    format!(
        r#"{{"seq":{seq},"id":"evt-{seq}","agent":"agent-{}","action":"tool_call","decision":"allow"}}"#,
        seq % 7
    )
}

fn log_tree(end: u64) -> MerkleTree {
    let mut t = MerkleTree::new();
    for seq in 0..end {
        t.push(leaf_hash(entry(seq).as_bytes()));
    }
    t
}

fn checkpoint_note(signer: &NoteSigner, t: &MerkleTree, size: u64) -> String {
    let cp = Checkpoint {
        origin: signer.name().to_owned(),
        size,
        root: t.root(size).unwrap(),
        extensions: vec![format!("time {}", 1_764_000_000 + size)],
    };
    signer.sign(&cp.body()).unwrap()
}

/// Writes an export of entries `[first, end)` of a log with checkpoints at `sizes`; each event's
/// proof is against the smallest checkpoint covering it.
fn build(dir: &Path, first: u64, end: u64, sizes: &[u64]) {
    let s = signer();
    let t = log_tree(*sizes.last().unwrap());
    let mut w = ExportWriter::create(dir, &s.verifier_key()).unwrap();
    let mut prev: Option<u64> = None;
    for &size in sizes {
        let consistency = prev.map(|p| t.consistency_proof(p, size).unwrap());
        let token = (size == 128).then_some(&b"fake rfc3161 token"[..]);
        w.write_checkpoint(
            &checkpoint_note(&s, &t, size),
            consistency.as_deref(),
            token,
        )
        .unwrap();
        prev = Some(size);
    }
    for seq in first..end {
        w.write_event(entry(seq).as_bytes()).unwrap();
        let size = *sizes.iter().find(|&&z| z > seq).unwrap();
        w.write_proof(seq, size, &t.inclusion_proof(seq, size).unwrap())
            .unwrap();
    }
    w.finish().unwrap();
}

const SIZES: [u64; 4] = [50, 128, 200, 300];

fn standard(tag: &str) -> TempDir {
    let d = TempDir::new(tag);
    build(&d.0, 0, 300, &SIZES);
    d
}

fn read_lines(dir: &Path, file: &str) -> Vec<String> {
    fs::read_to_string(dir.join(file))
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

fn write_lines(dir: &Path, file: &str, lines: &[String]) {
    let mut s = lines.join("\n");
    if !lines.is_empty() {
        s.push('\n');
    }
    fs::write(dir.join(file), s).unwrap();
}

fn edit(dir: &Path, file: &str, f: impl FnOnce(&mut Vec<String>)) {
    let mut lines = read_lines(dir, file);
    f(&mut lines);
    write_lines(dir, file, &lines);
}

/// Rewrites one JSON line (1-based) of `file`.
fn edit_json(dir: &Path, file: &str, line: usize, f: impl FnOnce(&mut Value)) {
    edit(dir, file, |lines| {
        let mut v: Value = serde_json::from_str(&lines[line - 1]).unwrap();
        f(&mut v);
        lines[line - 1] = v.to_string();
    });
}

fn fails(dir: &Path) -> VerifyFailure {
    let f = verify_export(dir, None, None).unwrap_err();
    // Every failure must render as one readable line (shown with --nocapture for review).
    eprintln!("{f}");
    assert!(!f.to_string().contains('\n'), "{f}");
    f
}

fn event_at(f: &VerifyFailure) -> (u64, Option<u64>) {
    match &f.location {
        Location::Event { line, seq, .. } => (*line, *seq),
        other => panic!("expected an event location, got {other:?}: {f}"),
    }
}

fn checkpoint_line(f: &VerifyFailure) -> u64 {
    match &f.location {
        Location::Checkpoint { line, .. } => *line,
        other => panic!("expected a checkpoint location, got {other:?}: {f}"),
    }
}

fn proof_line(f: &VerifyFailure) -> u64 {
    match &f.location {
        Location::Proof { line } => *line,
        other => panic!("expected a proof location, got {other:?}: {f}"),
    }
}

// ---------------------------------------------------------------- valid exports

#[test]
fn valid_export_verifies() {
    let d = standard("valid");
    let report = verify_export(&d.0, None, None).unwrap();
    let t = log_tree(300);
    assert_eq!(report.events, 300);
    assert_eq!(report.first_seq, 0);
    assert_eq!(report.checkpoints, 4);
    assert_eq!(report.tree_size, 300);
    assert_eq!(report.root, t.root(300).unwrap());
    assert!(!report.key_pinned);
    let pinned = verify_export(&d.0, Some(&signer().verifier_key()), None).unwrap();
    assert!(pinned.key_pinned);
}

#[test]
fn writer_refuses_to_overwrite_and_newlines_in_entries() {
    let d = standard("overwrite");
    assert!(ExportWriter::create(&d.0, &signer().verifier_key()).is_err());
    let e = TempDir::new("newline");
    let mut w = ExportWriter::create(&e.0, &signer().verifier_key()).unwrap();
    assert!(w.write_event(b"{\"seq\":0}\n{}").is_err());
}

#[test]
fn range_export_verifies() {
    let d = TempDir::new("range");
    build(&d.0, 100, 300, &SIZES);
    let report = verify_export(&d.0, None, None).unwrap();
    assert_eq!(report.first_seq, 100);
    assert_eq!(report.events, 200);
    assert_eq!(report.tree_size, 300);
}

#[test]
fn range_export_edit_is_reported_at_the_event() {
    let d = TempDir::new("range-edit");
    build(&d.0, 100, 300, &SIZES);
    edit(&d.0, "events.ndjson", |l| {
        l[50] = l[50].replace("allow", "deny!")
    });
    let f = fails(&d.0);
    assert_eq!(event_at(&f), (51, Some(150)), "{f}");
}

#[test]
fn range_export_not_covered_by_checkpoints_fails() {
    let d = TempDir::new("range-uncovered");
    build(&d.0, 100, 200, &[50, 128, 200]);
    edit(&d.0, "events.ndjson", |l| l.push(entry(200)));
    edit(&d.0, "proofs.ndjson", |l| l.push(l[l.len() - 1].clone()));
    let f = fails(&d.0);
    assert_eq!(event_at(&f), (101, Some(200)), "{f}");
    assert!(f.reason.contains("not covered"), "{f}");
}

// ---------------------------------------------------------------- events

fn assert_edit_reported(index: usize) {
    let d = standard("edit");
    edit(&d.0, "events.ndjson", |l| {
        l[index] = l[index].replacen("tool_call", "tool_cbll", 1)
    });
    let f = fails(&d.0);
    let seq = index as u64;
    assert_eq!(event_at(&f), (seq + 1, Some(seq)), "{f}");
    assert!(f.reason.contains("inclusion proof does not verify"), "{f}");
    let Location::Event { id, .. } = &f.location else {
        unreachable!()
    };
    assert_eq!(id.as_deref(), Some(format!("evt-{seq}").as_str()));
}

#[test]
fn edited_event_middle() {
    assert_edit_reported(150);
    let f = {
        let d = standard("edit-msg");
        edit(&d.0, "events.ndjson", |l| {
            l[17] = l[17].replacen("allow", "allov", 1)
        });
        fails(&d.0)
    };
    assert!(
        f.to_string()
            .starts_with("event line 18 (seq 17, id evt-17): inclusion proof does not verify against checkpoint 50"),
        "{f}"
    );
}

#[test]
fn edited_event_first() {
    assert_edit_reported(0);
}

#[test]
fn edited_event_last() {
    assert_edit_reported(299);
}

#[test]
fn edited_seq_is_reported_at_the_event() {
    let d = standard("edit-seq");
    edit(&d.0, "events.ndjson", |l| {
        l[150] = l[150].replacen("\"seq\":150", "\"seq\":151", 1)
    });
    assert_eq!(event_at(&fails(&d.0)), (151, Some(151)));
}

#[test]
fn broken_json_event() {
    let d = standard("json");
    edit(&d.0, "events.ndjson", |l| l[9] = l[9].replacen('}', "", 1));
    assert_eq!(event_at(&fails(&d.0)), (10, None));
    let d = standard("noid");
    edit(&d.0, "events.ndjson", |l| l[9] = r#"{"seq":9}"#.into());
    assert_eq!(event_at(&fails(&d.0)), (10, Some(9)));
}

#[test]
fn deleted_event() {
    let d = standard("delete");
    edit(&d.0, "events.ndjson", |l| {
        l.remove(150);
    });
    let f = fails(&d.0);
    assert_eq!(event_at(&f), (151, Some(151)), "{f}");
    assert!(f.reason.contains("deleted"), "{f}");
}

#[test]
fn deleted_event_and_its_proof() {
    let d = standard("delete-both");
    edit(&d.0, "events.ndjson", |l| {
        l.remove(150);
    });
    edit(&d.0, "proofs.ndjson", |l| {
        l.remove(150);
    });
    let f = fails(&d.0);
    assert_eq!(event_at(&f), (151, Some(151)), "{f}");
}

#[test]
fn inserted_event() {
    let d = standard("insert");
    // Well formed with a plausible seq: it takes the place of seq 150.
    let forged = entry(150)
        .replace("evt-150", "evt-forged")
        .replace("allow", "deny");
    edit(&d.0, "events.ndjson", |l| l.insert(150, forged));
    let f = fails(&d.0);
    assert_eq!(event_at(&f), (151, Some(150)), "{f}");
    let Location::Event { id, .. } = &f.location else {
        unreachable!()
    };
    assert_eq!(id.as_deref(), Some("evt-forged"));
}

#[test]
fn inserted_event_with_a_copied_proof() {
    let d = standard("insert-proof");
    let forged = entry(150).replace("allow", "deny");
    edit(&d.0, "events.ndjson", |l| l.insert(150, forged));
    edit(&d.0, "proofs.ndjson", |l| {
        let p = l[150].clone();
        l.insert(150, p)
    });
    assert_eq!(event_at(&fails(&d.0)), (151, Some(150)));
}

#[test]
fn swapped_events() {
    let d = standard("swap");
    edit(&d.0, "events.ndjson", |l| l.swap(100, 101));
    let f = fails(&d.0);
    assert_eq!(event_at(&f), (101, Some(101)), "{f}");
    // Swapping the proofs along with the events changes nothing.
    edit(&d.0, "proofs.ndjson", |l| l.swap(100, 101));
    assert_eq!(event_at(&fails(&d.0)), (101, Some(101)));
}

#[test]
fn truncated_last_event() {
    let d = standard("truncate");
    edit(&d.0, "events.ndjson", |l| {
        l.pop();
    });
    let f = fails(&d.0);
    assert_eq!(event_at(&f), (300, Some(299)), "{f}");
    assert!(f.reason.contains("truncated"), "{f}");
    // Dropping the proof too does not hide it.
    edit(&d.0, "proofs.ndjson", |l| {
        l.pop();
    });
    assert_eq!(event_at(&fails(&d.0)), (300, Some(299)));
}

#[test]
fn truncated_mid_line() {
    let d = standard("truncate-mid");
    let path = d.0.join("events.ndjson");
    let bytes = fs::read(&path).unwrap();
    fs::write(&path, &bytes[..bytes.len() - 10]).unwrap();
    let f = fails(&d.0);
    assert_eq!(event_at(&f), (300, None), "{f}");
    assert!(f.reason.contains("newline"), "{f}");
}

// ---------------------------------------------------------------- checkpoints

fn note_of(dir: &Path, line: usize) -> String {
    let v: Value = serde_json::from_str(&read_lines(dir, "checkpoints.ndjson")[line - 1]).unwrap();
    v["note"].as_str().unwrap().to_owned()
}

fn set_note(dir: &Path, line: usize, note: String) {
    edit_json(dir, "checkpoints.ndjson", line, |v| v["note"] = json!(note));
}

fn other_root_body(dir: &Path, line: usize) -> String {
    let note = note_of(dir, line);
    let body = note.rsplit_once("\n\n").unwrap().0.to_owned() + "\n";
    let mut cp = Checkpoint::parse(&body).unwrap();
    cp.root = leaf_hash(b"forged root");
    cp.body()
}

#[test]
fn checkpoint_root_edited_without_resigning() {
    let d = standard("cp-unsigned");
    let note = note_of(&d.0, 2);
    let sigs = note.rsplit_once("\n\n").unwrap().1.to_owned();
    let body = other_root_body(&d.0, 2);
    set_note(&d.0, 2, format!("{body}\n{sigs}"));
    let f = fails(&d.0);
    assert_eq!(
        f.location,
        Location::Checkpoint {
            line: 2,
            size: Some(128)
        },
        "{f}"
    );
    assert!(f.reason.contains("does not verify"), "{f}");
}

#[test]
fn checkpoint_root_edited_and_resigned_by_another_key() {
    let d = standard("cp-resigned");
    let body = other_root_body(&d.0, 2);
    let mallory = NoteSigner::new(ORIGIN, &[66; 32]).unwrap();
    set_note(&d.0, 2, mallory.sign(&body).unwrap());
    let f = fails(&d.0);
    assert_eq!(checkpoint_line(&f), 2, "{f}");
    assert!(f.reason.contains("no signature by key"), "{f}");
}

#[test]
fn checkpoint_with_forged_signature() {
    let d = standard("cp-forged");
    let body = other_root_body(&d.0, 3);
    let s = signer();
    let mut blob = s.key_id().to_vec();
    blob.extend_from_slice(&[0x5a; 64]);
    let note = format!("{body}\n\u{2014} {ORIGIN} {}\n", B64.encode(blob));
    set_note(&d.0, 3, note);
    let f = fails(&d.0);
    assert_eq!(checkpoint_line(&f), 3, "{f}");
    assert!(f.reason.contains("signature by key"), "{f}");
}

#[test]
fn checkpoint_with_wrong_origin() {
    let d = standard("cp-origin");
    let other = NoteSigner::new("other.example/log", &SEED).unwrap();
    let t = log_tree(300);
    edit(&d.0, "key.txt", |l| l[0] = other.verifier_key());
    // Re-sign line 1 under the new key name but keep the old origin in the body.
    let cp = Checkpoint {
        origin: ORIGIN.into(),
        size: 50,
        root: t.root(50).unwrap(),
        extensions: vec![],
    };
    set_note(&d.0, 1, other.sign(&cp.body()).unwrap());
    let f = fails(&d.0);
    assert_eq!(checkpoint_line(&f), 1, "{f}");
    assert!(f.reason.contains("origin"), "{f}");
}

#[test]
fn rolled_back_checkpoint_appended_again() {
    let d = standard("rollback");
    edit(&d.0, "checkpoints.ndjson", |l| {
        let first = l[0].clone();
        l.push(first)
    });
    let f = fails(&d.0);
    assert_eq!(
        f.location,
        Location::Checkpoint {
            line: 5,
            size: Some(50)
        },
        "{f}"
    );
    assert!(f.reason.contains("rolled back"), "{f}");
}

#[test]
fn checkpoints_out_of_order() {
    let d = standard("cp-order");
    edit(&d.0, "checkpoints.ndjson", |l| l.swap(2, 3));
    let f = fails(&d.0);
    // Line 3 (size 300) does not extend line 2 with the proof meant for 200 -> 300.
    assert_eq!(checkpoint_line(&f), 3, "{f}");
    // Drop the consistency mismatch: same size repeated is a rollback.
    let d = standard("cp-repeat");
    edit(&d.0, "checkpoints.ndjson", |l| {
        let dup = l[1].clone();
        l.insert(2, dup)
    });
    let f = fails(&d.0);
    assert_eq!(checkpoint_line(&f), 3, "{f}");
    assert!(f.reason.contains("rolled back"), "{f}");
}

#[test]
fn tsa_token_must_be_base64() {
    let d = standard("tsa");
    let v: Value = serde_json::from_str(&read_lines(&d.0, "checkpoints.ndjson")[1]).unwrap();
    assert_eq!(
        B64.decode(v["tsa_token"].as_str().unwrap()).unwrap(),
        b"fake rfc3161 token"
    );
    edit_json(&d.0, "checkpoints.ndjson", 2, |v| {
        v["tsa_token"] = json!("not base64!")
    });
    assert_eq!(checkpoint_line(&fails(&d.0)), 2);
}

#[test]
fn no_checkpoints() {
    let d = standard("no-cp");
    write_lines(&d.0, "checkpoints.ndjson", &[]);
    assert_eq!(
        fails(&d.0).location,
        Location::File("checkpoints.ndjson".into())
    );
}

// ---------------------------------------------------------------- consistency proofs

/// Applies `f` to the consistency proof of checkpoint line 4 (300, from 200).
fn corrupt_consistency(tag: &str, f: impl FnOnce(&mut Vec<Value>)) -> VerifyFailure {
    let d = standard(tag);
    edit_json(&d.0, "checkpoints.ndjson", 4, |v| {
        let mut hashes = v["consistency"].as_array().unwrap().clone();
        f(&mut hashes);
        v["consistency"] = Value::Array(hashes);
    });
    fails(&d.0)
}

/// One way of corrupting a list of proof hashes.
type HashesEdit = Box<dyn FnOnce(&mut Vec<Value>)>;
/// One way of corrupting a JSON line.
type LineEdit = Box<dyn FnOnce(&mut Value)>;

fn flip_hex(h: &Value, nibble: usize) -> Value {
    let s = h.as_str().unwrap();
    let mut c: Vec<char> = s.chars().collect();
    c[nibble] = if c[nibble] == '0' { '1' } else { '0' };
    json!(c.into_iter().collect::<String>())
}

#[test]
fn corrupted_consistency_proofs() {
    let len = {
        let d = standard("cons-len");
        let v: Value = serde_json::from_str(&read_lines(&d.0, "checkpoints.ndjson")[3]).unwrap();
        v["consistency"].as_array().unwrap().len()
    };
    assert!(len >= 2);
    for i in 0..len {
        let f = corrupt_consistency("cons-flip", |h| h[i] = flip_hex(&h[i], 63));
        assert_eq!(checkpoint_line(&f), 4, "flip {i}: {f}");
    }
    let extra = json!("ab".repeat(32));
    let cases: Vec<(&str, HashesEdit)> = vec![
        ("truncated", Box::new(|h| drop(h.pop()))),
        ("first missing", Box::new(|h| drop(h.remove(0)))),
        ("appended", Box::new(|h| h.push(json!("ab".repeat(32))))),
        ("prepended", Box::new(move |h| h.insert(0, extra))),
        ("empty", Box::new(|h| h.clear())),
        ("not hex", Box::new(|h| h[0] = json!("zz"))),
        ("reversed", Box::new(|h| h.reverse())),
    ];
    for (what, f) in cases {
        let f = corrupt_consistency("cons", f);
        assert_eq!(checkpoint_line(&f), 4, "{what}: {f}");
    }
}

#[test]
fn consistency_proof_missing_or_for_another_tree() {
    let d = standard("cons-missing");
    edit_json(&d.0, "checkpoints.ndjson", 3, |v| {
        v.as_object_mut().unwrap().remove("consistency");
    });
    let f = fails(&d.0);
    assert_eq!(checkpoint_line(&f), 3, "{f}");
    assert!(f.reason.contains("missing consistency"), "{f}");
    // The proof 50 -> 128 placed on the 128 -> 200 step.
    let d = standard("cons-other");
    let other = read_lines(&d.0, "checkpoints.ndjson")[1].clone();
    let other: Value = serde_json::from_str(&other).unwrap();
    edit_json(&d.0, "checkpoints.ndjson", 3, |v| {
        v["consistency"] = other["consistency"].clone()
    });
    assert_eq!(checkpoint_line(&fails(&d.0)), 3);
}

// ---------------------------------------------------------------- inclusion proofs

/// Applies `f` to proofs line 151 (seq 150, checkpoint 200).
fn corrupt_proof(tag: &str, f: impl FnOnce(&mut Value)) -> VerifyFailure {
    let d = standard(tag);
    edit_json(&d.0, "proofs.ndjson", 151, f);
    fails(&d.0)
}

#[test]
fn corrupted_inclusion_proofs() {
    let len = {
        let d = standard("incl-len");
        let v: Value = serde_json::from_str(&read_lines(&d.0, "proofs.ndjson")[150]).unwrap();
        v["hashes"].as_array().unwrap().len()
    };
    assert!(len >= 3);
    for i in 0..len {
        let f = corrupt_proof("incl-flip", |v| {
            v["hashes"][i] = flip_hex(&v["hashes"][i], 0)
        });
        assert_eq!(proof_line(&f), 151, "flip {i}: {f}");
        assert!(f.reason.contains("proof hashes were altered"), "{f}");
    }
    let cases: Vec<(&str, LineEdit)> = vec![
        ("seq-1", Box::new(|v| v["seq"] = json!(149))),
        ("seq+1", Box::new(|v| v["seq"] = json!(151))),
        ("seq>=size", Box::new(|v| v["seq"] = json!(200))),
        ("size-1", Box::new(|v| v["size"] = json!(199))),
        ("size+1", Box::new(|v| v["size"] = json!(201))),
        ("another tree", Box::new(|v| v["size"] = json!(300))),
        ("smaller tree", Box::new(|v| v["size"] = json!(128))),
        (
            "truncated",
            Box::new(|v| drop(v["hashes"].as_array_mut().unwrap().pop())),
        ),
        (
            "first missing",
            Box::new(|v| drop(v["hashes"].as_array_mut().unwrap().remove(0))),
        ),
        (
            "appended",
            Box::new(|v| {
                v["hashes"]
                    .as_array_mut()
                    .unwrap()
                    .push(json!("cd".repeat(32)))
            }),
        ),
        (
            "prepended",
            Box::new(|v| {
                v["hashes"]
                    .as_array_mut()
                    .unwrap()
                    .insert(0, json!("cd".repeat(32)))
            }),
        ),
        ("empty", Box::new(|v| v["hashes"] = json!([]))),
        ("not hex", Box::new(|v| v["hashes"][0] = json!("xyz"))),
        ("not json", Box::new(|v| *v = json!("garbage"))),
        (
            "reversed",
            Box::new(|v| v["hashes"].as_array_mut().unwrap().reverse()),
        ),
    ];
    for (what, f) in cases {
        let f = corrupt_proof("incl", f);
        assert_eq!(proof_line(&f), 151, "{what}: {f}");
    }
}

#[test]
fn proof_from_another_event() {
    // Seq fixed up to match, hashes from the neighbour's proof.
    let d = standard("incl-neighbour");
    let neighbour: Value = serde_json::from_str(&read_lines(&d.0, "proofs.ndjson")[152]).unwrap();
    edit_json(&d.0, "proofs.ndjson", 151, |v| {
        v["hashes"] = neighbour["hashes"].clone()
    });
    assert_eq!(proof_line(&fails(&d.0)), 151);
}

#[test]
fn missing_proof_line() {
    let d = standard("proof-missing");
    edit(&d.0, "proofs.ndjson", |l| {
        l.remove(150);
    });
    let f = fails(&d.0);
    assert_eq!(proof_line(&f), 151, "{f}");
    let d = standard("proof-missing-last");
    edit(&d.0, "proofs.ndjson", |l| {
        l.pop();
    });
    let f = fails(&d.0);
    assert_eq!(proof_line(&f), 300, "{f}");
    assert!(f.reason.contains("missing"), "{f}");
}

#[test]
fn extra_proof_line() {
    let d = standard("proof-extra");
    edit(&d.0, "proofs.ndjson", |l| {
        let last = l[l.len() - 1].clone();
        l.push(last)
    });
    let f = fails(&d.0);
    assert_eq!(proof_line(&f), 301, "{f}");
    assert!(f.reason.contains("extra"), "{f}");
    let d = standard("proof-extra-mid");
    edit(&d.0, "proofs.ndjson", |l| {
        let p = l[10].clone();
        l.insert(10, p)
    });
    assert_eq!(proof_line(&fails(&d.0)), 12);
}

// ---------------------------------------------------------------- keys and trust

#[test]
fn pinned_key_differs_from_key_txt() {
    let d = standard("pin");
    let other = NoteSigner::new(ORIGIN, &[9; 32]).unwrap();
    let f = verify_export(&d.0, Some(&other.verifier_key()), None).unwrap_err();
    assert_eq!(f.location, Location::File("key.txt".into()));
    assert!(f.reason.contains("different key"), "{f}");
    // key.txt swapped for another key while the notes stay signed by the real one.
    edit(&d.0, "key.txt", |l| l[0] = other.verifier_key());
    assert_eq!(checkpoint_line(&fails(&d.0)), 1);
    let f = verify_export(&d.0, Some(&signer().verifier_key()), None).unwrap_err();
    assert_eq!(f.location, Location::File("key.txt".into()));
}

fn trusted(size: u64, root_from: &MerkleTree, signer: &NoteSigner) -> String {
    checkpoint_note(signer, root_from, size)
}

#[test]
fn trusted_checkpoint_consistent() {
    let d = standard("trust-ok");
    let t = log_tree(300);
    for size in [0, 50, 77, 128, 299, 300] {
        verify_export(&d.0, None, Some(&trusted(size, &t, &signer())))
            .unwrap_or_else(|f| panic!("trusted {size}: {f}"));
    }
}

#[test]
fn trusted_checkpoint_newer_than_export() {
    let d = standard("trust-newer");
    let t = log_tree(400);
    let f = verify_export(&d.0, None, Some(&trusted(400, &t, &signer()))).unwrap_err();
    assert_eq!(f.location, Location::TrustedCheckpoint, "{f}");
    assert!(f.reason.contains("rolled back"), "{f}");
}

#[test]
fn trusted_checkpoint_from_a_fork() {
    let d = standard("trust-fork");
    let mut fork = MerkleTree::new();
    for seq in 0..300u64 {
        fork.push(leaf_hash(format!("fork {seq}").as_bytes()));
    }
    // Same size as an exported checkpoint: reported at that checkpoint.
    let f = verify_export(&d.0, None, Some(&trusted(128, &fork, &signer()))).unwrap_err();
    assert_eq!(checkpoint_line(&f), 2, "{f}");
    assert!(f.reason.contains("forked"), "{f}");
    // A size in between: checked against the recomputed tree.
    let f = verify_export(&d.0, None, Some(&trusted(77, &fork, &signer()))).unwrap_err();
    assert_eq!(f.location, Location::TrustedCheckpoint, "{f}");
    assert!(f.reason.contains("forked"), "{f}");
}

#[test]
fn trusted_checkpoint_by_another_key_or_uncheckable() {
    let d = standard("trust-key");
    let t = log_tree(300);
    let other = NoteSigner::new(ORIGIN, &[3; 32]).unwrap();
    let f = verify_export(&d.0, None, Some(&trusted(128, &t, &other))).unwrap_err();
    assert_eq!(f.location, Location::TrustedCheckpoint, "{f}");
    // A range export cannot check a trusted size it has no checkpoint for.
    let r = TempDir::new("trust-range");
    build(&r.0, 100, 300, &SIZES);
    verify_export(&r.0, None, Some(&trusted(128, &t, &signer()))).unwrap();
    let f = verify_export(&r.0, None, Some(&trusted(77, &t, &signer()))).unwrap_err();
    assert_eq!(f.location, Location::TrustedCheckpoint, "{f}");
    assert!(f.reason.contains("cannot check"), "{f}");
}

#[test]
fn missing_file() {
    let d = standard("missing-file");
    fs::remove_file(d.0.join("proofs.ndjson")).unwrap();
    assert_eq!(fails(&d.0).location, Location::File("proofs.ndjson".into()));
}

/// Prints how long a million-event export takes to write and verify:
/// `cargo test -p warden-tlog --release --test export -- --ignored --nocapture million`.
#[test]
#[ignore]
#[allow(clippy::print_stdout)]
fn million_event_export_timing() {
    use std::time::Instant;
    const N: u64 = 1_000_000;
    let d = TempDir::new("million");
    let s = signer();
    let start = Instant::now();
    let mut t = MerkleTree::new();
    for seq in 0..N {
        t.push(leaf_hash(entry(seq).as_bytes()));
    }
    let sizes = [N / 4, N / 2, N];
    let mut w = ExportWriter::create(&d.0, &s.verifier_key()).unwrap();
    let mut prev = None;
    for &size in &sizes {
        let c = prev.map(|p| t.consistency_proof(p, size).unwrap());
        w.write_checkpoint(&checkpoint_note(&s, &t, size), c.as_deref(), None)
            .unwrap();
        prev = Some(size);
    }
    for seq in 0..N {
        w.write_event(entry(seq).as_bytes()).unwrap();
        let size = *sizes.iter().find(|&&z| z > seq).unwrap();
        w.write_proof(seq, size, &t.inclusion_proof(seq, size).unwrap())
            .unwrap();
    }
    w.finish().unwrap();
    let write = start.elapsed();
    let start = Instant::now();
    let report = verify_export(&d.0, Some(&s.verifier_key()), None).unwrap();
    let verify = start.elapsed();
    assert_eq!(report.events, N);
    let bytes: u64 = ["events.ndjson", "proofs.ndjson"]
        .iter()
        .map(|f| fs::metadata(d.0.join(f)).unwrap().len())
        .sum();
    println!(
        "1,000,000-event export ({} MB): build + write {write:?}, verify {verify:?}",
        bytes / 1_000_000
    );
}

/// In a range export the tree cannot be recomputed; the neighbouring lines' proofs still show
/// the event is in the log when one proof hash was flipped, so the proof line is named.
#[test]
fn range_export_corrupted_proof_is_reported_at_the_proof() {
    for (line, seq) in [(52usize, 151u64), (51, 150)] {
        let len = {
            let d = TempDir::new("range-len");
            build(&d.0, 100, 300, &SIZES);
            let v: Value =
                serde_json::from_str(&read_lines(&d.0, "proofs.ndjson")[line - 1]).unwrap();
            assert_eq!(v["seq"], json!(seq));
            v["hashes"].as_array().unwrap().len()
        };
        for i in 0..len {
            let d = TempDir::new("range-flip");
            build(&d.0, 100, 300, &SIZES);
            edit_json(&d.0, "proofs.ndjson", line, |v| {
                v["hashes"][i] = flip_hex(&v["hashes"][i], 5)
            });
            let f = fails(&d.0);
            assert_eq!(proof_line(&f), line as u64, "seq {seq} hash {i}: {f}");
        }
    }
}

#[test]
fn empty_exports() {
    // No events and only the empty tree's checkpoint: nothing to dispute.
    let d = TempDir::new("empty");
    build(&d.0, 0, 0, &[0]);
    let report = verify_export(&d.0, None, None).unwrap();
    assert_eq!((report.events, report.tree_size), (0, 0));
    // No events under a non-empty checkpoint: everything is missing.
    let d = TempDir::new("empty-missing");
    build(&d.0, 0, 0, &[5]);
    assert_eq!(event_at(&fails(&d.0)), (1, Some(0)));
}
