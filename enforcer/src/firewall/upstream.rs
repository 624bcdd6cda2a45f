//! Where model calls go. The enforcer holds the providers' credentials; agents never see them.
//!
//! `WARDEN_UPSTREAMS` names a JSON file:
//! ```json
//! {"upstreams": [
//!   {"name": "openai", "base_url": "https://api.openai.com/v1", "api_key_env": "OPENAI_API_KEY",
//!    "models": ["gpt-*", "o*", "text-embedding-*"]},
//!   {"name": "local", "base_url": "http://127.0.0.1:11434/v1", "models": ["*"]}
//! ]}
//! ```
//! A model goes to the first upstream with a matching pattern (`*` matches any run).

use anyhow::{Context, bail};
use serde::Deserialize;
use std::path::Path;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct UpstreamsFile {
    upstreams: Vec<UpstreamConfig>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct UpstreamConfig {
    name: String,
    base_url: String,
    /// Name of the environment variable holding the API key (the key itself never sits in the
    /// file, and is never logged).
    #[serde(default)]
    api_key_env: Option<String>,
    models: Vec<String>,
}

/// One provider endpoint.
pub struct Upstream {
    pub name: String,
    /// Without a trailing slash, e.g. `https://api.openai.com/v1`.
    pub base_url: String,
    /// The host, which policy sees as the action's destination.
    pub host: String,
    api_key: Option<String>,
    models: Vec<String>,
}

impl std::fmt::Debug for Upstream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Upstream")
            .field("name", &self.name)
            .field("base_url", &self.base_url)
            .field("api_key", &self.api_key.as_ref().map(|_| "<set>"))
            .field("models", &self.models)
            .finish()
    }
}

impl Upstream {
    pub fn serves(&self, model: &str) -> bool {
        self.models.iter().any(|pattern| glob(pattern, model))
    }

    /// `Authorization` for the upstream, if it needs one.
    pub fn authorization(&self) -> Option<String> {
        self.api_key.as_ref().map(|key| format!("Bearer {key}"))
    }

    /// Model names listed exactly (no `*`), for `/v1/models` when the upstream cannot list.
    pub fn exact_models(&self) -> impl Iterator<Item = &str> {
        self.models
            .iter()
            .filter(|m| !m.contains('*'))
            .map(String::as_str)
    }
}

/// The configured upstreams, in order.
#[derive(Debug, Default)]
pub struct Upstreams(pub Vec<Upstream>);

impl Upstreams {
    /// Reads the file `WARDEN_UPSTREAMS` names; no file, no upstreams (model calls get 503).
    pub fn load(path: Option<&Path>) -> anyhow::Result<Self> {
        let Some(path) = path else {
            return Ok(Upstreams::default());
        };
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read WARDEN_UPSTREAMS file {}", path.display()))?;
        Self::parse(&text, |name| std::env::var(name).ok())
            .with_context(|| format!("WARDEN_UPSTREAMS file {}", path.display()))
    }

    pub fn parse(text: &str, env: impl Fn(&str) -> Option<String>) -> anyhow::Result<Self> {
        let file: UpstreamsFile = serde_json::from_str(text).context("not valid upstream JSON")?;
        let mut upstreams = Vec::new();
        for config in file.upstreams {
            let base_url = config.base_url.trim_end_matches('/').to_owned();
            let Some(rest) = base_url
                .strip_prefix("https://")
                .or_else(|| base_url.strip_prefix("http://"))
            else {
                bail!(
                    "upstream {}: base_url must start with http:// or https://",
                    config.name
                );
            };
            let host = host_of(rest.split(['/', '?', '#']).next().unwrap_or_default());
            if host.is_empty() {
                bail!("upstream {}: base_url has no host", config.name);
            }
            if config.models.is_empty() {
                bail!(
                    "upstream {}: list the models it serves (\"*\" for all)",
                    config.name
                );
            }
            let api_key = match &config.api_key_env {
                Some(variable) => Some(env(variable).filter(|key| !key.is_empty()).with_context(
                    || {
                        format!(
                            "upstream {}: environment variable {variable} is not set",
                            config.name
                        )
                    },
                )?),
                None => None,
            };
            upstreams.push(Upstream {
                name: config.name,
                base_url,
                host,
                api_key,
                models: config.models,
            });
        }
        Ok(Upstreams(upstreams))
    }

    pub fn for_model(&self, model: &str) -> Option<&Upstream> {
        self.0.iter().find(|upstream| upstream.serves(model))
    }
}

/// The host of a URL authority (`host`, `host:port`, `[v6]:port`).
fn host_of(authority: &str) -> String {
    if let Some(v6) = authority.strip_prefix('[') {
        return v6.split(']').next().unwrap_or_default().to_owned();
    }
    match authority.rsplit_once(':') {
        Some((host, port)) if port.chars().all(|c| c.is_ascii_digit()) => host.to_owned(),
        _ => authority.to_owned(),
    }
}

/// `*` matches any run of characters; everything else literally.
fn glob(pattern: &str, value: &str) -> bool {
    let mut parts = pattern.split('*');
    let Some(first) = parts.next() else {
        return false;
    };
    let Some(mut rest) = value.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        return rest.is_empty();
    };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_by_pattern_and_keeps_keys_out_of_debug() {
        let upstreams = Upstreams::parse(
            r#"{"upstreams": [
                {"name": "openai", "base_url": "https://api.openai.com/v1/", "api_key_env": "KEY", "models": ["gpt-*", "text-embedding-3-small"]},
                {"name": "local", "base_url": "http://127.0.0.1:9000/v1", "models": ["*"]}
            ]}"#,
            |name| (name == "KEY").then(|| "sk-secret".to_owned()),
        )
        .expect("valid");
        let openai = upstreams.for_model("gpt-4o-mini").expect("routed");
        assert_eq!(openai.host, "api.openai.com");
        assert_eq!(openai.base_url, "https://api.openai.com/v1");
        assert_eq!(openai.authorization().as_deref(), Some("Bearer sk-secret"));
        assert!(!format!("{upstreams:?}").contains("sk-secret"));
        let local = upstreams.for_model("llama3").expect("routed");
        assert_eq!(local.host, "127.0.0.1");
        assert_eq!(local.authorization(), None);
    }

    #[test]
    fn refuses_bad_files() {
        let none = |_: &str| None;
        assert!(Upstreams::parse("{}", none).is_err());
        assert!(
            Upstreams::parse(
                r#"{"upstreams": [{"name": "x", "base_url": "ftp://x", "models": ["*"]}]}"#,
                none
            )
            .is_err()
        );
        assert!(
            Upstreams::parse(
                r#"{"upstreams": [{"name": "x", "base_url": "http://x", "models": []}]}"#,
                none
            )
            .is_err()
        );
        assert!(Upstreams::parse(r#"{"upstreams": [{"name": "x", "base_url": "http://x", "api_key_env": "NOPE", "models": ["*"]}]}"#, none).is_err());
    }

    #[test]
    fn glob_matches() {
        assert!(glob("*", "anything"));
        assert!(glob("gpt-*", "gpt-4o"));
        assert!(!glob("gpt-*", "o1"));
        assert!(glob("a*b*c", "axxbyyc"));
        assert!(!glob("a*b*c", "acb"));
        assert!(glob("exact", "exact"));
        assert!(!glob("exact", "exactly"));
        assert!(!glob("ab*ba", "aba"));
    }
}
