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
    by_value: HashMap<(EntityType, String), String>,
    by_placeholder: HashMap<String, String>,
    counters: HashMap<EntityType, u32>,
}

impl Placeholders {
    /// The placeholder for `value`, allocating the next number for its type if it is new.
    pub fn placeholder(&mut self, entity: EntityType, value: &str) -> String {
        if let Some(existing) = self.by_value.get(&(entity, value.to_string())) {
            return existing.clone();
        }
        let n = self.counters.entry(entity).or_insert(0);
        *n += 1;
        let placeholder = format!("<{}_{}>", entity.as_str(), n);
        self.by_value
            .insert((entity, value.to_string()), placeholder.clone());
        self.by_placeholder
            .insert(placeholder.clone(), value.to_string());
        placeholder
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
        if self.by_placeholder.is_empty() {
            return text.to_string();
        }
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(open) = rest.find('<') {
            out.push_str(&rest[..open]);
            let candidate = &rest[open..];
            match candidate.find('>') {
                Some(close) => {
                    let token = &candidate[..=close];
                    match self.by_placeholder.get(token) {
                        Some(original) => out.push_str(original),
                        None => out.push_str(token),
                    }
                    rest = &candidate[close + 1..];
                }
                None => {
                    out.push_str(candidate);
                    rest = "";
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
                out.push_str(&placeholders.placeholder(finding.entity, value));
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
