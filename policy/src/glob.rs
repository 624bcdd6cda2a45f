//! The same glob semantics as `glob_match` in `policies/warden/authz.rego`, for validation,
//! generated tests and review: `*` matches any run of characters (`.` and `/` included), at most
//! two `*` per pattern.

/// The most `*` a pattern may hold; the Rego matcher handles up to two without recursion.
pub const MAX_STARS: usize = 2;

/// Whether `value` matches `pattern`.
pub fn glob_match(pattern: &str, value: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    match parts.as_slice() {
        [exact] => *exact == value,
        [prefix, suffix] => {
            value.len() >= prefix.len() + suffix.len()
                && value.starts_with(prefix)
                && value.ends_with(suffix)
        }
        [prefix, middle, suffix] => {
            value.len() >= prefix.len() + suffix.len()
                && value.starts_with(prefix)
                && value.ends_with(suffix)
                && value
                    .get(prefix.len()..value.len() - suffix.len())
                    .is_some_and(|inner| inner.contains(middle))
        }
        _ => false,
    }
}

/// A concrete value the pattern matches (each `*` becomes `x`), for generated tests.
pub fn instantiate(pattern: &str) -> String {
    pattern.replace('*', "x")
}

/// A value none of `patterns` matches, or `None` when they cover everything we try. Values just
/// beside the first pattern come first (`crm.readx`, `xcustomers/x`), so a grant widened to
/// `crm.*` or `*` no longer passes its tests.
pub fn outside(patterns: &[String], hint: &str) -> Option<String> {
    let near = patterns.first().map(|p| instantiate(p)).unwrap_or_default();
    let candidates = [
        format!("{near}x"),
        format!("x{near}"),
        format!("zz-not-{hint}"),
        format!("zz.not.{hint}"),
        format!("zz/not/{hint}"),
        String::new(),
    ];
    candidates
        .into_iter()
        .find(|c| !patterns.iter().any(|p| glob_match(p, c)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_like_the_rego_library() {
        assert!(glob_match("crm.read", "crm.read"));
        assert!(!glob_match("crm.read", "crm.reader"));
        assert!(glob_match("crm.*", "crm.read"));
        assert!(!glob_match("crm.*", "crm"));
        assert!(glob_match("*", ""));
        assert!(glob_match("customers/*", "customers/42/notes"));
        assert!(!glob_match("ab*ba", "aba"));
        assert!(glob_match("a*b*c", "axxbyyc"));
        assert!(glob_match("a*b*c", "abc"));
        assert!(!glob_match("a*b*c", "axxc"));
        assert!(glob_match("*:*", "db:drop"));
        assert!(glob_match("customers/**", "customers/1/2"));
        assert!(!glob_match("a*b*c*d", "abcd"));
    }

    #[test]
    fn outside_finds_a_non_matching_value() {
        let patterns = vec!["crm.*".to_string()];
        let v = outside(&patterns, "tool").expect("a value outside crm.*");
        assert!(!glob_match("crm.*", &v));
        assert_eq!(
            outside(&["crm.read".to_string()], "tool").as_deref(),
            Some("crm.readx")
        );
        assert_eq!(outside(&["*".to_string()], "tool"), None);
    }
}
