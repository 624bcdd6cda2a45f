//! PII and secret detectors: patterns, validators (Luhn, mod-97, base58check, bech32, JWT
//! header), context words and curated name lists, resolved into sorted, non-overlapping
//! findings.
//!
//! # Span conventions
//! Spans are tight: an email without surrounding punctuation or `mailto:`, a phone including
//! its leading `+` and parentheses, a URL without trailing sentence punctuation or an
//! unbalanced `)`, a person without the honorific (`Dr. Jane Doe` → `Jane Doe`), a key/value
//! secret (`api_key=…`, `Authorization: Bearer …`) as the value only, a PEM key as the whole
//! block from `-----BEGIN` through the closing `-----`.
//!
//! # Locality (what the streaming masker relies on)
//! Every candidate is decided by the text from [`CONTEXT_BEFORE`] bytes before it (context
//! words only look backwards) to the character after it, with one exception: two or three
//! capitalised tokens may be a person because of the whole lower-case word after them
//! (`Satya Nadella said`). The streaming masker holds a run of capitalised tokens back until a
//! complete non-continuable token follows, so it has seen that word too. A value that may contain whitespace
//! (a name, an address, a spaced phone, card or IBAN number) spans at most
//! [`crate::stream::MAX_TOKENS`] whitespace-separated tokens, all of them "continuable" (see
//! `stream.rs`), and addresses are also capped at [`MAX_SPACED_SPAN`] bytes; every other value
//! is a single token (URLs, emails, keys), except private-key blocks, which end at their
//! `-----END …-----` or after [`PEM_CAP`] bytes. CJK characters never occur inside a value.

mod location;
mod names;
mod person;
pub mod validate;

use crate::{Direction, EntityType, Finding};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use regex::Regex;
use std::net::{Ipv4Addr, Ipv6Addr};

/// The [`is_cjk`] ranges inside a regex class.
const CJK_RANGES: &str =
    r"\x{2E80}-\x{9FFF}\x{AC00}-\x{D7AF}\x{F900}-\x{FAFF}\x{FF00}-\x{FFEF}\x{20000}-\x{2FFFF}";
/// The [`is_cjk`] ranges as a regex class.
const CJK: &str =
    r"[\x{2E80}-\x{9FFF}\x{AC00}-\x{D7AF}\x{F900}-\x{FAFF}\x{FF00}-\x{FFEF}\x{20000}-\x{2FFFF}]";

/// Candidates scoring below this are dropped.
pub const MIN_SCORE: f32 = 0.5;
/// How far before a value context words are looked for (bytes).
pub const CONTEXT_BEFORE: usize = 96;
/// Longest span of any finding that may contain whitespace, private keys aside (bytes).
pub const MAX_SPACED_SPAN: usize = 160;
/// A private-key block with no `-----END` within this many bytes ends here.
pub const PEM_CAP: usize = 16 * 1024;

/// A secret after a key name: `api_key = "…"`, `password: …`.
const API_KV: &str = concat!(
    r#"(?i)(?:api[_\-. ]?key|apikey|api[_\-]?secret|secret[_\-]?key|access[_\-]?key(?:[_\-]?id)?"#,
    r#"|access[_\-]?token|auth[_\-]?token|refresh[_\-]?token|id[_\-]?token|client[_\-]?secret"#,
    r#"|private[_\-]?key|session[_\-]?token|x-api-key|x-auth-token|token|secret|password|passwd|pwd)"#,
    r#"["']?[ \t]{0,3}(?::=|=>|:|=)[ \t]{0,3}["']?([A-Za-z0-9_\-./+=~!@#$%^&*]{6,200})"#
);
/// Every [`API_KV`] match holds one of the first five at most [`KV_LEAD`] bytes after its start;
/// every [`BEARER`] match starts with `bearer` or `basic`; every AWS context word holds `aws` or
/// `secret`.
const SECRET_WORDS: &[&str] = &[
    "key", "token", "secret", "pass", "pwd", "bearer", "basic", "aws",
];
/// Indexes of `bearer`, `basic` and `aws` in [`SECRET_WORDS`].
const BEARER_WORD: usize = 5;
const BASIC_WORD: usize = 6;
const AWS_WORD: usize = 7;
const SECRET_WORD: usize = 2;
/// The most bytes an [`API_KV`] key name has before its key word (`refresh_` of `refresh_token`).
const KV_LEAD: usize = 8;
/// `Authorization: Bearer …` / `Basic …` values.
const BEARER: &str = r"(?i)(?:bearer|basic)[ \t]+([A-Za-z0-9_\-.~+/]{16,4096}=*)";

/// Top-level domains a bare `host.tld/path` link is recognised with: common generic ones and
/// country codes; file extensions (`.js`, `.txt`, `.md`, `.py`, `.rs`…) are deliberately absent.
const TLDS: &str = "com|org|net|io|dev|app|ai|co|gle|ly|me|info|biz|gov|edu|mil|int|xyz|site|online|tech|cloud|page|link|gg|tv|cc|us|uk|de|fr|es|it|nl|eu|ca|au|in|jp|cn|ru|br|ch|se|no|dk|fi|pl|cz|at|be|ie|nz|sg|hk|kr|mx|ar|za|tr|pt|gr|il|ua|ro|hu|vn|id|th|my|ph|ng|ke|to|fm|so|gl";

/// Compiled PII and secret detectors.
#[derive(Debug)]
pub struct Detectors {
    email: Pat,
    url: Pat,
    /// A bare domain with a path (`example.com/reset?token=…`).
    bare_url: Pat,
    phone: Pat,
    digits: Pat,
    ssn: Pat,
    iban: Pat,
    ipv4: Pat,
    ipv6: Pat,
    btc: Pat,
    bech32: Pat,
    eth: Pat,
    aws_key: Pat,
    aws_secret: Pat,
    github: Pat,
    slack: Pat,
    jwt: Pat,
    pem_begin: Pat,
    pem_end: Pat,
    api_prefixed: Pat,
    api_kv: Pat,
    /// `api_kv` anchored at the haystack start, tried only just before a key word.
    api_kv_at: Pat,
    /// [`SECRET_WORDS`], found in one pass for the key/value, bearer and AWS checks.
    secret_words: Words,
    bearer: Pat,
    /// `bearer` anchored at the haystack start, tried only where `bearer`/`basic` occurs.
    bearer_at: Pat,
    userinfo: Pat,
    ctx_phone: Words,
    ctx_not_phone: Words,
    ctx_ssn: Words,
    ctx_card: Words,
    ctx_net: Words,
    ctx_version: Words,
    ctx_aws: Words,
    ctx_crypto: Words,
    person: person::Person,
    location: location::Location,
}

/// A compiled pattern. Patterns are constants (a test checks they all compile); if one ever
/// failed to compile it would match nothing rather than panic.
#[derive(Debug)]
pub(crate) struct Pat(Option<Regex>);

impl Pat {
    #[cfg(test)]
    pub(crate) fn compiled(&self) -> bool {
        self.0.is_some()
    }

    pub(crate) fn find_iter<'r, 't>(
        &'r self,
        text: &'t str,
    ) -> impl Iterator<Item = regex::Match<'t>> + use<'r, 't> {
        self.0.iter().flat_map(move |r| r.find_iter(text))
    }

    pub(crate) fn captures_iter<'r, 't>(
        &'r self,
        text: &'t str,
    ) -> impl Iterator<Item = regex::Captures<'t>> + use<'r, 't> {
        self.0.iter().flat_map(move |r| r.captures_iter(text))
    }

    pub(crate) fn is_match(&self, text: &str) -> bool {
        self.0.as_ref().is_some_and(|r| r.is_match(text))
    }

    pub(crate) fn find<'t>(&self, text: &'t str) -> Option<regex::Match<'t>> {
        self.0.as_ref().and_then(|r| r.find(text))
    }

    pub(crate) fn find_at<'t>(&self, text: &'t str, at: usize) -> Option<regex::Match<'t>> {
        self.0.as_ref().and_then(|r| r.find_at(text, at))
    }
}

pub(crate) fn re(pattern: &str) -> Pat {
    Pat(Regex::new(pattern).ok())
}

/// A case-insensitive list of context words, matched as whole words (`ip` does not match
/// inside `ship`); matches nothing if it failed to build.
#[derive(Debug)]
pub(crate) struct Words(Option<AhoCorasick>);

impl Words {
    /// Whether any word occurs as a substring (a cheap prefilter).
    pub(crate) fn contains_any(&self, text: &str) -> bool {
        self.0.as_ref().is_some_and(|a| a.is_match(text))
    }

    /// Whether any word occurs with word boundaries (a side made of punctuation, like the `:`
    /// of `tel:`, needs no boundary).
    pub(crate) fn is_match(&self, text: &str) -> bool {
        let Some(ac) = &self.0 else {
            return false;
        };
        let bytes = text.as_bytes();
        ac.find_overlapping_iter(text).any(|m| {
            let (s, e) = (m.start(), m.end());
            let starts_alnum = bytes.get(s).is_some_and(u8::is_ascii_alphanumeric);
            let ends_alnum = e > 0 && bytes.get(e - 1).is_some_and(u8::is_ascii_alphanumeric);
            // `_` separates words here: `aws_secret_access_key` holds `secret_access_key`.
            let alnum = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() && !is_cjk(c));
            let before_ok = !starts_alnum || !alnum(prev_char(text, s));
            let after_ok = !ends_alnum || !alnum(next_char(text, e));
            before_ok && after_ok
        })
    }
}

pub(crate) fn words(list: &[&str]) -> Words {
    Words(
        AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(list)
            .ok(),
    )
}

/// Like [`words`], as a DFA: slower to build, faster for a pass over a whole text.
pub(crate) fn words_dfa(list: &[&str]) -> Words {
    Words(
        AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::DFA))
            .build(list)
            .ok(),
    )
}

/// The largest char boundary ≤ `i`.
pub(crate) fn floor_boundary(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Up to `n` bytes of text ending at `start`.
fn before(text: &str, start: usize, n: usize) -> &str {
    let s = floor_boundary(text, start.saturating_sub(n));
    text.get(s..start).unwrap_or("")
}

fn prev_char(text: &str, i: usize) -> Option<char> {
    text.get(..i).and_then(|s| s.chars().next_back())
}

fn next_char(text: &str, i: usize) -> Option<char> {
    text.get(i..).and_then(|s| s.chars().next())
}

/// A word character for boundary checks. CJK characters are not: they are written without
/// spaces, so `jane@example.com谢谢` still has an email that ends before `谢`.
pub(crate) fn is_word(c: Option<char>) -> bool {
    c.is_some_and(|c| (c.is_alphanumeric() && !is_cjk(c)) || c == '_')
}

/// Han, kana, Hangul and full-width forms: scripts written without spaces between words. No
/// value (private keys aside) contains them, so they end tokens like whitespace does.
pub fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{2E80}'..='\u{9FFF}'
        | '\u{AC00}'..='\u{D7AF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FF00}'..='\u{FFEF}'
        | '\u{20000}'..='\u{2FFFF}')
}

fn push(out: &mut Vec<Finding>, entity: EntityType, start: usize, end: usize, score: f32) {
    if start < end {
        out.push(Finding {
            entity,
            start,
            end,
            score: score.clamp(0.0, 1.0),
        });
    }
}

/// Resolution priority: more specific, validated secret formats win over looser types.
fn priority(entity: EntityType) -> u8 {
    match entity {
        EntityType::PrivateKey => 10,
        EntityType::Jwt
        | EntityType::AwsAccessKey
        | EntityType::GithubToken
        | EntityType::SlackToken => 9,
        EntityType::AwsSecretKey => 8,
        EntityType::Crypto | EntityType::CreditCard | EntityType::IbanCode => 7,
        EntityType::GenericApiKey => 6,
        EntityType::Url => 5,
        EntityType::EmailAddress | EntityType::UsSsn => 4,
        EntityType::PhoneNumber | EntityType::IpAddress => 3,
        EntityType::Location => 2,
        EntityType::Person => 1,
    }
}

/// Picks non-overlapping findings: higher priority first, then higher score, then longer span;
/// returns them sorted by start.
pub fn resolve(mut candidates: Vec<Finding>) -> Vec<Finding> {
    candidates.sort_by(|a, b| {
        priority(b.entity)
            .cmp(&priority(a.entity))
            .then(b.score.total_cmp(&a.score))
            .then((b.end - b.start).cmp(&(a.end - a.start)))
            .then(a.start.cmp(&b.start))
    });
    let mut accepted: Vec<Finding> = Vec::with_capacity(candidates.len());
    for c in candidates {
        // `accepted` is kept sorted by start for a binary search of the neighbours.
        let i = accepted.partition_point(|a| a.start < c.start);
        let clash_prev = i > 0 && accepted[i - 1].end > c.start;
        let clash_next = i < accepted.len() && accepted[i].start < c.end;
        if !clash_prev && !clash_next {
            accepted.insert(i, c);
        }
    }
    accepted
}

impl Detectors {
    pub fn new() -> Self {
        Detectors {
            email: re(&format!(
                r"[[\p{{L}}\p{{N}}._%+\-]--{CJK}]+@(?:[[\p{{L}}\p{{N}}]--{CJK}](?:[[\p{{L}}\p{{N}}\-]--{CJK}]*[[\p{{L}}\p{{N}}]--{CJK}])?\.)+[\p{{L}}--{CJK}]{{2,24}}"
            )),
            url: re(&format!(
                r"(?i)(?:(?:https?|ftps?)://|www\.)[^\s<>{{}}|\\^`{CJK_RANGES}]+"
            )),
            bare_url: re(&format!(
                r"(?:[a-z0-9](?:[a-z0-9\-]{{0,61}}[a-z0-9])?\.)+(?:{TLDS})/[^\s<>{{}}|\\^`{CJK_RANGES}]+"
            )),
            phone: re(concat!(
                r"(?:\(\+\d{1,3}\)|\+\d{1,3}|00[1-9]\d{0,2})(?:[ .\-]?\(\d{1,4}\))?[ .\-]?\d+(?:[ .\-]\d+){0,5}",
                r"|(?:1[ .\-])?(?:\(\d{3}\) ?|\d{3}[ .\-])\d{3}[ .\-]\d{4}",
                r"|\(0\d{1,4}\) ?\d+(?:[ .\-]\d+){0,3}|0\d+(?:[ .\-/]\d+){1,4}",
                r"|\d{10,11}"
            )),
            digits: re(r"\d+(?:[ \-]\d+){0,9}"),
            ssn: re(r"\d{3}-\d{2}-\d{4}|\d{3} \d{2} \d{4}|\d{9}"),
            iban: re(r"[A-Z]{2}\d{2}(?: ?[A-Z0-9]{1,4}){2,8}"),
            ipv4: re(r"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}"),
            ipv6: re(r"[0-9A-Fa-f]{0,4}:[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*"),
            btc: re(r"[13][1-9A-HJ-NP-Za-km-z]{25,34}"),
            bech32: re(r"(?:bc1|BC1)[02-9ac-hj-np-zAC-HJ-NP-Z]{6,87}"),
            eth: re(r"0x[0-9a-fA-F]{40}"),
            aws_key: re(
                r"(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|APKA|AROA|ASCA)[A-Z0-9]{16}",
            ),
            aws_secret: re(r"[A-Za-z0-9/+]{40}"),
            github: re(
                r"(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255}",
            ),
            slack: re(concat!(
                r"xox[abposr]-[A-Za-z0-9\-]{10,250}|xapp-\d-[A-Za-z0-9\-]{10,250}",
                r"|https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9_/\-]{10,250}"
            )),
            jwt: re(r"eyJ[A-Za-z0-9_\-]{5,}\.[A-Za-z0-9_\-]{5,}\.[A-Za-z0-9_\-]*"),
            pem_begin: re(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"),
            pem_end: re(r"-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"),
            api_prefixed: re(concat!(
                r"sk-[A-Za-z0-9_\-]{20,250}|(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,250}",
                r"|AIza[0-9A-Za-z_\-]{35}|glpat-[A-Za-z0-9_\-]{20,64}|npm_[A-Za-z0-9]{36}",
                r"|hf_[A-Za-z0-9]{30,64}|SG\.[A-Za-z0-9_\-]{16,32}\.[A-Za-z0-9_\-]{16,64}",
                r"|xai-[A-Za-z0-9]{20,100}|shpat_[a-fA-F0-9]{32}|dop_v1_[a-f0-9]{64}",
                r"|pypi-[A-Za-z0-9_\-]{50,250}"
            )),
            api_kv: re(API_KV),
            api_kv_at: re(&format!("^{API_KV}")),
            secret_words: words_dfa(SECRET_WORDS),
            bearer: re(BEARER),
            bearer_at: re(&format!("^{BEARER}")),
            userinfo: re(&format!(
                r"[A-Za-z][A-Za-z0-9+.\-]{{1,20}}://[^\s:/@{CJK_RANGES}]{{1,64}}:([^\s:/@{CJK_RANGES}]{{1,128}})@"
            )),
            ctx_phone: words(&[
                "phone",
                "tel:",
                "tel.",
                "tel ",
                "telephone",
                "call",
                "mobile",
                "cell",
                "fax",
                "whatsapp",
                "sms",
                "text me",
                "reach me",
                "contact",
                "dial",
                "telefon",
                "téléphone",
                "numéro",
                "número",
                "numero",
                "handy",
                "ph:",
                "ph.",
                "mob:",
                "landline",
                "hotline",
                "called",
                "calling",
                "calls",
                "phoned",
                "dialed",
                "texted",
                "ring",
                "mob",
                "mob.",
                "cellphone",
                "tlf",
                "tfn",
            ]),
            ctx_not_phone: words(&[
                "order",
                "invoice",
                "ticket",
                "ref",
                "#",
                "id:",
                "id ",
                "no.",
                "account",
                "acct",
                "tracking",
                "serial",
                "sku",
                "isbn",
                "case",
                "po ",
                "transaction",
                "version",
            ]),
            ctx_ssn: words(&[
                "ssn",
                "social security",
                "ss#",
                "ss #",
                "social sec",
                "taxpayer",
                "tin:",
                "itin",
            ]),
            ctx_card: words(&[
                "card",
                "visa",
                "mastercard",
                "amex",
                "american express",
                "discover",
                "credit",
                "debit",
                "cc:",
                "cc#",
                "cc ",
                "payment",
                "pan",
                "jcb",
                "diners",
                "maestro",
            ]),
            ctx_net: words(&[
                "ip", "host", "server", "address", "addr", "client", "connect", "ping", "dns",
                "gateway", "router", "subnet", "proxy", "firewall", "inet", "from", "src", "dst",
                "remote", "login", "blocked", "allow", "deny", "peer", "node",
            ]),
            ctx_version: words(&[
                "version",
                "v",
                "ver",
                "release",
                "build",
                "firmware",
                "android",
                "ios",
                "chrome",
                "firefox",
                "python",
                "node",
                "rust",
                "go ",
                "java",
                "upgrade",
                "update",
                "section",
                "chapter",
                "figure",
                "table",
                "step",
                "rule",
                "clause",
                "article",
                "paragraph",
                "item",
                "appendix",
                "oid",
                "sdk",
                "api level",
                "patch",
            ]),
            ctx_aws: words(&[
                "aws_secret",
                "secret_access_key",
                "secretaccesskey",
                "secret access key",
                "aws secret",
                "aws_session",
                "aws",
            ]),
            ctx_crypto: words(&[
                "eth", "ether", "wallet", "address", "crypto", "send", "usdt", "usdc", "token",
                "metamask", "deposit", "withdraw", "bitcoin", "btc",
            ]),
            person: person::Person::new(),
            location: location::Location::new(),
        }
    }

    /// Findings in `text`, sorted by start, non-overlapping.
    pub fn detect(&self, text: &str, direction: Direction) -> Vec<Finding> {
        resolve(self.candidates(text, direction))
    }

    /// Every candidate scoring at least [`MIN_SCORE`], before overlap resolution (possibly
    /// overlapping, unsorted). The streaming masker uses these to know which spans may still
    /// change.
    pub fn candidates(&self, text: &str, _direction: Direction) -> Vec<Finding> {
        let mut out = Vec::new();
        let bytes = text.as_bytes();
        let digit_count = bytes.iter().filter(|b| b.is_ascii_digit()).count();
        if memchr(bytes, b'@') {
            self.emails(text, &mut out);
        }
        if memchr(bytes, b'/') || memchr(bytes, b'.') {
            self.urls(text, &mut out);
        }
        if digit_count >= 4 {
            self.ipv4s(text, &mut out);
        }
        if digit_count >= 7 {
            self.phones(text, &mut out);
            self.ssns(text, &mut out);
        }
        if digit_count >= 12 {
            self.cards(text, &mut out);
        }
        if digit_count >= 2 {
            self.ibans(text, &mut out);
        }
        if memchr(bytes, b':') {
            self.ipv6s(text, &mut out);
        }
        self.crypto(text, &mut out);
        self.secrets(text, &mut out);
        if memchr(bytes, b'@') {
            self.userinfo_passwords(text, &mut out);
        }
        if memchr(bytes, b'-') {
            self.private_keys(text, &mut out);
        }
        self.person.find(text, &mut out);
        if digit_count >= 1 {
            self.location.find(text, &mut out);
        }
        out.retain(|f| f.score >= MIN_SCORE && f.end <= text.len() && f.start < f.end);
        out
    }

    fn emails(&self, text: &str, out: &mut Vec<Finding>) {
        let bytes = text.as_bytes();
        for m in self.email.find_iter(text) {
            let mut s = m.start();
            while s < m.end() && bytes[s] == b'.' {
                s += 1;
            }
            if bytes.get(s) == Some(&b'@') || is_word(next_char(text, m.end())) {
                continue;
            }
            push(out, EntityType::EmailAddress, s, m.end(), 0.95);
        }
    }

    fn urls(&self, text: &str, out: &mut Vec<Finding>) {
        for m in self.url.find_iter(text) {
            let s = m.start();
            if is_word(prev_char(text, s)) {
                continue;
            }
            let e = trim_url_end(text, s, m.end());
            let slice = &text[s..e];
            let host_start = slice.find("://").map_or(0, |i| i + 3);
            let host = &slice[host_start..];
            if host.len() < 3
                || !host
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_alphanumeric() || c == '[')
            {
                continue;
            }
            push(out, EntityType::Url, s, e, 0.9);
        }
        // Bare `host.tld/path`: only searched around slashes, in runs of non-space text.
        let allowed = |b: u8| b > b' ' && !b"<>{}|\\^`".contains(&b);
        for (s, e) in run_matches(&self.bare_url, text, allowed, |b| b == b'/', 0, 6) {
            // Not inside a longer URL, path, email or word (`https://x.com/a`, `a@b.com/x`).
            let prev = prev_char(text, s);
            if is_word(prev) || matches!(prev, Some('/' | '.' | '@' | ':' | '-' | '\\')) {
                continue;
            }
            let e = trim_url_end(text, s, e);
            let slash = text[s..e].find('/').unwrap_or(0);
            // A path must follow the slash; a `:` in it makes a container image reference
            // (`ghcr.io/acme/web:2.3.1`), not a link.
            if e <= s + slash + 1 || text[s + slash..e].contains(':') {
                continue;
            }
            push(out, EntityType::Url, s, e, 0.8);
        }
    }

    fn phones(&self, text: &str, out: &mut Vec<Finding>) {
        let allowed = |b: u8| b.is_ascii_digit() || b" +().-/".contains(&b);
        for (s, e) in run_matches(&self.phone, text, allowed, |b| b.is_ascii_digit(), 7, 7) {
            let span = &text[s..e];
            let prev = prev_char(text, s);
            let plus = span.starts_with('+') || span.starts_with("(+");
            // `tel:+1…` and `phone=+44…` are fine; `v1.2-555…` and `$1,555…` are not phones.
            let bad_prev = if plus {
                is_word(prev)
            } else {
                is_word(prev)
                    || matches!(
                        prev,
                        Some('.' | '-' | '/' | ':' | ',' | '$' | '€' | '£' | '+')
                    )
            };
            if bad_prev {
                continue;
            }
            let next = next_char(text, e);
            if is_word(next) || next == Some('%') {
                continue;
            }
            if matches!(next, Some('.' | '-' | '/' | ':' | ','))
                && text[e..].chars().nth(1).is_some_and(|c| c.is_ascii_digit())
            {
                continue;
            }
            let digits = span.bytes().filter(u8::is_ascii_digit).count();
            if !(7..=15).contains(&digits) {
                continue;
            }
            if looks_like_date(span) {
                continue;
            }
            let ctx = before(text, s, 40);
            let phone_ctx = self.ctx_phone.is_match(ctx);
            let not_phone = !phone_ctx && self.ctx_not_phone.is_match(before(text, s, 16));
            let groups = span
                .split([' ', '.', '-'])
                .filter(|g| !g.is_empty())
                .count();
            let international = (plus && digits >= 8)
                || (span.starts_with("00") && groups >= 3 && (10..=15).contains(&digits));
            let nanp = is_nanp(span);
            let mut score: f32 = if international {
                0.85
            } else if nanp {
                0.75
            } else if phone_ctx {
                0.7
            } else {
                0.0
            };
            if phone_ctx {
                score += 0.1;
            }
            if not_phone {
                score -= 0.4;
            }
            push(out, EntityType::PhoneNumber, s, e, score);
        }
    }

    fn cards(&self, text: &str, out: &mut Vec<Finding>) {
        let allowed = |b: u8| b.is_ascii_digit() || b == b' ' || b == b'-';
        for (s, e) in run_matches(&self.digits, text, allowed, |b| b.is_ascii_digit(), 13, 13) {
            if is_word(prev_char(text, s)) || is_word(next_char(text, e)) {
                continue;
            }
            if matches!(prev_char(text, s), Some('.' | '-' | '+')) {
                continue;
            }
            let groups: Vec<(usize, usize)> = group_spans(text, s, e);
            // Try runs of whole groups holding 13–19 digits, from the left, longest first;
            // runs are grown group by group and stop past 19 digits, so this is linear.
            let mut found = None;
            'outer: for i in 0..groups.len() {
                let mut digits = [0u8; 19];
                let mut n = 0;
                let mut best = None;
                for (j, &(gs, ge)) in groups.iter().enumerate().skip(i) {
                    let group = &text.as_bytes()[gs..ge];
                    if n + group.len() > digits.len() {
                        break;
                    }
                    digits[n..n + group.len()].copy_from_slice(group);
                    n += group.len();
                    if n >= 13 {
                        let d = &digits[..n];
                        if validate::luhn(d)
                            && validate::card_iin_ok(d)
                            && consistent_separators(&text[groups[i].0..groups[j].1])
                        {
                            best = Some((groups[i].0, groups[j].1));
                        }
                    }
                }
                if best.is_some() {
                    found = best;
                    break 'outer;
                }
            }
            if let Some((gs, ge)) = found {
                let score = if self.ctx_card.is_match(before(text, gs, 48)) {
                    0.98
                } else {
                    0.9
                };
                push(out, EntityType::CreditCard, gs, ge, score);
            }
        }
    }

    fn ssns(&self, text: &str, out: &mut Vec<Finding>) {
        let allowed = |b: u8| b.is_ascii_digit() || b == b' ' || b == b'-';
        for (s, e) in run_matches(&self.ssn, text, allowed, |b| b.is_ascii_digit(), 9, 9) {
            let span = &text[s..e];
            let prev = prev_char(text, s);
            let next = next_char(text, e);
            if is_word(prev) || is_word(next) || matches!(prev, Some('-' | '.' | '+' | '/')) {
                continue;
            }
            if matches!(next, Some('-' | '.' | '/'))
                && text[e..].chars().nth(1).is_some_and(|c| c.is_ascii_digit())
            {
                continue;
            }
            let digits: Vec<u8> = span.bytes().filter(u8::is_ascii_digit).collect();
            if !validate::ssn_ok(&digits) {
                continue;
            }
            let ctx = self.ctx_ssn.is_match(before(text, s, 48));
            let score = if span.contains('-') {
                if ctx { 0.95 } else { 0.75 }
            } else if ctx {
                0.85
            } else {
                0.0
            };
            push(out, EntityType::UsSsn, s, e, score);
        }
    }

    fn ibans(&self, text: &str, out: &mut Vec<Finding>) {
        // The shortest IBAN (Norway) has 15 characters.
        let allowed = |b: u8| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b' ';
        for (s, me) in run_matches(&self.iban, text, allowed, |b| b.is_ascii_digit(), 2, 15) {
            if is_word(prev_char(text, s)) {
                continue;
            }
            let bytes = &text.as_bytes()[s..me];
            let Some(len) = validate::iban_length(&bytes[..2]) else {
                continue;
            };
            let mut compact = Vec::with_capacity(34);
            let mut end = None;
            for (i, &b) in bytes.iter().enumerate() {
                if b == b' ' {
                    continue;
                }
                compact.push(b);
                if compact.len() == len {
                    end = Some(i + 1);
                    break;
                }
            }
            let Some(end) = end else {
                continue;
            };
            let e = s + end;
            if is_word(next_char(text, e)) || !validate::iban_mod97(&compact) {
                continue;
            }
            push(out, EntityType::IbanCode, s, e, 0.95);
        }
    }

    fn ipv4s(&self, text: &str, out: &mut Vec<Finding>) {
        let allowed = |b: u8| b.is_ascii_digit() || b == b'.';
        for (s, e) in run_matches(&self.ipv4, text, allowed, |b| b.is_ascii_digit(), 4, 7) {
            let prev = prev_char(text, s);
            if is_word(prev) || matches!(prev, Some('.' | '-')) {
                continue;
            }
            let next = next_char(text, e);
            if is_word(next) {
                continue;
            }
            if matches!(next, Some('.' | '-'))
                && text[e..]
                    .chars()
                    .nth(1)
                    .is_some_and(|c| c.is_ascii_alphanumeric())
            {
                continue;
            }
            let Ok(addr) = text[s..e].parse::<Ipv4Addr>() else {
                continue;
            };
            let ctx = before(text, s, 24);
            if self.ctx_version.is_match(before(text, s, 12)) && !self.ctx_net.is_match(ctx) {
                continue;
            }
            let small = addr.octets().iter().all(|&o| o < 10);
            let score = if self.ctx_net.is_match(ctx) {
                0.95
            } else if small {
                0.6
            } else {
                0.85
            };
            push(out, EntityType::IpAddress, s, e, score);
        }
    }

    fn ipv6s(&self, text: &str, out: &mut Vec<Finding>) {
        for m in self.ipv6.find_iter(text) {
            let s = m.start();
            let mut e = m.end();
            let prev = prev_char(text, s);
            if is_word(prev) || matches!(prev, Some(':' | '.')) {
                continue;
            }
            // Trailing sentence dots and a single trailing colon are punctuation.
            while e > s && text.as_bytes()[e - 1] == b'.' {
                e -= 1;
            }
            if e >= s + 2 && text.as_bytes()[e - 1] == b':' && text.as_bytes()[e - 2] != b':' {
                e -= 1;
            }
            if is_word(next_char(text, e)) {
                continue;
            }
            let cand = &text[s..e];
            if cand.parse::<Ipv6Addr>().is_err() {
                continue;
            }
            let hex = cand.bytes().filter(u8::is_ascii_hexdigit).count();
            let colons = cand.bytes().filter(|&b| b == b':').count();
            if !(cand == "::1" || hex >= 4 && (colons >= 3 || cand.contains("::"))) {
                continue;
            }
            push(out, EntityType::IpAddress, s, e, 0.85);
        }
    }

    fn crypto(&self, text: &str, out: &mut Vec<Finding>) {
        for m in self.btc.find_iter(text) {
            let (s, e) = (m.start(), m.end());
            if is_word(prev_char(text, s)) || is_word(next_char(text, e)) {
                continue;
            }
            if validate::btc_base58check(m.as_str()) {
                push(out, EntityType::Crypto, s, e, 0.95);
            }
        }
        for m in self.bech32.find_iter(text) {
            let (s, e) = (m.start(), m.end());
            if is_word(prev_char(text, s)) || is_word(next_char(text, e)) {
                continue;
            }
            if validate::bech32_ok(m.as_str()) {
                push(out, EntityType::Crypto, s, e, 0.95);
            }
        }
        for m in self.eth.find_iter(text) {
            let (s, e) = (m.start(), m.end());
            if is_word(prev_char(text, s)) || is_word(next_char(text, e)) {
                continue;
            }
            let score = if self.ctx_crypto.is_match(before(text, s, 48)) {
                0.95
            } else {
                0.8
            };
            push(out, EntityType::Crypto, s, e, score);
        }
    }

    fn secrets(&self, text: &str, out: &mut Vec<Finding>) {
        let tokenish = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
        for m in self.aws_key.find_iter(text) {
            if !tokenish(prev_char(text, m.start())) && !tokenish(next_char(text, m.end())) {
                push(out, EntityType::AwsAccessKey, m.start(), m.end(), 0.95);
            }
        }
        // `contains_any` is a fast substring prefilter for the word-boundary check.
        // One pass finds every key word; the regexes are tried only next to them.
        let hits: Vec<(usize, usize, usize)> = self
            .secret_words
            .0
            .iter()
            .flat_map(|ac| ac.find_iter(text))
            .map(|m| (m.pattern().as_usize(), m.start(), m.end()))
            .collect();
        let aws_words = hits.iter().any(|h| h.0 == AWS_WORD || h.0 == SECRET_WORD)
            && self.ctx_aws.is_match(text);
        if aws_words || self.aws_key.is_match(text) {
            let allowed = |b: u8| b.is_ascii_alphanumeric() || b == b'/' || b == b'+';
            for (s, e) in run_matches(
                &self.aws_secret,
                text,
                allowed,
                |b| b.is_ascii_digit() || b == b'/' || b == b'+',
                0,
                40,
            ) {
                let b64 = |c: Option<char>| {
                    c.is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '+'))
                };
                // `KEY=value` is fine before; a `=` after means a longer base64 blob.
                if b64(prev_char(text, s))
                    || b64(next_char(text, e))
                    || next_char(text, e) == Some('=')
                {
                    continue;
                }
                let v = &text[s..e];
                let classes = [
                    v.bytes().any(|b| b.is_ascii_uppercase()),
                    v.bytes().any(|b| b.is_ascii_lowercase()),
                    v.bytes()
                        .any(|b| b.is_ascii_digit() || b == b'/' || b == b'+'),
                ];
                if !classes.iter().all(|&c| c) || validate::entropy(v) < 3.5 {
                    continue;
                }
                let ctx = before(text, s, CONTEXT_BEFORE);
                // AWS wording (or an access key id) nearby; a bare `secret` is left to the
                // generic key/value detector so other vendors' secrets keep their type.
                let score = if self.ctx_aws.is_match(ctx) {
                    0.9
                } else if self.aws_key.is_match(ctx) {
                    0.8
                } else {
                    0.0
                };
                push(out, EntityType::AwsSecretKey, s, e, score);
            }
        }
        for m in self.github.find_iter(text) {
            if !tokenish(prev_char(text, m.start())) && !tokenish(next_char(text, m.end())) {
                push(out, EntityType::GithubToken, m.start(), m.end(), 0.97);
            }
        }
        for m in self.slack.find_iter(text) {
            if !tokenish(prev_char(text, m.start())) {
                push(out, EntityType::SlackToken, m.start(), m.end(), 0.96);
            }
        }
        for m in self.jwt.find_iter(text) {
            let s = m.start();
            let seg = |c: Option<char>| {
                c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            };
            if seg(prev_char(text, s)) {
                continue;
            }
            let header = m.as_str().split('.').next().unwrap_or("");
            if validate::jwt_header_ok(header) {
                push(out, EntityType::Jwt, s, m.end(), 0.97);
            }
        }
        for m in self.api_prefixed.find_iter(text) {
            let (s, e) = (m.start(), m.end());
            if tokenish(prev_char(text, s)) || tokenish(next_char(text, e)) {
                continue;
            }
            if validate::entropy(m.as_str()) >= 3.0 {
                push(out, EntityType::GenericApiKey, s, e, 0.9);
            }
        }
        let kv = word_anchored(text, &self.api_kv, &self.api_kv_at, &hits, KV_LEAD);
        for [all_start, v_start, v_end] in kv {
            // `my_api_key=` names a key, `notapi_key=` does not.
            if prev_char(text, all_start).is_some_and(|c| c.is_ascii_alphanumeric()) {
                continue;
            }
            let key = text[all_start..v_start].to_ascii_lowercase();
            let (s, mut e) = (v_start, v_end);
            // Sentence punctuation after an unquoted value is not part of it.
            let quoted = matches!(prev_char(text, s), Some('"' | '\''));
            while !quoted
                && e > s
                && matches!(text.as_bytes()[e - 1], b'.' | b',' | b'!' | b'&' | b'*')
            {
                e -= 1;
            }
            let value = &text[s..e];
            let is_password = key.contains("pass") || key.contains("pwd");
            if let Some(score) = secret_value_score(value, is_password) {
                push(out, EntityType::GenericApiKey, s, e, score);
            }
        }
        let bearer_hits: Vec<(usize, usize, usize)> = hits
            .iter()
            .copied()
            .filter(|h| h.0 == BEARER_WORD || h.0 == BASIC_WORD)
            .collect();
        let bearers = word_anchored(text, &self.bearer, &self.bearer_at, &bearer_hits, 0);
        for [all_start, v_start, v_end] in bearers {
            if tokenish(prev_char(text, all_start)) {
                continue;
            }
            let basic = text
                .get(all_start..all_start + 5)
                .is_some_and(|p| p.eq_ignore_ascii_case("basic"));
            let value = &text[v_start..v_end];
            let authorization = before(text, all_start, 24)
                .to_ascii_lowercase()
                .contains("authoriz");
            if basic && !authorization {
                continue;
            }
            if validate::entropy(value) >= 3.0 && value.bytes().any(|b| b.is_ascii_digit())
                || authorization
            {
                push(out, EntityType::GenericApiKey, v_start, v_end, 0.9);
            }
        }
    }

    /// Passwords in connection strings and URLs: `postgres://app:s3cr3t@db:5432/app`.
    fn userinfo_passwords(&self, text: &str, out: &mut Vec<Finding>) {
        for caps in self.userinfo.captures_iter(text) {
            let Some(v) = caps.get(1) else {
                continue;
            };
            if secret_value_score(v.as_str(), true).is_some() {
                push(out, EntityType::GenericApiKey, v.start(), v.end(), 0.85);
            }
        }
    }

    fn private_keys(&self, text: &str, out: &mut Vec<Finding>) {
        let mut from = 0;
        while let Some(m) = self.pem_begin.find_at(text, from) {
            let s = m.start();
            let limit = floor_boundary(text, s.saturating_add(PEM_CAP));
            let e = match self.pem_end.find(&text[m.end()..limit]) {
                Some(end) => m.end() + end.end(),
                None => limit,
            };
            push(out, EntityType::PrivateKey, s, e, 0.99);
            from = e.max(m.end());
            if from >= text.len() {
                break;
            }
        }
    }
}

impl Default for Detectors {
    fn default() -> Self {
        Detectors::new()
    }
}

/// Maximal runs of bytes that `allowed` accepts (every byte ≥ 0x80 is accepted, so runs end at
/// ASCII bytes, that is at char boundaries) holding an `anchor` byte, at least `min_digits`
/// ASCII digits and at least `min_len` bytes. A pattern whose matches only contain such bytes
/// finds the same matches in each run as in the whole text, so searching only the runs that
/// can hold an accepted match is a cheap prefilter: prose rarely has any. Runs are found by
/// jumping from anchor to anchor, so text without anchors costs one quick scan.
fn runs<'a>(
    bytes: &'a [u8],
    allowed: impl Fn(u8) -> bool + 'a,
    anchor: impl Fn(u8) -> bool + 'a,
    min_digits: usize,
    min_len: usize,
) -> impl Iterator<Item = (usize, usize)> + 'a {
    let ok = move |b: u8| b >= 0x80 || allowed(b);
    let mut i = 0;
    std::iter::from_fn(move || {
        loop {
            let next = i + find_byte(bytes.get(i..)?, &anchor)?;
            let mut start = next;
            while start > i && ok(bytes[start - 1]) {
                start -= 1;
            }
            let mut end = next;
            let mut digits = 0;
            while end < bytes.len() && ok(bytes[end]) {
                digits += usize::from(bytes[end].is_ascii_digit());
                end += 1;
            }
            i = end.max(next + 1);
            if end - start >= min_len.max(1) && digits >= min_digits {
                return Some((start, end));
            }
        }
    })
}

/// The first byte `pred` accepts. Checks 32 bytes at a time without branching (the compiler
/// vectorises that), so scanning prose for rare bytes such as digits is cheap.
fn find_byte(bytes: &[u8], pred: &impl Fn(u8) -> bool) -> Option<usize> {
    let mut base = 0;
    for chunk in bytes.chunks(32) {
        if chunk.iter().fold(false, |acc, &b| acc | pred(b)) {
            return chunk.iter().position(|&b| pred(b)).map(|i| base + i);
        }
        base += chunk.len();
    }
    None
}

/// Matches of `pat` inside the [`runs`] of `text`, as whole-text byte spans.
fn run_matches<'t>(
    pat: &'t Pat,
    text: &'t str,
    allowed: impl Fn(u8) -> bool + 't,
    anchor: impl Fn(u8) -> bool + 't,
    min_digits: usize,
    min_len: usize,
) -> impl Iterator<Item = (usize, usize)> + 't {
    runs(text.as_bytes(), allowed, anchor, min_digits, min_len).flat_map(move |(a, b)| {
        pat.find_iter(text.get(a..b).unwrap_or(""))
            .map(move |m| (a + m.start(), a + m.end()))
    })
}

/// The matches of `full` (a case-insensitive pattern with one capture group) as
/// `[match start, group start, group end]`, found by trying `anchored` (the same pattern
/// anchored at the haystack start) only from `lead` bytes before each occurrence of a
/// `words` entry to its end. Every match holds such a word that far from its start, so this
/// gives the same matches as scanning with `full`, without running a regex over prose. Text
/// holding the Kelvin sign or the long s (which match `k` and `s` case-insensitively but are
/// not ASCII) is scanned with `full`.
fn word_anchored(
    text: &str,
    full: &Pat,
    anchored: &Pat,
    hits: &[(usize, usize, usize)],
    lead: usize,
) -> Vec<[usize; 3]> {
    let spans = |c: regex::Captures<'_>, at: usize| {
        let (all, v) = (c.get(0)?, c.get(1)?);
        Some([at + all.start(), at + v.start(), at + v.end()])
    };
    let Some(at_re) = &anchored.0 else {
        return Vec::new();
    };
    if !text.is_ascii() && text.contains(['\u{212A}', '\u{17F}']) {
        return full
            .captures_iter(text)
            .filter_map(|c| spans(c, 0))
            .collect();
    }
    let mut out = Vec::new();
    // Positions below `next` were tried or lie inside a match.
    let mut next = 0;
    // Non-overlapping hits (fast); a word glued inside a hit (`passecret`) is covered by also
    // trying every position inside the hit.
    for &(_, k, hit_end) in hits {
        for p in k.saturating_sub(lead).max(next)..hit_end {
            if !text.is_char_boundary(p) || !at_re.is_match(&text[p..]) {
                continue;
            }
            if let Some(sp) = at_re.captures(&text[p..]).and_then(|c| spans(c, p)) {
                // The group ends the match, so its end is where the next search starts.
                next = sp[2];
                out.push(sp);
            }
            break;
        }
        next = next.max(hit_end);
    }
    out
}

fn memchr(bytes: &[u8], needle: u8) -> bool {
    bytes.contains(&needle)
}

/// Drops trailing sentence punctuation and unbalanced closing brackets from a URL.
fn trim_url_end(text: &str, s: usize, mut e: usize) -> usize {
    loop {
        let slice = &text[s..e];
        let Some(last) = slice.chars().next_back() else {
            return e;
        };
        let drop = match last {
            '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '"' | '*' | '…' => true,
            ')' => slice.matches('(').count() < slice.matches(')').count(),
            ']' => slice.matches('[').count() < slice.matches(']').count(),
            _ => false,
        };
        if !drop {
            return e;
        }
        e -= last.len_utf8();
    }
}

/// Byte spans of the digit groups of a card-like run (`4111 1111 …`).
fn group_spans(text: &str, s: usize, e: usize) -> Vec<(usize, usize)> {
    let mut groups = Vec::new();
    let mut start = None;
    for (i, b) in text.as_bytes()[s..e].iter().enumerate() {
        if b.is_ascii_digit() {
            start.get_or_insert(s + i);
        } else if let Some(st) = start.take() {
            groups.push((st, s + i));
        }
    }
    if let Some(st) = start {
        groups.push((st, e));
    }
    groups
}

/// Card numbers use one kind of separator (or none).
fn consistent_separators(span: &str) -> bool {
    let spaces = span.contains(' ');
    let dashes = span.contains('-');
    !(spaces && dashes)
}

/// `2024-01-15`, `15.01.2024`, `01/15/2024`-like spans are dates, not phones.
fn looks_like_date(span: &str) -> bool {
    let parts: Vec<&str> = span
        .split(['-', '.', '/', ' '])
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() != 3 {
        return false;
    }
    let lens: Vec<usize> = parts.iter().map(|p| p.len()).collect();
    let num = |p: &str| p.parse::<u32>().unwrap_or(0);
    match lens.as_slice() {
        [4, 2, 2] => (1900..=2100).contains(&num(parts[0])) && num(parts[1]) <= 12,
        [2, 2, 4] | [1, 2, 4] | [2, 1, 4] | [1, 1, 4] => (1900..=2100).contains(&num(parts[2])),
        _ => false,
    }
}

/// North American shape: `(415) 555-0132`, `415-555-0132`, `415.555.0132`, `415 555 0132`,
/// with consistent separators and a valid area code.
fn is_nanp(span: &str) -> bool {
    let digits: Vec<u8> = span.bytes().filter(u8::is_ascii_digit).collect();
    let d = match digits.len() {
        10 => &digits[..],
        11 if digits[0] == b'1' => &digits[1..],
        _ => return false,
    };
    // Area codes start at 2; the exchange rule is not checked because documentation-style
    // numbers such as (555) 123-4567 are still someone's phone field.
    if d[0] < b'2' {
        return false;
    }
    if span.contains('(') {
        return true;
    }
    let seps: Vec<u8> = span.bytes().filter(|b| !b.is_ascii_digit()).collect();
    !seps.is_empty() && seps.iter().all(|&b| b == seps[0])
}

/// Whether a key/value value looks like a real secret; returns its score.
fn secret_value_score(value: &str, is_password: bool) -> Option<f32> {
    let lower = value.to_ascii_lowercase();
    const PLACEHOLDERS: [&str; 13] = [
        "xxx",
        "***",
        "your",
        "changeme",
        "redacted",
        "placeholder",
        "null",
        "none",
        "true",
        "false",
        "undefined",
        "<",
        "${",
    ];
    if PLACEHOLDERS.iter().any(|p| lower.contains(p)) || value.starts_with('$') {
        return None;
    }
    // Code, not a secret: `settings.OPENAI_API_KEY`, `os.environ.get`, `API_KEY_NAME`.
    let dotted_identifier = value.contains('.')
        && !value.bytes().any(|b| b.is_ascii_digit())
        && value.split('.').all(|part| {
            part.chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && part.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        });
    let constant_name = value.bytes().all(|b| b.is_ascii_uppercase() || b == b'_');
    if dotted_identifier || constant_name || lower == "example" {
        return None;
    }
    let has_digit = value.bytes().any(|b| b.is_ascii_digit());
    let has_upper = value.bytes().any(|b| b.is_ascii_uppercase());
    let has_lower = value.bytes().any(|b| b.is_ascii_lowercase());
    let has_symbol = value.bytes().any(|b| !b.is_ascii_alphanumeric());
    if is_password {
        if value.len() >= 6 && (has_digit || has_symbol || has_upper && has_lower) {
            return Some(0.8);
        }
        return None;
    }
    let mixed = [has_digit, has_upper, has_lower]
        .iter()
        .filter(|&&c| c)
        .count();
    // Random keys of this length almost always hold a digit; letters only is usually a word
    // or an identifier (`getApiKeyFromVault`) unless it is long and very random.
    let random_enough = has_digit || (value.len() >= 32 && validate::entropy(value) >= 4.0);
    if value.len() >= 12 && mixed >= 2 && random_enough && validate::entropy(value) >= 3.0 {
        Some(0.85)
    } else {
        None
    }
}

#[cfg(test)]
mod tests;
