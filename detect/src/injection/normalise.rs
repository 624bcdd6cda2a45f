//! One pass over the input that folds obfuscation away so one lexicon matches every spelling:
//! compatibility decomposition (fullwidth, mathematical alphanumerics, ligatures), accents
//! stripped, Cyrillic/Greek lookalikes mapped to their Latin skeleton, invisible characters
//! dropped, and Unicode tag characters decoded into a separate hidden channel. Everything that was
//! folded is counted, because the obfuscation itself is evidence.

use unicode_normalization::char::decompose_compatible;

/// The folded text and what it took to fold it.
#[derive(Debug, Default)]
pub(crate) struct Normalised {
    /// Lowercased skeleton; punctuation and line breaks kept (delimiter rules need them).
    pub lower: String,
    /// ASCII smuggled in Unicode tag characters (U+E0020..U+E007E), emoji flag sequences excluded.
    pub tags: String,
    pub tag_count: usize,
    /// Zero-width characters, soft hyphens, variation selectors and other invisible code points.
    pub invisible: usize,
    /// Invisible characters sitting between two letters (splitting a word to dodge matching).
    pub interleaved: usize,
    /// Bidirectional overrides and isolates.
    pub bidi: usize,
    /// Words mixing ASCII letters with Cyrillic/Greek lookalikes.
    pub mixed_words: usize,
    /// Letters folded from fullwidth or mathematical alphanumeric forms.
    pub compat_letters: usize,
}

/// Upper bound on decoded tag text: enough for any instruction, bounded for hostile input.
const MAX_TAG_TEXT: usize = 16 * 1024;

/// Latin skeleton of a Cyrillic or Greek letter that looks like one.
fn confusable(c: char) -> Option<char> {
    Some(match c {
        'а' | 'А' | 'α' | 'Α' => 'a',
        'В' | 'в' | 'Β' | 'β' | 'Ь' | 'ь' => 'b',
        'с' | 'С' | 'ϲ' | 'Ϲ' => 'c',
        'ԁ' => 'd',
        'е' | 'Е' | 'ё' | 'Ё' | 'ε' | 'Ε' => 'e',
        'ɡ' => 'g',
        'һ' | 'Н' | 'н' | 'Η' => 'h',
        'і' | 'І' | 'ї' | 'Ї' | 'ι' | 'Ι' | 'Ӏ' => 'i',
        'ј' | 'Ј' | 'ϳ' => 'j',
        'к' | 'К' | 'κ' | 'Κ' => 'k',
        'м' | 'М' | 'Μ' => 'm',
        'п' | 'Ν' | 'η' => 'n',
        'о' | 'О' | 'ο' | 'Ο' | 'σ' => 'o',
        'р' | 'Р' | 'ρ' | 'Ρ' => 'p',
        'ԛ' => 'q',
        'г' => 'r',
        'ѕ' | 'Ѕ' => 's',
        'т' | 'Т' | 'τ' | 'Τ' => 't',
        'υ' | 'μ' => 'u',
        'ν' | 'ѵ' => 'v',
        'ԝ' | 'ω' | 'ш' => 'w',
        'х' | 'Х' | 'χ' | 'Χ' => 'x',
        'у' | 'У' | 'Υ' | 'γ' => 'y',
        'Ζ' => 'z',
        _ => return None,
    })
}

fn is_combining(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

fn is_invisible(cp: u32) -> bool {
    matches!(
        cp,
        0x00AD | 0x034F | 0x061C | 0x115F | 0x1160 | 0x17B4 | 0x17B5 | 0x180B..=0x180E
            | 0x200B..=0x200D | 0x2060..=0x2064 | 0x3164 | 0xFE00..=0xFE0F | 0xFEFF | 0xFFA0
            | 0x1D173..=0x1D17A | 0xE0100..=0xE01EF
    )
}

fn is_bidi(cp: u32) -> bool {
    matches!(cp, 0x200E | 0x200F | 0x202A..=0x202E | 0x2066..=0x2069)
}

/// Folds `text`; linear in its length.
pub(crate) fn normalise(text: &str) -> Normalised {
    let mut n = Normalised {
        lower: String::with_capacity(text.len() + 8),
        ..Normalised::default()
    };
    // State for counting: letters either side of invisible characters, scripts within a word,
    // and whether a run of tag characters follows a black flag (subdivision flag emoji).
    let mut prev_letter = false;
    let mut pending_invisible = 0usize;
    let mut word_ascii = false;
    let mut word_conf = false;
    let mut after_flag = false;
    let mut tag_run_start: Option<usize> = None;
    let mut tag_run_flag = false;

    // A word written wholly in Cyrillic is Russian (or another Cyrillic language), not a
    // disguise: it is kept unfolded so the Cyrillic lexicon matches it. Its span in `lower` and
    // in `text` is remembered from its first Cyrillic letter (a word with Latin letters before
    // that is mixed, and folded); ASCII text never opens one.
    let mut word = Word::default();

    let end_word = |word_ascii: &mut bool, word_conf: &mut bool, n: &mut Normalised| {
        if *word_ascii && *word_conf {
            n.mixed_words += 1;
        }
        *word_ascii = false;
        *word_conf = false;
    };

    for (ci, c) in text.char_indices() {
        if word.open && !c.is_alphanumeric() && !is_invisible(c as u32) && !is_combining(c) {
            word.close(&mut n, text, word_ascii);
        }
        let cp = c as u32;
        if (0xE0000..=0xE007F).contains(&cp) {
            n.tag_count += 1;
            if tag_run_start.is_none() {
                tag_run_start = Some(n.tags.len());
                tag_run_flag = after_flag;
            }
            if (0xE0020..=0xE007E).contains(&cp)
                && n.tags.len() < MAX_TAG_TEXT
                && let Some(a) = char::from_u32(cp - 0xE0000)
            {
                n.tags.push(a);
            }
            continue;
        }
        if let Some(start) = tag_run_start.take() {
            close_tag_run(&mut n, start, tag_run_flag);
        }
        if c.is_ascii() {
            // Fast path: most text is ASCII and none of the invisible classes are.
            after_flag = false;
            if c.is_ascii_alphabetic() {
                if prev_letter && pending_invisible > 0 {
                    n.interleaved += pending_invisible;
                }
                word_ascii = true;
                prev_letter = true;
                n.lower.push(c.to_ascii_lowercase());
            } else {
                if !c.is_ascii_digit() {
                    end_word(&mut word_ascii, &mut word_conf, &mut n);
                }
                prev_letter = false;
                n.lower.push(if c == '\t' || c == '\r' { ' ' } else { c });
            }
            pending_invisible = 0;
            continue;
        }
        after_flag = cp == 0x1F3F4;
        if is_invisible(cp) {
            n.invisible += 1;
            pending_invisible += 1;
            continue;
        }
        if is_bidi(cp) {
            n.bidi += 1;
            continue;
        }
        if c.is_ascii() {
            let l = c.to_ascii_lowercase();
            if l.is_ascii_alphabetic() {
                if prev_letter && pending_invisible > 0 {
                    n.interleaved += pending_invisible;
                }
                word_ascii = true;
                prev_letter = true;
            } else if l.is_ascii_digit() {
                prev_letter = false;
            } else {
                prev_letter = false;
                end_word(&mut word_ascii, &mut word_conf, &mut n);
            }
            pending_invisible = 0;
            n.lower.push(if l == '\t' || l == '\r' { ' ' } else { l });
            continue;
        }
        if c.is_whitespace() {
            n.lower.push(if c == '\u{2028}' || c == '\u{2029}' {
                '\n'
            } else {
                ' '
            });
            prev_letter = false;
            pending_invisible = 0;
            end_word(&mut word_ascii, &mut word_conf, &mut n);
            continue;
        }
        match c {
            '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{2032}' | '\u{02BC}' => {
                n.lower.push('\'');
                prev_letter = false;
                pending_invisible = 0;
                continue;
            }
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{00AB}' | '\u{00BB}' => {
                n.lower.push('"');
                prev_letter = false;
                pending_invisible = 0;
                end_word(&mut word_ascii, &mut word_conf, &mut n);
                continue;
            }
            _ => {}
        }
        if c == '\u{131}' {
            // Turkish dotless i is a letter of its own alphabet, not a lookalike.
            word_ascii = true;
            prev_letter = true;
            pending_invisible = 0;
            n.lower.push('i');
            continue;
        }
        if matches!(cp, 0x3040..=0x30FF) {
            // Kana stay whole (decomposing would split a voiced kana into base and mark).
            prev_letter = true;
            pending_invisible = 0;
            n.lower.push(c);
            continue;
        }
        if let Some(a) = confusable(c) {
            if prev_letter && pending_invisible > 0 {
                n.interleaved += pending_invisible;
            }
            pending_invisible = 0;
            word_conf = true;
            prev_letter = true;
            let before = n.lower.len();
            n.lower.push(a);
            if word.open || (is_cyrillic(c) && !word_ascii) {
                word.letter(before, n.lower.len(), ci, c, is_cyrillic(c));
            }
            continue;
        }
        let mut letter = false;
        let mut compat = false;
        let before = n.lower.len();
        let lower = &mut n.lower;
        decompose_compatible(c, |d| {
            if is_combining(d) {
                return;
            }
            if d != c && d.is_ascii_alphanumeric() {
                compat = true;
            }
            for l in d.to_lowercase() {
                let l = confusable(l).unwrap_or(l);
                letter |= l.is_alphabetic();
                lower.push(l);
            }
        });
        // Fullwidth/mathematical letters are Latin in disguise: they count as ASCII for the
        // mixed-script test, and separately as compatibility-folded letters.
        if compat {
            n.compat_letters += 1;
        }
        if letter {
            if prev_letter && pending_invisible > 0 {
                n.interleaved += pending_invisible;
            }
            prev_letter = true;
            if word.open || (is_cyrillic(c) && !word_ascii) {
                word.letter(before, n.lower.len(), ci, c, is_cyrillic(c));
            }
        } else {
            prev_letter = false;
            end_word(&mut word_ascii, &mut word_conf, &mut n);
        }
        pending_invisible = 0;
    }
    if let Some(start) = tag_run_start.take() {
        close_tag_run(&mut n, start, tag_run_flag);
    }
    if word.open {
        word.close(&mut n, text, word_ascii);
    }
    end_word(&mut word_ascii, &mut word_conf, &mut n);
    n
}

fn is_cyrillic(c: char) -> bool {
    matches!(c as u32, 0x0400..=0x04FF)
}

/// The word being folded: where it sits in the folded and the raw text, and whether it has
/// Cyrillic letters.
#[derive(Default)]
struct Word {
    open: bool,
    cyrillic: bool,
    lower_start: usize,
    lower_end: usize,
    raw_start: usize,
    raw_end: usize,
}

impl Word {
    /// Records a letter folded into `lower[before..after]` from `c` at byte `at` of the text.
    fn letter(&mut self, before: usize, after: usize, at: usize, c: char, cyrillic: bool) {
        if !self.open {
            self.open = true;
            self.cyrillic = false;
            self.lower_start = before;
            self.raw_start = at;
        }
        self.cyrillic |= cyrillic;
        self.lower_end = after;
        self.raw_end = at + c.len_utf8();
    }

    /// A word of Cyrillic letters with no Latin ones goes back to its own script.
    fn close(&mut self, n: &mut Normalised, text: &str, word_ascii: bool) {
        self.open = false;
        if !self.cyrillic || word_ascii || self.lower_end > n.lower.len() {
            return;
        }
        let Some(raw) = text.get(self.raw_start..self.raw_end) else {
            return;
        };
        let mut native = String::with_capacity(raw.len());
        for ch in raw.chars() {
            if is_invisible(ch as u32) || is_bidi(ch as u32) {
                continue;
            }
            decompose_compatible(ch, |d| {
                if !is_combining(d) {
                    native.extend(d.to_lowercase());
                }
            });
        }
        if n.lower.is_char_boundary(self.lower_start) && n.lower.is_char_boundary(self.lower_end) {
            n.lower
                .replace_range(self.lower_start..self.lower_end, &native);
        }
    }
}

/// A short tag run right after a black flag is a subdivision flag (England, Scotland, Wales):
/// legitimate emoji, not hidden text.
fn close_tag_run(n: &mut Normalised, start: usize, after_flag: bool) {
    let len = n.tags.len().saturating_sub(start);
    if after_flag && len <= 8 {
        n.tags.truncate(start);
        n.tag_count = n.tag_count.saturating_sub(len + 1);
    } else if !n.tags.is_empty() && !n.tags.ends_with(' ') {
        n.tags.push(' ');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_fullwidth_math_accents_and_lookalikes() {
        assert_eq!(normalise("ＩＧＮＯＲＥ").lower, "ignore");
        assert_eq!(normalise("𝐢𝐠𝐧𝐨𝐫𝐞").lower, "ignore");
        assert_eq!(normalise("précédentes").lower, "precedentes");
        let n = normalise("ignоre prеvious");
        assert_eq!(n.lower, "ignore previous");
        assert_eq!(n.mixed_words, 2);
    }

    #[test]
    fn genuine_cyrillic_words_stay_cyrillic() {
        assert_eq!(normalise("Игнорируй все, ОК?").lower, "игнорируи все, ок?");
        // A Latin word with a Cyrillic lookalike is a disguise and is folded.
        let n = normalise("ignоre Кто");
        assert_eq!(n.lower, "ignore кто");
        assert_eq!(n.mixed_words, 1);
        assert_eq!(normalise("kısıtlama").mixed_words, 0);
        assert_eq!(normalise("プロンプト").lower, "プロンプト");
    }

    #[test]
    fn drops_invisible_and_decodes_tags() {
        let n = normalise("ig\u{200B}no\u{200D}re");
        assert_eq!(n.lower, "ignore");
        assert_eq!(n.interleaved, 2);
        let hidden: String = "hi there"
            .chars()
            .filter_map(|c| char::from_u32(c as u32 + 0xE0000))
            .collect();
        let n = normalise(&format!("hello{hidden}"));
        assert_eq!(n.lower, "hello");
        assert_eq!(n.tags.trim(), "hi there");
        assert_eq!(n.tag_count, 8);
    }

    #[test]
    fn flag_emoji_is_not_hidden_text() {
        let n = normalise("\u{1F3F4}\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F} go");
        assert_eq!(n.tag_count, 0);
        assert!(n.tags.is_empty());
    }
}
