//! Facet counting straight off the fast-field (columnar) dictionaries: per segment, a counter per
//! term ordinal; only at harvest are ordinals turned into strings (sets split into their values)
//! and merged across segments. Also counts the matching documents, so a search needs no separate
//! count pass.
//!
//! Measured against tantivy's terms aggregation and against per-value optional/multi-valued
//! columns: reading one ordinal per document from full columns in blocks is the fastest way found
//! (see the crate's benchmark).

use std::collections::HashMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Cardinality, StrColumn};
use tantivy::{DocId, Score, SegmentReader};

use crate::schema::{FACET_COLUMNS as FIELDS, SET_SEPARATOR};
use crate::{FACET_TOP, FacetCount, Facets};

/// Counts matches and facet values over everything the query matches.
pub(crate) struct FacetCollector;

impl FacetCollector {
    pub(crate) fn new() -> Self {
        Self
    }
}

/// Per-segment value counts for one field, keyed by the value string.
type Counts = Vec<HashMap<String, u64>>;

impl Collector for FacetCollector {
    type Fruit = (u64, Facets);
    type Child = SegmentFacets;

    fn for_segment(
        &self,
        _segment_local_id: u32,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentFacets> {
        let mut columns = Vec::with_capacity(FIELDS.len());
        for (name, is_set) in FIELDS {
            let column = segment.fast_fields().str(name)?;
            let counts = vec![0u64; column.as_ref().map_or(0, |c| c.num_terms())];
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
        Ok(SegmentFacets {
            matched: 0,
            columns,
            ords: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<(u64, Counts)>) -> tantivy::Result<(u64, Facets)> {
        let mut total = 0;
        let mut merged: Counts = vec![HashMap::new(); FIELDS.len()];
        for (matched, counts) in fruits {
            total += matched;
            for (into, from) in merged.iter_mut().zip(counts) {
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
        Ok((total, facets))
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
    counts: Vec<u64>,
}

/// One segment's counters.
pub(crate) struct SegmentFacets {
    matched: u64,
    columns: Vec<FieldCounter>,
    ords: Vec<u64>,
}

impl SegmentCollector for SegmentFacets {
    type Fruit = (u64, Counts);

    fn collect(&mut self, doc: DocId, _score: Score) {
        self.collect_block(&[doc]);
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        self.matched += docs.len() as u64;
        for field in &mut self.columns {
            let Some(column) = &field.column else {
                continue;
            };
            let ords = column.ords();
            if field.full {
                self.ords.clear();
                self.ords.resize(docs.len(), 0);
                ords.values.get_vals(docs, &mut self.ords);
                for &ord in &self.ords {
                    if let Some(c) = field.counts.get_mut(ord as usize) {
                        *c += 1;
                    }
                }
            } else {
                for &doc in docs {
                    for ord in ords.values_for_doc(doc) {
                        if let Some(c) = field.counts.get_mut(ord as usize) {
                            *c += 1;
                        }
                    }
                }
            }
        }
    }

    fn harvest(self) -> (u64, Counts) {
        let mut out = Vec::with_capacity(self.columns.len());
        let mut value = String::new();
        for field in self.columns {
            let mut counts = HashMap::new();
            if let Some(column) = &field.column {
                for (ord, &n) in field.counts.iter().enumerate() {
                    if n == 0 {
                        continue;
                    }
                    value.clear();
                    // A failed or missing lookup means a damaged segment; skip the value rather
                    // than fail the whole search over a facet.
                    if let Ok(true) = column.ord_to_str(ord as u64, &mut value) {
                        if field.is_set {
                            for v in value.split(SET_SEPARATOR).filter(|v| !v.is_empty()) {
                                *counts.entry(v.to_string()).or_insert(0) += n;
                            }
                        } else if !value.is_empty() {
                            *counts.entry(value.clone()).or_insert(0) += n;
                        }
                    }
                }
            }
            out.push(counts);
        }
        (self.matched, out)
    }
}
