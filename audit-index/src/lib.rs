//! Search index over Warden's audit log.
//!
//! The audit log itself lives in Postgres as a Merkle log; this index is derived from it and can
//! always be rebuilt from it, so losing or wiping the index directory is never data loss. The
//! control plane calls it from a blocking thread: the API is synchronous, and [`AuditIndex`] is
//! `Send + Sync` so one instance is shared through an `Arc`.
//!
//! Filters are exact matches on untokenised fields, built as term queries (user input is never
//! spliced into a query string); free text is tokenised with the same analyzer as the indexed
//! text, so no input is a syntax error. Results come newest first (by log sequence number) with
//! facet counts over the whole filtered result.
#![forbid(unsafe_code)]

mod collect;
mod schema;
mod text;

use std::ops::Bound;
use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use tantivy::directory::MmapDirectory;
use tantivy::merge_policy::LogMergePolicy;
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Index, IndexReader, IndexSettings, IndexWriter, ReloadPolicy, Term};
use time::OffsetDateTime;

use crate::collect::PageCollector;
use crate::schema::Fields;

/// Most hits one page may ask for: deeper pages cost memory and time proportional to offset+limit.
pub const MAX_LIMIT: usize = 500;
/// Deepest offset served: a UI pages through recent events; older ones are found by narrowing.
pub const MAX_OFFSET: usize = 10_000;
/// How many values each facet reports.
pub const FACET_TOP: usize = 10;

/// Writer memory budget: bounds indexing memory so the control plane stays small.
const WRITER_MEMORY_BYTES: usize = 50_000_000;
/// Marker file naming the schema version, so an index from another version is rebuilt, not misread.
const VERSION_FILE: &str = "warden-audit-index.version";

/// One audit event as the index sees it (the control plane derives it from the stored entry).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexedEvent {
    /// Leaf index in the log: unique, increasing; the index's identity and sort key.
    pub seq: u64,
    /// The event's id.
    pub id: uuid::Uuid,
    /// When the event happened.
    pub time: OffsetDateTime,
    /// Who acted: "user:alice", "enforcer:<uuid>", "system".
    pub actor: String,
    /// What happened: "agent.create", "decision.llm_call", "policy.publish", "login.failed", …
    pub action: String,
    /// What it happened to: "agent:<uuid>", "policy:v12", …
    pub subject: String,
    /// Agent id or SPIFFE ID when the event concerns one.
    pub agent: Option<String>,
    /// "allow", "deny", "masked", "blocked", … (decision events only).
    pub decision: Option<String>,
    /// Finding types, e.g. "EMAIL", "CREDIT_CARD", "prompt_injection".
    pub findings: Vec<String>,
    /// "info" | "low" | "medium" | "high" | "critical".
    pub severity: String,
    /// Compliance control ids, e.g. "SOC2-CC6.1", "ISO27001-A.8.15", "EUAIA-Art12".
    pub controls: Vec<String>,
    /// Everything else worth full-text search (reasons, details).
    pub text: String,
}

/// A search: optional free text, exact-match filters, a time range and a page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditQuery {
    /// User-typed words and "quoted phrases"; every word must match. Never a syntax error:
    /// quotes that don't pair up are ignored, `field:value` is just two words.
    pub text: Option<String>,
    /// Exact agent id.
    pub agent: Option<String>,
    /// Exact actor.
    pub actor: Option<String>,
    /// Exact action.
    pub action: Option<String>,
    /// Exact decision.
    pub decision: Option<String>,
    /// Events having this finding type among their findings.
    pub finding: Option<String>,
    /// Exact severity.
    pub severity: Option<String>,
    /// Events mapped to this control id.
    pub control: Option<String>,
    /// Inclusive lower time bound.
    pub from: Option<OffsetDateTime>,
    /// Exclusive upper time bound.
    pub to: Option<OffsetDateTime>,
    /// Hits to skip (newest first); capped at [`MAX_OFFSET`].
    pub offset: usize,
    /// Hits to return; capped at [`MAX_LIMIT`]. Zero returns only the total and facets.
    pub limit: usize,
    /// Only events with a smaller seq: pages through a result of any size (exports) without
    /// offsets.
    pub before_seq: Option<u64>,
}

/// One page of results.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchPage {
    /// Number of events matching the query (all pages).
    pub total: u64,
    /// Sequence numbers of this page's events, newest first; the caller loads them from the log.
    pub seqs: Vec<u64>,
    /// Value counts over the whole matching set, for drill-down.
    pub facets: Facets,
}

/// Top values of each facet over the whole filtered result, most frequent first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facets {
    /// By action.
    pub action: Vec<FacetCount>,
    /// By decision (decision events only).
    pub decision: Vec<FacetCount>,
    /// By severity.
    pub severity: Vec<FacetCount>,
    /// By finding type (an event counts once per distinct finding it has).
    pub finding: Vec<FacetCount>,
    /// By agent.
    pub agent: Vec<FacetCount>,
    /// By compliance control.
    pub control: Vec<FacetCount>,
}

/// One facet value and how many matching events have it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacetCount {
    /// The value, as indexed.
    pub value: String,
    /// Matching events having it.
    pub count: u64,
}

/// Why an index operation failed.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// The search engine failed (I/O, corrupt segment, lock held by another process, …).
    #[error("search engine: {0}")]
    Engine(#[from] tantivy::TantivyError),
    /// The index directory could not be read, created or wiped.
    #[error("index directory: {0}")]
    Io(#[from] std::io::Error),
    /// The directory could not be opened as an index directory.
    #[error("index directory: {0}")]
    Directory(#[from] tantivy::directory::error::OpenDirectoryError),
    /// A thread panicked while holding the writer; the index must be reopened.
    #[error("index writer poisoned by an earlier panic")]
    Poisoned,
}

/// Writer-side state, behind one lock: tantivy's writer plus what makes adds idempotent.
struct WriterState {
    writer: IndexWriter,
    /// Highest seq ever added through this writer or committed before it: a seq above it cannot
    /// be in the index, so its add skips the delete (keeps bulk indexing fast).
    max_added: Option<u64>,
}

/// The audit search index. Cheap to share: `Send + Sync`, all methods take `&self`.
pub struct AuditIndex {
    reader: IndexReader,
    fields: Fields,
    analyzer: TextAnalyzer,
    writer: Mutex<WriterState>,
    /// Highest seq made durable by a commit (mirrors the commit payload).
    committed: Mutex<Option<u64>>,
    /// Total and facets of the unfiltered query for one reader generation.
    unfiltered: Mutex<Option<UnfilteredCache>>,
}

struct UnfilteredCache {
    generation: u64,
    total: u64,
    facets: Facets,
}

impl std::fmt::Debug for AuditIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuditIndex")
            .field("doc_count", &self.doc_count())
            .field("indexed_through", &self.indexed_through())
            .finish()
    }
}

impl AuditIndex {
    /// Opens the index in `dir`, creating it if missing. An index of another schema version, or
    /// one that cannot be read, is wiped and recreated empty (with a warning): the caller sees
    /// `indexed_through() == None` and rebuilds from the log. The directory belongs to the index:
    /// anything else in it is deleted on recreate.
    pub fn open(dir: &Path) -> Result<Self, IndexError> {
        std::fs::create_dir_all(dir)?;
        match Self::open_existing(dir) {
            Ok(Some(index)) => return Self::from_index(index),
            Ok(None) => {}
            Err(reason) => {
                tracing::warn!(
                    dir = %dir.display(),
                    %reason,
                    "audit index unusable; wiping it to rebuild from the log"
                );
                wipe_dir(dir)?;
            }
        }
        let index = Index::create(
            MmapDirectory::open(dir)?,
            schema::build(),
            IndexSettings::default(),
        )?;
        write_version(dir)?;
        Self::from_index(index)
    }

    /// An index held in memory only, for tests.
    pub fn open_in_ram() -> Result<Self, IndexError> {
        Self::from_index(Index::create_in_ram(schema::build()))
    }

    /// Opens an existing index, `Ok(None)` when the directory holds none, `Err(reason)` when it
    /// holds something we cannot use.
    fn open_existing(dir: &Path) -> Result<Option<Index>, String> {
        let has_entries = std::fs::read_dir(dir)
            .map_err(|e| format!("cannot list directory: {e}"))?
            .next()
            .is_some();
        if !has_entries {
            return Ok(None);
        }
        let version = std::fs::read_to_string(dir.join(VERSION_FILE))
            .map_err(|e| format!("no readable schema version marker: {e}"))?;
        if version.trim() != schema::VERSION.to_string() {
            return Err(format!(
                "schema version {} (expected {})",
                version.trim(),
                schema::VERSION
            ));
        }
        let index = Index::open_in_dir(dir).map_err(|e| format!("cannot open: {e}"))?;
        if index.schema() != schema::build() {
            return Err("schema differs from this version's".to_string());
        }
        // Opening every segment catches missing or truncated files now rather than at search.
        index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| format!("cannot read segments: {e}"))?;
        Ok(Some(index))
    }

    fn from_index(index: Index) -> Result<Self, IndexError> {
        let fields = Fields::from_schema(&index.schema())?;
        let analyzer = index.tokenizer_for_field(fields.text)?;
        let committed = index
            .load_metas()?
            .payload
            .as_deref()
            .and_then(|p| p.trim().parse::<u64>().ok());
        let options = tantivy::indexer::IndexWriterOptions::builder()
            .num_worker_threads(1)
            .memory_budget_per_thread(WRITER_MEMORY_BYTES)
            .num_merge_threads(1)
            .build();
        let writer: IndexWriter = index.writer_with_options(options)?;
        writer.set_merge_policy(Box::new(merge_policy()));
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(Self {
            reader,
            fields,
            analyzer,
            writer: Mutex::new(WriterState {
                writer,
                max_added: committed,
            }),
            committed: Mutex::new(committed),
            unfiltered: Mutex::new(None),
        })
    }

    /// Highest seq made durable by a commit, `None` when nothing is: the caller resumes indexing
    /// the log after it.
    pub fn indexed_through(&self) -> Option<u64> {
        self.committed
            .lock()
            .map(|c| *c)
            .unwrap_or_else(|p| *p.into_inner())
    }

    /// Buffers events for indexing; they become durable and searchable at [`commit`](Self::commit).
    /// Idempotent on `seq`: re-adding a seq replaces the earlier copy instead of duplicating it.
    pub fn add(&self, events: &[IndexedEvent]) -> Result<(), IndexError> {
        let mut state = self.lock_writer()?;
        for event in events {
            if state.max_added.is_some_and(|max| event.seq <= max) {
                state
                    .writer
                    .delete_term(Term::from_field_u64(self.fields.seq, event.seq));
            }
            state.writer.add_document(self.fields.document(event))?;
            state.max_added = Some(state.max_added.map_or(event.seq, |m| m.max(event.seq)));
        }
        Ok(())
    }

    /// Makes everything added so far durable (recording the highest seq in the commit payload)
    /// and visible to searches.
    pub fn commit(&self) -> Result<(), IndexError> {
        let mut state = self.lock_writer()?;
        let through = state.max_added;
        let mut prepared = state.writer.prepare_commit()?;
        if let Some(seq) = through {
            prepared.set_payload(&seq.to_string());
        }
        prepared.commit()?;
        drop(state);
        self.set_committed(through);
        self.reader.reload()?;
        Ok(())
    }

    /// Deletes every event, committed or only added, durably, so the caller can rebuild from the
    /// log; afterwards `indexed_through()` is `None`.
    pub fn clear(&self) -> Result<(), IndexError> {
        let mut state = self.lock_writer()?;
        // Drop uncommitted adds first: deleting all documents only removes committed segments,
        // and buffered ones would reappear at the next commit.
        state.writer.rollback()?;
        // Rollback builds a fresh writer, which starts with tantivy's default merge policy.
        state.writer.set_merge_policy(Box::new(merge_policy()));
        state.writer.delete_all_documents()?;
        // No payload: the commit records that nothing is indexed.
        state.writer.prepare_commit()?.commit()?;
        state.max_added = None;
        drop(state);
        self.set_committed(None);
        self.reader.reload()?;
        Ok(())
    }

    /// Runs a query over committed events: one page of seqs (newest first), the total, and facets.
    pub fn search(&self, q: &AuditQuery) -> Result<SearchPage, IndexError> {
        let query = self.build_query(q);
        let offset = q.offset.min(MAX_OFFSET);
        let limit = q.limit.min(MAX_LIMIT);
        let searcher = self.reader.searcher();
        let generation = searcher.generation().generation_id();
        // The unfiltered view (the audit page's landing view) matches every event: its total and
        // facets only change at commit, so they are counted once per commit, not per page.
        let unfiltered = query.is::<AllQuery>();
        let cached = if unfiltered {
            self.unfiltered_facets(generation)
        } else {
            None
        };
        let k = if limit == 0 { 0 } else { offset + limit };
        let collector = PageCollector {
            k,
            facets: cached.is_none(),
        };
        let collected = searcher.search(query.as_ref(), &collector)?;
        let (total, facets) = match (cached, collected.facets) {
            (Some(known), _) => known,
            (None, Some(facets)) => {
                if unfiltered {
                    self.remember_unfiltered(generation, collected.total, &facets);
                }
                (collected.total, facets)
            }
            (None, None) => (collected.total, Facets::default()),
        };
        Ok(SearchPage {
            total,
            seqs: collected.seqs.into_iter().skip(offset).collect(),
            facets,
        })
    }

    fn unfiltered_facets(&self, generation: u64) -> Option<(u64, Facets)> {
        let cache = self.unfiltered.lock().ok()?;
        cache
            .as_ref()
            .filter(|c| c.generation == generation)
            .map(|c| (c.total, c.facets.clone()))
    }

    fn remember_unfiltered(&self, generation: u64, total: u64, facets: &Facets) {
        if let Ok(mut cache) = self.unfiltered.lock() {
            *cache = Some(UnfilteredCache {
                generation,
                total,
                facets: facets.clone(),
            });
        }
    }

    /// Number of committed, searchable events.
    pub fn doc_count(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// The engine query for `q`: every filter and text clause must match.
    fn build_query(&self, q: &AuditQuery) -> Box<dyn Query> {
        let f = &self.fields;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let filters = [
            (f.agent, &q.agent),
            (f.actor, &q.actor),
            (f.action, &q.action),
            (f.decision, &q.decision),
            (f.finding, &q.finding),
            (f.severity, &q.severity),
            (f.control, &q.control),
        ];
        for (field, value) in filters {
            if let Some(value) = value {
                let term = Term::from_field_text(field, value);
                clauses.push((
                    Occur::Must,
                    Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
                ));
            }
        }
        if q.from.is_some() || q.to.is_some() {
            let lower = q.from.map_or(Bound::Unbounded, |t| {
                Bound::Included(Term::from_field_i64(f.time, schema::micros(t)))
            });
            let upper = q.to.map_or(Bound::Unbounded, |t| {
                Bound::Excluded(Term::from_field_i64(f.time, schema::micros(t)))
            });
            clauses.push((Occur::Must, Box::new(RangeQuery::new(lower, upper))));
        }
        if let Some(before) = q.before_seq {
            let upper = Bound::Excluded(Term::from_field_u64(f.seq, before));
            clauses.push((
                Occur::Must,
                Box::new(RangeQuery::new(Bound::Unbounded, upper)),
            ));
        }
        if let Some(input) = &q.text {
            let mut analyzer = self.analyzer.clone();
            for query in text::clauses(f.text, &mut analyzer, input) {
                clauses.push((Occur::Must, query));
            }
        }
        if clauses.is_empty() {
            Box::new(AllQuery)
        } else {
            Box::new(BooleanQuery::new(clauses))
        }
    }

    fn lock_writer(&self) -> Result<MutexGuard<'_, WriterState>, IndexError> {
        self.writer.lock().map_err(|_| IndexError::Poisoned)
    }

    fn set_committed(&self, through: Option<u64>) {
        match self.committed.lock() {
            Ok(mut c) => *c = through,
            Err(p) => *p.into_inner() = through,
        }
    }
}

/// Log merge policy tuned for an append-only stream: merge small flushed segments early so a
/// search touches few segments, but never rewrite the big ones (no deletes to reclaim, mostly).
fn merge_policy() -> LogMergePolicy {
    let mut policy = LogMergePolicy::default();
    policy.set_min_num_segments(6);
    policy.set_max_docs_before_merge(2_000_000);
    policy.set_del_docs_ratio_before_merge(0.3);
    policy
}

/// Removes everything inside `dir` (not `dir` itself, which may be a mount point).
fn wipe_dir(dir: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            std::fs::remove_dir_all(&path)?;
        } else {
            std::fs::remove_file(&path)?;
        }
    }
    Ok(())
}

/// Records the schema version next to the index, written whole via rename.
fn write_version(dir: &Path) -> std::io::Result<()> {
    let tmp = dir.join(format!("{VERSION_FILE}.tmp"));
    std::fs::write(&tmp, schema::VERSION.to_string())?;
    std::fs::rename(&tmp, dir.join(VERSION_FILE))
}

// Compile-time proof that the index can be shared across the control plane's blocking threads.
const _: () = {
    const fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<AuditIndex>();
};
