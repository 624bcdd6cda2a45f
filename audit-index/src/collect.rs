//! One pass over the matching documents collects everything a page needs: the match count, the
//! newest `k` seqs, and facet counts.
//!
//! Both read fast-field (columnar) data in blocks. Facets count per term ordinal per segment; only
//! at harvest are ordinals turned into strings (sets split into their values) and merged across
//! segments. The top seqs are kept in a buffer pruned by a threshold; this matters because seq
//! rises with document id, the worst case for tantivy's generic top-docs collector, which
//! measured several times slower here (as did optional and multi-valued facet columns).

use std::collections::HashMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Cardinality, Column, StrColumn};
use tantivy::{DocId, Score, SegmentReader};

use crate::schema::{FACET_COLUMNS as FIELDS, SEQ, SET_SEPARATOR};
use crate::{FACET_TOP, FacetCount, Facets};

/// Counts matches, keeps the `k` highest seqs, and (if asked) counts facet values.
pub(crate) struct PageCollector {
    /// How many of the newest seqs to keep (offset + limit).
    pub(crate) k: usize,
    /// Whether to count facets (skipped when they are already known).
    pub(crate) facets: bool,
}

/// What a search collected: match count, newest seqs (descending, at most `k`), facet counts.
pub(crate) struct Collected {
    pub(crate) total: u64,
    pub(crate) seqs: Vec<u64>,
    pub(crate) facets: Option<Facets>,
}

/// Independent counters per facet value (a small, fixed fan-out).
const LANES: usize = 4;

/// Per-segment value counts, one map per facet field, keyed by the value string.
type Counts = Vec<HashMap<String, u64>>;

impl Collector for PageCollector {
    type Fruit = Collected;
    type Child = SegmentPage;

    fn for_segment(
        &self,
        _segment_local_id: u32,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentPage> {
        let seq = segment.fast_fields().u64(SEQ)?;
        let seq_full = seq.get_cardinality() == Cardinality::Full;
        let mut columns = Vec::with_capacity(FIELDS.len());
        let fields = if self.facets { &FIELDS[..] } else { &[] };
        for &(name, is_set) in fields {
            let column = segment.fast_fields().str(name)?;
            let counts = vec![[0u64; LANES]; column.as_ref().map_or(0, |c| c.num_terms())];
            let full = column
                .as_ref()
                .is_some_and(|c| c.ords().get_cardinality() == Cardinality::Full);
            columns.push(FieldCounter {
                column,
                is_set,
                full,
                counts,
            });
        }
        Ok(SegmentPage {
            matched: 0,
            k: self.k,
            seq,
            seq_full,
            top: Vec::with_capacity(self.k.saturating_mul(2).min(4096)),
            threshold: None,
            columns,
            facets: self.facets,
            ords: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<SegmentFruit>) -> tantivy::Result<Collected> {
        let mut total = 0;
        let mut seqs = Vec::new();
        let mut merged: Counts = vec![HashMap::new(); FIELDS.len()];
        for fruit in fruits {
            total += fruit.matched;
            seqs.extend(fruit.top);
            for (into, from) in merged.iter_mut().zip(fruit.counts) {
                for (value, n) in from {
                    *into.entry(value).or_insert(0) += n;
                }
            }
        }
        let mut tops = merged.into_iter().map(top);
        let mut next = || tops.next().unwrap_or_default();
        let facets = Facets {
            action: next(),
            decision: next(),
            severity: next(),
            finding: next(),
            agent: next(),
            control: next(),
        };
        seqs.sort_unstable_by(|a, b| b.cmp(a));
        seqs.truncate(self.k);
        Ok(Collected {
            total,
            seqs,
            facets: self.facets.then_some(facets),
        })
    }
}

/// The [`FACET_TOP`] most frequent values, ties broken by value for stable output.
fn top(counts: HashMap<String, u64>) -> Vec<FacetCount> {
    let mut all: Vec<FacetCount> = counts
        .into_iter()
        .map(|(value, count)| FacetCount { value, count })
        .collect();
    all.sort_unstable_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    all.truncate(FACET_TOP);
    all
}

struct FieldCounter {
    column: Option<StrColumn>,
    /// Column values are sets joined by [`SET_SEPARATOR`].
    is_set: bool,
    /// Exactly one value per document (always, for segments this version wrote): row = doc.
    full: bool,
    /// Per ordinal, spread over lanes so runs of one value don't serialise on one counter.
    counts: Vec<[u64; LANES]>,
}

/// One segment's collection state.
pub(crate) struct SegmentPage {
    matched: u64,
    k: usize,
    seq: Column<u64>,
    seq_full: bool,
    /// Candidate top seqs; pruned to `k` whenever it reaches `2k`.
    top: Vec<u64>,
    /// The k-th highest seq seen once `top` has been pruned: lower ones cannot make the page.
    threshold: Option<u64>,
    columns: Vec<FieldCounter>,
    facets: bool,
    ords: Vec<u64>,
}

/// One segment's harvest.
pub(crate) struct SegmentFruit {
    matched: u64,
    top: Vec<u64>,
    counts: Counts,
}

impl SegmentPage {
    fn offer(&mut self, seq: u64) {
        if self.threshold.is_some_and(|t| seq <= t) {
            return;
        }
        self.top.push(seq);
        if self.top.len() >= self.k.saturating_mul(2).max(64) {
            self.prune();
        }
    }

    /// Keeps the `k` highest seqs and raises the threshold to the lowest of them.
    fn prune(&mut self) {
        if self.top.len() > self.k {
            self.top.select_nth_unstable_by(self.k, |a, b| b.cmp(a));
            self.top.truncate(self.k);
        }
        if self.top.len() == self.k {
            self.threshold = self.top.iter().min().copied();
        }
    }
}

impl SegmentCollector for SegmentPage {
    type Fruit = SegmentFruit;

    fn collect(&mut self, doc: DocId, _score: Score) {
        self.collect_block(&[doc]);
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        self.matched += docs.len() as u64;
        if self.k > 0 {
            if self.seq_full {
                self.ords.clear();
                self.ords.resize(docs.len(), 0);
                self.seq.values.get_vals(docs, &mut self.ords);
                let seqs = std::mem::take(&mut self.ords);
                for &seq in &seqs {
                    self.offer(seq);
                }
                self.ords = seqs;
            } else {
                for &doc in docs {
                    if let Some(seq) = self.seq.first(doc) {
                        self.offer(seq);
                    }
                }
            }
        }
        if !self.facets {
            return;
        }
        for field in &mut self.columns {
            let Some(column) = &field.column else {
                continue;
            };
            let ords = column.ords();
            if field.full {
                self.ords.clear();
                self.ords.resize(docs.len(), 0);
                ords.values.get_vals(docs, &mut self.ords);
                for (i, &ord) in self.ords.iter().enumerate() {
                    if let Some(c) = field.counts.get_mut(ord as usize) {
                        c[i % LANES] += 1;
                    }
                }
            } else {
                for &doc in docs {
                    for ord in ords.values_for_doc(doc) {
                        if let Some(c) = field.counts.get_mut(ord as usize) {
                            c[0] += 1;
                        }
                    }
                }
            }
        }
    }

    fn harvest(mut self) -> SegmentFruit {
        self.prune();
        let mut out = Vec::with_capacity(self.columns.len());
        for field in self.columns {
            let mut counts = HashMap::new();
            if let Some(column) = &field.column {
                let (ords, ns): (Vec<u64>, Vec<u64>) = field
                    .counts
                    .iter()
                    .enumerate()
                    .map(|(ord, lanes)| (ord as u64, lanes.iter().sum::<u64>()))
                    .filter(|(_, n)| *n > 0)
                    .unzip();
                // One streaming pass over the dictionary, not a lookup per ordinal (which
                // measured slower than the whole count).
                let mut values = Vec::with_capacity(ords.len());
                let found = column.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
                    values.push(String::from_utf8_lossy(bytes).into_owned());
                });
                // A failed lookup means a damaged segment: drop its facet values rather than
                // fail the whole search.
                if matches!(found, Ok(true)) && values.len() == ns.len() {
                    for (value, n) in values.into_iter().zip(ns) {
                        if field.is_set {
                            for v in value.split(SET_SEPARATOR).filter(|v| !v.is_empty()) {
                                *counts.entry(v.to_string()).or_insert(0) += n;
                            }
                        } else if !value.is_empty() {
                            *counts.entry(value).or_insert(0) += n;
                        }
                    }
                }
            }
            out.push(counts);
        }
        SegmentFruit {
            matched: self.matched,
            top: self.top,
            counts: out,
        }
    }
}
