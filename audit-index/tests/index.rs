//! Behaviour of the audit index: filters, text, time ranges, paging, facets (checked against a
//! brute-force count), idempotent adds, durability and recovery, hostile input.

use std::collections::HashMap;

use time::{Duration, OffsetDateTime};
use warden_audit_index::{AuditIndex, AuditQuery, FacetCount, IndexedEvent, MAX_LIMIT};

const AGENTS: [&str; 4] = ["agent-a", "agent-b", "spiffe://warden/agent/c", "agent-d"];
const ACTIONS: [&str; 5] = [
    "agent.create",
    "decision.llm_call",
    "policy.publish",
    "login.failed",
    "decision.tool_call",
];
const DECISIONS: [&str; 4] = ["allow", "deny", "masked", "blocked"];
const SEVERITIES: [&str; 5] = ["info", "low", "medium", "high", "critical"];
const FINDINGS: [&str; 4] = ["EMAIL", "CREDIT_CARD", "prompt_injection", "API_KEY"];
const CONTROLS: [&str; 3] = ["SOC2-CC6.1", "ISO27001-A.8.15", "EUAIA-Art12"];
const WORDS: [&str; 6] = [
    "refund", "invoice", "customer", "password", "weather", "report",
];

fn t0() -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(1_700_000_000).expect("valid timestamp")
}

/// Cheap deterministic mixing, so field values are uncorrelated across events.
fn pick(seq: u64, salt: u64, n: usize) -> usize {
    let mut x = seq.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ salt.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^= x >> 31;
    x = x.wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^= x >> 29;
    (x % n as u64) as usize
}

/// Deterministic varied events; some lack agent, decision, findings or controls.
fn event(seq: u64) -> IndexedEvent {
    let action = ACTIONS[pick(seq, 1, ACTIONS.len())];
    let is_decision = action.starts_with("decision.");
    let findings: Vec<String> = (0..pick(seq, 2, 3))
        .map(|k| FINDINGS[pick(seq, 3 + k as u64, FINDINGS.len())].to_string())
        .collect();
    let controls: Vec<String> = (0..pick(seq, 6, 3))
        .map(|k| CONTROLS[pick(seq, 7 + k as u64, CONTROLS.len())].to_string())
        .collect();
    IndexedEvent {
        seq,
        id: uuid::Uuid::from_u128(u128::from(seq) + 1),
        time: t0() + Duration::seconds(seq as i64 * 60),
        actor: match pick(seq, 10, 3) {
            0 => "user:alice".into(),
            n => format!("enforcer:{n}"),
        },
        action: action.into(),
        subject: format!("agent:{}", AGENTS[pick(seq, 11, AGENTS.len())]),
        agent: (pick(seq, 12, 6) != 0).then(|| AGENTS[pick(seq, 13, AGENTS.len())].to_string()),
        decision: is_decision.then(|| DECISIONS[pick(seq, 14, DECISIONS.len())].to_string()),
        findings,
        severity: SEVERITIES[pick(seq, 15, SEVERITIES.len())].into(),
        controls,
        text: format!(
            "the {} was {} for the {}",
            WORDS[pick(seq, 16, WORDS.len())],
            WORDS[pick(seq, 17, WORDS.len())],
            WORDS[pick(seq, 18, WORDS.len())]
        ),
    }
}

fn events(n: u64) -> Vec<IndexedEvent> {
    (0..n).map(event).collect()
}

fn indexed(n: u64) -> (AuditIndex, Vec<IndexedEvent>) {
    let idx = AuditIndex::open_in_ram().expect("open");
    let evs = events(n);
    idx.add(&evs).expect("add");
    idx.commit().expect("commit");
    (idx, evs)
}

fn q() -> AuditQuery {
    AuditQuery {
        limit: MAX_LIMIT,
        ..AuditQuery::default()
    }
}

/// The seqs matching `pred`, newest first: what the index must return.
fn expect(evs: &[IndexedEvent], pred: impl Fn(&IndexedEvent) -> bool) -> Vec<u64> {
    let mut seqs: Vec<u64> = evs.iter().filter(|e| pred(e)).map(|e| e.seq).collect();
    seqs.sort_unstable_by(|a, b| b.cmp(a));
    seqs
}

fn check(idx: &AuditIndex, query: &AuditQuery, want: &[u64]) {
    let page = idx.search(query).expect("search");
    assert_eq!(page.total, want.len() as u64, "total for {query:?}");
    let n = want.len().min(query.limit);
    assert_eq!(page.seqs, want[..n], "seqs for {query:?}");
}

#[test]
fn empty_index_searches_empty() {
    let idx = AuditIndex::open_in_ram().expect("open");
    assert_eq!(idx.indexed_through(), None);
    assert_eq!(idx.doc_count(), 0);
    let page = idx.search(&q()).expect("search");
    assert_eq!(page.total, 0);
    assert!(page.seqs.is_empty());
    assert!(page.facets.action.is_empty());
}

#[test]
fn added_events_are_visible_only_after_commit() {
    let idx = AuditIndex::open_in_ram().expect("open");
    idx.add(&events(10)).expect("add");
    assert_eq!(idx.doc_count(), 0);
    assert_eq!(idx.indexed_through(), None);
    idx.commit().expect("commit");
    assert_eq!(idx.doc_count(), 10);
    assert_eq!(idx.indexed_through(), Some(9));
    let page = idx.search(&q()).expect("search");
    assert_eq!(page.total, 10);
    assert_eq!(page.seqs, (0..10).rev().collect::<Vec<_>>());
}

#[test]
fn each_filter_alone() {
    let (idx, evs) = indexed(300);
    for agent in AGENTS {
        let query = AuditQuery {
            agent: Some(agent.into()),
            ..q()
        };
        check(
            &idx,
            &query,
            &expect(&evs, |e| e.agent.as_deref() == Some(agent)),
        );
    }
    for action in ACTIONS {
        let query = AuditQuery {
            action: Some(action.into()),
            ..q()
        };
        check(&idx, &query, &expect(&evs, |e| e.action == action));
    }
    for actor in ["user:alice", "enforcer:1", "enforcer:2"] {
        let query = AuditQuery {
            actor: Some(actor.into()),
            ..q()
        };
        check(&idx, &query, &expect(&evs, |e| e.actor == actor));
    }
    for decision in DECISIONS {
        let query = AuditQuery {
            decision: Some(decision.into()),
            ..q()
        };
        check(
            &idx,
            &query,
            &expect(&evs, |e| e.decision.as_deref() == Some(decision)),
        );
    }
    for finding in FINDINGS {
        let query = AuditQuery {
            finding: Some(finding.into()),
            ..q()
        };
        check(
            &idx,
            &query,
            &expect(&evs, |e| e.findings.iter().any(|f| f == finding)),
        );
    }
    for severity in SEVERITIES {
        let query = AuditQuery {
            severity: Some(severity.into()),
            ..q()
        };
        check(&idx, &query, &expect(&evs, |e| e.severity == severity));
    }
    for control in CONTROLS {
        let query = AuditQuery {
            control: Some(control.into()),
            ..q()
        };
        check(
            &idx,
            &query,
            &expect(&evs, |e| e.controls.iter().any(|c| c == control)),
        );
    }
}

#[test]
fn filters_are_exact_not_tokenised() {
    let (idx, _) = indexed(100);
    for value in [
        "agent", "AGENT-A", "agent-a ", "decision", "llm_call", "alice",
    ] {
        let query = AuditQuery {
            agent: Some(value.into()),
            ..q()
        };
        assert_eq!(
            idx.search(&query).expect("search").total,
            0,
            "agent {value:?}"
        );
        let query = AuditQuery {
            action: Some(value.into()),
            ..q()
        };
        assert_eq!(
            idx.search(&query).expect("search").total,
            0,
            "action {value:?}"
        );
    }
}

#[test]
fn filters_combined() {
    let (idx, evs) = indexed(400);
    let query = AuditQuery {
        agent: Some("agent-b".into()),
        decision: Some("deny".into()),
        ..q()
    };
    let want = expect(&evs, |e| {
        e.agent.as_deref() == Some("agent-b") && e.decision.as_deref() == Some("deny")
    });
    assert!(!want.is_empty());
    check(&idx, &query, &want);

    let query = AuditQuery {
        action: Some("decision.llm_call".into()),
        severity: Some("high".into()),
        finding: Some("EMAIL".into()),
        control: Some("SOC2-CC6.1".into()),
        actor: Some("user:alice".into()),
        ..q()
    };
    let want = expect(&evs, |e| {
        e.action == "decision.llm_call"
            && e.severity == "high"
            && e.findings.iter().any(|f| f == "EMAIL")
            && e.controls.iter().any(|c| c == "SOC2-CC6.1")
            && e.actor == "user:alice"
    });
    check(&idx, &query, &want);
}

#[test]
fn text_words_and_phrases() {
    let (idx, evs) = indexed(400);
    // A word: matches anywhere in the text, case-insensitively.
    let query = AuditQuery {
        text: Some("Refund".into()),
        ..q()
    };
    check(&idx, &query, &expect(&evs, |e| e.text.contains("refund")));
    // Two words: both must appear, in any order.
    let query = AuditQuery {
        text: Some("customer refund".into()),
        ..q()
    };
    let want = expect(&evs, |e| {
        e.text.contains("refund") && e.text.contains("customer")
    });
    assert!(!want.is_empty());
    check(&idx, &query, &want);
    // A quoted phrase: words adjacent and in order.
    let query = AuditQuery {
        text: Some("\"refund was customer\"".into()),
        ..q()
    };
    let want = expect(&evs, |e| e.text.contains("refund was customer"));
    assert!(!want.is_empty());
    check(&idx, &query, &want);
    let query = AuditQuery {
        text: Some("\"customer was refund\" \"for the invoice\"".into()),
        ..q()
    };
    let want = expect(&evs, |e| {
        e.text.contains("customer was refund") && e.text.contains("for the invoice")
    });
    check(&idx, &query, &want);
    // Actor, action and subject are searchable as text too.
    let query = AuditQuery {
        text: Some("alice".into()),
        ..q()
    };
    check(&idx, &query, &expect(&evs, |e| e.actor == "user:alice"));
    // A word nowhere.
    let query = AuditQuery {
        text: Some("nonexistentword".into()),
        ..q()
    };
    check(&idx, &query, &[]);
    // Text combined with a filter.
    let query = AuditQuery {
        text: Some("password".into()),
        severity: Some("critical".into()),
        ..q()
    };
    let want = expect(&evs, |e| {
        e.text.contains("password") && e.severity == "critical"
    });
    assert!(!want.is_empty());
    check(&idx, &query, &want);
}

#[test]
fn blank_text_matches_everything() {
    let (idx, _) = indexed(50);
    for text in ["", "   ", "\"\"", "!!! ---", "\""] {
        let query = AuditQuery {
            text: Some(text.into()),
            ..q()
        };
        assert_eq!(idx.search(&query).expect("search").total, 50, "{text:?}");
    }
}

#[test]
fn time_range_from_inclusive_to_exclusive() {
    let (idx, evs) = indexed(200);
    let at = |seq: i64| t0() + Duration::seconds(seq * 60);
    let query = AuditQuery {
        from: Some(at(50)),
        to: Some(at(60)),
        ..q()
    };
    assert_eq!(
        idx.search(&query).expect("search").seqs,
        (50..60).rev().collect::<Vec<_>>()
    );
    // Only a lower bound.
    let query = AuditQuery {
        from: Some(at(190)),
        ..q()
    };
    check(&idx, &query, &(190..200).rev().collect::<Vec<_>>());
    // Only an upper bound.
    let query = AuditQuery {
        to: Some(at(3)),
        ..q()
    };
    check(&idx, &query, &[2, 1, 0]);
    // Sub-second precision: one microsecond after an event excludes it from `from`.
    let query = AuditQuery {
        from: Some(at(10) + Duration::microseconds(1)),
        to: Some(at(12) + Duration::microseconds(1)),
        ..q()
    };
    check(&idx, &query, &[12, 11]);
    // Empty and inverted ranges.
    let query = AuditQuery {
        from: Some(at(10)),
        to: Some(at(10)),
        ..q()
    };
    check(&idx, &query, &[]);
    let query = AuditQuery {
        from: Some(at(20)),
        to: Some(at(10)),
        ..q()
    };
    check(&idx, &query, &[]);
    // Range with a filter.
    let query = AuditQuery {
        from: Some(at(100)),
        to: Some(at(150)),
        action: Some("policy.publish".into()),
        ..q()
    };
    let want = expect(&evs, |e| {
        (100..150).contains(&e.seq) && e.action == "policy.publish"
    });
    check(&idx, &query, &want);
}

#[test]
fn pagination() {
    let idx = AuditIndex::open_in_ram().expect("open");
    let evs = events(1_200);
    // Several commits make several segments; paging must be global, not per segment.
    for chunk in evs.chunks(250) {
        idx.add(chunk).expect("add");
        idx.commit().expect("commit");
    }
    let all: Vec<u64> = (0..1_200).rev().collect();
    for (offset, limit) in [
        (0, 10),
        (10, 10),
        (995, 10),
        (1_190, 50),
        (1_200, 10),
        (5_000, 10),
    ] {
        let page = idx
            .search(&AuditQuery {
                offset,
                limit,
                ..AuditQuery::default()
            })
            .expect("search");
        assert_eq!(page.total, 1_200);
        let end = (offset + limit).min(all.len());
        let want = all.get(offset..end).unwrap_or(&[]);
        assert_eq!(page.seqs, want, "offset {offset} limit {limit}");
    }
    // Limit is capped; zero returns totals and facets only.
    let page = idx
        .search(&AuditQuery {
            limit: 100_000,
            ..AuditQuery::default()
        })
        .expect("search");
    assert_eq!(page.seqs.len(), MAX_LIMIT);
    let page = idx.search(&AuditQuery::default()).expect("search");
    assert_eq!(page.total, 1_200);
    assert!(page.seqs.is_empty());
    assert!(!page.facets.action.is_empty());
    // Paging under a filter.
    let query = AuditQuery {
        agent: Some("agent-a".into()),
        offset: 20,
        limit: 15,
        ..AuditQuery::default()
    };
    let want = expect(&evs, |e| e.agent.as_deref() == Some("agent-a"));
    let page = idx.search(&query).expect("search");
    assert_eq!(page.total, want.len() as u64);
    assert_eq!(page.seqs, want[20..35]);
}

#[test]
fn offset_is_capped() {
    let (idx, _) = indexed(20);
    let page = idx
        .search(&AuditQuery {
            offset: usize::MAX,
            limit: usize::MAX,
            ..AuditQuery::default()
        })
        .expect("search");
    assert_eq!(page.total, 20);
    assert!(page.seqs.is_empty());
}

/// Brute-force facet: count per value over `evs`, top 10 by count then value.
fn brute_facet<'a, I>(
    evs: &'a [IndexedEvent],
    values: impl Fn(&'a IndexedEvent) -> I,
) -> Vec<FacetCount>
where
    I: IntoIterator<Item = &'a str>,
{
    let mut counts: HashMap<&str, u64> = HashMap::new();
    for e in evs {
        let mut seen: Vec<&str> = Vec::new();
        for v in values(e) {
            if !seen.contains(&v) {
                seen.push(v);
                *counts.entry(v).or_insert(0) += 1;
            }
        }
    }
    let mut all: Vec<FacetCount> = counts
        .into_iter()
        .map(|(value, count)| FacetCount {
            value: value.to_string(),
            count,
        })
        .collect();
    all.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    all.truncate(10);
    all
}

fn check_facets(idx: &AuditIndex, query: &AuditQuery, matching: &[IndexedEvent]) {
    let page = idx.search(query).expect("search");
    assert_eq!(page.total, matching.len() as u64);
    let f = &page.facets;
    assert_eq!(f.action, brute_facet(matching, |e| [e.action.as_str()]));
    assert_eq!(f.decision, brute_facet(matching, |e| e.decision.as_deref()));
    assert_eq!(f.severity, brute_facet(matching, |e| [e.severity.as_str()]));
    assert_eq!(
        f.finding,
        brute_facet(matching, |e| e.findings.iter().map(String::as_str))
    );
    assert_eq!(f.agent, brute_facet(matching, |e| e.agent.as_deref()));
    assert_eq!(
        f.control,
        brute_facet(matching, |e| e.controls.iter().map(String::as_str))
    );
}

#[test]
fn facets_match_brute_force() {
    let idx = AuditIndex::open_in_ram().expect("open");
    let mut evs = events(700);
    // Many distinct agents, so the top-10 cut matters, and a duplicated finding that must count
    // once.
    for e in evs.iter_mut().filter(|e| e.seq % 4 == 0) {
        e.agent = Some(format!("many-{}", e.seq % 37));
    }
    evs[3].findings = vec!["EMAIL".into(), "EMAIL".into()];
    for chunk in evs.chunks(300) {
        idx.add(chunk).expect("add");
        idx.commit().expect("commit");
    }
    check_facets(&idx, &q(), &evs);
    let query = AuditQuery {
        decision: Some("deny".into()),
        ..q()
    };
    let matching: Vec<IndexedEvent> = evs
        .iter()
        .filter(|e| e.decision.as_deref() == Some("deny"))
        .cloned()
        .collect();
    check_facets(&idx, &query, &matching);
    let query = AuditQuery {
        text: Some("invoice".into()),
        control: Some("EUAIA-Art12".into()),
        ..q()
    };
    let matching: Vec<IndexedEvent> = evs
        .iter()
        .filter(|e| e.text.contains("invoice") && e.controls.iter().any(|c| c == "EUAIA-Art12"))
        .cloned()
        .collect();
    check_facets(&idx, &query, &matching);
}

#[test]
fn re_adding_a_seq_does_not_duplicate() {
    let idx = AuditIndex::open_in_ram().expect("open");
    let evs = events(50);
    idx.add(&evs).expect("add");
    idx.commit().expect("commit");
    // Re-add a committed range, and the same seq twice within one batch before a commit.
    idx.add(&evs[10..30]).expect("re-add");
    idx.add(&[event(60), event(60)]).expect("dup in batch");
    idx.commit().expect("commit");
    assert_eq!(idx.doc_count(), 51);
    let page = idx.search(&q()).expect("search");
    assert_eq!(page.total, 51);
    let mut want: Vec<u64> = (0..50).chain([60]).collect();
    want.reverse();
    assert_eq!(page.seqs, want);
    // A re-added event replaces the old copy's content.
    let mut changed = event(5);
    changed.action = "policy.rollback".into();
    idx.add(&[changed]).expect("replace");
    idx.commit().expect("commit");
    let query = AuditQuery {
        action: Some("policy.rollback".into()),
        ..q()
    };
    assert_eq!(idx.search(&query).expect("search").seqs, vec![5]);
    assert_eq!(idx.doc_count(), 51);
    assert_eq!(idx.indexed_through(), Some(60));
}

#[test]
fn clear_empties_for_rebuild() {
    let (idx, evs) = indexed(100);
    idx.clear().expect("clear");
    assert_eq!(idx.doc_count(), 0);
    assert_eq!(idx.indexed_through(), None);
    assert_eq!(idx.search(&q()).expect("search").total, 0);
    idx.add(&evs[..40]).expect("add");
    idx.commit().expect("commit");
    assert_eq!(idx.doc_count(), 40);
    assert_eq!(idx.indexed_through(), Some(39));
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "warden-audit-index-test-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn indexed_through_survives_reopen() {
    let dir = temp_dir("reopen");
    {
        let idx = AuditIndex::open(&dir).expect("create");
        assert_eq!(idx.indexed_through(), None);
        idx.add(&events(30)).expect("add");
        idx.commit().expect("commit");
        // Added but never committed: lost on reopen, and not counted as indexed.
        idx.add(&[event(31), event(32)]).expect("add");
    }
    {
        let idx = AuditIndex::open(&dir).expect("reopen");
        assert_eq!(idx.indexed_through(), Some(29));
        assert_eq!(idx.doc_count(), 30);
        let query = AuditQuery {
            text: Some("refund".into()),
            ..q()
        };
        assert!(idx.search(&query).expect("search").total > 0);
        // Re-adding after reopen is still idempotent.
        idx.add(&events(35)).expect("add");
        idx.commit().expect("commit");
        assert_eq!(idx.doc_count(), 35);
        idx.clear().expect("clear");
    }
    {
        let idx = AuditIndex::open(&dir).expect("reopen after clear");
        assert_eq!(idx.indexed_through(), None);
        assert_eq!(idx.doc_count(), 0);
    }
    std::fs::remove_dir_all(&dir).expect("cleanup");
}

#[test]
fn garbage_directory_is_recreated() {
    let dir = temp_dir("garbage");
    std::fs::create_dir_all(dir.join("sub")).expect("mkdir");
    std::fs::write(dir.join("meta.json"), b"{ not json").expect("write");
    std::fs::write(dir.join("random.bin"), [0u8, 1, 2, 3]).expect("write");
    std::fs::write(dir.join("sub/x"), b"x").expect("write");
    let idx = AuditIndex::open(&dir).expect("recreate");
    assert_eq!(idx.indexed_through(), None);
    assert_eq!(idx.doc_count(), 0);
    assert!(!dir.join("random.bin").exists());
    idx.add(&events(5)).expect("add");
    idx.commit().expect("commit");
    drop(idx);
    assert_eq!(
        AuditIndex::open(&dir).expect("reopen").indexed_through(),
        Some(4)
    );
    std::fs::remove_dir_all(&dir).expect("cleanup");
}

#[test]
fn other_schema_version_is_recreated() {
    let dir = temp_dir("version");
    {
        let idx = AuditIndex::open(&dir).expect("create");
        idx.add(&events(5)).expect("add");
        idx.commit().expect("commit");
    }
    std::fs::write(dir.join("warden-audit-index.version"), b"0").expect("write");
    let idx = AuditIndex::open(&dir).expect("recreate");
    assert_eq!(idx.indexed_through(), None);
    assert_eq!(idx.doc_count(), 0);
    drop(idx);
    // A valid index with a missing segment file is also unreadable, so recreated.
    {
        let idx = AuditIndex::open(&dir).expect("open");
        idx.add(&events(5)).expect("add");
        idx.commit().expect("commit");
    }
    for entry in std::fs::read_dir(&dir).expect("list") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|x| x == "idx") {
            std::fs::remove_file(path).expect("remove");
        }
    }
    let idx = AuditIndex::open(&dir).expect("recreate");
    assert_eq!(idx.doc_count(), 0);
    drop(idx);
    std::fs::remove_dir_all(&dir).expect("cleanup");
}

#[test]
fn second_open_of_a_live_index_fails_without_wiping() {
    let dir = temp_dir("locked");
    let idx = AuditIndex::open(&dir).expect("create");
    idx.add(&events(5)).expect("add");
    idx.commit().expect("commit");
    assert!(AuditIndex::open(&dir).is_err());
    assert_eq!(idx.doc_count(), 5);
    drop(idx);
    assert_eq!(AuditIndex::open(&dir).expect("reopen").doc_count(), 5);
    std::fs::remove_dir_all(&dir).expect("cleanup");
}

#[test]
fn hostile_text_never_panics_nor_bypasses_filters() {
    let (idx, evs) = indexed(300);
    let long = "refund ".repeat(50_000);
    let long_unicode = "é\"".repeat(40_000);
    let hostile = [
        "\"unbalanced",
        "refund\"",
        "\"\"\"",
        "decision:allow",
        "agent:agent-b OR *",
        "* OR 1=1",
        "severity:[* TO *]",
        "refund) OR (invoice",
        "-refund",
        "+refund AND NOT",
        "\\\"escaped\\\"",
        "(((((",
        "title:\"x\"~3^2",
        "\u{0}\u{1}\u{feff}",
        "🙂 \"🙂 🙂",
        long.as_str(),
        long_unicode.as_str(),
    ];
    let filtered = |e: &IndexedEvent| {
        e.agent.as_deref() == Some("agent-b") && e.decision.as_deref() == Some("deny")
    };
    let allowed = expect(&evs, filtered);
    for text in hostile {
        let query = AuditQuery {
            text: Some(text.to_string()),
            agent: Some("agent-b".into()),
            decision: Some("deny".into()),
            ..q()
        };
        let page = idx.search(&query).expect("hostile text is not an error");
        assert!(page.total <= allowed.len() as u64);
        for seq in &page.seqs {
            assert!(
                allowed.contains(seq),
                "{seq} escaped the filters for {text:.40}"
            );
        }
    }
    // `field:value` is two words, not a field query: no event has "decision" and "allow" in its
    // text, so nothing matches (a parsed field query would match every "allow").
    let query = AuditQuery {
        text: Some("decision:allow".into()),
        ..q()
    };
    let want = expect(&evs, |e| {
        e.action.contains("decision") && e.text.contains("allow")
    });
    check(&idx, &query, &want);
}

#[test]
fn shared_across_threads() {
    let (idx, _) = indexed(100);
    let idx = std::sync::Arc::new(idx);
    let handles: Vec<_> = (0..4)
        .map(|i| {
            let idx = idx.clone();
            std::thread::spawn(move || {
                if i == 0 {
                    idx.add(&[event(100 + i)]).expect("add");
                    idx.commit().expect("commit");
                }
                idx.search(&q()).expect("search").total
            })
        })
        .collect();
    for h in handles {
        assert!(h.join().expect("thread") >= 100);
    }
    assert_eq!(idx.doc_count(), 101);
}

#[test]
fn clear_discards_uncommitted_adds() {
    let (idx, _) = indexed(20);
    idx.add(&[event(20), event(21)]).expect("add");
    idx.clear().expect("clear");
    idx.commit().expect("commit");
    assert_eq!(idx.doc_count(), 0);
    assert_eq!(idx.indexed_through(), None);
    idx.add(&[event(3)]).expect("add");
    idx.commit().expect("commit");
    assert_eq!(idx.search(&q()).expect("search").seqs, vec![3]);
}

#[test]
fn unfiltered_view_follows_commits() {
    let (idx, mut evs) = indexed(100);
    let first = idx.search(&q()).expect("search");
    assert_eq!(first, idx.search(&q()).expect("search again"));
    check_facets(&idx, &q(), &evs);
    let more: Vec<IndexedEvent> = (100..150).map(event).collect();
    idx.add(&more).expect("add");
    // Not visible before the commit, cached or not.
    assert_eq!(idx.search(&q()).expect("search").total, 100);
    idx.commit().expect("commit");
    evs.extend(more);
    check_facets(&idx, &q(), &evs);
    let page = idx.search(&q()).expect("search");
    assert_eq!(page.seqs[0], 149);
    // A page deeper in, served with the cached facets.
    let deeper = idx
        .search(&AuditQuery {
            offset: 10,
            limit: 5,
            ..AuditQuery::default()
        })
        .expect("search");
    assert_eq!(deeper.seqs, vec![139, 138, 137, 136, 135]);
    assert_eq!(deeper.facets, page.facets);
    assert_eq!(deeper.total, 150);
}
