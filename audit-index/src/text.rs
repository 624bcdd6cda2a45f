//! Free text to query clauses, leniently: user input is tokenised like the indexed text, never
//! parsed as query syntax, so nothing typed is a syntax error or reaches another field.

use tantivy::Term;
use tantivy::query::{PhraseQuery, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::{TextAnalyzer, TokenStream};

/// Longest input considered; the rest is ignored (bounds work for pasted walls of text).
const MAX_INPUT_BYTES: usize = 1_000;
/// Most words (phrase words included) turned into clauses.
const MAX_TERMS: usize = 32;

/// One `Must` clause per bare word and per "quoted phrase". A quote without its closing partner
/// is ignored and what follows it is read as bare words.
pub(crate) fn clauses(
    field: Field,
    analyzer: &mut TextAnalyzer,
    input: &str,
) -> Vec<Box<dyn Query>> {
    let input = truncate(input, MAX_INPUT_BYTES);
    let parts: Vec<&str> = input.split('"').collect();
    let closed = parts.len() % 2 == 1; // an even number of quotes
    let mut budget = MAX_TERMS;
    let mut out: Vec<Box<dyn Query>> = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        if budget == 0 {
            break;
        }
        let is_phrase = i % 2 == 1 && (closed || i + 1 < parts.len());
        let terms = tokens(field, analyzer, part, budget);
        budget -= terms.len();
        if is_phrase && terms.len() > 1 {
            out.push(Box::new(PhraseQuery::new(terms)));
        } else {
            for term in terms {
                out.push(Box::new(TermQuery::new(term, IndexRecordOption::Basic)));
            }
        }
    }
    out
}

fn tokens(field: Field, analyzer: &mut TextAnalyzer, text: &str, max: usize) -> Vec<Term> {
    let mut terms = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while terms.len() < max && stream.advance() {
        terms.push(Term::from_field_text(field, &stream.token().text));
    }
    terms
}

/// The longest prefix of `s` of at most `max` bytes ending on a character boundary.
fn truncate(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}
