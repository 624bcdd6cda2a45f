//! Merkle tree known answers, proofs checked against a naive RFC 9162 implementation, and
//! corrupted-proof cases in the manner of transparency-dev/merkle's verify tests.
#![allow(clippy::unwrap_used)]

use proptest::prelude::*;
use warden_tlog::merkle::{consistency_proof_len, empty_root, inclusion_proof_len};
use warden_tlog::{
    Hash, MerkleTree, ProofError, hash_from_hex, leaf_hash, node_hash, to_hex, verify_consistency,
    verify_inclusion,
};

/// The RFC 6962 reference leaves used by certificate-transparency-go and transparency-dev.
fn reference_leaves() -> Vec<Vec<u8>> {
    vec![
        vec![],
        vec![0x00],
        vec![0x10],
        vec![0x20, 0x21],
        vec![0x30, 0x31],
        vec![0x40, 0x41, 0x42, 0x43],
        vec![0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57],
        (0x60..=0x6f).collect(),
    ]
}

// ---- naive RFC 9162 §2.1 definitions, straight from the text ----

fn k_of(n: usize) -> usize {
    let mut k = 1;
    while k * 2 < n {
        k *= 2;
    }
    k
}

fn naive_mth(d: &[Hash]) -> Hash {
    match d.len() {
        0 => empty_root(),
        1 => d[0],
        n => {
            let k = k_of(n);
            node_hash(&naive_mth(&d[..k]), &naive_mth(&d[k..]))
        }
    }
}

fn naive_path(m: usize, d: &[Hash]) -> Vec<Hash> {
    let n = d.len();
    if n <= 1 {
        return vec![];
    }
    let k = k_of(n);
    if m < k {
        let mut p = naive_path(m, &d[..k]);
        p.push(naive_mth(&d[k..]));
        p
    } else {
        let mut p = naive_path(m - k, &d[k..]);
        p.push(naive_mth(&d[..k]));
        p
    }
}

fn naive_subproof(m: usize, d: &[Hash], b: bool) -> Vec<Hash> {
    let n = d.len();
    if m == n {
        return if b { vec![] } else { vec![naive_mth(d)] };
    }
    let k = k_of(n);
    if m <= k {
        let mut p = naive_subproof(m, &d[..k], b);
        p.push(naive_mth(&d[k..]));
        p
    } else {
        let mut p = naive_subproof(m - k, &d[k..], false);
        p.push(naive_mth(&d[..k]));
        p
    }
}

fn naive_consistency(m: usize, d: &[Hash]) -> Vec<Hash> {
    if m == 0 || m == d.len() {
        return vec![];
    }
    naive_subproof(m, d, true)
}

fn leaves(n: usize) -> Vec<Hash> {
    (0..n)
        .map(|i| leaf_hash(format!("leaf {i}").as_bytes()))
        .collect()
}

fn tree_of(d: &[Hash]) -> MerkleTree {
    let mut t = MerkleTree::new();
    for h in d {
        t.push(*h);
    }
    t
}

fn flip(h: &Hash, bit: usize) -> Hash {
    let mut h = *h;
    h[bit / 8 % 32] ^= 1 << (bit % 8);
    h
}

#[test]
fn empty_tree_root_is_sha256_of_nothing() {
    let t = MerkleTree::new();
    assert_eq!(
        to_hex(&t.root(0).unwrap()),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    assert!(t.is_empty());
    assert_eq!(
        t.root(1),
        Err(ProofError::SizeOutOfRange { size: 1, len: 0 })
    );
}

#[test]
fn reference_roots_match_known_answers() {
    // Roots for sizes 1..=8 as published in the RFC 6962 test data.
    let expected = [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];
    let d: Vec<Hash> = reference_leaves().iter().map(|l| leaf_hash(l)).collect();
    let t = tree_of(&d);
    assert_eq!(t.len(), 8);
    for (i, want) in expected.iter().enumerate() {
        let size = i + 1;
        let got = t.root(size as u64).unwrap();
        // Independently of the recalled constants, the RFC definition must agree.
        assert_eq!(got, naive_mth(&d[..size]), "size {size} vs naive MTH");
        assert_eq!(to_hex(&got), *want, "size {size}");
    }
}

#[test]
fn reference_proofs_verify() {
    let d: Vec<Hash> = reference_leaves().iter().map(|l| leaf_hash(l)).collect();
    let t = tree_of(&d);
    // RFC 6962 test data: inclusion of leaf 0 in the size-8 tree and consistency 1 -> 8.
    let p = t.inclusion_proof(0, 8).unwrap();
    let want = [
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ];
    assert_eq!(p.iter().map(|h| to_hex(h)).collect::<Vec<_>>(), want);
    let root = t.root(8).unwrap();
    verify_inclusion(&d[0], 0, 8, &p, &root).unwrap();
    let c = t.consistency_proof(1, 8).unwrap();
    assert_eq!(c.iter().map(|h| to_hex(h)).collect::<Vec<_>>(), want);
    verify_consistency(1, 8, &t.root(1).unwrap(), &root, &c).unwrap();
}

#[test]
fn proofs_match_naive_for_every_index_and_size_up_to_64() {
    let d = leaves(64);
    let t = tree_of(&d);
    for size in 1..=64usize {
        let root = t.root(size as u64).unwrap();
        assert_eq!(root, naive_mth(&d[..size]));
        for index in 0..size {
            let p = t.inclusion_proof(index as u64, size as u64).unwrap();
            assert_eq!(p, naive_path(index, &d[..size]), "PATH({index}, {size})");
            assert_eq!(p.len(), inclusion_proof_len(index as u64, size as u64));
            verify_inclusion(&d[index], index as u64, size as u64, &p, &root).unwrap();
        }
    }
}

#[test]
fn consistency_matches_naive_for_every_pair_up_to_64() {
    let d = leaves(64);
    let t = tree_of(&d);
    for new in 0..=64usize {
        let new_root = t.root(new as u64).unwrap();
        for old in 0..=new {
            let old_root = t.root(old as u64).unwrap();
            let p = t.consistency_proof(old as u64, new as u64).unwrap();
            assert_eq!(p, naive_consistency(old, &d[..new]), "PROOF({old}, {new})");
            if old > 0 && old < new {
                assert_eq!(p.len(), consistency_proof_len(old as u64, new as u64));
            }
            verify_consistency(old as u64, new as u64, &old_root, &new_root, &p)
                .unwrap_or_else(|e| panic!("{old} -> {new}: {e}"));
        }
    }
}

#[test]
fn generation_rejects_out_of_range() {
    let t = tree_of(&leaves(10));
    assert_eq!(
        t.inclusion_proof(10, 10),
        Err(ProofError::IndexOutOfRange {
            index: 10,
            size: 10
        })
    );
    assert_eq!(
        t.inclusion_proof(0, 11),
        Err(ProofError::SizeOutOfRange { size: 11, len: 10 })
    );
    assert_eq!(
        t.consistency_proof(5, 4),
        Err(ProofError::OldSizeGreater { old: 5, new: 4 })
    );
    assert!(t.consistency_proof(3, 11).is_err());
}

/// Every way transparency-dev/merkle's verify tests corrupt an inclusion proof must fail.
fn inclusion_corruptions_fail(t: &MerkleTree, other: &MerkleTree, index: u64, size: u64) {
    let leaf = t.leaf(index).unwrap();
    let root = t.root(size).unwrap();
    let proof = t.inclusion_proof(index, size).unwrap();
    verify_inclusion(&leaf, index, size, &proof, &root).unwrap();
    let bad = |l: &Hash, i: u64, s: u64, p: &[Hash], r: &Hash, what: &str| {
        assert!(
            verify_inclusion(l, i, s, p, r).is_err(),
            "{what} accepted for index {index} size {size}"
        );
    };
    let extra = leaf_hash(b"extra");
    if index > 0 {
        bad(&leaf, index - 1, size, &proof, &root, "index-1");
    }
    bad(&leaf, index + 1, size, &proof, &root, "index+1");
    bad(&leaf, size, size, &proof, &root, "index==size");
    bad(&leaf, index + size, size, &proof, &root, "index>size");
    // A wrong size comes with that size's root: the proof maths binds a root, not a size, and
    // a proof for size S can compute the same root when checked "as" S±1 (same tree shape along
    // the path). Size and root are bound together by the signed checkpoint instead.
    if size > index + 1 {
        bad(
            &leaf,
            index,
            size - 1,
            &proof,
            &t.root(size - 1).unwrap(),
            "size-1",
        );
    }
    bad(
        &leaf,
        index,
        size + 1,
        &proof,
        &t.root(size + 1).unwrap(),
        "size+1",
    );
    bad(&leaf, index, size * 2, &proof, &root, "size*2");
    if size / 2 > index {
        bad(&leaf, index, size / 2, &proof, &root, "size/2");
    }
    for i in 0..proof.len() {
        for bit in [0, 77, 255] {
            let mut p = proof.clone();
            p[i] = flip(&p[i], bit);
            bad(&leaf, index, size, &p, &root, "flipped proof bit");
        }
    }
    bad(&flip(&leaf, 3), index, size, &proof, &root, "flipped leaf");
    bad(
        &leaf,
        index,
        size,
        &proof,
        &flip(&root, 200),
        "flipped root",
    );
    if !proof.is_empty() {
        bad(
            &leaf,
            index,
            size,
            &proof[..proof.len() - 1],
            &root,
            "truncated",
        );
        bad(&leaf, index, size, &proof[1..], &root, "first hash missing");
        bad(&leaf, index, size, &[], &root, "empty proof");
    }
    let mut appended = proof.clone();
    appended.push(extra);
    bad(&leaf, index, size, &appended, &root, "appended");
    let mut prepended = vec![extra];
    prepended.extend_from_slice(&proof);
    bad(&leaf, index, size, &prepended, &root, "prepended");
    // A proof and root from another tree of the same size.
    let other_proof = other.inclusion_proof(index, size).unwrap();
    if !proof.is_empty() {
        bad(
            &leaf,
            index,
            size,
            &other_proof,
            &root,
            "other tree's proof",
        );
    }
    bad(
        &leaf,
        index,
        size,
        &proof,
        &other.root(size).unwrap(),
        "other tree's root",
    );
}

/// Every corruption of a consistency proof must fail.
fn consistency_corruptions_fail(t: &MerkleTree, other: &MerkleTree, old: u64, new: u64) {
    let (r1, r2) = (t.root(old).unwrap(), t.root(new).unwrap());
    let proof = t.consistency_proof(old, new).unwrap();
    verify_consistency(old, new, &r1, &r2, &proof).unwrap();
    let bad = |o: u64, n: u64, a: &Hash, b: &Hash, p: &[Hash], what: &str| {
        assert!(
            verify_consistency(o, n, a, b, p).is_err(),
            "{what} accepted for {old} -> {new}"
        );
    };
    let extra = leaf_hash(b"extra");
    bad(old - 1, new, &r1, &r2, &proof, "old-1");
    bad(old + 1, new, &r1, &r2, &proof, "old+1");
    // As for inclusion, a wrong new size is paired with that size's root.
    if new - 1 > old {
        bad(
            old,
            new - 1,
            &r1,
            &t.root(new - 1).unwrap(),
            &proof,
            "new-1",
        );
    }
    bad(
        old,
        new + 1,
        &r1,
        &t.root(new + 1).unwrap(),
        &proof,
        "new+1",
    );
    bad(old, new * 2, &r1, &r2, &proof, "new*2");
    bad(new, old, &r1, &r2, &proof, "sizes swapped");
    bad(old, new, &r2, &r1, &proof, "roots swapped");
    bad(old, new, &flip(&r1, 9), &r2, &proof, "flipped old root");
    bad(old, new, &r1, &flip(&r2, 9), &proof, "flipped new root");
    for i in 0..proof.len() {
        for bit in [0, 130, 255] {
            let mut p = proof.clone();
            p[i] = flip(&p[i], bit);
            bad(old, new, &r1, &r2, &p, "flipped proof bit");
        }
    }
    bad(old, new, &r1, &r2, &proof[..proof.len() - 1], "truncated");
    bad(old, new, &r1, &r2, &proof[1..], "first hash missing");
    bad(old, new, &r1, &r2, &[], "empty proof");
    let mut appended = proof.clone();
    appended.push(extra);
    bad(old, new, &r1, &r2, &appended, "appended");
    let mut prepended = vec![extra];
    prepended.extend_from_slice(&proof);
    bad(old, new, &r1, &r2, &prepended, "prepended");
    let other_proof = other.consistency_proof(old, new).unwrap();
    bad(old, new, &r1, &r2, &other_proof, "other tree's proof");
    bad(
        old,
        new,
        &other.root(old).unwrap(),
        &r2,
        &proof,
        "other old root",
    );
}

#[test]
fn corrupted_inclusion_proofs_fail() {
    let t = tree_of(&leaves(41));
    let other = tree_of(
        &(0..41)
            .map(|i| leaf_hash(format!("other {i}").as_bytes()))
            .collect::<Vec<_>>(),
    );
    for size in 1..=40 {
        for index in 0..size {
            inclusion_corruptions_fail(&t, &other, index, size);
        }
    }
}

#[test]
fn corrupted_consistency_proofs_fail() {
    let t = tree_of(&leaves(41));
    let other = tree_of(
        &(0..41)
            .map(|i| leaf_hash(format!("other {i}").as_bytes()))
            .collect::<Vec<_>>(),
    );
    for new in 2..=39 {
        for old in 1..new {
            consistency_corruptions_fail(&t, &other, old, new);
        }
    }
}

#[test]
fn consistency_edge_cases_follow_the_rfc() {
    let t = tree_of(&leaves(9));
    let (r0, r5, r9) = (t.root(0).unwrap(), t.root(5).unwrap(), t.root(9).unwrap());
    let x = leaf_hash(b"x");
    // Equal sizes: empty proof and equal roots only.
    verify_consistency(5, 5, &r5, &r5, &[]).unwrap();
    assert_eq!(
        verify_consistency(5, 5, &r5, &r9, &[]),
        Err(ProofError::RootMismatch)
    );
    assert!(verify_consistency(5, 5, &r5, &r5, &[x]).is_err());
    // From the empty tree: empty proof, any roots.
    verify_consistency(0, 9, &r0, &r9, &[]).unwrap();
    assert!(verify_consistency(0, 9, &r0, &r9, &[x]).is_err());
    verify_consistency(0, 0, &r0, &r0, &[]).unwrap();
    // Old larger than new.
    assert_eq!(
        verify_consistency(9, 5, &r9, &r5, &[]),
        Err(ProofError::OldSizeGreater { old: 9, new: 5 })
    );
    // Index out of range for inclusion.
    assert_eq!(
        verify_inclusion(&x, 9, 9, &[], &r9),
        Err(ProofError::IndexOutOfRange { index: 9, size: 9 })
    );
    assert!(verify_inclusion(&x, 0, 0, &[], &r0).is_err());
    // Single-leaf tree: the leaf is the root and the proof is empty.
    let l0 = t.leaf(0).unwrap();
    verify_inclusion(&l0, 0, 1, &[], &t.root(1).unwrap()).unwrap();
}

#[test]
fn hex_round_trip() {
    let h = leaf_hash(b"abc");
    assert_eq!(hash_from_hex(&to_hex(&h)), Some(h));
    assert_eq!(hash_from_hex(&to_hex(&h).to_uppercase()), Some(h));
    assert_eq!(hash_from_hex("00"), None);
    assert_eq!(hash_from_hex(&"g".repeat(64)), None);
}

proptest! {
    #[test]
    fn random_inclusion_proofs_verify_and_match_naive(size in 1u64..3000, seed in any::<u64>()) {
        let d = leaves(size as usize);
        let t = tree_of(&d);
        let index = seed % size;
        // A historical size at or above the index, too.
        let hist = index + 1 + (seed >> 32) % (size - index);
        for s in [size, hist] {
            let p = t.inclusion_proof(index, s).unwrap();
            prop_assert_eq!(&p, &naive_path(index as usize, &d[..s as usize]));
            let root = t.root(s).unwrap();
            prop_assert_eq!(verify_inclusion(&d[index as usize], index, s, &p, &root), Ok(()));
            let mut wrong = p.clone();
            if let Some(h) = wrong.first_mut() {
                h[0] ^= 1;
                prop_assert!(verify_inclusion(&d[index as usize], index, s, &wrong, &root).is_err());
            }
        }
    }

    #[test]
    fn random_consistency_proofs_verify_and_match_naive(new in 1u64..3000, seed in any::<u64>()) {
        let d = leaves(new as usize);
        let t = tree_of(&d);
        let old = seed % (new + 1);
        let p = t.consistency_proof(old, new).unwrap();
        prop_assert_eq!(&p, &naive_consistency(old as usize, &d[..new as usize]));
        let (r1, r2) = (t.root(old).unwrap(), t.root(new).unwrap());
        prop_assert_eq!(verify_consistency(old, new, &r1, &r2, &p), Ok(()));
        if 0 < old && old < new {
            prop_assert!(verify_consistency(old, new, &r2, &r1, &p).is_err());
            prop_assert!(verify_consistency(old, new, &r1, &r2, &p[1..]).is_err());
        }
    }
}

/// Prints the cost of a million-leaf tree: `cargo test -p warden-tlog --release -- --ignored
/// --nocapture million`.
#[test]
#[ignore]
#[allow(clippy::print_stdout)]
fn million_leaf_tree_timing() {
    use std::time::Instant;
    const N: u64 = 1_000_000;
    let hashes: Vec<Hash> = (0..N).map(|i| leaf_hash(&i.to_be_bytes())).collect();
    let start = Instant::now();
    let mut t = MerkleTree::new();
    for h in &hashes {
        t.push(*h);
    }
    let push = start.elapsed();
    let root = t.root(N).unwrap();
    let start = Instant::now();
    let mut proofs = Vec::with_capacity(1000);
    for i in 0..1000u64 {
        let index = i * 997 % (N / 2);
        let size = N - i * 13; // historical sizes exercise the right-edge recomputation
        proofs.push((index, size, t.inclusion_proof(index, size).unwrap()));
    }
    let prove = start.elapsed();
    let start = Instant::now();
    for (index, size, p) in &proofs {
        let r = if *size == N {
            root
        } else {
            t.root(*size).unwrap()
        };
        verify_inclusion(&hashes[*index as usize], *index, *size, p, &r).unwrap();
    }
    let verify = start.elapsed();
    let start = Instant::now();
    for i in 1..=1000u64 {
        t.consistency_proof(i * 991, N - i).unwrap();
    }
    let consistency = start.elapsed();
    println!(
        "1,000,000 leaves: push {push:?}; 1,000 inclusion proofs {prove:?}; 1,000 roots + \
         verifications {verify:?}; 1,000 consistency proofs {consistency:?}"
    );
}
