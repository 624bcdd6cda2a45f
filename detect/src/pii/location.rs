//! LOCATION: street addresses (North American / British, German and Dutch, French, Spanish /
//! Italian / Portuguese shapes), optionally followed by a city and postal code, and PO boxes.
//! Matches longer than [`super::MAX_SPACED_SPAN`] are dropped so decisions stay local.

use super::{Pat, Words, is_word, next_char, prev_char, re, words};
use crate::{EntityType, Finding};

/// Words one of which every address shape contains (case-insensitive substrings).
const TRIGGERS: &[&str] = &[
    "rue",
    "avenue",
    "av.",
    "boulevard",
    "bd",
    "place",
    "chemin",
    "allée",
    "impasse",
    "quai",
    "cours",
    "route",
    "square",
    "passage",
    "calle",
    "avenida",
    "avda.",
    "plaza",
    "paseo",
    "carrer",
    "via",
    "viale",
    "piazza",
    "corso",
    "largo",
    "rua",
    "travessa",
    "praça",
    "box",
    "postfach",
    "apartado",
    "postale",
    "st",
    "ave",
    "rd",
    "blvd",
    "ln",
    "dr",
    "ct",
    "pl",
    "pkwy",
    "way",
    "ter",
    "hwy",
    "sq",
    "cir",
    "trl",
    "close",
    "gardens",
    "mews",
    "row",
    "walk",
    "broadway",
    "alley",
    "loop",
    "pike",
    "freeway",
    "lane",
    "road",
    "court",
    "drive",
    "circle",
    "trail",
    "crescent",
    "highway",
    "expressway",
    "parkway",
    "straße",
    "strasse",
    "str.",
    "weg",
    "gasse",
    "platz",
    "allee",
    "ring",
    "damm",
    "ufer",
    "chaussee",
    "straat",
    "laan",
    "gracht",
    "plein",
    "gatan",
    "vägen",
    "gade",
    "vej",
    "veien",
    "carrera",
    // Shapes without a street word are recognised by their postcode: any digit lets them run.
    "0",
    "1",
    "2",
    "3",
    "4",
    "5",
    "6",
    "7",
    "8",
    "9",
];

#[derive(Debug)]
pub struct Location {
    /// Each pattern with its score and the words one of which must occur for it to match
    /// (a cheap prefilter: most texts hold no street word at all).
    patterns: Vec<(Pat, f32, Words)>,
}

impl Location {
    pub fn new() -> Self {
        let word = r"\p{Lu}[\p{Latin}\p{Greek}\p{Cyrillic}'’\-]*\.?";
        let suffix = r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|Parkway|Pkwy|Way|Terrace|Ter|Highway|Hwy|Square|Sq|Circle|Cir|Trail|Trl|Crescent|Close|Gardens|Mews|Row|Walk|Broadway|Plaza|Alley|Loop|Pike|Expressway|Freeway)(?-u:\b)\.?";
        let unit = r"(?:,?\s(?:Apt|Apartment|Suite|Ste|Unit|Floor|Fl|Room|Rm|#)\.?\s?#?[A-Za-z0-9\-]{1,6})?";
        let postcode =
            r"(?:\d{5}(?:-\d{4})?|[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}|[A-Z]\d[A-Z]\s?\d[A-Z]\d)";
        let country =
            r"(?:,\s(?:USA|U\.S\.A\.|United States|UK|United Kingdom|Canada|Australia|Ireland))?";
        let us = format!(
            r"\d{{1,5}}[A-Za-z]?(?:-\d{{1,4}})?\s{{1,2}}(?:(?:N|S|E|W|North|South|East|West)\.?\s)?(?:(?:(?:{word}|\d{{1,3}}(?:st|nd|rd|th))\s){{1,4}}{suffix}|Broadway){unit}(?:,?\s{{1,2}}(?:{word}\s?){{1,3}},?\s(?:[A-Z]{{2}}\s{{1,2}})?{postcode}{country})?"
        );
        let de = r"\p{Lu}[\p{Latin}\p{Greek}\p{Cyrillic}\-]*(?:straße|strasse|str\.|Straße|Strasse|weg|gasse|platz|allee|ring|damm|ufer|chaussee|straat|laan|gracht|plein|gatan|vägen|gade|vej|veien)\s\d{1,4}[a-z]?(?:\s?[\-/]\s?\d{1,4}[a-z]?)?(?:,?\s{1,2}(?:(?:D|A|CH)-)?(?:\d{4}\s?[A-Z]{2}|\d{4,5})\s\p{Lu}[\p{Latin}\p{Greek}\p{Cyrillic}\-]*)?";
        let fr = r"\d{1,4}(?:\s?(?:bis|ter))?,?\s(?i:rue|avenue|av\.|boulevard|bd|place|chemin|allée|impasse|quai|cours|route|square|passage)\s(?:(?:de|du|des|la|le|l'|d')\s?){0,2}\p{Lu}[\p{Latin}\p{Greek}\p{Cyrillic}\-'’]*(?:\s(?:(?:de|du|des|la|le)\s|l'|d')?\p{Lu}[\p{Latin}\p{Greek}\p{Cyrillic}\-'’]*){0,3}(?:,?\s{1,2}\d{5}\s\p{Lu}[\p{Latin}\p{Greek}\p{Cyrillic}\-]*)?";
        let es = r"(?i:calle|avenida|avda\.|plaza|paseo|carrer|via|viale|piazza|corso|largo|rua|travessa|praça)\s(?:(?:de|del|de la|dos|das|da|di|della|dei)\s)?\p{Lu}[\p{Latin}\p{Greek}\p{Cyrillic}\-'’]*(?:\s\p{Lu}[\p{Latin}\p{Greek}\p{Cyrillic}\-'’]*){0,3},?\s(?:n[º°o]\.?\s?)?\d{1,4}[a-zA-Z]?(?:,?\s{1,2}(?:\d{5}|\d{4}-\d{3})\s\p{Lu}[\p{Latin}\p{Greek}\p{Cyrillic}\-]*)?";
        let cap = r"\p{Lu}[\p{Latin}\p{Greek}\p{Cyrillic}\-'’]*";
        // A street named without a street word (`Unter den Linden 77`, `ul. Marszałkowska 1`),
        // recognised by the postcode and city after it (German/Spanish/Italian, Polish,
        // Portuguese, Dutch postcodes).
        let named = format!(
            r"(?:(?:ul|al|pl|os)\. )?{cap}(?: (?:(?:den|der|dem|de|di|del|della|la|le|von|van|do|da|dos) )?{cap}){{0,3}} \d{{1,4}}[a-zA-Z]?,?\s{{1,2}}(?:\d{{5}}|\d{{2}}-\d{{3}}|\d{{4}}-\d{{3}}|\d{{4}}\s?[A-Z]{{2}})\s{cap}"
        );
        // A British or Canadian street without a street word (`14 Kingsway, London WC2B 6UN`),
        // recognised by the city and postcode after it.
        let uk = format!(
            r"\d{{1,5}}[A-Za-z]? {word}(?: {word}){{0,2}},\s{{1,2}}{word}(?:\s{word})?,?\s{{1,2}}(?:[A-Z]{{2}}\s{{1,2}})?(?:[A-Z]{{1,2}}\d[A-Z\d]?\s?\d[A-Z]{{2}}|[A-Z]\d[A-Z]\s?\d[A-Z]\d)"
        );
        // Colombian-style grid addresses: `Carrera 7 # 71-21, Bogotá`.
        let grid = format!(
            r"(?i:calle|carrera|cra\.?|kra\.?|cl\.|avenida|av\.|transversal|diagonal|tv\.|dg\.)\s\d{{1,3}}[A-Za-z]?\s?(?:#|No\.?|N[º°o]\.?)\s?\d{{1,3}}[A-Za-z]?\s?-\s?\d{{1,3}}(?:,\s{cap}(?:\s{cap})?)?"
        );
        let pobox = r"(?i:p\.?\s?o\.?\s?box|post\soffice\sbox|postfach|apartado\sde\scorreos|apartado|boîte\spostale)\s\d{1,6}";
        Location {
            // One alternation: a single pass over the text instead of one per shape.
            patterns: vec![(
                re(&format!("{us}|{de}|{fr}|{grid}|{es}|{pobox}|{uk}|{named}")),
                0.8,
                words(TRIGGERS),
            )],
        }
    }

    #[cfg(test)]
    pub fn all_compiled(&self) -> bool {
        self.patterns
            .iter()
            .all(|(p, _, w)| p.compiled() && w.0.is_some())
    }

    pub fn find(&self, text: &str, out: &mut Vec<Finding>) {
        for (pattern, score, triggers) in &self.patterns {
            if !triggers.contains_any(text) {
                continue;
            }
            for m in pattern.find_iter(text) {
                let (s, mut e) = (m.start(), m.end());
                if is_word(prev_char(text, s)) {
                    continue;
                }
                // A trailing abbreviation dot that ends the sentence is not part of the address.
                if text[s..e].ends_with('.') && !text[s..e].ends_with("str.") {
                    let word_start = text[s..e - 1]
                        .rfind(|c: char| !c.is_alphanumeric())
                        .map_or(s, |i| s + i + 1);
                    let word = &text[word_start..e - 1];
                    if !matches!(
                        word,
                        "St" | "Ave" | "Rd" | "Blvd" | "Dr" | "Ln" | "Ct" | "Pl" | "Pkwy" | "Sq"
                    ) {
                        e -= 1;
                    }
                }
                if is_word(next_char(text, e)) || e - s > super::MAX_SPACED_SPAN {
                    continue;
                }
                out.push(Finding {
                    entity: EntityType::Location,
                    start: s,
                    end: e,
                    score: *score,
                });
            }
        }
    }
}

#[cfg(test)]
impl Location {
    pub fn patterns_for_bench(&self) -> &[(Pat, f32, Words)] {
        &self.patterns
    }
}
