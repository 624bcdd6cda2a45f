//! Acting on findings: allow, mask with consistent numbered placeholders, redact, or block.

use crate::{EntityType, Finding};
use std::collections::HashMap;

/// What to do with one finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Action {
    #[default]
    Allow,
    /// Replace with a numbered placeholder (`<EMAIL_ADDRESS_1>`) that can be restored later.
    Mask,
    /// Replace with `<REDACTED>`; nothing to restore.
    Redact,
    /// Refuse the whole text.
    Block,
}

/// The action for each entity type; types not listed are allowed.
pub type ActionTable = HashMap<EntityType, Action>;

/// Value ↔ placeholder pairs for one exchange (a request and its response): the same value always
/// gets the same placeholder, numbered per type in order of first appearance, so a conversation
/// resent turn after turn is masked the same way every time.
#[derive(Debug, Clone, Default)]
pub struct Placeholders {
    /// Per type, value → placeholder (nested so a lookup borrows the value, no allocation).
    by_value: HashMap<EntityType, HashMap<String, String>>,
    by_placeholder: HashMap<String, String>,
    counters: HashMap<EntityType, u32>,
}

impl Placeholders {
    /// The placeholder for `value`, allocating the next number for its type if it is new.
    pub fn placeholder(&mut self, entity: EntityType, value: &str) -> String {
        self.placeholder_ref(entity, value).to_string()
    }

    /// Like [`Placeholders::placeholder`] without allocating when the value is known.
    fn placeholder_ref(&mut self, entity: EntityType, value: &str) -> &str {
        let values = self.by_value.entry(entity).or_default();
        if !values.contains_key(value) {
            let n = self.counters.entry(entity).or_insert(0);
            *n += 1;
            let placeholder = format!("<{}_{}>", entity.as_str(), n);
            self.by_placeholder
                .insert(placeholder.clone(), value.to_string());
            values.insert(value.to_string(), placeholder);
        }
        values.get(value).map_or("", String::as_str)
    }

    /// The original value behind a placeholder.
    pub fn original(&self, placeholder: &str) -> Option<&str> {
        self.by_placeholder.get(placeholder).map(String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.by_placeholder.is_empty()
    }

    /// Puts the original values back in place of every known placeholder in `text`.
    pub fn restore(&self, text: &str) -> String {
        self.restore_where(text, |_| true)
    }

    /// Like [`Placeholders::restore`], for the placeholders `restorable` accepts only (policy may
    /// keep some types masked in responses).
    pub fn restore_where(&self, text: &str, restorable: impl Fn(&str) -> bool) -> String {
        if self.by_placeholder.is_empty() {
            return text.to_string();
        }
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(open) = rest.find('<') {
            out.push_str(&rest[..open]);
            let candidate = &rest[open..];
            // A placeholder is `<` + upper-case letters, digits and `_` + `>`; anything else
            // after a `<` is left as is and the search resumes right after that `<`.
            let len = candidate[1..]
                .bytes()
                .take_while(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || *b == b'_')
                .count();
            let token = candidate
                .get(..len + 2)
                .filter(|t| t.ends_with('>') && restorable(t));
            match token.and_then(|t| self.by_placeholder.get(t).map(|o| (t, o))) {
                Some((t, original)) => {
                    out.push_str(original);
                    rest = &candidate[t.len()..];
                }
                None => {
                    out.push('<');
                    rest = &candidate[1..];
                }
            }
        }
        out.push_str(rest);
        out
    }
}

/// The text after acting on its findings.
#[derive(Debug, Clone, PartialEq)]
pub struct Masked {
    pub text: String,
    /// The first finding whose action is `Block`, if any; the caller must not send `text`.
    pub blocked: Option<EntityType>,
    /// How many findings were masked or redacted.
    pub changed: usize,
}

/// Applies `actions` to `findings` (sorted, non-overlapping byte spans of `text`).
pub fn apply(
    text: &str,
    findings: &[Finding],
    actions: &ActionTable,
    placeholders: &mut Placeholders,
) -> Masked {
    let mut out = String::with_capacity(text.len());
    let mut cursor = 0;
    let mut blocked = None;
    let mut changed = 0;
    for finding in findings {
        let action = actions.get(&finding.entity).copied().unwrap_or_default();
        let Some(value) = text.get(finding.start..finding.end) else {
            continue;
        };
        if finding.start < cursor {
            continue;
        }
        match action {
            Action::Allow => continue,
            Action::Block => {
                blocked.get_or_insert(finding.entity);
                continue;
            }
            Action::Mask => {
                out.push_str(&text[cursor..finding.start]);
                out.push_str(placeholders.placeholder_ref(finding.entity, value));
            }
            Action::Redact => {
                out.push_str(&text[cursor..finding.start]);
                out.push_str("<REDACTED>");
            }
        }
        changed += 1;
        cursor = finding.end;
    }
    out.push_str(&text[cursor..]);
    Masked {
        text: out,
        blocked,
        changed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(entity: EntityType, start: usize, end: usize) -> Finding {
        Finding {
            entity,
            start,
            end,
            score: 0.9,
        }
    }

    fn all(action: Action) -> ActionTable {
        EntityType::ALL.into_iter().map(|e| (e, action)).collect()
    }

    #[test]
    fn numbers_per_type_in_order_and_reuses() {
        let text = "a@x.io b@x.io a@x.io Jane";
        let findings = [
            f(EntityType::EmailAddress, 0, 6),
            f(EntityType::EmailAddress, 7, 13),
            f(EntityType::EmailAddress, 14, 20),
            f(EntityType::Person, 21, 25),
        ];
        let mut ph = Placeholders::default();
        let m = apply(text, &findings, &all(Action::Mask), &mut ph);
        assert_eq!(
            m.text,
            "<EMAIL_ADDRESS_1> <EMAIL_ADDRESS_2> <EMAIL_ADDRESS_1> <PERSON_1>"
        );
        assert_eq!(m.changed, 4);
        assert_eq!(m.blocked, None);
        assert_eq!(ph.restore(&m.text), text);
        assert_eq!(ph.original("<PERSON_1>"), Some("Jane"));
        // A later text in the same exchange keeps the numbering.
        let m2 = apply(
            "b@x.io",
            &[f(EntityType::EmailAddress, 0, 6)],
            &all(Action::Mask),
            &mut ph,
        );
        assert_eq!(m2.text, "<EMAIL_ADDRESS_2>");
    }

    #[test]
    fn redact_block_allow() {
        let text = "key AKIAIOSFODNN7EXAMPLE mail a@x.io";
        let findings = [
            f(EntityType::AwsAccessKey, 4, 24),
            f(EntityType::EmailAddress, 30, 36),
        ];
        let mut actions = ActionTable::new();
        actions.insert(EntityType::AwsAccessKey, Action::Redact);
        let mut ph = Placeholders::default();
        let m = apply(text, &findings, &actions, &mut ph);
        assert_eq!(m.text, "key <REDACTED> mail a@x.io");
        assert!(ph.is_empty());
        actions.insert(EntityType::EmailAddress, Action::Block);
        let m = apply(text, &findings, &actions, &mut ph);
        assert_eq!(m.blocked, Some(EntityType::EmailAddress));
    }

    #[test]
    fn ignores_bad_spans() {
        let text = "héllo";
        // Not a char boundary, out of bounds, overlapping: skipped, no panic.
        let findings = [
            f(EntityType::Person, 0, 2),
            f(EntityType::Person, 3, 99),
            f(EntityType::Person, 0, 1),
            f(EntityType::Person, 0, 1),
        ];
        let m = apply(
            text,
            &findings,
            &all(Action::Mask),
            &mut Placeholders::default(),
        );
        assert_eq!(m.text, "<PERSON_1>éllo");
    }

    #[test]
    fn restore_skips_non_placeholders() {
        let mut ph = Placeholders::default();
        let p = ph.placeholder(EntityType::Person, "Jane");
        assert_eq!(
            ph.restore(&format!("a < b {p} <c> <UNKNOWN_1> <")),
            "a < b Jane <c> <UNKNOWN_1> <"
        );
        assert_eq!(ph.restore("no placeholders"), "no placeholders");
    }
}
