//! PERSON without a model: capitalised token sequences scored with curated given-name and
//! surname lists, honorifics and context phrases.
//!
//! A name is at most three capitalised tokens (plus initials and particles such as `van der`),
//! joined by single spaces, so a decision needs at most [`super::MAX_SPACED_SPAN`] bytes plus
//! [`CONTEXT`] bytes of context before it. The span never includes the honorific.

use super::names;
use crate::{EntityType, Finding};
use std::hash::{BuildHasherDefault, Hasher};

/// A fast non-cryptographic hasher (FxHash) for the fixed name lists: the sets are built once
/// from constants, so hash flooding is not a concern, and SipHash dominated lookups.
#[derive(Debug, Default, Clone, Copy)]
struct Fx(u64);

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word))
                .wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.0 = (self.0.rotate_left(5) ^ u64::from(i)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type HashSet<T> = std::collections::HashSet<T, BuildHasherDefault<Fx>>;

/// How far back context phrases are looked for (bytes).
const CONTEXT: usize = 24;
/// Most name tokens in one name.
const MAX_TOKENS: usize = 4;

/// Phrases after which capitalised tokens are a name even if the lists do not know them.
const STRONG: &[&str] = &[
    "my name is",
    "name is",
    "name:",
    "named",
    "called",
    "i am",
    "i'm",
    "i’m",
    "dear",
    "signed",
    "signed:",
    "signed by",
    "attention",
    "attn",
    "je m'appelle",
    "je m’appelle",
    "je suis",
    "mein name ist",
    "ich bin",
    "ich heiße",
    "me llamo",
    "mi nombre es",
    "soy",
    "mi chiamo",
    "sono",
    "meu nome é",
    "chamo-me",
    "ik ben",
    "mijn naam is",
    "jag heter",
    "nazywam się",
    "меня зовут",
    "benim adım",
    "ben",
    "sincerely,",
    "regards,",
    "from:",
    "to:",
    "cc:",
    "attn:",
    "attention:",
    "contact:",
    "patient:",
    "customer:",
    "employee:",
    "author:",
    "assignee:",
    "reporter:",
    "owner:",
    "applicant:",
    "candidate:",
];

/// Phrases after which a single known given name is a name.
const WEAK: &[&str] = &[
    "hi",
    "hello",
    "hey",
    "thanks",
    "thank you",
    "cheers",
    "best",
    "with",
    "by",
    "ask",
    "contact",
    "met",
    "told",
    "cc",
    "wife",
    "husband",
    "son",
    "daughter",
    "mother",
    "father",
    "brother",
    "sister",
    "friend",
    "colleague",
    "boss",
    "manager",
    "partner",
    "mr",
    "ms",
    "mrs",
    "hola",
    "bonjour",
    "hallo",
    "ciao",
    "olá",
    "merhaba",
    "привет",
    "gracias",
    "merci",
    "danke",
    "call",
    "email",
    "e-mail",
    "ping",
    "text",
    "message",
    "meet",
    "tell",
    "invite",
    "thank",
    "from",
    "for",
    "to",
    "dm",
    "remind",
    "paging",
    "@",
];

/// Role nouns after which two or three capitalised tokens are a name (`the CEO, Sundar Pichai`).
const ROLES: &[&str] = &[
    "ceo",
    "cto",
    "cfo",
    "coo",
    "founder",
    "co-founder",
    "president",
    "director",
    "minister",
    "manager",
    "engineer",
    "developer",
    "designer",
    "analyst",
    "lawyer",
    "attorney",
    "doctor",
    "nurse",
    "professor",
    "teacher",
    "colleague",
    "coworker",
    "intern",
    "student",
    "author",
    "writer",
    "actor",
    "actress",
    "singer",
    "chairman",
    "senator",
    "governor",
    "mayor",
    "ambassador",
    "spokesperson",
    "scheduled with",
    "according to",
    "interview with",
    "married to",
];

/// Surnames written first in East Asian order (`Nguyen Van Anh`, `Li Na`).
const ASIAN_SURNAMES: &[&str] = &[
    "nguyen", "tran", "le", "pham", "hoang", "phan", "vu", "dang", "li", "wang", "zhang", "liu",
    "chen", "yang", "zhao", "huang", "zhou", "wu", "xu", "sun", "ma", "zhu", "hu", "guo", "lin",
    "luo", "kim", "lee", "park", "choi", "jung", "kang", "cho", "yoon", "jang", "lim", "han",
    "shin", "kwon", "hwang", "ahn", "song", "tanaka", "suzuki",
];

/// Verbs of communication before a name: a known surname or a surname-shaped word alone after
/// them is a name (`spoke with Kowalski`), and so is any pair of capitalised tokens.
const COMM: &[&str] = &[
    "spoke with",
    "spoke to",
    "speak with",
    "speak to",
    "talked to",
    "talked with",
    "talk to",
    "chatted with",
    "met with",
    "meeting with",
    "call with",
    "sync with",
    "check with",
    "checked with",
    "ask",
    "asked",
    "cc",
    "cc:",
    "bcc",
    "bcc:",
    "ping",
    "emailed",
    "called",
    "told",
    "per",
    "loop in",
    "reach out to",
    "forward to",
    "forwarded to",
    "thanks",
    "thank you",
    "according to",
    "reported by",
    "assigned to",
];

/// Verbs after two or three capitalised tokens that make them a person (`Satya Nadella said`):
/// the next whole word, which the streaming masker has seen before it releases the name (a
/// lower-case word is not continuable, see `stream.rs`).
const REPORTING: &[&str] = &[
    "said",
    "says",
    "tweeted",
    "tweets",
    "wrote",
    "writes",
    "told",
    "tells",
    "asked",
    "asks",
    "announced",
    "announces",
    "added",
    "explained",
    "replied",
    "confirmed",
    "noted",
    "argued",
    "posted",
    "emailed",
    "texted",
    "mentioned",
    "stated",
    "claimed",
    "warned",
    "agreed",
    "commented",
    "responded",
    "insisted",
    "admitted",
    "denied",
    "recalled",
    "testified",
    "resigned",
    "died",
    "thinks",
    "believes",
    "joined",
    "complained",
    "apologized",
    "apologised",
    "promised",
    "urged",
    "praised",
    "criticized",
    "criticised",
    "married",
];

/// Endings of surnames across languages (Slavic, Nordic, Spanish, Greek, Romanian, Turkish,
/// Armenian): a capitalised word ending so, next to a name, is very likely a surname.
const SURNAME_ENDINGS: &[&str] = &[
    "ski", "ska", "sky", "skyi", "wicz", "czyk", "enko", "chuk", "opoulos", "poulos", "idis",
    "akis", "ić", "vic", "ović", "ová", "ova", "eva", "ov", "ev", "ovich", "evich", "sson", "sen",
    "son", "escu", "oglu", "oğlu", "yan", "ez", "stein", "berg", "mann",
];

const PARTICLES: &[&str] = &[
    "van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "la", "le", "bin", "ibn",
    "al", "el", "dos", "ter",
];

#[derive(Debug)]
pub struct Person {
    given: HashSet<&'static str>,
    surnames: HashSet<&'static str>,
    ambiguous: HashSet<&'static str>,
    not_name: HashSet<&'static str>,
    titles: HashSet<&'static str>,
    /// Last words of every context phrase, to skip phrase matching quickly.
    tails: HashSet<String>,
}

#[derive(Debug, Clone, Copy)]
struct Tok {
    start: usize,
    end: usize,
}

impl Person {
    pub fn new() -> Self {
        let set = |s: &'static str| s.split_whitespace().collect::<HashSet<&'static str>>();
        Person {
            given: set(names::GIVEN),
            surnames: set(names::SURNAMES),
            ambiguous: set(names::AMBIGUOUS),
            not_name: set(names::NOT_NAME),
            titles: set(names::TITLES),
            tails: STRONG
                .iter()
                .chain(WEAK)
                .chain(ROLES)
                .chain(COMM)
                .filter_map(|p| p.split_whitespace().last())
                .flat_map(|w| [w.to_string(), trim_punct(w).to_string()])
                .collect(),
        }
    }

    pub fn find(&self, text: &str, out: &mut Vec<Finding>) {
        let toks = tokens(text);
        let mut i = 0;
        while i < toks.len() {
            let t = toks[i];
            let word = &text[t.start..t.end];
            // Only capitalised tokens can start a name or be a title; skip the rest cheaply.
            if !word.chars().next().is_some_and(char::is_uppercase) {
                i += 1;
                continue;
            }
            let lower = word.to_lowercase();
            // Honorific: what follows is a name, the title itself is not part of the span.
            if self.titles.contains(lower.as_str()) && is_capitalised(word) {
                let gap_ok = matches!(text.get(t.end..t.end + 1), Some(" " | "."));
                if gap_ok {
                    let seq = self.sequence(text, &toks, i + 1);
                    if let Some(&last) = seq.last() {
                        out.push(Finding {
                            entity: EntityType::Person,
                            start: toks[i + 1].start,
                            end: last.end,
                            score: 0.9,
                        });
                        i += 1 + seq.len();
                        continue;
                    }
                }
            }
            let stop =
                self.not_name.contains(lower.as_str()) && !self.ambiguous.contains(lower.as_str());
            if let Some(n) = self.caps_name(text, &toks, i, &lower) {
                // `JOHN SMITH` in a form.
                let last = toks[i + n - 1];
                out.push(Finding {
                    entity: EntityType::Person,
                    start: t.start,
                    end: last.end,
                    score: 0.75,
                });
                i += n;
                continue;
            }
            if is_initial(text, t) && !stop {
                // `J. R. Smith`: initials, then a surname.
                let seq = self.sequence(text, &toks, i);
                let names: Vec<&Tok> = seq.iter().filter(|t| !is_initial(text, **t)).collect();
                if let ([only], Some(last)) = (names.as_slice(), seq.last()) {
                    let l = fold(&text[only.start..only.end].to_lowercase()).into_owned();
                    if seq.len() >= 2 && (self.is_surname(&l) || surname_shaped(&l)) {
                        out.push(Finding {
                            entity: EntityType::Person,
                            start: t.start,
                            end: last.end,
                            score: 0.7,
                        });
                        i += seq.len();
                        continue;
                    }
                }
            }
            if !is_capitalised(word) || stop || is_initial(text, t) {
                i += 1;
                continue;
            }
            let seq = self.sequence(text, &toks, i);
            let Some(&last) = seq.last() else {
                i += 1;
                continue;
            };
            let score = self.score(text, &seq, &lower);
            if score >= super::MIN_SCORE {
                out.push(Finding {
                    entity: EntityType::Person,
                    start: t.start,
                    end: last.end,
                    score,
                });
                i += seq.len().max(1);
            } else {
                // `Meet Kenji Watanabe`: a capitalised non-name may precede the name.
                i += 1;
            }
        }
    }

    /// Two or three all-caps tokens from `toks[i]` that are a known given name and a known
    /// surname (`JOHN SMITH`, `MARÍA LÓPEZ GARCÍA`); returns how many tokens.
    fn caps_name(&self, text: &str, toks: &[Tok], i: usize, first_lower: &str) -> Option<usize> {
        let caps = |t: &Tok| {
            let w = &text[t.start..t.end];
            w.chars().count() >= 2 && w.chars().all(|c| c.is_uppercase() || c == '-' || c == '\'')
        };
        let first = toks.get(i)?;
        if !caps(first) || !self.is_given(first_lower) || self.ambiguous.contains(first_lower) {
            return None;
        }
        let mut n = 1;
        while n < 3 {
            let (Some(prev), Some(t)) = (toks.get(i + n - 1), toks.get(i + n)) else {
                break;
            };
            if &text[prev.end..t.start] != " " || !caps(t) {
                break;
            }
            n += 1;
        }
        let last = toks.get(i + n - 1)?;
        let last_lower = fold(&text[last.start..last.end].to_lowercase()).into_owned();
        (n >= 2 && self.is_surname(&last_lower)).then_some(n)
    }

    /// Name tokens from `toks[i]` on: capitalised, not a stop word, joined by one space
    /// (an initial may be followed by `. `); particles only between capitalised tokens.
    fn sequence(&self, text: &str, toks: &[Tok], i: usize) -> Vec<Tok> {
        let mut seq: Vec<Tok> = Vec::new();
        let mut j = i;
        let mut pending_particles: Vec<Tok> = Vec::new();
        while j < toks.len() && seq.len() < MAX_TOKENS {
            let t = toks[j];
            if let Some(prev) = pending_particles.last().or(seq.last()) {
                let gap = &text[prev.end..t.start];
                let ok = gap == " " || gap == "\u{a0}" || (gap == ". " && is_initial(text, *prev));
                if !ok {
                    break;
                }
            }
            let word = &text[t.start..t.end];
            let lower = word.to_lowercase();
            if !seq.is_empty() && PARTICLES.contains(&lower.as_str()) && pending_particles.len() < 2
            {
                pending_particles.push(t);
                j += 1;
                continue;
            }
            if !is_capitalised(word) || (j > i && self.not_name.contains(lower.as_str())) {
                break;
            }
            seq.append(&mut pending_particles);
            seq.push(t);
            j += 1;
        }
        seq
    }

    fn score(&self, text: &str, seq: &[Tok], first_lower: &str) -> f32 {
        let first = seq[0];
        // Context phrases are only looked up when the lists alone do not decide (most
        // capitalised words are decided without them).
        let ctx_cell: std::cell::OnceCell<String> = std::cell::OnceCell::new();
        let any = |list: &[&str]| {
            let ctx = ctx_cell.get_or_init(|| context(text, first.start));
            let bare = trim_punct(ctx);
            let tail_known = |c: &str| {
                c.split_whitespace()
                    .last()
                    .is_some_and(|w| self.tails.contains(w))
            };
            if !tail_known(ctx) && !tail_known(bare) {
                return false;
            }
            list.iter()
                .any(|p| ends_with_phrase(ctx, p) || ends_with_phrase(bare, p))
        };
        let known = self.is_given(first_lower);
        let ambiguous = self.ambiguous.contains(first_lower);
        let names: Vec<&Tok> = seq.iter().filter(|t| !is_initial(text, **t)).collect();
        let last_lower = names
            .last()
            .map(|t| fold(&text[t.start..t.end].to_lowercase()).into_owned())
            .unwrap_or_default();
        let last_surname = names.len() >= 2 && self.is_surname(&last_lower);
        let last_shaped = names.len() >= 2 && surname_shaped(&last_lower);
        let reported = seq
            .last()
            .is_some_and(|t| followed_by(text, t.end, REPORTING));
        if names.len() >= 2 {
            if known && !ambiguous {
                return if last_surname { 0.9 } else { 0.75 };
            }
            if ambiguous {
                // `Grace Hopper`, `Frank Sinatra`: a common word as a given name needs a
                // surname, a surname-shaped word or some context.
                return if last_surname || any(STRONG) {
                    0.8
                } else if last_shaped
                    || reported
                    || any(COMM)
                    || (any(WEAK) && !sentence_initial(text, first.start))
                {
                    0.7
                } else {
                    0.3
                };
            }
            if any(STRONG) {
                return 0.8;
            }
            // `Satya Nadella said`, `spoke with Ana Kowalczyk`.
            if reported && (last_surname || last_shaped) || any(COMM) {
                return 0.7;
            }
            let first_surname = self.surnames.contains(&*fold(first_lower));
            let second_given = self.is_given(&text[names[1].start..names[1].end].to_lowercase());
            if any(ROLES) || (first_surname && second_given) {
                return 0.7;
            }
            let asian_order = ASIAN_SURNAMES.contains(&first_lower)
                && names[1..]
                    .iter()
                    .all(|t| text[t.start..t.end].chars().count() <= 6);
            if asian_order {
                return 0.6;
            }
            if last_surname && any(WEAK) && !sentence_initial(text, first.start) {
                return 0.65;
            }
            0.0
        } else if any(STRONG) {
            0.75
        } else if known && !ambiguous && any(WEAK) {
            0.7
        } else if !ambiguous
            && (self.is_surname(&fold(first_lower)) || surname_shaped(&fold(first_lower)))
            && any(COMM)
        {
            // `spoke with Kowalski`.
            0.7
        } else {
            0.0
        }
    }
}

impl Person {
    /// A known surname, or a hyphenated one with a known part (`Smith-Jones`).
    fn is_surname(&self, folded: &str) -> bool {
        self.surnames.contains(folded)
            || (folded.contains('-') && folded.split('-').any(|p| self.surnames.contains(p)))
    }

    /// A known given name, ignoring diacritics (`Lucía`, `Jürgen`) and taking the first part
    /// of a hyphenated name (`Jean-Luc`).
    fn is_given(&self, lower: &str) -> bool {
        let folded = fold(lower);
        self.given.contains(&*folded)
            || folded
                .split('-')
                .next()
                .is_some_and(|head| head.len() < folded.len() && self.given.contains(head))
    }
}

/// Lower-case Latin letters with their diacritics removed (for list lookups only).
fn fold(lower: &str) -> std::borrow::Cow<'_, str> {
    if lower.is_ascii() {
        return std::borrow::Cow::Borrowed(lower);
    }
    lower
        .chars()
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ą' | 'ă' => 'a',
            'ç' | 'ć' | 'č' => 'c',
            'è' | 'é' | 'ê' | 'ë' | 'ę' | 'ě' => 'e',
            'ì' | 'í' | 'î' | 'ï' | 'ı' => 'i',
            'ñ' | 'ń' | 'ň' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ő' => 'o',
            'ù' | 'ú' | 'û' | 'ü' | 'ű' | 'ů' => 'u',
            'ý' | 'ÿ' => 'y',
            'ś' | 'š' | 'ş' | 'ș' => 's',
            'ź' | 'ż' | 'ž' => 'z',
            'ł' => 'l',
            'ğ' => 'g',
            'ř' => 'r',
            'ț' | 'ţ' => 't',
            'đ' | 'ď' => 'd',
            other => other,
        })
        .collect::<String>()
        .into()
}

/// A word with a typical surname ending and enough letters before it (`Kowalczyk`, `Nováková`).
fn surname_shaped(folded: &str) -> bool {
    let n = folded.chars().count();
    n >= 5
        && SURNAME_ENDINGS.iter().any(|e| {
            let stem = n.saturating_sub(e.chars().count());
            folded.ends_with(e) && stem >= 3
        })
}

/// The word after `end` (one space between) is one of `list`.
fn followed_by(text: &str, end: usize, list: &[&str]) -> bool {
    let Some(rest) = text.get(end..).and_then(|r| r.strip_prefix(' ')) else {
        return false;
    };
    let word_len = rest.bytes().take_while(u8::is_ascii_lowercase).count();
    let word = &rest[..word_len];
    // The word must be complete: the streaming masker releases a name only once a whole
    // lower-case word follows it.
    let complete = rest[word_len..]
        .chars()
        .next()
        .is_some_and(|c| !c.is_alphanumeric());
    complete && list.contains(&word)
}

fn trim_punct(s: &str) -> &str {
    s.trim_end_matches([',', ':', ';', '-', '–', '—', ' '])
}

/// Lower-cased text just before `start`, trailing spaces removed.
fn context(text: &str, start: usize) -> String {
    super::before(text, start, CONTEXT)
        .trim_end()
        .to_lowercase()
}

/// `ctx` ends with `phrase` as whole words.
fn ends_with_phrase(ctx: &str, phrase: &str) -> bool {
    ctx.ends_with(phrase)
        && ctx[..ctx.len() - phrase.len()]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric())
}

fn sentence_initial(text: &str, start: usize) -> bool {
    let before = text[..start].trim_end_matches([' ', '\t', '"', '\'', '(', '*', '#']);
    before.is_empty() || before.ends_with(['.', '!', '?', '\n', ':', '>', '-', '•'])
}

fn is_capitalised(word: &str) -> bool {
    let mut chars = word.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    if !first.is_uppercase() || !(word.chars().count() == 1 || word.chars().any(char::is_lowercase))
    {
        return false;
    }
    // An inner capital makes a CamelCase identifier (`FxHasher`, `JavaScript`) unless it follows
    // a surname prefix (`McDonald`, `DiCaprio`, `MacLeod`) or a hyphen/apostrophe (`O'Neill`).
    let mut prev = first;
    for (i, c) in word.char_indices().skip(1) {
        if c.is_uppercase() && prev.is_lowercase() {
            let head = &word[..i];
            if ![
                "Mc", "Mac", "Di", "De", "Da", "Du", "Le", "La", "Van", "Von", "Fitz",
            ]
            .contains(&head)
            {
                return false;
            }
        }
        prev = c;
    }
    true
}

/// A single upper-case letter followed by `.` (the `F.` in `John F. Kennedy`).
fn is_initial(text: &str, t: Tok) -> bool {
    let w = &text[t.start..t.end];
    w.chars().count() == 1 && w.chars().all(char::is_uppercase) && text[t.end..].starts_with('.')
}

/// Letter runs (with inner apostrophes and hyphens) as byte spans.
fn tokens(text: &str) -> Vec<Tok> {
    let mut toks = Vec::with_capacity(text.len() / 4 + 1);
    let mut start: Option<usize> = None;
    let mut last_letter_end = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // ASCII (most text) is classified from the byte; other characters are decoded.
        let b = bytes[i];
        if b.is_ascii_alphabetic() {
            // A run of ASCII letters at once.
            start.get_or_insert(i);
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
                i += 1;
            }
            last_letter_end = i;
            continue;
        }
        let c = if b < 0x80 {
            char::from(b)
        } else {
            match text.get(i..).and_then(|rest| rest.chars().next()) {
                Some(c) => c,
                None => break,
            }
        };
        let letter = if b < 0x80 {
            b.is_ascii_alphabetic()
        } else {
            (c.is_alphabetic() && !super::is_cjk(c)) || (start.is_some() && is_mark(c))
        };
        let joiner = matches!(c, '\'' | '’' | '-');
        if letter {
            start.get_or_insert(i);
            last_letter_end = i + c.len_utf8();
        } else if joiner && start.is_some() {
            // Kept only if a letter follows; the token end stays at the last letter.
        } else if let Some(s) = start.take() {
            toks.push(Tok {
                start: s,
                end: without_possessive(text, s, last_letter_end),
            });
        }
        if !letter && !joiner {
            start = None;
        }
        i += c.len_utf8();
    }
    if let Some(s) = start {
        toks.push(Tok {
            start: s,
            end: without_possessive(text, s, last_letter_end),
        });
    }
    toks
}

/// `Obama's` → `Obama`: the possessive is not part of the name.
fn without_possessive(text: &str, start: usize, end: usize) -> usize {
    let word = &text[start..end];
    for suffix in ["'s", "’s"] {
        if word.len() > suffix.len() + 1 && word.ends_with(suffix) {
            return end - suffix.len();
        }
    }
    end
}

fn is_mark(c: char) -> bool {
    // Combining diacritics (decomposed accents) stay inside the word.
    ('\u{300}'..='\u{36f}').contains(&c)
}

#[cfg(test)]
pub fn tokens_for_bench(text: &str) -> usize {
    tokens(text).len()
}
