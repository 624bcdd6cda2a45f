//! Random texts mixing prose, Unicode and real entities, shared by the property tests.
#![allow(dead_code)]

use proptest::prelude::*;

pub const PIECES: &[&str] = &[
    "the",
    "weather",
    "is",
    "nice",
    "and",
    "we",
    "went",
    "to",
    "see",
    "it",
    "please",
    "call",
    "The",
    "Meeting",
    "Report",
    "May",
    "Will",
    "Monday",
    "New York",
    "version 1.2.3.4",
    "naïve",
    "café",
    "日本語のテキスト",
    "emoji 🎉🚀",
    "Ünïcødé",
    "Привет",
    "مرحبا",
    "—",
    "…",
    "jane.doe@example.com",
    "ops+alerts@acme.io",
    "+44 20 7946 0958",
    "(415) 555-0132",
    "+1 (415) 555-0132",
    "415.555.0132",
    "+33 1 42 68 53 00",
    "Tel: 030 901820",
    "4111 1111 1111 1111",
    "5555-5555-5555-4444",
    "378282246310005",
    "SSN 123-45-6789",
    "DE89 3704 0044 0532 0130 00",
    "GB82WEST12345698765432",
    "192.168.1.20",
    "10.0.0.1",
    "2001:db8::8a2e:370:7334",
    "https://example.com/path?q=1",
    "(see https://docs.rs/regex).",
    "www.acme.org",
    "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",
    "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
    "0x52908400098527886E0F7030069857D2E4169EE7",
    "AKIAIOSFODNN7EXAMPLE",
    "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "ghp_1234567890abcdefghijklmnopqrstuvwxyzAB",
    "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
    "api_key=Zx81kPq2Lm93Vb7Tz0Rq",
    "Authorization: Bearer abcDEF123ghiJKL456mno",
    "sk-proj-abc123DEF456ghi789JKL012mno",
    "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7\nabcDEF==\n-----END RSA PRIVATE KEY-----",
    "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg",
    "Jane Doe",
    "Dr. Amara Okafor",
    "Mr Chen",
    "my name is Olamide Adeyemi",
    "Dear Sarah,",
    "Ludwig van Beethoven",
    "José García",
    "Priya Sharma",
    "1600 Amphitheatre Parkway, Mountain View, CA 94043",
    "221B Baker Street, London NW1 6XE",
    "Hauptstraße 5, 10115 Berlin",
    "12 rue de la Paix, 75002 Paris",
    "P.O. Box 1234",
    "2024-01-15",
    "12:30:45",
    "$1,234.56",
    "order #123-456-7890",
    "9fceb02d0ae598e95dc970b74767f19372d61af8",
    "123e4567-e89b-12d3-a456-426614174000",
    "联系jane.doe@example.com谢谢",
    "電話+81 3 5555 1234です",
    "访问https://example.com/路径。",
    "name:Jane Doe",
    "phone:+44 20 7946 0958",
];

const SEPARATORS: &[&str] = &[" ", " ", " ", "\n", ", ", ". ", "", "\t", "  ", ": "];

/// A text of 0–40 pieces with random separators.
pub fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        (
            prop::sample::select(PIECES),
            prop::sample::select(SEPARATORS),
        ),
        0..40,
    )
    .prop_map(|parts| {
        let mut s = String::new();
        for (p, sep) in parts {
            s.push_str(p);
            s.push_str(sep);
        }
        s
    })
}

/// A longer text (up to ~200 pieces, several KB), so kept context is trimmed repeatedly.
pub fn long_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        (
            prop::sample::select(PIECES),
            prop::sample::select(SEPARATORS),
        ),
        50..200,
    )
    .prop_map(|parts| parts.into_iter().flat_map(|(p, s)| [p, s]).collect())
}

/// Splits `text` at char boundaries chosen by `cuts` (each a fraction of the length).
pub fn chunks(text: &str, cuts: &[u16]) -> Vec<String> {
    let bounds: Vec<usize> = text.char_indices().map(|(i, _)| i).skip(1).collect();
    let mut points: Vec<usize> = cuts
        .iter()
        .filter(|_| !bounds.is_empty())
        .map(|c| bounds[usize::from(*c) % bounds.len()])
        .collect();
    points.sort_unstable();
    points.dedup();
    let mut out = Vec::new();
    let mut last = 0;
    for p in points {
        out.push(text[last..p].to_string());
        last = p;
    }
    out.push(text[last..].to_string());
    out
}
